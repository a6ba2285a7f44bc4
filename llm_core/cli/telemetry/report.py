"""llm-telemetry report: one self-contained HTML page of a window's usage (or its data as JSON,
or a summary with text charts in the terminal)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from llm_core.cli._common import days_option, debug_option, emit, json_option
from llm_core.cli.telemetry import CONTEXT, charts
from llm_core.cli.telemetry.options import filter_options, make_filters, now, store_dir
from llm_core.cli.telemetry.reports import store_notes
from llm_core.errors import InputError
from llm_core.records import replacing
from llm_core.report import render_html, report_data
from llm_core.report.page import window_text
from llm_core.storage.collect import collect
from llm_core.storage.windows import report_window


@click.command(context_settings=CONTEXT)
@click.option("--html", "html_path", metavar="FILE",
              help="Write the report as one HTML file to FILE ('-' for stdout).")
@days_option
@filter_options
@json_option
@debug_option
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
    if html_path == "-" and as_json:
        raise click.UsageError("--html - and --json both write to stdout; give --html a FILE")
    target = _target(html_path) if html_path not in (None, "-") else None
    clock = now()
    window = report_window(clock, None, days, since, until)
    filters = make_filters(project, agent, model, provider)
    store = store_dir()
    col = collect(store, window, filters, need_slots=True)
    store_notes(store, col)
    data = report_data(col, window, filters, now=clock)
    data["store"] = str(store)
    if html_path is not None:
        _write_html(data, target)
    if as_json or html_path is None:
        emit(data, as_json=as_json, human=charts.report)


def _target(name: str) -> Path:
    """The output file, checked before any work (bad input, exit 3, as export --output)."""
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a file to write the report to")
    if not path.parent.is_dir():
        raise InputError(f"{name}: cannot write here (no folder {str(path.parent)!r})")
    into = path.exists() and not path.is_file()  # /dev/stdout, a FIFO: written into
    if not os.access(path if into else path.parent, os.W_OK):
        raise InputError(f"{name}: cannot write here (permission denied)")
    return path


def _write_html(data: dict, target: Path | None) -> None:
    page = render_html(data)
    if target is None:
        sys.stdout.write(page)
        return
    try:  # a report half written never replaces a whole one
        with replacing(target, 0o666 & ~_umask()) as tmp:
            tmp.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{target}: cannot write here ({e.strerror or e})") from None
    calls = data["stats"]["totals"]["calls"]
    sys.stderr.write(f"Wrote {target} ({len(page.encode()) / 1000:,.0f} KB): {window_text(data)}, "
                     f"{calls:,} call{'s' if calls != 1 else ''}\n")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
