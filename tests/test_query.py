"""Reports from the per-day summaries must equal a record-by-record scan, in every time zone,
with filters, across appends, replacements and damage; percentiles are nearest-rank."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import orjson
import pytest

from llm_core import records
from llm_core.errors import LLMCoreError, UsageError
from llm_core.storage import _day_summary_file, day_summaries, query
from llm_core.storage.demo import write_demo
from llm_core.storage.query import Filters, Window
from llm_core.storage.records_iter import follow_records, follow_start

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = query.parse_when("2026-11-27T12:00:00Z")
REPORTS = [
    query.stats_report,
    query.models_report,
    query.agents_report,
    query.projects_report,
    query.performance_report,
    query.patterns_report,
    *[lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS],
]


def _record(ts: str, **kw) -> dict:
    rec = {
        "id": kw.pop("id", "x"), "timestamp": ts, "agent_name": "a", "operation": "op",
        "provider": "anthropic", "model": "m1", "duration_ms": 100,
        "tokens": {"input": 10, "output": 5, "total": 15, "cache_read": 0, "cache_write": 0},
        "cost_usd": 0.001, "success": True, "metadata": {"project": "p", "error": None},
    }
    rec.update(kw)
    return rec


def _write(store: Path, day: str, records: list, extra: bytes = b"", mode: str = "ab") -> Path:
    folder = store / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "telemetry.jsonl"
    with open(path, mode) as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in records) + extra)
    return path


def _odd_records(rng: random.Random, day: str, n: int) -> list:
    """Records with the awkward values real stores have: floats, nulls, missing fields."""
    out = []
    for k in range(n):
        sec = rng.randrange(86_400)
        ts = f"{day}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{rng.randrange(1000):03d}Z"
        rec = _record(ts, id=f"{day}-{k}", model=rng.choice(["m1", "m2", None]),
                      agent_name=rng.choice(["a", "b", None]), provider=rng.choice(["anthropic", "openai"]),
                      duration_ms=rng.choice([rng.randrange(1, 5000), rng.random() * 3000, None, 250.5]),
                      cost_usd=rng.choice([rng.random() / 100, None, 0.1 + 0.2]),
                      success=rng.random() > 0.1)
        if rng.random() < 0.1:
            del rec["metadata"]
        if rng.random() < 0.05:
            rec["tokens"] = {"input": 7, "output": 3}  # no total
        if not rec["success"] and rng.random() < 0.5:  # stopped by the user, or refused by a budget
            rec["status"] = rng.choice(["cancelled", "blocked"])
        out.append(rec)
    return out


@pytest.fixture
def store(tmp_path, demo_store) -> Path:
    """A seeded demo store plus a day of odd records, some garbage and a record in the wrong file.
    800 demo calls (~130 a day) give every window and filter below records to count in every
    zone; each comparison scans them all again, so more would only cost time."""
    root = demo_store(tmp_path / "store", days=6, calls=800, seed=7, end_ms=NOW)
    rng = random.Random(3)
    _write(root, "2026-11-25", _odd_records(rng, "2026-11-25", 300), extra=b"not json\n[1,2]\n{\"no\": \"time\"}\n")
    _write(root, "2026-11-26", [_record("2026-11-24T23:59:59.999Z", id="late")])  # written after midnight
    return root


def _assert_same(store: Path, window: Window, filters: Filters | None = None) -> None:
    filters = filters or Filters()
    fast = query.collect(store, window, filters)
    slow = query.collect_scan(store, window, filters)
    for report in REPORTS:
        assert report(fast, window, filters) == report(slow, window, filters), (report, window, filters)


WINDOWS = ["today", "yesterday", "week", "month", "all"]
FILTERS = [Filters(), Filters(project="spacewalker"), Filters(model="claude-haiku-4-5"),
           Filters(agent="doc-finder", provider="anthropic"), Filters(model="m2"), Filters(project="nope")]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"])
def test_summaries_equal_a_full_scan_in_every_zone(store, tz, zone):
    tz(zone)
    for period in WINDOWS:
        window = query.period_window(period, NOW)
        for filters in FILTERS:
            _assert_same(store, window, filters)


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"])
def test_patterns_hours_and_weekdays_are_each_slots_local_time(tz, zone):
    """patterns and costs --by day count a year of slots by arithmetic on each UTC day's offset;
    every slot must land on the local hour, weekday and date its own local time gives, clock
    changes included (Lord Howe moves by half an hour)."""
    from datetime import datetime

    from llm_core.storage import reports

    tz(zone)
    rng = random.Random(zone)
    start = 1_767_225_600 // 900  # 2026-01-01T00:00Z, as a 15-minute slot
    slots = {s: [rng.randint(1, 9)] for s in range(start, start + 366 * 96) if rng.random() < 0.5}
    hours, weekdays = [0] * 24, [0] * 7
    for slot, m in slots.items():
        local = datetime.fromtimestamp(slot * 900)
        hours[local.hour] += m[0]
        weekdays[local.weekday()] += m[0]
    assert reports._by_hour_and_weekday(slots) == (hours, weekdays)
    days: dict = {}
    for slot, m in slots.items():
        day = datetime.fromtimestamp(slot * 900).date().isoformat()
        days[day] = days.get(day, 0) + m[0]
    col = query.Collection()
    col.slots = {slot: m + [0] * (day_summaries.NM - 1) for slot, m in slots.items()}
    assert [(day, m[0]) for day, m in reports._by_local_day(col)] == sorted(days.items())


def test_windows_that_cut_a_quarter_hour_are_exact(store, tz):
    tz("America/New_York")
    for since, until in [("2026-11-24T13:07", "2026-11-26T01:59:30"), ("2026-11-25T00:00:00.001Z", None),
                         (None, "2026-11-25T18:44:59Z")]:
        window = query.range_window(since, until, Window())
        _assert_same(store, window)
        _assert_same(store, window, Filters(project="api-gateway"))


def test_the_report_has_real_numbers(store):
    window = query.period_window("all", NOW)
    r = query.stats_report(query.collect(store, window), window)
    assert r["totals"]["calls"] == 800 + 300 + 1
    assert r["corrupt_lines"] == 3
    assert 0 < r["totals"]["unknown_cost_calls"] < r["totals"]["calls"]
    assert r["latency_ms"]["p50"] <= r["latency_ms"]["p95"] <= r["latency_ms"]["p99"]


def test_local_midnight_decides_the_day_not_the_utc_file(tmp_path, tz):
    tz("America/New_York")  # UTC-5 in November: local midnight is 05:00 UTC
    store = tmp_path / "s"
    _write(store, "2026-11-27", [
        _record("2026-11-27T04:59:59.999Z", id="yesterday-local", duration_ms=10),
        _record("2026-11-27T05:00:00.000Z", id="today-local", duration_ms=20, cost_usd=0.5),
    ])
    today = query.period_window("today", NOW)
    yesterday = query.period_window("yesterday", NOW)
    for window, calls, p50 in [(today, 1, 20), (yesterday, 1, 10)]:
        for col in (query.collect(store, window), query.collect_scan(store, window)):
            r = query.stats_report(col, window)
            assert r["totals"]["calls"] == calls
            assert r["latency_ms"]["p50"] == p50
    r = query.patterns_report(query.collect(store, Window()), Window())
    assert r["by_hour"][23] == 1 and r["by_hour"][0] == 1
    by_day = query.costs_report(query.collect(store, Window()), Window(), by="day")["breakdown"]
    assert [(b["key"], b["cost_usd"]) for b in by_day] == [("2026-11-26", 0.001), ("2026-11-27", 0.5)]


def test_half_hour_zone_midnight(tmp_path, tz):
    tz("Asia/Kolkata")  # UTC+5:30: local midnight is 18:30 UTC the day before
    store = tmp_path / "s"
    _write(store, "2026-11-26", [
        _record("2026-11-26T18:29:59.999Z", id="a"),
        _record("2026-11-26T18:30:00.000Z", id="b"),
        _record("2026-11-26T18:44:00.000Z", id="c"),
    ])
    window = query.period_window("today", query.parse_when("2026-11-27T10:00"))
    assert window.start == query.parse_when("2026-11-26T18:30:00Z")
    fast, slow = query.collect(store, window), query.collect_scan(store, window)
    assert query.stats_report(fast, window) == query.stats_report(slow, window)
    assert query.stats_report(fast, window)["totals"]["calls"] == 2
    hours = query.patterns_report(fast, window)["by_hour"]
    assert hours[0] == 2 and sum(hours) == 2


def test_appends_extend_the_summary_instead_of_rebuilding(tmp_path, monkeypatch):
    store = tmp_path / "s"
    rng = random.Random(1)
    path = _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 200))
    query.collect(store, Window())
    extended = []
    real = day_summaries.DayBuilder.from_summary
    monkeypatch.setattr(day_summaries.DayBuilder, "from_summary",
                        classmethod(lambda cls, s: extended.append(1) or real.__func__(cls, s)))
    # A torn half line first: it is not summarised until its newline arrives.
    more = _odd_records(rng, "2026-11-27", 50)
    line = orjson.dumps(more[0])
    with open(path, "ab") as f:
        f.write(line[:20])
    _assert_same(store, Window())
    with open(path, "ab") as f:
        f.write(line[20:] + b"\n" + b"".join(orjson.dumps(r) + b"\n" for r in more[1:]))
    _assert_same(store, Window())
    assert len(extended) == 2
    r = query.stats_report(query.collect(store, Window()), Window())
    assert r["totals"]["calls"] == 250 and r["corrupt_lines"] == 0


def test_a_summary_replaced_while_it_is_extended_makes_the_day_be_read_whole(tmp_path, monkeypatch):
    """Another reporter replaces the day's summary between this build's look at it and its read
    of the groups, with one covering lines appended after this build's stat: that newer summary
    must not be extended from an offset past what this build saw (it read a negative length)."""
    store = tmp_path / "s"
    rng = random.Random(2)
    path = _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 200))
    query.collect(store, Window())
    _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 50))
    real = day_summaries.DayBuilder.from_summary
    raced = []

    def other_reporter_first(cls, summary):
        if not raced:
            raced.append(1)
            _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 30))
            records.atomic_write(day_summaries.summary_path(store, "2026-11-27"), day_summaries.build(path))
        return real.__func__(cls, summary)

    monkeypatch.setattr(day_summaries.DayBuilder, "from_summary", classmethod(other_reporter_first))
    first = query.stats_report(query.collect(store, Window()), Window())
    assert raced and first["totals"]["calls"] in (250, 280)
    _assert_same(store, Window())
    assert query.stats_report(query.collect(store, Window()), Window())["totals"]["calls"] == 280


def test_blocked_calls_are_counted_apart_from_failures(tmp_path):
    """A call a budget refused (status "blocked") never reached a provider: not a failure, not
    in the error rate, no latency; in summary.json not an error. Summaries of the format before
    (which counted it as a failure) are rebuilt."""
    from llm_core.storage import totals
    from llm_core.storage.local import LocalStorage

    store = tmp_path / "s"
    blocked = dict(success=False, status="blocked", cost_usd=0.0, duration_ms=0, tokens={})
    _write(store, "2026-11-27", [_record("2026-11-27T10:00:00.000Z"), _record("2026-11-27T10:01:00.000Z", success=False),
                                 *[_record("2026-11-27T10:02:00.000Z", **blocked)] * 2])
    query.collect(store, Window())
    spath = day_summaries.summary_path(store, "2026-11-27")
    spath.write_bytes(b"LLMTSUM5" + spath.read_bytes()[8:])  # as the previous version left it
    (store / ".summaries" / "2026-11.sum").unlink()  # that version made no month roll-ups
    for col in (query.collect(store, Window()), query.collect_scan(store, Window())):
        r = query.stats_report(col, Window())
        t = r["totals"]
        assert (t["calls"], t["successes"], t["failures"], t["blocked"], t["error_rate"]) == (4, 1, 1, 2, 0.5)
        assert query.performance_report(col, Window())["overall"]["timed_calls"] == 2
        assert r["latency_ms"]["avg"] == 100
    assert spath.read_bytes().startswith(_day_summary_file._MAGIC)  # the current format
    day = totals.refresh(LocalStorage(base_dir=store))["days"]["2026-11-27"]
    assert (day["calls"], day["errors"]) == (4, 1)


@pytest.mark.parametrize("change", ["replace", "truncate", "rewrite_same_size", "delete_summaries", "garble"])
def test_a_changed_file_or_summary_is_rebuilt(tmp_path, change):
    store = tmp_path / "s"
    rng = random.Random(2)
    recs = _odd_records(rng, "2026-11-27", 100)
    path = _write(store, "2026-11-27", recs)
    query.collect(store, Window())
    summary = store / ".summaries" / "2026-11-27.sum"
    assert summary.is_file()
    if change == "replace":
        tmp = path.with_name("new")
        tmp.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs[:30]))
        os.replace(tmp, path)
    elif change == "truncate":
        data = path.read_bytes()
        with open(path, "r+b") as f:
            f.truncate(data.index(b"\n", len(data) // 2) + 1)
    elif change == "rewrite_same_size":
        data = path.read_bytes()
        time.sleep(0.01)
        path.write_bytes(data.replace(b'"model":"m1"', b'"model":"m9"'))
    elif change == "delete_summaries":
        for p in summary.parent.iterdir():
            p.unlink()
        summary.parent.rmdir()
    else:
        summary.write_bytes(_day_summary_file._MAGIC + b"garbage")
    _assert_same(store, Window())
    if change == "rewrite_same_size":
        r = query.models_report(query.collect(store, Window()), Window())
        assert "m9" in {m["model"] for m in r["models"]}


def test_summaries_of_removed_days_are_dropped(tmp_path):
    store = tmp_path / "s"
    _write(store, "2026-11-26", [_record("2026-11-26T10:00:00.000Z")])
    _write(store, "2026-11-27", [_record("2026-11-27T10:00:00.000Z")])
    query.collect(store, Window())
    (store / "2026-11-26" / "telemetry.jsonl").unlink()
    r = query.stats_report(query.collect(store, Window()), Window())
    assert r["totals"]["calls"] == 1
    # The day's summary and November's roll-up (a closed month: storage/month_summaries.py).
    assert sorted(os.listdir(store / ".summaries")) == ["2026-11-27.sum", "2026-11.sum"]
    (store / "2026-11-27" / "telemetry.jsonl").unlink()
    query.collect(store, Window())
    assert os.listdir(store / ".summaries") == []


def test_corrupt_lines_are_counted_by_both_paths(tmp_path):
    store = tmp_path / "s"
    _write(store, "2026-11-27", [_record("2026-11-27T10:00:00.000Z")],
           extra=b'{"timestamp": "yesterday"}\n\x00\x00garbage\n"a string"\n\n{"half": ')
    for col in (query.collect(store, Window()), query.collect_scan(store, Window())):
        assert col.corrupt_lines == 3
        assert query.stats_report(col, Window())["totals"]["calls"] == 1


def test_an_empty_or_missing_store_gives_zeros(tmp_path):
    for store in (tmp_path / "missing", tmp_path):
        col = query.collect(store, Window())
        r = query.stats_report(col, Window())
        assert col.files == 0
        assert r["totals"]["calls"] == 0 and r["totals"]["cost_usd"] == 0
        assert r["latency_ms"] == {"avg": None, "p50": None, "p95": None, "p99": None}
        assert r["top_model"] is None
        assert query.patterns_report(col, Window())["busiest_weekday"] is None


def test_a_read_only_store_still_reports(tmp_path):
    store = tmp_path / "s"
    _write(store, "2026-11-27", [_record("2026-11-27T10:00:00.000Z")])
    store.chmod(0o555)
    try:
        r = query.stats_report(query.collect(store, Window()), Window())
    finally:
        store.chmod(0o755)
    assert r["totals"]["calls"] == 1


def test_percentiles_are_nearest_rank():
    values = [list(range(1, 11))]
    assert [query.percentile(values, p) for p in (50, 95, 99, 10, 11)] == [5, 10, 10, 1, 2]
    # 20 values: p95 is the 19th, p99 the 20th, p50 the 10th
    seqs = [[1.5, 2.5, 2.5, 9.0], [0.25, 3.0, 7.75], [4.0] * 13]
    flat = sorted(v for s in seqs for v in s)
    assert query.percentile(seqs, 50) == flat[9] == 4.0
    assert query.percentile(seqs, 95) == flat[18] == 7.75
    assert query.percentile(seqs, 99) == flat[19] == 9.0
    assert query.percentile([], 50) is None


def test_kth_smallest_matches_sorting():
    rng = random.Random(5)
    for _ in range(200):
        seqs = [sorted(rng.choice([rng.randrange(0, 50), rng.random() * 50, round(rng.random() * 5, 2)])
                       for _ in range(rng.randrange(0, 12))) for _ in range(rng.randrange(1, 5))]
        flat = sorted(v for s in seqs for v in s)
        for k in range(1, len(flat) + 1):
            assert query.kth_smallest(seqs, k) == flat[k - 1]


def test_bad_dates_and_ranges():
    with pytest.raises(query.DateError):
        query.range_window("2026-13-01", None, Window())
    with pytest.raises(query.DateError):
        query.range_window("2026-11-02", "2026-11-01", Window())
    with pytest.raises(query.DateError):
        query.last_days(0, NOW)
    w = query.range_window("2026-11-01", "2026-11-01", Window())
    assert w.end - w.start == 86_400_000  # until a DATE includes that day


def test_demo_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_demo(a, days=2, calls=300, seed=9, end_ms=NOW)
    write_demo(b, days=2, calls=300, seed=9, end_ms=NOW)
    files = sorted(p.relative_to(a) for p in a.rglob("*.jsonl"))
    assert files and all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_reading_backwards_across_chunk_edges(tmp_path):
    store = tmp_path / "s"
    rng = random.Random(4)
    path = _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 120), extra=b'{"torn": ')
    lines = path.read_bytes().split(b"\n")[:-1]
    for chunk in (7, 64, 1000, 1 << 16):
        assert list(query.lines_backwards(path, chunk=chunk)) == lines[::-1]
    upto = len(b"\n".join(lines[:50])) + 1
    assert list(query.lines_backwards(path, upto, chunk=33)) == lines[:50][::-1]
    _write(store, "2026-11-26", _odd_records(rng, "2026-11-26", 5))
    latest = query.latest_records(store, 123)
    assert [line for line, _ in latest[:120]] == lines[::-1]
    assert len(latest) == 123 and all(r["timestamp"] < "2026-11-27" for _, r in latest[120:])


def test_concurrent_reporters_build_the_same_summaries(tmp_path):
    import subprocess
    import sys

    store = tmp_path / "s"
    write_demo(store, days=8, calls=6000, seed=11, end_ms=NOW)
    root = Path(__file__).resolve().parents[1]
    code = ("import sys, orjson; from llm_core.storage import query as q; w = q.Window(); "
            "sys.stdout.buffer.write(orjson.dumps(q.performance_report(q.collect(sys.argv[1], w), w)))")
    env = {**os.environ, "PYTHONPATH": str(root)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(store)], stdout=subprocess.PIPE, env=env)
             for _ in range(3)]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    expected = query.performance_report(query.collect_scan(store, Window()), Window())
    assert all(orjson.loads(out) == orjson.loads(orjson.dumps(expected)) for out in outputs)
    assert not [p for p in (store / ".summaries").iterdir() if not p.name.endswith(".sum")]


def test_timestamps_parse_exactly():
    from datetime import datetime, timezone

    rng = random.Random(8)
    for _ in range(2000):
        ms = rng.randrange(0, 4_102_444_800_000)
        text = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
        assert records.parse_timestamp(text) == ms
    assert records.parse_timestamp("2026-11-10T08:45:12-05:00") == records.parse_timestamp("2026-11-10T13:45:12.000Z")
    assert records.parse_timestamp("2026-11-10T13:45:12") == records.parse_timestamp("2026-11-10T13:45:12Z")
    for bad in ("2026-11-10T24:00:00.000Z", "2026-11-10T13:60:00.000Z", "2026-02-30T13:00:00.000Z",
                "2026-11-10T13:0a:00.000Z", "yesterday", None, 1794318312000):
        assert records.parse_timestamp(bad) is None


def test_a_summary_replaced_by_another_reporter_is_read_as_a_whole(tmp_path):
    store = tmp_path / "s"
    rng = random.Random(6)
    path = _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 100))
    day_summaries.summaries(store)
    (_, old), = day_summaries.summaries(store)  # section 1 only, as a reporter holds it
    _write(store, "2026-11-27", _odd_records(rng, "2026-11-27", 40))
    day_summaries.summaries(store)  # another reporter extends and replaces the file
    cids, _, m, _ = old.rows()
    assert old.meta["records"] == 140 == sum(m[r * day_summaries.NM] for r in range(len(cids)))
    assert sum(t[day_summaries.M_CALLS] for t in old.totals) == 140
    assert path.stat().st_size == old.meta["source"]["size"]


def test_following_yields_only_what_is_appended_after_the_start(tmp_path):
    store = tmp_path / "s"
    path = _write(store, "2026-11-27", [_record("2026-11-27T10:00:00.000Z", id="old")],
                  extra=b'{"id": "torn"')  # a line still being written: not seen yet
    seen = follow_start(store)
    assert seen == {path: path.read_bytes().index(b'{"id": "torn"')}
    follower = follow_records(store, seen, filters=Filters(model="m1"), poll=0.001)
    with open(path, "ab") as f:  # the torn line is completed, then one more
        f.write(b', "timestamp": "2026-11-27T10:00:01.000Z", "model": "m1"}\n')
    _write(store, "2026-11-27", [_record("2026-11-27T10:00:02.000Z", id="new", model="other"),
                                 _record("2026-11-27T10:00:03.000Z", id="kept")])
    assert [rec["id"] for _, rec in (next(follower), next(follower))] == ["torn", "kept"]
    _write(store, "2026-11-28", [_record("2026-11-28T00:00:01.000Z", id="next-day")])
    line, rec = next(follower)
    assert rec["id"] == "next-day" and orjson.loads(line) == rec


def test_select_lines_counts_what_it_cannot_read():
    bad = [0]
    lines = [orjson.dumps(_record("2026-11-27T10:00:00.000Z", id="a")), b"not json", b"  ",
             orjson.dumps({"id": "no-time"}), orjson.dumps(_record("2026-11-27T11:00:00.000Z", id="b"))]
    window = query.range_window("2026-11-27T10:30Z", None, Window())
    assert [r["id"] for _, r in query.select_lines(lines, window, Filters(), bad)] == ["b"]
    assert bad == [2]


def test_report_window_takes_one_kind_of_range():
    assert query.report_window(NOW, "week") == query.period_window("week", NOW)
    assert query.report_window(NOW, days=3) == query.last_days(3, NOW)
    assert query.report_window(NOW) == query.last_days(30, NOW)
    assert query.report_window(NOW, since="2026-11-01").label == "custom"
    with pytest.raises(query.DateError, match="period or --since"):
        query.report_window(NOW, "week", since="2026-11-01")
    with pytest.raises(query.DateError, match="--days or --since"):
        query.report_window(NOW, days=3, until="2026-11-01")


def test_date_errors_are_usage_errors():
    assert issubclass(query.DateError, UsageError) and issubclass(query.DateError, LLMCoreError)
    assert query.DateError("x").exit_code == 2


def test_groups_see_dimensions_by_name(store):
    col = query.collect(store, Window())
    assert col.combos
    by_name = query.group(col, lambda d: (d.model, d.provider, d.success))
    by_position = {}
    for dims, m in col.combos.items():
        key = (dims[3], dims[4], dims[5])
        acc = by_position.setdefault(key, [0] * len(m))
        by_position[key] = [a + b for a, b in zip(acc, m, strict=True)]
    assert {k: v[:-3] for k, v in by_name.items()} == by_position  # without successes, cancelled, blocked
