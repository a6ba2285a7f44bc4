"""A store's health: what `llm-telemetry doctor` checks, and what `--fix` may repair.

    report = examine(location, settings)          # {"store", "state", "checks": [...], "problems": n}
    report = examine(location, settings, fix=True)

Each check is {"name", "status", "detail", "paths"}: status "ok", "note" (worth knowing, nothing
to do) or "problem" (needs a hand), or "fixed" (it was a problem, --fix repaired it). The checks:

    store       the folder is a store: marked, adoptable (--fix marks it), missing, or foreign
    modes       folders 0700, files 0600                         (--fix sets them)
    links       symbolic links in the store (never followed; remove them by hand)
    foreign     files and folders that are not the store's (left alone; move them out)
    lines       unreadable lines per day and conversation (torn, not JSON, or telemetry without a
                timestamp; readers skip them)
    summaries   .summaries/DAY.sum current for every day          (--fix rebuilds stale or
                damaged ones, drops those of days that are gone)
    size        the store's own bytes (conversations too) against LLM_STORAGE_MAX_SIZE_MB

Only safe repairs are made: modes, derived summaries, the marker. Data, links and foreign
files are never changed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import orjson

from llm_core.dayfiles import GZ_SUFFIX, day_file_stat
from llm_core.records import (
    CONVERSATIONS_DIR,
    DAY_FILES,
    DIR_MODE,
    FILE_MODE,
    STORE_MARKER,
    SUMMARY_DIR,
    TELEMETRY_FILE,
    is_day_name,
    parse_timestamp,
)
from llm_core.storage._files import CLOEXEC, NOFOLLOW
from llm_core.storage.day_summaries import day_summary, is_current, read_summary, summary_path
from llm_core.storage.inventory import Inventory, take_inventory
from llm_core.storage.location import Location, inspect, open_store

__all__ = ["examine"]

_SHOWN = 10  # paths listed per check


def _check(name: str, status: str, detail: str, paths: list[str] | None = None) -> dict:
    return {"name": name, "status": status, "detail": detail, "paths": (paths or [])[:_SHOWN]}


def _own_paths(inv: Inventory) -> list[tuple[Path, int]]:
    """(path, wanted mode) of every folder and file that is the store's."""
    base = inv.base
    out: list[tuple[Path, int]] = [(base, DIR_MODE)]
    out += [(base / name, FILE_MODE) for name in inv.root]
    for day, files in inv.days.items():
        out.append((base / day, DIR_MODE))
        out += [(base / day / name, FILE_MODE) for name in files]
    for folder, files in ((SUMMARY_DIR, inv.summaries), (CONVERSATIONS_DIR, inv.conversations)):
        if (base / folder).is_dir() and not (base / folder).is_symlink():
            out.append((base / folder, DIR_MODE))
            out += [(base / folder / name, FILE_MODE) for name in files]
    return out


def _modes(inv: Inventory, fix: bool) -> dict:
    wrong = []
    for path, want in _own_paths(inv):
        with contextlib.suppress(OSError):
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) != want:
                wrong.append((path, want))
    if not wrong:
        return _check("modes", "ok", "folders 0700, files 0600")
    paths = [f"{p} ({oct(stat.S_IMODE(os.lstat(p).st_mode))[2:]})" for p, _ in wrong]
    if fix:
        for path, want in wrong:
            os.chmod(path, want)
        return _check("modes", "fixed", f"set {len(wrong)} to 0700/0600", paths)
    return _check("modes", "problem", f"{len(wrong)} not 0700 (folders) / 0600 (files); --fix sets them", paths)


def _bad_lines(inv: Inventory) -> dict:
    per_day = {}
    for day, files in inv.days.items():
        for name in files:
            if name not in DAY_FILES:
                continue  # a compressed copy or a temp file: not lines
            bad = _count_bad(inv.base / day / name, timed=name == TELEMETRY_FILE)
            if bad:
                per_day[f"{day}/{name}"] = bad
    for name in inv.conversations:
        bad = _count_bad(inv.base / CONVERSATIONS_DIR / name)
        if bad:
            per_day[f"{CONVERSATIONS_DIR}/{name}"] = bad
    if not per_day:
        return _check("lines", "ok", "every line readable")
    total = sum(per_day.values())
    return _check("lines", "note", f"{total} unreadable line{'s' if total != 1 else ''} (torn, not JSON or"
                  " without a timestamp; skipped when read)", [f"{where}: {n}" for where, n in per_day.items()])


def _count_bad(path: Path, timed: bool = False) -> int:
    """The lines the readers skip: not a JSON object, or (`timed`: telemetry) one without a
    readable timestamp; and a torn last line (no newline), which the readers leave for later."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | CLOEXEC)
    except OSError:
        return 0
    with os.fdopen(fd, "rb") as f:
        bad = 0
        for line in f:
            if line.strip():
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    bad += 1
                    continue
                bad += not isinstance(obj, dict) or (timed and parse_timestamp(obj.get("timestamp")) is None)
        return bad


def _has_telemetry(files: dict) -> bool:
    """The day has telemetry, plain or compressed (storage/compress.py)."""
    return TELEMETRY_FILE in files or TELEMETRY_FILE + GZ_SUFFIX in files


def _summaries(inv: Inventory, fix: bool) -> dict:
    stale, damaged, orphans = [], [], []
    for day, files in inv.days.items():
        if not _has_telemetry(files):
            continue
        spath = summary_path(inv.base, day)
        if not spath.exists():
            continue  # built by the first report that needs it
        summary = read_summary(spath)
        if summary is None:
            damaged.append(day)
        else:
            with contextlib.suppress(OSError):
                if not is_current(summary, day_file_stat(inv.base / day / TELEMETRY_FILE)):
                    stale.append(day)
    months = {day[:7] for day, files in inv.days.items() if _has_telemetry(files)}
    for name in inv.summaries:
        if len(name) == 11 and name.endswith(".sum"):  # a month roll-up (storage/month_summaries.py)
            if name[:7] not in months:
                orphans.append(name[:-4])
        elif name.endswith(".sum") and not _has_telemetry(inv.days.get(name[:-4], {})):
            orphans.append(name[:-4])
    if not (stale or damaged or orphans):
        days = [n for n in inv.summaries if is_day_name(n[:-4]) and n.endswith(".sum")]
        return _check("summaries", "ok", f"{len(days)} current")  # not roll-ups, not the cache
    paths = [f"{d} (stale)" for d in stale] + [f"{d} (damaged)" for d in damaged] + [f"{d} (day gone)" for d in orphans]
    detail = f"{len(stale)} stale, {len(damaged)} damaged, {len(orphans)} of days that are gone"
    if not fix:
        return _check("summaries", "problem", detail + "; --fix rebuilds them", paths)
    for day in damaged:
        summary_path(inv.base, day).unlink(missing_ok=True)  # rebuilt whole, never extended
    for day in stale + damaged:
        day_summary(inv.base, day)
    for day in orphans:
        summary_path(inv.base, day).unlink(missing_ok=True)
    return _check("summaries", "fixed", detail + ": rebuilt or dropped", paths)


def _store_check(location: Location, fix: bool) -> tuple[dict, str]:
    state = inspect(location.path)
    if state.state == "marked":
        return _check("store", "ok", f"marked as a store ({STORE_MARKER})"), "marked"
    if state.state == "missing":
        return _check("store", "note", "no store yet: the first recorded call creates it"), "missing"
    if state.state == "adoptable":
        if fix:
            open_store(location.path)
            return _check("store", "fixed", f"a store without its marker: marked ({STORE_MARKER})"), "marked"
        return _check("store", "problem", f"a store without its marker ({STORE_MARKER}); the next write"
                      " or --fix marks it"), "adoptable"
    return _check("store", "problem", f"not a telemetry store: other files and no {STORE_MARKER}",
                  [str(location.path / n) for n in state.foreign]), "foreign"


def examine(location: Location, settings, fix: bool = False) -> dict:
    """Check the store at `location` (and with `fix`, repair what is safe); see the module doc."""
    base = location.path
    first, state = _store_check(location, fix)
    report = {"store": str(base), "reason": location.reason, "detail": location.detail,
              "state": state, "checks": [first]}
    if state in ("marked", "adoptable"):
        inv = take_inventory(base)
        checks = report["checks"]
        checks.append(_modes(inv, fix))
        checks.append(_check("links", "problem", f"{len(inv.links)} symbolic link{'s' if len(inv.links) != 1 else ''}"
                             " (never followed; remove them by hand)", inv.links) if inv.links
                      else _check("links", "ok", "none"))
        checks.append(_check("foreign", "problem", f"{len(inv.foreign)} not the store's (left alone;"
                             " move them out)", inv.foreign) if inv.foreign else _check("foreign", "ok", "none"))
        checks.append(_bad_lines(inv))
        checks.append(_summaries(inv, fix))
        cap = int(settings.max_size_mb * 1024 * 1024)
        n = len(inv.conversations)
        size = (f"{inv.total / 1e6:.1f} MB of {settings.max_size_mb:g} MB (LLM_STORAGE_MAX_SIZE_MB), {len(inv.days)} days"
                + (f", {n} conversation{'s' if n != 1 else ''}" if n else ""))
        checks.append(_check("size", "note" if inv.total > cap else "ok",
                             size + ("; the next prune brings it under" if inv.total > cap else "")))
    report["problems"] = sum(c["status"] == "problem" for c in report["checks"])
    report["fixed"] = sum(c["status"] == "fixed" for c in report["checks"])
    return report
