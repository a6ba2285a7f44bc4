"""Exports (llm_core.storage.export): every format read back with its own reader equals the
selected records; SQLite --update adds only what is new; files are replaced whole."""

from __future__ import annotations

import csv
import io
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest

from llm_core.errors import ConfigError, InputError
from llm_core.storage import export, query
from llm_core.storage.demo import write_demo
from llm_core.storage.query import Filters, Window, iter_records

NOW = query.parse_when("2026-11-27T12:00:00Z")


@pytest.fixture
def store(tmp_path) -> Path:
    root = tmp_path / "store"
    write_demo(root, days=3, calls=600, seed=4, end_ms=NOW)
    with open(root / "2026-11-26" / "telemetry.jsonl", "ab") as f:
        f.write(b'garbage\n{"timestamp": "2026-11-26T08:00:00.000Z", "model": "no-id", "cost_usd": 1e300}\n')
    return root


def _selected(store: Path, filters: Filters | None = None) -> list:
    return list(iter_records(store, Window(), filters or Filters()))


def _expected(store: Path) -> list[tuple]:
    return [export.row(rec) for _line, rec in _selected(store)]


def test_jsonl_is_the_records_as_stored(store):
    out = io.StringIO()
    assert export.write_jsonl(_selected(store), out) == 601
    assert [orjson.loads(line) for line in out.getvalue().splitlines()] == [r for _l, r in _selected(store)]


def test_csv_read_back_equals_the_records(store):
    out = io.StringIO()
    export.write_csv(_selected(store), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == export.COLUMNS
    want = [["" if v is None else ("true" if v else "false") if isinstance(v, bool) else str(v) for v in r]
            for r in _expected(store)]
    assert rows[1:] == want
    assert len(want) == 601


def test_sqlite_read_back_equals_the_records(store, tmp_path):
    db_path = tmp_path / "calls.db"
    assert export.write_sqlite(_selected(store), db_path) == 601
    db = sqlite3.connect(db_path)
    got = db.execute("SELECT * FROM calls ORDER BY rowid").fetchall()
    want = [tuple(int(v) if isinstance(v, bool) else v for v in r) for r in _expected(store)]
    assert [r[1:] for r in got] == [r[1:] for r in want]
    assert [g[0] if w[0] else g[0].startswith("line-") for g, w in zip(got, want, strict=True)] == [
        w[0] or True for w in want]  # a record without an id is keyed by a hash of its line
    indexed = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'")}
    assert {"calls_timestamp", "calls_model", "calls_project"} <= indexed
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM calls WHERE model = 'x'"))
    assert "calls_model" in plan
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_sqlite_update_adds_only_new_records(store, tmp_path):
    db_path = tmp_path / "calls.db"
    export.write_sqlite(_selected(store), db_path)
    assert export.write_sqlite(_selected(store), db_path, update=True) == 0  # the id-less record too
    write_demo(store, days=1, calls=50, seed=99, end_ms=NOW + 3_600_000)
    assert export.write_sqlite(_selected(store), db_path, update=True) == 50
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT count(*), count(DISTINCT id) FROM calls").fetchone() == (651, 651)
    new = tmp_path / "new.db"
    assert export.write_sqlite(_selected(store), new, update=True) == 651  # creates a missing one


def test_sqlite_update_refuses_a_file_that_is_not_a_database(store, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("my notes, not a database\n" * 100)
    with pytest.raises(InputError, match="not a SQLite database"):
        export.write_sqlite(_selected(store), bad, update=True)
    assert bad.read_text().startswith("my notes")


def test_a_fresh_sqlite_export_replaces_the_file(store, tmp_path):
    db_path = tmp_path / "calls.db"
    export.write_sqlite(_selected(store), db_path)
    export.write_sqlite(_selected(store, Filters(model="no-id")), db_path)
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM calls").fetchone() == (1,)


def test_xlsx_read_back_equals_the_records_and_daily_totals(store, tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        path = tmp_path / "calls.xlsx"
        assert export.write_xlsx(_selected(store), path) == 601
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames == ["calls", "daily"]
        rows = list(book["calls"].values)
        assert rows[0] == export.COLUMNS
        for got, want in zip(rows[1:], _expected(store), strict=True):
            stamp = datetime.fromisoformat(want[1].replace("Z", "+00:00")).astimezone(timezone.utc)
            assert abs((got[1] - stamp.replace(tzinfo=None)).total_seconds()) < 0.001
            got = got + (None,) * (len(want) - len(got))  # the reader drops empty cells at the end
            assert got[:1] + got[2:] == want[:1] + want[2:]
        daily = list(book["daily"].values)
        assert daily[0] == export.DAILY_COLUMNS
        window = Window()
        report = query.costs_report(query.collect_scan(store, window, Filters()), window, Filters(), by="day")
        assert [(d[0], d[1], round(d[8], 9), d[9]) for d in daily[1:]] == [
            (b["key"], b["calls"], round(b["cost_usd"], 9), b["unknown_cost_calls"]) for b in report["breakdown"]]
        assert sum(d[2] for d in daily[1:]) == sum(1 for r in _expected(store) if not r[17])
    finally:
        monkeypatch.undo()
        time.tzset()


def test_xlsx_too_many_rows_leaves_the_old_file(store, tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    path = tmp_path / "calls.xlsx"
    path.write_bytes(b"old")
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 100)
    with pytest.raises(InputError, match="Excel sheet"):
        export.write_xlsx(_selected(store), path)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_xlsx_without_openpyxl_names_the_extra(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ConfigError, match=r"'excel' extra"):
        export.write_xlsx(_selected(store), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_parquet_read_back_equals_the_records(store, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "calls.parquet"
    assert export.write_parquet(_selected(store), path) == 601
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    described = con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    assert [r[0] for r in described] == list(export.COLUMNS)
    assert described[1][1] == "TIMESTAMP WITH TIME ZONE"
    got = con.execute(f"SELECT * FROM '{path}'").fetchall()
    want = _expected(store)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        stamp = datetime.fromisoformat(w[1].replace("Z", "+00:00"))
        assert g[1] == stamp
        assert g[:1] + g[2:] == w[:1] + tuple(float(v) if k == 10 and v is not None else v
                                                for k, v in enumerate(w) if k != 1)[1:]


def test_parquet_without_duckdb_names_the_extra(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(ConfigError, match=r"'sql' extra"):
        export.write_parquet(_selected(store), tmp_path / "x.parquet")
    assert list(tmp_path.glob("x.parquet*")) == []


def test_filters_select_what_the_reports_select(store, tmp_path):
    db_path = tmp_path / "calls.db"
    flt = Filters(model="claude-haiku-4-5")
    n = export.write_sqlite(_selected(store, flt), db_path)
    window = Window()
    assert n == query.stats_report(query.collect_scan(store, window, flt), window, flt)["totals"]["calls"] > 0


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_a_folder_that_does_not_exist_is_bad_input(store, tmp_path, fmt):
    with pytest.raises(InputError, match="cannot write here"):
        export.write(_selected(store), fmt, tmp_path / "nowhere" / f"calls.{fmt}")
