"""Anthropic's Messages API (`POST /v1/messages`), JSON and server-sent events.

    client = AnthropicClient(model="claude-haiku-4-5")      # ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL
    client.chat("Hello", system="Be brief", max_tokens=100)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from llm_core.clients._http import ANTHROPIC_API_VERSION, max_response_bytes, parse_json
from llm_core.clients.base import Call, Result, content_text, tool_call
from llm_core.clients.http_client import HTTPClient
from llm_core.clients.sse import iter_sse
from llm_core.errors import ConfigError
from llm_core.models.pricing import usage_from_anthropic

DEFAULT_MAX_TOKENS = 8192

# The HTTP status each error type is sent with; used for errors that arrive inside a stream.
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


def usage_to_tokens(usage: dict[str, Any]) -> dict[str, Any]:
    """Anthropic usage -> llm-core tokens (input already excludes cache reads and writes)."""
    # Anthropic counts thinking inside output_tokens and reports no separate figure.
    return {"reasoning": 0, **usage_from_anthropic(usage)}


class AnthropicClient(HTTPClient):
    provider = "anthropic"
    display_name = "Anthropic"
    default_base_url = "https://api.anthropic.com"
    api_key_env = "ANTHROPIC_API_KEY"

    def __init__(self, model: str | None = None, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        if not self._api_key:
            raise ConfigError("no Anthropic API key: set ANTHROPIC_API_KEY")

    def _url(self, call: Call) -> str:
        return f"{self.base_url}/v1/messages"

    def _headers(self, call: Call) -> dict[str, str]:
        return {
            "x-api-key": self._api_key or "",
            "anthropic-version": ANTHROPIC_API_VERSION,
            "content-type": "application/json",
            "accept": "text/event-stream" if call.stream else "application/json",
        }

    def _default_max_tokens(self, call: Call) -> int:
        info = self.model_info or {}
        limit = int(info.get("max_output") or DEFAULT_MAX_TOKENS)
        wanted = DEFAULT_MAX_TOKENS
        thinking = call.extra.get("thinking")
        if isinstance(thinking, dict) and isinstance(thinking.get("budget_tokens"), int):
            # The API requires max_tokens > the thinking budget; leave room for the answer.
            wanted = max(wanted, thinking["budget_tokens"] + 4096)
        return min(limit, wanted)

    def _output_ceiling(self, call: Call) -> int:
        return call.max_tokens or self._default_max_tokens(call)

    def _body(self, call: Call) -> dict[str, Any]:
        system = call.system
        messages = []
        for message in call.messages:
            if message.get("role") == "system":
                extra = message.get("content")
                system = _join_system(system, extra)
            else:
                messages.append(message)
        if call.cache:
            # Imported here for start-up: only cached calls need it (1-6 ms).
            from llm_core.utils.cache import PromptCache

            cache = call.cache if isinstance(call.cache, PromptCache) else PromptCache()
            system, messages = cache.apply(system, messages, model=call.model_name)
        body: dict[str, Any] = {
            "model": call.model,
            "max_tokens": call.max_tokens or self._default_max_tokens(call),
            "messages": messages,
        }
        if system:
            body["system"] = system
        if call.temperature is not None:
            body["temperature"] = call.temperature
        if call.stop:
            body["stop_sequences"] = call.stop
        if call.stream:
            body["stream"] = True
        body.update(call.extra)
        return body

    def _parse(self, call: Call, data: Any, result: Result) -> None:
        if data.get("type") == "error":
            raise self._stream_error(data, result)
        if data.get("type") != "message" or not isinstance(data.get("content"), list):
            raise self._errors.format_error(
                "the answer is not a message object", request_id=result.request_id
            )
        result.text = "".join(b.get("text", "") for b in data["content"] if b.get("type") == "text")
        result.tool_calls = [
            tool_call(b.get("id"), b.get("name"), b.get("input"))
            for b in data["content"] if b.get("type") == "tool_use"
        ]
        self._take_usage(data.get("usage") or {}, result)
        self._take_stop(data.get("stop_reason"), result)
        result.model = data.get("model")

    @staticmethod
    def _take_usage(usage: dict[str, Any], result: Result) -> None:
        result.usage = usage_to_tokens(usage)
        result.service_tier = usage.get("service_tier") or result.service_tier
        result.inference_geo = usage.get("inference_geo") or result.inference_geo

    @staticmethod
    def _take_stop(reason: str | None, result: Result) -> None:
        result.stop_reason = reason or result.stop_reason
        result.refusal = result.stop_reason == "refusal"

    def _events(self, call: Call, lines: Iterator[str], result: Result) -> Iterator[str]:
        usage: dict[str, Any] = {}
        tools: dict[Any, list[Any]] = {}  # content block index -> [id, name, JSON pieces]
        for event in iter_sse(lines, max_response_bytes()):
            kind = event.event
            if kind == "ping" or not event.data:
                continue
            data = parse_json(event.data)
            kind = kind or data.get("type")
            if kind == "error":
                raise self._stream_error(data, result)
            if kind == "message_start":
                message = data["message"]
                result.model = message.get("model")
                usage.update(message.get("usage") or {})
                self._take_usage(usage, result)
            elif kind == "content_block_start":
                block = data.get("content_block") or {}
                if block.get("type") == "text" and block.get("text"):
                    yield block["text"]
                elif block.get("type") == "tool_use":
                    tools[data.get("index")] = [block.get("id"), block.get("name"), []]
            elif kind == "content_block_delta":
                delta = data["delta"]
                # thinking_delta, signature_delta, input_json_delta, citations_delta: not text
                if delta.get("type") == "input_json_delta" and data.get("index") in tools:
                    tools[data["index"]][2].append(delta.get("partial_json") or "")
                elif delta.get("type") == "text_delta":
                    yield delta["text"]
            elif kind == "content_block_stop" and data.get("index") in tools:
                call_id, name, parts = tools.pop(data["index"])
                result.tool_calls.append(tool_call(call_id, name, "".join(parts)))
            elif kind == "message_delta":
                self._take_stop((data.get("delta") or {}).get("stop_reason"), result)
                # Counts here are cumulative; absent ones keep their message_start value.
                usage.update({k: v for k, v in (data.get("usage") or {}).items() if v is not None})
                self._take_usage(usage, result)
            elif kind == "message_stop":
                result.done = True
                return

    def _stream_error(self, data: dict[str, Any], result: Result) -> Exception:
        """An `error` event (mid-stream, or a 200 body of type "error")."""
        message, error_type = self._error_details(data)
        return self._errors.body_error(
            ERROR_STATUS.get(error_type or "", 500), message or "error event", error_type,
            data.get("request_id") or result.request_id, data,
        )


def _join_system(system: Any, extra: Any) -> Any:
    if not system:
        return extra
    if isinstance(system, str) and isinstance(extra, str):
        return f"{system}\n\n{extra}"
    blocks = system if isinstance(system, list) else [{"type": "text", "text": content_text(system)}]
    more = extra if isinstance(extra, list) else [{"type": "text", "text": content_text(extra)}]
    return [*blocks, *more]
