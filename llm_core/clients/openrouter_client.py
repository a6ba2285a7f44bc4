"""OpenRouter: the OpenAI wire format at https://openrouter.ai/api/v1, with attribution headers
and the provider-reported cost (`usage.cost`), recorded next to our own computed cost.

    client = OpenRouterClient(model="meta-llama/llama-3.1-70b-instruct")   # OPENROUTER_API_KEY
    client = OpenRouterClient(model="claude-haiku-4-5")   # another provider's model, via OpenRouter
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from llm_core.clients.openai_client import OpenAIClient
from llm_core.clients.response import Call
from llm_core.config import get_settings


def openrouter_model_id(info: dict[str, Any]) -> str:
    """The OpenRouter id of a model registered for another provider."""
    if info.get("openrouter_id"):
        return info["openrouter_id"]
    api_id = info.get("api_id") or info["id"]
    if "/" in api_id:
        return api_id
    if info.get("provider") == "anthropic":
        # claude-haiku-4-5-20251001 -> anthropic/claude-haiku-4.5
        api_id = re.sub(r"-\d{8}$", "", api_id)
        api_id = re.sub(r"-(\d)-(\d)$", r"-\1.\2", api_id)
    return f"{info.get('provider', 'openai')}/{api_id}"


class OpenRouterClient(OpenAIClient):
    provider = "openrouter"
    display_name = "OpenRouter"
    default_base_url = "https://openrouter.ai/api/v1"
    api_key_env = "OPENROUTER_API_KEY"

    def _needs_key(self) -> bool:
        return True

    def _api_model_id(self, info: dict[str, Any]) -> str:
        if info.get("provider") == "openrouter":
            return info.get("api_id") or info["id"]
        return openrouter_model_id(info)

    def _strict_reasoning_params(self, model: str) -> bool:
        # OpenRouter takes max_tokens for every model and drops what a model does not support.
        return False

    def _headers(self, call: Call) -> dict[str, str]:
        settings = get_settings()
        headers = super()._headers(call)
        headers["http-referer"] = settings.openrouter_referer
        headers["x-title"] = settings.openrouter_title
        return headers

    def _body(self, call: Call) -> dict[str, Any]:
        if call.cache and call.model.startswith("anthropic/"):
            # OpenRouter passes Anthropic's cache_control markers through.
            # Imported here for start-up: only cached calls need it (1-6 ms).
            from llm_core.utils.cache import PromptCache

            cache = call.cache if isinstance(call.cache, PromptCache) else PromptCache()
            system, messages = cache.apply(call.system, call.messages, model=call.model_name)
            call = dataclasses.replace(call, system=system, messages=messages)
        return super()._body(call)
