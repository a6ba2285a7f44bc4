"""Anthropic's token counting endpoint: exact Claude input tokens for `llm-tokens --exact`."""

from __future__ import annotations

from llm_core.clients._http import ANTHROPIC_API_VERSION, ErrorMap, request_json
from llm_core.config import get_settings
from llm_core.errors import ConfigError, LLMCoreError
from llm_core.models.registry import get_model

DEFAULT_BASE_URL = "https://api.anthropic.com"
_ERRORS = ErrorMap("Anthropic token counting failed", "anthropic")


def api_model_id(model: str) -> str:
    """The id the API expects: the registry's api_id when it knows the name, else the name."""
    try:
        entry = get_model(model)
    except LLMCoreError:  # unknown, or an unreadable models file: the API judges the name
        return model
    return str(entry.get("api_id") or entry.get("id") or model)


def count_tokens_remote(text: str, model: str, blocks: list[dict] | None = None) -> int:
    """POST /v1/messages/count_tokens with one user message (`blocks`, image or document
    content blocks, before the text); the response's input_tokens."""
    settings = get_settings()
    key = settings.api_key("anthropic")  # refuses a project .env's URL with your key
    if not key:
        raise ConfigError("exact Claude counts need ANTHROPIC_API_KEY (or drop --exact for an estimate)")
    base = (settings.anthropic_base_url or DEFAULT_BASE_URL).rstrip("/")
    content: str | list[dict] = text
    if blocks:
        content = [*blocks, *([{"type": "text", "text": text}] if text else [])]
    body = {"model": api_model_id(model), "messages": [{"role": "user", "content": content}]}
    headers = {
        "x-api-key": key,
        "anthropic-version": ANTHROPIC_API_VERSION,
        "content-type": "application/json",
    }
    data, response = request_json(
        _ERRORS, "POST", f"{base}/v1/messages/count_tokens", headers=headers, json=body,
        seconds=settings.timeout,
    )
    count = data.get("input_tokens") if isinstance(data, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise _ERRORS.format_error("the answer has no input_tokens number", response)
    return count
