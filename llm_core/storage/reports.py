"""The `llm-telemetry` reports: a `Collection` turned into the documented JSON shape.

Percentiles are nearest-rank over every recorded latency, found without merging the
per-model sorted sequences. Local days, hours and weekdays honour `TZ`.

    from llm_core.storage.collect import collect
    from llm_core.storage.reports import stats_report
    from llm_core.storage.windows import Filters, now_ms, period_window
    window = period_window("week", now_ms())
    print(stats_report(collect(store_dir, window, Filters()), window))
"""

from __future__ import annotations

import math
import struct
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from llm_core.storage._month_summary_file import Counted
from llm_core.storage.collect import Collection
from llm_core.storage.day_summaries import (
    BLOCKED,
    COST_SCALE,
    DUR_SCALE,
    M_BILLED,
    M_BILLED_COST,
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_CALLS,
    M_COST,
    M_DUR,
    M_DURN,
    M_IN,
    M_INVALID,
    M_OUT,
    M_TOTAL,
    M_UNKNOWN,
    NM,
    SLOT_MS,
)
from llm_core.storage.windows import NO_FILTERS, Dims, Filters, Window

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BREAKDOWNS = ("model", "project", "agent", "provider", "day")


# ---------------------------------------------------------------- percentiles

_D, _Q = struct.Struct("<d"), struct.Struct("<Q")


def _key(x: float) -> int:
    return _Q.unpack(_D.pack(x))[0]


def _unkey(k: int) -> float:
    return _D.unpack(_Q.pack(k))[0]


def _count(seqs: list, x: float, right: bool) -> int:
    """How many values of `seqs` are <= x (`right`) or < x."""
    n = 0
    find = bisect_right if right else bisect_left
    for s in seqs:
        if type(s) is Counted:
            n += s.count_le(x) if right else s.count_lt(x)
        else:
            n += find(s, x)
    return n


def kth_smallest(seqs: list, k: int) -> float:
    """The k-th smallest (1-based) value of several sorted sequences of non-negative numbers
    (arrays, or Counted: distinct values with their counts), found by binary search on the
    value (counting with bisect) without merging them."""
    seqs = [s for s in seqs if len(s)]
    a = math.floor(min(s[0] for s in seqs))
    b = math.ceil(max(s[-1] for s in seqs))
    while a < b:  # the smallest whole number x with at least k values <= x
        mid = (a + b) // 2
        if _count(seqs, mid, True) >= k:
            b = mid
        else:
            a = mid + 1
    if _count(seqs, a, False) < k:
        return float(a)
    lo, hi = _key(float(a - 1)), _key(float(a))  # the answer lies strictly between a-1 and a
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _count(seqs, _unkey(mid), True) >= k:
            hi = mid
        else:
            lo = mid
    return _unkey(hi)


def percentile(seqs: list, p: float) -> float | None:
    """Nearest-rank percentile p (0 < p <= 100) of the values in `seqs`; None if empty."""
    n = sum(len(s) for s in seqs)
    if not n:
        return None
    return kth_smallest(seqs, max(1, math.ceil(p / 100 * n)))


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if x.is_integer() else x


def latency(seqs: list, total_us: int, n: int) -> dict:
    """{avg, p50, p95, p99} in ms; nulls when nothing was timed."""
    return {
        "avg": round(total_us / DUR_SCALE / n, 3) if n else None,
        "p50": _num(percentile(seqs, 50)),
        "p95": _num(percentile(seqs, 95)),
        "p99": _num(percentile(seqs, 99)),
    }


# ---------------------------------------------------------------- grouping

def _zero() -> list[int]:
    return [0] * (NM + 3)  # the metrics, then the successful, cancelled and blocked calls


def group(col: Collection, key: Callable[[Dims], Any]) -> dict[Any, list[int]]:
    """Sum the combos by key(dims) -> metrics + [successes, cancelled, blocked]; `dims` has
    named fields."""
    out: dict[Any, list[int]] = {}
    for combo, m in col.combos.items():
        dims = Dims._make(combo)
        k = key(dims)
        acc = out.get(k)
        if acc is None:
            acc = out[k] = _zero()
        for i in range(NM):
            acc[i] += m[i]
        if dims.success is True:
            acc[NM] += m[M_CALLS]
        elif dims.success is None:
            acc[NM + 1] += m[M_CALLS]
        elif dims.success == BLOCKED:
            acc[NM + 2] += m[M_CALLS]
    return out


def totals(col: Collection) -> list[int]:
    return group(col, lambda d: None).get(None) or _zero()


def metrics_dict(m: list[int]) -> dict:
    """The documented shape of one group's numbers."""
    calls = m[M_CALLS]
    successes = m[NM] if len(m) > NM else calls
    cancelled = m[NM + 1] if len(m) > NM + 1 else 0
    blocked = m[NM + 2] if len(m) > NM + 2 else 0
    failures = calls - successes - cancelled - blocked
    # Neither a call the user cancelled nor one a budget refused (never sent) is a failure.
    finished = calls - cancelled - blocked
    return {
        "calls": calls,
        "successes": successes,
        "failures": failures,
        "cancelled": cancelled,
        "blocked": blocked,
        "error_rate": round(failures / finished, 6) if finished else 0.0,
        "tokens": {
            "input": m[M_IN], "output": m[M_OUT], "cache_read": m[M_CACHE_READ],
            "cache_write": m[M_CACHE_WRITE], "total": m[M_TOTAL],
        },
        "cost_usd": m[M_COST] / COST_SCALE,
        "unknown_cost_calls": m[M_UNKNOWN],
        "invalid_values": m[M_INVALID],
        "cost_source": cost_source(m),
        "avg_ms": round(m[M_DUR] / DUR_SCALE / m[M_DURN], 3) if m[M_DURN] else None,
    }


def cost_source(m: list[int]) -> dict:
    """Which part of a cost the provider billed (OpenRouter's provider_cost_usd, used when a
    record has it) and which part llm-core estimated from the registry's prices."""
    return {
        "billed": {"calls": m[M_BILLED], "usd": m[M_BILLED_COST] / COST_SCALE},
        "estimated": {"calls": m[M_CALLS] - m[M_BILLED] - m[M_UNKNOWN],
                      "usd": (m[M_COST] - m[M_BILLED_COST]) / COST_SCALE},
        "unknown": {"calls": m[M_UNKNOWN]},
    }


def _envelope(col: Collection, window: Window, filters: Filters, name: str) -> dict:
    return {
        "report": name,
        "window": window.to_dict(),
        "filters": filters.to_dict(),
        "corrupt_lines": col.corrupt_lines,
        # Calls carrying a negative, non-numeric or implausible count, cost or latency: those
        # values are damage and left out of every sum.
        "invalid_values": sum(m[M_INVALID] for m in col.combos.values()),
    }


def _all_latencies(col: Collection) -> list:
    return [s for seqs in col.latencies.values() for s in seqs]


def _ranked(groups: dict, by: int = M_CALLS) -> list[tuple[Any, list[int]]]:
    return sorted(groups.items(), key=lambda kv: (-kv[1][by], _sort_key(kv[0])))


def _sort_key(k: Any) -> tuple:
    if isinstance(k, tuple):
        return tuple(_sort_key(x) for x in k)
    return (k is None, "" if k is None else str(k))


def _by_model(d: Dims) -> str | None:
    return d.model


def _by_operation(d: Dims) -> tuple:
    return d.agent, d.operation


# ---------------------------------------------------------------- reports

def stats_report(col: Collection, window: Window, filters: Filters = NO_FILTERS) -> dict:
    tot = totals(col)
    models = _ranked(group(col, _by_model))
    out = _envelope(col, window, filters, "stats")
    out["totals"] = metrics_dict(tot)
    out["latency_ms"] = latency(_all_latencies(col), tot[M_DUR], tot[M_DURN])
    out["top_model"] = {"model": models[0][0], "calls": models[0][1][M_CALLS]} if models else None
    return out


def _by_local_day(col: Collection) -> list[tuple[str, list[int]]]:
    """Per local date its sums; a slot's date by arithmetic on its UTC day's offset (as in
    _by_hour_and_weekday), a date object per day rather than per slot (35,000 in a year)."""
    rows: dict[int, list] = {}
    for slot, m in col.slots.items():
        secs = slot * SLOT_MS // 1000
        offset = _day_offset(secs // 86400)
        day = (_local(slot)[0].toordinal() - _EPOCH_ORDINAL) if offset is None else (secs + offset) // 86400
        rows.setdefault(day, []).append(m)
    out = []
    for day, ms in rows.items():
        acc = _zero()
        acc[:NM] = map(sum, zip(*ms, strict=True))  # column sums, a year of slots at C speed
        out.append((date.fromordinal(_EPOCH_ORDINAL + day).isoformat(), acc))
    return sorted(out)


def costs_report(col: Collection, window: Window, filters: Filters = NO_FILTERS, by: str = "model") -> dict:
    tot = totals(col)
    if by == "day":
        ranked = _by_local_day(col)
    elif by in ("project", "agent", "model", "provider"):
        ranked = _ranked(group(col, lambda d: getattr(d, by)), M_COST)
    else:
        raise ValueError(f"unknown breakdown {by!r} (use {', '.join(BREAKDOWNS)})")
    total_cost = tot[M_COST]
    out = _envelope(col, window, filters, "costs")
    out.update(
        by=by,
        total_cost_usd=total_cost / COST_SCALE,
        calls=tot[M_CALLS],
        unknown_cost_calls=tot[M_UNKNOWN],
        cost_source=cost_source(tot),
        breakdown=[
            {
                "key": k, "cost_usd": m[M_COST] / COST_SCALE,
                "share": round(m[M_COST] / total_cost, 6) if total_cost else 0.0,
                "calls": m[M_CALLS], "unknown_cost_calls": m[M_UNKNOWN],
            }
            for k, m in ranked
        ],
    )
    return out


def models_report(col: Collection, window: Window, filters: Filters = NO_FILTERS, top: int = 10) -> dict:
    tot = totals(col)
    out = _envelope(col, window, filters, "models")
    out["calls"] = tot[M_CALLS]
    out["models"] = [
        {"model": k[0], "provider": k[1], **metrics_dict(m),
         "share": round(m[M_CALLS] / tot[M_CALLS], 6) if tot[M_CALLS] else 0.0}
        for k, m in _ranked(group(col, lambda d: (d.model, d.provider)))[:top]
    ]
    return out


def agents_report(col: Collection, window: Window, filters: Filters = NO_FILTERS) -> dict:
    out = _envelope(col, window, filters, "agents")
    out["agents"] = [
        {"agent": k[0], "operation": k[1], **metrics_dict(m)}
        for k, m in _ranked(group(col, _by_operation))
    ]
    return out


def projects_report(col: Collection, window: Window, filters: Filters = NO_FILTERS) -> dict:
    out = _envelope(col, window, filters, "projects")
    out["projects"] = [
        {"project": k, **metrics_dict(m)} for k, m in _ranked(group(col, lambda d: d.project))
    ]
    return out


def performance_report(col: Collection, window: Window, filters: Filters = NO_FILTERS,
                       slowest: int = 5) -> dict:
    tot = totals(col)
    out = _envelope(col, window, filters, "performance")
    out["overall"] = {"calls": tot[M_CALLS], "timed_calls": tot[M_DURN],
                      **latency(_all_latencies(col), tot[M_DUR], tot[M_DURN])}
    out["by_model"] = [
        {"model": model, "calls": m[M_CALLS], "timed_calls": m[M_DURN],
         **latency(col.latencies.get(model, []), m[M_DUR], m[M_DURN])}
        for model, m in _ranked(group(col, _by_model))
    ]
    ops = [(k, m) for k, m in group(col, _by_operation).items() if m[M_DURN]]
    ops.sort(key=lambda kv: (-kv[1][M_DUR] / kv[1][M_DURN], _sort_key(kv[0])))
    out["slowest_operations"] = [
        {"agent": k[0], "operation": k[1], "calls": m[M_CALLS],
         "avg_ms": round(m[M_DUR] / DUR_SCALE / m[M_DURN], 3)}
        for k, m in ops[:slowest]
    ]
    return out


def patterns_report(col: Collection, window: Window, filters: Filters = NO_FILTERS, top: int = 5) -> dict:
    hours, weekdays = _by_hour_and_weekday(col.slots)
    out = _envelope(col, window, filters, "patterns")
    calls = sum(hours)
    peak = sorted(range(24), key=lambda h: (-hours[h], h))
    busiest = min(range(7), key=lambda d: (-weekdays[d], d))
    out.update(
        calls=calls,
        by_hour=hours,
        by_weekday=[{"weekday": WEEKDAYS[d], "calls": weekdays[d]} for d in range(7)],
        peak_hours=[h for h in peak[:3] if hours[h]],
        busiest_weekday=WEEKDAYS[busiest] if calls else None,
        top_operations=[
            {"agent": k[0], "operation": k[1], "calls": m[M_CALLS]}
            for k, m in _ranked(group(col, _by_operation))[:top]
        ],
    )
    return out


_local_cache: dict[int, tuple[date, int]] = {}
_day_offsets: dict[int, int | None] = {}  # UTC day -> its local UTC offset (s), if one all day
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _local(slot: int) -> tuple[date, int]:
    """Local (date, hour) of a 15-minute slot (every zone's offset is a whole quarter hour)."""
    got = _local_cache.get(slot)
    if got is None:
        got = _local_cache[slot] = _local_of(slot)
    return got


def _by_hour_and_weekday(slots: dict) -> tuple[list[int], list[int]]:
    """Calls per local hour and per local weekday (Monday first) of {slot: metrics}: what
    _local gives, by arithmetic on the day's offset rather than a date per slot (a year holds
    35,000 slots)."""
    hours, weekdays = [0] * 24, [0] * 7
    for slot, m in slots.items():
        secs = slot * SLOT_MS // 1000
        offset = _day_offset(secs // 86400)
        if offset is None:
            day, hour = _local(slot)
            weekday = day.weekday()
        else:
            local = secs + offset
            hour, weekday = local % 86400 // 3600, (local // 86400 + _EPOCH_WEEKDAY) % 7
        hours[hour] += m[M_CALLS]
        weekdays[weekday] += m[M_CALLS]
    return hours, weekdays


_EPOCH_WEEKDAY = date(1970, 1, 1).weekday()


def _day_offset(day: int) -> int | None:
    """The local UTC offset (s) all through UTC day `day` (days since the epoch), or None on a
    day the clocks changed. Two localtime() per UTC day, not one per slot: the same offset at
    its first and last quarter hour means the clocks did not change that day (changes are
    months apart); a day when they did is looked up slot by slot."""
    if day not in _day_offsets:
        first, last = time.localtime(day * 86400).tm_gmtoff, time.localtime(day * 86400 + 85500).tm_gmtoff
        _day_offsets[day] = first if first == last else None
    return _day_offsets[day]


def _local_of(slot: int) -> tuple[date, int]:
    secs = slot * SLOT_MS // 1000
    offset = _day_offset(secs // 86400)
    if offset is None:
        dt = datetime.fromtimestamp(secs)
        return dt.date(), dt.hour
    local = secs + offset
    return date.fromordinal(_EPOCH_ORDINAL + local // 86400), local % 86400 // 3600


def reset_local_cache() -> None:
    """Forget cached local times (after changing TZ in a test)."""
    _local_cache.clear()
    _day_offsets.clear()
