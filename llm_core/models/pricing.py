"""What a call costs, from normalized token counts and the registry's prices.

The token convention everywhere in llm-core is Anthropic's:

    input        tokens billed at the input price (cache reads and writes NOT included)
    cache_read   tokens read from the prompt cache (billed at the cache-read price)
    cache_write  tokens written to the cache (5-minute price; the part written with a
                 1-hour TTL may be given as cache_write_1h and is billed at that price)
    output       generated tokens, reasoning tokens included (billed at the output price)
    total        input + cache_read + cache_write + output

    >>> calculate_cost({"input": 1000, "output": 500}, "claude-sonnet-4-6")   # 3 + 7.5 (x 1e-3)
    0.0105

OpenAI reports `prompt_tokens` INCLUDING `cached_tokens`; `usage_from_openai` subtracts them,
so cached tokens are billed once, at the cache-read price.

Prices that depend on how the call was served come from the registry data's
`pricing_modifiers` (with the pages they are taken from), applied from what the response says:

    service_tier   OpenAI "priority" or "flex": that tier's prices for the model, if it has them
    inference_geo  Anthropic "us": every price x 1.1 on Claude Opus/Sonnet 4.6 and later

    >>> calculate_cost({"input": 1000, "output": 500}, "claude-opus-4-6", inference_geo="us")
    0.01925
"""

from __future__ import annotations

from typing import Any

from llm_core.errors import InputError
from llm_core.models.registry import find_model, pricing_modifiers
from llm_core.records import normalize_tokens

_COUNT_KEYS = ("input", "output", "cache_read", "cache_write", "cache_write_1h")


def _count(tokens: dict, key: str) -> int:
    value = tokens.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise InputError(f"token count '{key}' must be a whole number >= 0, got {value!r}")
    return int(value)


def calculate_cost(
    tokens: dict, model: str | dict, *, service_tier: str | None = None, inference_geo: str | None = None
) -> float | None:
    """Cost in USD of one call, or None when the model or its price is unknown.

    `model` is a name (id, API id or alias) or a registry entry. Prompts longer than a model's
    `long_context.threshold` (input + cache reads + cache writes) are billed at those rates.
    Missing cache prices fall back to the input price (the provider bills them as input).
    `service_tier` and `inference_geo` are what the response reported (see the module doc).
    """
    parts = cost_breakdown(tokens, model, service_tier=service_tier, inference_geo=inference_geo)
    return None if parts is None else parts["total"]


def cost_breakdown(
    tokens: dict, model: str | dict, *, service_tier: str | None = None, inference_geo: str | None = None
) -> dict[str, float] | None:
    """Cost in USD per token kind (input, output, cache_read, cache_write) and the total."""
    entry = _entry(model)
    if entry is None:
        return None
    pricing = tier_pricing(entry, service_tier)
    if pricing.get("input") is None or pricing.get("output") is None:
        return None
    n = {k: _count(tokens, k) for k in _COUNT_KEYS}
    write_1h = min(n["cache_write_1h"], n["cache_write"])
    rates = pricing
    tier = pricing.get("long_context")
    if tier and n["input"] + n["cache_read"] + n["cache_write"] > tier.get("threshold", float("inf")):
        rates = {**pricing, **tier}
    base = rates["input"]
    cache_write = _rate(rates, "cache_write", base)
    parts = {
        "input": n["input"] * base,
        "output": n["output"] * rates["output"],
        "cache_read": n["cache_read"] * _rate(rates, "cache_read", base),
        "cache_write": (n["cache_write"] - write_1h) * cache_write
        + write_1h * _rate(rates, "cache_write_1h", cache_write),
    }
    scale = geo_multiplier(entry, inference_geo) / 1_000_000
    out = {k: round(v * scale, 12) for k, v in parts.items()}
    out["total"] = round(sum(parts.values()) * scale, 12)
    return out


def tier_pricing(entry: dict, service_tier: str | None) -> dict:
    """The model's prices for the service tier that served the call (standard ones otherwise)."""
    standard = entry.get("pricing") or {}
    if not service_tier:
        return standard
    prices = pricing_modifiers().get("service_tiers", {}).get("prices", {})
    tier = (prices.get(entry.get("id")) or {}).get(service_tier)
    return {**standard, **tier} if tier else standard


def geo_multiplier(entry: dict, inference_geo: str | None) -> float:
    """The price multiplier for where inference ran (1.0 where no rule says otherwise)."""
    if not inference_geo:
        return 1.0
    for family in pricing_modifiers().get("inference_geo", {}).get("families", ()):
        if entry.get("id") in family.get("models", ()):
            return float(family.get("multipliers", {}).get(inference_geo, 1.0))
    return 1.0


def _entry(model: str | dict) -> dict | None:
    if isinstance(model, dict):
        return model
    if not model:
        return None
    return find_model(model)


def _rate(rates: dict, key: str, fallback: float) -> float:
    value = rates.get(key)
    return fallback if value is None else value


# ---------------------------------------------------------------- usage normalizers

def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _int(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _normalized(input_: int, output: int, cache_read: int, cache_write: int, **extra: int) -> dict:
    """records.normalize_tokens of these counts; extra counts (reasoning ...) only when not 0."""
    counts = {"input": input_, "output": output, "cache_read": cache_read, "cache_write": cache_write}
    return normalize_tokens({**counts, **{k: v for k, v in extra.items() if v}})


def usage_from_anthropic(usage: Any) -> dict:
    """Normalize an Anthropic `usage` (dict or SDK object).

    input_tokens already excludes cache_read_input_tokens and cache_creation_input_tokens.
    The 1-hour part of the cache writes (cache_creation.ephemeral_1h_input_tokens) is kept as
    `cache_write_1h` when present.
    """
    creation = _get(usage, "cache_creation")
    write_5m = _int(_get(creation, "ephemeral_5m_input_tokens"))
    write_1h = _int(_get(creation, "ephemeral_1h_input_tokens"))
    cache_write = _get(usage, "cache_creation_input_tokens")
    cache_write = _int(cache_write) if cache_write is not None else write_5m + write_1h
    return _normalized(
        _int(_get(usage, "input_tokens")),
        _int(_get(usage, "output_tokens")),
        _int(_get(usage, "cache_read_input_tokens")),
        cache_write,
        cache_write_1h=min(write_1h, cache_write),
    )


def usage_from_openai(usage: Any) -> dict:
    """Normalize an OpenAI / OpenRouter `usage` (Chat Completions or Responses API).

    prompt_tokens (input_tokens in the Responses API) INCLUDE the cached tokens, and on
    OpenRouter the cache writes too: both are taken out of `input`. completion_tokens include
    the reasoning tokens, kept in `output` and reported as `reasoning` as well.
    """
    prompt = _get(usage, "prompt_tokens")
    details = _get(usage, "prompt_tokens_details")
    if prompt is None:
        prompt = _get(usage, "input_tokens")
        details = _get(usage, "input_tokens_details")
    completion = _get(usage, "completion_tokens")
    out_details = _get(usage, "completion_tokens_details")
    if completion is None:
        completion = _get(usage, "output_tokens")
        out_details = _get(usage, "output_tokens_details")
    prompt = _int(prompt)
    cached = min(_int(_get(details, "cached_tokens")), prompt)
    written = min(_int(_get(details, "cache_write_tokens")), prompt - cached)
    return _normalized(
        prompt - cached - written,
        _int(completion),
        cached,
        written,
        reasoning=_int(_get(out_details, "reasoning_tokens")),
    )
