"""Exports of selected records: JSON Lines, CSV, Excel, SQLite, Parquet.

Every writer takes the (line, record) pairs a selection yields (`iter_records(store, window,
filters)`), oldest first, and returns how many records it wrote.

    write(selected, "sqlite", "calls.db", update=True)      # any format, to a file
    write_csv(selected, sys.stdout)                         # jsonl and csv also to a stream

    jsonl     the records as stored, one per line                 write_jsonl(selected, text_stream)
    csv       one row per call, COLUMNS                           write_csv(selected, text_stream)
    xlsx      sheet "calls" (COLUMNS), sheet "daily" (DAILY_COLUMNS, local days)
                                                                  write_xlsx(selected, path)  [excel extra]
    sqlite    table "calls" (COLUMNS, id the primary key; indexes on timestamp, model, project)
                                                                  write_sqlite(selected, path, update=False)
    parquet   COLUMNS with their types                            write_parquet(selected, path)  [sql extra]

Files are written whole to a temporary name beside the target and renamed over it, so a
reader never sees half an export; like the store's own files they are private (0600). `write_sqlite(..., update=True)` instead adds to an existing
database the records whose id it does not hold yet (the JSONL stays the source of truth; a
record without an id is keyed by a hash of its line).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import sqlite3
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

import orjson

from llm_core.errors import ConfigError, InputError
from llm_core.records import FILE_MODE, parse_timestamp, replacing
from llm_core.storage._day_records import (
    COST_LIMIT,
    COST_SCALE,
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_COST,
    M_IN,
    M_OUT,
    M_TOTAL,
    M_UNKNOWN,
    extract,
)
from llm_core.storage.sql import require_duckdb

__all__ = [
    "COLUMNS", "DAILY_COLUMNS", "FILE_FORMATS", "FORMATS", "csv_row", "daily_totals", "row", "write",
    "write_csv", "write_jsonl", "write_parquet", "write_sqlite", "write_xlsx",
]

FORMATS = ("jsonl", "csv", "xlsx", "sqlite", "parquet")
FILE_FORMATS = ("xlsx", "sqlite", "parquet")  # only to a file, never to stdout

# (column, SQL type) of one call, in every tabular format.
_TYPED_COLUMNS = (
    ("id", "TEXT"), ("timestamp", "TEXT"), ("agent_name", "TEXT"), ("operation", "TEXT"),
    ("provider", "TEXT"), ("model", "TEXT"), ("project", "TEXT"), ("git_branch", "TEXT"),
    ("session_id", "TEXT"), ("user_id", "TEXT"), ("duration_ms", "REAL"),
    ("input_tokens", "INTEGER"), ("output_tokens", "INTEGER"), ("cache_read_tokens", "INTEGER"),
    ("cache_write_tokens", "INTEGER"), ("total_tokens", "INTEGER"), ("cost_usd", "REAL"),
    ("success", "INTEGER"), ("error", "TEXT"),
)
COLUMNS = tuple(name for name, _ in _TYPED_COLUMNS)
DAILY_COLUMNS = ("day", "calls", "failures", "input_tokens", "output_tokens", "cache_read_tokens",
                 "cache_write_tokens", "total_tokens", "cost_usd", "unknown_cost_calls")
EXCEL_MAX_ROWS = 1_048_576  # a sheet's limit, its header included

Selected = Iterable[tuple[bytes, dict]]


# ---------------------------------------------------------------- one record

def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


_INT64_MAX = 2**63 - 1


def _int(value: Any) -> int | None:
    """A token count; None when it is damage (negative, not a number) or beyond the 64 bits a
    SQLite or Parquet integer holds (the reports, in Python, sum even those)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if 0 <= value <= _INT64_MAX else None


def _number(value: Any) -> float | int | None:
    """A latency or cost, None when the reports count it as an invalid value."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if 0 <= value < COST_LIMIT else None  # COST_LIMIT == DURATION_LIMIT


def row(rec: dict) -> tuple:
    """One record as a tuple of COLUMNS: text, int, float, bool or None."""
    tokens = rec.get("tokens") if isinstance(rec.get("tokens"), dict) else {}
    meta = rec.get("metadata") if isinstance(rec.get("metadata"), dict) else {}
    return (
        _text(rec.get("id")), _text(rec.get("timestamp")), _text(rec.get("agent_name")),
        _text(rec.get("operation")), _text(rec.get("provider")), _text(rec.get("model")),
        _text(meta.get("project")), _text(meta.get("git_branch")), _text(rec.get("session_id")),
        _text(rec.get("user_id")), _number(rec.get("duration_ms")), _int(tokens.get("input")),
        _int(tokens.get("output")), _int(tokens.get("cache_read")), _int(tokens.get("cache_write")),
        _int(tokens.get("total")), _number(rec.get("cost_usd")), rec.get("success") is not False,
        _text(meta.get("error")),
    )


def csv_row(rec: dict) -> list:
    """A record as CSV cells: empty for missing, success as true/false."""
    return ["" if v is None else ("true" if v else "false") if isinstance(v, bool) else v
            for v in row(rec)]


# ---------------------------------------------------------------- streams

def write_jsonl(selected: Selected, out: IO[str]) -> int:
    n = 0
    for line, _rec in selected:
        out.write(line.decode("utf-8", "replace") + "\n")
        n += 1
    return n


def write_csv(selected: Selected, out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for _line, rec in selected:
        writer.writerow(csv_row(rec))
        n += 1
    return n


# ---------------------------------------------------------------- daily totals

class _Daily:
    """Totals per local day (the reports' days and rules), from records as they stream past."""

    def __init__(self) -> None:
        self.days: dict[date, list[int]] = {}
        self._day_of: dict[int, date] = {}

    def add(self, rec: dict) -> None:
        got = extract(rec)
        if got is None:
            return
        ms, dims, m, _duration = got
        quarter = ms // 900_000  # every zone's offset is whole quarter hours
        day = self._day_of.get(quarter)
        if day is None:
            day = self._day_of[quarter] = datetime.fromtimestamp(quarter * 900, timezone.utc).astimezone().date()
        t = self.days.get(day)
        if t is None:
            t = self.days[day] = [0] * 9
        t[0] += 1
        t[1] += not dims[5]
        for i, k in enumerate((M_IN, M_OUT, M_CACHE_READ, M_CACHE_WRITE, M_TOTAL, M_COST, M_UNKNOWN), start=2):
            t[i] += m[k]

    def rows(self) -> list[tuple]:
        return [(day.isoformat(), *t[:7], t[7] / COST_SCALE, t[8]) for day, t in sorted(self.days.items())]


def daily_totals(selected: Selected) -> list[tuple]:
    """DAILY_COLUMNS rows, oldest local day first."""
    daily = _Daily()
    for _line, rec in selected:
        daily.add(rec)
    return daily.rows()


# ---------------------------------------------------------------- files

@contextlib.contextmanager
def _replacing(path: Path):
    """records.replacing, private as the store: the file's bytes, whole, or none of them."""
    try:
        with replacing(path, FILE_MODE) as tmp:
            yield tmp
    except OSError as e:
        raise InputError(f"{path}: cannot write here ({e.strerror or e})") from None


def _excel_time(stamp: str | None) -> datetime | str | None:
    ms = parse_timestamp(stamp)
    if ms is None:
        return stamp
    return datetime.fromtimestamp(ms / 1000, timezone.utc).replace(tzinfo=None)  # Excel has no zones


def write_xlsx(selected: Selected, path: Path | str) -> int:
    """An Excel workbook: sheet "calls" (timestamps as UTC date-times), sheet "daily"."""
    try:
        from openpyxl import Workbook  # only here: start-up, and an optional extra
    except ImportError:
        raise ConfigError("--format xlsx needs the 'excel' extra (openpyxl is not installed): "
                          "pip install 'llm-cli-tools-core[excel]'") from None
    book = Workbook(write_only=True)
    calls = book.create_sheet("calls")
    calls.append(COLUMNS)
    daily, n = _Daily(), 0
    try:
        for _line, rec in selected:
            r = row(rec)
            n += 1
            if n >= EXCEL_MAX_ROWS:
                raise InputError(f"more than {EXCEL_MAX_ROWS - 1:,} calls do not fit in an Excel sheet: "
                                 "narrow the selection (--since, --until) or use --format sqlite or parquet")
            daily.add(rec)
            calls.append((r[0], _excel_time(r[1]), *r[2:]))
    except BaseException:
        calls.close()  # finish the sheet's temp file now, not in a finaliser
        raise
    sheet = book.create_sheet("daily")
    sheet.append(DAILY_COLUMNS)
    for d in daily.rows():
        sheet.append(d)
    with _replacing(Path(path)) as tmp:
        book.save(tmp)
    return n


def _key(line: bytes, r: tuple) -> tuple:
    return r if r[0] is not None else ("line-" + hashlib.sha1(line).hexdigest(), *r[1:])


def _create_sqlite(db: sqlite3.Connection) -> None:
    cols = ", ".join(f'"{name}" {kind}' + (" PRIMARY KEY" if name == "id" else "")
                     for name, kind in _TYPED_COLUMNS)
    db.execute(f"CREATE TABLE IF NOT EXISTS calls ({cols})")
    for col in ("timestamp", "model", "project"):
        db.execute(f'CREATE INDEX IF NOT EXISTS calls_{col} ON calls ("{col}")')


def _fill_sqlite(db: sqlite3.Connection, selected: Selected) -> int:
    marks = ", ".join("?" * len(COLUMNS))
    before = db.total_changes
    batch: list[tuple] = []
    for line, rec in selected:
        batch.append(_key(line, row(rec)))
        if len(batch) >= 10_000:
            db.executemany(f"INSERT OR IGNORE INTO calls VALUES ({marks})", batch)
            batch.clear()
    db.executemany(f"INSERT OR IGNORE INTO calls VALUES ({marks})", batch)
    return db.total_changes - before


def write_sqlite(selected: Selected, path: Path | str, update: bool = False) -> int:
    """A SQLite database with table "calls". update=True adds to an existing one only the
    records whose id it lacks (creating it when missing); returns the rows added."""
    path = Path(path)
    if update and path.exists():
        try:
            db = sqlite3.connect(path)
            with db:
                _create_sqlite(db)
                return _fill_sqlite(db, selected)
        except sqlite3.DatabaseError as e:
            raise InputError(f"{path} is not a SQLite database this export can update: {e}") from None
        finally:
            db.close()
    with _replacing(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            with db:
                _create_sqlite(db)
                n = _fill_sqlite(db, selected)
        finally:
            db.close()
    return n


def write_parquet(selected: Selected, path: Path | str) -> int:
    """A Parquet file through DuckDB: the rows go through a JSONL temp file that DuckDB reads
    with declared types (timestamp a TIMESTAMPTZ) and writes out."""
    duckdb = require_duckdb()
    path = Path(path)
    types = {name: {"TEXT": "VARCHAR", "REAL": "DOUBLE", "INTEGER": "BIGINT"}[kind]
             for name, kind in _TYPED_COLUMNS}
    types["success"] = "BOOLEAN"
    n = 0
    with _replacing(path) as tmp, tempfile.NamedTemporaryFile("wb", dir=tmp.parent, suffix=".jsonl") as rows:
        for _line, rec in selected:
            rows.write(orjson.dumps(dict(zip(COLUMNS, row(rec), strict=True))) + b"\n")
            n += 1
        rows.flush()
        cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
        select = ", ".join(f'"{c}"' if c != "timestamp" else 'try_cast("timestamp" AS TIMESTAMPTZ) AS "timestamp"'
                           for c in COLUMNS)
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"COPY (SELECT {select} FROM read_json(?, format='newline_delimited', "
                        f"columns={cols})) TO '{_sql_text(tmp)}' (FORMAT parquet)", [rows.name])
        finally:
            con.close()
    return n


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def write(selected: Selected, fmt: str, path: Path | str, update: bool = False) -> int:
    """Write `selected` as `fmt` (one of FORMATS) to the file at `path`, replacing it whole;
    update=True (sqlite only) adds to it instead. Returns the records written (or added)."""
    if update and fmt != "sqlite":
        raise ValueError("only a sqlite export can be updated")
    if fmt == "sqlite":
        return write_sqlite(selected, path, update=update)
    if fmt == "xlsx":
        return write_xlsx(selected, path)
    if fmt == "parquet":
        return write_parquet(selected, path)
    stream = {"jsonl": write_jsonl, "csv": write_csv}[fmt]
    with _replacing(Path(path)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        return stream(selected, out)
