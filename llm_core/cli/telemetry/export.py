"""llm-telemetry export: the selected records as JSON Lines, CSV, Excel, SQLite or Parquet."""

from __future__ import annotations

import sys

import click

from llm_core.cli._common import days_option, debug_option
from llm_core.cli.telemetry import CONTEXT
from llm_core.cli.telemetry.options import filter_options, selection, store_dir, warn_skipped
from llm_core.errors import UsageError
from llm_core.storage.export import FILE_FORMATS, FORMATS, write, write_csv, write_jsonl
from llm_core.storage.records_iter import iter_records


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl (the records as stored), csv (one row per call, the columns in FILES), "
                   "xlsx (a sheet of calls and one of daily totals), sqlite or parquet.")
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
    "daily" sheet totals each local day as `costs --by day` does.

    \b
    Examples:
      llm-telemetry export --format csv --since 2026-11-01 > november.csv
      llm-telemetry export --days 7 > last-week.jsonl
      llm-telemetry export --format xlsx --since 2026-11-01 -o november.xlsx
      llm-telemetry export --format sqlite -o calls.db && datasette calls.db
      llm-telemetry export --format sqlite -o calls.db --update   # from cron: only what is new
      llm-telemetry export --format parquet -o calls.parquet --project spacewalker
      llm-telemetry export --project spacewalker | jq -r .model | sort | uniq -c
    """
    if fmt in FILE_FORMATS and output in (None, "-"):
        raise UsageError(f"--format {fmt} writes a file: give --output FILE")
    if update and fmt != "sqlite":
        raise UsageError("--update works with --format sqlite only")
    window, filters = selection(project, agent, model, provider, since, until, days)
    store = store_dir()
    bad = [0]
    records = iter_records(store, window, filters, bad)
    if output in (None, "-"):
        (write_jsonl if fmt == "jsonl" else write_csv)(records, sys.stdout)
    else:
        n = write(records, fmt, output, update=update)
        what = "new record" if update else "record"
        sys.stderr.write(f"{'Added' if update else 'Wrote'} {n:,} {what}{'s' if n != 1 else ''} to {output} ({fmt})\n")
    warn_skipped(bad[0], store)
