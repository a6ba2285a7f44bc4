"""One file per set of stores (`<cache_dir>/stores/<key>.cache`): what a report over them
selected in one window, so the next such report checks each store's day files and reads
one file, instead of reading every store's cache of settled days and summaries and adding
them up (storage/multi.py).

    hit = read(cache_dir, stores, window)                  # the Collection, or None
    hit, loaded = lookup(cache_dir, stores, window)        # the same, and the file as loaded
    kept, base, dropped = parts(cache_dir, stores, window, loaded)  # when it missed (multi.py)
    write(cache_dir, stores, window, kept, col, total)     # col: the sum `total` of the parts

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

Beside it, one file per store (`<cache_dir>/stores/parts/<key>.part`) keeps that store's
part (Part: its per-combo totals, unreadable lines and files, the window and its day files'
identities), and the file of the set names the CRC-32 of each store's part file its sum was
made of. When the sum misses because some stores changed, only those are collected again:
their old parts (when their files are still those the sum names) are taken out of the sum
and the new ones added, exact integer sums (storage/multi.py), so a call in one of 20 stores
costs collecting that store alone. Without such a sum (a store added or removed, a part kept
since for another set of stores) each store's own part is used while it still holds the
same day files, and the parts are added up. The files of the KEEP sets and KEEP_PARTS
stores used last are kept.

    header   magic b"LLMSTOR3" (a part: b"LLMPART1"), the lengths of the JSON part, the
             combos and the totals, and the CRC-32 of all three
    JSON     the summaries' FORMAT, the stores (absolute paths), the window [start, end], per
             store its day folders, their identities and its folder's, the unreadable lines
             and the files, a bound of the totals, per store its part's unreadable lines,
             files and file's CRC-32 (a part: its store, window, state, lines, files, bound)
    combos   each combo as a JSON array, one a line (the bytes of the parts' combos)
    totals   int64 per-combo totals, NM each
"""

from __future__ import annotations

import binascii
import contextlib
import os
import struct
import time
import zlib
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import orjson

from llm_core.records import STORE_MARKER, TELEMETRY_FILE, atomic_write, is_day_name
from llm_core.storage._files import CLOEXEC
from llm_core.storage.collect import Collection
from llm_core.storage.day_summaries import FORMAT, NM
from llm_core.storage.location import inspect
from llm_core.storage.store_cache import Packed, day_identity, day_unchanged
from llm_core.storage.windows import Window

__all__ = ["Part", "cache_path", "folders", "lookup", "part_path", "parts", "read", "write"]

_MAGIC = b"LLMSTOR3"
_HEAD = struct.Struct("<8sIIII")
_PART_MAGIC = b"LLMPART1"
_INT64 = 2**63 - 1
KEEP = 32  # files, one per set of stores: ~100 KB each for 20 stores of 30 days
KEEP_PARTS = 20 * KEEP  # files, one per store: ~30 KB each for a store of 30 days

# A store's day folders, their day files' identities, and its folder's (folders()).
StoreState = tuple[list[str], list, list[int] | None]


class Part(NamedTuple):
    """What one store adds to the selection: its combos' totals (packed, as multi.py sums
    them; None while only its file's CRC is known), unreadable lines and files, the state
    (StoreState) they came from, and the CRC-32 of its file (0 until written)."""

    state: StoreState
    pack: Packed | None
    bad: int
    files: int
    crc: int = 0


def _names(stores: list[Path]) -> list[str]:
    return [os.path.abspath(s) for s in stores]


def cache_path(cache_dir: Path | str, stores: list[Path]) -> Path:
    """The file of this set of stores (in this order): one per set, whatever the window."""
    return Path(cache_dir) / "stores" / (_file_name("\0".join(_names(stores))) + ".cache")


def _file_name(key: str) -> str:
    # Two CRCs, not hashlib (loading OpenSSL costs a command ~5 ms): each file names what it
    # is of, so two keys that share a name only take turns writing it.
    data = key.encode("utf-8", "surrogateescape")
    return f"{binascii.crc32(data):08x}{zlib.adler32(data):08x}"


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
    return lookup(cache_dir, stores, window)[0]


def lookup(cache_dir: Path | str, stores: list[Path], window: Window) -> tuple[Collection | None, tuple | None]:
    """read(), and when it does not answer, the file of these stores as loaded (for parts():
    it is not read twice), or None."""
    try:
        meta, keys, data = loaded = _load(cache_path(cache_dir, stores), stores, window)
        if meta is None:
            return None, None
        states = list(zip(stores, meta["states"], strict=True))
        # The last day of each first: the one a call most likely changed since (then nothing
        # more is checked), then everything.
        if not all(_day_unchanged(os.path.join(store, days[-1], TELEMETRY_FILE), identities[-1])
                   for store, (days, identities, _) in states if days):
            return None, loaded
        if not all(_unchanged(store, *state) for store, state in states):
            return None, loaded
        combos = Packed(keys.split(b"\n") if keys else [], data, 0).decoded()
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None, None
    return Collection(combos=combos, corrupt_lines=meta["bad"], files=meta["files"]), None


def _load(path: Path, stores: list[Path] | None, window: Window, magic: bytes = _MAGIC) -> tuple:
    """The JSON part, combos and totals of the cache file `path` (of a set of stores, or with
    `magic` of one store's part); (None, ...) when it is damaged or not of `stores` and
    `window`. Raises OSError."""
    with open(path, "rb") as f:
        data = f.read()
    got, jl, kl, tl, crc = _HEAD.unpack_from(data)
    body = memoryview(data)[_HEAD.size:]
    if got != magic or len(body) != jl + kl + tl or binascii.crc32(body) != crc:
        return None, b"", b""
    meta = orjson.loads(body[:jl])
    if (meta["format"] != FORMAT or meta["window"] != [window.start, window.end]
            or (stores is not None and meta["stores"] != _names(stores))):
        return None, b"", b""
    meta["crc"] = crc
    return meta, bytes(body[jl:jl + kl]), bytes(body[jl + kl:])


def _file(meta: dict, keys: bytes, totals: bytes, magic: bytes = _MAGIC) -> tuple[bytes, int]:
    body = orjson.dumps(meta) + keys + totals
    crc = binascii.crc32(body)
    return _HEAD.pack(magic, len(body) - len(keys) - len(totals), len(keys), len(totals), crc) + body, crc


def part_path(cache_dir: Path | str, name: str) -> Path:
    """The file of one store's part (`name`: its absolute path), whatever the window."""
    return Path(cache_dir) / "stores" / "parts" / (_file_name(name) + ".part")


def _read_part(cache_dir: Path | str, name: str, window: Window, crc: int | None = None) -> Part | None:
    """The part kept for the store `name` in `window` (with `crc`: only that one); None."""
    try:
        meta, keys, totals = _load(part_path(cache_dir, name), None, window, _PART_MAGIC)
        if meta is None or meta["store"] != name or (crc is not None and meta["crc"] != crc):
            return None
        combos = keys.split(b"\n") if keys else []
        if len(totals) != len(combos) * NM * 8:
            return None
        state = meta["state"]
        return Part((state[0], state[1], state[2]), Packed(combos, totals, meta["largest"]), meta["bad"],
                    meta["files"], meta["crc"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, struct.error):
        return None


def parts(cache_dir: Path | str, stores: list[Path], window: Window, loaded: tuple | None = None
          ) -> tuple[list[Part | None], Packed | None, list[Packed]]:
    """Per store, its part kept in `window` when the store still holds the same day files,
    else None; the sum the file of these stores kept (keys as its parts' keys, `largest` a
    bound) when it is the sum of their kept parts, else None; and the parts of that sum not
    given to a store. The parts given with the sum are not read (`pack` None). `loaded`: the
    file of these stores as lookup() loaded it."""
    names = _names(stores)
    try:
        meta, keys, totals = loaded or _load(cache_path(cache_dir, stores), stores, window)
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        meta = None
    if meta is not None and len(set(names)) == len(names):  # (a store twice: not told apart)
        with contextlib.suppress(KeyError, TypeError, ValueError):
            out: list[Part | None] = []
            dropped = []
            for store, name, state, (bad, files, crc) in zip(stores, names, meta["states"], meta["parts"],
                                                               strict=True):
                if _unchanged(store, *state):
                    out.append(Part((state[0], state[1], state[2]), None, bad, files, crc))
                    continue
                old = _read_part(cache_dir, name, window, crc)
                if old is None:  # another set of stores kept its part since: added up again
                    break
                out.append(None)
                dropped.append(old.pack)
            else:
                return out, Packed(keys.split(b"\n") if keys else [], totals, meta["largest"]), dropped
    out = []
    for store, name in zip(stores, names, strict=True):
        part = _read_part(cache_dir, name, window)
        out.append(part if part is not None and _unchanged(store, *part.state) else None)
    return out, None, []


def write(cache_dir: Path | str, stores: list[Path], window: Window, kept: list[Part],
          col: Collection, total: Packed) -> None:
    """Keep `col` (the sum `total` of the stores' parts `kept`, in the stores' order) for the
    next report over `stores` in `window`, the parts not kept yet (Part.crc 0), and the
    files of the stores and sets used last; nothing when a total does not fit int64 or the
    cache folder cannot be written."""
    if total.largest > _INT64:  # a bound: then the totals themselves
        flat = list(chain.from_iterable(col.combos.values()))
        if flat and not (min(flat) >= 0 and max(flat) <= _INT64):
            return
    crcs = []
    with contextlib.suppress(OSError):
        for name, p in zip(_names(stores), kept, strict=True):
            if not p.crc:
                meta = {"format": FORMAT, "store": name, "window": [window.start, window.end],
                        "state": p.state, "bad": p.bad, "files": p.files, "largest": p.pack.largest}
                data, crc = _file(meta, b"\n".join(p.pack.keys), p.pack.totals, _PART_MAGIC)
                path = part_path(cache_dir, name)
                new = not path.exists()
                atomic_write(path, data)
                if new:
                    _keep_newest(path.parent, ".part", KEEP_PARTS)
            crcs.append(p.crc or crc)
        meta = {"format": FORMAT, "stores": _names(stores), "window": [window.start, window.end],
                "states": [p.state for p in kept], "bad": col.corrupt_lines, "files": col.files,
                "largest": min(total.largest, _INT64), "parts": [[p.bad, p.files, c] for p, c in zip(kept, crcs, strict=True)]}
        # The parts' own bytes for the combos: the sum is taken apart by them.
        data, _ = _file(meta, b"\n".join(total.keys), total.totals)
        path = cache_path(cache_dir, stores)
        new = not path.exists()
        atomic_write(path, data)
        if new:  # (a set's file rewritten adds none)
            _keep_newest(path.parent, ".cache", KEEP)


def _keep_newest(folder: Path, suffix: str, keep: int) -> None:
    """Remove all but the `keep` files written last (a file is rewritten whenever it misses)."""
    with os.scandir(folder) as entries:
        files = [(e.stat().st_mtime_ns, e.path) for e in entries if e.name.endswith(suffix)]
    for _, path in sorted(files)[:-keep]:
        with contextlib.suppress(FileNotFoundError):  # another report removed it first
            os.unlink(path)
