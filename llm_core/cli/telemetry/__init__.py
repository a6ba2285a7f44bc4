"""llm-telemetry: what your LLM calls cost, which models and agents spend it, how fast, and when.

The command is this group plus one module per group of subcommands, imported only when one of
its subcommands runs (click's "complex" example; --help lists them without importing any):

    options.py   what the subcommands share: filter options, the clock, the skipped-lines warning
    stores.py    which stores a report reads (--store, --all-under, LLM_TELEMETRY_DIRS)
    reports.py   stats, costs, models, agents, projects, performance, patterns (report_command)
    records.py   log (the latest records);  export.py   export (JSONL, CSV, xlsx, SQLite, Parquet, OTLP)
    sql.py       sql (DuckDB over the store)
    metrics.py   metrics, push (the store as Prometheus metrics)
    budget.py    budget (spend against LLM_BUDGET_*_USD; llm_core/budgets.py)
    conversations.py  conversations (those saved by llm-chat: list, or show one)
    prune.py     prune;  demo.py   demo;  where.py   where;  doctor.py   doctor (the store as a whole)
    report.py    report (the HTML page, its data, text charts; charts.py draws in text)
    render.py    the human forms;  manual.py   the man page's JSON/FILES sections

Adding a subcommand: write a module here that defines it as a module-level click command
(`@click.command(context_settings=CONTEXT)`, with CONTEXT imported from this package and the
function named like the subcommand; a module may define several), importing at its top only
what its commands need. Then add one line to SUBCOMMANDS below:
`"name": ("module", "the line --help lists")`, with "module:function" when the function is
named differently. Nothing else changes: --help, the man page (python -m
llm_core.cli._manpage) and the main() wrapper pick it up.
"""

from __future__ import annotations

import importlib

import click

from llm_core.cli._common import debug_option, make_main, version_option
from llm_core.cli.telemetry import manual

CONTEXT = {"help_option_names": ["-h", "--help"]}  # the group's and every subcommand's

SUBCOMMANDS: dict[str, tuple[str, str]] = {  # name: (module[:function], the line --help lists)
    "stats": ("reports", "Calls, failures, tokens, cost and latency for a period."),
    "costs": ("reports", "Total cost and its breakdown."),
    "models": ("reports", "The most used models, with tokens and cost."),
    "agents": ("reports", "Usage by agent and operation."),
    "projects": ("reports", "Usage by project."),
    "performance": ("reports", "Latency: avg, p50, p95, p99; slowest operations."),
    "patterns": ("reports", "Calls per local hour, peak hours, busiest weekday."),
    "log": ("records", "The latest records (--follow to keep watching)."),
    "export": ("export", "The records as JSONL, CSV, Excel, SQLite, Parquet, or to OTLP."),
    "sql": ("sql", "One read-only SQL query over the store (DuckDB)."),
    "prune": ("prune", "Apply the retention and size cap now."),
    "demo": ("demo", "Write a realistic demo store (no key needed)."),
    "where": ("where", "Which store commands run here use, and why."),
    "doctor": ("doctor", "Check the store; --fix repairs what is safe."),
    "report": ("report", "An HTML report with charts (or text charts here)."),
    "metrics": ("metrics", "The store as Prometheus metrics (text exposition)."),
    "push": ("metrics", "Push the store's metrics to a Prometheus Pushgateway."),
    "budget": ("budget", "Each budget's spend, limit and forecast; exit 1 when one is spent."),
    "conversations": ("conversations", "The conversations llm-chat saved; show ID prints one."),
}


def get_command_module(name: str) -> click.Command:
    """The click command of subcommand `name`, importing its module (SUBCOMMANDS)."""
    where, summary = SUBCOMMANDS[name]
    module, _, attr = where.partition(":")
    command = getattr(importlib.import_module(f"{__name__}.{module}"), attr or name)
    if not isinstance(command, click.Command):
        raise TypeError(f"{__name__}.{module}.{attr or name} is not a click command")
    command.short_help = summary
    return command


class LazyGroup(click.Group):
    """A group whose subcommands live in SUBCOMMANDS' modules, imported on first use.
    `llm-telemetry --help` lists them from the table, importing none of them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return super().get_command(ctx, cmd_name)
        return get_command_module(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][1]) for name in sorted(SUBCOMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _print_where(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    ctx.exit(ctx.invoke(get_command_module("where")))


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.option("--where", is_flag=True, is_eager=True, expose_value=False, callback=_print_where,
              help="Print the store the commands use here, and why (as `llm-telemetry where`).")
@debug_option
@version_option("llm-telemetry")
def cli() -> None:
    """Reports over the local telemetry store: usage, costs, models, agents, speed, rhythm.

    Every call made through llm-core is recorded in LLM_TELEMETRY_DIR (default .llm-telemetry)
    in UTC day folders. Days, hours and weekdays in the reports are local time (TZ is
    honoured). Reports are answered from per-day summaries in the store's .summaries/ folder
    (built on first use, extended as the store grows, safe to delete) and are exact:
    percentiles are nearest-rank over every recorded latency.

    Every report takes --json, --days N and the filters --project, --agent, -m/--model (an id
    or alias; a local model as recorded), -p/--provider, --since and --until (YYYY-MM-DD,
    YYYY-MM-DDTHH:MM local time or with Z/an offset, today, yesterday, or an age: 7d, 24h, 30m).
    A report reads several stores with --store DIR (repeated), --all-under DIR or
    LLM_TELEMETRY_DIRS (os.pathsep-separated), as if their records were in one store.

    \b
    Examples:
      llm-telemetry stats today
      llm-telemetry stats week --project spacewalker
      llm-telemetry costs --days 30 --by agent
      llm-telemetry models -n 5 --json | jq '.models[].model'
      llm-telemetry performance --model claude-haiku-4-5
      llm-telemetry patterns --days 14
      llm-telemetry report --html report.html       # one page of charts
      llm-telemetry log -n 20 --follow
      llm-telemetry export --format csv --since 2026-11-01 > calls.csv
      llm-telemetry projects --all-under ~/src --days 30
      llm-telemetry metrics -o /var/lib/node_exporter/textfile/llm.prom
      llm-telemetry demo --days 30 --calls 20000   # try the reports without a key
    """


main = make_main(cli, "llm-telemetry")

MAN_SECTIONS = {
    "JSON OUTPUT": manual.JSON_OUTPUT,
    "FILES": manual.FILES,
    "SQL": manual.SQL,
}
