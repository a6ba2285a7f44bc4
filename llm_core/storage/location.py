"""Which folder is the store, and whether a folder may be used as one.

LLM_TELEMETRY_DIR, when absolute, is the store. When relative (the default `.llm-telemetry`)
it is found the way git finds `.git`: walking up from the working directory, the nearest
folder F where F/LLM_TELEMETRY_DIR already is a store; the walk stops at the top of the git
work tree (the first folder holding `.git`), whose F/LLM_TELEMETRY_DIR is then the store; outside
a git work tree the working directory's. git itself is never run (it would cost start-up).

A folder is a store when it holds the marker file (STORE_MARKER), or when it holds nothing but
the store's own entries (a store from 0.2.0, or an empty folder): such a one is adopted (marked)
when first written. Any other folder (`/`, $HOME, a project folder) is refused with a
ConfigError rather than scanned, written or pruned. A new store gets the marker and a
`.gitignore` of `*`, so a store inside a repository is never committed.

    where = find_store(Path(".llm-telemetry"))    # Location(path, reason, detail)
    state = inspect(where.path)                    # StoreState("marked" | "adoptable" | "missing" | "foreign")
    open_store(where.path)                         # create or adopt it, or raise ConfigError
    check_store(where.path)                        # for readers: raise ConfigError when foreign
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from llm_core.errors import ConfigError
from llm_core.records import (
    DIR_MODE,
    FILE_MODE,
    GITIGNORE,
    STORE_MARKER,
    SUMMARY_DIR,
    is_day_name,
    is_own_root_name,
)
from llm_core.storage._files import CLOEXEC, NOFOLLOW

__all__ = ["MARKER_TEXT", "Location", "StoreState", "check_store", "find_store", "inspect", "open_store"]

MARKER_TEXT = b"llm-core telemetry store (see `llm-telemetry doctor`); keep this file\n"
_FOREIGN_SHOWN = 5  # foreign names a refusal lists; the scan stops after them


# Plain classes, not dataclasses: building a dataclass costs ~0.4 ms of every command's start-up.
class Location:
    """Where the store is, and why: reason is "absolute", "existing", "git-top" or "cwd"
    ("given" for a folder handed to LocalStorage)."""

    __slots__ = ("detail", "path", "reason")

    def __init__(self, path: Path, reason: str, detail: str) -> None:
        self.path, self.reason, self.detail = path, reason, detail

    def __repr__(self) -> str:
        return f"Location({str(self.path)!r}, {self.reason!r})"


class StoreState:
    """What a folder is: "marked", "adoptable" (only the store's own entries), "missing" or
    "foreign" (with up to a few of the entries that make it so)."""

    __slots__ = ("foreign", "state")

    def __init__(self, state: str, foreign: list[str] | None = None) -> None:
        self.state, self.foreign = state, foreign or []

    def __repr__(self) -> str:
        return f"StoreState({self.state!r}, {self.foreign!r})"

    @property
    def usable(self) -> bool:
        return self.state != "foreign"


# Files a desktop puts in any folder it shows: not the store's (doctor lists them), but they do
# not stop a store from 0.2.0 from being adopted.
_DESKTOP_FILES = frozenset((".DS_Store", "Thumbs.db", "desktop.ini"))


def _entry_is_own(entry: os.DirEntry) -> bool:
    if entry.name in _DESKTOP_FILES:
        return True
    if not is_own_root_name(entry.name):
        return False
    if is_day_name(entry.name) or entry.name == SUMMARY_DIR:
        return entry.is_dir(follow_symlinks=False)  # a linked day folder is not the store's
    return not entry.is_symlink()


def inspect(path: Path) -> StoreState:
    """Whether `path` is a store, could be adopted as one, does not exist, or is foreign."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return StoreState("missing")
    except NotADirectoryError:
        return StoreState("foreign", [str(path)])
    if not stat.S_ISDIR(st.st_mode):
        return StoreState("foreign", [str(path)])
    try:
        os.lstat(path / STORE_MARKER)
        return StoreState("marked")
    except FileNotFoundError:
        pass
    except OSError:
        return StoreState("foreign", [str(path / STORE_MARKER)])
    foreign: list[str] = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                if not _entry_is_own(entry):
                    foreign.append(entry.name)
                    if len(foreign) >= _FOREIGN_SHOWN:
                        break
    except OSError:
        return StoreState("foreign", [str(path)])
    return StoreState("foreign", sorted(foreign)) if foreign else StoreState("adoptable")


def _refusal(path: Path, state: StoreState) -> ConfigError:
    shown = ", ".join(state.foreign[:_FOREIGN_SHOWN])
    if len(state.foreign) >= _FOREIGN_SHOWN:
        shown += ", ..."
    if state.foreign == [str(path)]:
        return ConfigError(f"the telemetry store {path} is not a folder (LLM_TELEMETRY_DIR)")
    return ConfigError(
        f"{path} is not a telemetry store: it holds other files ({shown}) and no {STORE_MARKER}; "
        f"point LLM_TELEMETRY_DIR at a new or empty folder (or, if it is the store, create {path / STORE_MARKER})")


def check_store(path: Path) -> StoreState:
    """For readers: the folder's state; ConfigError when it is not a store (nothing is written)."""
    state = inspect(path)
    if not state.usable:
        raise _refusal(path, state)
    return state


def open_store(path: Path) -> StoreState:
    """For writers: create the store (marker, .gitignore) or adopt it; ConfigError when foreign.
    Creating or marking may raise OSError (read-only or missing parent)."""
    state = inspect(path)
    if state.state == "marked":
        return state
    if not state.usable:
        raise _refusal(path, state)
    if state.state == "missing":
        os.makedirs(path, DIR_MODE, exist_ok=True)
    _write_new(path / GITIGNORE, b"*\n")
    _write_new(path / STORE_MARKER, MARKER_TEXT)
    return StoreState("marked")


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` with `data` unless it exists (never following a link, never replacing)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileExistsError:
        return
    with contextlib.closing(os.fdopen(fd, "wb")) as f:
        f.write(data)


# ---------------------------------------------------------------- finding it

def _holds_store(candidate: Path) -> str | None:
    """"marked" or "adoptable" when `candidate` already is a store (an empty folder counts)."""
    try:
        os.stat(candidate / STORE_MARKER)
        return "marked"
    except OSError:
        pass
    if not os.path.isdir(candidate):
        return None
    state = inspect(candidate)
    return state.state if state.state == "adoptable" else None


def _is_git_top(folder: Path) -> bool:
    # `.git` is a folder in a plain clone, a file in a worktree or submodule.
    return os.path.lexists(folder / ".git")


def _find(rel: Path, here: Path) -> Location:
    for folder in (here, *here.parents):
        candidate = folder / rel
        held = _holds_store(candidate)
        if held:
            return Location(candidate, "existing", f"the nearest store above the working directory ({held})")
        if _is_git_top(folder):
            return Location(candidate, "git-top", f"the top of the git work tree {folder}")
    return Location(here / rel, "cwd", "the working directory (no store above it, not in a git work tree)")


def find_store(raw: Path | str, cwd: Path | str | None = None) -> Location:
    """The store LLM_TELEMETRY_DIR=`raw` names, seen from `cwd` (default: the working directory)."""
    raw = Path(raw).expanduser()
    if raw.is_absolute():
        return Location(raw, "absolute", "LLM_TELEMETRY_DIR is an absolute path")
    return _find(raw, Path(os.path.abspath(cwd if cwd is not None else os.getcwd())))
