"""Budgets: spend limits checked before a call is sent, across every process sharing a store.

    LLM_BUDGET_DAILY_USD=1.50      the local day's spend may not pass $1.50
    LLM_BUDGET_MONTHLY_USD=20      nor the local calendar month's $20
    LLM_BUDGET_MODE=warn           warn instead of refusing

Before a call, the client asks `reserve()`: under the budget lock (an exclusive flock on
`<store>/.budget/state.json`) it brings the spend of each budget's window up to date, adds the reservations
of calls in flight, and compares that plus this call's worst case (the input's ceiling --
counted tokens, message framing, 25% more where the count is an estimate, utils/tokens.py
input_ceiling -- + the max_tokens ceiling, at the model's price) with each limit. Over a limit the call is refused
(BudgetExceeded, exit 8) -- or, with LLM_BUDGET_MODE=warn, only warned about. Under it, the
worst case is reserved; `settle()` drops the reservation once the call's record is in the
store. A crashed process's reservation expires (RESERVATION_TTL_MS at most). So N processes
racing near a limit spend at most the limit (more only where a call bills above its ceiling:
each call in flight can then pass by its own shortfall), and never lose a refusal: each is recorded with status "blocked", cost 0.

The state (`<store>/.budget/state.json`, mode 0600) keeps, per UTC day file, the byte offset
read to and the known cost per 15-minute slot, so a check reads only the records appended
since the last one; the first check of a day file starts from its summary (day_summaries.py),
so a store of a million records costs one summary read, once. Deleting `.budget/` is safe
(reservations of calls in flight are then forgotten).

Windows are local time: "day" from local midnight, "week" from Monday, "month" from the 1st.
Nothing here is imported, and no file is touched, when no budget is set and no max_cost given.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from llm_core.config import Settings
from llm_core.dayfiles import day_file_stat
from llm_core.errors import BudgetExceeded, ConfigError, warn
from llm_core.records import BUDGET_DIR, TELEMETRY_FILE, utc_today
from llm_core.records import now_ms as clock_ms
from llm_core.storage import day_summaries
from llm_core.storage._day_records import COST_SCALE, M_COST, SLOT_MS, extract, split_lines
from llm_core.storage.local import get_storage
from llm_core.storage.location import open_store
from llm_core.storage.locking import locker

__all__ = [
    "Budget", "BudgetStatus", "Ledger", "budgets", "check_max_cost", "guard", "reserve", "settle",
    "settle_call", "statuses", "window_bounds",
]

STATE_FILE = "state.json"
STATE_MODE = 0o600
RESERVATION_TTL_MS = 3_600_000  # the longest a crashed process's reservation is counted
KEEP_DAYS = 40  # day files kept in the state: longer than any window (a month)


@dataclass(frozen=True)
class Budget:
    name: str  # "daily", "monthly"
    window: str  # "day", "week", "month"
    limit_usd: float
    how_to_raise: str  # what the user changes to raise it


@dataclass
class BudgetStatus:
    """One budget's window and spend (the recorded spend plus calls in flight)."""

    budget: Budget
    start_ms: int
    end_ms: int
    spent_usd: float
    reserved_usd: float

    @property
    def used_usd(self) -> float:
        return self.spent_usd + self.reserved_usd

    def forecast_usd(self, now_ms: int) -> float:
        """The spend at the window's end if it goes on at the rate so far (linear)."""
        elapsed = max(now_ms - self.start_ms, 60_000)
        return self.spent_usd * (self.end_ms - self.start_ms) / elapsed

    def to_dict(self, now_ms: int) -> dict[str, Any]:
        limit = self.budget.limit_usd
        return {
            "budget": self.budget.name, "window": self.budget.window,
            "start": _iso(self.start_ms), "end": _iso(self.end_ms),
            "spent_usd": round(self.spent_usd, 12), "reserved_usd": round(self.reserved_usd, 12),
            "limit_usd": limit, "remaining_usd": round(max(limit - self.used_usd, 0.0), 12),
            "percent": round(100 * self.used_usd / limit, 2),
            "forecast_usd": round(self.forecast_usd(now_ms), 12),
            "exceeded": self.used_usd >= limit,
        }


def budgets(settings: Settings) -> list[Budget]:
    """The budgets that apply, from the settings (LLM_BUDGET_*_USD)."""
    out = []
    if settings.budget_daily_usd is not None:
        out.append(Budget("daily", "day", settings.budget_daily_usd, "LLM_BUDGET_DAILY_USD"))
    if settings.budget_monthly_usd is not None:
        out.append(Budget("monthly", "month", settings.budget_monthly_usd, "LLM_BUDGET_MONTHLY_USD"))
    return out


def window_bounds(window: str, now_ms: int) -> tuple[int, int]:
    """[start, end) of the local day, week (from Monday) or month holding `now_ms`, in epoch ms."""
    today = datetime.fromtimestamp(now_ms / 1000).date()
    if window == "day":
        first, last = today, today + timedelta(days=1)
    elif window == "week":
        first = today - timedelta(days=today.weekday())
        last = first + timedelta(days=7)
    elif window == "month":
        first = today.replace(day=1)
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    else:
        raise ValueError(f"unknown budget window {window!r}")
    return _midnight(first), _midnight(last)


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day).timestamp() * 1000)


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


def _utc_midnight(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp() * 1000)


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).astimezone().isoformat(timespec="seconds")


def usd(value: float) -> str:
    """$0.000123 under a cent, $0.1234 under a dollar, $12.34 above."""
    if value < 0.01:
        return f"${value:.6f}"
    return f"${value:.4f}" if value < 1 else f"${value:,.2f}"


# ---------------------------------------------------------------- the ledger


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
                state = self._load(before)
                yield state
                data = orjson.dumps(state)
                if data != before:
                    os.pwrite(fd, data, 0)
                    if len(data) < len(before):
                        os.ftruncate(fd, len(data))
            finally:
                lock.unlock(fd)
        finally:
            os.close(fd)

    def _load(self, data: bytes) -> dict[str, Any]:
        try:
            state = orjson.loads(data) if data else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            state = {}
        files, held = state.get("files"), state.get("reservations")
        # Anything malformed is dropped: a file entry is then read again, from its summary.
        state["files"] = {d: e for d, e in files.items() if _valid_entry(e)} if isinstance(files, dict) else {}
        state["reservations"] = ({k: r for k, r in held.items() if _valid_reservation(r)}
                                 if isinstance(held, dict) else {})
        return state

    def refresh(self, state: dict[str, Any], since_ms: int, now_ms: int) -> None:
        """Bring the per-slot costs of every UTC day file from `since_ms` to now up to date."""
        first = datetime.fromtimestamp(since_ms / 1000, timezone.utc).date()
        last = max(datetime.fromtimestamp(now_ms / 1000, timezone.utc).date(), date.fromisoformat(utc_today()))
        files = state["files"]
        keep_from = (datetime.fromtimestamp(now_ms / 1000, timezone.utc).date()
                     - timedelta(days=KEEP_DAYS)).isoformat()
        for name in [d for d in files if d < keep_from]:  # no window reaches back that far
            del files[name]
        settled = (last - timedelta(days=1)).isoformat()
        day = first
        while day <= last:
            name = day.isoformat()
            # A day file before yesterday (UTC) is complete: once read, it is not stat'ed again.
            if name not in files or name >= settled:
                self._refresh_file(files, name)
            day += timedelta(days=1)

    def _refresh_file(self, files: dict[str, Any], day: str) -> None:
        path = self.store / day / TELEMETRY_FILE
        try:
            st = day_file_stat(path)
        except OSError:
            files.pop(day, None)
            return
        entry = files.get(day)
        if st.compressed:  # storage/compress.py: not appended in place any more; its summary has it all
            if entry is None or entry.get("ino") != st.st_ino or entry.get("offset") != st.st_size:
                entry = files[day] = self._from_summary(day, st)
                entry["offset"] = st.st_size
            return
        if (entry is None or entry.get("ino") != st.st_ino or entry.get("offset", 0) > st.st_size
                or "total" not in entry):
            entry = files[day] = self._from_summary(day, st)
        if entry["offset"] < st.st_size:
            with open(path, "rb") as f:
                f.seek(entry["offset"])
                data = f.read(st.st_size - entry["offset"])
            slots = entry["slots"]
            for line in split_lines(data):
                entry["offset"] += len(line) + 1
                try:
                    found = extract(orjson.loads(line))
                except ValueError:
                    continue
                if found is not None and found[2][M_COST]:
                    key = str(found[0] // SLOT_MS)
                    slots[key] = slots.get(key, 0) + found[2][M_COST]
                    entry["total"] += found[2][M_COST]

    def _from_summary(self, day: str, st: os.stat_result) -> dict[str, Any]:
        """A file's entry started from its summary (built when stale), else from its start."""
        entry: dict[str, Any] = {"ino": st.st_ino, "offset": 0, "slots": {}, "total": 0}
        try:
            summary = day_summaries.day_summary(self.store, day)
        except Exception:  # a broken summary: read the file itself
            summary = None
        if summary is not None and summary.meta.get("source", {}).get("ino") == st.st_ino:
            entry["offset"] = int(summary.meta["offset"])
            entry["slots"] = {str(s[0]): s[1 + M_COST] for s in summary.day_slots if s[1 + M_COST]}
            entry["total"] = sum(entry["slots"].values())
        return entry

    @staticmethod
    def spend(state: dict[str, Any], start_ms: int, end_ms: int) -> float:
        lo, hi = start_ms // SLOT_MS, end_ms // SLOT_MS
        total = 0
        for day, entry in state["files"].items():
            first = _utc_midnight(day) // SLOT_MS  # the slots a UTC day file can hold
            if lo <= first and first + _DAY_SLOTS <= hi:
                total += entry["total"]  # the whole file is in the window
            elif first < hi and lo < first + _DAY_SLOTS:
                total += sum(cost for key, cost in entry["slots"].items() if lo <= int(key) < hi)
        return total / COST_SCALE

    @staticmethod
    def reserved(state: dict[str, Any], now_ms: int) -> float:
        live = {k: r for k, r in state["reservations"].items() if r["expires"] > now_ms}
        state["reservations"] = live
        return sum(r["usd"] for r in live.values())

    def statuses(self, state: dict[str, Any], wanted: list[Budget], now_ms: int) -> list[BudgetStatus]:
        bounds = [window_bounds(b.window, now_ms) for b in wanted]
        if bounds:
            self.refresh(state, min(s for s, _ in bounds), now_ms)
        reserved = self.reserved(state, now_ms)
        return [BudgetStatus(b, s, e, self.spend(state, s, e), reserved)
                for b, (s, e) in zip(wanted, bounds, strict=True)]


def _valid_entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and all(isinstance(entry.get(k), int) for k in ("ino", "offset", "total"))
            and isinstance(entry.get("slots"), dict)
            and all(isinstance(v, int) for v in entry["slots"].values()))


def _valid_reservation(held: Any) -> bool:
    return (isinstance(held, dict) and isinstance(held.get("usd"), (int, float))
            and isinstance(held.get("expires"), int))


# ---------------------------------------------------------------- the call path


def check_max_cost(worst_usd: float | None, max_cost: float) -> None:
    """Refuse a call whose worst case is above the caller's per-call ceiling."""
    if worst_usd is not None and worst_usd > max_cost:
        raise BudgetExceeded(
            f"this call may cost up to {usd(worst_usd)}, above --max-cost {usd(max_cost)}; "
            "lower --max-tokens or raise --max-cost",
            budget="max_cost", spent_usd=0.0, limit_usd=max_cost, worst_usd=worst_usd,
        )


def guard(worst_usd: float | None, max_cost: float | None, settings: Settings, ttl_ms: int) -> str | None:
    """Before a call: refuse it over max_cost or a budget (BudgetExceeded), else reserve its
    worst case in the process's store; the reservation id to settle, or None.

    An unpriced call counts 0. A store that cannot be used (unwritable, not a store) leaves
    the call unchecked, with a warning: a telemetry problem never stops a call."""
    if max_cost is not None:
        check_max_cost(worst_usd, max_cost)
    if not settings.budgets_set:
        return None
    reservation = os.urandom(8).hex()
    try:
        reserve(get_storage().base_dir, settings, worst_usd or 0.0, reservation, clock_ms(),
                min(RESERVATION_TTL_MS, ttl_ms))
    except (OSError, ConfigError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        warn(f"budget not checked ({reason}); the call goes on", key="budget-unchecked")
        return None
    return reservation


def settle_call(storage: Any, reservation: str) -> None:
    """After a call: write its record now, then free its reservation. Never raises (a
    reservation left behind expires by itself)."""
    try:
        storage.flush()
        settle(storage.base_dir, reservation)
    except Exception:
        pass


def reserve(store: Path, settings: Settings, worst_usd: float, reservation_id: str,
            now_ms: int, ttl_ms: int) -> list[BudgetStatus]:
    """Check every budget for a call costing up to `worst_usd`; reserve it when allowed.

    Raises BudgetExceeded (block mode) naming the first budget it would pass; in warn mode
    warns and reserves anyway. Warns on a terminal when a budget crosses LLM_BUDGET_WARN_AT %."""
    with Ledger(store).locked() as state:
        found = Ledger(store).statuses(state, budgets(settings), now_ms)
        for status in found:
            limit = status.budget.limit_usd
            if status.used_usd + worst_usd > limit:
                message = _over_message(status, worst_usd)
                if settings.budget_mode == "block":
                    raise BudgetExceeded(message, budget=status.budget.name,
                                         spent_usd=status.used_usd, limit_usd=limit,
                                         worst_usd=worst_usd)
                warn(message, key=f"budget-over-{status.budget.name}")
            elif (status.used_usd + worst_usd) * 100 >= limit * settings.budget_warn_at:
                _soft_warning(status, worst_usd, settings.budget_warn_at)
        state["reservations"][reservation_id] = {
            "usd": worst_usd, "expires": now_ms + ttl_ms, "pid": os.getpid(),
        }
    return found


def settle(store: Path, reservation_id: str) -> None:
    """Drop a reservation: the call's record (its actual cost) is in the store now."""
    with Ledger(store).locked() as state:
        state["reservations"].pop(reservation_id, None)


def statuses(store: Path, settings: Settings, now_ms: int,
             wanted: list[Budget] | None = None) -> list[BudgetStatus]:
    """Every budget's status now (llm-telemetry budget, llm-chat --usage); reserves nothing."""
    wanted = budgets(settings) if wanted is None else wanted
    if not (store / BUDGET_DIR).is_dir() and not store.is_dir():
        return [BudgetStatus(b, *window_bounds(b.window, now_ms), 0.0, 0.0) for b in wanted]
    with Ledger(store).locked() as state:
        return Ledger(store).statuses(state, wanted, now_ms)


def _over_message(status: BudgetStatus, worst_usd: float) -> str:
    b = status.budget
    return (
        f"{b.name} budget {usd(b.limit_usd)} would be exceeded: {usd(status.used_usd)} spent "
        f"this {b.window} (calls in flight included) + up to {usd(worst_usd)} for this call; "
        f"raise {b.how_to_raise}, lower --max-tokens, or wait for the next {b.window}"
    )


def _soft_warning(status: BudgetStatus, worst_usd: float, warn_at: float) -> None:
    if not _stderr_is_terminal():
        return
    b = status.budget
    warn(f"{b.name} budget at {100 * (status.used_usd + worst_usd) / b.limit_usd:.0f}% "
         f"({usd(status.used_usd)} of {usd(b.limit_usd)}; warning from {warn_at:g}%)",
         key=f"budget-soft-{b.name}")


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
