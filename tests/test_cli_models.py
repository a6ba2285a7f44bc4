"""llm-models: list, show, select, and sync against a real local HTTP server."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from llm_core.cli.models import main
from llm_core.config import reset_settings
from llm_core.models import registry
from llm_core.models.registry import get_model

OPENROUTER_LIST = {
    "data": [
        {   # a price change and a new context window for a bundled model
            "id": "meta-llama/llama-3.1-70b-instruct",
            "name": "Meta: Llama 3.1 70B Instruct",
            "context_length": 131072,
            "pricing": {"prompt": "0.00000035", "completion": "0.00000045", "request": "0"},
            "top_provider": {"max_completion_tokens": 8192},
            "architecture": {"input_modalities": ["text"]},
            "supported_parameters": ["tools", "temperature"],
        },
        {   # unchanged
            "id": "meta-llama/llama-3.3-70b-instruct",
            "context_length": 131072,
            "pricing": {"prompt": "0.000000038", "completion": "0.00000012"},
            "top_provider": {"max_completion_tokens": 16384},
        },
        {   # new
            "id": "acme/rocket-1",
            "name": "Acme: Rocket 1",
            "context_length": 64000,
            "pricing": {"prompt": "0.000001", "completion": "0.000002", "input_cache_read": "0.0000001"},
            "top_provider": {"max_completion_tokens": 4000},
            "architecture": {"input_modalities": ["text", "image"]},
            "supported_parameters": ["tools", "reasoning"],
        },
        {"id": "openrouter/auto", "pricing": {"prompt": "-1", "completion": "-1"}},  # variable price: skipped
    ]
}


class _Handler(BaseHTTPRequestHandler):
    body: bytes = b""
    status = 200
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """A real HTTP server on 127.0.0.1 (port 0) playing OpenRouter's /models."""

    class Handler(_Handler):
        body = json.dumps(OPENROUTER_LIST).encode()
        requests: ClassVar[list[str]] = []

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENROUTER_BASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}/api/v1")
    reset_settings()
    registry.clear_cache()
    yield Handler
    httpd.shutdown()
    httpd.server_close()
    registry.clear_cache()


def sync_file(isolated_env):
    return isolated_env / "cache" / "llm-core" / "openrouter-models.json"


def test_sync_saves_the_list_and_reports_changes(server, isolated_env, capsys):
    assert main(["sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert server.requests == ["/api/v1/models"]
    assert report["models"] == 3 and report["added"] == ["acme/rocket-1"] and report["unchanged"] == 1
    (changed,) = report["changed"]
    assert changed["id"] == "meta-llama/llama-3.1-70b-instruct"
    assert changed["changes"] == {
        "pricing.input": [0.4, 0.35], "pricing.output": [0.4, 0.45], "max_output": [16384, 8192],
    }
    saved = json.loads(sync_file(isolated_env).read_text())
    assert saved["fetched_at"] == report["fetched_at"] and "acme/rocket-1" in saved["models"]
    # The registry now uses the synced prices.
    llama = get_model("llama-3.1-70b")
    assert (llama["pricing"], llama["price_source"]) == ({"input": 0.35, "output": 0.45}, "synced")
    rocket = get_model("acme/rocket-1")
    assert rocket["pricing"] == {"input": 1.0, "output": 2.0, "cache_read": 0.1}
    assert set(rocket["capabilities"]) == {"vision", "function_calling", "reasoning", "prompt_caching"}


def test_second_sync_reports_nothing_new(server, capsys):
    assert main(["sync", "--json"]) == 0
    capsys.readouterr()
    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "Synced 3 OpenRouter models" in out
    assert "Added 0\nChanged 0\nUnchanged 3" in out


def test_human_sync_summary_names_the_changes(server, capsys):
    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "Added 1:\n  acme/rocket-1\n" in out
    assert "meta-llama/llama-3.1-70b-instruct: input 0.40 -> 0.35, output 0.40 -> 0.45, max_output 16,384 -> 8,192" in out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_sync_exits_7_and_leaves_the_registry_alone(isolated_env, monkeypatch, capsys):
    path = sync_file(isolated_env)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"fetched_at": "2026-11-01T00:00:00Z", "models": {
        "meta-llama/llama-3.1-70b-instruct": {"pricing": {"input": 0.3, "output": 0.3}}}}))
    before = path.read_bytes()
    monkeypatch.setenv("OPENROUTER_BASE_URL", f"http://127.0.0.1:{free_port()}/api/v1")
    reset_settings()
    assert main(["sync"]) == 7
    err = capsys.readouterr().err
    assert err.startswith("Error: OpenRouter model list: cannot reach http://127.0.0.1:")
    assert err.rstrip().endswith("; the registry is unchanged")
    assert path.read_bytes() == before
    registry.clear_cache()
    assert get_model("llama-3.1-70b")["pricing"]["input"] == 0.3


@pytest.mark.parametrize("status, body, code", [(503, b"{}", 6), (200, b"<html>", 6), (200, b'{"data": 5}', 6),
                                                (404, b"{}", 5)])
def test_bad_answers_are_errors_and_nothing_is_written(server, isolated_env, capsys, status, body, code):
    server.status, server.body = status, body
    assert main(["sync"]) == code
    assert capsys.readouterr().err.startswith("Error: ")
    assert not sync_file(isolated_env).exists()


# ---------------------------------------------------------------- list / show / select

def test_list_shows_current_models_and_price_age(capsys):
    assert main(["list", "--provider", "anthropic"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["MODEL", "PROVIDER", "CONTEXT", "MAX", "OUT", "INPUT", "OUTPUT", "CACHED", "SPEED", "STATUS"]
    assert any(line.startswith("claude-sonnet-4-6 ") and " 3.00 " in line for line in lines)
    assert not any(line.startswith("claude-3-5-haiku ") for line in lines)  # retired: only with --all
    assert lines[-1].startswith("Prices: USD per 1M tokens, checked anthropic 2026-")


def test_list_all_json_includes_retired(capsys):
    assert main(["list", "--all", "--json", "-p", "anthropic"]) == 0
    models = {m["id"]: m for m in json.loads(capsys.readouterr().out)}
    assert models["claude-3-5-haiku"]["retired"] is True
    assert models["claude-3-5-haiku"]["pricing"]["input"] == 0.8


def test_show_and_unknown_model(capsys):
    assert main(["show", "llama-3.1-70b"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("meta-llama/llama-3.1-70b-instruct  (Meta: Llama 3.1 70B Instruct)\n")
    assert "price per 1M:    input $0.40, output $0.40" in out
    assert main(["show", "gpt-4oo"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Error: unknown model 'gpt-4oo' (did you mean gpt-4o")


def test_select_prints_only_the_id(capsys):
    assert main(["select", "-p", "anthropic", "--budget", "0.01", "-c", "vision"]) == 0
    out = capsys.readouterr().out
    assert out == "claude-haiku-5-5\n"


def test_select_nothing_fits(capsys):
    assert main(["select", "--budget", "0", "-c", "vision", "--min-context", "2000000"]) == 3
    assert "no model fits" in capsys.readouterr().err
