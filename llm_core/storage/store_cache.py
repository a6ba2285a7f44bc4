"""A store's settled days in one file (`.summaries/settled.cache`), so a report over many
stores reads one file per store, not one per day.

    col = collect_store(store, window, filters, need_slots)   # == collect(store, ...)

Reports over 20 stores otherwise open 20 times as many day summaries as one store of the same
size, and merge each store's day groups one by one: a (project, agent, operation, model,
provider, success) group appears in every day of every store. The cache holds the days of the
last report whose window held them whole, already merged: per-group totals, per-slot totals,
and latencies sorted per model and per group (so filters on project, agent, model or provider
are answered from it too; filters with slots are not, they need each day's groups per slot).

It is used when every day it holds still has the identity (inode, size, mtime) its summary
was built from and lies wholly inside the window; any other day (today's, still growing; days
outside the cache) is read from its own summary as before, so the result is always what
collect() gives. It is rewritten when a report finds it does not fit (another window, a day
changed or gone) and at least two settled days could go into it; the newest day of a store is
never put in it (it changes with every call). Deleting it is always safe, and a store that
cannot be written is read without it.

    header   magic b"LLMSETL1", the lengths of the JSON part, the latencies and the slots,
             the CRC-32 of JSON + latencies and the CRC-32 of the slots (read only when asked)
    JSON     the summaries' FORMAT, days {day: [ino, dev, size, mtime_ns]}, slot range, bad lines, files, combos,
             per-combo totals, models, per-model latency counts, number of slots
    latencies  float64 per model (sorted), then per combo (sorted)
    slots    int64 slot ids, then int64 per-slot metrics (NM each)
"""

from __future__ import annotations

import binascii
import contextlib
import gc
import operator
import os
import struct
from array import array
from collections.abc import Iterator
from pathlib import Path

import orjson

from llm_core.dayfiles import day_file_stat
from llm_core.records import SETTLED_CACHE, SUMMARY_DIR, TELEMETRY_FILE, atomic_write, day_names
from llm_core.storage.collect import Collection, add_summaries, collect
from llm_core.storage.day_summaries import (
    FORMAT,
    M_DURN,
    NM,
    SLOT_MS,
    DaySummary,
    day_summary,
    summaries,
)
from llm_core.storage.windows import MODEL, NO_FILTERS, Filters, Window

__all__ = ["collect_store", "paused_gc"]

_MAGIC = b"LLMSETL1"
_HEAD = struct.Struct("<8sIIIII")
_INT64 = (-(2**63), 2**63 - 1)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off meanwhile: collecting makes many small lists and no
    cycles, and the collector would rescan them all (a third of a report over 20 stores)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def collect_store(store: Path | str, window: Window, filters: Filters = NO_FILTERS,
                  need_slots: bool = True) -> Collection:
    """What collect(store, window, filters, need_slots) gives, from the cache where it fits."""
    with paused_gc():
        return _collect_store(Path(store), window, filters, need_slots)


def _collect_store(store: Path, window: Window, filters: Filters, need_slots: bool) -> Collection:
    if need_slots and not filters.empty:
        return collect(store, window, filters, need_slots)
    cached = _read(store)
    col = None if cached is None else _from_cache(cached, store, window, filters, need_slots)
    if col is not None:
        return col
    pairs = summaries(store)
    col = Collection()
    add_summaries(col, pairs, window, filters, need_slots)
    settled = [(p, s) for p, s in pairs[:-1] if s.min_slot is None or _inside(s.min_slot, s.max_slot, window)]
    if len(settled) >= 2:
        data = _encode([s for _, s in settled])
        if data is not None:
            with contextlib.suppress(OSError):  # a read-only store is read without the cache
                atomic_write(store / SUMMARY_DIR / SETTLED_CACHE, data)
    return col


def _from_cache(cached: _Cached, store: Path, window: Window, filters: Filters,
                need_slots: bool) -> Collection | None:
    """The selection from the cache and the summaries of the days it does not hold; None when
    the cache does not fit this window or no longer fits the store."""
    days = day_names(store)
    if not _fits(cached, store, days, window):
        return None
    try:
        col = cached.collection(filters, need_slots)
    except ValueError:  # its slots are damaged
        return None
    rest = []
    for day in days:
        if day not in cached.days:
            s = day_summary(store, day)
            if s is not None:
                rest.append((store / day / TELEMETRY_FILE, s))
    add_summaries(col, rest, window, filters, need_slots)
    return col


def _inside(lo: int | None, hi: int | None, window: Window) -> bool:
    if lo is None:
        return True
    return ((window.start is None or window.start <= lo * SLOT_MS)
            and (window.end is None or (hi + 1) * SLOT_MS <= window.end))


def _fits(cached: _Cached, store: Path, days: list[str], window: Window) -> bool:
    if not _inside(cached.min_slot, cached.max_slot, window):
        return False
    present, base = set(days), os.fspath(store)
    for day, identity in cached.days.items():
        if day not in present or not _unchanged(os.path.join(base, day, TELEMETRY_FILE), identity):
            return False
    return True


def _unchanged(path: str, identity: list[int]) -> bool:
    """Whether the day file `path` still has the identity (dayfiles.day_file_stat) its cached
    summary was built from. One stat of the plain file answers for a day never compressed: if
    it is unchanged, so are its lines, also when a .gz of them appeared since (its leftover)."""
    with contextlib.suppress(OSError):
        st = os.stat(path)
        if identity == [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]:
            return True
    try:
        st = day_file_stat(path)
    except OSError:
        return False
    return identity == [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]


# ---------------------------------------------------------------- the file

def _encode(days: list[DaySummary]) -> bytes | None:
    """The cache of `days` (whole days, merged); None when a sum outgrows int64."""
    ids: dict[tuple, int] = {}
    totals: list[list[int]] = []
    combo_lat: list[list] = []
    model_lat: dict = {}
    slots: dict[int, list[int]] = {}
    meta: dict = {"format": FORMAT, "days": {}, "min_slot": None, "max_slot": None, "bad": 0,
                  "files": len(days)}
    for s in days:
        src = s.meta["source"]
        meta["days"][s.path.name[:-4]] = [src["ino"], src["dev"], src["size"], src["mtime_ns"]]
        meta["bad"] += s.meta["bad"]
        if s.min_slot is None:
            continue
        lo, hi = meta["min_slot"], meta["max_slot"]
        meta["min_slot"] = s.min_slot if lo is None else min(lo, s.min_slot)
        meta["max_slot"] = s.max_slot if hi is None else max(hi, s.max_slot)
        for c, tot, lat in zip(s.combos, s.totals, s.combo_durations(), strict=True):
            k = ids.setdefault(tuple(c), len(ids))
            if k == len(totals):
                totals.append(list(tot))
                combo_lat.append([lat])
            else:
                totals[k] = list(map(operator.add, totals[k], tot))
                combo_lat[k].append(lat)
        for model, lat in zip(s.models, s.model_durations(), strict=True):
            model_lat.setdefault(model, []).append(lat)
        for row in s.day_slots:
            have = slots.get(row[0])
            slots[row[0]] = row[1:] if have is None else list(map(operator.add, have, row[1:]))
    flat = [v for t in totals for v in t] + [v for m in slots.values() for v in m]
    if flat and not (_INT64[0] <= min(flat) and max(flat) <= _INT64[1]):
        return None
    models = list(model_lat)
    model_values = [sorted(v for seq in model_lat[m] for v in seq) for m in models]
    meta.update(combos=list(ids), totals=totals, models=models,
                model_n=[len(v) for v in model_values], nslots=len(slots))
    lat = (array("d", [v for vs in model_values for v in vs]).tobytes()
           + array("d", [v for seqs in combo_lat for v in sorted(x for seq in seqs for x in seq)]).tobytes())
    by_slot = array("q", slots).tobytes() + array("q", [v for m in slots.values() for v in m]).tobytes()
    body = orjson.dumps(meta)
    return (_HEAD.pack(_MAGIC, len(body), len(lat), len(by_slot), binascii.crc32(body + lat),
                       binascii.crc32(by_slot)) + body + lat + by_slot)


class _Cached:
    """A decoded cache; the binary part is turned into arrays when asked for."""

    def __init__(self, data: bytes) -> None:
        magic, jl, ll, sl, crc, self._slots_crc = _HEAD.unpack_from(data, 0)
        view = memoryview(data)[_HEAD.size:]
        if magic != _MAGIC or len(view) != jl + ll + sl or binascii.crc32(view[:jl + ll]) != crc:
            raise ValueError("damaged cache")
        meta = orjson.loads(view[:jl])
        if meta["format"] != FORMAT:  # made from summaries that count otherwise
            raise ValueError("old cache")
        self.days: dict[str, list[int]] = meta["days"]
        self.min_slot, self.max_slot = meta["min_slot"], meta["max_slot"]
        self.meta = meta
        self._latencies, self._slots = view[jl:jl + ll], view[jl + ll:]

    def collection(self, filters: Filters, need_slots: bool) -> Collection:
        meta = self.meta
        col = Collection(corrupt_lines=meta["bad"], files=meta["files"])
        floats = array("d")
        floats.frombytes(self._latencies)
        combos = [tuple(c) for c in meta["combos"]]
        if filters.empty:
            col.combos = dict(zip(combos, meta["totals"], strict=True))
            pos = 0
            for model, n in zip(meta["models"], meta["model_n"], strict=True):
                col.add_latencies(model, floats[pos:pos + n])
                pos += n
        else:
            pos = sum(meta["model_n"])
            for c, tot in zip(combos, meta["totals"], strict=True):
                n = tot[M_DURN]
                if filters.match(c):
                    col.combos[c] = tot
                    col.add_latencies(c[MODEL], floats[pos:pos + n])
                pos += n
        if need_slots:
            if binascii.crc32(self._slots) != self._slots_crc:
                raise ValueError("damaged cache")
            ns = meta["nslots"]
            ids, m = array("q"), array("q")
            ids.frombytes(self._slots[:8 * ns])
            m.frombytes(self._slots[8 * ns:])
            col.slots = {slot: m[i * NM:(i + 1) * NM].tolist() for i, slot in enumerate(ids)}
        return col


def _read(store: Path) -> _Cached | None:
    try:
        return _Cached((store / SUMMARY_DIR / SETTLED_CACHE).read_bytes())
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None
