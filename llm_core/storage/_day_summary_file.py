"""The per-day summary file: DayBuilder makes one from a day's lines, DaySummary reads one.

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
import contextlib
import io
import struct
import zlib
from array import array
from collections import defaultdict, deque
from itertools import chain, compress, cycle
from pathlib import Path
from typing import Any

import orjson

from llm_core.storage._columns import pack_floats, pack_ints, size, unpack
from llm_core.storage._day_records import (
    BLOCKED,
    COST_LIMIT,
    COST_SCALE,
    DMAX,
    DUR_SCALE,
    M_DURN,
    NM,
    SLOT_MS,
    TAIL,
    TOKENS,
    TOP,
    Dims,
    extract,
    outcome,
    prefix_slot,
    slot_of,
)

__all__ = ["FORMAT", "DamagedSummary", "DayBuilder", "DaySummary", "SlotBounds", "read_summary", "read_summary_meta", "section_one_end"]

_MAGIC = b"LLMTSUM7"  # 6: blocked calls are their own outcome, without a latency; 7: narrow columns, zlib
_HEAD = struct.Struct("<8sIIII")
FORMAT = _MAGIC.decode()  # what roll-ups and the settled days' cache merged from
_INT64 = (-(2**63), 2**63 - 1)
BULK_BYTES = 4 << 20  # from here on add_bytes decodes with msgspec (storage/_bulk_records.py)


class DamagedSummary(ValueError):
    """A summary file whose bytes do not match its checksum: rebuild it, never read it."""


def _fits(values: list[int]) -> bool:
    return not values or (_INT64[0] <= min(values) and max(values) <= _INT64[1])
_METRIC_MASK = (True,) * NM + (False,)  # a group's metrics, not its latencies


# ---------------------------------------------------------------- building

class DayBuilder:
    """The groups of one day file, built from its lines; encode() makes the summary file.

    A group (one combo in one slot) is a list: the NM metrics, then its latencies."""

    def __init__(self) -> None:
        self.combo_ids: dict[Dims, int] = {}
        self.combos: list[Dims] = []
        self.slots: list[dict[int, list]] = []  # per combo id: slot -> group
        # The same slot dicts keyed by raw field values (project, agent, operation, model,
        # provider, success), all str or None: a record found here needs no normalising.
        self._raw: dict[tuple, dict[int, list]] = {}
        self.bad = 0
        self.records = 0
        self.offset = 0

    def add_bytes(self, data: bytes) -> None:
        """Summarise the complete lines of `data` (which starts at self.offset).

        The common record (llm-core's own shape) is summarised inline; anything else goes
        through extract(), the reference, so both give the same groups. Many lines at once
        (a day read whole) are decoded by msgspec (storage/_bulk_records.py), a few by orjson."""
        end = data.rfind(b"\n") + 1
        if end < len(data):
            data = data[:end]  # the last line is still being written
        if end >= BULK_BYTES:
            # Imported here: msgspec's ~25 ms import pays off only over megabytes of lines.
            from llm_core.storage._bulk_records import add_lines

            n, bad, blank = add_lines(self, data)
        else:
            # Lines one at a time from a BytesIO (sharing `data`), each with its newline (JSON
            # whitespace): faster than split() making them all first.
            n, bad, blank = self.add_lines(io.BytesIO(data))
        self.bad += bad
        self.records += n - bad - blank
        self.offset += end

    def add_lines(self, lines) -> tuple[int, int, int]:
        """Summarise an iterable of whole lines (orjson); returns (lines, bad, blank)."""
        raw, slots, loads, top, tokens, tail = self._raw, prefix_slot, orjson.loads, TOP, TOKENS, TAIL
        bad = blank = n = 0
        for n, line in enumerate(lines, 1):  # noqa: B007 (n: lines read)
            try:
                obj = loads(line)
            except orjson.JSONDecodeError:
                if line and not line.isspace():
                    bad += 1
                else:
                    blank += 1
                continue
            try:
                ts, agent, op, model, provider, success, tok, cost, d, meta = top(obj)
                ok = True if success is not False else outcome(obj)
                by_slot = raw[meta["project"], agent, op, model, provider, ok]
                slot = slots[ts[:17]]
                i, o, cr, cw, t = tokens(tok)
            except (KeyError, TypeError):
                by_slot = None
            if (by_slot is None or tail(ts, 17) is None or "provider_cost_usd" in obj
                    or not type(i) is type(o) is type(cr) is type(cw) is type(t) is int
                    or (i | o | cr | cw | t) < 0  # negative only if one of them is
                    or not (cost is None or ((type(cost) is float or type(cost) is int)
                                             and 0 <= cost < COST_LIMIT))
                    or not (d is None or ((type(d) is int or type(d) is float) and 0 <= d < DMAX))):
                if not self._add_record(obj):
                    bad += 1
                continue
            g = by_slot.get(slot)
            if g is None:
                g = by_slot[slot] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, []]
            # Literal indexes (M_CALLS ... M_DURN; M_BILLED, M_BILLED_COST and M_INVALID stay 0
            # here: such records went through _add_record above; then the latencies): this runs
            # per record.
            g[0] += 1
            g[1] += i
            g[2] += o
            g[3] += cr
            g[4] += cw
            g[5] += t
            if cost is None:
                g[7] += 1
            else:
                g[6] += round(cost * COST_SCALE)
            if type(d) is int:  # round(float(d) * DUR_SCALE) == d * DUR_SCALE below DMAX
                g[8] += d * DUR_SCALE
                g[9] += 1
                g[13].append(float(d))
            elif d is not None:
                g[8] += round(d * DUR_SCALE)
                g[9] += 1
                g[13].append(d)
        return n, bad, blank

    def _add_record(self, obj: Any) -> bool:
        """Add one record the slow, exact way; False if it is unusable."""
        got = extract(obj)
        if got is None:
            return False
        ts, dims, metrics, d = got
        by_slot = self._slots_of(dims)
        slot = ts // SLOT_MS
        g = by_slot.get(slot)
        if g is None:
            g = by_slot[slot] = [0] * NM + [[]]
        for k in range(NM):
            g[k] += metrics[k]
        if d is not None:
            g[NM].append(d)
        with contextlib.suppress(KeyError, TypeError):
            meta = obj["metadata"]
            rk = (meta["project"], obj["agent_name"], obj["operation"], obj["model"], obj["provider"])
            ok = outcome(obj)
            # A blocked call's latency is left out (extract): such records keep the slow path.
            if ok != BLOCKED and all(v is None or type(v) is str for v in rk):
                self._raw[(*rk, ok)] = by_slot
            slot_of(obj["timestamp"])
        return True

    def _slots_of(self, dims: Dims) -> dict[int, list]:
        cid = self.combo_ids.get(dims)
        if cid is None:
            cid = self.combo_ids[dims] = len(self.combos)
            self.combos.append(dims)
            self.slots.append({})
        return self.slots[cid]

    def encode(self, source: dict) -> bytes:
        combos = self.combos
        models = sorted({c[3] for c in combos}, key=_model_key)
        model_idx = {m: k for k, m in enumerate(models)}
        totals: list[list[int]] = []
        per_slot: dict[int, list[list]] = defaultdict(list)
        combo_durs: list[list[float]] = []
        cid_col: list[int] = []
        slot_col: list[int] = []
        m_col: list[int] = []
        dur_col: list[float] = []
        for cid, by_slot in enumerate(self.slots):  # rows in (combo, slot) order
            slots = sorted(by_slot)
            groups = list(map(by_slot.__getitem__, slots))
            flat = list(chain.from_iterable(groups))  # NM metrics and a latency list per group
            latencies = flat[NM::NM + 1]
            deque(map(list.sort, latencies), 0)
            cid_col += [cid] * len(slots)
            slot_col += slots
            m_col += compress(flat, cycle(_METRIC_MASK))
            durs = list(chain.from_iterable(latencies))
            dur_col += durs
            durs.sort()
            combo_durs.append(durs)
            totals.append([sum(flat[k::NM + 1]) for k in range(NM)])
            deque(map(list.append, map(per_slot.__getitem__, slots), groups), 0)
        day_slots = {}
        for slot, gs in per_slot.items():
            flat = list(chain.from_iterable(gs))
            day_slots[slot] = [sum(flat[k::NM + 1]) for k in range(NM)]
        nrows = len(cid_col)
        wide = not _fits(m_col)
        model_durs: list[list] = [[] for _ in models]
        for cid, values in enumerate(combo_durs):
            model_durs[model_idx[combos[cid][3]]].extend(values)
        for values in model_durs:
            values.sort()
        s1_code, s1 = pack_floats(list(chain.from_iterable(model_durs)))
        slots = sorted(day_slots)
        codes, s2 = _section_two(cid_col, [s - slots[0] for s in slot_col] if slots else [], m_col, dur_col, wide)
        meta = {
            "source": source, "offset": self.offset, "bad": self.bad, "records": self.records,
            "min_slot": slots[0] if slots else None, "max_slot": slots[-1] if slots else None,
            "s1": len(s1), "s1_code": s1_code, "s2": len(s2), "s2_codes": codes, "nrows": nrows,
            "ndurs": len(dur_col), "wide": wide,
        }
        day_rows = [[s, *day_slots[s]] for s in slots]
        if wide:  # orjson writes no integer beyond 64 bits: decimal strings instead
            totals = [list(map(str, t)) for t in totals]
            day_rows = [list(map(str, r)) for r in day_rows]
        body = {
            "combos": combos, "totals": totals, "models": models,
            "model_n": [len(a) for a in model_durs], "day_slots": day_rows,
        }
        return _pack(meta, body, s1, s2)

    @classmethod
    def from_summary(cls, summary: DaySummary) -> DayBuilder:
        """A builder holding what `summary` holds, to be extended with appended lines."""
        b = cls()
        cid, slot, m, durs = summary.rows()  # first: it may swap in a newer file's section 1
        b.combos = [tuple(c) for c in summary.combos]
        b.combo_ids = {c: k for k, c in enumerate(b.combos)}
        b.slots = [{} for _ in b.combos]
        pos = 0
        for r in range(len(cid)):
            g = list(m[r * NM:(r + 1) * NM])
            n = g[M_DURN]
            g.append(durs[pos:pos + n].tolist())
            b.slots[cid[r]][slot[r]] = g
            pos += n
        b.bad = summary.meta["bad"]
        b.records = summary.meta["records"]
        b.offset = summary.meta["offset"]
        return b


def _section_two(cids: list[int], slots: list[int], m_col: list[int], durs: list[float],
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


def _pack(meta: dict, body: dict, s1: bytes, s2: bytes) -> bytes:
    mb, bb = orjson.dumps(meta), zlib.compress(orjson.dumps(body), 1)
    head = mb + bb + s1
    return _HEAD.pack(_MAGIC, len(mb), len(bb), binascii.crc32(head), binascii.crc32(s2)) + head + s2


def _model_key(m: str | None) -> tuple:
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
            meta = orjson.loads(f.read(ml)) if magic == _MAGIC else None
        return meta if type(meta) is dict else None
    except (OSError, struct.error, orjson.JSONDecodeError):
        return None


def read_summary(path: Path) -> DaySummary | None:
    """The summary at `path`, reading only section 1; None when missing, unreadable, of another
    format version or damaged (the caller rebuilds it)."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD.size)
            magic, ml, bl, _, _ = _HEAD.unpack(head)
            if magic != _MAGIC:
                return None
            meta_body = f.read(ml + bl)
            s1 = orjson.loads(meta_body[:ml])["s1"]
            if type(s1) is not int or s1 < 0:
                return None
            return DaySummary(path, head + meta_body + f.read(s1))
    except (OSError, ValueError, KeyError, TypeError, struct.error, orjson.JSONDecodeError):
        return None
