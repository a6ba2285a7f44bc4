"""One file per set of stores (`<cache_dir>/stores/<key>.cache`): what a report over them
selected in one window, so the next such report checks each store's day files and reads
one file, instead of reading every store's cache of settled days and summaries and adding
them up (storage/multi.py).

    hit = read(cache_dir, stores, window)          # the Collection, or None
    write(cache_dir, stores, window, states, col)  # when it missed: col collected from states

It holds the selection's per-combo totals, unreadable lines and files (what reports without
filters, slots or percentiles read: projects, agents, models), the window they were
selected in, and each store's day folders with the identity of each day file
(store_cache.day_identity) its numbers came from: as the store's cache of settled days or
the day's summary recorded it, or taken before collecting (store_cache.collect_store_packed).
It answers only the same window over the same stores (the same folders, in the same order),
when every store is still a store, holding the same day folders, each day file unchanged
(store_cache.day_unchanged): then every store would select what it selected, so the result
is what collecting gives. A change made while the totals were collected shows as a changed
identity next time. Deleting it is always safe; a cache folder that cannot be written is
read without it.

    header   magic b"LLMSTOR2", the lengths of the JSON part, the combos and the totals, and
             the CRC-32 of all three
    JSON     the summaries' FORMAT, the stores (absolute paths), the window [start, end], per
             store its day folders, their identities and its folder's, the unreadable lines
             and the files
    combos   each combo as a JSON array, one a line
    totals   int64 per-combo totals, NM each
"""

from __future__ import annotations

import binascii
import contextlib
import os
import struct
import time
import zlib
from array import array
from itertools import chain
from pathlib import Path

import orjson

from llm_core.records import STORE_MARKER, TELEMETRY_FILE, atomic_write, is_day_name
from llm_core.storage._files import CLOEXEC
from llm_core.storage.collect import Collection
from llm_core.storage.day_summaries import FORMAT, NM
from llm_core.storage.location import inspect
from llm_core.storage.store_cache import day_identity, day_unchanged
from llm_core.storage.windows import Window

__all__ = ["cache_path", "folders", "read", "write"]

_MAGIC = b"LLMSTOR2"
_HEAD = struct.Struct("<8sIIII")
_INT64 = 2**63 - 1
KEEP = 32  # files, one per set of stores: ~100 KB each for 20 stores of 30 days

# A store's day folders, their day files' identities, and its folder's (folders()).
StoreState = tuple[list[str], list, list[int] | None]


def _names(stores: list[Path]) -> list[str]:
    return [os.path.abspath(s) for s in stores]


def cache_path(cache_dir: Path | str, stores: list[Path]) -> Path:
    """The file of this set of stores (in this order): one per set, whatever the window."""
    # Two CRCs, not hashlib (loading OpenSSL costs a command ~5 ms): the file names its stores,
    # so two sets that share a name only take turns writing it.
    key = "\0".join(_names(stores)).encode("utf-8", "surrogateescape")
    return Path(cache_dir) / "stores" / f"{binascii.crc32(key):08x}{zlib.adler32(key):08x}.cache"


_AT = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | CLOEXEC  # the store path may be a link


# A folder's mtime changes whenever an entry is added to it, removed or renamed, to the clock's
# coarse time. Seen at least this long after its last change, it tells that none came since
# (a change later gets a later time), as git trusts an index entry older than the index.
_SETTLED_NS = 3_000_000_000  # past coarse clocks and FAT's 2 s


def folders(stores: list[Path]) -> list[list[int] | None]:
    """Each store folder's [ino, dev, mtime_ns], to be taken before its day folders are listed;
    None when it changed too recently to tell a later change by, or cannot be read."""
    now, out = time.time_ns(), []
    for store in stores:
        try:
            st = os.stat(store)
        except OSError:
            out.append(None)
            continue
        out.append([st.st_ino, st.st_dev, st.st_mtime_ns] if st.st_mtime_ns < now - _SETTLED_NS else None)
    return out


def _unchanged(store: Path, days: list[str], identities: list, folder: list[int] | None) -> bool:
    """Whether `store` is still a store holding these day folders, each day file unchanged:
    one stat a day relative to the store's folder (a path walk for each day of every store
    costs a third more), and one listing of it unless its `folder` identity says no entry
    changed since they were listed."""
    try:
        fd = os.open(store, _DIR) if _AT else None
    except OSError:  # missing, or not a folder: collecting says so
        return False
    try:
        same = fd is not None and folder is not None and _same_folder(fd, folder)
        if not same and (not _is_store(store, fd) or _day_folders(store, fd, days) != days):
            return False
        rel = [day + os.sep + TELEMETRY_FILE for day in days]
        try:  # the usual case, every day unchanged: compared all at once
            sts = ([os.stat(r, dir_fd=fd) for r in rel] if fd is not None
                   else [os.stat(os.path.join(store, r)) for r in rel])
            if [[st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns] for st in sts] == identities:
                return True
        except OSError:  # a compressed day (its .gz answers), or a folder without its file
            pass
        base = os.path.join(store, "")
        return all(_day_unchanged(base + r, identity) for r, identity in zip(rel, identities, strict=True))
    finally:
        if fd is not None:
            os.close(fd)


def _same_folder(fd: int, folder: list[int]) -> bool:
    st = os.fstat(fd)
    return [st.st_ino, st.st_dev, st.st_mtime_ns] == folder


def _day_unchanged(path: str, identity: list[int] | None) -> bool:
    if identity is not None:
        return day_unchanged(path, identity)
    return day_identity(path) is None


def _is_store(store: Path, fd: int | None) -> bool:
    """Its marker, as location.inspect() looks for it first; else inspect() itself."""
    try:
        if fd is not None:
            os.stat(STORE_MARKER, dir_fd=fd, follow_symlinks=False)
            return True
    except FileNotFoundError:
        pass
    except OSError:
        return False
    state = inspect(store)
    return state.state != "missing" and state.usable


def _day_folders(store: Path, fd: int | None, known: list[str]) -> list[str] | None:
    """records.day_names(store), for a store that held the day folders `known`: a name known
    is a day's, so only new names are checked; None when a day folder is a symbolic link
    (collecting warns about it)."""
    was, days = set(known), []
    with os.scandir(store if fd is None else fd) as entries:
        for e in entries:
            if e.name in was or is_day_name(e.name):
                if e.is_dir(follow_symlinks=False):
                    days.append(e.name)
                elif e.is_symlink():
                    return None
    return sorted(days)


def read(cache_dir: Path | str, stores: list[Path], window: Window) -> Collection | None:
    """What collecting `stores` in `window` (no filters, slots or latencies) gives, from the
    cache; None when there is none that answers exactly."""
    try:
        with open(cache_path(cache_dir, stores), "rb") as f:
            data = f.read()
        magic, jl, kl, tl, crc = _HEAD.unpack_from(data)
        body = memoryview(data)[_HEAD.size:]
        if magic != _MAGIC or len(body) != jl + kl + tl or binascii.crc32(body) != crc:
            return None
        meta = orjson.loads(body[:jl])
        if (meta["format"] != FORMAT or meta["stores"] != _names(stores)
                or meta["window"] != [window.start, window.end]):
            return None
        states = list(zip(stores, meta["states"], strict=True))
        # The last day of each first: the one a call most likely changed since (then nothing
        # more is checked), then everything.
        if not all(_day_unchanged(os.path.join(store, days[-1], TELEMETRY_FILE), identities[-1])
                   for store, (days, identities, _) in states if days):
            return None
        if not all(_unchanged(store, *state) for store, state in states):
            return None
        keys = bytes(body[jl:jl + kl])
        totals = array("q")
        totals.frombytes(body[jl + kl:])
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None
    values = totals.tolist()
    combos = orjson.loads(b"[" + keys.replace(b"\n", b",") + b"]") if keys else []
    return Collection(combos={tuple(c): values[i * NM:(i + 1) * NM] for i, c in enumerate(combos)},
                      corrupt_lines=meta["bad"], files=meta["files"])


def write(cache_dir: Path | str, stores: list[Path], window: Window, states: list[StoreState],
          col: Collection) -> None:
    """Keep `col` (collected from the day files `states` name) for the next report over
    `stores` in `window`, and the KEEP sets of stores used last; nothing when its totals do
    not fit int64 or the cache folder cannot be written."""
    flat = list(chain.from_iterable(col.combos.values()))
    if flat and not (min(flat) >= 0 and max(flat) <= _INT64):
        return
    meta = {"format": FORMAT, "stores": _names(stores), "window": [window.start, window.end],
            "states": states, "bad": col.corrupt_lines, "files": col.files}
    body = orjson.dumps(meta)
    keys = b"\n".join(orjson.dumps(list(c)) for c in col.combos)
    totals = array("q", flat).tobytes()
    head = _HEAD.pack(_MAGIC, len(body), len(keys), len(totals), binascii.crc32(body + keys + totals))
    path = cache_path(cache_dir, stores)
    with contextlib.suppress(OSError):
        atomic_write(path, head + body + keys + totals)
        _keep_newest(path.parent)


def _keep_newest(folder: Path) -> None:
    """Remove all but the KEEP files written last (a file is rewritten whenever it misses)."""
    with os.scandir(folder) as entries:
        files = [(e.stat().st_mtime_ns, e.path) for e in entries if e.name.endswith(".cache")]
    for _, path in sorted(files)[:-KEEP]:
        with contextlib.suppress(FileNotFoundError):  # another report removed it first
            os.unlink(path)
