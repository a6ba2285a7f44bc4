"""Choosing a model for a job: every model that fits some requirements, ranked by cost or speed.

    from llm_core.models.select import select_model, rank_models
    select_model({"budget_per_call": 0.01, "capabilities": ["vision"]})   # an id
    rank_models(provider="openai", min_context=200_000)                  # [(entry, cost), ...]

Built on the registry (`models/registry.py`) and the prices (`models/pricing.py`); neither of
them imports this module.
"""

from __future__ import annotations

from typing import Any

from llm_core.errors import InputError
from llm_core.models.pricing import calculate_cost
from llm_core.models.registry import SPEED_TIERS, copy_entry, current_models

DEFAULT_INPUT_TOKENS = 1000
DEFAULT_OUTPUT_TOKENS = 500

_REQUIREMENT_KEYS = {
    "budget_per_call", "input_tokens", "output_tokens", "expected_input_tokens",
    "expected_output_tokens", "min_context", "capabilities", "provider", "speed_priority",
}


def _number(requirements: dict, key: str, default: float | None, *, whole: bool = False) -> Any:
    value = requirements.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise InputError(f"{key} must be a number >= 0, got {value!r}")
    if whole and int(value) != value:
        raise InputError(f"{key} must be a whole number, got {value!r}")
    return int(value) if whole else float(value)


def rank_models(requirements: dict | None = None, **kwargs: Any) -> list[tuple[dict, float | None]]:
    """Every model that meets `requirements`, best first, with its estimated cost per call.

    Requirements: budget_per_call (USD), input_tokens / output_tokens (expected per call,
    default 1000 / 500), min_context (tokens), capabilities (all required), provider,
    speed_priority (fastest tier first instead of cheapest first). Retired models and the
    offline `echo` model (unless provider="echo") are never candidates; deprecated ones rank
    after every current one. Ties break on the other criterion, then on the id, so the
    answer is deterministic.
    """
    req = {**(requirements or {}), **kwargs}
    unknown = sorted(set(req) - _REQUIREMENT_KEYS)
    if unknown:
        raise InputError(f"unknown requirement {unknown[0]!r}; known: {', '.join(sorted(_REQUIREMENT_KEYS))}")
    budget = _number(req, "budget_per_call", None)
    n_in = _number(req, "input_tokens", None, whole=True)
    n_in = _number(req, "expected_input_tokens", DEFAULT_INPUT_TOKENS, whole=True) if n_in is None else n_in
    n_out = _number(req, "output_tokens", None, whole=True)
    n_out = _number(req, "expected_output_tokens", DEFAULT_OUTPUT_TOKENS, whole=True) if n_out is None else n_out
    min_context = _number(req, "min_context", 0, whole=True)
    caps = req.get("capabilities") or []
    caps = [caps] if isinstance(caps, str) else list(caps)
    caps = [c.strip().lower() for c in caps if c and c.strip()]
    provider = (req.get("provider") or "").strip().lower() or None
    tokens = {"input": n_in, "output": n_out}

    ranked = []
    for entry in current_models().values():
        if entry.get("retired") or (entry.get("provider") == "echo" and provider != "echo"):
            continue
        if provider and entry.get("provider") != provider:
            continue
        context = entry.get("context_window")
        if context is None and min_context:
            continue  # unknown window (a user entry): fine unless a minimum was asked for
        if context is not None and context < max(min_context, n_in + n_out):
            continue
        if entry.get("max_output") and entry["max_output"] < n_out:
            continue
        if not set(caps) <= set(entry.get("capabilities", ())):
            continue
        cost = calculate_cost(tokens, entry)
        if budget is not None and (cost is None or cost > budget):
            continue
        ranked.append((entry, cost))

    def speed_rank(entry: dict) -> int:
        speed = entry.get("speed")
        return SPEED_TIERS.index(speed) if speed in SPEED_TIERS else len(SPEED_TIERS)

    def key(item: tuple[dict, float | None]) -> tuple:
        entry, cost = item
        price = float("inf") if cost is None else cost
        # A model on its way out only wins when no current one fits; on a tie the
        # provider's own API beats the same model through OpenRouter.
        deprecated = bool(entry.get("deprecated"))
        via_router = entry.get("provider") == "openrouter"
        if req.get("speed_priority"):
            return (deprecated, speed_rank(entry), price, via_router, entry["id"])
        return (deprecated, price, speed_rank(entry), via_router, entry["id"])

    ranked.sort(key=key)
    return [(copy_entry(e), c) for e, c in ranked]


def select_model(requirements: dict | None = None, **kwargs: Any) -> str:
    """The id of the cheapest model that fits (fastest when speed_priority); InputError if none."""
    ranked = rank_models(requirements, **kwargs)
    if ranked:
        return ranked[0][0]["id"]
    req = {**(requirements or {}), **kwargs}
    raise InputError(explain_no_fit(req))


def explain_no_fit(req: dict) -> str:
    """Why no model meets `req`, naming the cheapest that meets all but the budget."""
    parts = []
    if req.get("budget_per_call") is not None:
        parts.append(f"budget {_usd(req['budget_per_call'])} per call")
    if req.get("min_context"):
        parts.append(f"context >= {int(req['min_context']):,}")
    caps = req.get("capabilities")
    if caps:
        parts.append("capabilities " + ", ".join([caps] if isinstance(caps, str) else caps))
    if req.get("provider"):
        parts.append(f"provider {req['provider']}")
    message = "no model fits " + (", ".join(parts) if parts else "these requirements")
    if req.get("budget_per_call") is not None:
        relaxed = {k: v for k, v in req.items() if k != "budget_per_call"}
        try:
            cheapest = rank_models(relaxed)
        except InputError:
            cheapest = []
        if cheapest and cheapest[0][1] is not None:
            entry, cost = cheapest[0]
            n_in = req.get("input_tokens") or req.get("expected_input_tokens") or DEFAULT_INPUT_TOKENS
            n_out = req.get("output_tokens") or req.get("expected_output_tokens") or DEFAULT_OUTPUT_TOKENS
            message += (f"; the cheapest model meeting the rest is {entry['id']} at {_usd(cost)}"
                        f" for {int(n_in):,} input + {int(n_out):,} output tokens")
    return message


def _usd(value: float) -> str:
    text = f"{value:.8f}".rstrip("0").rstrip(".")
    return f"${text}"
