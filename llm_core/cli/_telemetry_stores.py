"""The llm-telemetry reports over several stores: --store DIR (repeated), --all-under DIR,
LLM_TELEMETRY_DIRS. Without any of them a report reads LLM_TELEMETRY_DIR, as before."""

from __future__ import annotations

from pathlib import Path

import click

from llm_core.cli._common import warn

_DIR = click.Path(file_okay=False, path_type=Path)


def store_options(f):
    f = click.option("--all-under", "all_under", multiple=True, type=_DIR, metavar="DIR",
                     help="Every store found below DIR (repeatable).")(f)
    f = click.option("--store", "stores", multiple=True, type=_DIR, metavar="DIR",
                     help="Report over this store (repeatable; default LLM_TELEMETRY_DIRS, "
                          "else LLM_TELEMETRY_DIR).")(f)
    return f


def collect_reports(settings, stores, all_under, window, filters, need_slots: bool):
    """(label of what was read, the Collection, the list of stores or None for the default)."""
    from llm_core.storage.multi import collect_many, resolve_stores  # reports only: not at start-up

    chosen = resolve_stores(stores, all_under, settings.telemetry_dirs)
    if not chosen:
        if all_under:
            warn(f"no telemetry store found under {', '.join(map(str, all_under))}")
            return ", ".join(map(str, all_under)), collect_many([], window)[0], []
        from llm_core.storage.query import collect  # reports only: not at start-up

        store = settings.telemetry_dir
        return str(store), collect(store, window, filters, need_slots=need_slots), None
    col, problems = collect_many(chosen, window, filters, need_slots=need_slots)
    for problem in problems:
        warn(problem)
    return ", ".join(map(str, chosen)), col, [str(s) for s in chosen]
