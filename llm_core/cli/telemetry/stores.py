"""Which stores a report reads: --store DIR (repeated), --all-under DIR, LLM_TELEMETRY_DIRS.
Without any of them a report reads LLM_TELEMETRY_DIR, as it always has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from llm_core.cli._common import warn
from llm_core.config import Settings
from llm_core.storage.collect import Collection
from llm_core.storage.multi import collect_many, resolve_stores
from llm_core.storage.store_cache import collect_store
from llm_core.storage.windows import Filters, Window

_DIR = click.Path(file_okay=False, path_type=Path)


def store_options(f: Callable) -> Callable:
    """--store DIR and --all-under DIR, both repeatable."""
    f = click.option("--all-under", "all_under", multiple=True, type=_DIR, metavar="DIR",
                     help="Every store found below DIR (repeatable).")(f)
    f = click.option("--store", "stores", multiple=True, type=_DIR, metavar="DIR",
                     help="Report over this store (repeatable; default LLM_TELEMETRY_DIRS, "
                          "else LLM_TELEMETRY_DIR).")(f)
    return f


def collect_stores(settings: Settings, stores: tuple[Path, ...], all_under: tuple[Path, ...],
                   window: Window, filters: Filters, need_slots: bool, need_latencies: bool,
                   default: Callable[[], Path]) -> tuple[str, Collection, list[str] | None]:
    """(what was read, for the notes; the Collection; the stores read, or None when only
    `default()`, the command's usual store, was). A store that is missing, unreadable or
    not a store is one warning."""
    chosen = resolve_stores(stores, all_under, settings.telemetry_dirs)
    if not chosen:
        if all_under:
            where = ", ".join(map(str, all_under))
            warn(f"no telemetry store found under {where}")
            return where, Collection(), []
        store = default()
        return str(store), collect_store(store, window, filters, need_slots, need_latencies), None
    col, problems = collect_many(chosen, window, filters, need_slots, need_latencies, settings.cache_dir)
    for problem in problems:
        warn(problem)
    return ", ".join(map(str, chosen)), col, [str(s) for s in chosen]
