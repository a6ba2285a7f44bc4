"""llm-telemetry where: which store a command would use here, and why."""

from __future__ import annotations

import click

from llm_core.cli._common import debug_option, emit, json_option
from llm_core.cli.telemetry import CONTEXT, render
from llm_core.config import get_settings
from llm_core.errors import ConfigError, ExitStatus
from llm_core.storage.location import find_store, inspect


def where_info() -> dict:
    """{store, reason, detail, state, setting}: the store commands run here use (storage/location.py)."""
    settings = get_settings()
    location = find_store(settings.telemetry_dir)
    return {"store": str(location.path), "reason": location.reason, "detail": location.detail,
            "state": inspect(location.path).state, "setting": str(settings.telemetry_dir)}


@click.command(context_settings=CONTEXT)
@json_option
@debug_option
def where(as_json):
    """Print the store every llm-core command run here would use, and why.

    A relative LLM_TELEMETRY_DIR (the default .llm-telemetry) is found the way git finds .git:
    the nearest folder from here up to the top of the git work tree that already holds a store,
    else that top, else (outside a git work tree) the working directory. An absolute one is
    used as it is. state is marked (a store), adoptable (a store from before the marker, or an
    empty folder), missing (the first call creates it) or foreign (not a store: refused, exit 4).

    \b
    Examples:
      llm-telemetry where
      cd src/deep && llm-telemetry where --json | jq -r .store
    """
    info = where_info()
    emit(info, as_json=as_json, human=render.where)
    if info["state"] == "foreign":
        raise ConfigError(f"{info['store']} is not a telemetry store (LLM_TELEMETRY_DIR={info['setting']})")
    return ExitStatus.OK
