"""Hostile or broken servers (issue 11 item 7), each a bounded fake_provider scenario on loopback:
LLM_TIMEOUT is the whole attempt (a trickle or keep-alives cannot stretch it), a separate idle
limit between reads, bodies bounded by LLM_MAX_RESPONSE_MB, depth-safe JSON (exit 6), and the
input tokens of a stream that fails before its first text are kept."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.clients.openai_client import OpenAIClient
from llm_core.clients.openrouter_client import OpenRouterClient
from llm_core.config import get_settings, reset_settings
from llm_core.errors import APITimeoutError, ExitStatus, InternalServerError, ResponseFormatError

CLIENTS = {"anthropic": (AnthropicClient, "claude-sonnet-4-5"), "openai": (OpenAIClient, "gpt-4o-mini"),
           "openrouter": (OpenRouterClient, "openai/gpt-4o-mini")}


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


def client(fake, provider, **kwargs):
    cls, model = CLIENTS[provider]
    kwargs.setdefault("max_retries", 0)
    return cls(model, api_key=KEYS[provider], base_url=fake.url(provider), sleep=lambda s: None, **kwargs)


def call(c, stream):
    if not stream:
        return c.chat("hi there")
    with c.stream("hi there") as chunks:
        "".join(chunks)
    return chunks.response


def timed_failure(c, stream, error=APITimeoutError):
    start = time.monotonic()
    with pytest.raises(error) as info:
        call(c, stream)
    return time.monotonic() - start, info.value


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_trickling_server_fails_at_the_deadline(fake, provider, stream):
    """One byte every 0.05 s: each read is quick, so a per-read timeout never fired (40 s)."""
    fake.set_scenario("trickle")
    fake.trickle_interval = 0.05
    took, error = timed_failure(client(fake, provider, timeout=0.25), stream)
    assert 0.22 < took < 1.75, took
    assert error.exit_code == ExitStatus.NETWORK and "timed out" in str(error)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_keep_alives_forever_end_at_the_deadline(fake, provider, stream):
    fake.set_scenario("ping-forever")
    took, _ = timed_failure(client(fake, provider, timeout=0.25), stream)
    assert 0.22 < took < 1.75, took


def test_the_idle_limit_between_reads_is_separate(fake, monkeypatch):
    """LLM_STREAM_IDLE_TIMEOUT: the first words, then 3 s of silence, within a 30 s LLM_TIMEOUT."""
    monkeypatch.setenv("LLM_STREAM_IDLE_TIMEOUT", "0.25")
    reset_settings()
    fake.set_scenario("slow-stream")
    fake.delay = 3.0
    took, _ = timed_failure(client(fake, "anthropic", timeout=30), True)
    assert took < 2.0, took
    monkeypatch.delenv("LLM_STREAM_IDLE_TIMEOUT")
    reset_settings()
    fake.delay = 0.3
    assert call(client(fake, "anthropic", timeout=30), True).text  # silence within the limit


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_json_nested_100000_deep_is_a_format_error(fake, provider, stream):
    """It was a RecursionError: exit 1. orjson refuses the depth: exit 6."""
    fake.set_scenario("deep")
    _, error = timed_failure(client(fake, provider), stream, ResponseFormatError)
    assert error.exit_code == ExitStatus.PROVIDER_FAILED
    if not stream:
        assert "nested too deeply to read" in str(error)


def test_a_300_mb_error_body_is_read_only_up_to_the_limit(fake):
    """It used 1.26 GB; now the body is cut at LLM_MAX_RESPONSE_MB (16) and memory stays low."""
    assert get_settings().max_response_mb == 16
    fake.set_scenario("huge-error")
    tracemalloc.start()
    try:
        _, error = timed_failure(client(fake, "openai", timeout=60), False, InternalServerError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, peak
    assert error.exit_code == ExitStatus.PROVIDER_FAILED and "HTTP 500" in str(error)
    assert len(str(error)) < 1000


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_an_answer_over_the_limit_is_a_format_error(fake, monkeypatch, stream):
    monkeypatch.setenv("LLM_MAX_RESPONSE_MB", "1")
    reset_settings()
    fake.set_scenario("huge")
    fake.huge_mb = 3
    _, error = timed_failure(client(fake, "anthropic"), stream, ResponseFormatError)
    assert error.exit_code == ExitStatus.PROVIDER_FAILED
    if not stream:
        assert "larger than LLM_MAX_RESPONSE_MB (1 MB)" in str(error)


def _records():
    from llm_core.storage.local import get_storage

    get_storage().flush()
    paths = sorted(Path(get_settings().telemetry_dir).glob("*/telemetry.jsonl"))
    return [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]


def test_an_error_event_before_the_first_text_keeps_the_input_tokens(fake):
    """message_start reported the input tokens (billed), then an error event: they were dropped."""
    fake.set_scenario(["stream-error"])
    with pytest.raises(InternalServerError):
        call(client(fake, "anthropic", max_retries=1), True)
    record = _records()[-1]
    assert record["success"] is False and record["retries"] == 1
    assert record["tokens"]["input"] > 0 and record["cost_usd"] > 0
