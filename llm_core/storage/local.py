"""LocalStorage: the locked JSONL telemetry store.

The store's layout (a folder per UTC day holding telemetry.jsonl, and the side files
prompts.jsonl / responses.jsonl when LLM_STORE_PROMPTS / LLM_STORE_RESPONSES are on) is drawn
in llm_core.records.

Writes: `store_telemetry` serialises the record and hands the line to a background writer
(bounded queue; when it is full the caller writes itself). The writer appends whole lines with
one `os.write` per file per batch, in append mode, under an exclusive lock (flock, as portalocker
takes it; portalocker itself where there is no fcntl), so any
number of threads and processes can write at once without tearing or losing a line. If a file
does not end in a newline (a writer was killed mid-write), the next write starts with one.
Queued records are written on `flush()` and at interpreter exit. The first record of a day in
a process is written synchronously, so its return value tells whether the store works.

Only the store's own files are touched: the folder is checked (and created or adopted, with
its marker) before the first write (storage/location.py), and day folders and files are opened
with O_NOFOLLOW, so a symbolic link in the store is refused, never written through.

Failures never reach the caller: a read-only, missing or full disk gives one warning line on
stderr per process and `store_telemetry` returns False.

    storage = LocalStorage()                 # LLM_TELEMETRY_DIR, found as storage/location.py says
    storage.store_telemetry(record)          # -> True / False, never raises
    storage.get_today_stats()                # {"date", "calls", "errors", "tokens", ...}
    for r in storage.query_by_date_range("2026-11-01", "2026-11-27"): ...
    storage.prune(dry_run=True)              # what retention and the size cap would remove
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import stat
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from llm_core.config import get_settings
from llm_core.errors import ConfigError, warn
from llm_core.records import (
    DIR_MODE,
    FILE_MODE,
    PROMPTS_FILE,
    PRUNE_MARKER,
    RESPONSES_FILE,
    TELEMETRY_FILE,
    ReadStats,
    as_day,
    day_names,
    dumps_record,
    format_ms,
    format_timestamp,
    is_day_name,
    new_id_at,
    now_ms,
    read_jsonl,
    utc_today,
)
from llm_core.storage import totals
from llm_core.storage._files import last_byte, open_in, write_all
from llm_core.storage.location import Location, StoreState, check_store, find_store, open_store
from llm_core.storage.locking import locker
from llm_core.storage.prune import prune_store, retention_notice

__all__ = ["LocalStorage", "get_storage"]

QUEUE_MAX = 10_000
# The daily maintenance of a writing process compresses at most this much of a backlog (a few
# seconds in the background); the rest on the following days, or at once by `llm-telemetry prune`.
_MAINTENANCE_COMPRESS_BYTES = 256 << 20
_DUMP_OPTS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def _warn(key: str, message: str) -> None:
    with contextlib.suppress(Exception):  # a closed stderr must not turn a warning into a crash
        warn(message, key=key)


def _jsonable(obj: Any) -> Any:
    # Odd values (Path, datetime, Decimal, sets) become strings rather than losing the record.
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


# Tries to append before giving up: each retry means a prune removed the file (or its folder)
# between our open and our lock; several pruners racing one writer can do that a few times.
_APPEND_ATTEMPTS = 100

class LocalStorage:
    """The day-folder JSONL store at `base_dir` (default: LLM_TELEMETRY_DIR)."""

    def __init__(self, base_dir: str | os.PathLike | None = None, settings=None) -> None:
        if settings is None:
            settings = get_settings()
        self.settings = settings
        if base_dir is not None:
            path = Path(base_dir).expanduser().absolute()
            self.location = Location(path, "given", "the folder given to LocalStorage")
        else:
            self.location = find_store(settings.telemetry_dir)
        self.base_dir = self.location.path
        self.enabled = bool(settings.telemetry_enabled)
        self.store_prompts = bool(settings.store_prompts)
        self.store_responses = bool(settings.store_responses)
        self.fsync = bool(settings.fsync)
        self.retention_days = int(settings.retention_days)
        self.max_size_mb = float(settings.max_size_mb)
        self.compress_after_days = int(getattr(settings, "compress_after_days", 7))
        self.read_stats = ReadStats()
        self.dropped = 0  # records the background writer could not write
        self._ready_days: set[str] = set()
        # Write in the caller's thread: while the disk fails (so the caller learns at once) and
        # once the exit flush has run (nothing would write a queued record after it).
        self._direct = False
        self._exiting = False
        self._wrote_days: set[str] = set()
        self._prune_day: str | None = None
        self._opened = False  # the store folder was checked (created, adopted) for writing
        self._reset_writer()
        _live.add(self)

    def _reset_writer(self) -> None:
        self._queue: deque = deque()
        self._wake = threading.Event()
        self._waking = False
        self._mutex = threading.Lock()
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.base_dir)!r}, enabled={self.enabled})"

    # ------------------------------------------------------------------ writing

    def store_telemetry(self, data: dict) -> bool:
        """Queue one record; True when queued or written, False when disabled or failing.

        "prompt" / "response" keys go to prompts.jsonl / responses.jsonl when those are
        enabled, and never into telemetry.jsonl. Never raises.
        """
        if not self.enabled:
            return False
        try:
            ts = data.get("timestamp")
            if "prompt" in data or "response" in data or "id" not in data or type(ts) is not str:
                data, side = self._split(data)
                ts = data["timestamp"]
            else:
                side = ()
            day = ts[:10]
            line = dumps_record(data, default=_jsonable, option=_DUMP_OPTS)
            if day not in self._ready_days or self._direct or len(self._queue) >= QUEUE_MAX:
                if not is_day_name(day):
                    day = utc_today()
                return self._write_now([(day, TELEMETRY_FILE, line), *side])
            queue = self._queue
            queue.append((day, TELEMETRY_FILE, line))
            if side:
                queue.extend(side)
            if not self._waking:
                self._waking = True
                self._wake.set()
            if self._thread is None:
                self._start_writer()
            return True
        except OSError as e:
            self._fail(e)
            return False
        except Exception as e:  # telemetry must never break the call that produced it
            _warn("bad-record", f"telemetry record not saved: {type(e).__name__}: {e}")
            return False

    def _split(self, data: dict) -> tuple[dict, list]:
        """A copy of `data` with id and timestamp filled in and prompt/response taken out."""
        record = dict(data)
        prompt = record.pop("prompt", None)
        response = record.pop("response", None)
        ms = now_ms()  # one clock read for the id and the timestamp
        if not record.get("id"):
            record["id"] = new_id_at(ms)
        ts = record.get("timestamp")
        if isinstance(ts, datetime):
            record["timestamp"] = format_timestamp(ts)
        elif not isinstance(ts, str) or not is_day_name(ts[:10]):
            record["timestamp"] = format_ms(ms)
        day = record["timestamp"][:10]
        side = []
        base = {"id": record["id"], "timestamp": record["timestamp"]}
        if prompt is not None and self.store_prompts:
            line = orjson.dumps({**base, "prompt": prompt}, default=_jsonable, option=_DUMP_OPTS)
            side.append((day, PROMPTS_FILE, line))
        if response is not None and self.store_responses:
            line = orjson.dumps({**base, "response": response}, default=_jsonable, option=_DUMP_OPTS)
            side.append((day, RESPONSES_FILE, line))
        return record, side

    def _write_now(self, items: list) -> bool:
        try:
            self._write_items(items)
        except Exception as e:
            self._fail(e)
            return False
        self._direct = self._exiting
        self._ready_days.add(items[0][0])
        return True

    def _fail(self, error: BaseException) -> None:
        self._direct = True
        if isinstance(error, ConfigError):
            _warn("write-failed", f"telemetry not saved: {error}; LLM calls go on without it")
            return
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        where = getattr(error, "filename", None) or self.base_dir
        _warn(
            "write-failed",
            f"telemetry not saved ({reason}: {where}); LLM calls go on without it",
        )

    def check(self) -> StoreState:
        """Raise ConfigError when the store folder is not a store (a command's check before it
        works; nothing is created). Returns the folder's state."""
        return check_store(self.base_dir)

    def write_lines(self, day: str, data: bytes, name: str = TELEMETRY_FILE) -> None:
        """Append whole JSONL lines to one day's file through the locked writer (llm-telemetry
        demo). Raises ConfigError or OSError."""
        self._open()
        self._append(as_day(day), name, data)

    def append_to(self, folder: str, name: str, data: bytes, when_new: bytes = b"") -> None:
        """Append whole JSONL lines to folder/name in the store (a day folder, or
        conversations/) under the exclusive lock, in one write; `when_new` goes first when the
        file is empty then (new, or removed by a prune meanwhile). Raises ConfigError or OSError."""
        self._open()
        self._append(folder, name, data, when_new)

    def _open(self) -> None:
        if not self._opened:
            open_store(self.base_dir)
            self._opened = True

    def _write_items(self, items: list) -> None:
        self._open()
        by_path: dict[tuple[str, str], list[bytes]] = {}
        for day, name, line in items:
            by_path.setdefault((day, name), []).append(line)
        error = None
        for (day, name), lines in by_path.items():
            try:
                self._append(day, name, b"".join(lines))
                self._wrote_days.add(day)
            except Exception as e:
                error = e
        if error is not None:
            raise error

    def _append(self, day: str, name: str, data: bytes, when_new: bytes = b"") -> None:
        """Append whole lines to day/name under an exclusive lock, in one write."""
        lock = locker()
        folder = self.base_dir / day
        for attempt in range(_APPEND_ATTEMPTS):
            if attempt >= 5:
                time.sleep(0.001)  # pruners keep removing it: let their round end
            try:
                fd = open_in(folder, name)
            except FileNotFoundError:
                self._make_dirs(folder)
                continue
            try:
                lock.lock(fd, lock.LOCK_EX)
                try:
                    st = os.fstat(fd)
                    if st.st_nlink == 0:
                        continue  # pruned between open and lock: open the new file
                    if not stat.S_ISREG(st.st_mode):
                        raise OSError(errno.EINVAL, "not a regular file", str(folder / name))
                    if st.st_size and last_byte(fd, st.st_size) != b"\n":
                        data = b"\n" + data  # a torn last line stays alone on its line
                    elif not st.st_size:
                        data = when_new + data
                    write_all(fd, data)
                    if self.fsync:
                        os.fsync(fd)
                    return
                finally:
                    # Unlock explicitly: a child forked meanwhile holds a copy of this fd.
                    lock.unlock(fd)
            finally:
                os.close(fd)
        raise OSError(errno.ENOENT, "the file or its folder keeps being removed", str(folder / name))

    def _make_dirs(self, folder: Path) -> None:
        if not self.base_dir.is_dir():
            open_store(self.base_dir)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, DIR_MODE)

    # --------------------------------------------------------- background writer

    def _start_writer(self) -> None:
        with _start_lock:
            if self._thread is not None:
                return
            thread = threading.Thread(target=self._run, name="llm-core-telemetry", daemon=True)
            self._thread = thread
            thread.start()

    def _run(self) -> None:
        wake = self._wake
        while True:
            wake.wait()
            wake.clear()
            self._waking = False  # before draining, so a record queued from here on wakes us
            try:
                self._drain()
            except Exception as e:  # the writer must outlive any surprise
                self._fail(e)

    def _drain(self) -> None:
        with self._mutex:
            queue = self._queue
            while queue:
                items = []
                while queue and len(items) < QUEUE_MAX:
                    items.append(queue.popleft())
                try:
                    self._write_items(items)
                    self._direct = self._exiting
                except Exception as e:
                    self.dropped += len(items)
                    self._fail(e)
            self._maybe_prune()

    def flush(self) -> None:
        """Write every queued record now (also runs at interpreter exit)."""
        if self.enabled:
            try:
                self._drain()
            except Exception as e:
                self._fail(e)

    def _at_exit(self) -> None:
        self._exiting = self._direct = True
        self.flush()
        if self._wrote_days:
            # Cheap: small days only (their summaries are extended, not rebuilt, but that still
            # costs in proportion to the day); bigger days are left to the next reader.
            with contextlib.suppress(Exception):
                totals.refresh(self, days=sorted(self._wrote_days), budget_bytes=512 << 10, warn=False,
                               write_summaries=False)

    # ------------------------------------------------------------------ pruning

    def _maybe_prune(self) -> None:
        """Prune at most once per UTC day per store, whoever gets the marker's lock first."""
        today = utc_today()
        if self._prune_day == today or not self._wrote_days:
            return
        self._prune_day = today
        marker = self.base_dir / PRUNE_MARKER
        try:
            with contextlib.suppress(FileNotFoundError):  # no marker yet: never pruned here
                if time.strftime("%Y-%m-%d", time.gmtime(os.stat(marker).st_mtime)) == today:
                    return
            lock = locker()
            fd = os.open(marker, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
            try:
                try:
                    lock.lock(fd, lock.LOCK_EX | lock.LOCK_NB)
                except lock.LockException:
                    return  # another process is pruning right now
                try:
                    if os.read(fd, 32).decode("ascii", "replace").strip() == today:
                        return
                    result = self.prune(compress_budget=_MAINTENANCE_COMPRESS_BYTES, latest=today)
                    if result["removed"] and sys.stderr is not None and sys.stderr.isatty():
                        _warn("pruned", retention_notice(result))
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, today.encode() + b"\n")
                finally:
                    lock.unlock(fd)
            finally:
                os.close(fd)
        except FileNotFoundError:
            pass  # the store folder itself was removed: nothing left to prune
        except Exception as e:
            _warn("prune-failed", f"telemetry pruning failed: {e}")

    def prune(self, dry_run: bool = False, compress_budget: int | None = None,
              latest: str | None = None) -> dict:
        """Compress the days older than LLM_COMPRESS_AFTER_DAYS (at most `compress_budget` bytes
        of them; None: all), apply LLM_RETENTION_DAYS and LLM_STORAGE_MAX_SIZE_MB; return what was
        (or would be) removed and what was compressed. "today" is never after `latest`.

        Day folders more than retention_days before today, and saved conversations whose last
        turn is, go first; then, while the store is over the size cap, prompts and responses
        oldest first, then conversations by last turn, then telemetry oldest first. Today's (and
        any later day's) telemetry, and a conversation used today, are never deleted.
        """
        # LLM_TELEMETRY_NOW (a test hook of the reports) pins "today" here too; a prune after a
        # write passes the clock's day as `latest`: a pin years ahead must not empty the store.
        pinned = getattr(self.settings, "telemetry_now", None)
        today = as_day(pinned) if pinned else latest
        if today is not None and latest is not None:
            today = min(today, latest)
        return prune_store(self, dry_run=dry_run, today=today, compress_budget=compress_budget)

    # ------------------------------------------------------------------ reading

    def day_dirs(self) -> list[Path]:
        """The day folders, oldest first."""
        return [self.base_dir / d for d in day_names(self.base_dir)]

    def iter_records(self, start=None, end=None, stats: ReadStats | None = None) -> Iterator[dict]:
        """Yield the telemetry records of the days start..end (inclusive; None = open)."""
        self.flush()
        lo = as_day(start) if start is not None else None
        hi = as_day(end) if end is not None else None
        stats = self.read_stats if stats is None else stats
        for folder in self.day_dirs():
            day = folder.name
            if (lo and day < lo) or (hi and day > hi) or os.path.islink(folder / TELEMETRY_FILE):
                continue  # out of range, or a link (its target is not the store's)
            yield from read_jsonl(folder / TELEMETRY_FILE, stats)
        stats.warn()

    def query_by_date_range(self, start, end) -> list[dict]:
        """The telemetry records of the UTC days start..end, inclusive (dates or 'YYYY-MM-DD')."""
        return list(self.iter_records(start, end))

    def read_side(self, day, name: str = PROMPTS_FILE) -> dict[str, Any]:
        """{record id: text} of prompts.jsonl or responses.jsonl of one day."""
        key = "prompt" if name == PROMPTS_FILE else "response"
        path = self.base_dir / as_day(day) / name
        return {r.get("id"): r.get(key) for r in read_jsonl(path, self.read_stats)}

    def summary(self, days: list[str] | None = None) -> dict:
        """summary.json brought up to date (the given days, or all) and returned."""
        self.flush()
        return totals.refresh(self, days=days)

    def get_today_stats(self) -> dict:
        """Today's (UTC) totals: calls, errors, tokens, cost_usd, by_model."""
        today = utc_today()
        data = self.summary(days=[today])
        return totals.public_day(today, data["days"].get(today))


# ---------------------------------------------------------------- process-wide

_live: weakref.WeakSet[LocalStorage] = weakref.WeakSet()
_start_lock = threading.Lock()
_process_storage: tuple[Any, LocalStorage] | None = None


def get_storage() -> LocalStorage:
    """The process's default store (follows get_settings(); a new one when they are reset)."""
    global _process_storage
    settings = get_settings()
    current = _process_storage
    if current is not None and current[0] is settings:
        return current[1]
    if current is not None:
        current[1].flush()
    storage = LocalStorage(settings=settings)
    _process_storage = (settings, storage)
    return storage


def _flush_all_at_exit() -> None:
    for storage in list(_live):
        with contextlib.suppress(Exception):
            storage._at_exit()


def _after_fork_in_child() -> None:
    # The parent writes what it had queued; the child starts with an empty queue, fresh
    # locks (one may have been held by a thread that does not exist here) and no writer.
    global _start_lock
    _start_lock = threading.Lock()
    for storage in list(_live):
        storage._reset_writer()


atexit.register(_flush_all_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
