"""The numbers behind the HTML report: one selection, the existing reports over it, and the two
views no report gives yet (tokens per local day by type, calls per weekday and hour).

Everything comes from one `collect()` of the window and filters, so the page's numbers are the
same as `llm-telemetry stats`, `costs --by day|model|agent|project`, `models`, `performance`
and `patterns` print for that window and filters.

    from llm_core.report import build_report
    data = build_report(store_dir, window, filters, now=now_ms())
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from llm_core.storage.collect import Collection, collect
from llm_core.storage.day_summaries import (
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_CALLS,
    M_IN,
    M_OUT,
    M_TOTAL,
    SLOT_MS,
)
from llm_core.storage.reports import (
    WEEKDAYS,
    costs_report,
    metrics_dict,
    models_report,
    patterns_report,
    performance_report,
    totals,
)
from llm_core.storage.windows import Filters, Window

__all__ = ["AVERAGE_DAYS", "MAX_EMPTY_LEAD_DAYS", "build_report", "calls_by_weekday_hour",
           "report_data", "tokens_by_day"]

AVERAGE_DAYS = 7
MAX_EMPTY_LEAD_DAYS = 366  # a window starting long before the first call starts at that call
_ENVELOPE = ("report", "window", "filters", "corrupt_lines", "invalid_values")
_TOKEN_TYPES = (("input", M_IN), ("output", M_OUT), ("cache_read", M_CACHE_READ),
                ("cache_write", M_CACHE_WRITE), ("total", M_TOTAL))  # the order _by_local_time sums


def build_report(store: Path | str, window: Window, filters: Filters | None = None,
                 now: int | None = None) -> dict:
    """The data of the HTML report (also what `llm-telemetry report --json` prints)."""
    filters = filters or Filters()
    return report_data(collect(store, window, filters, need_slots=True), window, filters, now)


def report_data(col: Collection, window: Window, filters: Filters, now: int | None = None) -> dict:
    """The same from a collection made with need_slots=True."""
    by_day = costs_report(col, window, filters, by="day")
    performance = performance_report(col, window, filters)
    out = {key: performance[key] for key in _ENVELOPE}
    out["report"] = "report"
    out["generated_at"] = _iso(now) if now is not None else None
    out["stats"] = _stats(col, performance)
    tokens, grid = _by_local_time(col)
    out["days"] = _days(by_day, tokens, window, now)
    out["average_days"] = AVERAGE_DAYS
    for by in ("model", "agent", "project"):
        out[f"costs_by_{by}"] = _body(costs_report(col, window, filters, by=by))
    out["models"] = models_report(col, window, filters, top=len(col.combos) or 1)["models"]
    out["performance"] = _body(performance)
    out["patterns"] = _body(patterns_report(col, window, filters))
    out["heatmap"] = {"weekdays": list(WEEKDAYS), "calls": grid}
    return out


def _stats(col: Collection, performance: dict) -> dict:
    """The body of `stats_report`, its latency taken from `performance` (which has the same
    percentiles: computing them twice would double the time of a long window)."""
    overall, by_model = performance["overall"], performance["by_model"]
    return {
        "totals": metrics_dict(totals(col)),
        "latency_ms": {k: overall[k] for k in ("avg", "p50", "p95", "p99")},
        "top_model": {"model": by_model[0]["model"], "calls": by_model[0]["calls"]} if by_model else None,
    }


def _body(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in _ENVELOPE}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).astimezone().isoformat(timespec="seconds")


_local_cache: dict[int, tuple[str, int, int]] = {}


def _local(slot: int) -> tuple[str, int, int]:
    """(local day YYYY-MM-DD, weekday, hour) of a 15-minute slot (every zone's offset is a whole
    quarter hour)."""
    got = _local_cache.get(slot)
    if got is None:
        when = datetime.fromtimestamp(slot * SLOT_MS // 1000)
        got = _local_cache[slot] = (when.date().isoformat(), when.weekday(), when.hour)
    return got


def reset_local_cache() -> None:
    """Forget cached local times (after changing TZ in a test)."""
    _local_cache.clear()


def tokens_by_day(col: Collection) -> dict[str, dict[str, int]]:
    """Local day (YYYY-MM-DD) -> tokens by type (input, output, cache_read, cache_write, total)."""
    return _by_local_time(col)[0]


def calls_by_weekday_hour(col: Collection) -> list[list[int]]:
    """Calls per local weekday (Monday first) and hour: 7 rows of 24 counts."""
    return _by_local_time(col)[1]


def _by_local_time(col: Collection) -> tuple[dict[str, dict[str, int]], list[list[int]]]:
    """Both views in one pass over the slots (a year has 35,000 of them)."""
    days: dict[str, list[int]] = {}
    grid = [[0] * 24 for _ in range(7)]
    for slot, m in col.slots.items():
        day, weekday, hour = _local(slot)
        grid[weekday][hour] += m[M_CALLS]
        acc = days.get(day)
        if acc is None:
            days[day] = [m[M_IN], m[M_OUT], m[M_CACHE_READ], m[M_CACHE_WRITE], m[M_TOTAL]]
        else:
            acc[0] += m[M_IN]
            acc[1] += m[M_OUT]
            acc[2] += m[M_CACHE_READ]
            acc[3] += m[M_CACHE_WRITE]
            acc[4] += m[M_TOTAL]
    names = [name for name, _ in _TOKEN_TYPES]
    return {day: dict(zip(names, acc, strict=True)) for day, acc in days.items()}, grid


def _days(by_day: dict, tokens: dict, window: Window, now: int | None) -> list[dict]:
    """Every local day of the window (days without calls as zeros), with the cost's trailing
    average over the day and the AVERAGE_DAYS - 1 before it (fewer at the window's start)."""
    rows = {b["key"]: b for b in by_day["breakdown"]}
    span = _span(sorted(rows), window, now)
    out: list[dict] = []
    costs: list[float] = []
    for day in span:
        key = day.isoformat()
        b = rows.get(key)
        cost = b["cost_usd"] if b else 0.0
        costs.append(cost)
        recent = costs[-AVERAGE_DAYS:]
        out.append({
            "day": key,
            "calls": b["calls"] if b else 0,
            "cost_usd": cost,
            "cost_avg_usd": round(sum(recent) / len(recent), 6),
            "unknown_cost_calls": b["unknown_cost_calls"] if b else 0,
            "tokens": tokens.get(key) or dict.fromkeys((name for name, _ in _TOKEN_TYPES), 0),
        })
    return out


def _span(days: list[str], window: Window, now: int | None) -> list[date]:
    """The local days to show: the window's, clipped to the data where it is unbounded."""
    if not days and (window.start is None or window.end is None):
        return []
    first = date.fromisoformat(days[0]) if days else None
    last = date.fromisoformat(days[-1]) if days else None
    start = first if window.start is None else datetime.fromtimestamp(window.start / 1000).date()
    if first is not None and (first - start).days > MAX_EMPTY_LEAD_DAYS:
        start = first
    if window.end is None:
        end = last
    else:
        end = datetime.fromtimestamp((window.end - 1) / 1000).date()
        latest = max(d for d in (last, None if now is None else datetime.fromtimestamp(now / 1000).date(),
                                 start) if d is not None)
        end = min(end, latest)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
