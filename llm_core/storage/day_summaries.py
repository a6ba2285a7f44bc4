"""The per-day summaries (`.summaries/DAY.sum`), so reports need not re-read months of JSONL.

For every `<store>/YYYY-MM-DD/telemetry.jsonl` a summary lives in `<store>/.summaries/`. It
groups the day's records by (project, agent, operation, model, provider, outcome) -- a
"combo"; the outcome (_day_records.outcome) is True, False (failed), None (cancelled) or
"blocked" (refused by a budget before sending) -- and by 15-minute UTC slot, and keeps for each
group the call count, token sums, the known-cost sum, the number of calls without a known
price, and every latency (exact percentiles need the values themselves). 15-minute slots make any local-time window that
starts on a quarter hour exact, which covers every time zone in use (+05:30, +05:45 ...).

Sums are integers (cost in 1e-12 USD, latency in microseconds), so a summary's totals are
identical to a record-by-record sum in any order.

A summary remembers the size, inode and mtime of the file it describes and the byte offset it
has read to. A file that only grew is read on from that offset; anything else (replaced,
truncated, rewritten) rebuilds the summary. Summaries are written atomically (temp file +
rename); concurrent reporters may both write one, and the last rename wins with the same
content. Deleting `.summaries/` is always safe.

    summaries(store)        [(day file, DaySummary)] for every day, built or extended as needed
    day_summary(store, d)   the same for one day (what summary.json, storage/totals.py, derives from)
    day_files(store)        [(day, path of its telemetry.jsonl)], oldest first
    summary_path(store, d)  where day d's summary lives

Record parsing is in _day_records.py, building in _day_builder.py (DayBuilder), the file
format in _day_summary_file.py (DaySummary); this module decides what to build and when.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from pathlib import Path

from llm_core.dayfiles import (
    compressed_path,
    day_file_exists,
    day_file_stat,
    read_day_file,
)
from llm_core.records import SUMMARY_DIR, TELEMETRY_FILE, day_names
from llm_core.storage import _day_builder
from llm_core.storage._day_builder import DayBuilder, DayView
from llm_core.storage._day_records import (
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
    Dims,
    extract,
    split_lines,
)
from llm_core.storage._day_summary_file import (
    FORMAT,
    DamagedSummary,
    DaySummary,
    read_summary,
    read_summary_meta,
    section_one_end,
)
from llm_core.storage._files import own_folder, write_summary
from llm_core.storage._jobs import run_jobs

__all__ = [
    "BLOCKED", "COST_SCALE", "DUR_SCALE", "FORMAT", "M_BILLED", "M_BILLED_COST", "M_CACHE_READ", "M_CACHE_WRITE", "M_CALLS",
    "M_COST", "M_DUR", "M_DURN", "M_IN", "M_INVALID", "M_OUT", "M_TOTAL", "M_UNKNOWN", "NM", "SLOT_MS",
    "DamagedSummary", "DayBuilder", "DaySummary", "DayView", "Dims", "build", "build_view", "day_files", "day_summary", "extract",
    "file_identity", "is_current", "read_summary", "read_summary_meta", "rebuild", "split_lines", "summaries",
    "summary_for_rollup", "summary_path",
]


def file_identity(st: os.stat_result) -> dict:
    return {"ino": st.st_ino, "dev": st.st_dev, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _tail_mark(f, offset: int) -> str:
    """The bytes just before `offset`: an appended file still has them, a rewritten one rarely."""
    start = max(0, offset - 32)
    f.seek(start)
    return f.read(offset - start).hex()


def build(day_file: Path, previous: DaySummary | None = None) -> bytes:
    """The encoded summary of `day_file`, reading on from `previous` when that still fits.
    A compressed day (dayfiles.read_day_file) is read whole: it only changes when compressed."""
    return build_view(day_file, previous)[0]


def build_view(day_file: Path, previous: DaySummary | None = None) -> tuple[bytes, DayView]:
    """build(), and what a month roll-up reads of the summary (DayView), from memory."""
    st = day_file_stat(day_file)
    if st.compressed:
        return _build_whole(day_file, st)
    try:
        f = open(day_file, "rb")  # noqa: SIM115 (closed by the `with` below)
    except FileNotFoundError:
        if not compressed_path(day_file).exists():
            raise
        return _build_whole(day_file, day_file_stat(day_file))  # compressed meanwhile
    with f:
        st = os.fstat(f.fileno())
        builder = None
        if previous is not None and _extendable(previous, st, f):
            with contextlib.suppress(DamagedSummary):  # then read the whole day again
                builder = DayBuilder.from_summary(previous)
            # from_summary() reads section 2 from disk: if another reporter replaced the summary
            # meanwhile, `previous` became that one, which may have read past what we saw.
            if builder is not None and not _extendable(previous, st, f):
                builder = None
        if builder is None:
            builder = DayBuilder()
        _read_on(builder, f, st.st_size)
        source = file_identity(st)
        source["mark"] = _tail_mark(f, builder.offset)
    return builder.encode_view(source)


_CHUNK = 4 << 20  # a day file is read in pieces this big: a worker holds one, not the whole day


def _read_on(builder: DayBuilder, f, size: int) -> None:
    """Add the lines of `f` from builder.offset up to `size` (the fstat'ed size: what is
    appended meanwhile is left to the next reader)."""
    bulk = size - builder.offset >= _day_builder.BULK_BYTES
    chunk = _CHUNK
    while builder.offset < size:
        f.seek(builder.offset)
        want = min(chunk, size - builder.offset)
        before = builder.offset
        builder.add_bytes(f.read(want), bulk)
        if builder.offset == before:  # no whole line in it
            if want == size - before:
                break  # the last line is still being written
            chunk *= 2  # a line longer than a piece


def _build_whole(day_file: Path, st) -> tuple[bytes, DayView]:
    builder = DayBuilder()
    builder.add_bytes(read_day_file(day_file))  # after the stat: a change meanwhile rebuilds again
    source = file_identity(st)
    source["mark"] = ""
    return builder.encode_view(source)


def _extendable(summary: DaySummary, st: os.stat_result, f) -> bool:
    src, offset = summary.meta["source"], summary.meta["offset"]
    if (src["ino"], src["dev"]) != (st.st_ino, st.st_dev) or st.st_size <= src["size"]:
        return False
    return _tail_mark(f, offset) == src.get("mark")


def is_current(summary: DaySummary, st: os.stat_result) -> bool:
    src = summary.meta["source"]
    return (src["ino"], src["dev"], src["size"], src["mtime_ns"]) == (
        st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


def _build_job(args: tuple[str, str, bool], write: bool = True, view: bool = False) -> bytes | DayView | None:
    """Build (or extend) and write one day's summary; returns section 1 when written (section 2
    is read back from disk if needed), else the whole summary, or with `view` what a month
    roll-up reads of it (DayView); None when the day file is gone (a prune removed it meanwhile)."""
    day_file, spath, extend = args
    collecting = gc.isenabled()
    gc.disable()  # a build makes no reference cycles; the collector would only rescan its objects
    try:
        previous = read_summary(Path(spath)) if extend else None
        data, built = build_view(Path(day_file), previous)
    except FileNotFoundError:
        return None
    finally:
        if collecting:
            gc.enable()
    if not write:
        return built if view else data
    try:
        write_summary(spath, data)
    except OSError:
        return built if view else data  # a read-only store still gets its reports, from memory
    return built if view else data[:section_one_end(data)]


def day_files(store: Path) -> list[tuple[str, Path]]:
    """(day, path) of every day file of the store, oldest first: the plain path, also of a
    compressed day (read it with dayfiles.read_day_file)."""
    base = os.fspath(store)
    found = []
    for day in day_names(store):
        name = os.path.join(base, day, TELEMETRY_FILE)  # a string: stat'ed for every day of every store
        if day_file_exists(name):
            found.append((day, store / day / TELEMETRY_FILE))
    return found


def summary_path(store: Path, day: str) -> Path:
    """Where the summary of `store`'s day file for `day` (YYYY-MM-DD) lives."""
    return store / SUMMARY_DIR / f"{day}.sum"


def summaries(store: Path, workers: int | None = None, files: list[tuple[str, Path]] | None = None,
              known: set[str] | None = None) -> list[tuple[Path, DaySummary]]:
    """A current summary for every day file of `store` (building or extending stale ones), or
    for the (day, path) pairs of `files` only; summaries of days not in `known` (default: every
    day file, when `files` is not given) are dropped as orphans."""
    folder = store / SUMMARY_DIR
    if files is None:
        files = day_files(store)
        known = {day for day, _ in files}
    out: list[tuple[Path, DaySummary | None]] = []
    stale: list[int] = []
    sizes: list[int] = []
    for day, path in files:
        summary = read_summary(summary_path(store, day))
        try:
            st = day_file_stat(path)
        except FileNotFoundError:
            continue
        if summary is None or not is_current(summary, st):
            stale.append(len(out))
        out.append((path, summary))
        sizes.append(st.st_size)
    if stale:
        stale.sort(key=lambda k: -sizes[k])  # biggest first: the workers finish together
        jobs = [(str(out[k][0]), str(summary_path(store, out[k][0].parent.name)), out[k][1] is not None)
                for k in stale]
        built = run_jobs(_build_job, jobs, workers)
        for k, data in zip(stale, built, strict=False):
            path = out[k][0]
            # A day removed under us (a concurrent prune) is gone, not an error.
            out[k] = (path, None if data is None else DaySummary(summary_path(store, path.parent.name), data))
        out = [(p, s) for p, s in out if s is not None]
    if known is not None:
        _drop_orphans(folder, known)
    return out  # type: ignore[return-value]


def _saved(store: Path, day: str) -> tuple[Path, Path, DaySummary | None, os.stat_result | None]:
    """The day file, its summary's path, the saved summary and then the day file's stat (None
    when the day has no telemetry file)."""
    path = store / day / TELEMETRY_FILE
    spath = summary_path(store, day)
    summary = read_summary(spath)
    try:
        return path, spath, summary, day_file_stat(path)
    except FileNotFoundError:
        return path, spath, summary, None


def day_summary(store: Path, day: str, budget_bytes: int | None = None,
                write: bool = True) -> DaySummary | None:
    """The current summary of one day, built or extended (and, with `write`, saved) when stale.

    None when the day has no telemetry file, or when it is stale and the day file is bigger than
    `budget_bytes` (extending a summary costs in proportion to the whole day, not the appended
    part, so a process at exit leaves big days to the next reader).
    """
    path, spath, summary, st = _saved(store, day)
    if st is None:
        return None
    if summary is not None and is_current(summary, st):
        return summary
    if budget_bytes is not None and st.st_size > budget_bytes:
        return None
    data = _build_job((str(path), str(spath), summary is not None), write)
    return None if data is None else DaySummary(spath, data)


def summary_for_rollup(store: Path, day: str) -> DaySummary | DayView | None:
    """day_summary(store, day) for a month roll-up: a summary built now (and saved) is handed
    over as it was built (DayView), not decoded again from its file."""
    path, spath, summary, st = _saved(store, day)
    if st is None:
        return None
    if summary is not None and is_current(summary, st):
        return summary
    return _build_job((str(path), str(spath), summary is not None), view=True)  # type: ignore[return-value]


def rebuild(day_file: Path) -> DaySummary | None:
    """Day `day_file`'s summary built afresh (and saved) after its saved one proved damaged;
    None when the day file is gone."""
    spath = summary_path(day_file.parent.parent, day_file.parent.name)
    data = _build_job((str(day_file), str(spath), False), write=False)
    if data is None:
        return None
    with contextlib.suppress(OSError):
        write_summary(spath, data)
    return DaySummary(spath, data)


def _drop_orphans(folder: Path, days: set[str]) -> None:
    if not own_folder(folder):
        return
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    months = {day[:7] for day in days}  # YYYY-MM.sum: a month roll-up (month_summaries.py)
    for name in names:
        stale = name.endswith(".sum") and name[:-4] not in (months if len(name) == 11 else days)
        if not stale and name.endswith(".tmp"):  # left by a reporter killed mid-write
            with contextlib.suppress(OSError):
                stale = now - os.stat(folder / name).st_mtime > 600
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
