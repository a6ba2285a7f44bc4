"""The llm-telemetry commands over records rather than summaries: log, export, prune, demo."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from llm_core.cli import _telemetry_render as render
from llm_core.cli._common import emit, json_option
from llm_core.config import get_settings

_CONTEXT = {"help_option_names": ["-h", "--help"]}

CSV_COLUMNS = (
    "id", "timestamp", "agent_name", "operation", "provider", "model", "project", "git_branch",
    "session_id", "user_id", "duration_ms", "input_tokens", "output_tokens", "cache_read_tokens",
    "cache_write_tokens", "total_tokens", "cost_usd", "success", "error",
)


def _selection(project, agent, model, provider, since, until):
    from llm_core.storage.query import DateError, Filters, Window, range_window

    try:
        window = range_window(since, until, Window())
    except DateError as e:
        raise click.UsageError(str(e)) from None
    return window, Filters(project=project, agent=agent, model=model, provider=provider)


def _write_line(line: bytes) -> None:
    out = sys.stdout
    out.write(line.decode("utf-8", "replace") + "\n")


def register(cli: click.Group, filter_options, now, notes) -> None:
    """Add log, export, prune and demo to the llm-telemetry group."""

    @cli.command(context_settings=_CONTEXT, short_help="The latest records (--follow to keep watching).")
    @click.option("-n", "--lines", "count", type=click.IntRange(min=0), default=20, show_default=True,
                  metavar="N", help="How many of the latest records to show.")
    @click.option("-f", "--follow", is_flag=True, help="Keep printing new records as they arrive (Ctrl-C stops).")
    @click.option("--poll", type=click.FloatRange(min=0.01), default=0.5, hidden=True)
    @filter_options
    @json_option
    def log(count, follow, poll, project, agent, model, provider, since, until, as_json):
        """The latest records, newest first: local time, status, model, agent/operation, tokens,
        cost, latency, project. With --json, the records themselves as JSON Lines.

        With --follow, the latest N are shown oldest first and new records follow as they are
        written, like tail -f.

        \b
        Examples:
          llm-telemetry log
          llm-telemetry log -n 50 --agent doc-finder
          llm-telemetry log --json -n 1000 | jq -r 'select(.success == false) | .metadata.error'
          llm-telemetry log --follow
        """
        from llm_core.storage.query import latest_records

        window, filters = _selection(project, agent, model, provider, since, until)
        store = get_settings().telemetry_dir
        bad = [0]
        seen = _follow_start(store) if follow else None
        rows = latest_records(store, count, window, filters, bad, upto=seen)
        if bad[0]:
            from llm_core.cli._common import warn

            warn(f"skipped {bad[0]} unreadable line{'s' if bad[0] != 1 else ''} (torn, not JSON or without a timestamp) in {store}")
        if follow:
            rows.reverse()
        for line, rec in rows:
            if as_json:
                _write_line(line)
            else:
                sys.stdout.write(render.log_line(rec) + "\n")
        if not rows and not follow and not store.is_dir():
            sys.stderr.write(f"No telemetry recorded yet in {store}.\n")
        if follow:
            _follow(store, seen, window, filters, as_json, poll)

    @cli.command(context_settings=_CONTEXT, short_help="The records as CSV or JSONL on stdout.")
    @click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "otlp"]), default="jsonl", show_default=True,
                  help="csv (one row per call, the columns listed in FILES), jsonl (the records as stored) "
                       "or otlp (each call as a span and GenAI metrics to OTEL_EXPORTER_OTLP_ENDPOINT).")
    @filter_options
    def export(fmt, project, agent, model, provider, since, until):
        """Write the selected records to stdout, oldest first, for spreadsheets and other tools.

        \b
        Examples:
          llm-telemetry export --format csv --since 2026-11-01 > november.csv
          OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 llm-telemetry export --format otlp --since 2026-11-01
          llm-telemetry export --project spacewalker | duckdb -c "select model, sum(cost_usd) from read_json('/dev/stdin') group by 1"
        """
        from llm_core.storage.query import iter_records

        window, filters = _selection(project, agent, model, provider, since, until)
        store = get_settings().telemetry_dir
        bad = [0]
        if fmt == "otlp":
            from llm_core.cli.telemetry_metrics import export_otlp

            export_otlp(iter_records(store, window, filters, bad), None)
        elif fmt == "jsonl":
            for line, _rec in iter_records(store, window, filters, bad):
                _write_line(line)
        else:
            import csv

            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for _line, rec in iter_records(store, window, filters, bad):
                writer.writerow(_csv_row(rec))
        if bad[0]:
            from llm_core.cli._common import warn

            warn(f"skipped {bad[0]} unreadable line{'s' if bad[0] != 1 else ''} (torn, not JSON or without a timestamp) in {store}")

    @cli.command(context_settings=_CONTEXT, short_help="Apply the retention and size cap now.")
    @click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
    @json_option
    def prune(dry_run, as_json):
        """Apply the retention (LLM_RETENTION_DAYS) and size cap (LLM_STORAGE_MAX_SIZE_MB) now,
        and say what was removed. Today's telemetry is never removed.

        \b
        Examples:
          llm-telemetry prune --dry-run
          LLM_RETENTION_DAYS=7 llm-telemetry prune
        """
        from llm_core.storage.local import LocalStorage

        result = LocalStorage(get_settings().telemetry_dir).prune(dry_run=dry_run)
        emit(result, as_json=as_json, human=render.prune)

    @cli.command(context_settings=_CONTEXT, short_help="Write a realistic demo store (no key needed).")
    @click.option("--days", type=click.IntRange(min=1, max=3660), default=30, show_default=True, metavar="N",
                  help="Spread the records over the last N days.")
    @click.option("--calls", type=click.IntRange(min=1), default=10_000, show_default=True, metavar="N",
                  help="How many records to write.")
    @click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same records.")
    @click.option("--force", is_flag=True, help="Add the demo records even though the store already has data.")
    @json_option
    def demo(days, calls, seed, force, as_json):
        """Fill the telemetry store with realistic made-up calls, to try the reports without a key.

        Several models (one without a known price), agents and operations, projects, a daily
        rhythm, long-tailed latencies and a few failures. Refuses a store that already holds
        telemetry unless --force, so demo data is never mixed into real data by accident; point
        LLM_TELEMETRY_DIR somewhere else to keep them apart.

        \b
        Examples:
          export LLM_TELEMETRY_DIR=/tmp/llm-demo
          llm-telemetry demo --days 30 --calls 20000
          llm-telemetry costs --by agent
        """
        from llm_core.storage.day_summaries import day_files
        from llm_core.storage.demo import write_demo

        store = get_settings().telemetry_dir
        if day_files(store) and not force:
            raise click.UsageError(
                f"{store} already holds telemetry; use --force to add demo records to it, "
                "or point LLM_TELEMETRY_DIR at an empty folder")
        started = time.perf_counter()
        info = write_demo(Path(store), days, calls, seed, now())
        info.update(store=str(store), seconds=round(time.perf_counter() - started, 3))
        emit(info, as_json=as_json, human=lambda i: (
            f"Wrote {i['records']:,} demo records ({i['days']} day files, {i['bytes'] / 1e6:.1f} MB) to {i['store']}\n"
            "Try: llm-telemetry stats week; llm-telemetry costs --by agent; llm-telemetry patterns"))


def _csv_row(rec: dict) -> list:
    tokens = rec.get("tokens") if isinstance(rec.get("tokens"), dict) else {}
    meta = rec.get("metadata") if isinstance(rec.get("metadata"), dict) else {}

    def cell(value):
        return "" if value is None else value

    return [
        cell(rec.get("id")), cell(rec.get("timestamp")), cell(rec.get("agent_name")), cell(rec.get("operation")),
        cell(rec.get("provider")), cell(rec.get("model")), cell(meta.get("project")), cell(meta.get("git_branch")),
        cell(rec.get("session_id")), cell(rec.get("user_id")), cell(rec.get("duration_ms")),
        cell(tokens.get("input")), cell(tokens.get("output")), cell(tokens.get("cache_read")),
        cell(tokens.get("cache_write")), cell(tokens.get("total")), cell(rec.get("cost_usd")),
        "true" if rec.get("success") is not False else "false", cell(meta.get("error")),
    ]


def _follow_start(store: Path) -> dict[Path, int]:
    """Where following starts: the end of the last complete line of the newest day file."""
    from llm_core.storage.day_summaries import day_files

    files = day_files(store)
    if not files:
        return {}
    path = files[-1][1]
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - (1 << 16)))
        tail = f.read()
    cut = tail.rfind(b"\n")
    return {path: size - len(tail) + cut + 1 if cut >= 0 else 0}


def _follow(store: Path, seen: dict[Path, int], window, filters, as_json: bool, poll: float) -> None:
    """Print records appended after `seen`, from the newest day file and any that appear later."""
    from llm_core.storage.day_summaries import day_files
    from llm_core.storage.query import _select

    positions = dict(seen)
    newest = max((p.parent.name for p in positions), default="")
    sys.stdout.flush()
    while True:
        time.sleep(poll)
        for day, path in day_files(store):
            if day < newest:
                continue
            pos = positions.get(path, 0)
            try:
                with open(path, "rb") as f:
                    f.seek(pos)
                    data = f.read()
            except FileNotFoundError:
                continue
            end = data.rfind(b"\n") + 1
            if not end:
                continue
            positions[path] = pos + end
            newest = max(newest, day)
            for line, rec in _select(data[:end].split(b"\n")[:-1], window, filters, None):
                if as_json:
                    _write_line(line)
                else:
                    sys.stdout.write(render.log_line(rec) + "\n")
            sys.stdout.flush()


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
