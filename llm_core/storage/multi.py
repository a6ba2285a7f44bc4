"""Reports across several stores (design v0.3): one Collection from many stores' summaries.

    stores = resolve_stores(["../api/.llm-telemetry"], all_under="~/src", env_dirs=settings.telemetry_dirs)
    col, problems = collect_many(stores, window, filters)
    projects_report(col, window, filters)          # grouped by project as always

Each store answers from its own per-day summaries (or its cache of settled days), so N stores
cost what one store of the same total size costs, plus a few file lookups each. The
Collections add up exactly (integer sums; latencies stay sorted sequences, one per store and
model), so a report over several stores equals the report over one store holding all their
records. The combos a store's cache answers come packed (store_cache.Packed) and are summed
as big integers, a few C calls per store (`_sum_packed`). A store that is missing,
unreadable or a folder that is not a store (storage/location.py) is skipped and named in
`problems` (the CLI makes each one warning line). A report without filters, slots or
percentiles keeps its result for the next one over the same stores and window
(storage/stores_cache.py: one file, checked against every day file of every store); when
some stores changed, only those are collected again and their new parts replace their old
ones in the sum kept (`_collect_parts`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import struct
import sys
from array import array
from collections.abc import Iterable
from itertools import chain, repeat
from pathlib import Path

import orjson

from llm_core.errors import StorageError
from llm_core.storage.collect import Collection
from llm_core.storage.day_summaries import NM
from llm_core.storage.location import inspect
from llm_core.storage.store_cache import Packed, collect_store_packed, paused_gc
from llm_core.storage.windows import Filters, Window

__all__ = ["collect_many", "find_stores", "merge", "resolve_stores"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SKIP = {".git", "node_modules", ".summaries", "__pycache__", ".venv", "venv", ".tox"}


def find_stores(root: Path | str) -> list[Path]:
    """Every store below `root` (a folder with YYYY-MM-DD/telemetry.jsonl day folders),
    sorted; stores are not searched inside, nor .git, node_modules and virtualenvs."""
    found: list[str] = []
    pending = [os.path.expanduser(root)]
    while pending:
        folder = pending.pop()
        try:  # one listing per folder: it tells both whether it is a store and what is below
            with os.scandir(folder) as it:
                subdirs = [e for e in it if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        if any(_DAY.fullmatch(e.name) and os.path.isfile(os.path.join(e.path, "telemetry.jsonl"))
               for e in subdirs):
            found.append(folder)
        else:
            pending.extend(e.path for e in subdirs if e.name not in _SKIP)
    return sorted(map(Path, found))


def resolve_stores(stores: Iterable[Path | str] = (), all_under: Iterable[Path | str] = (),
                   env_dirs: Iterable[Path | str] = ()) -> list[Path]:
    """The stores a report reads: --store DIRs, then the stores found under each --all-under
    DIR; LLM_TELEMETRY_DIRS only when neither was given. In order, without repeats."""
    chosen = [Path(s).expanduser() for s in stores]
    for root in all_under:
        chosen.extend(find_stores(root))
    if not chosen:
        chosen = [Path(s).expanduser() for s in env_dirs]
    seen: set = set()
    out = []
    for store in chosen:
        key = _identity(store)
        if key not in seen:
            seen.add(key)
            out.append(store)
    return out


def _identity(store: Path) -> tuple:
    """The folder itself (device, inode), whatever path names it: one stat, where realpath
    stats every folder on the way (most of resolving 20 stores); a missing one by its path."""
    try:
        st = os.stat(store)
    except OSError:
        return ("path", os.path.abspath(store))
    return (st.st_dev, st.st_ino)


def merge(cols: Iterable[Collection], packed: Iterable[Packed] = ()) -> Collection:
    """One Collection holding the sums of several (as if their records were in one store),
    and of the combos `packed` (store_cache.collect_store_packed) beside them."""
    cols = list(cols)
    out = Collection(combos=_sums([c.combos for c in cols]), slots=_sums([c.slots for c in cols]))
    for col in cols:
        for model, seqs in col.latencies.items():
            out.latencies.setdefault(model, []).extend(s for s in seqs if len(s))
        out.corrupt_lines += col.corrupt_lines
        out.files += col.files
    packed = list(packed)
    if packed:
        try:
            out.combos = _sum_packed([*packed, _pack(out.combos)])
        except OverflowError:  # a total below 0, or sums that could pass 2**64: one by one
            out.combos = _sums([out.combos, *(p.decoded() for p in packed)])
    return out


def _sums(dicts: list[dict]) -> dict:
    """{key: metrics} summed over `dicts`: each key's lists gathered, then added column by column
    (3x faster than adding them pairwise, over the thousands of groups of 20 stores)."""
    gathered: dict = {}
    for sums in dicts:
        for key, metrics in sums.items():
            have = gathered.get(key)
            if have is None:
                gathered[key] = [metrics]
            else:
                have.append(metrics)
    return {key: list(ms[0]) if len(ms) == 1 else [sum(col) for col in zip(*ms, strict=True)]
            for key, ms in gathered.items()}


# Packed totals are summed as big integers: a store's int64 rows joined in the union's order
# (zeros where it lacks a combo) are one integer, each total a 64-bit lane of it, and the
# stores' integers are added: a few C calls per store, where adding 20 stores' ~300 combos x NM
# totals one by one cost more than everything else a report over them does. Totals are never
# negative, so while the stores' largest add up to less than 2**64 no lane's sum reaches into
# the next; otherwise merge() adds them one by one.
_ROW = 8 * NM


@functools.lru_cache(maxsize=64)
def _rows(n: int) -> struct.Struct:
    """n rows of packed totals, split by one C call (iter_unpack makes a tuple of each)."""
    return struct.Struct(f"{_ROW}s" * n)


def _sum_packed(packs: list[Packed]) -> dict:
    """{combo: metrics} summed over `packs`; OverflowError when a lane's sum could pass 2**64."""
    return _packed_sum(packs).decoded()


def _packed_sum(packs: list[Packed], base: Packed | None = None, minus: list[Packed] = ()) -> Packed:
    """The sum of `packs` packed (its combos in the order first seen, `largest` a bound); with
    `base`, base + packs - minus, `minus` being some of the packs `base` is the sum of (a
    combo left with no totals then dropped). OverflowError when a lane could pass 2**64."""
    if sum(p.largest for p in packs) + (base.largest if base else 0) >= 2**64:
        raise OverflowError("sums past 64 bits")
    lead = base.keys if base else []
    keys = list(dict.fromkeys(chain(lead, chain.from_iterable(p.keys for p in packs))))
    total = int.from_bytes(base.totals, sys.byteorder) if base else 0  # its combos come first
    for p in packs:
        total += _lanes(p, keys)
    for p in minus:
        total -= _lanes(p, keys)
    if total < 0:
        raise OverflowError("parts that are not in the sum")
    data = total.to_bytes(len(keys) * _ROW, sys.byteorder)
    if minus:
        zero = bytes(_ROW)
        kept = [(k, row) for k, row in zip(keys, _rows(len(keys)).unpack(data), strict=True) if row != zero]
        keys, data = [k for k, _ in kept], b"".join(row for _, row in kept)
    return Packed(keys, data, sum(p.largest for p in packs) + (base.largest if base else 0))


def _lanes(p: Packed, keys: list[bytes]) -> int:
    """The totals of `p` in the order of `keys` (a superset), zeros where it lacks a combo, as
    one integer."""
    rows = dict(zip(p.keys, _rows(len(p.keys)).unpack(p.totals), strict=True))
    return int.from_bytes(b"".join(map(rows.get, keys, repeat(bytes(_ROW)))), sys.byteorder)


def _pack(combos: dict) -> Packed:
    """Combos of a Collection (the days no cache holds) as Packed ones."""
    flat = array("Q", chain.from_iterable(combos.values()))  # OverflowError if one is negative
    return Packed([orjson.dumps(c) for c in combos], flat.tobytes(), max(flat, default=0))


def collect_many(stores: Iterable[Path | str], window: Window, filters: Filters | None = None,
                 need_slots: bool = True, need_latencies: bool = True,
                 cache_dir: Path | str | None = None) -> tuple[Collection, list[str]]:
    """The selection over every store, and one line per store that could not be read; without
    `need_latencies`, `latencies` may hold none (store_cache.collect_store). With `cache_dir`,
    a selection without filters, slots or latencies (projects, agents, models) is kept
    there for the next one over the same stores and window (storage/stores_cache.py)."""
    stores, filters = [Path(s) for s in stores], filters or Filters()
    with paused_gc():
        if cache_dir is None or not filters.empty or need_slots or need_latencies:
            return _collect_many(stores, window, filters, need_slots, need_latencies)
        from llm_core.storage import stores_cache  # here: a report over one store never needs it
        col, loaded = stores_cache.lookup(cache_dir, stores, window)
        if col is not None:
            return col, []
        return _collect_parts(stores, window, filters, cache_dir, loaded)


def _collect_parts(stores: list[Path], window: Window, filters: Filters, cache_dir: Path | str,
                   loaded: tuple | None = None) -> tuple[Collection, list[str]]:
    """On a miss of the cache of many stores: each store whose day files are unchanged answers
    from its part kept there, only the others are collected again, and their parts replace
    the old ones in the sum kept (exact: integer sums), as collecting every store would;
    the sum and parts kept again."""
    from llm_core.storage import stores_cache  # here: a report over one store never needs it
    folders = stores_cache.folders(stores)  # before their day folders are listed
    parts, base, dropped = stores_cache.parts(cache_dir, stores, window, loaded)
    changed = [i for i, part in enumerate(parts) if part is None]
    seen: list[dict] = [{} for _ in changed]  # each store's day files, as its numbers came from them
    got: list = []
    _, problems = _collect_many([stores[i] for i in changed], window, filters, False, False, seen, got)
    for i, part in enumerate(parts):
        if part is not None:  # its folder as seen now, before any listing
            parts[i] = part._replace(state=(*part.state[:2], folders[i]))
    for i, days, one in zip(changed, seen, got, strict=True):
        pack = None if one is None else _store_packed(*one)
        if pack is not None:
            state = (sorted(days), [days[d] for d in sorted(days)], folders[i])
            parts[i] = stores_cache.Part(state, pack, one[0].corrupt_lines, one[0].files)
        elif one is not None:  # a total below 0 or past int64 (never recorded): added one by one
            return _collect_many(stores, window, filters, False, False)
    fresh = [parts[i].pack for i in changed if parts[i] is not None]
    parts = [part for part in parts if part is not None]
    try:
        total = _parts_sum(parts, fresh, base, dropped)
    except OverflowError:  # sums that could pass 2**64: one by one
        return _collect_many(stores, window, filters, False, False)
    col = Collection(combos=total.decoded(), corrupt_lines=sum(p.bad for p in parts),
                     files=sum(p.files for p in parts))
    if not problems:
        stores_cache.write(cache_dir, stores, window, parts, col, total)
    return col, problems


def _parts_sum(parts: list, fresh: list[Packed], base: Packed | None, dropped: list[Packed]) -> Packed:
    """The stores' `parts` added up: when the cache kept their sum (`base`), it with the
    parts `dropped` taken out and the `fresh` ones added (a few stores, not all of them)."""
    if base is not None:
        with contextlib.suppress(OverflowError):
            return _packed_sum(fresh, base, dropped)
    if any(p.pack is None for p in parts):  # given with the sum, not read
        raise OverflowError("sums past 64 bits")
    return _packed_sum([p.pack for p in parts])


def _store_packed(col: Collection, pack: Packed | None) -> Packed | None:
    """A store's combos (those its cache answers packed, and the Collection's) as one Packed;
    None when a total is below 0 or a sum passes 64 bits."""
    try:
        own = _pack(col.combos)
        if pack is None or not col.combos:
            return pack or own
        return _packed_sum([pack, own])
    except OverflowError:
        return None


def _collect_many(stores: list[Path], window: Window, filters: Filters, need_slots: bool,
                  need_latencies: bool, seen: list[dict] | None = None,
                  got: list | None = None) -> tuple[Collection, list[str]]:
    """The stores' selections added up; with `got`, each store's (Collection, Packed | None)
    appended to it too (None for a store that could not be read)."""
    cols, packed, problems = [], [], []
    for i, store in enumerate(stores):
        one = _collect_one(store, window, filters, need_slots, need_latencies,
                           None if seen is None else seen[i])
        if got is not None:
            got.append(None if isinstance(one, str) else one)
        if isinstance(one, str):
            problems.append(one)
            continue
        cols.append(one[0])
        if one[1] is not None:
            packed.append(one[1])
    return merge(cols, packed), problems


def _collect_one(store: Path, window: Window, filters: Filters, need_slots: bool,
                 need_latencies: bool, seen: dict | None) -> tuple[Collection, Packed | None] | str:
    """A store's selection (collect_store_packed), or why it could not be read."""
    state = inspect(store)
    if state.state == "missing":
        return f"{store}: no such telemetry store (skipped)"
    if not state.usable:
        return f"{store}: not a telemetry store (it holds other files; skipped)"
    try:
        return collect_store_packed(store, window, filters, need_slots, need_latencies, seen)
    except (OSError, StorageError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        return f"{store}: cannot be read ({reason}; skipped)"
