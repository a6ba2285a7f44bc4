"""llm-telemetry sql and export to files: stdout, stderr, exit codes, and the docs that list
the SQL columns and the export columns."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from llm_core.cli.telemetry import main, manual
from llm_core.config import reset_settings
from llm_core.storage import export
from llm_core.storage.sql import CALLS_COLUMNS
from llm_core.storage.sql import query as sql_query

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-27T12:00:00Z"


@pytest.fixture
def demo(isolated_env, monkeypatch, capsys) -> Path:
    monkeypatch.setenv("LLM_TELEMETRY_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    reset_settings()
    assert main(["demo", "--days", "4", "--calls", "1500", "--seed", "5"]) == 0
    capsys.readouterr()
    return Path(os.environ["LLM_TELEMETRY_DIR"])


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


COST_BY_MODEL = "SELECT model, sum(cost_usd) AS cost, count(*) AS calls FROM calls GROUP BY 1 ORDER BY 3 DESC, 1"


def test_sql_json_csv_and_table_hold_the_same_rows(demo, capsys):
    want = sql_query(demo, COST_BY_MODEL).rows
    code, out, err = _run(capsys, "sql", "--json", COST_BY_MODEL)
    assert code == 0 and err == ""
    want = [(m, None if c is None else float(c), n) for m, c, n in want]
    assert [(r["model"], r["cost"], r["calls"]) for r in orjson.loads(out)] == want
    code, out, _ = _run(capsys, "sql", "--csv", COST_BY_MODEL)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["model", "cost", "calls"]
    assert rows[1:] == [[m, "" if c is None else repr(c), str(n)] for m, c, n in want]
    code, out, _ = _run(capsys, "sql", COST_BY_MODEL)
    lines = out.splitlines()
    assert lines[0].split() == ["model", "cost", "calls"]
    assert lines[-1] == f"({len(want)} rows)"
    assert [line.split()[0] for line in lines[2:-1]] == [m for m, _c, _n in want]


def test_sql_equals_the_costs_report(demo, capsys):
    def answer(*args: str):
        code, out, err = _run(capsys, *args)
        assert code == 0, err
        return orjson.loads(out)

    report = {b["key"]: (round(b["cost_usd"], 9), b["calls"])
              for b in answer("costs", "--since", "2026-11-01", "--json")["breakdown"]}
    assert {r["model"]: (round(r["cost"] or 0, 9), r["calls"]) for r in answer("sql", "--json", COST_BY_MODEL)} == report
    by_day = {b["key"]: b["calls"] for b in answer("costs", "--since", "2026-11-01", "--by", "day", "--json")["breakdown"]}
    got = answer("sql", "--json", "SELECT timestamp::DATE AS day, count(*) AS n FROM calls GROUP BY 1")
    assert {r["day"]: r["n"] for r in got} == by_day


ODD_RECORDS = [  # what the reports count differently from the raw fields
    {"id": "odd1", "timestamp": "2026-11-26T10:00:00.000Z", "provider": "openrouter", "model": "odd-model",
     "tokens": {"input": 10, "output": 5, "total": 15}, "cost_usd": 0.5, "provider_cost_usd": 0.25,
     "duration_ms": 100},
    {"id": "odd2", "timestamp": "2026-11-26T11:00:00.000Z", "provider": "openai", "model": "odd-model",
     "tokens": {"input": 2**55, "output": -3, "cache_read": 2**64 - 1, "total": 7},
     "cost_usd": -1.0, "duration_ms": 2**64 - 1},
]


def test_sql_and_exports_count_billed_costs_and_damaged_values_as_the_reports_do(demo, capsys, tmp_path):
    with open(demo / "2026-11-26" / "telemetry.jsonl", "ab") as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in ODD_RECORDS))
    code, out, err = _run(capsys, "models", "--since", "2026-11-01", "--json")
    rows = [m for m in orjson.loads(out)["models"] if m["model"] == "odd-model"]  # one per provider
    row = {"cost_usd": sum(m["cost_usd"] for m in rows),
           "tokens": {k: sum(m["tokens"][k] for m in rows) for k in ("input", "output", "cache_read", "total")}}
    sql = "SELECT sum(cost_usd), sum(tokens_input), sum(tokens_output), sum(tokens_cache_read), " \
          "sum(tokens_total), sum(estimated_cost_usd) FROM calls WHERE model = 'odd-model'"
    cost, tin, tout, tcr, total, estimated = sql_query(demo, sql).rows[0]
    assert float(cost) == row["cost_usd"] == 0.25  # the billed cost, not the estimate
    assert float(estimated) == 0.5
    assert (tin, tout, total) == (10 + 2**55, 5, 22)  # a negative count is damage: 0
    assert (row["tokens"]["input"], row["tokens"]["output"], row["tokens"]["total"]) == (10 + 2**55, 5, 22)
    assert (row["tokens"]["cache_read"], tcr) == (2**64 - 1, 0)  # beyond BIGINT: the reports sum it
    for fmt in ("sqlite", "parquet", "csv"):
        target = tmp_path / f"odd.{fmt}"
        code, out, err = _run(capsys, "export", "--format", fmt, "-o", str(target), "--model", "odd-model")
        assert (code, err) == (0, f"Wrote 2 records to {target} ({fmt})\n")
    rows = sqlite3.connect(tmp_path / "odd.sqlite").execute(
        "SELECT input_tokens, output_tokens, duration_ms, cost_usd FROM calls ORDER BY timestamp").fetchall()
    assert rows == [(10, 5, 100.0, 0.5), (2**55, None, None, None)]
    (cache_read,) = sqlite3.connect(tmp_path / "odd.sqlite").execute(
        "SELECT cache_read_tokens FROM calls WHERE input_tokens > 10").fetchone()
    assert cache_read is None  # 64 bits do not hold it: empty, not a crash


def test_sql_reads_the_query_from_stdin(demo, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"SELECT count(*) AS n FROM calls\n")))
    code, out, _ = _run(capsys, "sql", "--json")
    assert code == 0 and orjson.loads(out) == [{"n": 1500}]


@pytest.mark.parametrize(("statement", "code", "message"), [
    ("INSERT INTO calls (id) VALUES ('x')", 2, "refused: INSERT statements"),
    ("COPY (SELECT 1) TO 'x.csv'", 2, "refused: COPY statements"),
    ("ATTACH 'x.db'", 2, "refused: ATTACH statements"),
    ("PRAGMA version", 2, "refused: PRAGMA statements"),
    ("SET threads = 1", 2, "refused: SET statements"),
    ("SELECT 1; SELECT 2", 2, "one SQL statement, not 2"),
    ("SELEC 1", 3, "bad SQL: Parser Error"),
    ("SELECT colour FROM calls", 3, "colour"),
])
def test_sql_errors(demo, capsys, statement, code, message):
    got, out, err = _run(capsys, "sql", statement)
    assert (got, out) == (code, "")
    assert err.startswith("Error: ") and message in err
    assert not Path("x.csv").exists() and not Path("x.db").exists()


def test_sql_without_duckdb_names_the_extra(demo, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    code, out, err = _run(capsys, "sql", "SELECT 1")
    assert (code, out) == (4, "")
    assert err == ("Error: SQL needs the 'sql' extra (duckdb is not installed): "
                   "pip install 'llm-cli-tools-core[sql]'\n")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "sqlite", "parquet"])
def test_export_to_a_file(demo, capsys, fmt, tmp_path):
    target = tmp_path / f"calls.{fmt}"
    code, out, err = _run(capsys, "export", "--format", fmt, "-o", str(target), "--model", "gpt-4.1")
    n = sql_query(demo, "SELECT count(*) FROM calls WHERE model = 'gpt-4.1'").rows[0][0]
    assert (code, out) == (0, "")
    assert err == f"Wrote {n:,} records to {target} ({fmt})\n"
    assert target.stat().st_mode & 0o777 == 0o600
    if fmt == "csv":
        code, stdout, _ = _run(capsys, "export", "--format", fmt, "--model", "gpt-4.1")
        assert target.read_text() == stdout
    elif fmt == "sqlite":
        assert sqlite3.connect(target).execute("SELECT count(*) FROM calls").fetchone() == (n,)


def test_export_update_adds_only_new_records(demo, capsys, tmp_path):
    db = tmp_path / "calls.db"
    assert _run(capsys, "export", "--format", "sqlite", "-o", str(db), "--until", "2026-11-25")[0] == 0
    before = sqlite3.connect(db).execute("SELECT count(*) FROM calls").fetchone()[0]
    code, _, err = _run(capsys, "export", "--format", "sqlite", "-o", str(db), "--update")
    assert code == 0 and err == f"Added {1500 - before:,} new records to {db} (sqlite)\n"
    code, _, err = _run(capsys, "export", "--format", "sqlite", "-o", str(db), "--update")
    assert err == f"Added 0 new records to {db} (sqlite)\n"
    assert sqlite3.connect(db).execute("SELECT count(DISTINCT id) FROM calls").fetchone() == (1500,)


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "xlsx"], "--format xlsx writes a file: give --output FILE"),
    (["--format", "sqlite", "-o", "-"], "--format sqlite writes a file: give --output FILE"),
    (["--format", "jsonl", "--update"], "--update works with --format sqlite only"),
])
def test_export_usage_errors(demo, capsys, args, message):
    code, out, err = _run(capsys, "export", *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {message}\n")


def test_the_manual_lists_every_sql_column_and_the_export_columns():
    lines = manual.SQL.splitlines()
    for name, kind, _ in CALLS_COLUMNS:
        assert any(line.split()[:2] == [name, kind] for line in lines if line.strip()), name
    assert manual.CSV_COLUMNS == export.COLUMNS


def test_sql_and_export_leave_start_up_alone():
    code = ("import sys; from llm_core.cli.telemetry import main; main(['--help']); main(['sql', '--help']); "
            "main(['export', '--help']); "
            "print(sorted(m for m in ('duckdb', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert out.splitlines()[-1] == "[]"


def test_small_amounts_print_as_decimals_in_the_table(demo, capsys):
    """A call's cost is often below 1e-4 USD: the table shows 0.000066, not 6.6e-05, with
    the same ten significant digits; --json keeps the number."""
    statement = "SELECT 0.000066::DOUBLE AS cost, 1.234567890123e-12::DOUBLE AS tiny, 12345.5::DOUBLE AS big"
    code, out, _ = _run(capsys, "sql", statement)
    assert code == 0
    assert out.splitlines()[2].split() == ["0.000066", "0.00000000000123456789", "12345.5"]
    code, out, _ = _run(capsys, "sql", "--json", statement)
    assert orjson.loads(out) == [{"cost": 0.000066, "tiny": 1.234567890123e-12, "big": 12345.5}]

