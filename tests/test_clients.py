"""Clients against the fake provider server (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.clients.echo_client import EchoClient
from llm_core.clients.openai_client import OpenAIClient
from llm_core.clients.openrouter_client import OpenRouterClient
from llm_core.clients.response import LLMResponse
from llm_core.config import reset_settings
from llm_core.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConfigError,
    InternalServerError,
    NotFoundError,
    OverloadedError,
    ResponseFormatError,
)
from llm_core.models.pricing import calculate_cost

CLASSES = {"anthropic": AnthropicClient, "openai": OpenAIClient, "openrouter": OpenRouterClient}
PROVIDERS = list(CLASSES)


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


def make(fake, provider, sleeps=None, **kwargs):
    kwargs.setdefault("api_key", KEYS[provider])
    kwargs.setdefault("base_url", fake.url(provider))
    sleep = sleeps.append if sleeps is not None else (lambda s: None)
    return CLASSES[provider](sleep=sleep, **kwargs)


def telemetry_records():
    from llm_core.storage.local import get_storage

    get_storage().flush()
    from llm_core.config import get_settings

    lines = []
    for path in sorted(Path(get_settings().telemetry_dir).glob("*/telemetry.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return lines


# ---------------------------------------------------------------- success paths


@pytest.mark.parametrize("provider", PROVIDERS)
def test_chat_returns_text_tokens_cost_and_request_id(fake, provider):
    response = make(fake, provider).chat("hello there", system="be brief", max_tokens=50)
    assert isinstance(response, LLMResponse)
    assert response.text == "You said: hello there"
    assert response.provider == provider
    assert response.tokens["input"] > 0 and response.tokens["output"] > 0
    t = response.tokens
    assert t["total"] == t["input"] + t["output"] + t["cache_read"] + t["cache_write"]
    assert response.cost_usd == pytest.approx(calculate_cost(t, response.model))
    assert response.request_id and (provider != "anthropic" or response.request_id.startswith("req_"))
    assert response.stop_reason in ("end_turn", "stop")
    assert response.retries == 0
    assert set(response.to_dict()) >= {"text", "model", "provider", "tokens", "cost_usd", "duration_ms"}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_stream_yields_chunks_and_then_the_response(fake, provider):
    stream = make(fake, provider).stream("one two three four")
    chunks = list(stream)
    assert len(chunks) > 1
    assert "".join(chunks) == "You said: one two three four"
    assert stream.response.text == "".join(chunks)
    # The usage a stream reports (message_start + cumulative message_delta, or the final
    # usage chunk) equals the non-streamed one.
    assert stream.response.tokens == make(fake, provider).chat("one two three four").tokens
    assert stream.response.tokens["output"] > 1
    assert stream.response.time_to_first_token_ms is not None
    assert stream.response.time_to_first_token_ms <= stream.response.duration_ms


def test_anthropic_wire_format(fake):
    make(fake, "anthropic").chat("hi", system="sys", temperature=0.2, stop="END")
    sent = fake.requests[-1]
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["x-api-key"] == KEYS["anthropic"]
    assert headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in headers
    body = sent["body"]
    assert body["system"] == "sys"
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["max_tokens"] == 8192  # required by the API: the model's max output, capped
    assert body["temperature"] == 0.2 and body["stop_sequences"] == ["END"]
    assert "stream" not in body


def test_anthropic_stream_ignores_thinking_and_keeps_cumulative_usage(fake):
    stream = make(fake, "anthropic").stream("think about it", thinking={"type": "enabled", "budget_tokens": 1024})
    assert "".join(stream) == "You said: think about it"
    assert fake.requests[-1]["body"]["thinking"]["budget_tokens"] == 1024
    assert fake.requests[-1]["body"]["stream"] is True
    assert stream.response.tokens["input"] > 0
    make(fake, "anthropic").chat("x", thinking={"type": "enabled", "budget_tokens": 10000})
    assert fake.requests[-1]["body"]["max_tokens"] == 14096  # above the thinking budget


def test_openai_stream_asks_for_usage(fake):
    stream = make(fake, "openai").stream("x")
    list(stream)
    body = fake.requests[-1]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert stream.response.tokens["input"] > 0


def test_openai_reasoning_models_get_max_completion_tokens_and_no_temperature(fake, capsys):
    response = make(fake, "openai", model="gpt-5-mini").chat("x", max_tokens=100, temperature=0.3)
    assert response.text == "You said: x"
    body = fake.requests[-1]["body"]
    assert body["max_completion_tokens"] == 100
    assert "max_tokens" not in body and "temperature" not in body
    assert "does not accept a temperature" in capsys.readouterr().err


def test_openai_compatible_local_server_needs_no_key():
    import httpx

    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={
            "id": "x", "object": "chat.completion", "model": "llama3.2",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "hey"}, "finish_reason": "stop"}],
        })

    client = OpenAIClient(model="llama3.2", base_url="http://localhost:11434/v1",
                          transport=httpx.MockTransport(handler))
    response = client.chat("hi", max_tokens=10)
    assert response.text == "hey"
    assert "authorization" not in seen[0].headers
    assert json.loads(seen[0].content)["max_tokens"] == 10
    assert response.tokens["output"] > 0  # no usage sent: estimated, not zero
    assert response.cost_usd == 0.0  # an unknown model on a local server costs nothing


def test_openai_on_openai_without_a_key_is_a_config_error():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIClient()


def test_openrouter_sends_attribution_and_records_the_provider_cost(fake, monkeypatch):
    monkeypatch.setenv("LLM_OPENROUTER_TITLE", "my-tool")
    reset_settings()
    response = make(fake, "openrouter", model="meta-llama/llama-3.1-70b-instruct").chat("hi")
    headers = {k.lower(): v for k, v in fake.requests[-1]["headers"].items()}
    assert headers["x-title"] == "my-tool"
    assert headers["http-referer"].startswith("https://")
    assert response.provider_cost_usd is not None and response.provider_cost_usd > 0
    assert response.cost_usd == pytest.approx(calculate_cost(response.tokens, response.model))


def test_openrouter_maps_another_providers_model_to_its_id(fake):
    client = make(fake, "openrouter", model="claude-haiku-4-5")
    client.chat("hi")
    assert fake.requests[-1]["body"]["model"] == "anthropic/claude-haiku-4.5"
    assert client.model_name == "claude-haiku-4-5"


def test_messages_form_and_system_messages(fake):
    history = [
        {"role": "system", "content": "be kind"},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "ok"},
    ]
    response = make(fake, "anthropic").chat("second", messages=history)
    body = fake.requests[-1]["body"]
    assert body["system"] == "be kind"
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert response.text == "You said: second"
    make(fake, "openai").chat(messages=history[1:], system="sys")
    assert fake.requests[-1]["body"]["messages"][0] == {"role": "system", "content": "sys"}


# ---------------------------------------------------------------- failures and retries


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_then_ok_is_retried_after_the_servers_delay(fake, provider):
    fake.set_scenario("429-then-ok")
    sleeps = []
    response = make(fake, provider, sleeps).chat("hi")
    assert response.text == "You said: hi"
    assert response.retries == 1
    assert sleeps == [0.01]  # retry-after-ms wins over retry-after
    assert len(fake.requests) == 2


@pytest.mark.parametrize("provider", PROVIDERS)
def test_500_until_retries_run_out(fake, provider):
    fake.set_scenario("500-always")
    sleeps = []
    with pytest.raises(InternalServerError) as info:
        make(fake, provider, sleeps, max_retries=3).chat("hi")
    assert len(fake.requests) == 4
    assert len(sleeps) == 3 and 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0
    assert info.value.exit_code == 6 and info.value.status_code == 500
    assert info.value.request_id and info.value.request_id in str(info.value)


def test_anthropic_overloaded_is_529(fake):
    fake.set_scenario("overloaded")
    with pytest.raises(OverloadedError) as info:
        make(fake, "anthropic", max_retries=0).chat("hi")
    assert info.value.status_code == 529 and "Overloaded" in str(info.value)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_401_is_not_retried_and_carries_the_providers_message(fake, provider):
    client = make(fake, provider, api_key="sk-wrong-key-000000000000")
    with pytest.raises(AuthenticationError) as info:
        client.chat("hi")
    assert len(fake.requests) == 1
    err = info.value
    assert err.exit_code == 4 and err.status_code == 401
    assert err.request_id and err.request_id in str(err)
    assert "sk-wrong-key-000000000000" not in str(err)


def test_missing_anthropic_version_is_rejected_by_the_fake(fake):
    import httpx

    r = httpx.post(fake.url("anthropic") + "/v1/messages", headers={"x-api-key": KEYS["anthropic"]},
                   json={"model": "claude-haiku-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 400 and "anthropic-version" in r.json()["error"]["message"]
    r = httpx.post(fake.url("anthropic") + "/v1/messages",
                   headers={"x-api-key": KEYS["anthropic"], "anthropic-version": "2023-06-01"},
                   json={"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 400 and r.json()["error"]["message"] == "max_tokens: Field required"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_html_body_is_a_response_format_error(fake, provider):
    fake.set_scenario("garbage")
    with pytest.raises(ResponseFormatError) as info:
        make(fake, provider).chat("hi")
    assert info.value.exit_code == 6 and "not JSON" in str(info.value)
    assert len(fake.requests) == 1
    fake.set_scenario("garbage")
    with pytest.raises(ResponseFormatError, match="event stream"):
        list(make(fake, provider).stream("hi"))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_cut_off_stream_is_a_response_format_error(fake, provider):
    fake.set_scenario("cut-off")
    stream = make(fake, provider).stream("one two three four five six")
    with pytest.raises(ResponseFormatError, match="cut off"):
        list(stream)
    assert stream.response is None


@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_mid_stream_after_output_is_not_retried(fake, provider):
    fake.set_scenario("mid-stream-error")
    stream = make(fake, provider).stream("a b c")
    got = []
    with pytest.raises(InternalServerError):
        for chunk in stream:
            got.append(chunk)
    assert got == ["You "]
    assert len(fake.requests) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_before_the_first_chunk_is_retried(fake, provider):
    fake.set_scenario("stream-error-then-ok")
    stream = make(fake, provider).stream("a b c")
    assert "".join(stream) == "You said: a b c"
    assert stream.response.retries == 1
    assert len(fake.requests) == 2


def test_timeout_and_connection_errors(fake):
    fake.set_scenario("slow")
    fake.delay = 1.0
    with pytest.raises(APITimeoutError) as info:
        make(fake, "anthropic", timeout=0.2, max_retries=0).chat("hi")
    assert info.value.exit_code == 7
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps = []
    with pytest.raises(APIConnectionError, match=r"cannot reach http://127\.0\.0\.1"):
        make(fake, "openai", sleeps, base_url=f"http://127.0.0.1:{port}/v1", max_retries=1).chat("hi")
    assert len(sleeps) == 1


def test_unknown_model_passes_through_with_one_warning(fake, capsys):
    client = make(fake, "anthropic", model="claude-nonexistent-9")
    make(fake, "anthropic", model="claude-nonexistent-9")
    err = capsys.readouterr().err
    assert err.count("claude-nonexistent-9") == 1 and err.startswith("Warning:")
    with pytest.raises(NotFoundError) as info:
        client.chat("hi")
    assert fake.requests[-1]["body"]["model"] == "claude-nonexistent-9"
    assert info.value.exit_code == 5


# ---------------------------------------------------------------- telemetry


def test_every_call_is_recorded_success_and_failure(fake):
    client = make(fake, "anthropic", agent_name="tester")
    client.chat("hi", operation="greet", metadata={"ticket": "T-1"})
    fake.set_scenario("429-then-ok")
    list(client.stream("again"))
    fake.set_scenario("500-always")
    with pytest.raises(InternalServerError):
        client.chat("boom")
    records = telemetry_records()
    assert len(records) == 3
    ok, streamed, failed = records
    assert ok["success"] and ok["agent_name"] == "tester" and ok["operation"] == "greet"
    assert ok["metadata"]["ticket"] == "T-1" and ok["metadata"]["error"] is None
    assert ok["request_id"].startswith("req_") and ok["retries"] == 0 and ok["stream"] is False
    assert ok["cost_usd"] > 0 and ok["tokens"]["input"] > 0
    assert streamed["stream"] is True and streamed["retries"] == 1
    assert streamed["time_to_first_token_ms"] is not None
    assert not failed["success"] and "InternalServerError" in failed["metadata"]["error"]
    assert failed["retries"] == 2 and failed["request_id"].startswith("req_")


def test_an_unfinished_stream_is_recorded(fake):
    stream = make(fake, "openai").stream("one two three four")
    next(stream)
    stream.close()
    (record,) = telemetry_records()
    assert record["success"] is False and "closed" in record["metadata"]["error"]


def test_a_broken_telemetry_layer_never_breaks_the_call(fake, monkeypatch):
    import llm_core.telemetry

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(llm_core.telemetry, "record_call", explode)
    assert make(fake, "anthropic").chat("hi").text == "You said: hi"


def test_the_api_key_is_never_written_anywhere(fake, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LLM_STORE_PROMPTS", "true")
    monkeypatch.setenv("LLM_STORE_RESPONSES", "true")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-key-987654321")
    reset_settings()
    bad = AnthropicClient(base_url=fake.url("anthropic"), sleep=lambda s: None)
    with pytest.raises(AuthenticationError) as info:
        bad.chat("hi")
    assert "sk-ant-secret-key-987654321" not in repr(bad) + str(info.value) + repr(info.value.__dict__)
    make(fake, "anthropic").chat("hi")
    telemetry_records()
    for path in Path(tmp_path).rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert KEYS["anthropic"] not in text and "sk-ant-secret-key-987654321" not in text, path
    assert "sk-ant-secret" not in capsys.readouterr().err


# ---------------------------------------------------------------- prompt caching


def test_cache_markers_and_cache_tokens_flow_into_cost(fake):
    from llm_core.utils.cache import PromptCache

    long_system = "Rules of the house. " * 400  # ~2,000 tokens
    client = make(fake, "anthropic", model="claude-sonnet-4-6", cache=PromptCache(min_tokens=1024))
    first = client.chat("q1", system=long_system)
    system = fake.requests[-1]["body"]["system"]
    assert system[-1]["cache_control"] == {"type": "ephemeral"}
    second = client.chat("q2", system=long_system)
    assert first.tokens["cache_write"] > 1000 and first.tokens["cache_read"] == 0
    assert second.tokens["cache_read"] == first.tokens["cache_write"]
    assert second.cost_usd < first.cost_usd
    assert second.cost_usd == pytest.approx(calculate_cost(second.tokens, "claude-sonnet-4-6"))


# ---------------------------------------------------------------- echo


def test_echo_answers_with_its_input_offline_and_free():
    response = EchoClient().chat("hello pipeline")
    assert response.text == "hello pipeline" and response.cost_usd == 0.0
    assert response.tokens["input"] > 0 and response.tokens["output"] > 0
    stream = EchoClient().stream("a b c", max_tokens=2)
    assert "".join(stream) == stream.response.text
    assert stream.response.stop_reason == "max_tokens"
    first, _ = telemetry_records()
    assert first["provider"] == "echo" and first["cost_usd"] == 0.0


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "Bad Gateway (an HTML page"),
        (404, b'{"error": "model \'llama9\' not found"}', "model 'llama9' not found"),
        (400, b'{"object": "error", "message": "bad max_tokens"}', "bad max_tokens"),
        (500, b"upstream exploded", "upstream exploded"),
    ],
)
def test_error_bodies_of_other_servers_give_a_readable_message(status, content, expected):
    import httpx

    from llm_core.errors import APIError

    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=content))
    client = OpenAIClient(model="llama9", base_url="http://localhost:8000/v1", transport=transport,
                          max_retries=0)
    with pytest.raises(APIError) as info:
        client.chat("hi")
    assert expected in str(info.value) and f"HTTP {status}" in str(info.value)
    assert "\n" not in str(info.value)


def test_llm_timeout_and_the_connect_timeout(fake, monkeypatch):
    monkeypatch.setenv("LLM_TIMEOUT", "0.3")
    reset_settings()
    fake.set_scenario("slow")
    fake.delay = 1.5
    client = make(fake, "openai", max_retries=0)
    # LLM_TIMEOUT bounds the whole attempt, so connecting too (5 s when it is longer)
    assert client._client().timeout.connect == 0.3 and client._client().timeout.read == 0.3
    with pytest.raises(APITimeoutError, match="timed out"):
        client.chat("hi")
    fake.set_scenario("ok")
    assert client.chat("hi", timeout=5).text == "You said: hi"  # per call


def test_unknown_model_warning_suggests_close_names(fake, capsys):
    make(fake, "anthropic", model="claude-haiku-4-6")
    err = capsys.readouterr().err
    assert "did you mean" in err and "claude-haiku-4-5" in err


def test_a_server_that_ignores_stream_still_streams_its_whole_answer():
    import httpx

    def handler(request):
        assert json.loads(request.content)["stream"] is True
        return httpx.Response(200, json={
            "id": "x", "object": "chat.completion", "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "whole"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
        })

    client = OpenAIClient(model="m", base_url="http://localhost:1234/v1", transport=httpx.MockTransport(handler))
    stream = client.stream("hi")
    assert list(stream) == ["whole"]
    assert stream.response.tokens["input"] == 3 and stream.response.time_to_first_token_ms is not None


def test_openrouter_sends_max_tokens_and_temperature_for_every_model(fake):
    make(fake, "openrouter", model="openai/gpt-5-mini").chat("x", max_tokens=20, temperature=0.4)
    body = fake.requests[-1]["body"]
    assert body["max_tokens"] == 20 and body["temperature"] == 0.4
    assert "max_completion_tokens" not in body


def test_a_client_is_a_context_manager_that_closes_its_connections(fake):
    with make(fake, "anthropic") as client:
        assert client.chat("hi").text == "You said: hi"
        assert client._http is not None
    assert client._http is None
    with EchoClient() as echo:
        assert echo.chat("x").text == "x"


def test_a_per_call_model_is_sent_and_priced(fake):
    client = make(fake, "anthropic")
    response = client.chat("hi", model="claude-sonnet-4-6")
    assert fake.requests[-1]["body"]["model"] == "claude-sonnet-4-6"
    assert response.model == "claude-sonnet-4-6"
    assert response.cost_usd == pytest.approx(calculate_cost(response.tokens, "claude-sonnet-4-6"))
    assert response.cost_usd != pytest.approx(calculate_cost(response.tokens, "claude-haiku-4-5"))
