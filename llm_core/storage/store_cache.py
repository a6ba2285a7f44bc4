"""A store's settled days in one file (`.summaries/settled.cache`), so a report over many
stores reads one file per store, not one per day.

    col = collect_store(store, window, filters, need_slots)   # == collect(store, ...)

Reports over 20 stores otherwise open 20 times as many summaries as one store of the same
size, and merge each store's day groups one by one: a (project, agent, operation, model,
provider, success) group appears in every day of every store. Month roll-ups
(month_summaries.py) help windows that hold whole months; this cache is made for the window
of the report that wrote it (`--days 30`, `week`, `all`): the settled days it holds whole,
already merged (per-group totals, per-slot totals, latencies sorted per model and per group, so
filters on project, agent, model or provider are answered from it too; filters with slots are
not, they need each day's groups per slot), and the settled days outside it, counted only (their
files and unreadable lines, which every report reports).

It is used when every day it holds still has the identity (inode, size, mtime) its summary
was built from, the window holds every day it merged whole and none of those it counted. Any
other day (today's, still growing; a day the window cuts; a new day) is read from its own
summary, so the result is always what collect() gives. It is rewritten when a report finds it
does not fit (another window, a day changed or gone) and the window holds at least two settled
days (UTC days before today: today's changes with every call) holding at most MAX_CALLS timed
calls. Deleting it is always safe, and a store that cannot be written is read without it.

    header   magic b"LLMSETL3", the lengths of the JSON part, the combos, the totals, the
             latencies per model, per combo, and of the slots; CRC-32s of JSON + combos +
             totals (what every report reads), of the latencies per model (read by reports with
             percentiles), of the latencies per combo (read by those with filters) and of the
             slots (read when asked for). These two are zlib-compressed (level 1: a quarter of
             the size); the rest is not, so reading it costs no decompression.
    JSON     the summaries' FORMAT, the days merged {day: [ino, dev, size, mtime_ns]}, the days
             counted {day: [ino, dev, size, mtime_ns, min slot, max slot]}, the merged days'
             slot range, bad lines, files, models, per-model latency counts, number of slots,
             the largest total
    combos   each combo as a JSON array (orjson.dumps(combo): the same bytes in every store),
             one a line: a report over many stores sums them by these keys (Packed), unparsed
    totals   int64 per-combo totals (NM each, never negative): no JSON numbers to parse
    latencies  float64 per model (each sorted), then float64 per combo (each sorted)
    slots    int64 slot ids, then int64 per-slot metrics (NM each)

A report that shows no percentile (projects, costs, agents, models, patterns) reads neither
latency part (need_latencies=False): over twenty stores, what each one costs is what counts.
"""

from __future__ import annotations

import binascii
import calendar
import contextlib
import gc
import operator
import os
import struct
import time
import zlib
from array import array
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import orjson

from llm_core.dayfiles import day_file_stat
from llm_core.records import (
    SETTLED_CACHE,
    SUMMARY_DIR,
    TELEMETRY_FILE,
    day_names,
    utc_today,
)
from llm_core.storage._files import write_summary
from llm_core.storage.collect import Collection, add_summaries, collect
from llm_core.storage.day_summaries import (
    FORMAT,
    M_DURN,
    NM,
    DaySummary,
    day_files,
    read_summary_meta,
    summaries,
    summary_path,
)
from llm_core.storage.month_summaries import slot_place, whole_closed_months
from llm_core.storage.windows import MODEL, NO_FILTERS, Filters, Window

__all__ = ["Packed", "collect_store", "collect_store_packed", "day_identity", "day_unchanged", "paused_gc"]

_MAGIC = b"LLMSETL3"
_HEAD = struct.Struct("<8sIIIIIIIIII")
_INT64 = (0, 2**63 - 1)  # the totals: Packed sums them in 128-bit lanes
# A cache keeps every latency of the days it merged (twice: per model, per combo), and writing
# one costs a few times a report (~0.3 s at this size). Past this many timed calls a store is
# left to its month roll-ups and day summaries: the cache is for the many small stores of a
# team's projects, and must stay a small part of each.
MAX_CALLS = 250_000


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


class Packed(NamedTuple):
    """A store's cached per-combo totals, not decoded: the combos as their JSON arrays (the
    same bytes for the same combo in every store), their int64 totals, NM each, in that
    order, and the largest of them. storage/multi.py sums many stores' by these keys and
    decodes the union once."""

    keys: list[bytes]
    totals: bytes
    largest: int

    def decoded(self) -> dict[tuple, list[int]]:
        """{combo: its NM totals}: the keys parsed in one call, the totals read unsigned (a sum
        of many stores' may pass 2**63; a cache holds none past it)."""
        flat = array("Q")
        flat.frombytes(self.totals)
        values = flat.tolist()
        combos = orjson.loads(b"[" + b",".join(self.keys) + b"]")
        return {tuple(c): values[i * NM:(i + 1) * NM] for i, c in enumerate(combos)}


def collect_store(store: Path | str, window: Window, filters: Filters = NO_FILTERS,
                  need_slots: bool = True, need_latencies: bool = True) -> Collection:
    """What collect(store, window, filters, need_slots) gives, from the cache where it fits;
    without `need_latencies`, `latencies` may hold none (the report shows no percentile)."""
    with paused_gc():
        return _collect_store(Path(store), window, filters, need_slots, need_latencies, False)[0]


def collect_store_packed(store: Path | str, window: Window, filters: Filters = NO_FILTERS,
                         need_slots: bool = True, need_latencies: bool = True,
                         seen: dict | None = None) -> tuple[Collection, Packed | None]:
    """collect_store(), for a report over many stores: the combos the cache answers left
    packed (the selection is the Collection's combos plus the Packed ones; None: all are in
    the Collection), and the cache answering windows that hold whole closed months too.
    `seen` gets {day: identity} for every day folder: the identity (day_identity) of the day
    file the day's numbers came from, as the cache or the day's summary recorded it."""
    with paused_gc():
        return _collect_store(Path(store), window, filters, need_slots, need_latencies, True, seen)


def day_identity(path: str) -> list[int] | None:
    """[ino, dev, size, mtime_ns] of the day file `path` as a whole (dayfiles.day_file_stat);
    None when the day folder has none."""
    try:
        st = day_file_stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]


def _collect_store(store: Path, window: Window, filters: Filters, need_slots: bool,
                   need_latencies: bool, pack: bool, seen: dict | None = None
                   ) -> tuple[Collection, Packed | None]:
    if need_slots and not filters.empty:
        return _collect(store, None, window, filters, need_slots, need_latencies, seen), None
    days = day_names(store)
    if not pack and whole_closed_months(days, window) >= 2:
        # One store answers such a window from its month roll-ups (a year: ~12 files and this
        # month's days) and keeps its cache for the short windows; a report over many stores
        # (collect_store_packed) reads each one's cache, a file a store, while it fits.
        return _collect(store, days, window, filters, need_slots, need_latencies, seen), None
    cached = _read(store, filters.empty, need_slots, need_latencies)
    got = None if cached is None else _from_cache(cached, store, days, window, filters, need_slots, pack, seen)
    if got is not None:
        return got
    col = _collect(store, days, window, filters, need_slots, need_latencies, seen)
    today = utc_today()  # today's day changes with every call: never cached
    settled = [(day, path) for day, path in day_files(store) if day < today]
    held = [day for day, _ in settled if _held_by_name(day, window)]
    if len(held) >= 2 and _timed_calls(store, held) <= MAX_CALLS:
        data = _encode(summaries(store, None, settled, None), window)
        if data is not None:
            with contextlib.suppress(OSError):  # a read-only store is read without the cache
                write_summary(store / SUMMARY_DIR / SETTLED_CACHE, data)
    return col, None


def _collect(store: Path, days: list[str] | None, window: Window, filters: Filters, need_slots: bool,
             need_latencies: bool, seen: dict | None) -> Collection:
    """collect(); with `seen`, the day files' identities taken first: a change while collecting
    shows as a changed identity next time."""
    if seen is not None:
        base, tail = os.path.join(store, ""), os.sep + TELEMETRY_FILE
        seen.update((day, day_identity(base + day + tail)) for day in (day_names(store) if days is None else days))
    return collect(store, window, filters, need_slots, need_latencies)


def _timed_calls(store: Path, days: list[str]) -> int:
    """The timed calls of `days` by their summaries' metas (collect() has just made them
    current), counted until past MAX_CALLS: a big store is left to its roll-ups and summaries
    without loading any of them (190 MB for a 30-day report at 10M calls a year), and each of
    its reports that the cache does not answer reads a few hundred bytes a day for this. A day
    without a summary counts 0: _encode then decides, as before."""
    total = 0
    for day in days:
        meta = read_summary_meta(summary_path(store, day))
        total += 0 if meta is None else meta.get("ndurs", 0)
        if total > MAX_CALLS:
            break
    return total


def _held_by_name(day: str, window: Window) -> bool:
    """Whether the window holds the whole UTC day (its folder holds that day's records only)."""
    start = calendar.timegm(time.strptime(day, "%Y-%m-%d")) * 1000
    return ((window.start is None or window.start <= start)
            and (window.end is None or start + 86_400_000 <= window.end))


def _from_cache(cached: _Cached, store: Path, days: list[str], window: Window, filters: Filters,
                need_slots: bool, pack: bool, seen: dict | None = None
                ) -> tuple[Collection, Packed | None] | None:
    """The selection from the cache (its combos Packed, with `pack` and no filters) and the
    summaries of the days it does not hold (`days`: the store's day folders); None when the
    cache does not fit this window or the store. `seen`: as collect_store_packed() says."""
    if not _fits(cached, store, days, window):
        return None
    pack = pack and filters.empty
    try:
        col = cached.collection(filters, need_slots, with_combos=not pack)
    except ValueError:  # its slots are damaged
        return None
    rest = [(day, store / day / TELEMETRY_FILE) for day in days
            if day not in cached.days and day not in cached.out]
    pairs = summaries(store, None, rest, None) if rest else []
    if pairs:
        add_summaries(col, pairs, window, filters, need_slots, store)
    if seen is not None:  # what the cache was made from, and each other day's summary
        seen.update(cached.days)
        seen.update((day, v[:4]) for day, v in cached.out.items())
        seen.update((day, None) for day, _ in rest)  # gone meanwhile: no summary
        seen.update((path.parent.name, _source(s)) for path, s in pairs)
    return col, cached.packed() if pack else None


def _source(s: DaySummary) -> list[int]:
    src = s.meta["source"]
    return [src["ino"], src["dev"], src["size"], src["mtime_ns"]]


def _fits(cached: _Cached, store: Path, days: list[str], window: Window) -> bool:
    """Every day the cache holds is unchanged, and the window holds each it merged whole and
    none of those it only counted (they were outside the window it was made for)."""
    if cached.days and slot_place(cached.min_slot, cached.max_slot, window) != "in":
        return False
    present = set(days)
    if not (present.issuperset(cached.days) and present.issuperset(cached.out)):
        return False
    for *_, lo, hi in cached.out.values():
        if slot_place(lo, hi, window) != "out":
            return False
    # The day files' names by concatenation: os.path.join costs as much as the stat itself.
    base, tail = os.path.join(store, ""), os.sep + TELEMETRY_FILE
    days_had = [*cached.days.items(), *((day, v[:4]) for day, v in cached.out.items())]
    try:  # the usual case, every day unchanged: one stat each, compared all at once
        now = [[st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]
               for st in [os.stat(base + day + tail) for day, _ in days_had]]
        if now == [identity for _, identity in days_had]:
            return True
    except OSError:  # a day compressed since (its .gz answers), or gone
        pass
    return all(day_unchanged(base + day + tail, identity) for day, identity in days_had)


def day_unchanged(path: str, identity: list[int]) -> bool:
    """Whether the day file `path` still has the identity (dayfiles.day_file_stat) its cached
    summary was built from. One stat of the plain file answers for a day never compressed: if
    it is unchanged, so are its lines, also when a .gz of them appeared since (its leftover)."""
    try:  # not contextlib.suppress: this runs for every day of every store
        st = os.stat(path)
        if identity == [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]:
            return True
    except OSError:
        pass
    try:
        st = day_file_stat(path)
    except OSError:
        return False
    return identity == [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns]


# ---------------------------------------------------------------- the file

def _encode(pairs: list[tuple[Path, DaySummary]], window: Window) -> bytes | None:
    """The cache of the days `window` holds whole (merged) and of those outside it (counted);
    None when a sum outgrows int64."""
    ids: dict[tuple, int] = {}
    totals: list[list[int]] = []
    combo_lat: list[list] = []
    model_lat: dict = {}
    slots: dict[int, list[int]] = {}
    meta: dict = {"format": FORMAT, "days": {}, "out": {}, "min_slot": None, "max_slot": None,
                  "bad": 0, "files": 0}
    for path, s in pairs:
        src = s.meta["source"]
        identity = [src["ino"], src["dev"], src["size"], src["mtime_ns"]]
        place = slot_place(s.min_slot, s.max_slot, window)
        if place == "cut":
            continue  # read from its own summary
        meta["bad"] += s.meta["bad"]
        meta["files"] += 1
        if place == "out":
            meta["out"][path.parent.name] = [*identity, s.min_slot, s.max_slot]
            continue
        meta["days"][path.parent.name] = identity
        lo, hi = meta["min_slot"], meta["max_slot"]
        meta["min_slot"] = s.min_slot if lo is None else min(lo, s.min_slot)
        meta["max_slot"] = s.max_slot if hi is None else max(hi, s.max_slot)
        durations = s.combo_durations()  # before s.combos: reading section 2 may refresh s
        for c, tot, lat in zip(s.combos, s.totals, durations, strict=True):
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
    if sum(len(seq) for seqs in model_lat.values() for seq in seqs) > MAX_CALLS:
        return None
    flat = [v for t in totals for v in t] + [v for m in slots.values() for v in m]
    if flat and not (_INT64[0] <= min(flat) and max(flat) <= _INT64[1]):
        return None
    models = list(model_lat)
    model_values = [sorted(chain.from_iterable(model_lat[m])) for m in models]
    meta.update(models=models, model_n=[len(v) for v in model_values], nslots=len(slots),
                largest=max((v for t in totals for v in t), default=0))
    body = orjson.dumps(meta)
    by_key = b"\n".join(map(orjson.dumps, ids))
    by_total = array("q", chain.from_iterable(totals)).tobytes()
    by_model = array("d", chain.from_iterable(model_values)).tobytes()
    by_combo = array("d", chain.from_iterable(sorted(chain.from_iterable(seqs)) for seqs in combo_lat)).tobytes()
    by_slot = array("q", slots).tobytes() + array("q", [v for m in slots.values() for v in m]).tobytes()
    by_combo, by_slot = zlib.compress(by_combo, 1), zlib.compress(by_slot, 1)
    parts = (body + by_key + by_total, by_model, by_combo, by_slot)
    head = _HEAD.pack(_MAGIC, len(body), len(by_key), len(by_total), *map(len, parts[1:]),
                      *map(binascii.crc32, parts))
    return head + b"".join(parts)


class _Cached:
    """A decoded cache: of the latencies and the slots, only those read (`_read`)."""

    def __init__(self, head: bytes, body: bytes, by_model: bytes | None, by_combo: bytes | None,
                 slots: bytes | None) -> None:
        magic, jl, kl, tl, *lengths = _HEAD.unpack(head)
        parts, crcs = (body, by_model, by_combo, slots), lengths[3:]
        if magic != _MAGIC or any(
                part is not None and (len(part) != n or binascii.crc32(part) != crc)
                for part, n, crc in zip(parts, (jl + kl + tl, *lengths[:3]), crcs, strict=True)):
            raise ValueError("damaged cache")
        meta = orjson.loads(body[:jl])
        if meta["format"] != FORMAT:  # made from summaries that count otherwise
            raise ValueError("old cache")
        self.days: dict[str, list[int]] = meta["days"]  # merged: the window held them whole
        self.out: dict[str, list] = meta["out"]  # only counted: outside the window
        self.min_slot, self.max_slot = meta["min_slot"], meta["max_slot"]
        self.largest: int = meta["largest"]
        self.meta = meta
        self._keys = body[jl:jl + kl]
        self._totals = body[jl + kl:]
        self._by_model = by_model
        self._by_combo = None if by_combo is None else zlib.decompress(by_combo)
        self._slots = None if slots is None else zlib.decompress(slots)

    def packed(self) -> Packed:
        return Packed(self._keys.split(b"\n") if self._keys else [], self._totals, self.largest)

    def collection(self, filters: Filters, need_slots: bool, with_combos: bool = True) -> Collection:
        """The cached selection: with its combos unless they are to be packed (no filters),
        with latencies when they were read."""
        meta = self.meta
        col = Collection(corrupt_lines=meta["bad"], files=meta["files"])
        if with_combos:
            combos = orjson.loads(b"[" + self._keys.replace(b"\n", b",") + b"]")
            flat = array("q")
            flat.frombytes(self._totals)
            values = flat.tolist()
            totals = [values[i:i + NM] for i in range(0, len(values), NM)]
            if filters.empty:
                col.combos = dict(zip(map(tuple, combos), totals, strict=True))
            else:
                self._filtered(col, filters, combos, totals)
        if filters.empty and self._by_model is not None:
            self._model_latencies(col)
        if need_slots:
            ns, slots = meta["nslots"], memoryview(self._slots)  # type: ignore[arg-type]
            ids, m = array("q"), array("q")
            ids.frombytes(slots[:8 * ns])
            m.frombytes(slots[8 * ns:])
            col.slots = {slot: m[i * NM:(i + 1) * NM].tolist() for i, slot in enumerate(ids)}
        return col

    def _model_latencies(self, col: Collection) -> None:
        floats = array("d")
        floats.frombytes(self._by_model)  # type: ignore[arg-type]
        pos = 0
        for model, n in zip(self.meta["models"], self.meta["model_n"], strict=True):
            col.add_latencies(model, floats[pos:pos + n])
            pos += n

    def _filtered(self, col: Collection, filters: Filters, combos: list, totals: list[list[int]]) -> None:
        """The combos the filters select, with their latencies when those were read."""
        floats, by_combo = array("d"), self._by_combo
        if by_combo is not None:
            floats.frombytes(by_combo)
        pos = 0
        for c, tot in zip(combos, totals, strict=True):
            n = tot[M_DURN]
            if filters.match(c):
                col.combos[tuple(c)] = tot
                if by_combo is not None:
                    col.add_latencies(c[MODEL], floats[pos:pos + n])
            pos += n


def _read(store: Path, filters_empty: bool, need_slots: bool, need_latencies: bool) -> _Cached | None:
    """The cache, reading what this report needs: the latencies per model only for percentiles
    without filters, those per combo only for percentiles with filters, the slots only when
    asked for (a month of slots is most of the file)."""
    try:
        with open(store / SUMMARY_DIR / SETTLED_CACHE, "rb") as f:
            head = f.read(_HEAD.size)
            _, jl, kl, tl, ml, cl, _, _, _, _, _ = _HEAD.unpack(head)
            if jl + kl + tl + ml + cl > os.fstat(f.fileno()).st_size - _HEAD.size:
                return None  # damaged: read() would allocate the gigabytes it claims
            body = f.read(jl + kl + tl)
            by_model = by_combo = slots = None
            if need_latencies and filters_empty:
                by_model = f.read(ml)
            elif need_latencies:
                f.seek(ml, os.SEEK_CUR)
                by_combo = f.read(cl)
            if need_slots:
                f.seek(_HEAD.size + jl + kl + tl + ml + cl)
                slots = f.read()
        return _Cached(head, body, by_model, by_combo, slots)
    except (OSError, ValueError, KeyError, TypeError, struct.error, zlib.error):
        return None
