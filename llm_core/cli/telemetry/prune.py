"""llm-telemetry prune: apply the retention and size cap now."""

from __future__ import annotations

import click

from llm_core.cli._common import debug_option, emit, json_option
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.storage.local import LocalStorage


@click.command(context_settings=CONTEXT)
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@json_option
@debug_option
def prune(dry_run, as_json):
    """Compress the days older than LLM_COMPRESS_AFTER_DAYS (gzip), apply the retention
    (LLM_RETENTION_DAYS) and size cap (LLM_STORAGE_MAX_SIZE_MB, counting compressed bytes) now,
    and say what was removed. Retention removes day folders, and saved conversations whose last
    turn is, that old (a conversation whole, never in part). The cap takes, oldest first, the
    prompt and response copies, then conversations (by last turn), then telemetry. Today's
    telemetry and conversations used today are never removed. A dry run changes nothing.

    \b
    Examples:
      llm-telemetry prune --dry-run
      LLM_RETENTION_DAYS=7 llm-telemetry prune
      LLM_COMPRESS_AFTER_DAYS=2 llm-telemetry prune --json
    """
    result = LocalStorage().prune(dry_run=dry_run)
    emit(result, as_json=as_json, human=render.prune)
