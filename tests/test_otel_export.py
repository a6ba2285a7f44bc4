"""OpenTelemetry export: each call as a GenAI span and metrics, to an OTLP/HTTP receiver on
loopback that decodes the protobuf (opentelemetry-proto)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest
from conftest import ROOT, clean_environ
from fake_provider import KEYS, FakeProvider
from metrics_servers import OtlpReceiver, attributes, dead_url

pytest.importorskip("opentelemetry.sdk", reason="the otel extra is not installed")
pytest.importorskip("opentelemetry.proto", reason="opentelemetry-proto is not installed")

# Their processes count tokens: each would build the encodings' index first (~1 s of CPU).
pytestmark = pytest.mark.usefixtures("prebuilt_index")

WORKER = """
import sys, time
from llm_core.clients import get_client
from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.errors import LLMCoreError
n, base, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ok = AnthropicClient("claude-haiku-4-5", api_key=key, base_url=base)
bad = AnthropicClient("claude-haiku-4-5", api_key="sk-ant-wrong-key-000000", base_url=base)
echo = get_client("echo")
for i in range(n):
    echo.chat(f"secret prompt {i}") if i % 2 else ok.chat(f"secret prompt {i}", max_tokens=50)
try:
    bad.chat("secret prompt denied")
except LLMCoreError:
    pass
if float(sys.argv[4]):  # let the SDK finish loading (local work): what is left is the network's
    import llm_core.exporters as ex
    ex._otel._ready.wait(30)
    time.sleep(float(sys.argv[4]))
print(time.time(), flush=True)
"""


def _run(tmp_path, endpoint, calls=6, settle=0.0, **env_extra):
    env = clean_environ(tmp_path)
    env.update(OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, **env_extra)
    with FakeProvider() as fake:
        proc = subprocess.run([sys.executable, "-c", WORKER, str(calls), fake.url("anthropic"),
                               KEYS["anthropic"], str(settle)], env=env, cwd=tmp_path / "work",
                              capture_output=True, text=True, timeout=60)
        exited = time.time()
    assert proc.returncode == 0, proc.stderr
    return proc, exited - float(proc.stdout.strip())


def _records(tmp_path) -> list[dict]:
    env = clean_environ(tmp_path)
    out = subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), "export"],
                         env=env, cwd=tmp_path / "work", capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def _expected(rec: dict) -> dict:
    t = rec["tokens"]
    attrs = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": rec["provider"],
        "gen_ai.request.model": rec["model"],
        "gen_ai.response.model": rec["model"],
        "gen_ai.usage.input_tokens": t["input"] + t["cache_read"] + t["cache_write"],
        "gen_ai.usage.output_tokens": t["output"],
        "gen_ai.usage.cache_read.input_tokens": t["cache_read"],
        "gen_ai.usage.cache_creation.input_tokens": t["cache_write"],
        "gen_ai.agent.name": rec["agent_name"],
        "llm_core.operation": rec["operation"],
        "llm_core.project": rec["metadata"]["project"],
        "llm_core.record_id": rec["id"],
    }
    if rec.get("stop_reason"):
        attrs["gen_ai.response.finish_reasons"] = [rec["stop_reason"]]
    if rec["cost_usd"] is not None:
        attrs["llm_core.cost_usd"] = rec["cost_usd"]
    if not rec["success"]:
        attrs["error.type"] = rec["metadata"]["error"].split(":")[0]
    return attrs


def test_every_call_is_one_span_with_the_genai_attributes(tmp_path):
    with OtlpReceiver() as rx:
        proc, _ = _run(tmp_path, rx.endpoint)
        spans, metrics = rx.spans(), rx.metrics()
    assert proc.stderr == ""
    records = _records(tmp_path)
    assert len(records) == 7
    by_id = {}
    for span in spans:
        attrs = attributes(span.attributes)
        assert attrs["llm_core.record_id"] not in by_id, "a call was exported twice"
        by_id[attrs["llm_core.record_id"]] = (span, attrs)
    assert sorted(by_id) == sorted(r["id"] for r in records)
    for rec in records:
        span, attrs = by_id[rec["id"]]
        assert attrs == _expected(rec)
        assert span.name == f"chat {rec['model']}"
        assert span.kind == span.SPAN_KIND_CLIENT
        assert span.end_time_unix_nano - span.start_time_unix_nano == rec["duration_ms"] * 1_000_000
        assert span.status.code == (span.status.STATUS_CODE_OK if False else
                                    (span.status.STATUS_CODE_ERROR if not rec["success"]
                                     else span.status.STATUS_CODE_UNSET))
    failed = [r for r in records if not r["success"]]
    assert len(failed) == 1 and by_id[failed[0]["id"]][1]["error.type"] == "AuthenticationError"
    assert not any("secret prompt" in str(attrs) for _, attrs in by_id.values())

    # Metrics: the last export holds the cumulative histograms.
    last = {m.name: m for m in metrics}
    usage, duration = last["gen_ai.client.token.usage"], last["gen_ai.client.operation.duration"]
    assert usage.unit == "{token}" and duration.unit == "s"
    assert list(duration.histogram.data_points[0].explicit_bounds)[:3] == [0.01, 0.02, 0.04]
    assert list(usage.histogram.data_points[0].explicit_bounds)[:3] == [1, 4, 16]
    sums = {}
    for point in usage.histogram.data_points:
        attrs = attributes(point.attributes)
        key = attrs["gen_ai.token.type"]
        sums[key] = sums.get(key, 0) + point.sum
        assert attrs["gen_ai.operation.name"] == "chat"
    ok = [r for r in records if r["success"]]
    assert sums == {"input": sum(_expected(r)["gen_ai.usage.input_tokens"] for r in ok),
                    "output": sum(r["tokens"]["output"] for r in ok)}
    counts = {}
    for point in duration.histogram.data_points:
        attrs = attributes(point.attributes)
        key = (attrs["gen_ai.provider.name"], attrs.get("error.type"))
        counts[key] = counts.get(key, 0) + point.count
    assert counts == {("anthropic", None): 3, ("echo", None): 3,
                      ("anthropic", "AuthenticationError"): 1}


def test_prompt_and_response_text_only_when_the_settings_say_so(tmp_path):
    with OtlpReceiver() as rx:
        _run(tmp_path, rx.endpoint, calls=2, LLM_STORE_PROMPTS="true")
        spans = [attributes(s.attributes) for s in rx.spans()]
    prompts = sorted(json.loads(a["gen_ai.input.messages"])[0]["parts"][0]["content"] for a in spans)
    assert prompts == ["secret prompt 0", "secret prompt 1", "secret prompt denied"]
    assert not any("gen_ai.output.messages" in a for a in spans)
    with OtlpReceiver() as rx:
        _run(tmp_path, rx.endpoint, calls=1, LLM_STORE_RESPONSES="1")
        spans = [attributes(s.attributes) for s in rx.spans()]
    assert not any("gen_ai.input.messages" in a for a in spans)
    out = [json.loads(a["gen_ai.output.messages"]) for a in spans if "gen_ai.output.messages" in a]
    assert out[0][0]["role"] == "assistant" and out[0][0]["parts"][0]["content"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_a_dead_endpoint_delays_exit_by_less_than_a_second_and_warns_once(tmp_path, kind):
    if kind == "refused":
        endpoint, sock = dead_url(), None
    else:  # accepts connections, never answers
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    tries = []
    try:
        # The best of up to three tries: tests running beside this one (pytest-xdist) can only
        # slow a process down, while an exporter that waits for the network does so every time.
        for _ in range(3):
            proc, exit_delay = _run(tmp_path, endpoint, calls=4, settle=0.5)
            # The same process with a live endpoint: what is left is the interpreter unloading the SDK.
            with OtlpReceiver() as rx:
                _, live_delay = _run(tmp_path, rx.endpoint, calls=4, settle=0.5)
            tries.append((proc, exit_delay - live_delay, exit_delay))
            if exit_delay - live_delay < 1.0 and exit_delay < 2.0:
                break
    finally:
        if sock is not None:
            sock.close()
    proc, extra, exit_delay = tries[-1]
    assert extra < 1.0, [t[1:] for t in tries]
    assert exit_delay < 2.0, [t[1:] for t in tries]
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Warning: calls not exported: ")
    assert len(_records(tmp_path)) == 10 * len(tries)  # the calls themselves were recorded


def test_export_format_otlp_replays_the_history(tmp_path):
    env = clean_environ(tmp_path)
    env["LLM_TELEMETRY_NOW"] = "2026-11-27T12:00:00Z"
    tool = [sys.executable, str(ROOT / "bin" / "llm-telemetry")]
    subprocess.run([*tool, "demo", "--days", "3", "--calls", "500"], env=env, check=True,
                   capture_output=True, cwd=tmp_path / "work")
    selected = subprocess.run([*tool, "export", "--since", "2026-11-26"], env=env, check=True,
                              capture_output=True, text=True, cwd=tmp_path / "work").stdout
    ids = sorted(json.loads(line)["id"] for line in selected.splitlines())
    with OtlpReceiver() as rx:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = rx.endpoint
        proc = subprocess.run([*tool, "export", "--format", "otlp", "--since", "2026-11-26"],
                              env=env, capture_output=True, text=True, cwd=tmp_path / "work")
        spans = rx.spans()
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == f"Exported {len(ids)} calls to {rx.endpoint}\n"
    assert sorted(attributes(s.attributes)["llm_core.record_id"] for s in spans) == ids


def test_an_endpoint_refusing_spans_metrics_and_the_flush_is_one_warning(capsys):
    from llm_core.errors import reset_warnings
    from llm_core.exporters import otel, warn

    reset_warnings()
    failures = otel._Failures("http://127.0.0.1:9", warn=True)
    failures("spans")
    failures("metrics")
    warn("otel-export", "calls not exported: http://127.0.0.1:9 did not take them in time")
    err = capsys.readouterr().err
    assert err == "Warning: calls not exported: http://127.0.0.1:9 did not take the spans\n"
    assert failures.failed


@pytest.mark.parametrize(("env", "timeout"), [
    ({}, 5.0),
    ({"OTEL_EXPORTER_OTLP_TIMEOUT": "1.5"}, None),
    ({"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "3"}, None),
])
def test_the_request_timeout_is_left_to_the_sdks_standard_variables_when_set(monkeypatch, env, timeout):
    """None lets the SDK read OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT itself; unset, ours is 5 s."""
    from llm_core.exporters import otel

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    given = {}

    def kept(name, cls):
        class Kept(cls):
            def __init__(self, **kw):
                given[name] = kw["timeout"]
                super().__init__(**kw)
        return Kept

    monkeypatch.setattr(otel, "_SpanExporter", kept("spans", otel._SpanExporter))
    monkeypatch.setattr(otel, "_MetricExporter", kept("metrics", otel._MetricExporter))
    exporter = otel.CallExporter("http://127.0.0.1:9", warn=False)
    exporter._tracer_provider.shutdown()
    exporter._meter_provider.shutdown(timeout_millis=100)
    assert given == {"spans": timeout, "metrics": timeout}
