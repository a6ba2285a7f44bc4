"""Tolerant JSONL reading and the once-per-process warnings of the store.

A day file may end in a torn line (a writer killed mid-write) or hold garbage someone pasted
in; readers skip such lines, count them, and say so once per process on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import orjson

_warned: set[str] = set()


def warn_once(key: str, message: str) -> None:
    """Write `llm-core: warning: <message>` to stderr, at most once per process per `key`."""
    if key in _warned:
        return
    _warned.add(key)
    try:
        sys.stderr.write(f"llm-core: warning: {message}\n")
        sys.stderr.flush()
    except Exception:  # a closed stderr must not turn a warning into a crash
        pass


def reset_warnings() -> None:
    """Forget which warnings were given (tests)."""
    _warned.clear()


class ReadStats:
    """What a read saw: whole records, skipped (torn or garbage) lines, and where."""

    __slots__ = ("damaged", "files", "records", "skipped")

    def __init__(self, records: int = 0, skipped: int = 0, files: int = 0,
                 damaged: list[str] | None = None) -> None:
        self.records = records
        self.skipped = skipped
        self.files = files
        self.damaged = damaged if damaged is not None else []

    def __repr__(self) -> str:
        return f"ReadStats(records={self.records}, skipped={self.skipped}, files={self.files})"

    def warn(self) -> None:
        """One warning line (per process) when anything was skipped."""
        if self.skipped:
            where = ", ".join(self.damaged[:3]) + (" ..." if len(self.damaged) > 3 else "")
            warn_once(
                "skipped-lines",
                f"skipped {self.skipped} unreadable telemetry line(s) (torn or not JSON) in {where}",
            )


def parse_lines(data: bytes, stats: ReadStats | None = None, source: str = "") -> Iterator[dict]:
    """Yield every line of `data` that is a JSON object; count the others in `stats`."""
    skipped = 0
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            skipped += 1
            continue
        if isinstance(obj, dict):
            if stats is not None:
                stats.records += 1
            yield obj
        else:
            skipped += 1
    if stats is not None and skipped:
        stats.skipped += skipped
        if source and source not in stats.damaged:
            stats.damaged.append(source)


def read_jsonl(path: str | Path, stats: ReadStats | None = None, warn: bool = True) -> Iterator[dict]:
    """Yield the JSON objects of the file at `path`, skipping torn and garbage lines.

    A missing file yields nothing. Skipped lines are counted in `stats` (pass a ReadStats to
    aggregate over many files); with `warn` (and no `stats` of the caller's) one warning line
    goes to stderr per process.

        stats = ReadStats()
        for day in storage.day_dirs():
            for record in read_jsonl(day / "telemetry.jsonl", stats):
                ...
        stats.warn()
    """
    own = stats is None
    if own:
        stats = ReadStats()
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return
    stats.files += 1
    yield from parse_lines(data, stats, str(path))
    if own and warn:
        stats.warn()
