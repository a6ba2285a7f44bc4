"""The llm-telemetry manual sections beyond --help: the JSON keys, the files, the CSV columns,
the SQL views.

Plain strings only, so the group can hand them to the man page generator without importing
a subcommand.
"""

CSV_COLUMNS = (
    "id", "timestamp", "agent_name", "operation", "provider", "model", "project", "git_branch",
    "session_id", "user_id", "duration_ms", "input_tokens", "output_tokens", "cache_read_tokens",
    "cache_write_tokens", "total_tokens", "cost_usd", "success", "error",
)

JSON_OUTPUT = """\
Every report with --json writes one JSON object. All reports share these keys:

\b
  report          "stats", "costs", "models", "agents", "projects", "performance" or "patterns"
  window          {"label", "since", "until"}: the local-time window, since inclusive and until
                  exclusive as ISO 8601 with offset; null when unbounded
  filters         {"project", "agent", "model", "provider"}: null when not filtered
  corrupt_lines   unreadable lines skipped in the store
  invalid_values  calls carrying a negative, non-numeric or implausible token count, cost
                  (1e15 USD or more) or latency: those values are in no sum (a bad cost
                  counts the call as unknown_cost_calls); also per group, and a note under
                  the table
  store           the telemetry directory (null when the report read several)
  stores          the stores read, with --store, --all-under or LLM_TELEMETRY_DIRS only
  retention       {"days", "kept_since", "reaches_past", "note"}: LLM_RETENTION_DAYS, the
                  oldest UTC day it keeps, whether the window starts before it, and then the
                  note printed under the table (else null)

A group's numbers ("metrics" below) are: calls, successes, failures, cancelled (stopped by
the user: Ctrl-C, SIGTERM, a closed stdout; neither a success nor a failure), blocked
(refused by a budget before sending, status "blocked": never reached a provider, not a
failure, no latency), error_rate (failures / (calls - cancelled - blocked), 0..1),
tokens {input, output, cache_read, cache_write, total}, cost_usd (the sum of known costs:
a record's provider_cost_usd, the amount the provider billed (OpenRouter), when it has one,
else llm-core's estimate cost_usd), unknown_cost_calls (calls without a known price, not in
cost_usd), cost_source {billed: {calls, usd}, estimated: {calls, usd}, unknown: {calls}},
invalid_values and avg_ms (null when no call was timed). Token counts are exact integers of
any size. Latencies are in milliseconds; percentiles are nearest-rank.

\b
  stats         totals: metrics; latency_ms: {avg, p50, p95, p99};
                top_model: {model, calls} or null
  costs         by; total_cost_usd; calls; unknown_cost_calls; cost_source;
                breakdown: [{key, cost_usd, share (0..1), calls, unknown_cost_calls}]
                (largest cost first; by day: oldest local date first, key YYYY-MM-DD)
  models        calls; models: [{model, provider, share (of calls), ...metrics}]
  agents        agents: [{agent, operation, ...metrics}]
  projects      projects: [{project, ...metrics}]
  performance   overall: {calls, timed_calls, avg, p50, p95, p99};
                by_model: [{model, calls, timed_calls, avg, p50, p95, p99}];
                slowest_operations: [{agent, operation, calls, avg_ms}]
  patterns      calls; by_hour: [24 counts, local hours 0..23];
                by_weekday: [{weekday, calls}] Monday first; peak_hours: [up to 3 hours];
                busiest_weekday; top_operations: [{agent, operation, calls}]

Lists are ordered largest first (by calls; costs by cost), ties by name. A missing project,
agent, operation, model or provider is null. log --json and export --format jsonl write the
records as stored, one per line; demo --json writes {records, days, bytes, store, seconds};
prune --json writes what LocalStorage.prune returns (dry_run, removed: [{path, day, kind,
bytes, reason}] (kind "folder", "prompts", "responses", "telemetry" or "conversation", which
also has its id; a conversation's day is its last turn's), compressed: [{path, day, bytes_before, bytes_after}], left_alone: [{path,
why}], freed_bytes, bytes_before, bytes_after, ...);
where --json writes {store, reason ("absolute", "existing", "git-top" or "cwd"), detail, state
("marked", "adoptable", "missing" or "foreign"), setting}; doctor --json writes {store, reason,
detail, state, checks: [{name, status ("ok", "note", "problem" or "fixed"), detail, paths}],
problems, fixed}. sql --json writes an array with one object per row, keyed by column name
(times as ISO 8601 with offset). metrics --json writes {store, samples: [{name, labels,
value}]}; push --json writes {gateway, job, store, groups: [{grouping_key, series}]}.

report --json writes the data behind the HTML page, with the shared keys (report is
"report") and generated_at (the local time it was made):

\b
  stats             totals, latency_ms, top_model, as stats writes them
  days              [{day, calls, cost_usd, cost_avg_usd, unknown_cost_calls, tokens}]: every
                    local day of the window, oldest first, days without calls as zeros;
                    cost_avg_usd is the mean of the day and the average_days - 1 before it
                    (fewer at the start of the window)
  average_days      7
  costs_by_model    costs --by model without the shared keys (and so for agent, project)
  models            the models list of the models report, every model
  performance       overall, by_model, slowest_operations, as performance writes them
  patterns          calls, by_hour, by_weekday, peak_hours, busiest_weekday, top_operations
  heatmap           {weekdays: [Monday..Sunday], calls: [7 lists of 24 counts, local hours]}

The HTML page's tables carry the same numbers in data attributes named after these keys
(cost_usd as data-cost-usd).
"""

FILES = """\
\b
  $LLM_TELEMETRY_DIR/YYYY-MM-DD/telemetry.jsonl   the records of one UTC day
  $LLM_TELEMETRY_DIR/YYYY-MM-DD/telemetry.jsonl.gz the same, compressed once the day is
                                                  older than LLM_COMPRESS_AFTER_DAYS (7)
  $LLM_TELEMETRY_DIR/.summaries/YYYY-MM-DD.sum    the per-day summaries behind the reports
                                                  (rebuilt when missing: safe to delete)
  $LLM_TELEMETRY_DIR/.summaries/YYYY-MM.sum       a closed month's day summaries merged: a
                                                  year report reads 12 files, not 365
  $LLM_TELEMETRY_DIR/.summaries/settled.cache     the days a report held whole, merged: one
                                                  file per store to read (safe to delete)
  $XDG_CACHE_HOME/llm-core/stores/KEY.cache       what a report without filters over several
                                                  stores read, one file per set of stores:
                                                  checked against every day file (safe to delete)
  $LLM_TELEMETRY_DIR/.llm-core-store              the marker: this folder is a store (a folder
                                                  with other files and no marker is refused)
  $LLM_TELEMETRY_DIR/.gitignore                   "*": a store inside a repository is never
                                                  committed

Everything the store creates is 0700 (folders) or 0600 (files). A relative LLM_TELEMETRY_DIR
(the default .llm-telemetry) is found like git finds .git: the nearest folder up to the top of
the git work tree that holds a store, else that top, else the working directory (see where).

export --format csv writes these columns: """ + ", ".join(CSV_COLUMNS) + """. So do xlsx (sheet
"calls", timestamps as UTC date-times), sqlite (table "calls", id the primary key, indexes on
timestamp, model and project) and parquet (timestamp a UTC TIMESTAMPTZ). The xlsx sheet
"daily" has day (local), calls, failures, input_tokens, output_tokens, cache_read_tokens,
cache_write_tokens, total_tokens, cost_usd, unknown_cost_calls. Exported files are 0600."""

# The columns of llm_core.storage.sql.CALLS_COLUMNS, as text (tests/test_telemetry_sql_cli.py
# checks they agree), so the group need not import the storage layer to build its man page.
SQL = """\
llm-telemetry sql runs one query (DuckDB's SQL) over these views of every day of the store,
plain or compressed. Lines that are torn, not JSON or without a readable timestamp are left
out, as the reports leave them out; a value of the wrong type reads as NULL.

\b
  calls       one row per recorded call:
    id                      VARCHAR        the record's ULID
    timestamp               TIMESTAMPTZ    when the call ended
    agent_name              VARCHAR        the agent
    operation               VARCHAR        the operation
    provider                VARCHAR        anthropic, openai, openrouter, ...
    model                   VARCHAR        the model id as recorded
    session_id              VARCHAR        one per process unless set
    user_id                 VARCHAR        the OS user unless set
    duration_ms             DOUBLE         latency; NULL when not timed
    tokens_input            BIGINT         input tokens, without cache reads and writes
    tokens_output           BIGINT         output tokens
    tokens_cache_read       BIGINT         tokens read from the prompt cache
    tokens_cache_write      BIGINT         tokens written to the prompt cache
    tokens_total            BIGINT         all of them
                                           (a negative count is damage: 0, as in the reports;
                                           one beyond 64 bits, which they sum, is 0 here)
    tokens_reasoning        BIGINT         reasoning tokens, when the provider says; else NULL
    cost_usd                DECIMAL(38,12) what the reports count: the provider's billed cost when
                                           it reported one, else llm-core's estimate; NULL when
                                           the price is unknown; exact sums
    success                 BOOLEAN        false for a failed call
    prompt_hash             VARCHAR        sha256 of the prompt
    response_hash           VARCHAR        sha256 of the response
    metadata_project        VARCHAR        the git top-level folder's (or working directory's) name
    metadata_git_branch     VARCHAR        the branch; NULL when detached or not in git
    metadata_error          VARCHAR        the error of a failed call
    metadata                JSON           the whole metadata object (your own keys: metadata->>'team')
    stream                  BOOLEAN        whether the answer was streamed
    retries                 INTEGER        retries before the answer
    request_id              VARCHAR        the provider's request id
    stop_reason             VARCHAR        why the model stopped
    time_to_first_token_ms  DOUBLE         streamed calls: time to the first token
    provider_cost_usd       DOUBLE         the cost the provider reported (OpenRouter)
    estimated_cost_usd      DECIMAL(38,12) the cost llm-core estimated from the registry's prices
  prompts     id, timestamp, prompt      when LLM_STORE_PROMPTS stored some
  responses   id, timestamp, response    when LLM_STORE_RESPONSES stored some

Only one query runs (SELECT, WITH, FROM-first, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), on
an in-memory database that can read nothing but the store: statements that write or change
the session (INSERT, COPY, ATTACH, SET, PRAGMA, CREATE, INSTALL, ...) are refused, exit 2.
DuckDB's own errors (syntax, an unknown column) exit 3; without the 'sql' extra, exit 4.
"""
