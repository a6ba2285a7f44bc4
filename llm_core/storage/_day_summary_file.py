"""The per-day summary file: DayBuilder (storage/_day_builder.py) makes one from a day's lines
with pack() and section_two() below, DaySummary reads one.

    header     magic b"LLMTSUM7", the lengths of meta and body, the CRC-32 of meta + body +
               section 1 and the CRC-32 of section 2 (struct "<8sIIII")
    meta       JSON: source file identity, offset read to, bad and good line counts, slot range,
               the sizes and array type codes of the two binary sections, `wide` (below)
    body       zlib of JSON: combos, per-combo totals, models, per-model latency counts, per-slot
               totals
    section 1  latencies per model (sorted)
    section 2  zlib of the per (combo, slot) groups as columns: combo ids, slots (from min_slot),
               each of the NM metrics, then the groups' latencies

Columns are as narrow as their values allow (storage/_columns.py: a count of 3 takes a byte, a
whole-millisecond latency four), and section 2 is compressed: together ~4x smaller than int64
and float64 throughout (format 6), which keeps the summaries a few percent of the store.
Section 1 answers whole-day reports; section 2 is read for windows that cut a day, filters,
and per-combo latencies (month roll-ups, storage/_month_summary_file.py).
A summary whose checksum does not match (flipped bytes, truncated) is not read: read_summary
returns None and rows() raises DamagedSummary, and the caller rebuilds it from the day file.

Sums are Python ints and may outgrow int64 (a usage of 1e20 tokens, a cost of 2e7 USD in
1e-12 units): such a summary is `wide`, its sums written as decimal text (per-combo and
per-slot totals as JSON strings, the section 2 metrics as comma-separated digits, meta
`m_len` bytes long) instead of integers. Any other summary is as compact as above.
"""

from __future__ import annotations

import binascii
import os
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import orjson

from llm_core.storage._columns import pack_floats, pack_ints, size, unpack
from llm_core.storage._day_records import (
    M_DURN,
    NM,
)

T = TypeVar("T")

__all__ = [
    "FORMAT",
    "DamagedSummary",
    "DaySummary",
    "SlotBounds",
    "fits_int64",
    "model_key",
    "pack",
    "read_first_section",
    "read_summary",
    "read_summary_meta",
    "section_one_end",
    "section_two",
]

_MAGIC = b"LLMTSUM7"  # 6: blocked calls are their own outcome, without a latency; 7: narrow columns, zlib
_HEAD = struct.Struct("<8sIIII")
FORMAT = _MAGIC.decode()  # what roll-ups and the settled days' cache merged from


class DamagedSummary(ValueError):
    """A summary file whose bytes do not match its checksum: rebuild it, never read it."""


def fits_int64(values: Iterable[int]) -> bool:
    """Whether every one of the integers `values` fits a signed 64-bit int (orjson's)."""
    try:  # a C-level conversion, which stops at the first value out of range
        array("q", values)
    except OverflowError:
        return False
    return True


# ---------------------------------------------------------------- writing


def section_two(cids: list[int], slots: list[int], m_col: list[int], durs: list[float],
                 wide: bool) -> tuple[list, bytes]:
    """(type codes, bytes) of section 2: its columns packed narrow, then compressed (level 1:
    most of the gain at a small part of the time of the default level)."""
    cid_code, cid_bytes = pack_ints(cids)
    slot_code, slot_bytes = pack_ints(slots)
    if wide:
        m_codes: list[str] | int = len(text := ",".join(map(str, m_col)).encode())
        m_bytes = [text]
    else:
        packed = [pack_ints(m_col[k::NM]) for k in range(NM)]
        m_codes, m_bytes = [c for c, _ in packed], [b for _, b in packed]
    dur_code, dur_bytes = pack_floats(durs)
    raw = b"".join([cid_bytes, slot_bytes, *m_bytes, dur_bytes])
    return [cid_code, slot_code, m_codes, dur_code], zlib.compress(raw, 1)


def pack(meta: dict, body: dict, s1: bytes, s2: bytes) -> bytes:
    mb, bb = orjson.dumps(meta), zlib.compress(orjson.dumps(body), 1)
    head = mb + bb + s1
    return _HEAD.pack(_MAGIC, len(mb), len(bb), binascii.crc32(head), binascii.crc32(s2)) + head + s2


def model_key(m: str | None) -> tuple:
    return (m is None, m or "")


# ---------------------------------------------------------------- reading

class SlotBounds:
    """min_slot and max_slot of a summary (a day's or a month roll-up's): its `meta`'s."""

    meta: dict

    @property
    def min_slot(self) -> int | None:
        return self.meta["min_slot"]

    @property
    def max_slot(self) -> int | None:
        return self.meta["max_slot"]


class DaySummary(SlotBounds):
    """A decoded summary. Section 1 (day totals per combo, latencies per model, totals per
    slot) is read eagerly; section 2 (groups per combo and slot, per-combo latencies) on demand."""

    def __init__(self, path: Path | None, data: bytes) -> None:
        """Decode `data` (at least up to the end of section 1); DamagedSummary when it does not
        match its checksum, ValueError when it is not a summary of this format."""
        magic, ml, bl, crc, self._crc2 = _HEAD.unpack_from(data, 0)
        if magic != _MAGIC:
            raise ValueError("not a summary")
        self.path = path
        self.meta = orjson.loads(data[_HEAD.size:_HEAD.size + ml]) if len(data) >= _HEAD.size + ml else None
        if type(self.meta) is not dict or type(self.meta.get("s1")) is not int:
            raise DamagedSummary("damaged summary")
        self._blob_at = _HEAD.size + ml + bl
        end = self._blob_at + self.meta["s1"]
        if len(data) < end or binascii.crc32(data[_HEAD.size:end]) != crc:
            raise DamagedSummary("damaged summary")
        body = orjson.loads(zlib.decompress(data[_HEAD.size + ml:self._blob_at]))
        self._head = data[:self._blob_at]
        self._data = data if len(data) > end else None
        self.combos: list[list] = body["combos"]
        self.totals: list[list[int]] = body["totals"]
        self.models: list[str | None] = body["models"]
        self.model_n: list[int] = body["model_n"]
        self.day_slots: list[list[int]] = body["day_slots"]
        if self.meta["wide"]:
            self.totals = [list(map(int, t)) for t in self.totals]
            self.day_slots = [list(map(int, r)) for r in self.day_slots]
        self._s1 = unpack(self.meta["s1_code"], data[self._blob_at:end])
        self._rows: tuple | None = None
        self._combo_durs: list[array] | None = None

    def model_durations(self) -> list[array]:
        out, pos = [], 0
        for n in self.model_n:
            out.append(self._s1[pos:pos + n])
            pos += n
        return out

    def combo_durations(self) -> list[array]:
        """Per combo its latencies, sorted (from section 2: see rows())."""
        if self._combo_durs is None:
            durs = self.rows()[3] if self._rows is not None else self._durations()
            out, pos = [], 0
            for tot in self.totals:  # the groups are in combo order: a combo's latencies are a run
                n = tot[M_DURN]
                out.append(array("d", sorted(durs[pos:pos + n])))
                pos += n
            self._combo_durs = out
        return self._combo_durs

    def _durations(self) -> array:
        """Section 2's latencies alone (what month roll-ups merge), without decoding the rest."""
        raw = self._section_two()
        n, (cid_code, slot_code, m_codes, dur_code) = self.meta["nrows"], self.meta["s2_codes"]
        at = size(cid_code, n) + size(slot_code, n)
        at += m_codes if self.meta["wide"] else sum(size(code, n) for code in m_codes)
        return array("d", unpack(dur_code, raw[at:]))

    def _section_two(self) -> bytes:
        """Section 2 uncompressed, checked. If another reporter replaced the file meanwhile,
        this summary becomes the new one as a whole (so read it before using section 1)."""
        data = self._data
        if data is None:
            data = self.path.read_bytes()  # type: ignore[union-attr]
            if not data.startswith(self._head):
                self.__init__(self.path, data)
        at = self._blob_at + self.meta["s1"]
        s2 = data[at:at + self.meta["s2"]]
        if len(s2) != self.meta["s2"] or binascii.crc32(s2) != self._crc2:
            raise DamagedSummary("damaged summary")
        return zlib.decompress(s2)

    def rows(self) -> tuple[array, array, array | list, array]:
        """Section 2: (combo id, slot, flat metrics, latencies) of every (combo, slot) group.

        Read from disk when needed. If another reporter replaced the file meanwhile, this
        summary becomes the new one as a whole (so call rows() before using section 1).
        DamagedSummary when section 2 does not match its checksum."""
        if self._rows is None:
            self._rows = _read_section_two(self._section_two(), self.meta)
            self._data = None
        return self._rows


def _read_section_two(raw: bytes, meta: dict) -> tuple[array, array, array | list, array]:
    n = meta["nrows"]
    cid_code, slot_code, m_codes, dur_code = meta["s2_codes"]
    pos = 0

    def take(code: str, count: int) -> array:
        nonlocal pos
        end = pos + size(code, count)
        got = unpack(code, raw[pos:end])
        pos = end
        return got

    cid = array("q", take(cid_code, n))
    slot = array("q", take(slot_code, n))
    if n and meta["min_slot"]:
        base = meta["min_slot"]
        slot = array("q", [s + base for s in slot])
    if meta["wide"]:
        text, pos = raw[pos:pos + m_codes], pos + m_codes
        m: array | list = list(map(int, text.split(b","))) if n else []
    else:
        m = array("q", bytes(8 * n * NM))
        for k, code in enumerate(m_codes):
            m[k::NM] = array("q", take(code, n))
    durs = array("d", take(dur_code, meta["ndurs"]))
    return cid, slot, m, durs


def section_one_end(data: bytes) -> int:
    _, ml, bl, _, _ = _HEAD.unpack_from(data, 0)
    return _HEAD.size + ml + bl + orjson.loads(data[_HEAD.size:_HEAD.size + ml])["s1"]


def read_summary_meta(path: Path) -> dict | None:
    """The meta of the summary at `path` (its counts: records, ndurs, ...), reading nothing
    else and checking no checksum: for estimates only; None when missing or not a summary."""
    try:
        with open(path, "rb") as f:
            magic, ml, _, _, _ = _HEAD.unpack(f.read(_HEAD.size))
            fits = ml <= os.fstat(f.fileno()).st_size - _HEAD.size  # damage can claim 4 GB
            meta = orjson.loads(f.read(ml)) if magic == _MAGIC and fits else None
        return meta if type(meta) is dict else None
    except (OSError, struct.error, orjson.JSONDecodeError):
        return None


def read_summary(path: Path) -> DaySummary | None:
    """The summary at `path`, reading only section 1; None when missing, unreadable, of another
    format version or damaged (the caller rebuilds it)."""
    return read_first_section(path, _MAGIC, lambda meta: meta["s1"], DaySummary)


def read_first_section(path: Path, magic: bytes, first_size: Callable[[Any], Any],
                       make: Callable[[Path, bytes], T]) -> T | None:
    """make(path, bytes) of the file at `path` up to the end of its first section (header,
    meta, body, then `first_size(meta)` bytes): the layout of day summaries and month roll-ups
    alike. None when the file is missing, unreadable, of another format (not `magic`) or
    damaged (the caller builds it again)."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD.size)
            found, ml, bl, _, _ = _HEAD.unpack(head)
            room = os.fstat(f.fileno()).st_size - _HEAD.size
            if found != magic or ml + bl > room:  # read() would allocate what damage claims
                return None
            meta_body = f.read(ml + bl)
            n = first_size(orjson.loads(meta_body[:ml]))
            if type(n) is not int or not 0 <= n <= room - ml - bl:
                return None
            return make(path, head + meta_body + f.read(n))
    except (OSError, ValueError, KeyError, IndexError, TypeError, struct.error, orjson.JSONDecodeError):
        return None
