"""Saved conversations (llm-chat -c/--cid/--save-conversation): the multi-turn request bodies
the providers document, the store file, kill -9 between turns, and context truncation."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import run_main
from fake_provider import KEYS, FakeProvider

from llm_core.cli.chat import main as chat_main
from llm_core.storage.conversations import Conversations, fit_context, history
from llm_core.storage.local import LocalStorage

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path, fake):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ANTHROPIC_", "OPENAI_", "OPENROUTER_"))}
    env.update(PYTHONPATH=str(ROOT), LLM_TELEMETRY_DIR=str(tmp_path / "store"), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               ANTHROPIC_BASE_URL=fake.url("anthropic"), OPENAI_BASE_URL=fake.url("openai"),
               ANTHROPIC_API_KEY=KEYS["anthropic"], OPENAI_API_KEY=KEYS["openai"])
    return env


class _Result(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def _chat(env, *args, check=True):
    """llm-chat in-process through its main() (the error layer and separate streams of a process)."""
    raw = run_main(chat_main, *args, env=env)
    result = _Result(raw.returncode, raw.stdout.decode(), raw.stderr.decode())
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


def test_multi_turn_bodies_follow_each_providers_format(tmp_path, fake):
    env = _env(tmp_path, fake)
    _chat(env, "--no-stream", "--save-conversation", "-s", "Be brief", "one")
    _chat(env, "--no-stream", "-c", "two")
    body = fake.requests[-1]["body"]
    assert body["system"] == "Be brief"  # Anthropic: the system prompt is top level, not a message
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1]["content"] == "You said: one"
    _chat(env, "--no-stream", "-c", "-m", "gpt-4.1-mini", "three")
    body = fake.requests[-1]["body"]
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert body["messages"][0]["content"] == "Be brief"
    assert body["messages"][-1]["content"] == "three"


def test_the_fake_provider_rejects_turns_that_do_not_alternate(fake):
    import httpx

    headers = {"x-api-key": KEYS["anthropic"], "anthropic-version": "2023-06-01"}
    bad = {"model": "claude-haiku-4-5", "max_tokens": 5,
           "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}
    r = httpx.post(fake.url("anthropic") + "/v1/messages", json=bad, headers=headers)
    assert r.status_code == 400 and "alternate" in r.text
    bad["messages"] = [{"role": "assistant", "content": "a"}]
    r = httpx.post(fake.url("anthropic") + "/v1/messages", json=bad, headers=headers)
    assert r.status_code == 400 and "first message" in r.text


def test_the_file_is_private_and_one_line_per_turn(tmp_path, fake):
    env = _env(tmp_path, fake)
    _chat(env, "--no-stream", "--save-conversation", "one")
    _chat(env, "-c", "two")  # streamed
    (path,) = (tmp_path / "store" / "conversations").iterdir()
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "store" / "conversations").stat().st_mode & 0o777 == 0o700
    turns = [json.loads(line) for line in path.read_text().splitlines()]
    assert [t["messages"][0]["content"] for t in turns] == ["one", "two"]
    assert all(t["tokens"]["input"] > 0 and t["model"] == "claude-haiku-5-5" for t in turns)
    assert turns[1]["messages"][1] == {"role": "assistant", "content": "You said: two"}


@pytest.mark.usefixtures("prebuilt_index")  # the killed process counts tokens: no index build in it
def test_a_conversation_survives_kill_9_between_and_during_turns(tmp_path, fake):
    env = _env(tmp_path, fake)
    _chat(env, "--no-stream", "--save-conversation", "one")
    fake.set_scenario("slow")  # the next call waits in the provider: kill it there
    proc = subprocess.Popen([sys.executable, str(ROOT / "bin" / "llm-chat"), "-c", "--no-stream", "lost"],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(fake.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    (path,) = (tmp_path / "store" / "conversations").iterdir()
    with open(path, "ab") as f:
        f.write(b'{"timestamp": "2026-12-01T00:00:00Z", "messages": [{"role": "us')  # a torn append
    fake.set_scenario("ok")
    result = _chat(env, "--no-stream", "-c", "two")
    assert result.stdout == "You said: two\n"
    assert [m["content"] for m in fake.requests[-1]["body"]["messages"]] == ["one", "You said: one", "two"]
    turns = Conversations(LocalStorage(tmp_path / "store")).turns(path.stem)
    assert [t["messages"][0]["content"] for t in turns] == ["one", "two"]


def test_oldest_turns_are_dropped_when_the_window_is_full():
    turns = [{"messages": [{"role": "user", "content": "x" * n}, {"role": "assistant", "content": "y"}]}
             for n in (100, 10, 20)]
    kept, dropped = fit_context(turns, 40, len)
    assert dropped == 1 and kept == turns[1:]
    assert fit_context(turns, 1000, len) == (turns, 0)
    assert fit_context(turns, 0, len) == ([], 3)
    assert [m["role"] for m in history(kept)] == ["user", "assistant", "user", "assistant"]


def test_the_cli_warns_and_truncates_for_a_small_window(tmp_path, fake):
    env = _env(tmp_path, fake)
    models = tmp_path / "config" / "llm-core" / "models.json"
    models.parent.mkdir(parents=True)
    models.write_text(json.dumps({"tiny-claude": {"provider": "anthropic", "api_id": "claude-haiku-4-5",
                                                  "context_window": 300, "pricing": {"input": 1, "output": 1}}}))
    env["LLM_MODELS_FILE"] = str(models)
    _chat(env, "--no-stream", "-m", "tiny-claude", "--max-tokens", "50", "--save-conversation", "word " * 150)
    result = _chat(env, "--no-stream", "-m", "tiny-claude", "--max-tokens", "50", "-c", "short")
    assert "oldest turn(s) no longer fit" in result.stderr
    assert [m["content"] for m in fake.requests[-1]["body"]["messages"]] == ["short"]


def test_structured_output_request_bodies_follow_each_providers_docs(tmp_path, fake):
    env = _env(tmp_path, fake)
    out = _chat(env, "--schema", "name str, age int", "Invent a person").stdout
    assert json.loads(out) == {"name": "You said: Invent a person", "age": 42}
    body = fake.requests[-1]["body"]
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
              "required": ["name", "age"], "additionalProperties": False}
    assert body["tools"] == [{"name": "structured_output", "description": "Give the answer as this tool's input.",
                              "input_schema": schema}]
    assert body["tool_choice"] == {"type": "tool", "name": "structured_output"}
    assert "stream" not in body or body["stream"] is False
    _chat(env, "-m", "gpt-4.1-mini", "--schema", "name str, age int", "again")
    body = fake.requests[-1]["body"]
    assert body["response_format"] == {"type": "json_schema",
                                       "json_schema": {"name": "structured_output", "schema": schema, "strict": True}}
    assert "tools" not in body


def test_a_structured_answer_that_breaks_the_schema_is_exit_6_and_recorded(tmp_path, fake):
    env = _env(tmp_path, fake)
    fake.set_scenario("schema-mismatch")
    result = _chat(env, "--schema", "age int", "x", check=False)
    assert result.returncode == 6 and result.stdout == ""
    assert result.stderr == "Error: the answer does not match the schema at age: '42' is not of type 'integer'\n"
    (day,) = (tmp_path / "store").glob("20*/telemetry.jsonl")
    assert len(day.read_text().splitlines()) == 1
