"""Bounded growth: retention by age, then a size cap, oldest data first.

Safe while other processes write: a file is unlinked only while holding its exclusive lock,
and a writer that finds its file unlinked after locking it opens the new one (see
LocalStorage._append). Only the store's own files count toward the cap and are ever removed
(storage/inventory.py): a file that is not the store's, or a symbolic link, is left alone,
listed in the result's "left_alone", and a link is never followed (day folders and files are
opened with O_NOFOLLOW, relative to the day folder's own descriptor). A folder that is not a
store is refused (storage/location.py), never scanned.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from datetime import date, timedelta
from pathlib import Path

from llm_core.errors import warn
from llm_core.records import PROMPTS_FILE, RESPONSES_FILE, TELEMETRY_FILE, utc_today
from llm_core.storage import totals
from llm_core.storage._files import CLOEXEC, DIR_FLAGS, NOFOLLOW
from llm_core.storage.compress import compress_old_days
from llm_core.storage.day_summaries import summary_path
from llm_core.storage.inventory import Inventory, day_file_of, take_inventory
from llm_core.storage.location import check_store
from llm_core.storage.locking import locker

__all__ = ["prune_store", "retention_notice"]

_SIDE_FILES = (PROMPTS_FILE, RESPONSES_FILE)


def _remove_in(dfd: int, name: str) -> bool:
    """Unlink the regular file `name` of the folder `dfd` under its exclusive lock, so no writer
    is mid-append to it. A link or anything but a regular file is left alone (False)."""
    lock = locker()
    try:
        fd = os.open(name, os.O_RDONLY | NOFOLLOW | CLOEXEC, dir_fd=dfd)
    except FileNotFoundError:
        return True
    except OSError as e:
        if e.errno == errno.ELOOP:
            return False
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        lock.lock(fd, lock.LOCK_EX)
        try:
            # Another process pruning the same store may have removed it while we waited.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=dfd)
        finally:
            lock.unlock(fd)
    finally:
        os.close(fd)
    return True


def _remove(folder: Path, names: tuple[str, ...], rmdir: bool = False) -> None:
    """Remove the store's own files `names` of the day folder (and the folder when then empty)."""
    try:
        dfd = os.open(folder, DIR_FLAGS)
    except FileNotFoundError:
        return
    try:
        for name in names:
            _remove_in(dfd, name)
    finally:
        os.close(dfd)
    if rmdir:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only when empty: anything not the store's keeps it


def _unlink_regular(path: Path) -> None:
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)


def _remove_stale_temp_files(base: Path, inv: Inventory, max_age_s: float = 3600) -> None:
    """summary.json temp files left by a process killed between write and rename."""
    now = time.time()
    for name in inv.root:
        if name.startswith(".summary.") and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                if now - os.lstat(base / name).st_mtime > max_age_s:
                    _unlink_regular(base / name)


def _result(storage, inv: Inventory | None, dry_run: bool, today: str) -> dict:
    total = inv.total if inv else 0
    return {
        "dry_run": dry_run, "today": today, "base_dir": str(storage.base_dir),
        "retention_days": storage.retention_days, "max_size_mb": storage.max_size_mb,
        "bytes_before": total, "bytes_after": total, "freed_bytes": 0, "removed": [], "compressed": [],
        "left_alone": inv.left_alone() if inv else [],
    }


def prune_store(storage, dry_run: bool = False, today: str | None = None,
                compress_budget: int | None = None) -> dict:
    """Remove (or with dry_run, list) what retention and the size cap require, after compressing
    the days older than storage.compress_after_days (at most `compress_budget` plain bytes; a
    dry run compresses nothing)."""
    today = today or utc_today()
    cutoff = (date.fromisoformat(today) - timedelta(days=storage.retention_days)).isoformat()
    base = storage.base_dir
    if check_store(base).state == "missing":
        return _result(storage, None, dry_run, today)
    inv = take_inventory(base)
    compressed = []
    if not dry_run:
        # Days retention is about to remove are not worth compressing.
        compressed = compress_old_days(base, today, getattr(storage, "compress_after_days", 0), keep_from=cutoff,
                                       budget_bytes=compress_budget, days=list(inv.days))
        if compressed:
            inv = take_inventory(base)  # the cap counts the compressed bytes
    result = _result(storage, inv, dry_run, today)
    result["compressed"] = compressed
    if inv.links and not dry_run:
        with contextlib.suppress(Exception):  # a closed stderr must not turn this into a crash
            warn(f"left alone (symbolic links are never followed): {', '.join(inv.links)}", key="prune-links")
    plan = _Removal(base, inv, dry_run, result)

    # A folder more than retention_days old goes whole (today minus retention_days is kept).
    kept = []
    for day in inv.days:
        if day < cutoff:
            plan.drop(day, "folder", "retention")
        else:
            kept.append(day)

    # Then the size cap: prompts and responses (any day) before telemetry (never today's).
    remaining = inv.total - result["freed_bytes"]
    max_bytes = int(storage.max_size_mb * 1024 * 1024)
    candidates = [(day, name) for day in kept for name in _SIDE_FILES]
    candidates += [(day, TELEMETRY_FILE) for day in kept if day < today]
    for day, name in candidates:
        if remaining <= max_bytes:
            break
        present = tuple(n for n in inv.days[day] if day_file_of(n) == name)  # plain and compressed
        if present:
            remaining -= plan.drop(day, name.split(".")[0], "size", present)

    if not dry_run:
        _remove_stale_temp_files(base, inv)
        for day in kept:
            if plan.emptied(day):
                with contextlib.suppress(OSError):
                    os.rmdir(base / day)  # only succeeds when the size cap emptied it
        if plan.removed_days:
            totals.drop_days(storage, plan.removed_days)
    result["bytes_after"] = inv.total - result["freed_bytes"]
    return result


class _Removal:
    """Removes (or, in a dry run, only lists) the store's own files, accounting for them in `result`."""

    def __init__(self, base: Path, inv: Inventory, dry_run: bool, result: dict) -> None:
        self.base, self.inv, self.dry_run, self.result = base, inv, dry_run, result
        self.removed_days: list[str] = []
        self.gone: dict[str, set[str]] = {}

    def drop(self, day: str, kind: str, reason: str, only: tuple[str, ...] | None = None) -> int:
        """Remove a day folder's own files (kind "folder") or `only` those; the bytes freed."""
        files = self.inv.days[day]
        names = tuple(files) if only is None else only
        size = sum(files[n] for n in names)
        # A day's report summary is derived from its telemetry and goes with it.
        derived = kind in ("folder", "telemetry")
        if derived:
            size += self.inv.summaries.get(f"{day}.sum", 0)
        path = self.base / day if only is None else self.base / day / only[0]
        self.result["removed"].append({"path": str(path), "day": day, "kind": kind, "bytes": size, "reason": reason})
        self.result["freed_bytes"] += size
        self.gone.setdefault(day, set()).update(names)
        if self.dry_run:
            return size
        _remove(self.base / day, names, rmdir=only is None)
        if derived:
            _unlink_regular(summary_path(self.base, day))
            self.removed_days.append(day)
        return size

    def emptied(self, day: str) -> bool:
        return bool(self.gone.get(day)) and self.gone[day] >= set(self.inv.days[day])


def retention_notice(result: dict) -> str:
    """The one line a pruning that removed data prints in a terminal: what went, how to keep more."""
    removed = result["removed"]
    old = [r for r in removed if r["reason"] == "retention"]
    capped = [r for r in removed if r["reason"] == "size"]
    parts = []
    if old:
        parts.append(f"{len(old)} day{'s' if len(old) != 1 else ''} older than {result['retention_days']} days"
                     f" (to keep more: LLM_RETENTION_DAYS)")
    if capped:
        parts.append(f"{len(capped)} file{'s' if len(capped) != 1 else ''} over the"
                     f" {result['max_size_mb']:g} MB cap (to keep more: LLM_STORAGE_MAX_SIZE_MB)")
    mb = result["freed_bytes"] / 1e6
    return f"telemetry pruned from {result['base_dir']}: {' and '.join(parts)}, {mb:.1f} MB"
