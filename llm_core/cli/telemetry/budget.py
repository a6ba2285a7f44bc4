"""llm-telemetry budget: each budget's window, spend, limit, remaining and forecast (for CI)."""

from __future__ import annotations

import sys

import click

from llm_core.budgets import budget_file_path, budgets, statuses, usd
from llm_core.cli._common import debug_option, emit, json_option, table
from llm_core.cli.telemetry import CONTEXT
from llm_core.cli.telemetry.options import now, store_dir
from llm_core.config import get_settings
from llm_core.errors import ExitStatus


class Percent(click.ParamType):
    """A percentage: 90, 90% or 12.5%, from 0 to 100."""

    name = "percent"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        text = str(value).strip().removesuffix("%")
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if not 0 <= number <= 100:
            self.fail(f"{value!r} is not a percentage from 0 to 100 (e.g. 90%)", param, ctx)
        return number


def _human(data: dict) -> str:
    if not data["budgets"]:
        return f"No budget set (LLM_BUDGET_DAILY_USD, LLM_BUDGET_MONTHLY_USD, {data['file']})."
    rows = [
        [b["budget"], " ".join(f"{k}={v}" for k, v in b["scope"].items()) or "all calls",
         f"{b['window']} {b['start'][:10]} .. {b['end'][:10]}", usd(b["spent_usd"]) +
         (f" (+{usd(b['reserved_usd'])} in flight)" if b["reserved_usd"] else ""),
         usd(b["limit_usd"]), usd(b["remaining_usd"]), f"{b['percent']:.0f}%",
         usd(b["forecast_usd"]), "EXCEEDED" if b["exceeded"] else ("over --fail-at" if b["failing"] else "ok")]
        for b in data["budgets"]
    ]
    headers = ["budget", "scope", "window", "spent", "limit", "remaining", "used", "forecast", "state"]
    return table(rows, headers, ["left", "left", "left", "right", "right", "right", "right", "right", "left"])


@click.command(context_settings=CONTEXT)
@click.option("--fail-at", type=Percent(), metavar="PERCENT",
              help="Exit 1 once any budget is this much used (e.g. 90%); default 100%.")
@json_option
@debug_option
def budget(fail_at, as_json):
    """Show each budget's window, spend, limit, remaining and forecast; exit 1 when one is spent.

    Budgets are LLM_BUDGET_DAILY_USD (the local day), LLM_BUDGET_MONTHLY_USD (the local
    calendar month) and those of $XDG_CONFIG_HOME/llm-core/budgets.toml, each scoped to a
    project, agent or model (or all calls) over a local day, week or month. Spent counts the
    recorded calls of the budget's scope in its window; calls in flight (their worst case,
    reserved before sending) count too. The forecast is the spend at the window's
    end if it goes on at the rate so far. The exit status is 0 while every budget is under its
    limit (or under --fail-at), 1 once one is reached: a CI step or git hook can stop there.

    \b
    Examples:
      LLM_BUDGET_DAILY_USD=5 llm-telemetry budget
      llm-telemetry budget --fail-at 90% || echo "90% of a budget is spent"
      llm-telemetry budget --json | jq '.budgets[] | {budget, scope, remaining_usd}'

    \b
    budgets.toml:
      [[budget]]
      name = "ci-bot"
      agent = "ci-bot"      # and/or project = "...", model = "..."
      window = "week"       # day, week or month
      limit_usd = 5
    """
    settings = get_settings()
    threshold = 100.0 if fail_at is None else fail_at
    clock = now()
    wanted = budgets(settings)
    found = statuses(store_dir(), settings, clock, wanted) if wanted else []
    rows = []
    for status in found:
        row = status.to_dict(clock)
        row["failing"] = row["exceeded"] or status.used_usd * 100 >= status.budget.limit_usd * threshold
        rows.append(row)
    data = {"budgets": rows, "fail_at_percent": threshold, "mode": settings.budget_mode,
            "file": str(budget_file_path(settings))}
    emit(data, as_json=as_json, human=_human)
    failing = [r for r in rows if r["failing"]]
    if failing:
        names = ", ".join(f"{r['budget']} ({r['percent']:.0f}% used)" for r in failing)
        sys.stderr.write(f"budget reached: {names}\n")
        return ExitStatus.INTERNAL
    return ExitStatus.OK
