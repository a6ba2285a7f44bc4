"""Compression of old days: DAY/telemetry.jsonl (and prompts, responses) -> DAY/telemetry.jsonl.gz.

Days older than LLM_COMPRESS_AFTER_DAYS (default 7; 0 = never) are compressed by the daily
maintenance that prunes (storage/prune.py), or by `llm-telemetry prune`. gzip, from the standard
library: on llm-core's records level 6 keeps 1/4.1 of the bytes, and reading it back costs
0.7x the time of parsing the lines (benchmarks/compress.py). zstd (level 3) keeps 1/4.3 and
reads back 3.6x faster, but that is not enough to need an extra package that DuckDB, zcat and
every other reader of the store would then have to know as well.

One file, under the exclusive lock every writer takes before appending (so no line is
half-written and none is appended while it runs):

    1. read the plain file (plus the .gz already there, when lines were appended after an
       earlier compression: they become one .gz)
    2. write .NAME.gz.tmp, fsync it
    3. rename it over NAME.gz, fsync the folder
    4. unlink NAME

A kill at any point leaves the plain file (before 3), or the new .gz beside its source (between
3 and 4), or the .gz alone. The .gz's header names the identity of the plain file it was made
from, so readers (dayfiles.read_day_file) skip that leftover instead of counting it twice, and
the next maintenance just unlinks it. A writer that was waiting for the lock finds its file
unlinked and starts a new plain file: readers read the .gz, then that file.

A day's summary (.summaries/DAY.sum) remembers the identity of its day file, which compression
changes, so it is rebuilt once, by the next report that reads the day.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from datetime import date, timedelta
from pathlib import Path

from llm_core.dayfiles import compressed_path, gunzip, gzip_bytes, gzip_source, source_identity
from llm_core.records import DAY_FILES, FILE_MODE, compress_temp_name, day_names
from llm_core.storage._files import CLOEXEC, NOFOLLOW
from llm_core.storage.locking import locker

__all__ = ["LEVEL", "compress_before", "compress_day_file", "compress_old_days"]

LEVEL = 6  # gzip's default: level 9 saves ~2% more for twice the time


def compress_before(today: str, after_days: int) -> str | None:
    """The first day that stays plain: days before it are compressed (None: compression off)."""
    if after_days <= 0:
        return None
    return (date.fromisoformat(today) - timedelta(days=after_days)).isoformat()


def compress_old_days(base: Path, today: str, after_days: int, keep_from: str = "",
                      budget_bytes: int | None = None, days: list[str] | None = None) -> list[dict]:
    """Compress every day file of the days (default: records.day_names) in [keep_from,
    today - after_days) of the store at `base`, oldest first, until `budget_bytes` of plain files
    were read (None: no limit). Returns [{"path", "day", "bytes_before", "bytes_after"}]."""
    before = compress_before(today, after_days)
    done: list[dict] = []
    if before is None:
        return done
    spent = 0
    for day in sorted(days) if days is not None else day_names(base):
        if day >= before or day < keep_from:
            continue
        for name in DAY_FILES:
            if budget_bytes is not None and spent >= budget_bytes:
                return done
            got = compress_day_file(base / day, name)
            if got is not None:
                spent += got[0]
                done.append({"path": str(base / day / name), "day": day,
                             "bytes_before": got[0], "bytes_after": got[1]})
    return done


def compress_day_file(folder: Path, name: str, level: int = LEVEL) -> tuple[int, int] | None:
    """Compress `folder`/`name` into `name`.gz (see the module's docstring); (plain bytes, .gz
    bytes), or None when there was nothing to do (no plain file, a link, not a regular file)."""
    plain = folder / name
    try:
        fd = os.open(plain, os.O_RDONLY | NOFOLLOW | CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None  # a link: the store never follows one
        raise
    lock = locker()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        lock.lock(fd, lock.LOCK_EX)
        try:
            return _compress_locked(fd, plain, level)
        finally:
            lock.unlock(fd)
    finally:
        os.close(fd)


def _compress_locked(fd: int, plain: Path, level: int) -> tuple[int, int] | None:
    st = os.fstat(fd)
    if st.st_nlink == 0:
        return None  # compressed or pruned by another process while we waited for the lock
    gz = compressed_path(plain)
    source = source_identity(st)
    if gzip_source(gz) == source:  # a compression killed before its unlink: finish it
        os.unlink(plain)
        return None
    data = _read_all(fd, st.st_size)
    try:
        with open(gz, "rb") as f:
            earlier = gunzip(f.read())
    except FileNotFoundError:
        earlier = b""
    if earlier:
        data = earlier + (b"" if earlier.endswith(b"\n") else b"\n") + data
    blob = gzip_bytes(data, source, level)
    tmp = plain.with_name(compress_temp_name(plain.name))
    out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NOFOLLOW | CLOEXEC, FILE_MODE)
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(out, view):]
        os.fsync(out)
    finally:
        os.close(out)
    os.replace(tmp, gz)
    _fsync_folder(plain.parent)
    os.unlink(plain)
    return st.st_size, len(blob)


def _read_all(fd: int, size: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be fsynced
        dfd = os.open(folder, os.O_RDONLY | CLOEXEC)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
