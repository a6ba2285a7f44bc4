"""Refresh OpenRouter prices and context windows from its public model list.

    GET {OPENROUTER_BASE_URL or https://openrouter.ai/api/v1}/models
    {"data": [{"id": "meta-llama/llama-3.1-70b-instruct", "name": "...", "context_length": 131072,
               "pricing": {"prompt": "0.0000004", "completion": "0.0000004",
                           "input_cache_read": "...", "input_cache_write": "..."},
               "top_provider": {"max_completion_tokens": 16384},
               "architecture": {"input_modalities": ["text", "image"]},
               "supported_parameters": ["tools", "reasoning", ...]}, ...]}

Prices there are USD per token as strings; the registry keeps USD per 1M tokens. The list is
saved to `<cache_dir>/openrouter-models.json` with the time it was fetched; the registry layers
it over the bundled data (and under the user file). Nothing is written unless the whole
download and parse succeed, so a failed sync leaves the registry as it was.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import orjson

from llm_core.clients._http import ErrorMap, request_json
from llm_core.config import get_settings
from llm_core.errors import ResponseFormatError
from llm_core.models import registry
from llm_core.records import atomic_write

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
_ERRORS = ErrorMap(
    "OpenRouter model list", "openrouter", id_headers=("x-request-id",),
    note="the registry is unchanged",
)
_PRICE_FIELDS = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_read",
    "input_cache_write": "cache_write",
}


def models_url(base_url: str | None = None) -> str:
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + "/models"


def _per_million(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number < 0 or number != number:  # "-1" marks a variable price (the auto router)
        return None
    return round(number * 1_000_000, 6)


def parse_models(payload: Any) -> dict[str, dict]:
    """OpenRouter's /models answer -> {id: {name, context_window, max_output, pricing, capabilities}}."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise ResponseFormatError("OpenRouter's model list has no \"data\" array", provider="openrouter")
    out: dict[str, dict] = {}
    for item in payload["data"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        raw = item.get("pricing") or {}
        pricing = {ours: _per_million(raw.get(theirs)) for theirs, ours in _PRICE_FIELDS.items()}
        if pricing["input"] is None or pricing["output"] is None:
            continue
        top = item.get("top_provider") or {}
        arch = item.get("architecture") or {}
        params = item.get("supported_parameters") or []
        caps = set()
        if "image" in (arch.get("input_modalities") or []):
            caps.add("vision")
        if "tools" in params:
            caps.add("function_calling")
        if "reasoning" in params or "include_reasoning" in params:
            caps.add("reasoning")
        if "structured_outputs" in params:
            caps.add("json_schema")
        if pricing.get("cache_read") is not None:
            caps.add("prompt_caching")
        out[item["id"]] = {
            "name": item.get("name"),
            "context_window": _positive_int(item.get("context_length")),
            "max_output": _positive_int(top.get("max_completion_tokens")),
            "pricing": {k: v for k, v in pricing.items() if v is not None},
            "capabilities": sorted(caps),
        }
    if not out:
        raise ResponseFormatError("OpenRouter's model list holds no priced models", provider="openrouter")
    return out


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def fetch(url: str, timeout: float = 30.0, headers: dict[str, str] | None = None) -> Any:
    data, _response = request_json(
        _ERRORS, "GET", url, headers=headers or {}, seconds=timeout, follow_redirects=True
    )
    return data


def sync(base_url: str | None = None, *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """Download, compare with the current data, save. Returns what was added and changed."""
    settings = get_settings()
    url = models_url(base_url or settings.openrouter_base_url)
    headers = {"HTTP-Referer": settings.openrouter_referer, "X-Title": settings.openrouter_title}
    fresh = parse_models(fetch(url, timeout=min(settings.timeout, 60.0), headers=headers))

    sync_path = settings.cache_dir / registry.SYNC_FILE_NAME
    previous, _meta = registry.build_models(sync_path if sync_path.exists() else None, None)
    fetched_at = (now or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    added, changed = [], []
    for model_id, entry in sorted(fresh.items()):
        before = previous.get(model_id)
        old = _comparable(before) if before and before.get("provider") == "openrouter" else None
        status = registry.merge_synced_entry(previous, model_id, entry, fetched_at[:10])
        if status == "added":
            added.append(model_id)
        elif status == "changed":
            new = _comparable(previous[model_id])
            diff = {k: [old.get(k), new.get(k)] for k in new if old.get(k) != new.get(k)}
            if diff:
                changed.append({"id": model_id, "changes": diff})

    _write_atomically(sync_path, {"fetched_at": fetched_at, "source": url, "models": fresh})
    registry.clear_cache()
    return {
        "source": url,
        "file": str(sync_path),
        "fetched_at": fetched_at,
        "models": len(fresh),
        "added": added,
        "changed": changed,
        "unchanged": len(fresh) - len(added) - len(changed),
    }


def _comparable(entry: dict) -> dict:
    out = {f"pricing.{k}": v for k, v in (entry.get("pricing") or {}).items() if k != "long_context"}
    out["context_window"] = entry.get("context_window")
    out["max_output"] = entry.get("max_output")
    return out


def _write_atomically(path: Path, data: dict) -> None:
    atomic_write(path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
