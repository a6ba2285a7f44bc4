"""The month roll-up file: one closed month's day summaries merged (`.summaries/YYYY-MM.sum`).

A year report reads twelve of these instead of 365 day summaries. A roll-up holds what whole-
day reports read from a day summary's section 1, summed over the month: per-combo totals,
per-slot totals, and the latencies, kept as value -> count (durations are whole milliseconds
with few distinct values, so a month of them shrinks ~10x and percentiles stay exact).
It has no (combo, slot) groups: a report that needs those (filters with per-day or per-hour
output) or a window that cuts the month reads the month's day summaries instead.

    header     magic b"LLMTMON2", the lengths of meta and body, the CRC-32 of meta + body +
               section A and the CRC-32 of section B (struct "<8sIIII")
    meta       JSON: `days` (each day file's identity as its day summary recorded it: the
               roll-up is current only while every one still matches), `day_format` (the
               day summaries' format it was merged from: another one means rebuild), bad
               lines, records, files, slot range, section sizes and array type codes, `wide`
    body       zlib of JSON: combos, per-combo totals, models, distinct-value counts; then
               apart (parsed only when a report asks for them) the per-slot totals
    section A  per model: distinct latencies (sorted), then their cumulative counts, as narrow
               columns (storage/_columns.py), zlib-compressed
    section B  the same per combo, read only for filtered reports

Sums beyond 64 bits make a roll-up `wide` (decimal strings in the body), as in a day summary.
"""

from __future__ import annotations

import binascii
import struct
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate, chain
from pathlib import Path

import orjson

from llm_core.storage._columns import pack_floats, pack_ints, size, unpack
from llm_core.storage._day_records import M_DURN, NM
from llm_core.storage._day_summary_file import FORMAT as DAY_FORMAT
from llm_core.storage._day_summary_file import SlotBounds, fits_int64, model_key, read_first_section

__all__ = ["Counted", "DamagedMonth", "MonthSummary", "merge_days", "read_month", "section_a_end"]

_MAGIC = b"LLMTMON2"
_HEAD = struct.Struct("<8sIIII")
class DamagedMonth(ValueError):
    """A roll-up whose bytes do not match its checksum: read the month's days instead."""


class Counted:
    """A sorted multiset held as its distinct values and their cumulative counts.

    It behaves as the sorted sequence of all its values (len, indexing, bisect), and offers
    count_le/count_lt that the percentile search uses directly."""

    __slots__ = ("cum", "values")

    def __init__(self, values, cum) -> None:
        self.values = values
        self.cum = cum

    def __len__(self) -> int:
        return self.cum[-1] if len(self.cum) else 0

    def __getitem__(self, i: int) -> float:
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return float(self.values[bisect_right(self.cum, i)])

    def count_le(self, x: float) -> int:
        k = bisect_right(self.values, x)
        return self.cum[k - 1] if k else 0

    def count_lt(self, x: float) -> int:
        k = bisect_left(self.values, x)
        return self.cum[k - 1] if k else 0


# ---------------------------------------------------------------- building

def _counted(values) -> tuple[array, array]:
    """(distinct values sorted, cumulative counts) of an iterable of latencies, as arrays: a
    month of them per combo is held at once."""
    items = sorted(Counter(values).items())
    return array("d", [v for v, _ in items]), array("q", accumulate(c for _, c in items))


def _histograms(groups: list[list]) -> tuple[list[int], str, str, bytes]:
    """(distinct counts, value code, count code, bytes) of one latency histogram per group,
    compressed (sorted whole milliseconds: mostly zero high bytes; zlib undoes that at C speed
    when read, where deltas would need a Python pass over every value). Level 1, as a day's
    section 2: level 6 made roll-ups 12% smaller for a quarter of their build's time."""
    hists = [_counted(chain.from_iterable(g)) for g in groups]
    values, cums = array("d"), array("q")
    for v, c in hists:
        values.extend(v)
        cums.extend(c)
    vcode, vbytes = pack_floats(values)
    ccode, cbytes = pack_ints(cums)
    return [len(v) for v, _ in hists], vcode, ccode, zlib.compress(vbytes + cbytes, 1)


def merge_days(days: list[tuple[str, object]]) -> bytes:
    """The roll-up of (day, DaySummary) pairs (section 1 of each is enough)."""
    combo_ids: dict[tuple, int] = {}
    combos: list[list] = []
    totals: list[list[int]] = []
    combo_durs: list[list] = []
    slots: dict[int, list[int]] = {}
    sources, bad, records = {}, 0, 0
    for day, s in days:
        durations = s.combo_durations()  # first: reading section 2 may refresh the summary
        sources[day] = s.meta["source"]
        bad += s.meta["bad"]
        records += s.meta["records"]
        for c, tot, durs in zip(s.combos, s.totals, durations, strict=True):
            key = tuple(c)
            cid = combo_ids.get(key)
            if cid is None:
                cid = combo_ids[key] = len(combos)
                combos.append(c)
                totals.append([0] * NM)
                combo_durs.append([])
            totals[cid] = [a + b for a, b in zip(totals[cid], tot, strict=True)]
            combo_durs[cid].append(durs)
        for row in s.day_slots:
            have = slots.get(row[0])
            slots[row[0]] = row[1:] if have is None else [a + b for a, b in zip(have, row[1:], strict=True)]
    models = sorted({c[3] for c in combos}, key=model_key)
    by_model: dict = {m: [] for m in models}
    for c, durs in zip(combos, combo_durs, strict=True):
        by_model[c[3]].extend(durs)
    model_n, avc, acc, sec_a = _histograms([by_model[m] for m in models])
    combo_n, bvc, bcc, sec_b = _histograms(combo_durs)
    day_rows = [[s, *slots[s]] for s in sorted(slots)]
    slot_range = (day_rows[0][0], day_rows[-1][0]) if day_rows else (None, None)
    wide = not (fits_int64(chain.from_iterable(totals)) and fits_int64(chain.from_iterable(day_rows)))
    if wide:  # orjson writes no integer beyond 64 bits: decimal strings instead
        totals = [list(map(str, t)) for t in totals]
        day_rows = [list(map(str, r)) for r in day_rows]
    meta = {
        "days": sources, "day_format": DAY_FORMAT, "bad": bad, "records": records, "files": len(sources),
        "min_slot": slot_range[0], "max_slot": slot_range[1],
        "a": [len(sec_a), avc, acc], "b": [len(sec_b), bvc, bcc], "wide": wide,
    }
    body = {"combos": combos, "totals": totals, "models": models, "model_n": model_n, "combo_n": combo_n}
    slot_bytes = zlib.compress(orjson.dumps(day_rows), 1)
    meta["slots_len"] = len(slot_bytes)
    mb, bb = orjson.dumps(meta), zlib.compress(orjson.dumps(body), 1) + slot_bytes
    head = mb + bb + sec_a
    return _HEAD.pack(_MAGIC, len(mb), len(bb), binascii.crc32(head), binascii.crc32(sec_b)) + head + sec_b


# ---------------------------------------------------------------- reading

def section_a_end(data: bytes) -> int:
    _, ml, bl, _, _ = _HEAD.unpack_from(data, 0)
    return _HEAD.size + ml + bl + orjson.loads(data[_HEAD.size:_HEAD.size + ml])["a"][0]


def _unpack(data: bytes, sizes: list[int], codes: tuple[str, str]) -> tuple[list[array], list[array]]:
    """Per group (sizes: distinct counts) its value array and its cumulative-count array."""
    data = zlib.decompress(data)
    n = sum(sizes)
    split = size(codes[0], n)
    values, cums = unpack(codes[0], data[:split]), unpack(codes[1], data[split:])
    out_v, out_c, pos = [], [], 0
    for k in sizes:
        out_v.append(values[pos:pos + k])
        out_c.append(cums[pos:pos + k])
        pos += k
    return out_v, out_c


class MonthSummary(SlotBounds):
    """A decoded roll-up, with the attributes of a DaySummary that whole-day reports read
    (combos, totals, models, day_slots, min_slot, max_slot, meta, model_durations(),
    combo_durations()); latencies come as Counted sequences."""

    def __init__(self, path: Path | None, data: bytes) -> None:
        magic, ml, bl, crc, self._crc2 = _HEAD.unpack_from(data, 0)
        if magic != _MAGIC:
            raise ValueError("not a month roll-up")
        self.path = path
        self.meta = orjson.loads(data[_HEAD.size:_HEAD.size + ml])
        if self.meta.get("day_format") != DAY_FORMAT:
            raise ValueError("merged from day summaries of another format")
        self._a_at = _HEAD.size + ml + bl
        end = self._a_at + self.meta["a"][0]
        if len(data) < end or binascii.crc32(data[_HEAD.size:end]) != crc:
            raise DamagedMonth("damaged month roll-up")
        slots_at = self._a_at - self.meta["slots_len"]
        body = orjson.loads(zlib.decompress(data[_HEAD.size + ml:slots_at]))
        self._slot_bytes = data[slots_at:self._a_at]
        self._day_slots: list | None = None
        self._end = end
        self._data = data if len(data) > end else None
        self.combos: list[list] = body["combos"]
        self.totals: list[list[int]] = body["totals"]
        self.models: list[str | None] = body["models"]
        self._model_n, self._combo_n = body["model_n"], body["combo_n"]
        if self.meta["wide"]:
            self.totals = [list(map(int, t)) for t in self.totals]
        self._sec_a = data[self._a_at:end]

    @property
    def day_slots(self) -> list[list[int]]:
        """[slot, *metrics] of every slot with records (parsed when first asked for)."""
        if self._day_slots is None:
            rows = orjson.loads(zlib.decompress(self._slot_bytes))
            self._day_slots = [list(map(int, r)) for r in rows] if self.meta["wide"] else rows
        return self._day_slots

    def model_durations(self) -> list[Counted]:
        _, vc, cc = self.meta["a"]
        values, cums = _unpack(self._sec_a, self._model_n, (vc, cc))
        return [Counted(v, c) for v, c in zip(values, cums, strict=True)]

    def combo_durations(self) -> list[Counted]:
        """Per combo its latencies (section B, read now); DamagedMonth when it does not match."""
        size, vc, cc = self.meta["b"]
        data = self._data
        if data is None:
            data = self.path.read_bytes()  # type: ignore[union-attr]
        sec_b = data[self._end:self._end + size]
        if len(sec_b) != size or binascii.crc32(sec_b) != self._crc2:
            raise DamagedMonth("damaged month roll-up")
        values, cums = _unpack(sec_b, self._combo_n, (vc, cc))
        got = [Counted(v, c) for v, c in zip(values, cums, strict=True)]
        if [len(c) for c in got] != [t[M_DURN] for t in self.totals]:
            raise DamagedMonth("damaged month roll-up")  # replaced by another roll-up meanwhile
        return got


def read_month(path: Path) -> MonthSummary | None:
    """The roll-up at `path` without section B; None when missing, unreadable, of another
    format version or damaged (the caller reads the month's days and builds it again)."""
    return read_first_section(path, _MAGIC, lambda meta: meta["a"][0], MonthSummary)
