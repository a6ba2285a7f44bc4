"""llm-telemetry demo: fill a store with realistic made-up calls, to try the reports."""

from __future__ import annotations

import time
from pathlib import Path

import click

from llm_core.cli._common import MAX_LIMIT, debug_option, emit, json_option
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.cli.telemetry.options import now, store_dir
from llm_core.storage.day_summaries import day_files
from llm_core.storage.demo import write_demo


@click.command(context_settings=CONTEXT)
@click.option("--days", type=click.IntRange(min=1, max=3660), default=30, show_default=True, metavar="N",
              help="Spread the records over the last N days (1 to 3660).")
@click.option("--calls", type=click.IntRange(1, 10 * MAX_LIMIT), default=10_000, show_default=True, metavar="N",
              help=f"How many records to write (1 to {10 * MAX_LIMIT:,}).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=1, show_default=True, metavar="N",
              help="The same seed writes the same records (0 to 2**63-1).")
@click.option("--force", is_flag=True, help="Add the demo records even though the store already has data.")
@json_option
@debug_option
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
    store = store_dir()
    if day_files(store) and not force:
        raise click.UsageError(
            f"{store} already holds telemetry; use --force to add demo records to it, "
            "or point LLM_TELEMETRY_DIR at an empty folder")
    started = time.perf_counter()
    info = write_demo(Path(store), days, calls, seed, now())
    info.update(store=str(store), seconds=round(time.perf_counter() - started, 3))
    emit(info, as_json=as_json, human=render.demo)
