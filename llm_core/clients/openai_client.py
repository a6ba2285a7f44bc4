"""OpenAI Chat Completions (`POST {base}/chat/completions`), and any server that speaks it
(Ollama, llama.cpp, vLLM, LM Studio): point OPENAI_BASE_URL at it; no key needed there.

    client = OpenAIClient(model="gpt-4.1-mini")              # OPENAI_API_KEY, OPENAI_BASE_URL
    client = OpenAIClient(model="llama3.2", base_url="http://localhost:11434/v1")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from llm_core.clients._http import is_local_address, max_response_bytes, parse_json
from llm_core.clients.http_client import HTTPClient
from llm_core.clients.response import Call, Result, content_text, tool_call
from llm_core.clients.sse import iter_sse
from llm_core.config import get_settings, redact
from llm_core.errors import ConfigError, warn
from llm_core.models.pricing import usage_from_openai

OPENAI_BASE_URL = "https://api.openai.com/v1"
# Reasoning models take max_completion_tokens and reject temperature and stop.
_REASONING = re.compile(r"^(?:[\w.-]+/)?(?:o\d+(?:-|$)|gpt-(?:[5-9]|\d\d)(?!.*-chat))")

_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "rate_limit_exceeded": 429,
    "rate_limit_error": 429,
    "insufficient_quota": 429,
    "server_error": 500,
    "timeout": 504,
}


def usage_to_tokens(usage: dict[str, Any]) -> dict[str, Any]:
    """OpenAI usage -> llm-core tokens (prompt_tokens include cached ones: taken out)."""
    return {"reasoning": 0, **usage_from_openai(usage)}


def is_reasoning_model(model: str) -> bool:
    return bool(_REASONING.match(model))


class OpenAIClient(HTTPClient):
    provider = "openai"
    display_name = "OpenAI"
    default_base_url = OPENAI_BASE_URL
    api_key_env = "OPENAI_API_KEY"
    request_id_headers = ("x-request-id", "request-id")

    def __init__(self, model: str | None = None, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        if not self._api_key and self._needs_key():
            raise ConfigError(f"no {self.display_name} API key: set {self.api_key_env}")

    def _needs_key(self) -> bool:
        # A local OpenAI-compatible server (Ollama, vLLM, ...) usually has no keys.
        return self.base_url.rstrip("/") == self.default_base_url

    def _free_local_model(self) -> bool:
        if self.provider != "openai" or not get_settings().local_models_free:
            return False
        return is_local_address(self.base_url)

    def _strict_reasoning_params(self, model: str) -> bool:
        """Whether `model` takes max_completion_tokens and rejects temperature and stop."""
        return is_reasoning_model(model)

    def _url(self, call: Call) -> str:
        return f"{self.base_url}/chat/completions"

    def _headers(self, call: Call) -> dict[str, str]:
        headers = {
            "content-type": "application/json",
            "accept": "text/event-stream" if call.stream else "application/json",
        }
        if self._api_key:
            headers["authorization"] = f"Bearer {self._api_key}"
        return headers

    def _body(self, call: Call) -> dict[str, Any]:
        messages = list(call.messages)
        if call.system:
            messages.insert(0, {"role": "system", "content": call.system})
        body: dict[str, Any] = {"model": call.model, "messages": messages}
        reasoning = self._strict_reasoning_params(call.model)
        if call.max_tokens:
            official = self.base_url == OPENAI_BASE_URL
            key = "max_completion_tokens" if reasoning or official else "max_tokens"
            body[key] = call.max_tokens
        if call.temperature is not None:
            if reasoning:
                warn(redact(f"{call.model} does not accept a temperature; not sending it"))
            else:
                body["temperature"] = call.temperature
        if call.stop:
            if reasoning:
                warn(redact(f"{call.model} does not accept stop sequences; not sending them"))
            else:
                body["stop"] = call.stop
        if call.stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(call.extra)
        return body

    @staticmethod
    def _error_details(body: Any) -> tuple[str | None, str | None]:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            kind = error.get("type") or error.get("code")
            return error.get("message"), str(kind) if kind is not None else None
        if isinstance(error, str):
            return error, None
        return None, None

    def _parse(self, call: Call, data: Any, result: Result) -> None:
        if "error" in data and not data.get("choices"):
            raise self._body_error(data, result)
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices:
            raise self._errors.format_error("the answer has no choices", request_id=result.request_id)
        choice = choices[0]
        message = choice["message"]
        result.text = content_text(message.get("content"))
        if message.get("refusal"):
            result.text, result.refusal = message["refusal"], True
        result.tool_calls = [
            tool_call(c.get("id"), (c.get("function") or {}).get("name"),
                      (c.get("function") or {}).get("arguments") or "")
            for c in message.get("tool_calls") or ()
        ]
        result.stop_reason = choice.get("finish_reason")
        result.model = data.get("model")
        result.service_tier = data.get("service_tier")
        self._take_usage(call, data.get("usage"), result)

    def _take_usage(self, call: Call, usage: Any, result: Result) -> None:
        if isinstance(usage, dict):
            result.usage = usage_to_tokens(usage)
            cost = usage.get("cost")
            if isinstance(cost, (int, float)) and not isinstance(cost, bool):
                result.provider_cost_usd = float(cost)
        elif result.text and not any(result.usage.values()):
            # Some compatible servers send no usage: estimate rather than record zero.
            result.usage = {
                "input": self.estimate_tokens(call.prompt_text),
                "output": self.estimate_tokens(result.text),
            }

    def _events(self, call: Call, lines: Iterator[str], result: Result) -> Iterator[str]:
        usage: list[Any] = [None]
        tools: dict[Any, list[Any]] = {}  # tool call index -> [id, name, argument pieces]
        try:
            yield from self._chunks(lines, result, usage, tools)
        finally:
            result.tool_calls = [tool_call(i, n, "".join(a)) for i, n, a in tools.values()]
        self._take_usage(call, usage[0], result)

    def _chunks(
        self, lines: Iterator[str], result: Result, usage: list[Any], tools: dict[Any, list[Any]]
    ) -> Iterator[str]:
        for event in iter_sse(lines, max_response_bytes()):
            if event.data.strip() == "[DONE]":
                result.done = True
                return
            if not event.data:
                continue
            data = parse_json(event.data)
            if data.get("error"):
                raise self._body_error(data, result)
            result.model = data.get("model") or result.model
            result.service_tier = data.get("service_tier") or result.service_tier
            if data.get("usage"):
                usage[0] = data["usage"]
            for choice in data.get("choices") or ():
                if choice.get("index", 0) != 0:
                    continue
                if choice.get("finish_reason"):
                    result.stop_reason = choice["finish_reason"]
                delta = choice.get("delta") or {}
                for part in delta.get("tool_calls") or ():
                    _add_tool_delta(tools, part)
                if delta.get("refusal"):
                    result.refusal = True
                    yield delta["refusal"]
                if delta.get("content"):
                    yield delta["content"]

    def _body_error(self, data: dict[str, Any], result: Result) -> Exception:
        """An error inside a 200 answer (OpenRouter does this, mid-stream too)."""
        message, kind = self._error_details(data)
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        code = error.get("code")
        status = code if isinstance(code, int) and 400 <= code < 600 else _ERROR_STATUS.get(kind or "", 500)
        return self._errors.body_error(
            status, message or "error in the answer", kind, result.request_id, data
        )


def _add_tool_delta(tools: dict[Any, list[Any]], part: dict[str, Any]) -> None:
    """One streamed tool-call piece: the first of an index names it, the rest add arguments."""
    function = part.get("function") or {}
    entry = tools.setdefault(part.get("index", len(tools)), [None, None, []])
    entry[0] = part.get("id") or entry[0]
    entry[1] = function.get("name") or entry[1]
    if function.get("arguments"):
        entry[2].append(function["arguments"])
