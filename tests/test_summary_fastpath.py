"""The summary builder reads llm-core's own record shape on a fast path; every other shape goes
through extract(), the reference. Whatever the mix, the summary must be byte for byte the one
built record by record through extract()."""

from __future__ import annotations

import random

import orjson
import pytest

from llm_core.records import SUMMARY_DIR
from llm_core.storage import day_summaries

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


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weird", [0.02, 0.3])
def test_fast_path_builds_the_reference_summary(seed, weird):
    data = _lines(random.Random(seed), 3000, weird)
    fast = day_summaries.DayBuilder()
    cut = data.index(b"\n", len(data) // 2) + 1  # in two steps, as an appended file is read
    fast.add_bytes(data[:cut])
    fast.add_bytes(data[cut:])
    ref = _reference(data)
    assert fast.records == ref.records and fast.bad == ref.bad
    assert 0 < ref.records < 3000
    assert fast.encode({}) == ref.encode({})


def test_the_fast_path_is_taken_and_agrees_with_extract(monkeypatch):
    data = _lines(random.Random(7), 2000, 0.0)
    slow = []
    real = day_summaries.DayBuilder._add_record
    monkeypatch.setattr(day_summaries.DayBuilder, "_add_record", lambda self, obj: slow.append(1) or real(self, obj))
    fast = day_summaries.DayBuilder()
    fast.add_bytes(data)
    assert len(slow) <= 16  # once per combo (2 projects, agents, models, outcomes); the rest inline
    monkeypatch.undo()
    assert fast.records == 2000 and fast.encode({}) == _reference(data).encode({})


def test_a_torn_last_line_waits_for_its_newline():
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

        monkeypatch.setattr(day_summaries, "atomic_write", read_only)
    got = day_summaries.summaries(store, workers=2)
    assert len(got) == 4
    assert (store / SUMMARY_DIR).is_dir() == writable
    window, filters = query.Window(), query.Filters(model="m1")
    for f in (query.Filters(), filters):
        fast, slow = query.collect(store, window, f), query.collect_scan(store, window, f)
        assert query.performance_report(fast, window, f) == query.performance_report(slow, window, f)
        assert query.costs_report(fast, window, f, by="day") == query.costs_report(slow, window, f, by="day")
        assert query.stats_report(fast, window, f)["totals"]["calls"] > 100
