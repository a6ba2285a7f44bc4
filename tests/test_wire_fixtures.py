"""The official SDKs' own recorded streams and bodies, replayed byte for byte (issue 11).

Every file under tests/fixtures/ (see PROVENANCE.md there) is served verbatim by the fake
provider, whole, one byte per read, and split at random places, to the client of its API:
anthropic streams to AnthropicClient, openai chat-completion streams and bodies to OpenAIClient
and OpenRouterClient. The expected text, tokens and stop reason are worked out here from the
fixture's own JSON (read line by line, not with llm_core's decoder), and, where the SDK's test
asserts them, checked against those assertions too.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.clients.openai_client import OpenAIClient
from llm_core.clients.openrouter_client import OpenRouterClient

FIXTURES = Path(__file__).parent / "fixtures"
ANTHROPIC_STREAMS = sorted([*(FIXTURES / "anthropic").glob("streaming/*.txt"), *(FIXTURES / "anthropic").glob("fable-fallback/*.sse")])
OPENAI_BODIES = sorted((FIXTURES / "openai" / "chat_completions").glob("*.json"))
OPENAI_STREAMS = sorted((FIXTURES / "openai" / "streams").glob("*.sse"))
MODELS = {"anthropic": "claude-sonnet-4-5", "openai": "gpt-4o-mini", "openrouter": "openai/gpt-4o-mini"}
CLASSES = {"anthropic": AnthropicClient, "openai": OpenAIClient, "openrouter": OpenRouterClient}
TOKEN_KEYS = ("input", "output", "cache_read", "cache_write")

# What anthropic-sdk-python's tests/lib/streaming/test_messages.py asserts on these files.
ANTHROPIC_SDK_ASSERTS = {
    "basic_response.txt": {"text": "Hello there!", "stop": "end_turn", "input": 11, "output": 6},
    "unknown_events_response.txt": {"text": "Hello there!", "stop": "end_turn", "input": 11, "output": 6},
    "tool_use_response.txt": {
        "text": "I'll check the current weather in Paris for you.", "stop": "tool_use",
        "input": 377, "output": 65, "cache_read": 0, "cache_write": 0,
    },
    "refusal_response.txt": {"stop": "refusal"},
    "message_delta_fields_response.txt": {"input": 40, "output": 8, "cache_read": 7, "cache_write": 12},
    "message_delta_omitted_usage_response.txt": {"input": 25, "output": 8, "cache_read": 5, "cache_write": 10},
}


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def chunkings(body: bytes) -> dict[str, list[bytes]]:
    """The ways a body is cut into reads: whole, one byte each, and two random cuttings."""
    ways = {"whole": [body], "bytes": [body[i : i + 1] for i in range(len(body))]}
    for seed in (1, 2):
        rng = random.Random(seed * 7919 + len(body))
        cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, 40)))
        ways[f"random{seed}"] = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    return ways


CHUNKINGS = ["whole", "bytes", "random1", "random2"]


def data_lines(body: bytes) -> list[tuple[str | None, dict]]:
    """(event name, JSON) of each event; these fixtures put one data line in each event."""
    out, name = [], None
    for line in body.decode().split("\n"):
        if line.startswith("event:"):
            name = line[len("event:"):].strip()
        elif line.startswith("data:") and line[len("data:"):].strip() != "[DONE]":
            out.append((name, json.loads(line[len("data:"):])))
        elif not line:
            name = None
    return out


def anthropic_expected(body: bytes) -> dict:
    text, stop, usage = "", None, {}
    for name, data in data_lines(body):
        kind = data.get("type")
        if name not in (None, kind) and name != "ping":
            continue  # "event: message" around a future event type: not one we know
        if kind == "message_start":
            usage.update(data["message"]["usage"])
        elif kind == "content_block_start" and data["content_block"]["type"] == "text":
            text += data["content_block"]["text"]
        elif kind == "content_block_delta" and data["delta"]["type"] == "text_delta":
            text += data["delta"]["text"]
        elif kind == "message_delta":
            stop = data["delta"].get("stop_reason") or stop
            usage.update({k: v for k, v in (data.get("usage") or {}).items() if v is not None})
    tokens = {
        "input": usage.get("input_tokens") or 0, "output": usage.get("output_tokens") or 0,
        "cache_read": usage.get("cache_read_input_tokens") or 0,
        "cache_write": usage.get("cache_creation_input_tokens") or 0,
    }
    return {"text": text, "stop": stop, "tokens": tokens}


def openai_tokens(usage: dict) -> dict:
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    return {"input": usage["prompt_tokens"] - cached, "output": usage["completion_tokens"],
            "cache_read": cached, "cache_write": 0}


def openai_stream_expected(body: bytes) -> dict:
    text, stop, usage = "", None, None
    for _, data in data_lines(body):
        usage = data.get("usage") or usage
        for choice in data.get("choices") or ():
            if choice.get("index", 0) == 0:  # the clients answer with the first choice
                delta = choice.get("delta") or {}
                text += (delta.get("refusal") or "") + (delta.get("content") or "")
                stop = choice.get("finish_reason") or stop
    return {"text": text, "stop": stop, "tokens": openai_tokens(usage) if usage else None}


def openai_body_expected(body: bytes) -> dict:
    data = json.loads(body)
    choice = data["choices"][0]
    # a refusal is the answer's text (with the refusal flag)
    return {"text": choice["message"]["content"] or choice["message"].get("refusal") or "", "stop": choice["finish_reason"],
            "tokens": openai_tokens(data["usage"])}


@pytest.fixture(scope="module")
def _server():
    with FakeProvider() as server:
        yield server


@pytest.fixture
def fake(_server):
    """One server for the file's 200-odd replays (each test sets what it replays), with no
    request seen yet."""
    _server.requests.clear()
    return _server


def client(fake, provider):
    return CLASSES[provider](MODELS[provider], api_key=KEYS[provider], base_url=fake.url(provider), sleep=lambda s: None)


def streamed(fake, provider, pieces, content_type="text/event-stream"):
    fake.requests.clear()
    fake.replay(pieces, content_type)
    with client(fake, provider).stream("hi") as stream:
        text = "".join(stream)
    assert len(fake.requests) == 1  # replayed once, never retried
    return text, stream.response


def check(response, text, expected):
    assert text == response.text == expected["text"]
    assert response.stop_reason == expected["stop"]
    if expected["tokens"] is not None:
        assert {k: response.tokens[k] for k in TOKEN_KEYS} == expected["tokens"]


# ---------------------------------------------------------------- anthropic streams


def test_there_are_at_least_twenty_recorded_streams_and_bodies():
    assert len(ANTHROPIC_STREAMS) == 19 and len(OPENAI_BODIES) == 14 and len(OPENAI_STREAMS) == 9


@pytest.mark.parametrize("how", CHUNKINGS)
@pytest.mark.parametrize("path", ANTHROPIC_STREAMS, ids=_name)
def test_anthropic_stream(fake, path, how):
    body = path.read_bytes()
    text, response = streamed(fake, "anthropic", chunkings(body)[how])
    expected = anthropic_expected(body)
    check(response, text, expected)
    sdk = ANTHROPIC_SDK_ASSERTS.get(path.name, {})
    assert {k: v for k, v in {"text": text, "stop": response.stop_reason, **response.tokens}.items() if k in sdk} == sdk


def test_the_expected_values_are_not_vacuous():
    """The derivation above finds text, stop reasons and tokens in these files."""
    found = [anthropic_expected(p.read_bytes()) for p in ANTHROPIC_STREAMS]
    assert sum(bool(e["text"]) for e in found) >= 15 and all(e["stop"] for e in found)
    assert sum(e["tokens"]["cache_read"] > 0 for e in found) >= 2
    assert {e["stop"] for e in found} >= {"end_turn", "tool_use", "refusal"}


REFUSALS = ["streaming/refusal_response.txt", "fable-fallback/stream-a-refusal.sse",
            "fable-fallback/stream-a-toolrefusal.sse"]


@pytest.mark.parametrize("name", REFUSALS)
def test_anthropic_refusal_is_flagged(fake, name):
    _, response = streamed(fake, "anthropic", [(FIXTURES / "anthropic" / name).read_bytes()])
    assert response.refusal is True


TOOL_USE = ["streaming/tool_use_response.txt", "streaming/tool_use_invalid_json_response.txt"]


@pytest.mark.parametrize("name", TOOL_USE)
def test_anthropic_tool_use_is_kept(fake, name):
    _, response = streamed(fake, "anthropic", [(FIXTURES / "anthropic" / name).read_bytes()])
    assert [c["name"] for c in response.tool_calls] == ["get_weather"]


def test_anthropic_service_tier_and_geo_are_kept(fake):
    _, priority = streamed(fake, "anthropic", [(FIXTURES / "anthropic/streaming/message_delta_omitted_usage_response.txt").read_bytes()])
    _, geo = streamed(fake, "anthropic", [(FIXTURES / "anthropic/fable-fallback/stream-b-fallback.sse").read_bytes()])
    assert (priority.service_tier, geo.inference_geo) == ("priority", "global")


# ---------------------------------------------------------------- openai chat completions


@pytest.mark.parametrize("how", CHUNKINGS)
@pytest.mark.parametrize("provider", ["openai", "openrouter"])
@pytest.mark.parametrize("path", OPENAI_STREAMS, ids=_name)
def test_openai_stream(fake, path, provider, how):
    body = path.read_bytes()
    text, response = streamed(fake, provider, chunkings(body)[how])
    check(response, text, openai_stream_expected(body))


@pytest.mark.parametrize("provider", ["openai", "openrouter"])
@pytest.mark.parametrize("path", OPENAI_BODIES, ids=_name)
def test_openai_body(fake, path, provider):
    body = path.read_bytes()
    fake.replay(chunkings(body)["random1"], "application/json")
    response = client(fake, provider).chat("hi")
    assert len(fake.requests) == 1
    check(response, response.text, openai_body_expected(body))


@pytest.mark.parametrize("provider", ["openai", "openrouter"])
@pytest.mark.parametrize("path", OPENAI_BODIES[:3], ids=_name)
def test_openai_body_answering_a_stream_request(fake, path, provider):
    """A server that ignores "stream": true sends the whole body; the client takes it."""
    body = path.read_bytes()
    text, response = streamed(fake, provider, chunkings(body)["bytes"], "application/json")
    check(response, text, openai_body_expected(body))


def test_openai_sdk_asserted_values(fake):
    """What openai-python's tests assert on two of these bodies and one stream."""
    fake.replay((FIXTURES / "openai/chat_completions/test_parse_max_tokens_reached.json").read_bytes(), "application/json")
    response = client(fake, "openai").chat("hi")
    assert (response.stop_reason, response.text) == ("length", '{"')
    fake.replay((FIXTURES / "openai/chat_completions/test_parse_nothing.json").read_bytes(), "application/json")
    response = client(fake, "openai").chat("hi")
    assert response.text.startswith("I'm unable to provide real-time weather updates.")
    assert (response.tokens["input"], response.tokens["output"]) == (14, 37)
    _, response = streamed(fake, "openai", [(FIXTURES / "openai/streams/test_content_filter-after_content.sse").read_bytes()])
    assert (response.text, response.stop_reason) == ('{"value": "example', "content_filter")


@pytest.mark.parametrize("provider", ["openai", "openrouter"])
def test_openai_refusal_is_kept(fake, provider):
    body = (FIXTURES / "openai/chat_completions/test_parse_pydantic_model_refusal.json").read_bytes()
    fake.replay(body, "application/json")
    response = client(fake, provider).chat("hi")
    assert (response.text, response.refusal) == ("I'm very sorry, but I can't assist with that.", True)


TOOL_BODIES = [p for p in OPENAI_BODIES if json.loads(p.read_bytes())["choices"][0]["message"].get("tool_calls")]
TOOL_STREAMS = [p for p in OPENAI_STREAMS if "tool_call" in p.name]


@pytest.mark.parametrize("path", TOOL_BODIES + TOOL_STREAMS, ids=_name)
def test_openai_tool_calls_are_kept(fake, path):
    body = path.read_bytes()
    if path.suffix == ".json":
        fake.replay(body, "application/json")
        response = client(fake, "openai").chat("hi")
        wanted = [c["function"]["name"] for c in json.loads(body)["choices"][0]["message"]["tool_calls"]]
    else:
        _, response = streamed(fake, "openai", [body])
        # new_choice: the call comes in choice 1; the clients answer with choice 0 (as for text)
        wanted = [] if "new_choice" in path.name else ["list_files"]
        if wanted:
            assert response.tool_calls[-1] == {"id": "call_files", "name": "list_files", "arguments": '{"path": "."}', "input": {"path": "."}}
        assert response.stop_reason == ("tool_calls" if wanted else None)
    assert [c["name"] for c in response.tool_calls][len(response.tool_calls) - len(wanted):] == wanted


# ---------------------------------------------------------------- framing through the clients


def _anthropic_stream(text: str, ending: bytes = b"\n\n") -> bytes:
    events = [
        ("message_start", {"type": "message_start", "message": {"type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "usage": {"input_tokens": 3, "output_tokens": 1}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    frames = [f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}".encode() for name, data in events]
    return b"\n\n".join(frames) + ending


def _openai_stream(text: str, ending: bytes = b"\n\n") -> bytes:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini",
             "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\ndata: [DONE]".encode() + ending


def _stream_for(provider: str, text: str, ending: bytes = b"\n\n") -> bytes:
    return (_anthropic_stream if provider == "anthropic" else _openai_stream)(text, ending)


@pytest.mark.parametrize("ending", [b"", b"\n", b"\r\n", b"\r"])
@pytest.mark.parametrize("provider", list(CLASSES))
def test_a_last_event_without_its_blank_line_ends_the_stream(fake, provider, ending):
    """issue 11 item 5: the SDKs accept it; it was reported "cut off"."""
    body = _stream_for(provider, "Hello", ending)
    for how in ("whole", "bytes"):
        text, response = streamed(fake, provider, chunkings(body)[how])
        assert (text, response.stop_reason, response.tokens["output"]) == ("Hello", "end_turn" if provider == "anthropic" else "stop", 2)


@pytest.mark.parametrize("provider", list(CLASSES))
def test_multi_byte_characters_split_across_reads(fake, provider):
    body = _stream_for(provider, "日本語 🎉 известни")
    text, _ = streamed(fake, provider, chunkings(body)["bytes"])
    assert text == "日本語 🎉 известни"


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
@pytest.mark.parametrize("provider", list(CLASSES))
def test_unicode_line_separators_inside_json_strings(fake, provider, char):
    """Both SDKs have this regression test; iter_lines() split the JSON string in two."""
    body = _stream_for(provider, f"a{char}b")
    text, _ = streamed(fake, provider, [body])
    assert text == f"a{char}b"
