"""Provider clients and `get_client()`, which picks one from the arguments and the API keys.

    get_client()                              # by key: Anthropic, then OpenRouter, then OpenAI
    get_client(model="gpt-4.1-mini")          # the model's provider if its key is set, else OpenRouter
    get_client("openrouter", "llama-3.1-70b")
    get_client(model="echo")                  # offline, no key

Where things live:
    base.py            the request life cycle: BaseLLMClient (prepare, retry, finish, record)
    response.py        LLMResponse, ChatStream, Call and Result, the helpers clients share
    http_client.py     HTTPClient: BaseLLMClient for providers reached over HTTP
    _http.py           the one HTTP path: httpx client, status/body/network -> errors, request
                       ids, constants (also used by token counting and `llm-models sync`)
    sse.py             server-sent events framing
    anthropic_client.py, openai_client.py, openrouter_client.py, echo_client.py: one per provider
The retry rule itself is llm_core.utils.retry; the error tree is llm_core.errors.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

from llm_core.config import get_settings
from llm_core.errors import ConfigError, InputError, UnknownModelError

if TYPE_CHECKING:  # the life cycle loads with the chosen client, not with this package
    from llm_core.clients.base import BaseLLMClient

PROVIDERS = {
    "anthropic": ("llm_core.clients.anthropic_client", "AnthropicClient"),
    "openai": ("llm_core.clients.openai_client", "OpenAIClient"),
    "openrouter": ("llm_core.clients.openrouter_client", "OpenRouterClient"),
    "echo": ("llm_core.clients.echo_client", "EchoClient"),
}
KEY_VARS = {
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "openai": "OPENAI_API_KEY",
}
_GUESS = (
    (re.compile(r"^claude"), "anthropic"),
    (re.compile(r"^(gpt-|o\d|chatgpt)"), "openai"),
    (re.compile(r"/"), "openrouter"),
)

__all__ = ["PROVIDERS", "client_class", "get_client"]


def client_class(provider: str) -> type[BaseLLMClient]:
    try:
        module, name = PROVIDERS[provider]
    except KeyError:
        raise InputError(
            f"unknown provider '{provider}'; choose one of: auto, {', '.join(PROVIDERS)}"
        ) from None
    return getattr(importlib.import_module(module), name)


def get_client(
    provider: str | None = "auto", model: str | None = None, **kwargs: Any
) -> BaseLLMClient:
    """A ready client. `provider` "auto" (or None) uses LLM_PROVIDER, then the rules above;
    `model` None uses LLM_MODEL, then the provider's cheap default. Other keyword arguments
    (api_key, base_url, transport, max_retries, timeout, cache, agent_name, ...) go to the client.
    """
    settings = get_settings()
    provider = (provider or "auto").strip().lower()
    model = model or settings.default_model
    if provider == "auto" and settings.default_provider and model != "echo":
        provider = settings.default_provider.strip().lower()
    if provider == "auto":
        provider = "echo" if model == "echo" else _choose_provider(settings, model, kwargs)
    return client_class(provider)(model, **kwargs)


def _native_provider(model: str) -> tuple[str | None, bool]:
    """(provider, known to the registry) for a model name."""
    # Imported here for start-up: `-m echo` and an explicit provider never need it (~10 ms).
    from llm_core.models.registry import get_model

    try:
        return get_model(model).get("provider"), True
    except UnknownModelError:
        pass
    for pattern, provider in _GUESS:
        if pattern.search(model):
            return provider, False
    return None, False


def _choose_provider(settings: Any, model: str | None, kwargs: dict[str, Any]) -> str:
    have = {p: bool(getattr(settings, f"{p}_api_key")) for p in KEY_VARS}
    if kwargs.get("api_key"):
        have = dict.fromkeys(have, True)
    local_openai = bool(settings.openai_base_url) and "api.openai.com" not in settings.openai_base_url
    if model:
        native, known = _native_provider(model)
        if native and have.get(native):
            return native
        if have["openrouter"]:
            return "openrouter"
        if native == "openai" and local_openai:
            return "openai"
        if known and native in KEY_VARS:
            alt = " or OPENROUTER_API_KEY" if native != "openrouter" else ""
            raise ConfigError(f"model '{model}' needs an API key: set {KEY_VARS[native]}{alt}")
    for provider in ("anthropic", "openrouter", "openai"):
        if have[provider]:
            return provider
    if local_openai:
        return "openai"
    raise ConfigError(
        "no API key found: set ANTHROPIC_API_KEY, OPENROUTER_API_KEY or OPENAI_API_KEY "
        "(or OPENAI_BASE_URL for a local server; try the offline model with -m echo)"
    )
