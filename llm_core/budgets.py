"""Budgets: spend limits checked before a call is sent, across every process sharing a store.

    LLM_BUDGET_DAILY_USD=1.50      the local day's spend may not pass $1.50
    LLM_BUDGET_MONTHLY_USD=20      nor the local calendar month's $20
    LLM_BUDGET_MODE=warn           warn instead of refusing
    budgets.toml                   budgets of a project, agent or model (budget_file.py)

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

A scoped budget (budget_file.py) counts only the calls whose record carries its scope. The
state keeps per-slot costs for exactly the scopes that budgets name (`scopes`, each with when a
check last wanted it; one unwanted for KEEP_DAYS is dropped), so a store without scoped budgets
does no extra work. A scope new to the state makes every day file be read again, from its
summary's (combo, slot) groups plus the records appended since. A reservation carries the
call's scope (project, agent, model) and counts only for the budgets it matches.

Windows are local time: "day" from local midnight, "week" from Monday, "month" from the 1st.
Nothing here is imported, and no file is touched, when no budget is set and no max_cost given.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from llm_core.budget_file import FILE_NAME, load_budget_file
from llm_core.budget_ledger import Ledger, scope_key
from llm_core.config import Settings
from llm_core.errors import BudgetExceeded, ConfigError, warn
from llm_core.records import BUDGET_DIR
from llm_core.records import now_ms as clock_ms
from llm_core.storage.local import get_storage

__all__ = [
    "Budget", "BudgetStatus", "Ledger", "budget_file_path", "budgets", "check_max_cost", "guard", "reserve", "settle",
    "settle_call", "statuses", "window_bounds",
]

RESERVATION_TTL_MS = 3_600_000  # the longest a crashed process's reservation is counted


@dataclass(frozen=True)
class Budget:
    name: str  # "daily", "monthly", or a name from budgets.toml
    window: str  # "day", "week", "month"
    limit_usd: float
    how_to_raise: str  # what the user changes to raise it
    scope: tuple[tuple[str, str], ...] = ()  # (("agent", "ci-bot"),): the calls it counts; () all

    @property
    def key(self) -> str:
        """The scope's name in the state file ("" for every call)."""
        return scope_key(self.scope)

    @property
    def title(self) -> str:
        """'daily budget', 'ci-bot budget (agent=ci-bot)'."""
        return f"{self.name} budget" + (f" ({self.scope_text})" if self.scope else "")

    @property
    def scope_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.scope) or "all calls"

    def applies_to(self, call: dict[str, Any] | None) -> bool:
        """Whether a call with these labels (project, agent, model) counts for this budget;
        None (labels unknown) only for a budget of every call."""
        if not self.scope:
            return True
        return call is not None and all(call.get(k) == v for k, v in self.scope)


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
            "budget": self.budget.name, "scope": dict(self.budget.scope), "window": self.budget.window,
            "start": _iso(self.start_ms), "end": _iso(self.end_ms),
            "spent_usd": round(self.spent_usd, 12), "reserved_usd": round(self.reserved_usd, 12),
            "limit_usd": limit, "remaining_usd": round(max(limit - self.used_usd, 0.0), 12),
            "percent": round(100 * self.used_usd / limit, 2),
            "forecast_usd": round(self.forecast_usd(now_ms), 12),
            "exceeded": self.used_usd >= limit,
        }


def budgets(settings: Settings) -> list[Budget]:
    """Every budget: LLM_BUDGET_*_USD, then budgets.toml's (ConfigError when it is not valid)."""
    out = []
    if settings.budget_daily_usd is not None:
        out.append(Budget("daily", "day", settings.budget_daily_usd, "LLM_BUDGET_DAILY_USD"))
    if settings.budget_monthly_usd is not None:
        out.append(Budget("monthly", "month", settings.budget_monthly_usd, "LLM_BUDGET_MONTHLY_USD"))
    if settings.budget_file is not None:
        for b in load_budget_file(settings.budget_file):
            out.append(Budget(b.name, b.window, b.limit_usd, f'limit_usd of "{b.name}" in {b.path}', b.scope))
    return out


def budget_file_path(settings: Settings) -> Path:
    """Where budgets.toml is read from (whether it exists or not)."""
    return settings.config_dir / FILE_NAME


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


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).astimezone().isoformat(timespec="seconds")


def usd(value: float) -> str:
    """$0.000123 under a cent, $0.1234 under a dollar, $12.34 above."""
    if value < 0.01:
        return f"${value:.6f}"
    return f"${value:.4f}" if value < 1 else f"${value:,.2f}"


# ---------------------------------------------------------------- the call path


def check_max_cost(worst_usd: float | None, max_cost: float) -> None:
    """Refuse a call whose worst case is above the caller's per-call ceiling."""
    if worst_usd is not None and worst_usd > max_cost:
        raise BudgetExceeded(
            f"this call may cost up to {usd(worst_usd)}, above --max-cost {usd(max_cost)}; "
            "lower --max-tokens or raise --max-cost",
            budget="max_cost", spent_usd=0.0, limit_usd=max_cost, worst_usd=worst_usd,
        )


def guard(worst_usd: float | None, max_cost: float | None, settings: Settings, ttl_ms: int,
          call: dict[str, Any] | None = None) -> str | None:
    """Before a call: refuse it over max_cost or a budget (BudgetExceeded), else reserve its
    worst case in the process's store; the reservation id to settle, or None. `call` holds the
    labels its record will carry (project, agent, model): the scoped budgets it counts for.

    An unpriced call counts 0. A budgets.toml that is not valid raises ConfigError (nothing is
    sent). A store that cannot be used (unwritable, not a store) leaves the call unchecked,
    with a warning: a telemetry problem never stops a call."""
    if max_cost is not None:
        check_max_cost(worst_usd, max_cost)
    if not settings.budgets_set:
        return None
    wanted = [b for b in budgets(settings) if b.applies_to(call)]
    if not wanted:
        return None
    reservation = os.urandom(8).hex()
    try:
        reserve(get_storage().base_dir, settings, worst_usd or 0.0, reservation, clock_ms(),
                min(RESERVATION_TTL_MS, ttl_ms), call, wanted)
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
            now_ms: int, ttl_ms: int, call: dict[str, Any] | None = None,
            wanted: list[Budget] | None = None) -> list[BudgetStatus]:
    """Check every budget that counts a call labelled `call` (default: `wanted`, else those of
    the settings) for a call costing up to `worst_usd`; reserve it when allowed.

    Raises BudgetExceeded (block mode) naming the first budget it would pass; in warn mode
    warns and reserves anyway. Warns on a terminal when a budget crosses LLM_BUDGET_WARN_AT %."""
    if wanted is None:
        wanted = [b for b in budgets(settings) if b.applies_to(call)]
    with Ledger(store).locked() as state:
        found = _statuses(store, state, wanted, now_ms)
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
            "usd": worst_usd, "expires": now_ms + ttl_ms, "pid": os.getpid(), "call": call,
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
        return _statuses(store, state, wanted, now_ms)


def _statuses(store: Path, state: dict[str, Any], wanted: list[Budget], now_ms: int) -> list[BudgetStatus]:
    """Each budget's window, spend and calls in flight, the state brought up to date."""
    ledger = Ledger(store)
    bounds = [window_bounds(b.window, now_ms) for b in wanted]
    if bounds:
        cut = _cut_files(window_bounds("day", now_ms)[0])
        ledger.refresh(state, min(s for s, _ in bounds), now_ms, {b.key for b in wanted if b.key}, cut)
    return [BudgetStatus(b, s, e, ledger.spend(state, s, e, b.key), ledger.reserved(state, now_ms, b.scope))
            for b, (s, e) in zip(wanted, bounds, strict=True)]


@functools.lru_cache(maxsize=4)
def _cut_files(day_start_ms: int) -> frozenset[str]:
    """The UTC day files the day, week and month windows of the local day starting at
    `day_start_ms` start in, whichever budgets there are: checks with other budgets (another
    process, llm-telemetry budget) then keep the same files' slots."""
    noon = day_start_ms + 12 * 3_600_000
    return frozenset(datetime.fromtimestamp(window_bounds(w, noon)[0] / 1000, timezone.utc).date().isoformat()
                     for w in ("day", "week", "month"))


def _over_message(status: BudgetStatus, worst_usd: float) -> str:
    b = status.budget
    return (
        f"{b.title} {usd(b.limit_usd)} would be exceeded: {usd(status.used_usd)} spent "
        f"this {b.window} (calls in flight included) + up to {usd(worst_usd)} for this call; "
        f"raise {b.how_to_raise}, lower --max-tokens, or wait for the next {b.window}"
    )


def _soft_warning(status: BudgetStatus, worst_usd: float, warn_at: float) -> None:
    if not _stderr_is_terminal():
        return
    b = status.budget
    warn(f"{b.title} at {100 * (status.used_usd + worst_usd) / b.limit_usd:.0f}% "
         f"({usd(status.used_usd)} of {usd(b.limit_usd)}; warning from {warn_at:g}%)",
         key=f"budget-soft-{b.name}")


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
