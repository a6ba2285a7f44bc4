"""llm-core: call LLMs from Python and the shell, with every call's tokens, cost and latency
recorded locally.

    from llm_core import get_client
    client = get_client()                       # picks a provider from the API keys present
    response = client.chat("Write a commit message", system="You are a git expert")
    print(response.text, response.cost_usd)

Names are imported on first use, so `import llm_core` stays cheap for the commands.
`MODEL_REGISTRY` is looked up on every access, so it always reflects the model files as they
are now (a user models file added later included).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "get_client": "llm_core.clients",
    "BaseLLMClient": "llm_core.clients.base",
    "ChatStream": "llm_core.clients.base",
    "LLMResponse": "llm_core.clients.base",
    "AnthropicClient": "llm_core.clients.anthropic_client",
    "OpenAIClient": "llm_core.clients.openai_client",
    "OpenRouterClient": "llm_core.clients.openrouter_client",
    "EchoClient": "llm_core.clients.echo_client",
    "LocalStorage": "llm_core.storage.local",
    "AITelemetryTracker": "llm_core.telemetry",
    "MODEL_REGISTRY": "llm_core.models.registry",
    "get_model": "llm_core.models.registry",
    "select_model": "llm_core.models.select",
    "rank_models": "llm_core.models.select",
    "calculate_cost": "llm_core.models.pricing",
    "count_tokens": "llm_core.utils.tokens",
    "TokenCount": "llm_core.utils.tokens",
    "estimate_tokens": "llm_core.utils.tokens",
    "truncate_to_tokens": "llm_core.utils.tokens",
    "retry_with_backoff": "llm_core.utils.retry",
    "PromptCache": "llm_core.utils.cache",
    "Settings": "llm_core.config",
    "get_settings": "llm_core.config",
}
# The whole error tree (llm_core/errors.py); tests/test_architecture.py checks none is missing.
_ERRORS = (
    "LLMCoreError", "InputError", "UnknownModelError", "ConfigError", "StorageError",
    "APIConnectionError", "APITimeoutError", "APIError", "BadRequestError",
    "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError",
    "UnprocessableEntityError", "RateLimitError", "InternalServerError", "OverloadedError",
    "ResponseFormatError", "RefusedError", "BudgetExceeded", "UsageError", "DateError", "ExitStatus", "Cancelled",
)
_EXPORTS.update(dict.fromkeys(_ERRORS, "llm_core.errors"))
# Re-read on every access (the registry module rebuilds it when a models file changes).
_LIVE = frozenset({"MODEL_REGISTRY"})

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'llm_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    if name not in _LIVE:
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
