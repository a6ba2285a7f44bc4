"""The budget ledger: `<store>/.budget/state.json`, the spend per 15-minute slot and the calls in flight.

    {"files": {"2026-12-01": {"ino": .., "offset": .., "total": .., "slots": {"1972560": ..},
                              "scoped": {SCOPE: {"total": .., "slots": {..}}}}},
     "scopes": {SCOPE: last wanted, ms},
     "reservations": {ID: {"usd": .., "expires": ms, "pid": .., "call": {"project", "agent", "model"}}}}

Costs are integers (1e-12 USD, as the summaries keep them); a SCOPE is scope_key() of a
budget's (key, value) pairs. What the state is for, and when it is read, is in budgets.py.
"""

from __future__ import annotations

import contextlib
import functools
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from llm_core.dayfiles import day_file_stat
from llm_core.records import BUDGET_DIR, TELEMETRY_FILE, utc_today
from llm_core.storage import day_summaries
from llm_core.storage._day_records import COST_SCALE, M_COST, NM, SLOT_MS, extract, split_lines
from llm_core.storage.location import open_store
from llm_core.storage.locking import locker

__all__ = ["KEEP_DAYS", "SCOPE_DIMS", "STATE_FILE", "Ledger", "scope_key", "utc_midnight"]

STATE_FILE = "state.json"
STATE_MODE = 0o600
KEEP_DAYS = 40  # day files (and scopes no check wants) kept in the state: longer than any window
SCOPE_DIMS = {"project": 0, "agent": 1, "model": 3}  # a scope key's place in a record's dims


@functools.lru_cache(maxsize=256)
def scope_key(scope: tuple[tuple[str, str], ...]) -> str:
    """A scope's name in the state ("" for every call)."""
    return orjson.dumps(scope).decode() if scope else ""


def _matches(dims: tuple, scope: list) -> bool:
    return all(dims[SCOPE_DIMS[k]] == v for k, v in scope)


_DAY_SLOTS = 86_400_000 // SLOT_MS


def _read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks, at = [], 0
    while at < size:
        chunk = os.pread(fd, size - at, at)
        if not chunk:
            break
        chunks.append(chunk)
        at += len(chunk)
    return b"".join(chunks)


@functools.lru_cache(maxsize=128)
def utc_midnight(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp() * 1000)


_written: dict[Path, bytes] = {}  # per state file, what this process last wrote (or found valid)


class Ledger:
    """The store's budget state, read and written under its lock (see the module docstring)."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self.folder = self.store / BUDGET_DIR
        self.state_path = self.folder / STATE_FILE

    @contextlib.contextmanager
    def locked(self):
        """The state, loaded under the exclusive lock; saved on leaving when it changed.

        The lock is the state file's own flock, and the file is rewritten in place (no temp
        file and rename, which cost milliseconds on some file systems): the lock keeps writers
        apart, and a file torn by a crash fails to parse and is rebuilt from the store."""
        if not self.folder.is_dir():
            open_store(self.store)  # creates or adopts the store first: .budget/ is its own file
            os.makedirs(self.folder, 0o700, exist_ok=True)
        fd = os.open(self.state_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
                     STATE_MODE)
        lock = locker()
        try:
            lock.lock(fd, lock.LOCK_EX)
            try:
                before = _read_all(fd)
                # The bytes this process wrote last need no checking again (a call's settle
                # and the next call's reserve read them back): validating a month costs more.
                state = self._load(before, trusted=_written.get(self.state_path) == before)
                yield state
                data = orjson.dumps(state)
                if data != before:
                    os.pwrite(fd, data, 0)
                    if len(data) < len(before):
                        os.ftruncate(fd, len(data))
                _written[self.state_path] = data
            finally:
                lock.unlock(fd)
        finally:
            os.close(fd)

    def _load(self, data: bytes, trusted: bool = False) -> dict[str, Any]:
        try:
            state = orjson.loads(data) if data else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            state = {}
        if trusted and data:
            return state
        files, held, scopes = state.get("files"), state.get("reservations"), state.get("scopes")
        # Anything malformed is dropped: a file entry is then read again, from its summary.
        state["scopes"] = ({k: t for k, t in scopes.items() if type(t) is int and _valid_scope(k)}
                           if isinstance(scopes, dict) else {})
        state["files"] = ({d: e for d, e in files.items() if _valid_entry(e, state["scopes"])}
                          if isinstance(files, dict) else {})
        state["reservations"] = ({k: r for k, r in held.items() if _valid_reservation(r)}
                                 if isinstance(held, dict) else {})
        return state

    def refresh(self, state: dict[str, Any], since_ms: int, now_ms: int, scopes: Any = (),
                cut: Any = None) -> None:
        """Bring the per-slot costs (of everything, and of each scope in `scopes`) of every
        UTC day file from `since_ms` to now up to date. `cut` names the day files a window
        starts in: only they and the last three keep their slots (see _compact)."""
        self._track(state, scopes, now_ms)
        first = datetime.fromtimestamp(since_ms / 1000, timezone.utc).date()
        last = max(datetime.fromtimestamp(now_ms / 1000, timezone.utc).date(), date.fromisoformat(utc_today()))
        files = state["files"]
        keep_from = (datetime.fromtimestamp(now_ms / 1000, timezone.utc).date()
                     - timedelta(days=KEEP_DAYS)).isoformat()
        for name in [d for d in files if d < keep_from]:  # no window reaches back that far
            del files[name]
        settled = (last - timedelta(days=1)).isoformat()
        tracked = [(k, orjson.loads(k)) for k in state["scopes"]]
        day = first
        recent = (last - timedelta(days=2)).isoformat()
        cut = set() if cut is None else set(cut)
        while day <= last:
            name = day.isoformat()
            # A day file before yesterday (UTC) is complete: once read, it is not stat'ed again.
            if (name not in files or name >= settled
                    or (files[name]["slots"] is None and (name in cut or name >= recent))):
                self._refresh_file(files, name, tracked)
            day += timedelta(days=1)
        _compact(files, cut, recent)

    @staticmethod
    def _track(state: dict[str, Any], scopes: Any, now_ms: int) -> None:
        """Keep per-slot costs for `scopes` from now on: a scope new to the state has every
        day file read again; one no check wanted for KEEP_DAYS is dropped."""
        tracked = state["scopes"]
        if any(k not in tracked for k in scopes):
            state["files"] = {}
        for k in scopes:
            tracked[k] = now_ms
        for k in [k for k, t in tracked.items() if t < now_ms - KEEP_DAYS * 86_400_000]:
            del tracked[k]
            for entry in state["files"].values():
                entry.get("scoped", {}).pop(k, None)

    def _refresh_file(self, files: dict[str, Any], day: str, tracked: list) -> None:
        path = self.store / day / TELEMETRY_FILE
        try:
            st = day_file_stat(path)
        except OSError:
            files.pop(day, None)
            return
        entry = files.get(day)
        if st.compressed:  # storage/compress.py: not appended in place any more; its summary has it all
            if (entry is None or entry.get("ino") != st.st_ino or entry.get("offset") != st.st_size
                    or entry["slots"] is None):
                entry = files[day] = self._from_summary(day, st, tracked)
                entry["offset"] = st.st_size
            return
        if (entry is None or entry.get("ino") != st.st_ino or entry.get("offset", 0) > st.st_size
                or entry["slots"] is None):
            entry = files[day] = self._from_summary(day, st, tracked)
        if entry["offset"] < st.st_size:
            with open(path, "rb") as f:
                f.seek(entry["offset"])
                data = f.read(st.st_size - entry["offset"])
            scoped = entry.get("scoped", {})
            for line in split_lines(data):
                entry["offset"] += len(line) + 1
                try:
                    found = extract(orjson.loads(line))
                except ValueError:
                    continue
                if found is not None and found[2][M_COST]:
                    key, cost = str(found[0] // SLOT_MS), found[2][M_COST]
                    _add(entry, key, cost)
                    for name, scope in tracked:
                        if _matches(found[1], scope):
                            _add(scoped[name], key, cost)

    def _from_summary(self, day: str, st: os.stat_result, tracked: list) -> dict[str, Any]:
        """A file's entry started from its summary (built when stale), else from its start."""
        entry: dict[str, Any] = {"ino": st.st_ino, "offset": 0, "slots": {}, "total": 0}
        if tracked:
            entry["scoped"] = {name: {"slots": {}, "total": 0} for name, _ in tracked}
        try:
            summary = day_summaries.day_summary(self.store, day)
            if summary is None or summary.meta.get("source", {}).get("ino") != st.st_ino:
                return entry
            scoped = _scoped_from(summary, tracked) if tracked else None
        except Exception:  # a broken summary: read the file itself
            return entry
        entry["offset"] = int(summary.meta["offset"])
        entry["slots"] = {str(s[0]): s[1 + M_COST] for s in summary.day_slots if s[1 + M_COST]}
        entry["total"] = sum(entry["slots"].values())
        if scoped is not None:
            entry["scoped"] = scoped
        return entry

    @staticmethod
    def spend(state: dict[str, Any], start_ms: int, end_ms: int, scope: str = "") -> float:
        """The recorded spend in [start, end): of every call, or of the calls in `scope` (a
        Budget.key the state tracks)."""
        lo, hi = start_ms // SLOT_MS, end_ms // SLOT_MS
        total = 0
        for day, entry in state["files"].items():
            part = entry["scoped"][scope] if scope else entry
            first = utc_midnight(day) // SLOT_MS  # the slots a UTC day file can hold
            if lo <= first and first + _DAY_SLOTS <= hi:
                total += part["total"]  # the whole file is in the window
            elif first < hi and lo < first + _DAY_SLOTS and part["slots"] is None:
                # Counted whole: refresh keeps the slots of every file a window can cut, so this
                # could only overcount, never let a call pass.
                total += part["total"]
            elif first < hi and lo < first + _DAY_SLOTS:
                total += sum(cost for key, cost in part["slots"].items() if lo <= int(key) < hi)
        return total / COST_SCALE

    @staticmethod
    def reserved(state: dict[str, Any], now_ms: int, scope: tuple = ()) -> float:
        """The worst cases of the calls in flight (for a `scope`: those whose labels match)."""
        live = {k: r for k, r in state["reservations"].items() if r["expires"] > now_ms}
        state["reservations"] = live
        # A reservation without the call's labels counts for every budget.
        return sum(r["usd"] for r in live.values()
                   if r.get("call") is None or all(r["call"].get(k) == v for k, v in scope))


def _compact(files: dict[str, Any], cut: set[str], recent: str) -> None:
    """Forget the slots of the day files no window can cut: those before the last three that
    no window starts in (windows start at a local midnight and end after now), so a check
    loads and saves a few files' slots, not a month's. Their totals are all spend() needs."""
    for name, entry in files.items():
        if entry["slots"] is not None and name < recent and name not in cut:
            entry["slots"] = None
            for part in entry.get("scoped", {}).values():
                part["slots"] = None


def _add(part: dict[str, Any], slot: str, cost: int) -> None:
    part["slots"][slot] = part["slots"].get(slot, 0) + cost
    part["total"] += cost


def _scoped_from(summary: Any, tracked: list) -> dict[str, Any]:
    """Per tracked scope, the per-slot costs of the summary's (combo, slot) groups it holds."""
    cids, slots, metrics, _ = summary.rows()
    out = {}
    for name, scope in tracked:
        part: dict[str, Any] = {"slots": {}, "total": 0}
        inside = {c for c, dims in enumerate(summary.combos) if _matches(dims, scope)}
        for r, cid in enumerate(cids):
            if cid in inside and metrics[r * NM + M_COST]:
                _add(part, str(slots[r]), metrics[r * NM + M_COST])
        out[name] = part
    return out


def _valid_part(part: Any) -> bool:
    if not isinstance(part, dict) or not isinstance(part.get("total"), int):
        return False
    slots = part.get("slots", 0)
    return slots is None or (isinstance(slots, dict) and set(map(type, slots.values())) <= _INT)


_INT = {int}


def _valid_entry(entry: Any, scopes: dict[str, int]) -> bool:
    return (isinstance(entry, dict) and all(isinstance(entry.get(k), int) for k in ("ino", "offset"))
            and _valid_part(entry)
            and (not scopes or (isinstance(entry.get("scoped"), dict)
                                and all(_valid_part(entry["scoped"].get(k)) for k in scopes))))


def _valid_scope(key: Any) -> bool:
    try:
        scope = orjson.loads(key)
    except (TypeError, ValueError):
        return False
    return isinstance(scope, list) and all(
        isinstance(p, list) and len(p) == 2 and p[0] in SCOPE_DIMS and isinstance(p[1], str) for p in scope)


def _valid_reservation(held: Any) -> bool:
    return (isinstance(held, dict) and isinstance(held.get("usd"), (int, float))
            and isinstance(held.get("expires"), int) and isinstance(held.get("call"), (type(None), dict)))
