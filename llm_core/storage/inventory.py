"""What a store folder holds: its own files with their sizes, and everything that is not its own.

The store's own entries are drawn in llm_core.records: day folders (YYYY-MM-DD, real folders)
holding telemetry.jsonl / prompts.jsonl / responses.jsonl (and compressed copies, NAME.gz, with
their temp files), `.summaries/DAY.sum`, `conversations/ID.jsonl`, summary.json,
.last-prune, the marker and .gitignore (and the temp files of their atomic writes). Only those
count toward the size cap and are ever removed. Everything else is "foreign" and symbolic links
are "links": both are listed (prune --dry-run, doctor) and left alone. Nothing here follows a
link: sizes come from lstat.

    inv = take_inventory(store)
    inv.days["2026-11-27"]      {"telemetry.jsonl": 81234, ...}
    inv.conversations           {"01KB0Z6N2Y3Q.jsonl": 5120, ...}
    inv.total                   bytes of everything that is the store's
    inv.foreign, inv.links      paths left alone
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from llm_core.records import (
    BUDGET_DIR,
    CONVERSATIONS_DIR,
    DAY_FILES,
    SETTLED_CACHE,
    SUMMARY_DIR,
    is_conversation_name,
    is_day_name,
    is_own_root_name,
)

__all__ = ["Inventory", "day_file_of", "is_summary_name", "take_inventory"]


def day_file_of(name: str) -> str | None:
    """The day file (telemetry.jsonl, prompts.jsonl, responses.jsonl) a file of a day folder
    belongs to: itself, its compressed copy (NAME.gz) or that copy's temp file (.NAME.gz.tmp);
    None for anything else."""
    if name in DAY_FILES:
        return name
    if name.endswith(".gz") and name[:-3] in DAY_FILES:
        return name[:-3]
    if name.startswith(".") and name.endswith(".gz.tmp") and name[1:-7] in DAY_FILES:
        return name[1:-7]
    return None


def is_summary_name(name: str) -> bool:
    """DAY.sum or a month roll-up YYYY-MM.sum, the settled days' cache (storage/store_cache.py),
    or the temp file of an atomic write of one (.DAY.sum.PID.NS.tmp, .settled.cache.PID.NS.tmp)."""
    if name == SETTLED_CACHE or (name.startswith(f".{SETTLED_CACHE}.") and name.endswith(".tmp")):
        return True
    if name.endswith(".sum"):
        return is_day_name(name[:-4]) or (len(name) == 11 and is_day_name(name[:7] + "-01"))
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    return (is_day_name(name[1:11]) and name[11:16] == ".sum.") or (
        is_day_name(name[1:8] + "-01") and name[8:13] == ".sum.")


class Inventory:
    """The store at `base`, sorted (a plain class: a dataclass costs start-up)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.days: dict[str, dict[str, int]] = {}  # day -> {own file: bytes}
        self.summaries: dict[str, int] = {}        # .summaries/ name -> bytes
        self.conversations: dict[str, int] = {}    # conversations/ ID.jsonl -> bytes
        self.root: dict[str, int] = {}             # summary.json, markers ... -> bytes
        self.foreign: list[str] = []               # not the store's: left alone
        self.links: list[str] = []                 # symbolic links: never followed

    @property
    def total(self) -> int:
        return (sum(sum(files.values()) for files in self.days.values())
                + sum(self.summaries.values()) + sum(self.conversations.values()) + sum(self.root.values()))

    def day_bytes(self, day: str) -> int:
        return sum(self.days.get(day, {}).values())

    def left_alone(self) -> list[dict]:
        """[{"path", "why"}] of what prune and the size cap leave alone."""
        return ([{"path": p, "why": "symbolic link"} for p in self.links]
                + [{"path": p, "why": "not the store's"} for p in self.foreign])


def _scan(folder: Path) -> list[tuple[str, os.stat_result | None]]:
    try:
        with os.scandir(folder) as entries:
            out = []
            for e in entries:
                try:
                    out.append((e.name, e.stat(follow_symlinks=False)))
                except OSError:
                    out.append((e.name, None))  # removed meanwhile
            return out
    except (FileNotFoundError, NotADirectoryError):
        return []


def _files(inv: Inventory, folder: Path, own) -> dict[str, int]:
    """{name: bytes} of the regular files in `folder` that `own(name)` accepts; the rest listed."""
    files = {}
    for name, st in _scan(folder):
        if st is None:
            continue
        if stat.S_ISLNK(st.st_mode):
            inv.links.append(str(folder / name))
        elif stat.S_ISREG(st.st_mode) and own(name):
            files[name] = st.st_size
        else:
            inv.foreign.append(str(folder / name))
    return files


def take_inventory(base: Path) -> Inventory:
    """Everything in the store at `base`, sorted into its own files, foreign entries and links."""
    inv = Inventory(base)
    for name, st in sorted(_scan(base)):
        path = base / name
        if st is None:
            continue
        if stat.S_ISLNK(st.st_mode):
            inv.links.append(str(path))
        elif not is_own_root_name(name):
            inv.foreign.append(str(path))
        elif stat.S_ISDIR(st.st_mode) and is_day_name(name):
            inv.days[name] = _files(inv, path, day_file_of)
        elif stat.S_ISDIR(st.st_mode) and name == SUMMARY_DIR:
            inv.summaries = _files(inv, path, is_summary_name)
        elif stat.S_ISDIR(st.st_mode) and name == CONVERSATIONS_DIR:
            inv.conversations = _files(inv, path, is_conversation_name)
        elif stat.S_ISDIR(st.st_mode) and name == BUDGET_DIR:
            continue  # budget state (llm_core/budgets.py): a few hundred bytes, never pruned
        elif stat.S_ISREG(st.st_mode) and name != SUMMARY_DIR and not is_day_name(name):
            inv.root[name] = st.st_size
        else:
            inv.foreign.append(str(path))
    return inv
