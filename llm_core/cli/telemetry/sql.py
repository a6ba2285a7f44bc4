"""llm-telemetry sql: one read-only SQL query over the store, through DuckDB (the `sql` extra)."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import click

from llm_core.cli._common import debug_option, emit, json_option, read_stdin, table
from llm_core.cli.telemetry import CONTEXT
from llm_core.cli.telemetry.options import store_dir
from llm_core.errors import UsageError
from llm_core.storage.sql import query as run_query

_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


@click.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1, metavar="[SQL]")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV: a header line, then one line per row.")
@json_option
@debug_option
def sql(query, as_csv, as_json):
    """Run one read-only SQL query over the telemetry store (DuckDB; needs the 'sql' extra:
    pip install 'llm-cli-tools-core[sql]').

    The view `calls` holds every record of every day, plain or compressed, one row per call,
    its fields flattened with declared types (tokens_input, metadata_project, ...: see SQL
    in the man page, or run DESCRIBE calls); unreadable lines are left out, as the reports
    leave them out. `prompts` and `responses` exist when those are stored. Timestamps show,
    and ::DATE cuts days, in local time (TZ honoured). Only queries run: statements that write
    or change the session are refused (exit 2); DuckDB's errors exit 3.

    The query comes from the arguments or stdin. Output: a table, --json (an array of
    objects, one per row) or --csv.

    \b
    Examples:
      llm-telemetry sql "SELECT model, sum(cost_usd) FROM calls GROUP BY 1 ORDER BY 2 DESC"
      llm-telemetry sql "SELECT timestamp::DATE AS day, count(*) AS calls FROM calls GROUP BY 1 ORDER BY 1"
      llm-telemetry sql --csv "FROM calls WHERE NOT success" > failures.csv
      llm-telemetry sql --json "SELECT metadata_project, quantile_cont(duration_ms, 0.95) FROM calls GROUP BY 1"
      llm-telemetry sql "DESCRIBE calls"
    """
    if as_csv and as_json:
        raise UsageError("give --json or --csv, not both")
    statement = " ".join(query).strip() or read_stdin().strip()
    if not statement:
        raise UsageError("expected a SQL query as arguments or on stdin")
    result = run_query(store_dir(), statement)
    if as_csv:
        _write_csv(result)
    elif as_json:
        emit([dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows], as_json=True)
    else:
        emit(result, human=_table)


def _plain(value: Any) -> Any:
    """A value JSON and CSV can hold: times as ISO 8601, decimals as numbers."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (float, Decimal)):
        text = f"{float(value):.10g}"
        # Small amounts (a call's cost) as 0.000066, not 6.6e-05; the digits are the same.
        return format(Decimal(text), "f") if "e-" in text else text
    value = _plain(value)
    return value if isinstance(value, str) else str(value)


def _table(result) -> str:
    align = ["right" if t.split("(")[0] in _NUMERIC else "left" for t in result.types]
    text = table(([_cell(v) for v in row] for row in result.rows), headers=result.columns, align=align)
    count = len(result.rows)
    return f"{text}\n({count} row{'s' if count != 1 else ''})"


def _write_csv(result) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _plain(value)
