"""Collecting what a window and filters select, the numbers every report is built from.

Two ways to the same result:

- `collect(store, window, filters)` answers from the per-day summaries in `index.py`
  (built on first use, extended as day files grow) -- the fast path every report takes;
- `collect_scan(...)` reads every record with orjson -- the reference the tests compare with.

Both return a `Collection`: sums per combo (a record's dimensions) and per 15-minute slot,
and sorted latencies per model. Sums are integers, so both paths give identical reports.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from llm_core.dayfiles import read_day_file
from llm_core.storage._day_records import extract, split_lines
from llm_core.storage.day_summaries import (
    M_DURN,
    NM,
    SLOT_MS,
    DamagedSummary,
    day_files,
    rebuild,
)
from llm_core.storage.month_summaries import DamagedMonth, month_days, plan
from llm_core.storage.windows import MODEL, NO_FILTERS, Filters, Window


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

    def add_slot_rows(self, rows: list) -> None:
        """Add [slot, *metrics] rows (a summary's per-slot totals) at once."""
        new = {r[0]: r[1:] for r in rows}
        if self.slots.keys().isdisjoint(new):
            self.slots.update(new)  # the usual case: the summaries' slots do not overlap
            return
        for slot, metrics in new.items():
            self.add_slot(slot, metrics)

    def add_latencies(self, model: str | None, values: Any) -> None:
        if len(values):
            self.latencies.setdefault(model, []).append(values)

    def add_model_latencies(self, per_model: dict) -> None:
        """Add {model: unsorted latencies}, each model's as one sorted sequence."""
        for model, values in per_model.items():
            self.add_latencies(model, sorted(values))


def collect(store: Path | str, window: Window, filters: Filters = NO_FILTERS,
            need_slots: bool = True, need_latencies: bool = True) -> Collection:
    """The selection, answered from the summaries (month roll-ups and day summaries, built or
    extended as needed); without `need_latencies`, `latencies` may hold none (a report without
    percentiles: a year's roll-ups then decompress no latency)."""
    col = Collection()
    store = Path(store)
    add_summaries(col, plan(store, window, rollups_ok=filters.empty or not need_slots), window,
                  filters, need_slots, store, need_latencies)
    return col


def add_summaries(col: Collection, summaries: Iterable[tuple[Path | None, Any]], window: Window,
                  filters: Filters = NO_FILTERS, need_slots: bool = True,
                  store: Path | None = None, need_latencies: bool = True) -> None:
    """Add to `col` what the window and filters select of the given summaries, as plan() gives
    them: (day file, day summary), or (None, the month roll-up of `store`). What collect() does
    for every day of a store, and storage/store_cache.py for the days its cache does not hold."""
    start, end = window.start, window.end
    aligned = (start is None or start % SLOT_MS == 0) and (end is None or end % SLOT_MS == 0)
    for path, s in summaries:
        col.files += s.meta.get("files", 1)
        col.corrupt_lines += s.meta["bad"]
        if s.min_slot is None:
            continue
        lo, hi = s.min_slot * SLOT_MS, (s.max_slot + 1) * SLOT_MS
        if (start is not None and hi <= start) or (end is not None and lo >= end):
            continue
        if path is None:  # a month roll-up, which the window holds whole
            try:
                _collect_day(col, s, window, filters, need_slots, need_latencies)
            except (DamagedMonth, FileNotFoundError):  # before anything was added: its days answer
                for day_path, d in month_days(store, s):  # type: ignore[arg-type]
                    _collect_one(col, day_path, d, window, filters, need_slots, aligned, need_latencies)
            continue
        _collect_one(col, path, s, window, filters, need_slots, aligned, need_latencies)


def _collect_one(col: Collection, path: Path, s, window: Window, filters: Filters,
                 need_slots: bool, aligned: bool, need_latencies: bool = True) -> None:
    # Each branch reads what it needs before adding anything, so a day removed under us
    # (a concurrent prune) is skipped whole: gone, not an error; and a summary whose
    # section 2 proves damaged is rebuilt from the day file and read again.
    if s.min_slot is None:
        return
    with contextlib.suppress(FileNotFoundError):
        try:
            _collect_summary(col, path, s, window, filters, need_slots, aligned, need_latencies)
        except DamagedSummary:
            s = rebuild(path)
            if s is not None:
                _collect_summary(col, path, s, window, filters, need_slots, aligned, need_latencies)


def _collect_summary(col: Collection, path: Path, s, window: Window, filters: Filters,
                     need_slots: bool, aligned: bool, need_latencies: bool = True) -> None:
    if _inside(s, window):
        _collect_day(col, s, window, filters, need_slots, need_latencies)
    elif aligned:
        _collect_rows(col, s, window, filters)
    else:
        per_model: dict = {}
        _scan_bytes(col, read_day_file(path), window, filters, per_model)
        col.add_model_latencies(per_model)


def _inside(s, window: Window) -> bool:
    return ((window.start is None or window.start <= s.min_slot * SLOT_MS)
            and (window.end is None or (s.max_slot + 1) * SLOT_MS <= window.end))


def _collect_day(col: Collection, s, window: Window, filters: Filters, need_slots: bool,
                 need_latencies: bool = True) -> None:
    """A day (or month) wholly inside the window: its totals, filtered per combo when filters
    are set."""
    if filters.empty:
        for c, tot in zip(s.combos, s.totals, strict=False):
            col.add_combo(tuple(c), tot)
        for model, values in zip(s.models, s.model_durations() if need_latencies else (), strict=False):
            col.add_latencies(model, values)
        if need_slots:
            col.add_slot_rows(s.day_slots)
        return
    rows = s.rows() if need_slots else None  # first: reading section 2 may refresh the summary
    durations = s.combo_durations()  # from those rows, or from section 2 read now: first too
    if not _inside(s, window):  # a refreshed summary may reach past the window
        _collect_rows(col, s, window, filters)
        return
    combos = s.combos
    selected = [filters.match(c) for c in combos]
    per_model: dict = {}
    for cid, values in enumerate(durations):
        if selected[cid]:
            col.add_combo(tuple(combos[cid]), s.totals[cid])
            if len(values):
                per_model.setdefault(combos[cid][MODEL], []).extend(values)
    col.add_model_latencies(per_model)
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
                per_model.setdefault(combos[cid][MODEL], []).extend(durs[pos:pos + n])
        pos += n
    col.add_model_latencies(per_model)


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
            per_model.setdefault(dims[MODEL], []).append(d)
    return bad


def collect_scan(store: Path | str, window: Window, filters: Filters = NO_FILTERS) -> Collection:
    """The same selection as collect(), by reading every record (the reference; slow)."""
    col = Collection()
    per_model: dict = {}
    for _day, path in day_files(Path(store)):
        try:
            data = read_day_file(path)
        except FileNotFoundError:  # removed meanwhile: gone
            continue
        col.files += 1
        col.corrupt_lines += _scan_bytes(col, data, window, filters, per_model)
    col.add_model_latencies(per_model)
    return col
