"""llm-telemetry doctor: check the store, and with --fix repair what is safe."""

from __future__ import annotations

import click

from llm_core.cli._common import debug_option, emit, json_option
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.config import get_settings
from llm_core.errors import ConfigError, ExitStatus
from llm_core.storage.doctor import examine
from llm_core.storage.location import find_store


@click.command(context_settings=CONTEXT)
@click.option("--fix", is_flag=True, help="Repair what is safe: modes, stale or damaged summaries, the marker.")
@json_option
@debug_option
def doctor(fix, as_json):
    """Check the telemetry store: that it is one (its marker), modes (0700/0600), symbolic
    links, files that are not the store's, unreadable lines per day and conversation, the
    report summaries, and its size against LLM_STORAGE_MAX_SIZE_MB.

    Each check is ok, note (worth knowing), problem (needs a hand) or fixed. --fix repairs
    only what is safe: modes, summaries (rebuilt from the day files) and a missing marker;
    records, links and foreign files are never changed: remove or move those by hand.

    Exit status: 0 when nothing needs a hand, 3 when a problem remains, 4 when the folder is
    not a telemetry store.

    \b
    Examples:
      llm-telemetry doctor
      llm-telemetry doctor --fix
      llm-telemetry doctor --json | jq '.checks[] | select(.status == "problem")'
    """
    report = examine(find_store(get_settings().telemetry_dir), get_settings(), fix=fix)
    emit(report, as_json=as_json, human=render.doctor)
    if report["state"] == "foreign":
        raise ConfigError(f"{report['store']} is not a telemetry store; point LLM_TELEMETRY_DIR at a new or empty folder")
    return ExitStatus.INPUT if report["problems"] else ExitStatus.OK
