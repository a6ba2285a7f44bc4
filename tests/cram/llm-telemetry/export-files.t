export to files: Excel, SQLite (kept current with --update) and Parquet, with the reports' filters.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z TZ=UTC
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null

SQLite: a table `calls` with the CSV columns, indexed; --update adds only what is new:

  $ llm-telemetry export --format sqlite -o calls.db --until 2026-11-25
  Wrote 2,274 records to calls.db (sqlite)
  $ llm-telemetry export --format sqlite -o calls.db --update
  Added 726 new records to calls.db (sqlite)
  $ llm-telemetry export --format sqlite -o calls.db --update
  Added 0 new records to calls.db (sqlite)
  $ python -c "import sqlite3; db = sqlite3.connect('calls.db'); print(db.execute('SELECT count(*), count(DISTINCT id), round(sum(cost_usd), 2) FROM calls').fetchone()); print(sorted(r[0] for r in db.execute(\"SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'calls_%'\")))"
  (3000, 3000, 22.24)
  ['calls_model', 'calls_project', 'calls_timestamp']
  $ llm-telemetry stats all --json | grep -E '"calls"|"cost_usd"' | head -2
      "calls": 3000,
      "cost_usd": 22.2355094,

Excel: a sheet of calls and one of daily totals (local days, as costs --by day):

  $ llm-telemetry export --format xlsx -o calls.xlsx --since 2026-11-25 --project spacewalker
  Wrote 500 records to calls.xlsx (xlsx)
  $ python -c "import openpyxl; b = openpyxl.load_workbook('calls.xlsx'); print(b.sheetnames, b['calls'].max_row - 1); [print(r[0], r[1], round(r[8], 2), r[9]) for r in b['daily'].iter_rows(min_row=2, values_only=True)]"
  ['calls', 'daily'] 500
  2026-11-25 206 1.57 21
  2026-11-26 210 1.45 21
  2026-11-27 84 0.5 6
  $ llm-telemetry costs --since 2026-11-25 --project spacewalker --by day | tail -4
    2026-11-25  $1.57  45%  21 calls unpriced
    2026-11-26  $1.45  41%  21 calls unpriced
    2026-11-27  $0.50  14%  6 calls unpriced
    (48 calls without a known price: not in the totals)

Parquet, through DuckDB:

  $ llm-telemetry export --format parquet -o haiku.parquet --model claude-haiku-4-5
  Wrote 893 records to haiku.parquet (parquet)
  $ python -c "import duckdb; print(duckdb.sql(\"SELECT count(*), count(DISTINCT model) FROM 'haiku.parquet'\").fetchall())"
  [(893, 1)]

Errors: binary formats need --output; --update is for sqlite; a missing extra is named (exit 4):

  $ llm-telemetry export --format xlsx
  Error: --format xlsx writes a file: give --output FILE
  Try 'llm-telemetry export --help'.
  [2]
  $ llm-telemetry export --format parquet -o -
  Error: --format parquet writes a file: give --output FILE
  Try 'llm-telemetry export --help'.
  [2]
  $ llm-telemetry export --format csv -o calls.csv --update
  Error: --update works with --format sqlite only
  Try 'llm-telemetry export --help'.
  [2]
  $ mkdir -p hidden/openpyxl && echo 'raise ImportError("hidden")' > hidden/openpyxl/__init__.py
  $ PYTHONPATH="$PWD/hidden:$PYTHONPATH" llm-telemetry export --format xlsx -o calls.xlsx
  Error: --format xlsx needs the 'excel' extra (openpyxl is not installed): pip install 'llm-cli-tools-core[excel]'
  [4]
  $ llm-telemetry export --format sqlite -o nowhere/calls.db
  Error: nowhere/calls.db: cannot write here (No such file or directory)
  [3]
  $ echo 'not a database' > notes.db
  $ llm-telemetry export --format sqlite -o notes.db --update
  Error: notes.db is not a SQLite database this export can update: file is not a database
  [3]
  $ cat notes.db
  not a database
