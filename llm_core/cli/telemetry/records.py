"""llm-telemetry log: the latest records (newest first), or followed as they arrive.
(export, the other command over the records themselves, has its own module.)"""

from __future__ import annotations

import sys

import click

from llm_core.cli._common import (
    FiniteFloatRange,
    days_option,
    debug_option,
    json_option,
    limit_option,
    printable,
)
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.cli.telemetry.options import filter_options, selection, store_dir, warn_skipped
from llm_core.storage.records_iter import follow_records, follow_start, latest_records


def _write_line(line: bytes) -> None:
    sys.stdout.write(line.decode("utf-8", "replace") + "\n")


def _write_record(line: bytes, rec: dict, as_json: bool) -> None:
    """A record as stored (--json) or as one human line."""
    if as_json:
        _write_line(line)
    else:
        sys.stdout.write(printable(render.log_line(rec)) + "\n")


@click.command(context_settings=CONTEXT)
@limit_option(20, "--lines")
@click.option("-f", "--follow", is_flag=True, help="Keep printing new records as they arrive (Ctrl-C stops).")
@click.option("--poll", type=FiniteFloatRange(0.01, 3600), default=0.5, hidden=True)
@days_option
@filter_options
@json_option
@debug_option
def log(limit, follow, poll, days, project, agent, model, provider, since, until, as_json):
    """The latest records, newest first: local time, status, model, agent/operation, tokens,
    cost, latency, project. The status is ok, FAIL, STOP (cancelled by the user) or DENY
    (refused by a budget before sending). With --json, the records themselves as JSON Lines.

    With --follow, the latest N are shown oldest first and new records follow as they are
    written, like tail -f.

    \b
    Examples:
      llm-telemetry log
      llm-telemetry log -n 50 --agent doc-finder
      llm-telemetry log --since 24h -m sonnet
      llm-telemetry log --json -n 1000 | jq -r 'select(.success == false) | .metadata.error'
      llm-telemetry log --follow
    """
    window, filters = selection(project, agent, model, provider, since, until, days)
    store = store_dir()
    bad = [0]
    seen = follow_start(store) if follow else None
    rows = latest_records(store, limit, window, filters, bad, upto=seen)
    warn_skipped(bad[0], store)
    if follow:
        rows.reverse()
    for line, rec in rows:
        _write_record(line, rec, as_json)
    if not rows and not follow and not store.is_dir():
        sys.stderr.write(f"No telemetry recorded yet in {store}.\n")
    if follow:
        sys.stdout.flush()
        for line, rec in follow_records(store, seen, window, filters, poll):
            _write_record(line, rec, as_json)
            sys.stdout.flush()
