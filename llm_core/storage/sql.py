"""SQL over the telemetry store, through DuckDB (the optional `sql` extra).

    from llm_core.storage.sql import query
    result = query(store, "SELECT model, sum(cost_usd) FROM calls GROUP BY 1 ORDER BY 2 DESC")
    result.columns, result.rows          # ['model', 'sum(cost_usd)'], [('claude-...', 8.9), ...]

Views (every day, plain `telemetry.jsonl` and compressed `telemetry.jsonl.gz` alike):

    calls       one row per record, the record's fields flattened with declared types
                (CALLS_COLUMNS); lines that are torn, not JSON or without a readable
                timestamp are left out, as the reports leave them out
    prompts     {id, timestamp, prompt}      when some day has prompts.jsonl(.gz)
    responses   {id, timestamp, response}    when some day has responses.jsonl(.gz)

`timestamp` is a TIMESTAMPTZ: DuckDB shows it, and `timestamp::DATE` cuts days, in the
local time zone (TZ honoured), as the reports do. Cost and latency follow the reports'
rules: a cost that is not a number (or absurdly large) is NULL, so `sum(cost_usd)` is the
reports' known cost; it is a DECIMAL to the 1e-12 dollar, as the reports sum it, so sums are
exact and the same in any order (DuckDB adds DOUBLEs in parallel, in no fixed order). Tokens
missing from a record count 0.

Read-only: the query runs on an in-memory database whose file access is limited to the
store's folder and locked, and only one SELECT (WITH, FROM-first, VALUES, DESCRIBE, SHOW,
SUMMARIZE) or EXPLAIN statement is accepted: anything that writes or changes settings is
refused with SqlRefused before it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llm_core.dayfiles import day_file_parts
from llm_core.errors import ConfigError, InputError, UsageError
from llm_core.records import PROMPTS_FILE, RESPONSES_FILE, TELEMETRY_FILE, day_names

__all__ = [
    "CALLS_COLUMNS", "SqlRefused", "SqlResult", "connect", "query", "require_duckdb", "store_files",
]

EXTRA_HINT = "pip install 'llm-cli-tools-core[sql]'"

# (column, type, meaning): the `calls` view, in this order; documented in the man page.
CALLS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "VARCHAR", "the record's ULID"),
    ("timestamp", "TIMESTAMPTZ", "when the call ended"),
    ("agent_name", "VARCHAR", "the agent"),
    ("operation", "VARCHAR", "the operation"),
    ("provider", "VARCHAR", "anthropic, openai, openrouter, ..."),
    ("model", "VARCHAR", "the model id as recorded"),
    ("session_id", "VARCHAR", "one per process unless set"),
    ("user_id", "VARCHAR", "the OS user unless set"),
    ("duration_ms", "DOUBLE", "latency; NULL when not timed"),
    ("tokens_input", "BIGINT", "input tokens, without cache reads and writes"),
    ("tokens_output", "BIGINT", "output tokens"),
    ("tokens_cache_read", "BIGINT", "tokens read from the prompt cache"),
    ("tokens_cache_write", "BIGINT", "tokens written to the prompt cache"),
    ("tokens_total", "BIGINT", "all of them"),
    ("tokens_reasoning", "BIGINT", "reasoning tokens, when the provider says; else NULL"),
    ("cost_usd", "DECIMAL(38,12)", "what the reports count: the provider's billed cost when it "
     "reported one, else the estimate; NULL when the price is unknown; exact sums"),
    ("success", "BOOLEAN", "false for a failed call"),
    ("prompt_hash", "VARCHAR", "sha256 of the prompt"),
    ("response_hash", "VARCHAR", "sha256 of the response"),
    ("metadata_project", "VARCHAR", "the git top-level folder's (or working directory's) name"),
    ("metadata_git_branch", "VARCHAR", "the branch; NULL when detached or not in git"),
    ("metadata_error", "VARCHAR", "the error of a failed call"),
    ("metadata", "JSON", "the whole metadata object (your own keys: metadata->>'team')"),
    ("stream", "BOOLEAN", "whether the answer was streamed"),
    ("retries", "INTEGER", "retries before the answer"),
    ("request_id", "VARCHAR", "the provider's request id"),
    ("stop_reason", "VARCHAR", "why the model stopped"),
    ("time_to_first_token_ms", "DOUBLE", "streamed calls: time to the first token"),
    ("provider_cost_usd", "DOUBLE", "the cost the provider reported (OpenRouter)"),
    ("estimated_cost_usd", "DECIMAL(38,12)", "the cost llm-core estimated from the registry's prices"),
)

# How each record field is read from the JSON: declared types, so a value of the wrong type
# is NULL instead of a failed query. `success` is JSON: only a JSON false is a failure (as in the
# reports), where a BOOLEAN would read "no" as false.
_READ_COLUMNS = {
    "id": "VARCHAR", "timestamp": "VARCHAR", "agent_name": "VARCHAR", "operation": "VARCHAR",
    "provider": "VARCHAR", "model": "VARCHAR", "session_id": "VARCHAR", "user_id": "VARCHAR",
    "duration_ms": "DOUBLE",
    "tokens": "STRUCT(input BIGINT, output BIGINT, cache_read BIGINT, cache_write BIGINT, "
              "total BIGINT, reasoning BIGINT)",
    "cost_usd": "DOUBLE", "success": "JSON", "prompt_hash": "VARCHAR", "response_hash": "VARCHAR",
    "metadata": "JSON", "stream": "BOOLEAN", "retries": "INTEGER", "request_id": "VARCHAR",
    "stop_reason": "VARCHAR", "time_to_first_token_ms": "DOUBLE", "provider_cost_usd": "DOUBLE",
}

# A timestamp without a zone is UTC (as parse_timestamp reads it), not the session's zone.
_TIMESTAMP = ("CASE WHEN regexp_matches(\"timestamp\", '([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$') "
              "THEN try_cast(\"timestamp\" AS TIMESTAMPTZ) "
              "ELSE timezone('UTC', try_cast(\"timestamp\" AS TIMESTAMP)) END")
_LIMIT = "1e15"  # the reports' bound: larger costs and latencies are damage, not data


def _tokens(field: str) -> str:
    """A token count as the reports read it: 0 when missing or negative. (A count beyond 64
    bits, which the reports sum exactly, is NULL as a BIGINT, so 0 here too.)"""
    return f"CASE WHEN {field} >= 0 THEN {field} ELSE 0 END"


def _cost(field: str) -> str:
    return f"CASE WHEN {field} >= 0 AND {field} < {_LIMIT} THEN {field} END"


_CALLS_SELECT = f"""
SELECT id, {_TIMESTAMP} AS "timestamp", agent_name, operation, provider, model, session_id, user_id,
  CASE WHEN duration_ms >= 0 AND duration_ms < {_LIMIT} THEN duration_ms END AS duration_ms,
  {_tokens("tokens.input")} AS tokens_input, {_tokens("tokens.output")} AS tokens_output,
  {_tokens("tokens.cache_read")} AS tokens_cache_read,
  {_tokens("tokens.cache_write")} AS tokens_cache_write,
  CASE WHEN tokens.total IS NULL THEN {_tokens("tokens.input")} + {_tokens("tokens.output")}
    + {_tokens("tokens.cache_read")} + {_tokens("tokens.cache_write")}
    ELSE {_tokens("tokens.total")} END AS tokens_total,
  tokens.reasoning AS tokens_reasoning,
  CAST(coalesce({_cost("provider_cost_usd")}, {_cost("cost_usd")}) AS DECIMAL(38, 12)) AS cost_usd,
  success::VARCHAR IS DISTINCT FROM 'false' AS success, prompt_hash, response_hash,
  metadata->>'$.project' AS metadata_project, metadata->>'$.git_branch' AS metadata_git_branch,
  metadata->>'$.error' AS metadata_error, metadata, stream, retries, request_id, stop_reason,
  time_to_first_token_ms, provider_cost_usd,
  CAST({_cost("cost_usd")} AS DECIMAL(38, 12)) AS estimated_cost_usd
FROM $source
"""

_SIDES = {"prompts": (PROMPTS_FILE, "prompt"), "responses": (RESPONSES_FILE, "response")}

# The statement types a query may have; everything else (INSERT, COPY, ATTACH, SET, PRAGMA,
# CREATE, LOAD, EXPORT, CALL ...) writes or changes the session.
_ALLOWED = ("SELECT", "EXPLAIN")


class SqlRefused(UsageError):
    """A statement the sql command does not run: it would write, or there are several."""


@dataclass
class SqlResult:
    """The answer of a query: column names, their DuckDB types, and the rows."""

    columns: list[str]
    types: list[str]
    rows: list[tuple] = field(default_factory=list)


def require_duckdb() -> Any:
    """The duckdb module, or a ConfigError naming the extra."""
    try:
        import duckdb  # only here: the commands' start-up does not pay for DuckDB
    except ImportError:
        raise ConfigError(f"SQL needs the 'sql' extra (duckdb is not installed): {EXTRA_HINT}") from None
    return duckdb


def store_files(store: Path | str, name: str = TELEMETRY_FILE) -> list[str]:
    """Every day's `name` in the store, plain or gzip-compressed (`name`.gz), oldest day first
    (a plain file that is the leftover of its .gz's compression is not read twice)."""
    store = Path(store)
    return [str(part) for day in day_names(store) for part in day_file_parts(store / day / name)]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_json(files: list[str], columns: dict[str, str]) -> str:
    cols = "{" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in columns.items()) + "}"
    return (f"read_json([{', '.join(_quote(f) for f in files)}], format='newline_delimited', "
            f"columns={cols}, ignore_errors=true)")


def _calls_source(files: list[str]) -> str:
    if files:
        return _read_json(files, _READ_COLUMNS)
    empty = ", ".join(f"NULL::{t} AS \"{k}\"" for k, t in _READ_COLUMNS.items())
    return f"(SELECT {empty} WHERE false)"


def connect(store: Path | str) -> Any:
    """An in-memory DuckDB connection with the store's views, its file access locked to the
    store's folder. Raises ConfigError when duckdb is not installed."""
    duckdb = require_duckdb()
    store = Path(store).resolve()
    con = duckdb.connect(":memory:")
    calls = _CALLS_SELECT.replace("$source", _calls_source(store_files(store)))
    con.execute(f"CREATE VIEW calls AS SELECT * FROM ({calls}) WHERE \"timestamp\" IS NOT NULL")
    for view, (name, text) in _SIDES.items():
        files = store_files(store, name)
        if files:
            source = _read_json(files, {"id": "VARCHAR", "timestamp": "VARCHAR", text: "JSON"})
            con.execute(f"CREATE VIEW {view} AS SELECT id, {_TIMESTAMP} AS \"timestamp\", "
                        f"CASE WHEN json_type({text}) = 'VARCHAR' THEN {text}->>'$' "
                        f"ELSE {text}::VARCHAR END AS {text} FROM {source} WHERE id IS NOT NULL")
    con.execute(f"SET allowed_directories = [{_quote(str(store))}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def _check(con: Any, sql: str) -> Any:
    """The one statement of `sql`, if it only reads; SqlRefused otherwise."""
    duckdb = require_duckdb()
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise InputError(f"bad SQL: {_first_line(e)}") from None
    if len(statements) != 1:
        raise SqlRefused(f"give one SQL statement, not {len(statements)}")
    kind = statements[0].type.name
    if kind not in _ALLOWED:
        raise SqlRefused(f"refused: {kind} statements write or change the session; only queries "
                         "run (SELECT, WITH, DESCRIBE, EXPLAIN ...)")
    return statements[0]


def _first_line(error: BaseException) -> str:
    return " ".join(str(error).split("\n")[0].split())


def query(store: Path | str, sql: str) -> SqlResult:
    """Run one read-only statement over the store's views.

    SqlRefused (exit 2) for a statement that would write or for several statements,
    InputError (exit 3) for SQL DuckDB cannot parse, bind or run, ConfigError (exit 4)
    when the `sql` extra is not installed."""
    duckdb = require_duckdb()
    con = connect(store)
    try:
        statement = _check(con, sql)
        try:
            cursor = con.execute(statement)
            rows = cursor.fetchall()
        except duckdb.Error as e:
            raise InputError(f"SQL: {_first_line(e)}") from None
        description = cursor.description or []
        return SqlResult(columns=[d[0] for d in description], types=[str(d[1]) for d in description],
                         rows=rows)
    finally:
        con.close()
