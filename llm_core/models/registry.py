"""The model registry: bundled prices, synced OpenRouter prices, the user's overrides.

    from llm_core.models.registry import get_model, list_models
    get_model("sonnet")["api_id"]                         # aliases resolve: 'claude-sonnet-5-5'
    list_models(provider="anthropic", capability="vision")

Choosing a model for a job (ranking by price and speed) lives in `models/select.py`, which
builds on this module and `models/pricing.py`; this module imports neither.

Three layers, later ones win: the bundled `models.json` (prices checked by hand against the
providers' pricing pages, see its `prices_checked` and `sources`), the OpenRouter list saved by
`llm-models sync` (`<cache_dir>/openrouter-models.json`) and the user file (`$LLM_MODELS_FILE`,
else `<config_dir>/models.json`). The merged registry is rebuilt whenever one of those files
changes (their size and mtime are part of the cache key) or the settings are reset.

Entry keys: id, name, provider, api_id, aliases, context_window, max_output, pricing (USD per 1M
tokens: input, output, cache_read, cache_write [5-minute writes], cache_write_1h, and optionally
long_context {threshold, input, ...} for prompts over `threshold` tokens), capabilities,
recommended_for, speed (fastest|fast|moderate|slow), deprecated, retirement_date, retired,
replacement, tokenizer (o200k_base|cl100k_base|claude|None), price_source
(bundled|synced|user), prices_checked (the date the prices were last checked or synced).

A user file looks like this (a list of entries with "id" works too):

    {"models": {
      "llama3-local": {"provider": "openai", "api_id": "llama3", "context_window": 8192,
                       "pricing": {"input": 0, "output": 0}},
      "claude-sonnet-5-5": {"pricing": {"input": 1.8, "output": 9.0}}
    }}
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import orjson

from llm_core.config import get_settings
from llm_core.errors import ConfigError, InputError, UnknownModelError

DATA_FILE = Path(__file__).with_name("models.json")
SYNC_FILE_NAME = "openrouter-models.json"
SPEED_TIERS = ("fastest", "fast", "moderate", "slow")
PRICE_KEYS = ("input", "output", "cache_read", "cache_write", "cache_write_1h")
_cache: _Registry | None = None


class _Registry:
    __slots__ = ("index", "key", "meta", "models")

    def __init__(self, key: tuple, models: dict[str, dict], meta: dict[str, Any]) -> None:
        self.key = key
        self.models = models
        self.meta = meta
        self.index: dict[str, str] = {}
        for model_id, entry in models.items():
            for name in (model_id, entry.get("api_id"), *entry.get("aliases", ())):
                if name:
                    self.index.setdefault(name.lower(), model_id)
        # The user's own names win over bundled aliases...
        for model_id, entry in models.items():
            if entry.get("price_source") == "user":
                for name in (entry.get("api_id"), *entry.get("aliases", ())):
                    if name:
                        self.index[name.lower()] = model_id
        # ...and canonical ids win over any other entry's alias.
        for model_id in models:
            self.index[model_id.lower()] = model_id

    def resolve(self, name: str) -> str | None:
        return self.index.get(name.strip().lower())


# ---------------------------------------------------------------- loading

def _paths() -> tuple[Path, Path]:
    settings = get_settings()
    return settings.cache_dir / SYNC_FILE_NAME, settings.user_models_file


def _explicit_user_file() -> bool:
    return get_settings().models_file is not None


def _stat_key(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_size)


def _today() -> str:
    """Today's UTC date, YYYY-MM-DD (LLM_MODELS_TODAY pins it for tests)."""
    pinned = get_settings().models_today
    if pinned:
        try:
            return _dt.date.fromisoformat(pinned).isoformat()
        except ValueError:
            raise ConfigError(f"LLM_MODELS_TODAY must be a date (YYYY-MM-DD), got {pinned!r}") from None
    return _dt.datetime.now(_dt.timezone.utc).date().isoformat()


def today() -> _dt.date:
    return _dt.date.fromisoformat(_today())


def _load_registry() -> _Registry:
    global _cache
    sync_path, user_path = _paths()
    key = (_stat_key(sync_path), _stat_key(user_path), _today())
    if _cache is not None and _cache.key == key:
        return _cache
    if key[1][1] is None and _explicit_user_file():
        raise ConfigError(f"LLM_MODELS_FILE names {user_path}, which does not exist")
    models, meta = build_models(
        sync_path if key[0][1] is not None else None,
        user_path if key[1][1] is not None else None,
        today=key[2],
    )
    meta["sync_file"] = str(sync_path)
    _cache = _Registry(key, models, meta)
    return _cache


def build_models(sync_path: Path | None, user_path: Path | None,
                 today: str | None = None) -> tuple[dict[str, dict], dict[str, Any]]:
    """Merge the layers from scratch (no cache): bundled, then synced, then the user file."""
    data = orjson.loads(DATA_FILE.read_bytes())
    checked = data.get("prices_checked", {})
    models: dict[str, dict] = {}
    for entry in data["models"]:
        entry["price_source"] = "bundled"
        entry["prices_checked"] = checked.get(entry["provider"])
        models[entry["id"]] = entry
    meta: dict[str, Any] = {
        "prices_checked": checked,
        "sources": data.get("sources", {}),
        "default_models": data.get("default_models", {}),
        "pricing_modifiers": data.get("pricing_modifiers", {}),
        "synced_at": _apply_synced(models, sync_path) if sync_path else None,
        "user_file": str(user_path) if user_path else None,
    }
    if user_path:
        _apply_user_file(models, user_path)
    today = today or _today()
    for entry in models.values():
        date = entry.get("retirement_date")
        entry["retired"] = bool(entry.get("retired")) or bool(date and date <= today)
        if entry["retired"]:
            entry["deprecated"] = True
    return models, meta


def clear_cache() -> None:
    """Forget the merged registry; the next lookup reads the files again."""
    global _cache
    _cache = None


def _apply_synced(models: dict[str, dict], path: Path) -> str | None:
    """Merge the saved OpenRouter list; a damaged file is ignored (sync rewrites it)."""
    try:
        data = orjson.loads(path.read_bytes())
        synced = data["models"]
        fetched_at = data.get("fetched_at")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(synced, dict):
        return None
    for model_id, fresh in synced.items():
        if isinstance(fresh, dict):
            merge_synced_entry(models, model_id, fresh, (fetched_at or "")[:10] or None)
    return fetched_at


def merge_synced_entry(models: dict[str, dict], model_id: str, fresh: dict, checked: str | None) -> str:
    """Apply one synced OpenRouter model; returns 'added', 'changed' or 'same'."""
    current = models.get(model_id)
    if current is None or current.get("provider") != "openrouter":
        models[model_id] = new_entry(model_id, {
            "provider": "openrouter",
            "name": fresh.get("name"),
            "context_window": fresh.get("context_window"),
            "max_output": fresh.get("max_output"),
            "pricing": fresh.get("pricing") or {},
            "capabilities": fresh.get("capabilities") or [],
        })
        models[model_id].update(price_source="synced", prices_checked=checked)
        return "added"
    old_pricing = current.get("pricing", {})
    pricing = dict(fresh.get("pricing") or {})
    same_base = all(old_pricing.get(k) == pricing.get(k) for k in ("input", "output"))
    if same_base:
        # OpenRouter's list has no 1-hour cache or long-prompt tiers: keep ours while the base holds.
        for k in ("cache_write_1h", "long_context", "cache_read", "cache_write"):
            if k in old_pricing and k not in pricing:
                pricing[k] = old_pricing[k]
    changed = pricing != old_pricing
    for field in ("context_window", "max_output"):
        value = fresh.get(field)
        if value and value != current.get(field):
            current[field] = value
            changed = True
    current["pricing"] = pricing
    current["price_source"] = "synced"
    current["prices_checked"] = checked
    return "changed" if changed else "same"


def new_entry(model_id: str, fields: dict) -> dict:
    entry = {
        "id": model_id, "provider": None, "api_id": model_id, "aliases": [], "context_window": None,
        "max_output": None, "pricing": {}, "capabilities": [], "recommended_for": [],
        "speed": "moderate", "deprecated": False, "retirement_date": None, "replacement": None,
        "tokenizer": None,
    }
    entry.update({k: v for k, v in fields.items() if v is not None or k not in entry})
    return entry


def _apply_user_file(models: dict[str, dict], path: Path) -> None:
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as e:
        raise ConfigError(f"cannot read the model file {path}: {e.strerror}") from None
    except ValueError as e:
        raise ConfigError(f"the model file {path} is not valid JSON: {e}") from None
    items = data.get("models", data) if isinstance(data, dict) else data
    if isinstance(items, dict):
        items = [{"id": k, **v} if isinstance(v, dict) else v for k, v in items.items()]
    if not isinstance(items, list):
        raise ConfigError(f"{path}: expected {{\"models\": {{id: entry}}}} or a list of entries")
    index = {
        n.lower(): mid
        for mid, e in models.items()
        for n in (e.get("api_id"), *e.get("aliases", ()), mid)
        if n
    }
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
            raise ConfigError(f"{path}: every model needs an \"id\" and must be an object")
        fields = {k: v for k, v in item.items() if k != "id"}
        _validate_user_fields(path, item["id"], fields)
        target = index.get(item["id"].lower())
        if target is not None:
            entry = models[target]
            if "pricing" in fields:
                fields["pricing"] = {**entry.get("pricing", {}), **fields["pricing"]}
            entry.update(fields)
        else:
            if not fields.get("provider"):
                raise ConfigError(f"{path}: new model '{item['id']}' needs a \"provider\"")
            entry = models[item["id"]] = new_entry(item["id"], fields)
        entry["price_source"] = "user"
        entry["prices_checked"] = None


def _validate_user_fields(path: Path, model_id: str, fields: dict) -> None:
    where = f"{path}: model '{model_id}'"
    pricing = fields.get("pricing", {})
    if not isinstance(pricing, dict):
        raise ConfigError(f"{where}: \"pricing\" must be an object of USD per 1M tokens")
    for k, v in pricing.items():
        if k == "long_context":
            continue
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0):
            raise ConfigError(f"{where}: pricing.{k} must be a number >= 0 (USD per 1M tokens)")
    for k in ("context_window", "max_output"):
        v = fields.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v <= 0):
            raise ConfigError(f"{where}: {k} must be a whole number > 0")
    for k in ("aliases", "capabilities", "recommended_for"):
        v = fields.get(k)
        if v is not None and (not isinstance(v, list) or not all(isinstance(x, str) for x in v)):
            raise ConfigError(f"{where}: {k} must be a list of strings")
    if fields.get("speed") not in (None, *SPEED_TIERS):
        raise ConfigError(f"{where}: speed must be one of {', '.join(SPEED_TIERS)}")


# ---------------------------------------------------------------- lookups

def __getattr__(name: str) -> Any:
    if name == "MODEL_REGISTRY":
        return current_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def copy_entry(entry: dict) -> dict:
    """A copy of a registry entry that can be changed without touching the registry."""
    out = dict(entry)
    out["pricing"] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in entry.get("pricing", {}).items()}
    for k in ("aliases", "capabilities", "recommended_for"):
        out[k] = list(entry.get(k) or ())
    return out


def current_models() -> dict[str, dict]:
    """Every merged entry by id, as the files stand now. No copies: do not modify."""
    return _load_registry().models


def find_model(name: str) -> dict | None:
    """The entry for `name` (id, API id or alias, any case), or None. No copy: do not modify."""
    reg = _load_registry()
    model_id = reg.resolve(name) if isinstance(name, str) else None
    return reg.models[model_id] if model_id else None


def get_model(name: str) -> dict:
    """The entry (a copy) for a model id, API id or alias; UnknownModelError with close matches."""
    entry = find_model(name)
    if entry is None:
        raise UnknownModelError(str(name), _suggestions(str(name)))
    return copy_entry(entry)


def _suggestions(name: str) -> list[str]:
    """Close names, at most one per model (the name that matched best)."""
    import difflib  # here: only an unknown name needs it, and llm-chat/llm-cost start faster (~1.5 ms)

    reg = _load_registry()
    names = sorted({n for mid, e in reg.models.items() for n in (mid, *e.get("aliases", ()))})
    seen, out = set(), []
    for match in difflib.get_close_matches(name, names, n=12, cutoff=0.5):
        model_id = reg.resolve(match)
        if model_id not in seen:
            seen.add(model_id)
            out.append(match)
    return out[:3]


def default_model(provider: str) -> str:
    """The provider's default model: a current, cheap one, chosen in the data file."""
    try:
        return _load_registry().meta["default_models"][provider]
    except KeyError:
        raise InputError(f"no default model for provider '{provider}'; name one with -m") from None


def pricing_modifiers() -> dict[str, Any]:
    """The data file's prices that depend on how a call was served (inference geo, service tier)."""
    return _load_registry().meta.get("pricing_modifiers", {})


def registry_info() -> dict[str, Any]:
    """Where the prices came from and how old they are."""
    reg = _load_registry()
    return {**reg.meta, "model_count": len(reg.models)}


def list_models(provider: str | None = None, capability: str | None = None,
                include_retired: bool = True) -> list[dict]:
    """Entries (copies) sorted by provider then id, optionally filtered."""
    reg = _load_registry()
    out = []
    for entry in reg.models.values():
        if provider and entry.get("provider") != provider.lower():
            continue
        if capability and capability.lower() not in entry.get("capabilities", ()):
            continue
        if not include_retired and entry.get("retired"):
            continue
        out.append(copy_entry(entry))
    out.sort(key=lambda e: (e.get("provider") or "", e["id"]))
    return out


def providers() -> list[str]:
    return sorted({e.get("provider") or "" for e in _load_registry().models.values()})


def capabilities() -> list[str]:
    return sorted({c for e in _load_registry().models.values() for c in e.get("capabilities", ())})
