"""What the API returned is kept in the LLMResponse (issue 11 item 5): refusals with a flag,
tool calls as data (streamed deltas assembled), service tier and inference geo, request id.
Against the fake provider, both providers' wire formats, streamed and not."""

from __future__ import annotations

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.clients.openai_client import OpenAIClient
from llm_core.clients.openrouter_client import OpenRouterClient

CLIENTS = {"anthropic": (AnthropicClient, "claude-sonnet-4-5"), "openai": (OpenAIClient, "gpt-4o-mini"),
           "openrouter": (OpenRouterClient, "openai/gpt-4o-mini")}
REFUSAL = "I'm sorry, but I can't help with that."


@pytest.fixture(scope="module")
def fake():
    with FakeProvider() as server:
        yield server


def ask(fake, provider, scenario, stream):
    cls, model = CLIENTS[provider]
    fake.set_scenario(scenario)
    client = cls(model, api_key=KEYS[provider], base_url=fake.url(provider), sleep=lambda s: None)
    if not stream:
        return client.chat("hi")
    with client.stream("hi") as chunks:
        text = "".join(chunks)
    assert text == chunks.response.text
    return chunks.response


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_a_refusal_is_text_with_a_flag(fake, provider, stream):
    response = ask(fake, provider, "refusal", stream)
    assert (response.text, response.refusal) == (REFUSAL, True)
    assert response.stop_reason == ("refusal" if provider == "anthropic" else "stop")
    assert response.to_dict()["refusal"] is True


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_an_answer_is_not_a_refusal(fake, provider, stream):
    response = ask(fake, provider, "ok", stream)
    assert (response.refusal, response.tool_calls) == (False, [])
    assert response.request_id


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_tool_calls_are_kept_as_data(fake, provider, stream):
    response = ask(fake, provider, "tool-call", stream)
    call_id = "call_fake1"
    assert response.tool_calls == [
        {"id": call_id, "name": "get_weather", "arguments": '{"city": "Paris"}', "input": {"city": "Paris"}}
    ]
    assert response.stop_reason == ("tool_use" if provider == "anthropic" else "tool_calls")
    assert response.text == ("Let me check." if provider == "anthropic" else "")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", list(CLIENTS))
def test_service_tier_is_kept(fake, provider, stream):
    response = ask(fake, provider, "tool-call" if provider != "anthropic" else "ok", stream)
    assert response.service_tier == ("standard" if provider == "anthropic" else "default")
