"""Bounded growth: retention by age, then a size cap, oldest data first.

Safe while other processes write: a file is unlinked only while holding its exclusive lock,
and a writer that finds its file unlinked after locking it opens the new one (see
LocalStorage._append). Only folders named YYYY-MM-DD are ever touched.
"""

from __future__ import annotations

import contextlib
import os
import time
from datetime import date, timedelta
from pathlib import Path

from llm_core.records import PROMPTS_FILE, RESPONSES_FILE, TELEMETRY_FILE, day_names, utc_today
from llm_core.storage import totals
from llm_core.storage.day_summaries import summary_path
from llm_core.storage.locking import locker

_SIDE_FILES = (PROMPTS_FILE, RESPONSES_FILE)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += _size(Path(root) / name)
    return total


def _remove_file(path: Path) -> None:
    """Unlink under the file's exclusive lock so no writer is mid-append to it."""
    lock = locker()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return
    try:
        lock.lock(fd, lock.LOCK_EX)
        try:
            # Another process pruning the same store may have removed it while we waited.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        finally:
            lock.unlock(fd)
    finally:
        os.close(fd)


def _remove_folder(folder: Path) -> None:
    import shutil  # pulls in bz2, lzma and zlib (a few ms) that only removing a folder needs

    for name in (TELEMETRY_FILE, *_SIDE_FILES):
        _remove_file(folder / name)
    shutil.rmtree(folder, ignore_errors=True)


def _remove_stale_temp_files(base: Path, max_age_s: float = 3600) -> None:
    """summary.json temp files left by a process killed between write and rename."""
    now = time.time()
    for tmp in base.glob(".summary.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > max_age_s:
                tmp.unlink()


def prune_store(storage, dry_run: bool = False, today: str | None = None) -> dict:
    """Remove (or with dry_run, list) what retention and the size cap require."""
    today = today or utc_today()
    cutoff = (date.fromisoformat(today) - timedelta(days=storage.retention_days)).isoformat()
    base = storage.base_dir
    total = _folder_size(base) if base.is_dir() else 0
    result = {
        "dry_run": dry_run, "today": today, "base_dir": str(base),
        "retention_days": storage.retention_days, "max_size_mb": storage.max_size_mb,
        "bytes_before": total, "bytes_after": total, "freed_bytes": 0, "removed": [],
    }
    plan = _Removal(base, dry_run, result)

    # A folder more than retention_days old goes whole (today minus retention_days is kept).
    kept = []
    for folder in (base / day for day in day_names(base)):
        if folder.name < cutoff:
            plan.drop(folder, folder.name, "folder", _folder_size(folder), "retention")
        else:
            kept.append(folder)

    # Then the size cap: prompts and responses (any day) before telemetry (never today's).
    remaining = total - result["freed_bytes"]
    max_bytes = int(storage.max_size_mb * 1024 * 1024)
    candidates = [(folder / name, folder.name, name.split(".")[0]) for folder in kept for name in _SIDE_FILES]
    candidates += [(folder / TELEMETRY_FILE, folder.name, "telemetry") for folder in kept if folder.name < today]
    for path, day, kind in candidates:
        if remaining <= max_bytes:
            break
        size = _size(path)
        if path.exists():
            plan.drop(path, day, kind, size, "size")
            remaining -= size

    if not dry_run:
        _remove_stale_temp_files(base)
        for folder in kept:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds when the size cap emptied it
        if plan.removed_days:
            totals.drop_days(storage, plan.removed_days)
    result["bytes_after"] = total - result["freed_bytes"]
    return result


class _Removal:
    """Removes (or, in a dry run, only lists) files and folders, accounting for them in `result`."""

    def __init__(self, base: Path, dry_run: bool, result: dict) -> None:
        self.base, self.dry_run, self.result = base, dry_run, result
        self.removed_days: list[str] = []

    def drop(self, path: Path, day: str, kind: str, size: int, reason: str) -> None:
        # A day's report summary is derived from its telemetry and goes with it.
        derived = summary_path(self.base, day) if kind in ("folder", "telemetry") else None
        size += _size(derived) if derived else 0
        self.result["removed"].append(
            {"path": str(path), "day": day, "kind": kind, "bytes": size, "reason": reason}
        )
        self.result["freed_bytes"] += size
        if self.dry_run:
            return
        if kind == "folder":
            _remove_folder(path)
        else:
            _remove_file(path)
        if derived:
            derived.unlink(missing_ok=True)
            self.removed_days.append(day)
