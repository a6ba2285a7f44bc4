"""Bounded growth: retention by age, then a size cap, oldest data first.

Retention: a day folder more than LLM_RETENTION_DAYS old goes whole, and so does a saved
conversation whose last turn is that old (a conversation is one file, removed whole or not at
all). The size cap (LLM_STORAGE_MAX_SIZE_MB, counting everything that is the store's) then takes,
oldest first, until the store fits:

    1. prompts.jsonl / responses.jsonl    copies of every call's text, kept for debugging
    2. conversations/ID.jsonl             by last turn; never one whose last turn is today
    3. telemetry.jsonl                    never today's

Conversations go after the prompt copies because the user asked for each of them by name
(llm-chat --save-conversation) and `-c` continues them, while the copies are recorded for every
call; they go before telemetry because the telemetry records are what the store is for (cost
history, budgets, reports), a few hundred bytes a call, where a conversation repeats its text.

Safe while other processes write: a file is unlinked only while holding its exclusive lock,
and a writer that finds its file unlinked after locking it opens the new one (see
LocalStorage._append). A conversation that grew since prune measured it (llm-chat -c appended
a turn meanwhile) is kept; one removed while an `llm-chat -c` call ran is written again whole by
that call's append (Conversations.append). Only the store's own files count toward the cap and are ever removed
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
from llm_core.records import (
    CONVERSATIONS_DIR,
    PROMPTS_FILE,
    RESPONSES_FILE,
    TELEMETRY_FILE,
    utc_today,
)
from llm_core.storage import totals
from llm_core.storage._files import CLOEXEC, DIR_FLAGS, NOFOLLOW
from llm_core.storage.compress import compress_old_days
from llm_core.storage.day_summaries import summary_path
from llm_core.storage.inventory import Inventory, day_file_of, take_inventory
from llm_core.storage.location import check_store
from llm_core.storage.locking import locker

__all__ = ["prune_store", "retention_notice"]

_SIDE_FILES = (PROMPTS_FILE, RESPONSES_FILE)


def _remove_in(dfd: int, name: str, size: int | None = None) -> bool:
    """Unlink the regular file `name` of the folder `dfd` under its exclusive lock, so no writer
    is mid-append to it. A link or anything but a regular file is left alone (False), and so is
    one that is no longer `size` bytes when given (a writer appended since it was measured)."""
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
            if size is not None and os.fstat(fd).st_size != size:
                return False
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


def _conversations(base: Path, inv: Inventory) -> list[tuple[str, str, int]]:
    """(day of the last turn, file name, bytes) of every saved conversation, oldest first. The
    day is the file's modification day when it holds no whole turn."""
    # Imported here: every writing process imports this module, few stores hold conversations.
    from llm_core.storage.conversations import last_turn_day

    out = []
    try:
        dfd = os.open(base / CONVERSATIONS_DIR, DIR_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return out
    try:
        for name in inv.conversations:
            try:
                fd = os.open(name, os.O_RDONLY | NOFOLLOW | CLOEXEC, dir_fd=dfd)
            except OSError:
                continue  # removed meanwhile, or a link put there since the inventory
            try:
                st = os.fstat(fd)
                if stat.S_ISREG(st.st_mode):
                    day = last_turn_day(fd, st.st_size) or time.strftime("%Y-%m-%d", time.gmtime(st.st_mtime))
                    out.append((day, name, st.st_size))
            finally:
                os.close(fd)
    finally:
        os.close(dfd)
    return sorted(out)


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

    # A folder more than retention_days old goes whole (today minus retention_days is kept), and
    # so does a conversation whose last turn is that old.
    kept = []
    for day in inv.days:
        if day < cutoff:
            plan.drop(day, "folder", "retention")
        else:
            kept.append(day)
    convs = []
    for day, name, size in _conversations(base, inv):
        if day < cutoff:
            plan.drop_conversation(day, name, size, "retention")
        elif day < today:
            convs.append((day, name, size))

    # Then the size cap (the order and why: the module docstring).
    remaining = inv.total - result["freed_bytes"]
    max_bytes = int(storage.max_size_mb * 1024 * 1024)
    candidates = [(day, name, None) for day in kept for name in _SIDE_FILES]
    candidates += convs
    candidates += [(day, TELEMETRY_FILE, None) for day in kept if day < today]
    for day, name, size in candidates:
        if remaining <= max_bytes:
            break
        if size is not None:
            remaining -= plan.drop_conversation(day, name, size, "size")
            continue
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

    def drop_conversation(self, day: str, name: str, size: int, reason: str) -> int:
        """Remove the conversation file `name` (its last turn on `day`) whole; the bytes freed,
        0 when it grew since it was measured (kept: a turn was just appended)."""
        entry = {"path": str(self.base / CONVERSATIONS_DIR / name), "day": day, "kind": "conversation",
                 "id": name[:-len(".jsonl")], "bytes": size, "reason": reason}
        if not self.dry_run:
            try:
                dfd = os.open(self.base / CONVERSATIONS_DIR, DIR_FLAGS)
            except OSError:
                return 0
            try:
                if not _remove_in(dfd, name, size):
                    return 0
            finally:
                os.close(dfd)
        self.result["removed"].append(entry)
        self.result["freed_bytes"] += size
        return size

    def emptied(self, day: str) -> bool:
        return bool(self.gone.get(day)) and self.gone[day] >= set(self.inv.days[day])


def retention_notice(result: dict) -> str:
    """The one line a pruning that removed data prints in a terminal: what went, how to keep more."""
    removed = result["removed"]
    old = [r for r in removed if r["reason"] == "retention" and r.get("kind") != "conversation"]
    old_convs = [r for r in removed if r["reason"] == "retention" and r.get("kind") == "conversation"]
    capped = [r for r in removed if r["reason"] == "size"]
    parts = []
    if old or old_convs:
        what = [f"{len(old)} day{'s' if len(old) != 1 else ''}"] if old else []
        what += [f"{len(old_convs)} conversation{'s' if len(old_convs) != 1 else ''}"] if old_convs else []
        parts.append(f"{' and '.join(what)} older than {result['retention_days']} days"
                     f" (to keep more: LLM_RETENTION_DAYS)")
    if capped:
        parts.append(f"{len(capped)} file{'s' if len(capped) != 1 else ''} over the"
                     f" {result['max_size_mb']:g} MB cap (to keep more: LLM_STORAGE_MAX_SIZE_MB)")
    mb = result["freed_bytes"] / 1e6
    return f"telemetry pruned from {result['base_dir']}: {' and '.join(parts)}, {mb:.1f} MB"
