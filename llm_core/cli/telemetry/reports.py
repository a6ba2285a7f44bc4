"""The llm-telemetry reports, answered from the per-day summaries: stats, costs, models,
agents, projects, performance, patterns."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from llm_core.cli._common import days_option, debug_option, emit, json_option, limit_option
from llm_core.cli.telemetry import CONTEXT, charts, render
from llm_core.cli.telemetry.options import (
    filter_options,
    make_filters,
    now,
    retention_note,
    store_dir,
    warn_skipped,
)
from llm_core.cli.telemetry.stores import collect_stores, store_options
from llm_core.config import get_settings
from llm_core.storage.collect import Collection
from llm_core.storage.reports import (
    BREAKDOWNS,
    agents_report,
    costs_report,
    models_report,
    patterns_report,
    performance_report,
    projects_report,
    stats_report,
)
from llm_core.storage.windows import PERIODS, report_window


def store_notes(store: Path | str, col: Collection) -> None:
    """Say on stderr when the store (or stores) is empty or had unreadable lines."""
    if not col.files:
        sys.stderr.write(f"No telemetry recorded yet in {store} (calls are recorded as you use llm-core;"
                         " `llm-telemetry demo` writes sample data).\n")
    warn_skipped(col.corrupt_lines, store)


def _with_note(human: Callable, note: str | None) -> Callable:
    """The human form, with the retention note under the table when there is one."""
    if note is None:
        return human
    return lambda report: human(report).rstrip("\n") + "\n\n" + note


def report_command(need_slots: bool = False, need_latencies: bool = True) -> Callable:
    """Turn `fn(collection, window, filters, **options) -> report` into a command body with
    the filter options, the store options and --json; the human form is `render.<fn name>`.
    A report showing no percentile says so (need_latencies=False): it reads no latency."""

    def wrap(fn: Callable) -> Callable:
        table = getattr(render, fn.__name__)

        def human(report: dict) -> str:
            return table(report) + render.invalid_note(report)

        @days_option
        @filter_options
        @store_options
        @json_option
        @debug_option
        @functools.wraps(fn)
        def command(project, agent, model, provider, since, until, days, stores, all_under, as_json, **options):
            clock = now()
            period = options.pop("period", False)
            if period is None and not (since or until or days):
                period = "today"  # a report with an optional PERIOD, given none
            window = report_window(clock, period or None, days, since, until)
            filters = make_filters(project, agent, model, provider)
            read, col, many = collect_stores(get_settings(), stores, all_under, window, filters, need_slots,
                                             need_latencies, default=store_dir)
            store_notes(read, col)
            report = fn(col, window, filters, **options)
            report["store"] = read if many is None else None
            if many is not None:
                report["stores"] = many
            report["retention"] = retention_note(window, clock)
            form = charts.costs if options.get("chart") else human
            emit(report, as_json=as_json, human=_with_note(form, report["retention"]["note"]))

        return command

    return wrap


@click.command(context_settings=CONTEXT)
@click.argument("period", type=click.Choice(PERIODS),
                required=False, metavar="[PERIOD]")
@report_command()
def stats(col, window, filters):
    """Calls, failures, tokens, cost, latency and top model for a period.

    PERIOD is today (the default), yesterday, week (the last 7 days including today), month
    (the last 30 days including today) or all; or give --days N or --since/--until instead.

    \b
    Examples:
      llm-telemetry stats
      llm-telemetry stats week --agent doc-finder
      llm-telemetry stats --days 14 -m sonnet
      llm-telemetry stats --since 2026-11-01 --until 2026-11-15 --json
    """
    return stats_report(col, window, filters)


@click.command(context_settings=CONTEXT)
@click.option("--by", type=click.Choice(BREAKDOWNS), default="model",
              show_default=True, help="What to break the total down by.")
@click.option("--chart", is_flag=True, help="Draw a bar for each row (text; '#' where blocks cannot show).")
@report_command(need_slots=True, need_latencies=False)
def costs(col, window, filters, by, chart):
    """Total cost, broken down by model, project, agent, provider or local day.

    Only calls with a known price add to the amounts; the report says how many had none.

    \b
    Examples:
      llm-telemetry costs
      llm-telemetry costs --days 7 --by agent
      llm-telemetry costs --by day --chart
      llm-telemetry costs --by day --json | jq '.breakdown[] | [.key, .cost_usd]'
    """
    return costs_report(col, window, filters, by=by)


@click.command(context_settings=CONTEXT)
@limit_option(10, "--top")
@report_command(need_latencies=False)
def models(col, window, filters, limit):
    """The most used models by calls, with tokens and cost.

    \b
    Examples:
      llm-telemetry models -n 5
      llm-telemetry models --days 7 --project spacewalker
    """
    return models_report(col, window, filters, top=limit)


@click.command(context_settings=CONTEXT)
@report_command(need_latencies=False)
def agents(col, window, filters):
    """Usage by agent and operation: calls, errors, tokens, cost, average latency.

    \b
    Examples:
      llm-telemetry agents
      llm-telemetry agents --days 7 --model claude-haiku-4-5
    """
    return agents_report(col, window, filters)


@click.command(context_settings=CONTEXT)
@report_command(need_latencies=False)
def projects(col, window, filters):
    """Usage by project: calls, errors, tokens, cost, average latency.

    \b
    Examples:
      llm-telemetry projects
      llm-telemetry projects --days 7 --json
      llm-telemetry projects --days 90   # needs LLM_RETENTION_DAYS >= 90 where calls are recorded
    """
    return projects_report(col, window, filters)


@click.command(context_settings=CONTEXT)
@report_command()
def performance(col, window, filters):
    """Latency: average, p50, p95, p99 overall and per model; the slowest operations.

    Percentiles are exact (nearest rank over every recorded latency).

    \b
    Examples:
      llm-telemetry performance
      llm-telemetry performance --days 7 --agent code-reviewer
    """
    return performance_report(col, window, filters)


@click.command(context_settings=CONTEXT)
@report_command(need_slots=True, need_latencies=False)
def patterns(col, window, filters):
    """When calls happen: calls per local hour (a bar chart), peak hours, busiest weekday,
    and the most common operations.

    \b
    Examples:
      llm-telemetry patterns
      TZ=Asia/Kolkata llm-telemetry patterns --days 7
    """
    return patterns_report(col, window, filters)
