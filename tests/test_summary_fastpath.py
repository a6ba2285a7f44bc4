"""The summary builder reads llm-core's own record shape on a fast path; every other shape goes
through extract(), the reference. Whatever the mix, the summary must be byte for byte the one
built record by record through extract()."""

from __future__ import annotations

import functools
import random

import orjson
import pytest

from llm_core.records import SUMMARY_DIR
from llm_core.storage import _day_builder, day_summaries

STAMPS = [
    "2026-11-10T05:03:12.345Z", "2026-11-10T05:03:59.999Z", "2026-11-10T05:14:00.000Z",
    "2026-11-10T05:15:00.000Z", "2026-11-10T23:59:59.999Z", "2026-11-10T05:03:12Z",
    "2026-11-10T05:03:12.345+00:00", "2026-11-10T07:03:12.345+02:00", "2026-11-10T05:03:12",
    "2026-13-10T05:03:12.345Z", "2026-11-10T05:60:12.345Z", "2026-11-10T05:03:61.345Z",
    "2026-11-10T05:03:12.3a5Z", "2026-11-10 05:03:12.345Z", "2026-11-10T05:+3:12.345Z",
    "2026-11-10T05:03:12.345Zjunk", "2026-11-10T05:03:1 .345Z", "2026-11-10T05:03:12.345z",
    "", None, 12345, ["2026-11-10T05:03:12.345Z"], "2026-11-10T05:03:12.345\u0662",
]
DIMS = ["p", "q", "", None, 1, 1.0, True, False, 0, ["x"], {"a": 1}, "1", "True"]
SUCCESS = [True, False, None, 0, 1, "false", [], "missing"]
TOKENS = [3, 0, 7.9, True, False, None, "5", -2, 2**40]
COSTS = [0.001, 0.1 + 0.2, 0, 0.0, 1, None, True, "0.1", -0.5, 3e-9, "missing"]
DURATIONS = [100, 250.5, 0, -0.0, None, -5, True, "100", 1e9, 0.1, "missing"]
STATUSES = ["cancelled", "blocked", "error", None, 3, ["blocked"], "Blocked"]


def _record(rng: random.Random, weird: float) -> dict:
    def pick(values, usual):
        return rng.choice(values) if rng.random() < weird else usual

    rec = {
        "id": "x", "timestamp": rng.choice(STAMPS[:5]) if rng.random() >= weird else rng.choice(STAMPS),
        "agent_name": pick(DIMS, rng.choice(["a", "b"])), "operation": pick(DIMS, "op"),
        "provider": pick(DIMS, "anthropic"), "model": pick(DIMS, rng.choice(["m1", "m2"])),
        "duration_ms": pick(DURATIONS, rng.randrange(1, 5000)),
        "tokens": {k: pick(TOKENS, rng.randrange(100)) for k in ("input", "output", "cache_read", "cache_write")},
        "cost_usd": pick(COSTS, rng.random() / 100), "success": pick(SUCCESS, rng.random() > 0.1),
        "metadata": {"project": pick(DIMS, rng.choice(["p", "q"])), "error": None},
    }
    rec["tokens"]["total"] = pick(TOKENS, sum(v for v in rec["tokens"].values() if type(v) is int))
    if rng.random() < weird * 10:  # a call stopped by the user, refused by a budget, or odder
        rec["status"] = rng.choice(STATUSES)
    for key in ("success", "cost_usd", "duration_ms"):
        if rec[key] == "missing":
            del rec[key]
    r = rng.random()
    if r < weird / 4:
        del rec[rng.choice(["timestamp", "agent_name", "operation", "model", "provider", "tokens", "metadata"])]
    elif r < weird / 2:
        rec[rng.choice(["tokens", "metadata"])] = rng.choice([None, [], "x", 3])
    elif r < weird * 3 / 4:
        del rec["tokens"][rng.choice(["input", "output", "cache_read", "cache_write", "total"])]
    return rec


def _lines(rng: random.Random, n: int, weird: float) -> bytes:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < weird / 10:
            out.append(rng.choice([b"", b"   ", b"[1, 2]", b'"text"', b"5", b"null", b'{"timestamp": "2026-11-1']))
        else:
            out.append(orjson.dumps(_record(rng, weird)))
    return b"\n".join(out) + b"\n"


def _reference(data: bytes) -> day_summaries.DayBuilder:
    """A builder fed one record at a time through extract() only."""
    b = day_summaries.DayBuilder()
    for line in day_summaries.split_lines(data):
        if not line or line.isspace():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            b.bad += 1
            continue
        if b._add_record(obj):
            b.records += 1
        else:
            b.bad += 1
    b.offset = data.rfind(b"\n") + 1
    return b


@pytest.fixture(params=["orjson", "msgspec"])
def reader(request, monkeypatch):
    """DayBuilder.add_bytes reads a few lines with orjson, megabytes with msgspec: both ways."""
    if request.param == "msgspec":
        monkeypatch.setattr(_day_builder, "BULK_BYTES", 0)
    return request.param


@functools.cache
def _case(seed: int, weird: float) -> tuple[bytes, int, int, bytes]:
    """One case's lines and their reference (records, bad, summary), the same for both readers:
    made once for the two of them."""
    data = _lines(random.Random(seed), 3000, weird)
    ref = _reference(data)
    return data, ref.records, ref.bad, ref.encode({})


@pytest.mark.parametrize("reader", ["orjson", "msgspec"], indirect=True)  # side by side: one _case
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weird", [0.02, 0.3])
def test_fast_path_builds_the_reference_summary(seed, weird, reader):
    data, records, bad, summary = _case(seed, weird)
    fast = day_summaries.DayBuilder()
    cut = data.index(b"\n", len(data) // 2) + 1  # in two steps, as an appended file is read
    fast.add_bytes(data[:cut])
    fast.add_bytes(data[cut:])
    assert fast.records == records and fast.bad == bad
    assert 0 < records < 3000
    assert fast.encode({}) == summary


def test_the_fast_path_is_taken_and_agrees_with_extract(monkeypatch, reader):
    data = _lines(random.Random(7), 2000, 0.0)
    slow = []
    real = day_summaries.DayBuilder._add_record
    monkeypatch.setattr(day_summaries.DayBuilder, "_add_record", lambda self, obj: slow.append(1) or real(self, obj))
    fast = day_summaries.DayBuilder()
    fast.add_bytes(data)
    assert len(slow) <= 16  # once per combo (2 projects, agents, models, outcomes); the rest inline
    monkeypatch.undo()
    assert fast.records == 2000 and fast.encode({}) == _reference(data).encode({})


def test_a_torn_last_line_waits_for_its_newline(reader):
    data = _lines(random.Random(8), 100, 0.1)
    b = day_summaries.DayBuilder()
    b.add_bytes(data + b'{"timestamp": "2026-11-10T05:03:12.345Z"')
    assert b.offset == len(data) and b.encode({}) == _reference(data).encode({})


@pytest.mark.parametrize("writable", [True, False])
def test_worker_built_summaries_report_like_a_full_scan(tmp_path, monkeypatch, writable):
    """Several days (built by the process pool); workers write the summaries and hand back
    section 1, or the whole summary when the store cannot be written."""
    from llm_core.storage import query

    store = tmp_path / "s"
    rng = random.Random(9)
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"):
        (store / day).mkdir(parents=True)
        lines = _lines(rng, 400, 0.05).replace(b"2026-11-10T", f"{day}T".encode())
        (store / day / "telemetry.jsonl").write_bytes(lines)
    if not writable:
        def read_only(path, data):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(day_summaries, "write_summary", read_only)
    got = day_summaries.summaries(store, workers=2)
    assert len(got) == 4
    assert (store / SUMMARY_DIR).is_dir() == writable
    window, filters = query.Window(), query.Filters(model="m1")
    for f in (query.Filters(), filters):
        fast, slow = query.collect(store, window, f), query.collect_scan(store, window, f)
        assert query.performance_report(fast, window, f) == query.performance_report(slow, window, f)
        assert query.costs_report(fast, window, f, by="day") == query.costs_report(slow, window, f, by="day")
        assert query.stats_report(fast, window, f)["totals"]["calls"] > 100


def _odd_lines() -> list[bytes]:
    """Lines on the edge between msgspec and orjson: what one refuses and the other reads, or
    reads otherwise (integers past 64 bits, numbers past 1e308, bytes that are not UTF-8, keys
    the bulk reader does not know, repeated keys), each in several places of a record."""
    base = orjson.dumps(_record(random.Random(1), 0.0))[:-1]  # without its closing brace
    huge, digits = b"1" + b"0" * 400, b"18446744073709551616"
    tails = [
        b',"x":1e400', b',"retries":' + huge, b',"retries":' + digits, b',"time_to_first_token_ms":1e400',
        b',"session_id":"\xff\xfe"', b',"x":"\xed\xa0\x80"', b',"user_id":"caf\xc3\xa9"',
        b',"model":"mod\xc3\xa8le"', b',"model":"m1","model":"m2"', b',"tokens":{"input":1,"total":1}',
        b',"tokens":{"input":1,"output":2,"total":3,"cache_read":0,"cache_write":0,"reasoning":5}',
        b',"tokens":{"input":' + digits + b',"output":2,"total":3,"cache_read":0,"cache_write":0}',
        b',"tokens":{"input":' + huge + b',"output":2,"total":3,"cache_read":0,"cache_write":0}',
        b',"tokens":{"input":-' + digits + b',"output":2,"total":3,"cache_read":0,"cache_write":0}',
        b',"cost_usd":' + huge, b',"cost_usd":' + digits, b',"duration_ms":' + huge, b',"duration_ms":1e-400',
        b',"metadata":{"project":"p","extra":1e400}', b',"metadata":{"project":""}', b',"metadata":null',
        b',"metadata":{"project":"p","git_branch":"\xc0\xaf"}', b',"provider_cost_usd":0.5',
        b',"provider_cost_usd":null', b',"success":false,"status":"blocked"', b',"status":"blocked"',
        b',"success":false,"status":"cancelled","model":"m3"', b',"stream":true,"retries":2',
        b',"x":' + b"[" * 1100 + b"]" * 1100, b',"tokens":' + b"[" * 1100 + b"]" * 1100,
        b',"time\\u0073tamp":"2026-11-10T05:03:12.345Z"', b',"agent_name":"\\u00e9"',
    ]
    return [base + t + b"}" for t in tails] + [base + b"}\r", base + b"} ", base + b"}\x00"]


@pytest.mark.parametrize("seed", range(3))
def test_odd_lines_read_as_the_reference_reads_them(seed, monkeypatch):
    rng = random.Random(seed)
    odd = _odd_lines()
    lines = _lines(rng, 1500, 0.01).split(b"\n")[:-1] + odd * 3
    rng.shuffle(lines)
    data = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(_day_builder, "BULK_BYTES", 0)
    fast = day_summaries.DayBuilder()
    fast.add_bytes(data)
    ref = _reference(data)
    assert (fast.records, fast.bad) == (ref.records, ref.bad)
    assert ref.bad >= 3 * 10  # the lines orjson refuses are among them
    assert fast.encode({}) == ref.encode({})


def test_a_file_mostly_of_another_shape_is_read_by_orjson_alone(monkeypatch):
    """Lines msgspec refuses (here: a key it does not know) go to orjson, in order; past a
    thousand of them, most of a file, msgspec is no longer tried."""
    rng = random.Random(5)
    records = [_record(rng, 0.0) | {"custom": i} for i in range(3000)]
    data = b"".join(orjson.dumps(r) + b"\n" for r in records[:2000])
    data += _lines(rng, 200, 0.0) + b"".join(orjson.dumps(r) + b"\n" for r in records[2000:])
    from llm_core.storage import _bulk_records

    tried = []
    real = _bulk_records._DECODE
    monkeypatch.setattr(_bulk_records, "_DECODE", lambda line: tried.append(1) or real(line))
    monkeypatch.setattr(_day_builder, "BULK_BYTES", 0)
    fast = day_summaries.DayBuilder()
    fast.add_bytes(data)
    assert fast.records == 3200 and fast.encode({}) == _reference(data).encode({})
    assert len(tried) < 1200


@pytest.mark.parametrize("date", ["2026-11-10", "2024-02-29", "1970-01-01", "2026-03-29", "2026-12-31"])
def test_a_learned_date_holds_the_slot_of_each_of_its_minutes(date, monkeypatch):
    """The fast path looks a record's minute up in prefix_slot, learned a whole day at once:
    each minute's slot is the one its timestamp gives."""
    from llm_core.records import parse_timestamp
    from llm_core.storage import _day_records

    monkeypatch.setattr(_day_records, "prefix_slot", {})
    _day_records._learn_date(date)
    want = {f"{date}T{h:02d}:{m:02d}:": parse_timestamp(f"{date}T{h:02d}:{m:02d}:00.000Z") // _day_records.SLOT_MS
            for h in range(24) for m in range(60)}
    assert _day_records.prefix_slot == want
