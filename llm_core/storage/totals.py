"""summary.json: per-day totals, derived from the per-day summaries (storage/day_summaries.py).

    {"version": 1, "updated": "2026-11-27T10:30:45.123Z",
     "days": {"2026-11-27": {"calls": 12, "errors": 1, "skipped_lines": 0,
                             "tokens": {"input": .., "output": .., "cache_read": .., "cache_write": .., "total": ..},
                             "cost_usd": 0.0123, "unknown_cost_calls": 2, "invalid_values": 0,
                             "by_model": {"claude-haiku-4-5": {"calls": .., "errors": .., "tokens": {..}, "cost_usd": ..}},
                             "offset": 4711, "inode": 1234,
                             "source": {"ino": 1234, "dev": 2049, "size": 4711, "mtime_ns": ..}}}}

One source of truth: a day's entry is computed from that day's summary (`.summaries/DAY.sum`),
which is built or extended from the day's telemetry.jsonl as the reports' are, so summary.json
and the reports count the same records (a line without a usable timestamp is a skipped line in
both). An entry whose `source` (the day file's identity when it was counted) still matches the
file is kept as it is; any other is derived again. Days whose folder is gone are dropped. Only
this module writes the file, atomically, so concurrent updaters can only make it a little
stale, never wrong. Deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

from llm_core.dayfiles import day_file_stat
from llm_core.records import (
    TELEMETRY_FILE,
    TOKEN_KEYS,
    TOTALS_FILE,
    ReadStats,
    atomic_write,
    day_names,
    now_timestamp,
)
from llm_core.storage.day_summaries import (
    COST_SCALE,
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_CALLS,
    M_COST,
    M_IN,
    M_INVALID,
    M_OUT,
    M_TOTAL,
    M_UNKNOWN,
    DaySummary,
    day_summary,
    file_identity,
)

__all__ = ["day_totals", "drop_days", "empty_day", "load", "public_day", "refresh", "save"]

VERSION = 3  # 2: invalid_values; token sums may exceed 64 bits. 3: errors leave out blocked calls
_INTERNAL = ("offset", "inode", "source")
_TOKEN_METRICS = {"input": M_IN, "output": M_OUT, "cache_read": M_CACHE_READ,
                  "cache_write": M_CACHE_WRITE, "total": M_TOTAL}


def empty_day() -> dict[str, Any]:
    return {
        "calls": 0, "errors": 0, "skipped_lines": 0,
        "tokens": dict.fromkeys(TOKEN_KEYS, 0),
        "cost_usd": 0.0, "unknown_cost_calls": 0, "invalid_values": 0, "by_model": {},
        "offset": 0, "inode": 0,
    }


def day_totals(summary: DaySummary) -> dict[str, Any]:
    """A day's summary.json entry, from its per-day summary."""
    day = empty_day()
    cost = unknown = invalid = 0
    model_cost: dict[str, int] = {}
    for combo, metrics in zip(summary.combos, summary.totals, strict=True):
        model = str(combo[3] or "unknown")
        per_model = day["by_model"].get(model)
        if per_model is None:
            per_model = day["by_model"][model] = {
                "calls": 0, "errors": 0, "tokens": dict.fromkeys(TOKEN_KEYS, 0), "cost_usd": 0.0,
            }
        failed = metrics[M_CALLS] if combo[5] is False else 0
        for target in (day, per_model):
            target["calls"] += metrics[M_CALLS]
            target["errors"] += failed
            for key, m in _TOKEN_METRICS.items():
                target["tokens"][key] += metrics[m]
        cost += metrics[M_COST]
        model_cost[model] = model_cost.get(model, 0) + metrics[M_COST]
        unknown += metrics[M_UNKNOWN]
        invalid += metrics[M_INVALID]
    for model, units in model_cost.items():
        day["by_model"][model]["cost_usd"] = round(units / COST_SCALE, 10)
    source = summary.meta["source"]
    day.update(cost_usd=round(cost / COST_SCALE, 10), unknown_cost_calls=unknown, invalid_values=invalid,
               skipped_lines=summary.meta["bad"], offset=summary.meta["offset"], inode=source["ino"],
               source={k: source[k] for k in ("ino", "dev", "size", "mtime_ns")})
    return day


def _valid_entry(entry: Any) -> bool:
    try:
        return (
            type(entry["offset"]) is int and type(entry["inode"]) is int
            and type(entry["source"]) is dict
            and type(entry["calls"]) is int and type(entry["errors"]) is int
            and type(entry["skipped_lines"]) is int
            and isinstance(entry["cost_usd"], (int, float)) and type(entry["unknown_cost_calls"]) is int
            and type(entry["invalid_values"]) is int
            and all(type(entry["tokens"][k]) is int for k in TOKEN_KEYS)
            and all(
                type(m["calls"]) is int and type(m["errors"]) is int
                and isinstance(m["cost_usd"], (int, float))
                and all(type(m["tokens"][k]) is int for k in TOKEN_KEYS)
                for m in entry["by_model"].values()
            )
        )
    except (KeyError, TypeError, AttributeError):
        return False


def load(path: str) -> dict | None:
    """The parsed summary, or None when missing, unreadable or not ours."""
    try:
        with open(path, "rb") as f:
            data = orjson.loads(f.read())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("days"), dict):
        return None
    return data


def save(path: str, data: dict) -> None:
    """Write atomically: a private temp file in the same folder, then rename over."""
    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        # Only token sums beyond 64 bits (absurd usages) get here: the json module writes them
        # exactly; orjson reads them back as floats, so such a day is derived again on reading.
        import json

        text = json.dumps(data, indent=2, sort_keys=True).encode()
    atomic_write(path, text)


def refresh(storage, days: list[str] | None = None, budget_bytes: int | None = None,
            warn: bool = True, write_summaries: bool = True) -> dict:
    """Bring summary.json up to date for `days` (default: every day) and return it.

    With `budget_bytes`, a stale day whose file is bigger than that is left as it was (used at
    exit, to keep a one-shot command's exit within a few milliseconds). Without
    `write_summaries` the per-day summaries are derived in memory and not saved (at exit: one
    file written, not two; the next reader extends the saved ones). Nothing is written when the store is disabled, its folder does not exist,
    or nothing changed.
    """
    base = Path(storage.base_dir)
    path = base / TOTALS_FILE
    data = load(path)
    changed = data is None
    if data is None:
        data = {"version": VERSION, "updated": None, "days": {}}
    on_disk = set(day_names(base))
    for day in [d for d in data["days"] if d not in on_disk]:
        del data["days"][day]
        changed = True
    wanted = sorted(on_disk) if days is None else [d for d in days if d in on_disk]
    for day in wanted:
        try:
            st = day_file_stat(base / day / TELEMETRY_FILE)
        except FileNotFoundError:
            changed |= data["days"].pop(day, None) is not None
            continue
        entry = data["days"].get(day)
        if _valid_entry(entry) and entry["source"] == file_identity(st):
            continue
        summary = day_summary(base, day, budget_bytes, write_summaries)
        if summary is not None:
            data["days"][day] = day_totals(summary)
            changed = True
    if changed and storage.enabled and base.is_dir():
        data["updated"] = now_timestamp()
        data["days"] = dict(sorted(data["days"].items()))
        with contextlib.suppress(OSError):  # an unwritable cache only slows the next read
            save(path, data)
    damaged = [d for d, e in data["days"].items() if d in wanted and e.get("skipped_lines")]
    if warn and damaged:
        skipped = sum(data["days"][d]["skipped_lines"] for d in damaged)
        ReadStats(skipped=skipped, damaged=[str(base / d) for d in damaged]).warn()
    return data


def drop_days(storage, days: list[str]) -> None:
    """Forget pruned days in summary.json (when it is valid; otherwise the next read rebuilds it)."""
    path = os.path.join(storage.base_dir, TOTALS_FILE)
    data = load(path)
    if not storage.enabled or data is None or not any(d in data["days"] for d in days):
        return
    for day in days:
        data["days"].pop(day, None)
    with contextlib.suppress(OSError):
        save(path, data)


def public_day(day: str, entry: dict | None) -> dict:
    """A day's totals without the bookkeeping fields, with its date."""
    entry = entry if entry is not None else empty_day()
    out = {"date": day}
    out.update({k: v for k, v in entry.items() if k not in _INTERNAL})
    return out
