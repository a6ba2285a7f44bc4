"""The llm-telemetry commands over the records themselves: log (newest first, or followed)
and export (CSV, JSON Lines, or replayed to an OpenTelemetry collector over OTLP)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable

import click

from llm_core.cli._common import json_option
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.cli.telemetry.manual import CSV_COLUMNS
from llm_core.cli.telemetry.options import filter_options, selection, warn_skipped
from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, ConfigError
from llm_core.storage.records_iter import follow_records, follow_start, iter_records, latest_records


def _write_line(line: bytes) -> None:
    sys.stdout.write(line.decode("utf-8", "replace") + "\n")


def _write_record(line: bytes, rec: dict, as_json: bool) -> None:
    """A record as stored (--json) or as one human line."""
    if as_json:
        _write_line(line)
    else:
        sys.stdout.write(render.log_line(rec) + "\n")


@click.command(context_settings=CONTEXT)
@click.option("-n", "--lines", "count", type=click.IntRange(min=0), default=20, show_default=True,
              metavar="N", help="How many of the latest records to show.")
@click.option("-f", "--follow", is_flag=True, help="Keep printing new records as they arrive (Ctrl-C stops).")
@click.option("--poll", type=click.FloatRange(min=0.01), default=0.5, hidden=True)
@filter_options
@json_option
def log(count, follow, poll, project, agent, model, provider, since, until, as_json):
    """The latest records, newest first: local time, status, model, agent/operation, tokens,
    cost, latency, project. With --json, the records themselves as JSON Lines.

    With --follow, the latest N are shown oldest first and new records follow as they are
    written, like tail -f.

    \b
    Examples:
      llm-telemetry log
      llm-telemetry log -n 50 --agent doc-finder
      llm-telemetry log --json -n 1000 | jq -r 'select(.success == false) | .metadata.error'
      llm-telemetry log --follow
    """
    window, filters = selection(project, agent, model, provider, since, until)
    store = get_settings().telemetry_dir
    bad = [0]
    seen = follow_start(store) if follow else None
    rows = latest_records(store, count, window, filters, bad, upto=seen)
    warn_skipped(bad[0], store)
    if follow:
        rows.reverse()
    for line, rec in rows:
        _write_record(line, rec, as_json)
    if not rows and not follow and not store.is_dir():
        sys.stderr.write(f"No telemetry recorded yet in {store}.\n")
    if follow:
        sys.stdout.flush()
        for line, rec in follow_records(store, seen, window, filters, poll):
            _write_record(line, rec, as_json)
            sys.stdout.flush()


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "otlp"]), default="jsonl", show_default=True,
              help="csv (one row per call, the columns listed in FILES), jsonl (the records as stored) "
                   "or otlp (each call as a span and GenAI metrics to OTEL_EXPORTER_OTLP_ENDPOINT).")
@filter_options
def export(fmt, project, agent, model, provider, since, until):
    """Write the selected records to stdout, oldest first, for spreadsheets and other tools.

    \b
    Examples:
      llm-telemetry export --format csv --since 2026-11-01 > november.csv
      OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 llm-telemetry export --format otlp --since 2026-11-01
      llm-telemetry export --project spacewalker | duckdb -c "select model, sum(cost_usd) from read_json('/dev/stdin') group by 1"
    """
    window, filters = selection(project, agent, model, provider, since, until)
    store = get_settings().telemetry_dir
    bad = [0]
    records = iter_records(store, window, filters, bad)
    if fmt == "otlp":
        export_otlp(records)
    elif fmt == "jsonl":
        for line, _rec in records:
            _write_line(line)
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for _line, rec in records:
            writer.writerow(render.csv_row(rec))
    warn_skipped(bad[0], store)


def export_otlp(records: Iterable[tuple[bytes, dict]]) -> int:
    """Send the selected records to OTEL_EXPORTER_OTLP_ENDPOINT; returns how many went."""
    settings = get_settings()
    endpoint = settings.otlp_endpoint
    if not endpoint:
        raise ConfigError("no OTLP endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318)")
    try:
        from llm_core.exporters.otel import CallExporter  # the otel extra loads the SDK: only here
    except ImportError as e:  # the extra is missing: its message says what to install
        raise ConfigError(str(e)) from None
    exporter = CallExporter(endpoint, include_prompts=settings.store_prompts,
                            include_responses=settings.store_responses, delay_ms=500, warn=False)
    sent = 0
    for _line, record in records:
        exporter.submit(record)
        sent += 1
        if sent % 4096 == 0 and not exporter.flush(timeout=30.0):  # the SDK's queue is bounded
            break
    if not exporter.flush(timeout=30.0) or exporter.failed:
        raise APIConnectionError(f"cannot export to {endpoint}: the OTLP endpoint did not take the calls")
    sys.stderr.write(f"Exported {sent:,} call{'s' if sent != 1 else ''} to {endpoint}\n")
    return sent
