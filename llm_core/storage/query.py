"""Aggregations over the telemetry store: the numbers behind every `llm-telemetry` report.

Two ways to the same result:

- `collect(store, window, filters)` answers from the per-day summaries in `day_summaries.py`
  (built on first use, extended as day files grow) -- the fast path every report takes;
- `collect_scan(...)` reads every record with orjson -- the reference the tests compare with.

Both return a `Collection` (sums per combo and per 15-minute slot, sorted latencies per
model); the `*_report` functions turn one into the documented JSON shape. Sums are integers
and percentiles come from the latencies themselves, so both paths give identical reports.

Times: windows are [start, end) in epoch milliseconds. Days, hours and weekdays are local
(`TZ` honoured); the store's day folders are UTC, so a local day may span two of them.

    from llm_core.storage.query import Filters, period_window, collect, stats_report
    window = period_window("week")
    print(stats_report(collect(store_dir, window, Filters()), window))
"""

from __future__ import annotations

import math
import operator
import struct
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from llm_core.records import parse_timestamp
from llm_core.storage.day_summaries import (
    COST_SCALE,
    DUR_SCALE,
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_CALLS,
    M_COST,
    M_DUR,
    M_DURN,
    M_IN,
    M_OUT,
    M_TOTAL,
    M_UNKNOWN,
    NM,
    SLOT_MS,
    day_files,
    extract,
    split_lines,
    summaries,
)

DIMENSIONS = ("project", "agent", "operation", "model", "provider")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PERIODS = ("today", "yesterday", "week", "month", "all")


# ---------------------------------------------------------------- filters and windows

@dataclass(frozen=True)
class Filters:
    """Exact-match filters; None means any."""

    project: str | None = None
    agent: str | None = None
    model: str | None = None
    provider: str | None = None

    @property
    def empty(self) -> bool:
        return self.project is None and self.agent is None and self.model is None and self.provider is None

    def match(self, dims: tuple | list) -> bool:
        return (
            (self.project is None or dims[0] == self.project)
            and (self.agent is None or dims[1] == self.agent)
            and (self.model is None or dims[3] == self.model)
            and (self.provider is None or dims[4] == self.provider)
        )

    def to_dict(self) -> dict:
        return {"project": self.project, "agent": self.agent, "model": self.model, "provider": self.provider}


@dataclass(frozen=True)
class Window:
    """[start, end) in epoch milliseconds; None is unbounded. `label` names it for people."""

    start: int | None = None
    end: int | None = None
    label: str = "all time"

    def contains(self, ts: int) -> bool:
        return (self.start is None or ts >= self.start) and (self.end is None or ts < self.end)

    def to_dict(self) -> dict:
        return {"label": self.label, "since": _iso_local(self.start), "until": _iso_local(self.end)}


class DateError(ValueError):
    """A date or range the user gave that cannot be used (a usage error for the CLI)."""


def _iso_local(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000).astimezone().isoformat(timespec="seconds")


def local_midnight(day: date) -> int:
    """Epoch ms of 00:00 local time on `day`."""
    return int(datetime(day.year, day.month, day.day).timestamp() * 1000)


def now_ms(pinned: str | None = None) -> int:
    """The current time in epoch ms, or `pinned` (an ISO timestamp) when given."""
    if pinned:
        ts = parse_when(pinned)
        if ts is None:
            raise DateError(f"cannot read the pinned time {pinned!r}")
        return ts
    return int(datetime.now().timestamp() * 1000)


def today(now: int) -> date:
    return datetime.fromtimestamp(now / 1000).date()


def last_days(days: int, now: int, label: str | None = None) -> Window:
    """The last `days` local days including today."""
    if days < 1:
        raise DateError("--days must be at least 1")
    d = today(now)
    return Window(local_midnight(d - timedelta(days=days - 1)), local_midnight(d + timedelta(days=1)),
                  label or ("today" if days == 1 else f"last {days} days"))


def period_window(period: str, now: int) -> Window:
    """today | yesterday | week (last 7 days) | month (last 30 days) | all."""
    d = today(now)
    if period == "today":
        return last_days(1, now, "today")
    if period == "yesterday":
        return Window(local_midnight(d - timedelta(days=1)), local_midnight(d), "yesterday")
    if period == "week":
        return last_days(7, now, "last 7 days")
    if period == "month":
        return last_days(30, now, "last 30 days")
    if period == "all":
        return Window(label="all time")
    raise DateError(f"unknown period {period!r} (use {', '.join(PERIODS)})")


def parse_when(text: str, *, end: bool = False) -> int | None:
    """Epoch ms of a DATE (local; with `end`, the start of the next day) or an ISO date-time
    (local unless it carries Z or an offset); None when unreadable."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return local_midnight(day + timedelta(days=1) if end else day)
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return int(dt.timestamp() * 1000)
    return parse_timestamp(dt.isoformat())


def range_window(since: str | None, until: str | None, fallback: Window) -> Window:
    """--since/--until (either may be missing) or else `fallback`."""
    if since is None and until is None:
        return fallback
    start = end = None
    if since is not None:
        start = parse_when(since)
        if start is None:
            raise DateError(f"--since: cannot read {since!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    if until is not None:
        end = parse_when(until, end=True)
        if end is None:
            raise DateError(f"--until: cannot read {until!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    if start is not None and end is not None and start >= end:
        raise DateError(f"--since {since} is not before --until {until}")
    return Window(start, end, "custom")


# ---------------------------------------------------------------- collecting

@dataclass
class Collection:
    """What a window and filters select: sums per combo and per slot, latencies per model."""

    combos: dict[tuple, list[int]] = field(default_factory=dict)
    slots: dict[int, list[int]] = field(default_factory=dict)
    latencies: dict[str | None, list] = field(default_factory=dict)  # model -> sorted sequences
    corrupt_lines: int = 0
    files: int = 0

    def add_combo(self, dims: tuple, metrics: Iterable[int]) -> None:
        have = self.combos.get(dims)
        self.combos[dims] = list(metrics) if have is None else list(map(operator.add, have, metrics))

    def add_slot(self, slot: int, metrics: Iterable[int]) -> None:
        have = self.slots.get(slot)
        self.slots[slot] = list(metrics) if have is None else list(map(operator.add, have, metrics))

    def add_latencies(self, model: str | None, values: Any) -> None:
        if len(values):
            self.latencies.setdefault(model, []).append(values)


def collect(store: Path | str, window: Window, filters: Filters = Filters(),
            need_slots: bool = True) -> Collection:
    """The selection, answered from the per-day summaries (built or extended as needed)."""
    col = Collection()
    start, end = window.start, window.end
    aligned = (start is None or start % SLOT_MS == 0) and (end is None or end % SLOT_MS == 0)
    for path, s in summaries(Path(store)):
        col.files += 1
        col.corrupt_lines += s.meta["bad"]
        if s.min_slot is None:
            continue
        lo, hi = s.min_slot * SLOT_MS, (s.max_slot + 1) * SLOT_MS
        if (start is not None and hi <= start) or (end is not None and lo >= end):
            continue
        if _inside(s, window):
            _collect_day(col, s, window, filters, need_slots)
        elif aligned:
            _collect_rows(col, s, window, filters)
        else:
            per_model: dict = {}
            _scan_bytes(col, path.read_bytes(), window, filters, per_model)
            for model, values in per_model.items():
                col.add_latencies(model, sorted(values))
    return col


def _inside(s, window: Window) -> bool:
    return ((window.start is None or window.start <= s.min_slot * SLOT_MS)
            and (window.end is None or (s.max_slot + 1) * SLOT_MS <= window.end))


def _collect_day(col: Collection, s, window: Window, filters: Filters, need_slots: bool) -> None:
    combos = s.combos
    if filters.empty:
        for c, tot in zip(combos, s.totals, strict=False):
            col.add_combo(tuple(c), tot)
        for model, values in zip(s.models, s.model_durations(), strict=False):
            col.add_latencies(model, values)
        if need_slots:
            for row in s.day_slots:
                col.add_slot(row[0], row[1:])
        return
    rows = s.rows() if need_slots else None  # first: it may refresh the summary
    if rows is not None and not _inside(s, window):
        _collect_rows(col, s, window, filters)
        return
    combos = s.combos
    selected = [filters.match(c) for c in combos]
    per_model: dict = {}
    for cid, values in enumerate(s.combo_durations()):
        if selected[cid]:
            col.add_combo(tuple(combos[cid]), s.totals[cid])
            if len(values):
                per_model.setdefault(combos[cid][3], []).extend(values)
    for model, values in per_model.items():
        col.add_latencies(model, sorted(values))
    if rows is not None:
        cids, slots, m, _ = rows
        for r, cid in enumerate(cids):
            if selected[cid]:
                col.add_slot(slots[r], m[r * NM:(r + 1) * NM])


def _collect_rows(col: Collection, s, window: Window, filters: Filters) -> None:
    """A day the window cuts through: its (combo, slot) groups inside the window."""
    start = -math.inf if window.start is None else window.start // SLOT_MS
    end = math.inf if window.end is None else window.end // SLOT_MS
    cids, slots, m, durs = s.rows()
    combos = [tuple(c) for c in s.combos]
    selected = [filters.match(c) for c in combos]
    per_model: dict = {}
    pos = 0
    for r, cid in enumerate(cids):
        metrics = m[r * NM:(r + 1) * NM]
        n = metrics[M_DURN]
        slot = slots[r]
        if selected[cid] and start <= slot < end:
            col.add_combo(combos[cid], metrics)
            col.add_slot(slot, metrics)
            if n:
                per_model.setdefault(combos[cid][3], []).extend(durs[pos:pos + n])
        pos += n
    for model, values in per_model.items():
        col.add_latencies(model, sorted(values))


def _scan_bytes(col: Collection, data: bytes, window: Window, filters: Filters,
                per_model: dict) -> int:
    """Add the records of one day file's bytes; returns the number of unreadable lines."""
    loads, bad = orjson.loads, 0
    for line in split_lines(data):
        if not line or line.isspace():
            continue
        try:
            got = extract(loads(line))
        except orjson.JSONDecodeError:
            got = None
        if got is None:
            bad += 1
            continue
        ts, dims, metrics, d = got
        if not window.contains(ts) or not filters.match(dims):
            continue
        col.add_combo(dims, metrics)
        col.add_slot(ts // SLOT_MS, metrics)
        if d is not None:
            per_model.setdefault(dims[3], []).append(d)
    return bad


def collect_scan(store: Path | str, window: Window, filters: Filters = Filters()) -> Collection:
    """The same selection as collect(), by reading every record (the reference; slow)."""
    col = Collection()
    per_model: dict = {}
    for _day, path in day_files(Path(store)):
        col.files += 1
        col.corrupt_lines += _scan_bytes(col, path.read_bytes(), window, filters, per_model)
    for model, values in per_model.items():
        col.add_latencies(model, sorted(values))
    return col


# ---------------------------------------------------------------- percentiles

_D, _Q = struct.Struct("<d"), struct.Struct("<Q")


def _key(x: float) -> int:
    return _Q.unpack(_D.pack(x))[0]


def _unkey(k: int) -> float:
    return _D.unpack(_Q.pack(k))[0]


def kth_smallest(seqs: list, k: int) -> float:
    """The k-th smallest (1-based) value of several sorted sequences of non-negative numbers,
    found by binary search on the value (counting with bisect) without merging them."""
    seqs = [s for s in seqs if len(s)]
    a = math.floor(min(s[0] for s in seqs))
    b = math.ceil(max(s[-1] for s in seqs))
    while a < b:  # the smallest whole number x with at least k values <= x
        mid = (a + b) // 2
        if sum(bisect_right(s, mid) for s in seqs) >= k:
            b = mid
        else:
            a = mid + 1
    if sum(bisect_left(s, a) for s in seqs) < k:
        return float(a)
    lo, hi = _key(float(a - 1)), _key(float(a))  # the answer lies strictly between a-1 and a
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if sum(bisect_right(s, _unkey(mid)) for s in seqs) >= k:
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


# ---------------------------------------------------------------- report building

def _zero() -> list[int]:
    return [0] * (NM + 1)  # the metrics and, last, the successful calls


def group(col: Collection, key) -> dict[Any, list[int]]:
    """Sum the combos by key(dims) -> metrics + [successes]."""
    out: dict[Any, list[int]] = {}
    for dims, m in col.combos.items():
        k = key(dims)
        acc = out.get(k)
        if acc is None:
            acc = out[k] = _zero()
        for i in range(NM):
            acc[i] += m[i]
        if dims[5]:
            acc[NM] += m[M_CALLS]
    return out


def totals(col: Collection) -> list[int]:
    return group(col, lambda d: None).get(None) or _zero()


def metrics_dict(m: list[int]) -> dict:
    """The documented shape of one group's numbers."""
    calls = m[M_CALLS]
    successes = m[NM] if len(m) > NM else calls
    return {
        "calls": calls,
        "successes": successes,
        "failures": calls - successes,
        "error_rate": round((calls - successes) / calls, 6) if calls else 0.0,
        "tokens": {
            "input": m[M_IN], "output": m[M_OUT], "cache_read": m[M_CACHE_READ],
            "cache_write": m[M_CACHE_WRITE], "total": m[M_TOTAL],
        },
        "cost_usd": m[M_COST] / COST_SCALE,
        "unknown_cost_calls": m[M_UNKNOWN],
        "avg_ms": round(m[M_DUR] / DUR_SCALE / m[M_DURN], 3) if m[M_DURN] else None,
    }


def _envelope(col: Collection, window: Window, filters: Filters, report: str) -> dict:
    return {
        "report": report,
        "window": window.to_dict(),
        "filters": filters.to_dict(),
        "corrupt_lines": col.corrupt_lines,
    }


def _all_latencies(col: Collection) -> list:
    return [s for seqs in col.latencies.values() for s in seqs]


def _ranked(groups: dict, by: int = M_CALLS) -> list[tuple[Any, list[int]]]:
    return sorted(groups.items(), key=lambda kv: (-kv[1][by], _sort_key(kv[0])))


def _sort_key(k: Any) -> tuple:
    if isinstance(k, tuple):
        return tuple(_sort_key(x) for x in k)
    return (k is None, "" if k is None else str(k))


def stats_report(col: Collection, window: Window, filters: Filters = Filters()) -> dict:
    tot = totals(col)
    models = _ranked(group(col, lambda d: d[3]))
    out = _envelope(col, window, filters, "stats")
    out["totals"] = metrics_dict(tot)
    out["latency_ms"] = latency(_all_latencies(col), tot[M_DUR], tot[M_DURN])
    out["top_model"] = {"model": models[0][0], "calls": models[0][1][M_CALLS]} if models else None
    return out


BREAKDOWNS = ("model", "project", "agent", "provider", "day")


def costs_report(col: Collection, window: Window, filters: Filters = Filters(), by: str = "model") -> dict:
    tot = totals(col)
    if by == "day":
        groups: dict = {}
        for slot, m in col.slots.items():
            day = _local(slot)[0].isoformat()
            acc = groups.setdefault(day, _zero())
            for i in range(NM):
                acc[i] += m[i]
        ranked = sorted(groups.items())
    else:
        index = {"project": 0, "agent": 1, "model": 3, "provider": 4}[by]
        ranked = _ranked(group(col, lambda d: d[index]), M_COST)
    total_cost = tot[M_COST]
    out = _envelope(col, window, filters, "costs")
    out.update(
        by=by,
        total_cost_usd=total_cost / COST_SCALE,
        calls=tot[M_CALLS],
        unknown_cost_calls=tot[M_UNKNOWN],
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


def models_report(col: Collection, window: Window, filters: Filters = Filters(), top: int = 10) -> dict:
    tot = totals(col)
    out = _envelope(col, window, filters, "models")
    out["calls"] = tot[M_CALLS]
    out["models"] = [
        {"model": k[0], "provider": k[1], **metrics_dict(m),
         "share": round(m[M_CALLS] / tot[M_CALLS], 6) if tot[M_CALLS] else 0.0}
        for k, m in _ranked(group(col, lambda d: (d[3], d[4])))[:top]
    ]
    return out


def agents_report(col: Collection, window: Window, filters: Filters = Filters()) -> dict:
    out = _envelope(col, window, filters, "agents")
    out["agents"] = [
        {"agent": k[0], "operation": k[1], **metrics_dict(m)}
        for k, m in _ranked(group(col, lambda d: (d[1], d[2])))
    ]
    return out


def projects_report(col: Collection, window: Window, filters: Filters = Filters()) -> dict:
    out = _envelope(col, window, filters, "projects")
    out["projects"] = [
        {"project": k, **metrics_dict(m)} for k, m in _ranked(group(col, lambda d: d[0]))
    ]
    return out


def performance_report(col: Collection, window: Window, filters: Filters = Filters(),
                       slowest: int = 5) -> dict:
    tot = totals(col)
    out = _envelope(col, window, filters, "performance")
    out["overall"] = {"calls": tot[M_CALLS], "timed_calls": tot[M_DURN],
                      **latency(_all_latencies(col), tot[M_DUR], tot[M_DURN])}
    out["by_model"] = [
        {"model": model, "calls": m[M_CALLS], "timed_calls": m[M_DURN],
         **latency(col.latencies.get(model, []), m[M_DUR], m[M_DURN])}
        for model, m in _ranked(group(col, lambda d: d[3]))
    ]
    ops = [(k, m) for k, m in group(col, lambda d: (d[1], d[2])).items() if m[M_DURN]]
    ops.sort(key=lambda kv: (-kv[1][M_DUR] / kv[1][M_DURN], _sort_key(kv[0])))
    out["slowest_operations"] = [
        {"agent": k[0], "operation": k[1], "calls": m[M_CALLS],
         "avg_ms": round(m[M_DUR] / DUR_SCALE / m[M_DURN], 3)}
        for k, m in ops[:slowest]
    ]
    return out


def patterns_report(col: Collection, window: Window, filters: Filters = Filters(), top: int = 5) -> dict:
    hours, weekdays = [0] * 24, [0] * 7
    for slot, m in col.slots.items():
        day, hour = _local(slot)
        hours[hour] += m[M_CALLS]
        weekdays[day.weekday()] += m[M_CALLS]
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
            for k, m in _ranked(group(col, lambda d: (d[1], d[2])))[:top]
        ],
    )
    return out


_local_cache: dict[int, tuple[date, int]] = {}


def _local(slot: int) -> tuple[date, int]:
    """Local (date, hour) of a 15-minute slot (every zone's offset is a whole quarter hour)."""
    got = _local_cache.get(slot)
    if got is None:
        dt = datetime.fromtimestamp(slot * SLOT_MS // 1000)
        got = _local_cache[slot] = (dt.date(), dt.hour)
    return got


def reset_local_cache() -> None:
    """Forget cached local times (after changing TZ in a test)."""
    _local_cache.clear()


# ---------------------------------------------------------------- records

def iter_records(store: Path | str, window: Window = Window(), filters: Filters = Filters(),
                 counter: list[int] | None = None) -> Iterator[tuple[bytes, dict]]:
    """(line, record) of every selected record, oldest day file first, in file order.
    Unreadable lines are counted in counter[0] when given."""
    for _day, path in day_files(Path(store)):
        with open(path, "rb") as f:
            data = f.read()
        yield from _select(split_lines(data), window, filters, counter)


def _select(lines: Iterable[bytes], window: Window, filters: Filters,
            counter: list[int] | None) -> Iterator[tuple[bytes, dict]]:
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
            got = extract(obj)
        except orjson.JSONDecodeError:
            got = None
        if got is None:
            if counter is not None:
                counter[0] += 1
            continue
        if window.contains(got[0]) and filters.match(got[1]):
            yield line, obj


def latest_records(store: Path | str, n: int, window: Window = Window(), filters: Filters = Filters(),
                   counter: list[int] | None = None,
                   upto: dict[Path, int] | None = None) -> list[tuple[bytes, dict]]:
    """The newest `n` selected records, newest first (reading day files from the end).
    `upto` maps a day file to the byte offset to stop at (what a follower has not seen)."""
    out: list[tuple[bytes, dict]] = []
    if n <= 0:
        return out
    for _day, path in reversed(day_files(Path(store))):
        for line in _lines_backwards(path, (upto or {}).get(path)):
            for got in _select((line,), window, filters, counter):
                out.append(got)
                if len(out) >= n:
                    return out
    return out


def _lines_backwards(path: Path, end: int | None = None, chunk: int = 1 << 16) -> Iterator[bytes]:
    """The complete lines of a file (up to byte `end`), last first, read from the end in chunks."""
    with open(path, "rb") as f:
        pos = f.seek(0, 2) if end is None else end
        while pos > 0:  # skip an unterminated last line: it is still being written
            start = max(0, pos - chunk)
            f.seek(start)
            cut = f.read(pos - start).rfind(b"\n")
            if cut >= 0:
                pos = start + cut + 1
                break
            pos = start
        rest, first = b"", True
        while pos > 0:
            start = max(0, pos - chunk)
            f.seek(start)
            lines = (f.read(pos - start) + rest).split(b"\n")
            pos = start
            if first:
                lines.pop()  # the empty piece after the final newline
                first = False
            rest = lines.pop(0) if start > 0 else b""
            yield from reversed(lines)
