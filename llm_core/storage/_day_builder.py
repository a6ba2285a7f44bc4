"""DayBuilder: a day's lines summarised into groups, encoded as a summary file
(storage/_day_summary_file.py has the format), and DayView, what a month roll-up reads of a
summary just built, handed over in memory instead of read back from the file.

Records are read by orjson (add_lines), or by msgspec for megabytes of lines at once
(storage/_bulk_records.py); anything but llm-core's own record shape goes through extract()
(storage/_day_records.py), the reference both fast paths must agree with.
"""

from __future__ import annotations

import contextlib
import io
from array import array
from collections import defaultdict, deque
from itertools import chain, compress, cycle
from typing import Any

import orjson

from llm_core.storage._columns import pack_floats
from llm_core.storage._day_records import (
    BLOCKED,
    COST_LIMIT,
    DMAX,
    M_DURN,
    NM,
    SLOT_MS,
    TAIL,
    TOKENS,
    TOP,
    Dims,
    add_checked,
    extract,
    outcome,
    prefix_slot,
    slot_of,
)
from llm_core.storage._day_summary_file import (
    DaySummary,
    SlotBounds,
    fits_int64,
    model_key,
    pack,
    section_two,
)

__all__ = ["BULK_BYTES", "DayBuilder", "DayView"]

BULK_BYTES = 4 << 20  # from here on add_bytes decodes with msgspec (storage/_bulk_records.py)
_METRIC_MASK = (True,) * NM + (False,)  # a group's metrics, not its latencies


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

    def add_bytes(self, data: bytes, bulk: bool | None = None) -> None:
        """Summarise the complete lines of `data` (which starts at self.offset).

        The common record (llm-core's own shape) is summarised inline; anything else goes
        through extract(), the reference, so both give the same groups. Many lines at once
        (a day read whole) are decoded by msgspec (storage/_bulk_records.py), a few by orjson;
        `bulk` says which (default: by the size of `data`)."""
        end = data.rfind(b"\n") + 1
        if end < len(data):
            data = data[:end]  # the last line is still being written
        if (end >= BULK_BYTES) if bulk is None else bulk:
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
        raw, slots, loads, top, tokens, tail, add = self._raw, prefix_slot, orjson.loads, TOP, TOKENS, TAIL, add_checked
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
            add(by_slot, slot, i, o, cr, cw, t, cost, d)  # (M_BILLED, M_BILLED_COST, M_INVALID: _add_record)
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
        return self.encode_view(source)[0]

    def encode_view(self, source: dict) -> tuple[bytes, DayView]:
        """The summary file of `source` (the day file's identity), and what a month roll-up
        reads of it (merge_days), without decoding the file again."""
        combos = self.combos
        models = sorted({c[3] for c in combos}, key=model_key)
        totals, day_slots, combo_durs, (cid_col, slot_col, m_col, dur_col) = self._groups()
        # Every metric is >= 0, so a group's fits int64 when its combo's total does.
        wide = not fits_int64(list(chain.from_iterable(totals)))
        model_idx = {m: k for k, m in enumerate(models)}
        model_durs: list[list] = [[] for _ in models]
        for cid, values in enumerate(combo_durs):
            model_durs[model_idx[combos[cid][3]]].extend(values)
        for values in model_durs:
            values.sort()
        s1_code, s1 = pack_floats(list(chain.from_iterable(model_durs)))
        slots = sorted(day_slots)
        codes, s2 = section_two(cid_col, [s - slots[0] for s in slot_col] if slots else [], m_col, dur_col, wide)
        meta = {
            "source": source, "offset": self.offset, "bad": self.bad, "records": self.records,
            "min_slot": slots[0] if slots else None, "max_slot": slots[-1] if slots else None,
            "s1": len(s1), "s1_code": s1_code, "s2": len(s2), "s2_codes": codes, "nrows": len(cid_col),
            "ndurs": len(dur_col), "wide": wide,
        }
        day_rows = [[s, *day_slots[s]] for s in slots]
        view = DayView(meta, combos, totals, day_rows, combo_durs, whole=codes[3] == "I")
        if wide:  # orjson writes no integer beyond 64 bits: decimal strings instead
            totals = [list(map(str, t)) for t in totals]
            day_rows = [list(map(str, r)) for r in day_rows]
        body = {
            "combos": combos, "totals": totals, "models": models,
            "model_n": [len(a) for a in model_durs], "day_slots": day_rows,
        }
        return pack(meta, body, s1, s2), view

    def _groups(self) -> tuple[list, dict, list, tuple[list, list, list, list]]:
        """(per-combo totals, per-slot totals, per-combo latencies sorted, and section 2's
        columns: combo ids, slots, metrics, latencies) of the groups, in (combo, slot) order."""
        totals: list[list[int]] = []
        per_slot: dict[int, list[list]] = defaultdict(list)
        combo_durs: list[list[float]] = []
        cid_col: list[int] = []
        slot_col: list[int] = []
        m_col: list[int] = []
        dur_col: list[float] = []
        for cid, by_slot in enumerate(self.slots):
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
        return totals, day_slots, combo_durs, (cid_col, slot_col, m_col, dur_col)

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


class DayView(SlotBounds):
    """What merge_days reads of a summary (meta, combos, totals, day_slots, combo_durations()),
    as DayBuilder.encode_view had it: the same values a DaySummary of those bytes decodes."""

    def __init__(self, meta: dict, combos: list, totals: list[list[int]], day_slots: list[list[int]],
                 combo_durs: list[list[float]], whole: bool) -> None:
        self.meta, self.combos, self.totals, self.day_slots = meta, combos, totals, day_slots
        if whole:  # stored as integers: a latency of -0.0 reads back as 0.0 (sorted first)
            for durs in combo_durs:
                k = 0
                while k < len(durs) and durs[k] == 0:
                    durs[k] = 0.0
                    k += 1
        self._durs = [array("d", durs) for durs in combo_durs]  # a month of them, kept narrow

    def combo_durations(self) -> list[array]:
        return self._durs
