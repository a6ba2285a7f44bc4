"""What a report selects: a time window, exact-match filters, and the record dimensions.

Windows are [start, end) in epoch milliseconds. Days, hours and weekdays are local (`TZ`
honoured); the store's day folders are UTC, so a local day may span two of them. A date or
range that cannot be used raises `llm_core.errors.DateError` (a usage error, exit 2).

    from llm_core.storage.windows import Filters, now_ms, period_window
    window = period_window("week", now_ms())
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from llm_core.errors import DateError
from llm_core.records import parse_timestamp

PERIODS = ("today", "yesterday", "week", "month", "all")

# Positions in a record's dimensions tuple, as the store's summaries keep it.
PROJECT, AGENT, OPERATION, MODEL, PROVIDER, SUCCESS = range(6)
DIMENSIONS = ("project", "agent", "operation", "model", "provider")


class Dims(NamedTuple):
    """A record's dimensions by name (the summaries keep plain tuples in this order)."""

    project: str | None
    agent: str | None
    operation: str | None
    model: str | None
    provider: str | None
    # None: cancelled by the user; "blocked": refused by a budget before sending (neither is a
    # success or a failure)
    success: bool | str | None


@dataclass(frozen=True)
class Filters:
    """Exact-match filters; None means any. A call recorded under one of `model_aliases`
    (the model's API id or aliases, for records written by other tools) matches `model` too."""

    project: str | None = None
    agent: str | None = None
    model: str | None = None
    provider: str | None = None
    model_aliases: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.project is None and self.agent is None and self.model is None and self.provider is None

    def match(self, dims: tuple | list) -> bool:
        return (
            (self.project is None or dims[PROJECT] == self.project)
            and (self.agent is None or dims[AGENT] == self.agent)
            and (self.model is None or dims[MODEL] == self.model or dims[MODEL] in self.model_aliases)
            and (self.provider is None or dims[PROVIDER] == self.provider)
        )

    def to_dict(self) -> dict:
        return {"project": self.project, "agent": self.agent, "model": self.model, "provider": self.provider}


@dataclass(frozen=True)
class Window:
    """[start, end) in epoch milliseconds; None is unbounded. `label` names it for people."""

    start: int | None = None
    end: int | None = None
    label: str = "all time"

    def contains(self, ts: int) -> bool:
        return (self.start is None or ts >= self.start) and (self.end is None or ts < self.end)

    def to_dict(self) -> dict:
        return {"label": self.label, "since": _iso_local(self.start), "until": _iso_local(self.end)}


NO_FILTERS = Filters()
ALL_TIME = Window()


def _iso_local(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000).astimezone().isoformat(timespec="seconds")


# The dates a window may name: later ones overflow the date arithmetic (9999-12-31 + 1 day).
FIRST_DATE, LAST_DATE = date(1970, 1, 2), date(2999, 12, 31)
MAX_DAYS = 36_500
_AGE = re.compile(r"(\d{1,9})\s*([wdhm])", re.ASCII)
_AGE_MS = {"w": 7 * 86_400_000, "d": 86_400_000, "h": 3_600_000, "m": 60_000}


def local_midnight(day: date) -> int:
    """Epoch ms of 00:00 local time on `day`."""
    if not FIRST_DATE <= day <= LAST_DATE + timedelta(days=1):
        raise DateError(f"{day.isoformat()} is out of range ({FIRST_DATE} to {LAST_DATE})")
    return int(datetime(day.year, day.month, day.day).timestamp() * 1000)


def now_ms(pinned: str | None = None) -> int:
    """The current time in epoch ms, or `pinned` (an ISO timestamp) when given."""
    if pinned:
        try:
            ts = parse_when(pinned)
        except DateError:
            ts = None
        if ts is None:
            raise DateError(f"cannot read the pinned time {pinned!r}")
        return ts
    return int(datetime.now().timestamp() * 1000)


def today(now: int) -> date:
    return datetime.fromtimestamp(now / 1000).date()


def last_days(days: int, now: int, label: str | None = None) -> Window:
    """The last `days` local days including today."""
    if not 1 <= days <= MAX_DAYS:
        raise DateError(f"--days must be from 1 to {MAX_DAYS}, got {days}")
    d = today(now)
    return Window(local_midnight(d - timedelta(days=days - 1)), local_midnight(d + timedelta(days=1)),
                  label or ("today" if days == 1 else f"last {days} days"))


def period_window(period: str, now: int) -> Window:
    """today | yesterday | week (last 7 days) | month (last 30 days) | all."""
    d = today(now)
    if period == "today":
        return last_days(1, now, "today")
    if period == "yesterday":
        return Window(local_midnight(d - timedelta(days=1)), local_midnight(d), "yesterday")
    if period == "week":
        return last_days(7, now, "last 7 days")
    if period == "month":
        return last_days(30, now, "last 30 days")
    if period == "all":
        return Window(label="all time")
    raise DateError(f"unknown period {period!r} (use {', '.join(PERIODS)})")


def parse_when(text: str, *, end: bool = False, now: int | None = None) -> int | None:
    """Epoch ms of a DATE (local; with `end`, the start of the next day), an ISO date-time
    (local unless it carries Z or an offset), `today` or `yesterday` (their local midnight; with
    `end`, the one after), or an age before `now` (`7d`, `24h`, `30m`, `2w`); None when
    unreadable. A date outside FIRST_DATE..LAST_DATE raises DateError."""
    text = text.strip()
    if now is not None:
        relative = _relative(text.lower(), end, now)
        if relative is not None:
            return relative
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return local_midnight(day + timedelta(days=1) if end else day)
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return None
    except OverflowError:
        raise DateError(f"{text} is out of range ({FIRST_DATE} to {LAST_DATE})") from None
    if not FIRST_DATE <= dt.date() <= LAST_DATE:
        raise DateError(f"{text} is out of range ({FIRST_DATE} to {LAST_DATE})")
    if dt.tzinfo is None:
        return int(dt.timestamp() * 1000)
    return parse_timestamp(dt.isoformat())


def _relative(text: str, end: bool, now: int) -> int | None:
    if text in ("today", "yesterday"):
        day = today(now) - timedelta(days=1 if text == "yesterday" else 0)
        return local_midnight(day + timedelta(days=1) if end else day)
    if text == "now":
        return now
    found = _AGE.fullmatch(text.removesuffix(" ago").removesuffix("ago"))
    if found is None:
        return None
    age = int(found[1]) * _AGE_MS[found[2]]
    if age > MAX_DAYS * 86_400_000:
        raise DateError(f"{text} is too long ago (at most {MAX_DAYS} days)")
    return now - age


_FORMS = "YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday, or an age like 7d, 24h, 30m"


def range_window(since: str | None, until: str | None, fallback: Window,
                 now: int | None = None) -> Window:
    """--since/--until (either may be missing) or else `fallback`; ages and today/yesterday
    count from `now` (epoch ms)."""
    if since is None and until is None:
        return fallback
    start = end = None
    if since is not None:
        start = _when("--since", since, False, now)
    if until is not None:
        end = _when("--until", until, True, now)
    if start is not None and end is not None and start >= end:
        raise DateError(f"--since {since} is not before --until {until}")
    return Window(start, end, "custom")


def _when(flag: str, text: str, end: bool, now: int | None) -> int:
    try:
        ts = parse_when(text, end=end, now=now)
    except DateError as e:
        raise DateError(f"{flag}: {e}") from None
    if ts is None:
        raise DateError(f"{flag}: cannot read {text!r} (use {_FORMS})")
    return ts


def report_window(now: int, period: str | None = None, days: int | None = None,
                  since: str | None = None, until: str | None = None, default_days: int = 30) -> Window:
    """The window a report's options choose: a PERIOD, --days N, or --since/--until (one kind)."""
    if period and (since or until):
        raise DateError("give a period or --since/--until, not both")
    if days is not None and (since or until):
        raise DateError("give --days or --since/--until, not both")
    if period and days is not None:
        raise DateError("give a period or --days, not both")
    fallback = period_window(period, now) if period else last_days(days or default_days, now)
    return range_window(since, until, fallback, now)
