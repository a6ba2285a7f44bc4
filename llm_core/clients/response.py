"""What a call is and what it returns: LLMResponse, ChatStream, the provider-independent
request (Call) and answer (Result), and the helpers the provider clients share (tool_call,
content_text, prompt_text, whole_text). The life cycle that uses them is base.py.

This module imports nothing of llm-core's but llm_core.records.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from llm_core.records import normalize_tokens

__all__ = [
    "TOKEN_KEYS", "Call", "ChatStream", "LLMResponse", "Result", "complete_tokens", "content_text",
    "empty_tokens", "noop", "prompt_text", "tool_call", "whole_text",
]

TOKEN_KEYS = ("input", "output", "total", "cache_read", "cache_write", "reasoning")


@dataclass
class LLMResponse:
    """The answer to one call. Tokens follow llm-core's convention: `input` excludes cache
    reads and writes, `output` includes reasoning, `total` is the sum of all four.

    What the API returned is kept: `refusal` is True when the model refused (OpenAI's
    `refusal` field, whose text is then `text`; Anthropic's stop_reason "refusal");
    `tool_calls` are the tool_use blocks / tool calls as data, each
    `{"id", "name", "arguments": the JSON text, "input": it parsed, or None}`;
    `service_tier` and `inference_geo` are what the provider says served the call (they
    choose the price)."""

    text: str
    model: str
    provider: str
    tokens: dict[str, int] = field(default_factory=dict)
    cost_usd: float | None = None
    duration_ms: int = 0
    time_to_first_token_ms: int | None = None
    stop_reason: str | None = None
    request_id: str | None = None
    retries: int = 0
    provider_cost_usd: float | None = None
    refusal: bool = False
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    service_tier: str | None = None
    inference_geo: str | None = None

    @property
    def input_tokens(self) -> int:
        return self.tokens.get("input", 0)

    @property
    def output_tokens(self) -> int:
        return self.tokens.get("output", 0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def empty_tokens() -> dict[str, int]:
    return dict.fromkeys(TOKEN_KEYS, 0)


def complete_tokens(tokens: dict[str, Any] | None) -> dict[str, int]:
    """records.normalize_tokens with `total` recounted, and `reasoning` always present."""
    out = normalize_tokens(tokens, recount_total=True)
    out.setdefault("reasoning", 0)
    return out


@dataclass
class Call:
    """One resolved request, whatever the provider."""

    model: str  # the id sent to the API
    model_name: str  # the registry id (for prices and telemetry)
    system: Any
    messages: list[dict[str, Any]]
    stream: bool
    max_tokens: int | None = None
    temperature: float | None = None
    stop: list[str] | None = None
    timeout: float | None = None
    metadata: dict[str, Any] | None = None
    labels: dict[str, Any] = field(default_factory=dict)
    cache: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    prompt_text: str = ""
    max_cost: float | None = None
    reservation: str | None = None  # the budget reservation to settle once recorded


@dataclass
class Result:
    """What a provider answered; filled in as a stream goes."""

    text: str = ""
    usage: dict[str, int] = field(default_factory=empty_tokens)
    stop_reason: str | None = None
    model: str | None = None
    request_id: str | None = None
    provider_cost_usd: float | None = None
    done: bool = False
    first_token_at: float | None = None
    refusal: bool = False
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    service_tier: str | None = None
    inference_geo: str | None = None


class ChatStream:
    """Iterator of text chunks; `.response` holds the LLMResponse once the stream ended.

    Use it as a context manager (or call close()) when you may stop early: the call is then
    recorded as unfinished."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self.response: LLMResponse | None = None
        self.interrupted = False
        self._chunks = chunks

    def __iter__(self) -> ChatStream:
        return self

    def __next__(self) -> str:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.interrupted = exc_type is not None and issubclass(exc_type, KeyboardInterrupt)
        self.close()


def noop() -> None:
    return None


def whole_text(result: Result) -> Iterator[str]:
    """The chunks of an answer that came whole (a server that ignored "stream")."""
    if result.text:
        result.first_token_at = time.perf_counter()
        yield result.text


def tool_call(call_id: Any, name: Any, arguments: Any) -> dict[str, Any]:
    """One tool call as llm-core keeps it; `arguments` a JSON text or already an object."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        parsed = None  # kept as sent: a model may stop mid-arguments (max_tokens)
    return {"id": call_id, "name": name, "arguments": text, "input": parsed}


def content_text(content: Any) -> str:
    """The text of a message's content: a string or a list of blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return "" if content is None else str(content)


def prompt_text(system: Any, messages: list[dict[str, Any]]) -> str:
    """The text that identifies a request (hashed in telemetry; stored only on opt-in)."""
    parts = [content_text(system)] if system else []
    parts += [content_text(m.get("content")) for m in messages]
    return "\n\n".join(parts)
