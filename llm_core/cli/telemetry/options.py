"""What the llm-telemetry subcommands share: the store they read, the filter and --days options,
the pinned clock, the selection of a command over records, and the unreadable-lines warning."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import click

from llm_core.cli._common import warn
from llm_core.config import get_settings
from llm_core.errors import ConfigError, DateError
from llm_core.records import skipped_lines_message
from llm_core.storage.location import check_store, find_store
from llm_core.storage.windows import ALL_TIME, Filters, Window, now_ms, range_window


def store_dir() -> Path:
    """The store the command works on (storage/location.py); ConfigError when the folder is not
    a store. Nothing is created."""
    path = find_store(get_settings().telemetry_dir).path
    check_store(path)
    return path


def retention_note(window: Window, clock: int) -> dict:
    """{days, kept_since, reaches_past, note}: whether `window` starts before the oldest UTC day
    retention keeps (LLM_RETENTION_DAYS before the UTC day of `clock`); note is None when not."""
    days = get_settings().retention_days
    kept = date.fromisoformat(time.strftime("%Y-%m-%d", time.gmtime(clock / 1000))) - timedelta(days=days)
    past = window.start is None or window.start < calendar.timegm(kept.timetuple()) * 1000
    note = (f"Note: the window reaches back past {kept.isoformat()} (UTC); the store keeps {days} days,"
            f" so older calls are not in it (LLM_RETENTION_DAYS keeps more).") if past else None
    return {"days": days, "kept_since": kept.isoformat(), "reaches_past": past, "note": note}


def filter_options(f: Callable) -> Callable:
    """--project, --agent, --model, --provider, --since, --until."""
    f = click.option("--until", metavar="DATE", help="Up to and including DATE (or before DATE-TIME).")(f)
    f = click.option("--since", metavar="DATE", help="From DATE (local midnight) or DATE-TIME on.")(f)
    f = click.option("--provider", help="Only calls to this provider.")(f)
    f = click.option("--model", help="Only calls to this model (its id as recorded).")(f)
    f = click.option("--agent", help="Only calls by this agent.")(f)
    f = click.option("--project", help="Only calls from this project.")(f)
    return f


def days_option(default: int = 30) -> Callable:
    return click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
                        help=f"The last N days including today (default {default}).")


def now() -> int:
    """The current time in epoch ms, or LLM_TELEMETRY_NOW when set (for tests and demos)."""
    pinned = get_settings().telemetry_now
    try:
        return now_ms(pinned)
    except DateError:
        raise ConfigError(f"LLM_TELEMETRY_NOW must be an ISO date-time, got {pinned!r}") from None


def selection(project, agent, model, provider, since, until) -> tuple[Window, Filters]:
    """The window and filters of a command over records (all time unless --since/--until)."""
    window = range_window(since, until, ALL_TIME)
    return window, Filters(project=project, agent=agent, model=model, provider=provider)


def warn_skipped(count: int, store: Path) -> None:
    """The one wording of the unreadable-lines warning."""
    if count:
        warn(skipped_lines_message(count, store, reason="torn, not JSON or without a timestamp"))
