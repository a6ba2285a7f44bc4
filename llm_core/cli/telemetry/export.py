"""llm-telemetry export: the selected records as JSON Lines, CSV, Excel, SQLite or Parquet,
or replayed to an OpenTelemetry collector over OTLP/HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

from llm_core.cli._common import days_option, debug_option
from llm_core.cli.telemetry import CONTEXT
from llm_core.cli.telemetry.options import filter_options, selection, store_dir, warn_skipped
from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, ConfigError, UsageError
from llm_core.storage.export import FILE_FORMATS, FORMATS, write, write_csv, write_jsonl
from llm_core.storage.records_iter import iter_records


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "otlp")), default="jsonl", show_default=True,
              help="jsonl (the records as stored), csv (one row per call, the columns in FILES), "
                   "xlsx (a sheet of calls and one of daily totals), sqlite, parquet, or otlp (each "
                   "call as a span and GenAI metrics to OTEL_EXPORTER_OTLP_ENDPOINT).")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE, replacing it whole (required for xlsx, sqlite, parquet). Default: stdout.")
@click.option("--update", is_flag=True,
              help="sqlite: add to FILE only the records it does not hold yet (by id).")
@days_option
@filter_options
@debug_option
def export(fmt, output, update, days, project, agent, model, provider, since, until):
    """Write the selected records, oldest first, for spreadsheets, databases and other tools.

    jsonl and csv go to stdout unless --output; xlsx (the 'excel' extra), sqlite and parquet
    (the 'sql' extra) go to --output FILE. The SQLite database has a table `calls` (the CSV
    columns, id its primary key, indexed on timestamp, model and project) that sqlite3,
    Datasette and sqlite-utils open; --update keeps it current by adding only new records,
    while the JSONL stays the source of truth. Timestamps are UTC. The Excel workbook's
    "daily" sheet totals each local day as `costs --by day` does. otlp replays the history
    to OTEL_EXPORTER_OTLP_ENDPOINT (the 'otel' extra), as calls are sent when it is set.

    \b
    Examples:
      llm-telemetry export --format csv --since 2026-11-01 > november.csv
      llm-telemetry export --days 7 > last-week.jsonl
      llm-telemetry export --format xlsx --since 2026-11-01 -o november.xlsx
      llm-telemetry export --format sqlite -o calls.db && datasette calls.db
      llm-telemetry export --format sqlite -o calls.db --update   # from cron: only what is new
      llm-telemetry export --format parquet -o calls.parquet --project spacewalker
      llm-telemetry export --project spacewalker | jq -r .model | sort | uniq -c
      OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 llm-telemetry export --format otlp --since 2026-11-01
    """
    if fmt in FILE_FORMATS and output in (None, "-"):
        raise UsageError(f"--format {fmt} writes a file: give --output FILE")
    if update and fmt != "sqlite":
        raise UsageError("--update works with --format sqlite only")
    if fmt == "otlp" and output is not None:
        raise UsageError("--format otlp sends to OTEL_EXPORTER_OTLP_ENDPOINT: --output does not apply")
    window, filters = selection(project, agent, model, provider, since, until, days)
    store = store_dir()
    bad = [0]
    records = iter_records(store, window, filters, bad)
    if fmt == "otlp":
        export_otlp(records)
    elif output in (None, "-"):
        (write_jsonl if fmt == "jsonl" else write_csv)(records, sys.stdout)
    else:
        n = write(records, fmt, output, update=update)
        what = "new record" if update else "record"
        sys.stderr.write(f"{'Added' if update else 'Wrote'} {n:,} {what}{'s' if n != 1 else ''} to {output} ({fmt})\n")
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
