"""The llm-telemetry manual sections beyond --help: the JSON keys, the files, the CSV columns.

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
  store           the telemetry directory (null when the report read several)
  stores          the stores read, with --store, --all-under or LLM_TELEMETRY_DIRS only

A group's numbers ("metrics" below) are: calls, successes, failures, error_rate (0..1),
tokens {input, output, cache_read, cache_write, total}, cost_usd (the sum of known costs),
unknown_cost_calls (calls without a known price, not in cost_usd) and avg_ms (null when no
call was timed). Latencies are in milliseconds; percentiles are nearest-rank.

\b
  stats         totals: metrics; latency_ms: {avg, p50, p95, p99};
                top_model: {model, calls} or null
  costs         by; total_cost_usd; calls; unknown_cost_calls;
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
bytes, reason}], freed_bytes, bytes_before, bytes_after, ...). metrics --json writes {store,
samples: [{name, labels, value}]}; push --json writes {gateway, job, store, groups:
[{grouping_key, series}]}.
"""

FILES = """\
\b
  $LLM_TELEMETRY_DIR/YYYY-MM-DD/telemetry.jsonl   the records of one UTC day
  $LLM_TELEMETRY_DIR/.summaries/YYYY-MM-DD.sum    the per-day summaries behind the reports
                                                  (rebuilt when missing: safe to delete)

export --format csv writes these columns: """ + ", ".join(CSV_COLUMNS) + "."
