"""Reading the selected records themselves (not sums): in file order, newest first, or
following the store as new records are appended (what `llm-telemetry log --follow` prints).

Every generator yields (line, record): the line as stored (bytes, without its newline) and
the parsed record. Unreadable lines (torn, not JSON, or without a usable timestamp) are
skipped and counted in `counter[0]` when a one-item list is given.

    from llm_core.storage.records_iter import follow_start, follow_records, latest_records
    seen = follow_start(store)
    for line, rec in latest_records(store, 20, upto=seen)[::-1]: ...
    for line, rec in follow_records(store, seen): ...   # runs until interrupted
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from llm_core.records import day_file_stat, read_day_file
from llm_core.storage._day_records import extract, split_lines
from llm_core.storage.day_summaries import day_files
from llm_core.storage.windows import ALL_TIME, NO_FILTERS, Filters, Window

Selected = tuple[bytes, dict]


def select_lines(lines: Iterable[bytes], window: Window = ALL_TIME, filters: Filters = NO_FILTERS,
                 counter: list[int] | None = None) -> Iterator[Selected]:
    """(line, record) of the lines whose record falls in `window` and matches `filters`."""
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


def iter_records(store: Path | str, window: Window = ALL_TIME, filters: Filters = NO_FILTERS,
                 counter: list[int] | None = None) -> Iterator[Selected]:
    """Every selected record, oldest day file first, in file order."""
    for _day, path in day_files(Path(store)):
        try:
            data = read_day_file(path)
        except FileNotFoundError:  # removed meanwhile (a concurrent prune): gone
            continue
        yield from select_lines(split_lines(data), window, filters, counter)


def latest_records(store: Path | str, n: int, window: Window = ALL_TIME, filters: Filters = NO_FILTERS,
                   counter: list[int] | None = None,
                   upto: dict[Path, int] | None = None) -> list[Selected]:
    """The newest `n` selected records, newest first (reading day files from the end).
    `upto` maps a day file to the byte offset to stop at (what a follower has not seen)."""
    out: list[Selected] = []
    if n <= 0:
        return out
    for _day, path in reversed(day_files(Path(store))):
        for line in _day_lines_backwards(path, (upto or {}).get(path)):
            for got in select_lines((line,), window, filters, counter):
                out.append(got)
                if len(out) >= n:
                    return out
    return out


def _day_lines_backwards(path: Path, end: int | None) -> Iterator[bytes]:
    """lines_backwards of a day file; a compressed one is read whole (it no longer grows);
    nothing when the day was removed meanwhile (a concurrent prune)."""
    try:
        if day_file_stat(path).compressed:
            yield from reversed(split_lines(read_day_file(path)))
        else:
            yield from lines_backwards(path, end)
    except FileNotFoundError:
        return


def lines_backwards(path: Path, end: int | None = None, chunk: int = 1 << 16) -> Iterator[bytes]:
    """The complete lines of a file (up to byte `end`), last first, read from the end in chunks.

    Linear in the bytes read: a line longer than a chunk is kept as a list of its pieces and
    joined once, when its start is found (not re-concatenated per chunk)."""
    with open(path, "rb") as f:
        pos = f.seek(0, 2) if end is None else end
        found = False
        while pos > 0:  # skip an unterminated last line: it is still being written
            start = max(0, pos - chunk)
            f.seek(start)
            cut = f.read(pos - start).rfind(b"\n")
            if cut >= 0:
                pos, found = start + cut, True  # the final newline; the lines end before it
                break
            pos = start
        pieces: list[bytes] = []  # the end of the line being read, last piece first
        while pos > 0:
            start = max(0, pos - chunk)
            f.seek(start)
            block = f.read(pos - start)
            pos = start
            lines = block.split(b"\n")
            if len(lines) == 1:
                pieces.append(block)
                continue
            pieces.append(lines[-1])
            yield b"".join(reversed(pieces))
            pieces = [lines[0]]
            yield from reversed(lines[1:-1])
        if found:
            yield b"".join(reversed(pieces))


def follow_start(store: Path | str) -> dict[Path, int]:
    """Where following starts: the end of the last complete line of the newest day file."""
    files = day_files(Path(store))
    if not files:
        return {}
    path = files[-1][1]
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed by the `with` below)
    except FileNotFoundError:
        return {path: 0}  # compressed (storage/compress.py): only lines appended later are new
    with f:
        size = f.seek(0, 2)
        f.seek(max(0, size - (1 << 16)))
        tail = f.read()
    cut = tail.rfind(b"\n")
    return {path: size - len(tail) + cut + 1 if cut >= 0 else 0}


def follow_records(store: Path | str, seen: dict[Path, int], window: Window = ALL_TIME,
                   filters: Filters = NO_FILTERS, poll: float = 0.5) -> Iterator[Selected]:
    """The records appended after `seen` (from follow_start), in the newest day file and any
    that appear later, checking every `poll` seconds; never ends by itself."""
    store = Path(store)
    positions = dict(seen)
    newest = max((p.parent.name for p in positions), default="")
    while True:
        time.sleep(poll)
        for day, path in day_files(store):
            if day < newest:
                continue
            data = _complete_lines_from(path, positions.get(path, 0))
            if not data:
                continue
            positions[path] = positions.get(path, 0) + len(data)
            newest = max(newest, day)
            yield from select_lines(data.split(b"\n")[:-1], window, filters)


def _complete_lines_from(path: Path, pos: int) -> bytes:
    """The bytes from `pos` to the end of the last complete line (empty if none or gone)."""
    try:
        with open(path, "rb") as f:
            f.seek(pos)
            data = f.read()
    except FileNotFoundError:
        return b""
    return data[:data.rfind(b"\n") + 1]
