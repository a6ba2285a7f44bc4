"""llm-telemetry: what your LLM calls cost, which models and agents spend it, how fast, and when."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from llm_core.cli import _telemetry_render as render
from llm_core.cli import _telemetry_stores as _stores
from llm_core.cli._common import debug_option, emit, json_option, make_main, warn
from llm_core.config import get_settings

_CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=_CONTEXT)
@debug_option
def cli() -> None:
    """Reports over the local telemetry store: usage, costs, models, agents, speed, rhythm.

    Every call made through llm-core is recorded in LLM_TELEMETRY_DIR (default .llm-telemetry)
    in UTC day folders. Days, hours and weekdays in the reports are local time (TZ is
    honoured). Reports are answered from per-day summaries in the store's .summaries/ folder
    (built on first use, extended as the store grows, safe to delete) and are exact:
    percentiles are nearest-rank over every recorded latency.

    Every report takes --json and the filters --project, --agent, --model, --provider,
    --since and --until (YYYY-MM-DD, or YYYY-MM-DDTHH:MM local time, or with Z/an offset).

    \b
    Examples:
      llm-telemetry stats today
      llm-telemetry stats week --project spacewalker
      llm-telemetry costs --days 30 --by agent
      llm-telemetry models --top 5 --json | jq '.models[].model'
      llm-telemetry performance --model claude-haiku-4-5
      llm-telemetry patterns --days 14
      llm-telemetry log -n 20 --follow
      llm-telemetry export --format csv --since 2026-11-01 > calls.csv
      llm-telemetry demo --days 30 --calls 20000   # try the reports without a key
    """




# ---------------------------------------------------------------- shared options

def _filter_options(f):
    f = click.option("--until", metavar="DATE", help="Up to and including DATE (or before DATE-TIME).")(f)
    f = click.option("--since", metavar="DATE", help="From DATE (local midnight) or DATE-TIME on.")(f)
    f = click.option("--provider", help="Only calls to this provider.")(f)
    f = click.option("--model", help="Only calls to this model (its id as recorded).")(f)
    f = click.option("--agent", help="Only calls by this agent.")(f)
    f = click.option("--project", help="Only calls from this project.")(f)
    return f


def _days_option(default: int = 30):
    return click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
                        help=f"The last N days including today (default {default}).")


def _report(need_slots: bool = False):
    """Turn a command's options into (store, window, filters, collection) for the body."""

    def wrap(fn):
        @_filter_options
        @_stores.store_options
        @json_option
        @functools.wraps(fn)
        def command(project, agent, model, provider, since, until, stores, all_under, as_json, **kwargs):
            from llm_core.storage.query import DateError, Filters, last_days, range_window

            settings = get_settings()
            filters = Filters(project=project, agent=agent, model=model, provider=provider)
            try:
                now = _now()
                period = kwargs.pop("period", False)
                if period is None and not (since or until):
                    period = "today"  # `stats` without a PERIOD
                days = kwargs.pop("days", None)
                if period and (since or until):
                    raise DateError("give a period or --since/--until, not both")
                if days is not None and (since or until):
                    raise DateError("give --days or --since/--until, not both")
                window = _period(period, now) if period else last_days(days or 30, now)
                window = range_window(since, until, window)
            except DateError as e:
                raise click.UsageError(str(e)) from None
            store, col, many = _stores.collect_reports(settings, stores, all_under, window, filters, need_slots)
            _notes(store, col)
            report = fn(col, window, filters, **kwargs)
            report["store"] = store if many is None else None
            if many is not None:
                report["stores"] = many
            emit(report, as_json=as_json, human=getattr(render, fn.__name__))

        return command

    return wrap


def _period(period: str, now: int):
    from llm_core.storage.query import period_window

    return period_window(period, now)


def _now() -> int:
    from llm_core.errors import ConfigError
    from llm_core.storage.query import DateError, now_ms

    try:
        return now_ms(get_settings().telemetry_now)
    except DateError:
        raise ConfigError(f"LLM_TELEMETRY_NOW must be an ISO date-time, got {get_settings().telemetry_now!r}") from None


def _notes(store: Path, col) -> None:
    if not col.files:
        sys.stderr.write(f"No telemetry recorded yet in {store} (calls are recorded as you use llm-core;"
                         " `llm-telemetry demo` writes sample data).\n")
    if col.corrupt_lines:
        warn(f"skipped {col.corrupt_lines} unreadable line{'s' if col.corrupt_lines != 1 else ''}"
             f" (torn, not JSON or without a timestamp) in {store}")


# ---------------------------------------------------------------- reports

@cli.command(context_settings=_CONTEXT, short_help="Calls, failures, tokens, cost and latency for a period.")
@click.argument("period", type=click.Choice(["today", "yesterday", "week", "month", "all"]),
                required=False, metavar="[PERIOD]")
@_report()
def stats(col, window, filters):
    """Calls, failures, tokens, cost, latency and top model for a period.

    PERIOD is today (the default), yesterday, week (the last 7 days including today), month
    (the last 30 days including today) or all; or give --since/--until instead.

    \b
    Examples:
      llm-telemetry stats
      llm-telemetry stats week --agent doc-finder
      llm-telemetry stats --since 2026-11-01 --until 2026-11-15 --json
    """
    from llm_core.storage.query import stats_report

    return stats_report(col, window, filters)




@cli.command(context_settings=_CONTEXT, short_help="Total cost and its breakdown.")
@_days_option()
@click.option("--by", type=click.Choice(["model", "project", "agent", "provider", "day"]), default="model",
              show_default=True, help="What to break the total down by.")
@_report(need_slots=True)
def costs(col, window, filters, by):
    """Total cost, broken down by model, project, agent, provider or local day.

    Only calls with a known price add to the amounts; the report says how many had none.

    \b
    Examples:
      llm-telemetry costs
      llm-telemetry costs --days 7 --by agent
      llm-telemetry costs --by day --json | jq '.breakdown[] | [.key, .cost_usd]'
    """
    from llm_core.storage.query import costs_report

    return costs_report(col, window, filters, by=by)


@cli.command(context_settings=_CONTEXT, short_help="The most used models, with tokens and cost.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="How many models to show.")
@_days_option()
@_report()
def models(col, window, filters, top):
    """The most used models by calls, with tokens and cost.

    \b
    Examples:
      llm-telemetry models --top 5
      llm-telemetry models --days 7 --project spacewalker
    """
    from llm_core.storage.query import models_report

    return models_report(col, window, filters, top=top)


@cli.command(context_settings=_CONTEXT, short_help="Usage by agent and operation.")
@_days_option()
@_report()
def agents(col, window, filters):
    """Usage by agent and operation: calls, errors, tokens, cost, average latency.

    \b
    Examples:
      llm-telemetry agents
      llm-telemetry agents --days 7 --model claude-haiku-4-5
    """
    from llm_core.storage.query import agents_report

    return agents_report(col, window, filters)


@cli.command(context_settings=_CONTEXT, short_help="Usage by project.")
@_days_option()
@_report()
def projects(col, window, filters):
    """Usage by project: calls, errors, tokens, cost, average latency.

    \b
    Examples:
      llm-telemetry projects
      llm-telemetry projects --days 90 --json
    """
    from llm_core.storage.query import projects_report

    return projects_report(col, window, filters)


@cli.command(context_settings=_CONTEXT, short_help="Latency: avg, p50, p95, p99; slowest operations.")
@_days_option()
@_report()
def performance(col, window, filters):
    """Latency: average, p50, p95, p99 overall and per model; the slowest operations.

    Percentiles are exact (nearest rank over every recorded latency).

    \b
    Examples:
      llm-telemetry performance
      llm-telemetry performance --days 7 --agent code-reviewer
    """
    from llm_core.storage.query import performance_report

    return performance_report(col, window, filters)


@cli.command(context_settings=_CONTEXT, short_help="Calls per local hour, peak hours, busiest weekday.")
@_days_option()
@_report(need_slots=True)
def patterns(col, window, filters):
    """When calls happen: calls per local hour (a bar chart), peak hours, busiest weekday,
    and the most common operations.

    \b
    Examples:
      llm-telemetry patterns
      TZ=Asia/Kolkata llm-telemetry patterns --days 7
    """
    from llm_core.storage.query import patterns_report

    return patterns_report(col, window, filters)


from llm_core.cli import _telemetry_records, telemetry_metrics  # noqa: E402  (log, export, prune, demo; metrics, push)

_telemetry_records.register(cli, _filter_options, _now, _notes)
telemetry_metrics.register(cli)

main = make_main(cli, "llm-telemetry")

MAN_SECTIONS = {
    "JSON OUTPUT": _telemetry_records.JSON_OUTPUT,
    "FILES": _telemetry_records.FILES,
}
