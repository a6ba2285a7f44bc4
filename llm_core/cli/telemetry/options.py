"""What the llm-telemetry subcommands share: the filter and --days options, the decorator that
turns a report function into a command, the pinned clock, and the store notes on stderr."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from llm_core.cli._common import emit, json_option, warn
from llm_core.cli.telemetry import render
from llm_core.config import get_settings
from llm_core.errors import ConfigError, DateError
from llm_core.storage.collect import Collection, collect
from llm_core.storage.windows import ALL_TIME, Filters, Window, now_ms, range_window, report_window

CONTEXT = {"help_option_names": ["-h", "--help"]}


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
        warn(f"skipped {count} unreadable line{'s' if count != 1 else ''}"
             f" (torn, not JSON or without a timestamp) in {store}")


def store_notes(store: Path, col: Collection) -> None:
    """Say on stderr when the store is empty or had unreadable lines."""
    if not col.files:
        sys.stderr.write(f"No telemetry recorded yet in {store} (calls are recorded as you use llm-core;"
                         " `llm-telemetry demo` writes sample data).\n")
    warn_skipped(col.corrupt_lines, store)


def report_command(need_slots: bool = False) -> Callable:
    """Turn `fn(collection, window, filters, **options) -> report` into a command body with
    the filter options and --json; the human form is `render.<fn name>`."""

    def wrap(fn: Callable) -> Callable:
        human = getattr(render, fn.__name__)

        @filter_options
        @json_option
        @functools.wraps(fn)
        def command(project, agent, model, provider, since, until, as_json, **options):
            clock = now()
            period = options.pop("period", False)
            if period is None and not (since or until):
                period = "today"  # a report with an optional PERIOD, given none
            window = report_window(clock, period or None, options.pop("days", None), since, until)
            filters = Filters(project=project, agent=agent, model=model, provider=provider)
            store = get_settings().telemetry_dir
            col = collect(store, window, filters, need_slots=need_slots)
            store_notes(store, col)
            report = fn(col, window, filters, **options)
            report["store"] = str(store)
            emit(report, as_json=as_json, human=human)

        return command

    return wrap
