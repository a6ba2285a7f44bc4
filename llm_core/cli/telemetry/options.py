"""What the llm-telemetry subcommands share: the store they read, the filter options, the
pinned clock, the selection of a command over records (the model filter resolved), and the
unreadable-lines warning. The options themselves are the suite's shared ones, from cli/_common.py."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import click

from llm_core.cli._common import model_option, provider_option, since_option, until_option, warn
from llm_core.config import get_settings
from llm_core.errors import ConfigError, DateError, UnknownModelError
from llm_core.records import skipped_lines_message
from llm_core.storage.location import check_store, find_store
from llm_core.storage.windows import ALL_TIME, Filters, Window, last_days, now_ms, range_window


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
    """--project, --agent, -m/--model, -p/--provider, --since, --until."""
    f = until_option(f)
    f = since_option(f)
    f = provider_option(f)
    f = model_option(f)
    f = click.option("--agent", metavar="NAME", help="Only calls by this agent.")(f)
    f = click.option("--project", metavar="NAME", help="Only calls from this project.")(f)
    return f


def now() -> int:
    """The current time in epoch ms, or LLM_TELEMETRY_NOW when set (for tests and demos)."""
    pinned = get_settings().telemetry_now
    try:
        return now_ms(pinned)
    except DateError:
        raise ConfigError(f"LLM_TELEMETRY_NOW must be an ISO date-time, got {pinned!r}") from None


def selection(project, agent, model, provider, since, until, days=None) -> tuple[Window, Filters]:
    """The window and filters of a command over records (all time unless --days or
    --since/--until)."""
    clock = now()
    if days is not None and (since or until):
        raise DateError("give --days or --since/--until, not both")
    window = range_window(since, until, last_days(days, clock) if days else ALL_TIME, clock)
    return window, make_filters(project, agent, model, provider)


def make_filters(project, agent, model, provider) -> Filters:
    """Filters with --model resolved: a registry alias or API id selects the model's calls
    under any of its names; a name the registry does not know (a local model) is taken as
    recorded when the store has calls to it; anything else is an unknown model (exit 3)."""
    if provider is not None and provider.strip().lower() == "auto":
        provider = None
    if model is None:
        return Filters(project=project, agent=agent, provider=provider)
    # The registry is imported here: reports without --model never load it (~7 ms).
    from llm_core.models.registry import find_model

    entry = find_model(model)
    if entry is not None:
        names = {entry["id"], entry.get("api_id"), *entry.get("aliases", ())} - {None, entry["id"]}
        return Filters(project=project, agent=agent, model=entry["id"], provider=provider,
                       model_aliases=tuple(sorted(names)))
    recorded = recorded_models(store_dir())
    if model in recorded:
        return Filters(project=project, agent=agent, model=model, provider=provider)
    from llm_core.models.registry import current_models

    known = sorted({*recorded, *current_models()})
    raise UnknownModelError(model, known)


def recorded_models(store: Path) -> set[str]:
    """Every model name the store's calls were recorded with."""
    # Imported here: only an unknown --model needs it. Closed months answer from their roll-ups.
    from llm_core.storage.month_summaries import plan
    from llm_core.storage.windows import ALL_TIME

    return {m for _path, s in plan(store, ALL_TIME) for m in s.models if isinstance(m, str)}


def warn_skipped(count: int, store: Path) -> None:
    """The one wording of the unreadable-lines warning."""
    if count:
        warn(skipped_lines_message(count, store, reason="torn, not JSON or without a timestamp"))
