"""Anthropic's token counting endpoint: exact Claude input tokens for `llm-tokens --exact`."""

from __future__ import annotations

from llm_core.config import get_settings
from llm_core.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigError,
    ResponseFormatError,
    error_class_for_status,
)

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


def api_model_id(model: str) -> str:
    """The id the API expects: the registry's api_id when it knows the name, else the name."""
    try:
        from llm_core.models.registry import get_model

        entry = get_model(model)
    except Exception:  # the registry is optional here; the API will judge the name
        return model
    return str(entry.get("api_id") or entry.get("id") or model)


def count_tokens_remote(text: str, model: str) -> int:
    """POST /v1/messages/count_tokens with one user message; the response's input_tokens."""
    import httpx

    settings = get_settings()
    if not settings.anthropic_api_key:
        raise ConfigError("exact Claude counts need ANTHROPIC_API_KEY (or drop --exact for an estimate)")
    base = (settings.anthropic_base_url or DEFAULT_BASE_URL).rstrip("/")
    body = {"model": api_model_id(model), "messages": [{"role": "user", "content": text}]}
    headers = {
        "x-api-key": settings.anthropic_api_key,
        "anthropic-version": API_VERSION,
        "content-type": "application/json",
    }
    timeout = httpx.Timeout(settings.timeout, connect=5.0)
    try:
        response = httpx.post(f"{base}/v1/messages/count_tokens", json=body, headers=headers,
                              timeout=timeout)
    except httpx.TimeoutException:
        raise APITimeoutError("token counting request timed out", provider="anthropic") from None
    except httpx.HTTPError as e:
        raise APIConnectionError(f"cannot reach {base}: {type(e).__name__}",
                                 provider="anthropic") from None
    request_id = response.headers.get("request-id")
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code != 200:
        error = data.get("error") if isinstance(data, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        cls = error_class_for_status(response.status_code)
        raise cls(
            f"Anthropic token counting failed: {message or response.reason_phrase or 'error'}",
            status_code=response.status_code, request_id=request_id, provider="anthropic",
            error_type=error.get("type") if isinstance(error, dict) else None, body=data,
        )
    count = data.get("input_tokens") if isinstance(data, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ResponseFormatError(
            "Anthropic token counting answered without an input_tokens number",
            status_code=200, request_id=request_id, provider="anthropic", body=data,
        )
    return count
