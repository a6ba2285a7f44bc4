"""Per-day summaries of the telemetry store, so reports need not re-read months of JSONL.

For every `<store>/YYYY-MM-DD/telemetry.jsonl` a summary lives in `<store>/.summaries/`. It
groups the day's records by (project, agent, operation, model, provider, success) -- a
"combo" -- and by 15-minute UTC slot, and keeps for each group the call count, token sums,
the known-cost sum, the number of calls without a known price, and every latency (exact
percentiles need the values themselves). 15-minute slots make any local-time window that
starts on a quarter hour exact, which covers every time zone in use (+05:30, +05:45 ...).

Sums are integers (cost in 1e-12 USD, latency in microseconds), so a summary's totals are
identical to a record-by-record sum in any order.

A summary remembers the size, inode and mtime of the file it describes and the byte offset it
has read to. A file that only grew is read on from that offset; anything else (replaced,
truncated, rewritten) rebuilds the summary. Summaries are written atomically (temp file +
rename); concurrent reporters may both write one, and the last rename wins with the same
content. Deleting `.summaries/` is always safe.
"""

from __future__ import annotations

import contextlib
import gc
import io
import math
import os
import re
import struct
import time
from array import array
from collections import defaultdict, deque
from datetime import datetime, timezone
from itertools import chain, compress, cycle
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

SLOT_MS = 900_000  # 15 minutes
SUMMARY_DIR = ".summaries"
DAY_FILE = "telemetry.jsonl"
_MAGIC = b"LLMTSUM3"
_HEAD = struct.Struct("<8sII")

# The metrics vector of a group, all integers.
M_CALLS, M_IN, M_OUT, M_CACHE_READ, M_CACHE_WRITE, M_TOTAL, M_COST, M_UNKNOWN, M_DUR, M_DURN = range(10)
NM = 10
COST_SCALE = 10**12  # cost units per USD
DUR_SCALE = 1000  # latency units per millisecond

Dims = tuple  # (project, agent, operation, model, provider, success)


# ---------------------------------------------------------------- one record

_hour_ms: dict[str, int | None] = {}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _hour_base(prefix: str) -> int | None:
    """Epoch ms of 'YYYY-MM-DDTHH' (UTC), cached: a store has few distinct hours."""
    if len(_hour_ms) > 200_000:
        _hour_ms.clear()
    try:
        dt = datetime.strptime(prefix, "%Y-%m-%dT%H")
    except ValueError:
        base = None
    else:
        base = (dt - datetime(1970, 1, 1)) // _ONE_MS
    _hour_ms[prefix] = base
    return base


def parse_timestamp(value: Any) -> int | None:
    """Milliseconds since the epoch of an ISO 8601 timestamp (no zone = UTC), or None."""
    if not isinstance(value, str):
        return None
    if len(value) == 24 and value[23] == "Z" and value[19] == "." and value[13] == ":" and value[16] == ":":
        prefix = value[:13]
        base = _hour_ms[prefix] if prefix in _hour_ms else _hour_base(prefix)
        if base is not None:
            try:
                minute, ms = int(value[14:16]), int(value[17:19] + value[20:23])
            except ValueError:
                return None
            if 0 <= minute < 60 and 0 <= ms < 60_000:
                return base + minute * 60_000 + ms
    try:
        dt = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return (dt - _EPOCH) // _ONE_MS


_ONE_MS = datetime(1970, 1, 1, 0, 0, 0, 1000) - datetime(1970, 1, 1)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return 0


def extract(obj: Any) -> tuple[int, Dims, list[int], float | None] | None:
    """(timestamp ms, dims, metrics, duration ms) of one record; None if it has no usable time."""
    if type(obj) is not dict:
        return None
    ts = parse_timestamp(obj.get("timestamp"))
    if ts is None:
        return None
    # The common case (plain strings and ints, as llm-core writes them) without function calls.
    meta = obj.get("metadata")
    project = meta.get("project") if type(meta) is dict else None
    agent, op, model, provider = obj.get("agent_name"), obj.get("operation"), obj.get("model"), obj.get("provider")
    dims = (
        project if type(project) is str and project else _text(project),
        agent if type(agent) is str and agent else _text(agent),
        op if type(op) is str and op else _text(op),
        model if type(model) is str and model else _text(model),
        provider if type(provider) is str and provider else _text(provider),
        obj.get("success") is not False,
    )
    tok = obj.get("tokens")
    if type(tok) is dict:
        i, o, cr, cw, t = (tok.get("input"), tok.get("output"), tok.get("cache_read"),
                           tok.get("cache_write"), tok.get("total"))
        if type(i) is not int:
            i = _int(i)
        if type(o) is not int:
            o = _int(o)
        if type(cr) is not int:
            cr = _int(cr)
        if type(cw) is not int:
            cw = _int(cw)
        if type(t) is not int:
            t = _int(t) if t is not None else i + o + cr + cw
    else:
        i = o = cr = cw = t = 0
    cost = obj.get("cost_usd")
    if (type(cost) is float or type(cost) is int) and -_COST_LIMIT < cost < _COST_LIMIT:
        cu, unknown = round(cost * COST_SCALE), 0
    else:
        cu, unknown = 0, 1
    d = obj.get("duration_ms")
    if (type(d) is int or type(d) is float) and 0 <= d < _DURATION_LIMIT:
        d = float(d)
        du, dn = round(d * DUR_SCALE), 1
    else:
        d, du, dn = None, 0, 0
    return ts, dims, [1, i, o, cr, cw, t, cu, unknown, du, dn], d


_INF = float("inf")
# Larger figures are damage, not data (and would overflow once scaled): an unknown price, no latency.
_COST_LIMIT = 1e15  # USD
_DURATION_LIMIT = 1e15  # ms
_DMAX = 2**53 // DUR_SCALE  # latencies (ms) below this turn into microseconds exactly

# The fast path of DayBuilder.add_bytes: the fields it reads, and the 15-minute slot of a
# timestamp's 'YYYY-MM-DDTHH:MM:' prefix when the rest is 'SS.mmmZ' (then parse_timestamp takes
# its exact fast path, and seconds and milliseconds cannot move the slot).
_TOP = itemgetter("timestamp", "agent_name", "operation", "model", "provider", "success", "tokens",
                  "cost_usd", "duration_ms", "metadata")
_TOKENS = itemgetter("input", "output", "cache_read", "cache_write", "total")
_TAIL = re.compile(r"[0-5][0-9]\.[0-9]{3}Z", re.ASCII).fullmatch
_PREFIX = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:", re.ASCII).fullmatch
_prefix_slot: dict[str, int] = {}
_METRIC_MASK = (True,) * NM + (False,)  # a group's metrics, not its latencies


def _slot_of(stamp: Any) -> int | None:
    """The slot of a timestamp the fast path can read (remembering its prefix), else None."""
    if type(stamp) is not str or len(stamp) != 24 or _TAIL(stamp, 17) is None:
        return None
    prefix = stamp[:17]
    slot = _prefix_slot.get(prefix)
    if slot is None and _PREFIX(prefix):
        ts = parse_timestamp(prefix + "00.000Z")
        if ts is not None:
            if len(_prefix_slot) > 200_000:
                _prefix_slot.clear()
            _learn_date(prefix[:10])  # so the day's other minutes take the fast path at once
            slot = _prefix_slot[prefix] = ts // SLOT_MS
    return slot


def _learn_date(date: str) -> None:
    """Remember the slot of every minute of `date` (what _slot_of would find for each)."""
    for h in range(24):
        base = parse_timestamp(f"{date}T{h:02d}:00:00.000Z")
        if base is not None:
            for m in range(60):
                _prefix_slot[f"{date}T{h:02d}:{m:02d}:"] = (base + m * 60_000) // SLOT_MS


def split_lines(data: bytes) -> list[bytes]:
    """The complete lines of `data`; a last line without its newline is still being written."""
    lines = data.split(b"\n")
    lines.pop()
    return lines


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
        through extract(), the reference, so both give the same groups."""
        raw, slots, loads, top, tokens, tail = self._raw, _prefix_slot, orjson.loads, _TOP, _TOKENS, _TAIL
        bad = blank = n = 0
        end = data.rfind(b"\n") + 1
        if end < len(data):
            data = data[:end]  # the last line is still being written
        # Lines one at a time from a BytesIO (sharing `data`), each with its newline (JSON
        # whitespace): faster than split() making them all first.
        for n, line in enumerate(io.BytesIO(data), 1):  # noqa: B007 (n: lines read)
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
                by_slot = raw[meta["project"], agent, op, model, provider, success is not False]
                slot = slots[ts[:17]]
                i, o, cr, cw, t = tokens(tok)
            except (KeyError, TypeError):
                by_slot = None
            if (by_slot is None or tail(ts, 17) is None
                    or not type(i) is type(o) is type(cr) is type(cw) is type(t) is int
                    or not (cost is None or ((type(cost) is float or type(cost) is int)
                                             and -_COST_LIMIT < cost < _COST_LIMIT))
                    or not (d is None or ((type(d) is int or type(d) is float) and 0 <= d < _DMAX))):
                if not self._add_record(obj):
                    bad += 1
                continue
            g = by_slot.get(slot)
            if g is None:
                g = by_slot[slot] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, []]
            # Literal indexes (M_CALLS ... M_DURN, then the latencies): this runs per record.
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
            if type(d) is int:  # round(float(d) * DUR_SCALE) == d * DUR_SCALE below _DMAX
                g[8] += d * DUR_SCALE
                g[9] += 1
                g[10].append(float(d))
            elif d is not None:
                g[8] += round(d * DUR_SCALE)
                g[9] += 1
                g[10].append(d)
        self.bad += bad
        self.records += n - bad - blank
        self.offset += end

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
            if all(v is None or type(v) is str for v in rk):
                self._raw[(*rk, obj["success"] is not False)] = by_slot
            _slot_of(obj["timestamp"])
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
        row_cid, row_slot, row_m, row_durs = array("q"), array("q"), array("q"), array("d")
        row_cid.fromlist(cid_col)
        row_slot.fromlist(slot_col)
        row_m.fromlist(m_col)
        row_durs.fromlist(dur_col)
        model_durs = [array("d") for _ in models]
        for cid, values in enumerate(combo_durs):
            model_durs[model_idx[combos[cid][3]]].extend(values)
        arrays = [array("d", sorted(a)) for a in model_durs]
        arrays += [array("d", v) for v in combo_durs]
        s1 = b"".join(a.tobytes() for a in arrays)
        s2 = row_cid.tobytes() + row_slot.tobytes() + row_m.tobytes() + row_durs.tobytes()
        slots = sorted(day_slots)
        meta = {
            "source": source, "offset": self.offset, "bad": self.bad, "records": self.records,
            "min_slot": slots[0] if slots else None, "max_slot": slots[-1] if slots else None,
            "s1": len(s1), "s2": len(s2), "nrows": nrows,
        }
        body = {
            "combos": combos, "totals": totals, "models": models,
            "model_n": [len(a) for a in model_durs],
            "day_slots": [[s, *day_slots[s]] for s in slots],
        }
        mb, bb = orjson.dumps(meta), orjson.dumps(body)
        return _HEAD.pack(_MAGIC, len(mb), len(bb)) + mb + bb + s1 + s2

    @classmethod
    def from_summary(cls, summary: DaySummary) -> DayBuilder:
        """A builder holding what `summary` holds, to be extended with appended lines."""
        b = cls()
        b.combos = [tuple(c) for c in summary.combos]
        b.combo_ids = {c: k for k, c in enumerate(b.combos)}
        b.slots = [{} for _ in b.combos]
        cid, slot, m, durs = summary.rows()
        pos = 0
        for r in range(len(cid)):
            g = m[r * NM:(r + 1) * NM].tolist()
            n = g[M_DURN]
            g.append(durs[pos:pos + n].tolist())
            b.slots[cid[r]][slot[r]] = g
            pos += n
        b.bad = summary.meta["bad"]
        b.records = summary.meta["records"]
        b.offset = summary.meta["offset"]
        return b


def _model_key(m: str | None) -> tuple:
    return (m is None, m or "")


# ---------------------------------------------------------------- reading

class DaySummary:
    """A decoded summary. Section 1 (day totals per combo, latencies per combo and per model,
    totals per slot) is read eagerly; section 2 (groups per combo and slot) on demand."""

    def __init__(self, path: Path | None, data: bytes) -> None:
        magic, ml, bl = _HEAD.unpack_from(data, 0)
        if magic != _MAGIC:
            raise ValueError("not a summary")
        self.path = path
        self.meta = orjson.loads(data[_HEAD.size:_HEAD.size + ml])
        body = orjson.loads(data[_HEAD.size + ml:_HEAD.size + ml + bl])
        self._blob_at = _HEAD.size + ml + bl
        self._head = data[:self._blob_at]
        self._data = data if len(data) > self._blob_at + self.meta["s1"] else None
        self.combos: list[list] = body["combos"]
        self.totals: list[list[int]] = body["totals"]
        self.models: list[str | None] = body["models"]
        self.model_n: list[int] = body["model_n"]
        self.day_slots: list[list[int]] = body["day_slots"]
        s1 = array("d")
        s1.frombytes(data[self._blob_at:self._blob_at + self.meta["s1"]])
        self._s1 = s1
        self._rows: tuple | None = None

    @property
    def min_slot(self) -> int | None:
        return self.meta["min_slot"]

    @property
    def max_slot(self) -> int | None:
        return self.meta["max_slot"]

    def model_durations(self) -> list[array]:
        out, pos = [], 0
        for n in self.model_n:
            out.append(self._s1[pos:pos + n])
            pos += n
        return out

    def combo_durations(self) -> list[array]:
        out, pos = [], sum(self.model_n)
        for tot in self.totals:
            n = tot[M_DURN]
            out.append(self._s1[pos:pos + n])
            pos += n
        return out

    def rows(self) -> tuple[array, array, array, array]:
        """Section 2: (combo id, slot, flat metrics, latencies) of every (combo, slot) group.

        Read from disk when needed. If another reporter replaced the file meanwhile, this
        summary becomes the new one as a whole (so call rows() before using section 1)."""
        if self._rows is None:
            data = self._data
            if data is None:
                data = self.path.read_bytes()  # type: ignore[union-attr]
                if not data.startswith(self._head):
                    self.__init__(self.path, data)
            n = self.meta["nrows"]
            at = self._blob_at + self.meta["s1"]
            cid, slot, m, durs = array("q"), array("q"), array("q"), array("d")
            cid.frombytes(data[at:at + 8 * n])
            slot.frombytes(data[at + 8 * n:at + 16 * n])
            m.frombytes(data[at + 16 * n:at + 16 * n + 8 * n * NM])
            durs.frombytes(data[at + 16 * n + 8 * n * NM:at + self.meta["s2"]])
            self._rows = (cid, slot, m, durs)
            self._data = None
        return self._rows


def section_one_end(data: bytes) -> int:
    _, ml, bl = _HEAD.unpack_from(data, 0)
    return _HEAD.size + ml + bl + orjson.loads(data[_HEAD.size:_HEAD.size + ml])["s1"]


def _read_summary(path: Path) -> DaySummary | None:
    """The summary at `path`, reading only section 1; None when missing or unreadable."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD.size)
            magic, ml, bl = _HEAD.unpack(head)
            if magic != _MAGIC:
                return None
            meta_body = f.read(ml + bl)
            s1 = orjson.loads(meta_body[:ml])["s1"]
            return DaySummary(path, head + meta_body + f.read(s1))
    except (OSError, ValueError, KeyError, struct.error, orjson.JSONDecodeError):
        return None


def _identity(st: os.stat_result) -> dict:
    return {"ino": st.st_ino, "dev": st.st_dev, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _tail_mark(f, offset: int) -> str:
    """The bytes just before `offset`: an appended file still has them, a rewritten one rarely."""
    start = max(0, offset - 32)
    f.seek(start)
    return f.read(offset - start).hex()


def build(day_file: Path, previous: DaySummary | None = None) -> bytes:
    """The encoded summary of `day_file`, reading on from `previous` when that still fits."""
    with open(day_file, "rb") as f:
        st = os.fstat(f.fileno())
        builder = None
        if previous is not None and _extendable(previous, st, f):
            builder = DayBuilder.from_summary(previous)
        if builder is None:
            builder = DayBuilder()
        f.seek(builder.offset)
        builder.add_bytes(f.read(st.st_size - builder.offset))
        source = _identity(st)
        source["mark"] = _tail_mark(f, builder.offset)
    return builder.encode(source)


def _extendable(summary: DaySummary, st: os.stat_result, f) -> bool:
    src, offset = summary.meta["source"], summary.meta["offset"]
    if (src["ino"], src["dev"]) != (st.st_ino, st.st_dev) or st.st_size <= src["size"]:
        return False
    return _tail_mark(f, offset) == src.get("mark")


def is_current(summary: DaySummary, st: os.stat_result) -> bool:
    src = summary.meta["source"]
    return (src["ino"], src["dev"], src["size"], src["mtime_ns"]) == (
        st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


def _build_job(args: tuple[str, str, bool]) -> bytes:
    """Build (or extend) and write one day's summary; returns section 1 when written (section 2
    is read back from disk if needed), else the whole summary."""
    day_file, spath, extend = args
    collecting = gc.isenabled()
    gc.disable()  # a build makes no reference cycles; the collector would only rescan its objects
    try:
        previous = _read_summary(Path(spath)) if extend else None
        data = build(Path(day_file), previous)
    finally:
        if collecting:
            gc.enable()
    if _write_atomic(Path(spath), data):
        return data[:section_one_end(data)]
    return data  # a read-only store still gets its reports, from summaries kept in memory


def _write_atomic(path: Path, data: bytes) -> bool:
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def day_files(store: Path) -> list[tuple[str, Path]]:
    """(day, path) of every day file of the store, oldest first."""
    try:
        names = sorted(os.listdir(store))
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    for name in names:
        if len(name) == 10 and name[4] == "-" and name[7] == "-" and name[:4].isdigit():
            path = store / name / DAY_FILE
            if path.is_file():
                out.append((name, path))
    return out


def summary_path(store: Path, day: str) -> Path:
    """Where the summary of `store`'s day file for `day` (YYYY-MM-DD) lives."""
    return store / SUMMARY_DIR / f"{day}.sum"


def summaries(store: Path, workers: int | None = None) -> list[tuple[Path, DaySummary]]:
    """A current summary for every day file of `store` (building or extending stale ones)."""
    folder = store / SUMMARY_DIR
    out: list[tuple[Path, DaySummary | None]] = []
    stale: list[int] = []
    sizes: list[int] = []
    for day, path in day_files(store):
        summary = _read_summary(summary_path(store, day))
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if summary is None or not is_current(summary, st):
            stale.append(len(out))
        out.append((path, summary))
        sizes.append(st.st_size)
    if stale:
        stale.sort(key=lambda k: -sizes[k])  # biggest first: the workers finish together
        jobs = [(str(out[k][0]), str(summary_path(store, out[k][0].parent.name)), out[k][1] is not None)
                for k in stale]
        try:
            built = _run_jobs(jobs, workers)
        except OSError as e:
            from llm_core.errors import StorageError

            raise StorageError(f"cannot read the telemetry store: {e.strerror or e}: {e.filename}") from e
        for k, data in zip(stale, built, strict=False):
            path = out[k][0]
            out[k] = (path, DaySummary(summary_path(store, path.parent.name), data))
    _drop_orphans(folder, {p.parent.name for p, _ in out})
    return out  # type: ignore[return-value]


def _run_jobs(jobs: list[tuple[str, str, bool]], workers: int | None) -> list[bytes]:
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    import threading

    # Forking a process that runs other threads can copy a held lock into the child.
    if workers < 2 or len(jobs) < 3 or threading.active_count() > 1:
        return [_build_job(j) for j in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return [_build_job(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
        return list(pool.map(_build_job, jobs))


def _drop_orphans(folder: Path, days: set[str]) -> None:
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        stale = name.endswith(".sum") and name[:-4] not in days
        if not stale and name.endswith(".tmp"):  # left by a reporter killed mid-write
            with contextlib.suppress(OSError):
                stale = now - os.stat(folder / name).st_mtime > 600
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
