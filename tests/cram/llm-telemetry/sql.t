sql: one read-only SQL query through DuckDB over a typed, flattened `calls` view of every day.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z TZ=UTC
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null

The cost by model and the counts by day are the reports' own figures:

  $ llm-telemetry sql "SELECT model, round(sum(cost_usd), 2) AS cost_usd, count(*) AS calls FROM calls GROUP BY 1 ORDER BY 2 DESC NULLS LAST"
  model                              cost_usd  calls
  ---------------------------------  --------  -----
  claude-sonnet-4-5                      9.79    764
  claude-opus-4-1                        6.35    109
  claude-haiku-4-5                       3.53    893
  gpt-4.1                                2.28    350
  gpt-4o-mini                            0.29    617
  meta-llama/llama-3.3-70b-instruct      NULL    267
  (6 rows)
  $ llm-telemetry costs --since 2026-11-20 | head -3
  From 2026-11-20 00:00 to now: total cost $22.24
    claude-sonnet-4-5                  $9.79  44%
    claude-opus-4-1                    $6.35  29%
  $ llm-telemetry sql "SELECT timestamp::DATE AS day, count(*) AS calls, round(sum(cost_usd), 2) AS cost FROM calls WHERE timestamp >= '2026-11-25' GROUP BY 1 ORDER BY 1"
  day         calls  cost
  ----------  -----  ----
  2026-11-25    538  4.27
  2026-11-26    526  3.57
  2026-11-27    200  1.64
  (3 rows)
  $ llm-telemetry costs --days 3 --by day | head -4
  Last 3 days (2026-11-25 00:00 to 2026-11-28 00:00): total cost $9.47
    2026-11-25  $4.27  45%  57 calls unpriced
    2026-11-26  $3.57  38%  57 calls unpriced
    2026-11-27  $1.64  17%  20 calls unpriced

Flattened columns, --json (an array of row objects) and --csv; the query may come on stdin:

  $ llm-telemetry sql --json "SELECT metadata_project AS project, sum(tokens_input) AS input, count(*) FILTER (NOT success) AS failed FROM calls GROUP BY 1 ORDER BY 2 DESC LIMIT 2"
  [
    {
      "project": "spacewalker",
      "input": 2255250,
      "failed": 19
    },
    {
      "project": "api-gateway",
      "input": 1522173,
      "failed": 16
    }
  ]
  $ echo "SELECT id, timestamp, model, success FROM calls ORDER BY timestamp LIMIT 2" | llm-telemetry sql --csv
  id,timestamp,model,success
  457e55cb4d131338ccc4c0a9af5a01cc,2026-11-20T12:01:09.823000+00:00,claude-sonnet-4-5,true
  98ff805cfcd2280ee3c51ba87122d7a0,2026-11-20T12:01:51.575000+00:00,claude-haiku-4-5,true
  $ llm-telemetry sql --csv "SELECT column_name, column_type FROM (DESCRIBE calls)" | head -9
  column_name,column_type
  id,VARCHAR
  timestamp,TIMESTAMP WITH TIME ZONE
  agent_name,VARCHAR
  operation,VARCHAR
  provider,VARCHAR
  model,VARCHAR
  session_id,VARCHAR
  user_id,VARCHAR

Torn and garbage lines are left out, as the reports leave them out; compressed days are read too:

  $ printf 'garbage\n{"timestamp": 12}\n{"torn": ' >> "$LLM_TELEMETRY_DIR/2026-11-27/telemetry.jsonl"
  $ gzip "$LLM_TELEMETRY_DIR/2026-11-21/telemetry.jsonl"
  $ llm-telemetry sql --csv "SELECT count(*) AS calls FROM calls"
  calls
  3000

Only queries run: anything that writes or changes the session is refused (exit 2):

  $ llm-telemetry sql "INSERT INTO calls (id) VALUES ('x')"
  Error: refused: INSERT statements write or change the session; only queries run (SELECT, WITH, DESCRIBE, EXPLAIN ...)
  Try 'llm-telemetry sql --help'.
  [2]
  $ llm-telemetry sql "COPY (SELECT * FROM calls) TO 'calls.csv'"
  Error: refused: COPY statements write or change the session; only queries run (SELECT, WITH, DESCRIBE, EXPLAIN ...)
  Try 'llm-telemetry sql --help'.
  [2]
  $ llm-telemetry sql "ATTACH 'other.db'"
  Error: refused: ATTACH statements write or change the session; only queries run (SELECT, WITH, DESCRIBE, EXPLAIN ...)
  Try 'llm-telemetry sql --help'.
  [2]
  $ llm-telemetry sql "PRAGMA version"
  Error: refused: PRAGMA statements write or change the session; only queries run (SELECT, WITH, DESCRIBE, EXPLAIN ...)
  Try 'llm-telemetry sql --help'.
  [2]
  $ llm-telemetry sql "SELECT 1; DROP VIEW calls"
  Error: give one SQL statement, not 2
  Try 'llm-telemetry sql --help'.
  [2]
  $ ls calls.csv other.db
  ls: cannot access 'calls.csv': No such file or directory
  ls: cannot access 'other.db': No such file or directory
  [2]
  $ llm-telemetry sql "SELECT * FROM read_csv('/etc/passwd')"
  Error: SQL: Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration
  [3]

Bad SQL is bad input (exit 3); no query is a usage error (exit 2):

  $ llm-telemetry sql "SELEC model FROM calls"
  Error: bad SQL: Parser Error: syntax error at or near "SELEC"
  [3]
  $ llm-telemetry sql "SELECT colour FROM calls"
  Error: SQL: Binder Error: Referenced column "colour" not found in FROM clause!
  [3]
  $ llm-telemetry sql < /dev/null
  Error: expected a SQL query as arguments or on stdin
  Try 'llm-telemetry sql --help'.
  [2]
  $ llm-telemetry sql --json --csv "SELECT 1"
  Error: give --json or --csv, not both
  Try 'llm-telemetry sql --help'.
  [2]

Without DuckDB (the 'sql' extra) the error names the extra (exit 4):

  $ mkdir -p hidden/duckdb && echo 'raise ImportError("hidden")' > hidden/duckdb/__init__.py
  $ PYTHONPATH="$PWD/hidden:$PYTHONPATH" llm-telemetry sql "SELECT 1"
  Error: SQL needs the 'sql' extra (duckdb is not installed): pip install 'llm-cli-tools-core[sql]'
  [4]
