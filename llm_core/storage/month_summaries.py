"""Month roll-ups (`.summaries/YYYY-MM.sum`): which summaries a report reads.

A closed month (before the current UTC month) is answered from one roll-up merging its day
summaries, so a year report reads ~12 files and the current month's days instead of 365 day
summaries. A roll-up records the identity of every day file it merged; it is read only while
the month's day files are exactly those (same days, same inode, size and mtime), so an append,
a prune, a compression or a rewrite of any day makes it stale, and it is built again from the
day summaries. A stale roll-up is never read.

A roll-up answers a month the window holds whole (or leaves out whole) when no (combo, slot)
groups are needed; otherwise the month's day summaries answer, as before.

    plan(store, window, rollups_ok)  [(day file or None, DaySummary or MonthSummary)]
    month_path(store, month)         where month YYYY-MM's roll-up lives
    whole_closed_months(days, w)     how many closed months window w holds whole
"""

from __future__ import annotations

import calendar
import contextlib
import gc
import time
from pathlib import Path

from llm_core.dayfiles import day_file_stat
from llm_core.records import SUMMARY_DIR, TELEMETRY_FILE
from llm_core.storage._files import own_folder, write_summary
from llm_core.storage._jobs import run_jobs
from llm_core.storage._month_summary_file import (
    DamagedMonth,
    MonthSummary,
    merge_days,
    read_month,
    section_a_end,
)
from llm_core.storage.day_summaries import (
    SLOT_MS,
    DamagedSummary,
    day_files,
    rebuild,
    summaries,
    summary_for_rollup,
)
from llm_core.storage.windows import Window

__all__ = ["DamagedMonth", "MonthSummary", "month_days", "month_path", "plan", "slot_place", "whole_closed_months"]

_KEYS = ("ino", "dev", "size", "mtime_ns")


def month_path(store: Path, month: str) -> Path:
    return store / SUMMARY_DIR / f"{month}.sum"


def _current(m: MonthSummary, items: list[tuple[str, Path]]) -> bool:
    days = m.meta["days"]
    if len(days) != len(items):
        return False
    for day, path in items:
        src = days.get(day)
        try:
            st = day_file_stat(path)
        except FileNotFoundError:
            return False
        if src is None or tuple(src[k] for k in _KEYS) != (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns):
            return False
    return True


def slot_place(lo: int | None, hi: int | None, window: Window) -> str:
    """'in' (the window holds every record of slots lo..hi), 'out' (none) or 'cut'."""
    if lo is None:
        return "out"
    lo_ms, hi_ms = lo * SLOT_MS, (hi + 1) * SLOT_MS
    if (window.start is not None and hi_ms <= window.start) or (window.end is not None and lo_ms >= window.end):
        return "out"
    if (window.start is None or window.start <= lo_ms) and (window.end is None or hi_ms <= window.end):
        return "in"
    return "cut"


def _month_job(args: tuple[str, str, list[str]]) -> bytes | None:
    """Build (and save) one month's roll-up from its day summaries, built when stale; returns
    it up to section B when saved, else whole; None when a day went away meanwhile."""
    collecting = gc.isenabled()
    gc.disable()  # as a day's build: no reference cycles, and a month of latencies to count
    try:
        return _build_month(Path(args[0]), args[1], args[2])
    finally:
        if collecting:
            gc.enable()


def _build_month(store: Path, month: str, days: list[str]) -> bytes | None:
    pairs = []
    for day in days:
        try:
            # A day summarised now is merged as it was built, not read back from its file.
            s = summary_for_rollup(store, day)
            try:
                if s is not None:
                    s.combo_durations()  # from section 2, which may prove damaged
            except DamagedSummary:
                s = rebuild(store / day / TELEMETRY_FILE)
        except FileNotFoundError:  # pruned meanwhile (its summary with it): the days answer
            return None
        if s is None:
            return None
        pairs.append((day, s))
    data = merge_days(pairs)
    try:
        write_summary(month_path(store, month), data)
    except OSError:
        return data  # a read-only store: the reports use it from memory
    return data[:section_a_end(data)]  # section B is read from the file when needed


def plan(store: Path, window: Window, rollups_ok: bool = True,
         workers: int | None = None) -> list[tuple[Path | None, object]]:
    """The summaries answering `window` over `store`: a roll-up (with None for its path) for
    each closed month it can answer, day summaries for the rest, built where missing or stale.
    Without `rollups_ok` (the report needs (combo, slot) groups) a month the window touches is
    answered by its days."""
    files = day_files(store)
    this_month = time.strftime("%Y-%m", time.gmtime())
    months: dict[str, list[tuple[str, Path]]] = {}
    for day, path in files:
        months.setdefault(day[:7], []).append((day, path))
    out: list[tuple[Path | None, object]] = []
    days_left: list[tuple[str, Path]] = []
    build: list[str] = []
    for month, items in months.items():
        if month >= this_month:
            days_left += items
            continue
        m = read_month(month_path(store, month))
        if m is None or not _current(m, items):
            build.append(month)
        elif _usable(m, window, rollups_ok):
            out.append((None, m))
        else:
            days_left += items
    if build:
        build.sort(key=lambda month: -_bytes(months[month]))  # biggest first: workers finish together
        jobs = [(str(store), month, [d for d, _ in months[month]]) for month in build]
        for month, data in zip(build, run_jobs(_month_job, jobs, workers), strict=True):
            m = None
            if data is not None:
                with contextlib.suppress(ValueError):
                    m = MonthSummary(month_path(store, month), data)
            if m is not None and _usable(m, window, rollups_ok):
                out.append((None, m))
            else:
                days_left += months[month]
    days_left.sort()
    out += summaries(store, workers, days_left, {d for d, _ in files})
    return out


def _bytes(items: list[tuple[str, Path]]) -> int:
    total = 0
    for _, path in items:
        with contextlib.suppress(FileNotFoundError):
            total += day_file_stat(path).st_size
    return total


def whole_closed_months(days: list[str], window: Window) -> int:
    """How many closed months with day files (YYYY-MM-DD names) `window` holds whole, by their
    UTC dates: the months a report over it reads from roll-ups, one file each."""
    this_month = time.strftime("%Y-%m", time.gmtime())
    count = 0
    for month in sorted({d[:7] for d in days if d[:7] < this_month}):
        year, mon = int(month[:4]), int(month[5:7])
        start = calendar.timegm((year, mon, 1, 0, 0, 0)) * 1000
        end = calendar.timegm((year + mon // 12, mon % 12 + 1, 1, 0, 0, 0)) * 1000
        count += (window.start is None or window.start <= start) and (window.end is None or end <= window.end)
    return count


def _usable(m: MonthSummary, window: Window, rollups_ok: bool) -> bool:
    place = slot_place(m.min_slot, m.max_slot, window)
    return place == "out" or (place == "in" and rollups_ok)


def month_days(store: Path, m: MonthSummary) -> list[tuple[Path, object]]:
    """The day summaries of a roll-up's month (when the roll-up proves damaged)."""
    if own_folder(m.path.parent):  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            m.path.unlink()  # type: ignore[union-attr]
    days = sorted(m.meta["days"])
    return summaries(store, None, [(d, store / d / TELEMETRY_FILE) for d in days], None)
