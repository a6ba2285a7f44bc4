"""llm-telemetry report: one self-contained HTML page of a window's usage (or its data as JSON,
or a summary with text charts in the terminal)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from llm_core.cli import _charts
from llm_core.cli._common import emit, json_option
from llm_core.config import get_settings

_CONTEXT = {"help_option_names": ["-h", "--help"]}

JSON_OUTPUT = """
report --json writes the data behind the HTML page, with the shared keys (report is
"report") and generated_at (the local time it was made):

\b
  stats             totals, latency_ms, top_model, as stats writes them
  days              [{day, calls, cost_usd, cost_avg_usd, unknown_cost_calls, tokens}]: every
                    local day of the window, oldest first, days without calls as zeros;
                    cost_avg_usd is the mean of the day and the average_days - 1 before it
                    (fewer at the start of the window)
  average_days      7
  costs_by_model    costs --by model without the shared keys (and so for agent, project)
  models            the models list of the models report, every model
  performance       overall, by_model, slowest_operations, as performance writes them
  patterns          calls, by_hour, by_weekday, peak_hours, busiest_weekday, top_operations
  heatmap           {weekdays: [Monday..Sunday], calls: [7 lists of 24 counts, local hours]}

The HTML page's tables carry the same numbers in data attributes named after these keys
(cost_usd as data-cost-usd).
"""


def register(cli: click.Group, filter_options, now, notes) -> None:
    """Add `report` to the llm-telemetry group (the shared filter options, clock and notes
    are passed in, as `_telemetry_records.register` takes them)."""

    @cli.command(context_settings=_CONTEXT, short_help="An HTML report with charts (or text charts here).")
    @click.option("--html", "html_path", metavar="FILE",
                  help="Write the report as one HTML file to FILE ('-' for stdout).")
    @click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
                  help="The last N days including today (default 30).")
    @filter_options
    @json_option
    def report(html_path, days, project, agent, model, provider, since, until, as_json):
        """A report of a window's usage: headline numbers, cost per day with its 7-day
        average, tokens per day by type, cost and calls by model, agent and project, calls
        by weekday and hour, latency (p50, p95, p99) and error rate per model.

        With --html FILE it is one HTML file: inline SVG charts, each with a table of the
        same numbers, light and dark colour schemes, no script and nothing fetched from the
        network (open it anywhere, mail it, keep it). Without --html, the headline and text
        charts are printed; --json prints the data behind the page.

        \b
        Examples:
          llm-telemetry report --html report.html
          llm-telemetry report --days 90 --project spacewalker --html - > spacewalker.html
          llm-telemetry report --since 2026-11-01 --until 2026-11-30 --json | jq .stats.totals
          llm-telemetry report --days 14
        """
        # here, not at the top: the other commands' start-up does not pay for the reports
        from llm_core.report import report_data
        from llm_core.storage.query import DateError, Filters, collect, last_days, range_window

        if html_path == "-" and as_json:
            raise click.UsageError("--html - and --json both write to stdout; give --html a FILE")
        target = _target(html_path) if html_path not in (None, "-") else None
        filters = Filters(project=project, agent=agent, model=model, provider=provider)
        try:
            clock = now()
            if days is not None and (since or until):
                raise DateError("give --days or --since/--until, not both")
            window = range_window(since, until, last_days(days or 30, clock))
        except DateError as e:
            raise click.UsageError(str(e)) from None
        store = get_settings().telemetry_dir
        col = collect(store, window, filters, need_slots=True)
        notes(store, col)
        data = report_data(col, window, filters, now=clock)
        data["store"] = str(store)
        if html_path is not None:
            _write_html(data, target)
        if as_json or html_path is None:
            emit(data, as_json=as_json, human=_charts.report)


def _target(name: str) -> Path:
    """The output file, checked before any work: its folder must exist and be writable."""
    path = Path(name)
    if path.is_dir():
        raise click.BadParameter(f"{name} is a folder", param_hint="--html")
    folder = path.parent
    if not folder.is_dir():
        raise click.BadParameter(f"no folder {str(folder)!r} to write {path.name} in", param_hint="--html")
    if not os.access(folder, os.W_OK):
        raise click.BadParameter(f"cannot write in {folder}", param_hint="--html")
    return path


def _write_html(data: dict, target: Path | None) -> None:
    # here, not at the top: only --html needs them (start-up time)
    import tempfile

    from llm_core.report import render_html
    from llm_core.report.page import window_text

    page = render_html(data)
    if target is None:
        sys.stdout.write(page)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:  # a report half written never replaces a whole one
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise click.FileError(str(target), e.strerror or str(e)) from None
    calls = data["stats"]["totals"]["calls"]
    sys.stderr.write(f"Wrote {target} ({len(page.encode()) / 1000:,.0f} KB): {window_text(data)}, "
                     f"{calls:,} call{'s' if calls != 1 else ''}\n")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
