"""summary.json: rolling per-day totals, a cache of the day files and never the source of truth.

    {"version": 1, "updated": "2026-11-27T10:30:45.123Z",
     "days": {"2026-11-27": {"calls": 12, "errors": 1, "skipped_lines": 0,
                             "tokens": {"input": .., "output": .., "cache_read": .., "cache_write": .., "total": ..},
                             "cost_usd": 0.0123, "unknown_cost_calls": 2,
                             "by_model": {"claude-haiku-4-5": {"calls": .., "errors": .., "tokens": {..}, "cost_usd": ..}},
                             "offset": 4711, "inode": 1234}}}

Each day remembers how far into its telemetry.jsonl it has counted (`offset`, always just after
a newline, and the file's `inode`). An update reads only what was appended since; a day whose
file shrank or was replaced, a corrupt entry or a corrupt file is recounted from the JSONL.
Days whose folder is gone are dropped. The file is written atomically (temp file + rename), so
concurrent updaters can only make it a little stale, never wrong.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import orjson

from llm_core.records import (
    TELEMETRY_FILE,
    TOKEN_KEYS,
    TOTALS_FILE,
    ReadStats,
    atomic_write,
    now_timestamp,
    parse_lines,
)

VERSION = 1
_INTERNAL = ("offset", "inode")


def empty_day() -> dict[str, Any]:
    return {
        "calls": 0, "errors": 0, "skipped_lines": 0,
        "tokens": dict.fromkeys(TOKEN_KEYS, 0),
        "cost_usd": 0.0, "unknown_cost_calls": 0, "by_model": {},
        "offset": 0, "inode": 0,
    }


def _int(value: Any) -> int:
    return value if type(value) is int else (int(value) if isinstance(value, float) else 0)


def add_record(totals: dict, record: dict) -> None:
    """Add one telemetry record to a day's totals (and its model's)."""
    model = str(record.get("model") or "unknown")
    per_model = totals["by_model"].get(model)
    if per_model is None:
        per_model = totals["by_model"][model] = {
            "calls": 0, "errors": 0, "tokens": dict.fromkeys(TOKEN_KEYS, 0), "cost_usd": 0.0,
        }
    failed = record.get("success") is False
    tokens = record.get("tokens") if isinstance(record.get("tokens"), dict) else {}
    cost = record.get("cost_usd")
    for target in (totals, per_model):
        target["calls"] += 1
        target["errors"] += failed
        for key in TOKEN_KEYS:
            target["tokens"][key] += _int(tokens.get(key))
        if isinstance(cost, (int, float)) and not isinstance(cost, bool):
            target["cost_usd"] += cost
    if not isinstance(cost, (int, float)) or isinstance(cost, bool):
        totals["unknown_cost_calls"] += 1


def count_tail(totals: dict, path: str, start: int, budget: int | None = None) -> bool:
    """Add the whole lines of `path` from byte `start` on; False if over `budget` bytes."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if budget is not None and size - start > budget:
            return False
        f.seek(start)
        data = f.read()
    end = data.rfind(b"\n") + 1  # a torn or still-being-written last line waits for its newline
    stats = ReadStats()
    for record in parse_lines(data[:end], stats):
        add_record(totals, record)
    totals["skipped_lines"] += stats.skipped
    totals["offset"] = start + end
    return True


def _valid_entry(entry: Any) -> bool:
    try:
        return (
            type(entry["offset"]) is int and type(entry["inode"]) is int
            and type(entry["calls"]) is int and type(entry["errors"]) is int
            and type(entry["skipped_lines"]) is int
            and isinstance(entry["cost_usd"], (int, float)) and type(entry["unknown_cost_calls"]) is int
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
    atomic_write(path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def refresh(storage, days: list[str] | None = None, budget_bytes: int | None = None,
            warn: bool = True) -> dict:
    """Bring summary.json up to date for `days` (default: every day) and return it.

    With `budget_bytes`, a day needing more reading than that is left as it was (used at exit).
    Nothing is written when the store is disabled, its folder does not exist, or nothing changed.
    """
    base = storage.base_dir
    path = os.path.join(base, TOTALS_FILE)
    data = load(path)
    changed = data is None
    if data is None:
        data = {"version": VERSION, "updated": None, "days": {}}
    on_disk = {p.name: p for p in storage.day_dirs()}
    for day in [d for d in data["days"] if d not in on_disk]:
        del data["days"][day]
        changed = True
    wanted = on_disk if days is None else [d for d in days if d in on_disk]
    for day in wanted:
        file = os.path.join(on_disk[day], TELEMETRY_FILE)
        try:
            st = os.stat(file)
        except FileNotFoundError:
            if day in data["days"]:
                del data["days"][day]
                changed = True
            continue
        entry = data["days"].get(day)
        fresh = (
            _valid_entry(entry) and entry["inode"] == st.st_ino and entry["offset"] <= st.st_size
        )
        if fresh and entry["offset"] == st.st_size:
            continue
        if not fresh:
            entry = empty_day()
            entry["inode"] = st.st_ino
        before = entry["offset"]
        if not count_tail(entry, file, before, budget_bytes):
            continue
        if entry["offset"] != before or not fresh:
            entry["cost_usd"] = round(entry["cost_usd"], 10)
            data["days"][day] = entry
            changed = True
    if changed and storage.enabled and os.path.isdir(base):
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
