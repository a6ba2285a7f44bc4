"""Month roll-ups (storage/month_summaries.py) answer like the full scan, and a stale or damaged
one is never read: appends, rewrites, new and removed days, compression, flipped bytes."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import orjson
import pytest

from llm_core.storage import _month_summary_file, day_summaries, month_summaries, query
from llm_core.storage.compress import compress_day_file
from llm_core.storage.query import Filters, Window

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = query.parse_when("2026-11-27T12:00:00Z")
REPORTS = [
    query.stats_report, query.models_report, query.agents_report, query.projects_report,
    query.performance_report, query.patterns_report,
    *[lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS],
]
WINDOWS = [Window(), query.last_days(40, NOW), query.last_days(365, NOW),
           query.range_window("2026-09-15", "2026-10-31", Window())]
FILTERS = [Filters(), Filters(project="spacewalker"), Filters(model="gpt-4.1", agent="doc-finder")]


_SCANNED: dict[tuple, list] = {}


def _scan_reports(store: Path, window: Window, filters: Filters, *, pristine: bool = False) -> list:
    """Every report of REPORTS over the full scan of `store`. A test that leaves the seeded
    records as the `store` fixture makes them (pristine) shares one scan per zone, window and
    filters with the others: the reference is the same, only the summaries under test differ."""
    key = (os.environ.get("TZ"), time.tzname, window, filters)
    if pristine and key in _SCANNED:
        return _SCANNED[key]
    slow = query.collect_scan(store, window, filters)
    got = [report(slow, window, filters) for report in REPORTS]
    if pristine:
        _SCANNED[key] = got
    return got


def _same(store: Path, window: Window, filters: Filters, *, pristine: bool = False) -> None:
    fast = query.collect(store, window, filters)
    want = _scan_reports(store, window, filters, pristine=pristine)
    for report, slow in zip(REPORTS, want, strict=True):
        assert report(fast, window, filters) == slow, (report, window, filters)


@pytest.fixture
def store(tmp_path, demo_store) -> Path:
    """Three closed months and a bit, with odd values and garbage in a closed month. 1,500 calls
    (15 a day) give every report, window and filter below records to count; the roll-up rules
    depend on whole closed months, not on how many calls a day holds."""
    root = demo_store(tmp_path / "store", days=100, calls=1500, seed=5, end_ms=NOW)
    rng = random.Random(1)
    odd = [{"timestamp": f"2026-10-0{d}T0{d}:00:00.000Z", "model": rng.choice(["m", None]),
            "duration_ms": rng.choice([250.5, 7, None, -1, "x"]), "cost_usd": rng.choice([0.1 + 0.2, None, 1e20]),
            "tokens": {"input": rng.choice([3, 2.7, -4])}, "success": rng.random() < 0.5}
           for d in range(1, 10)]
    with open(root / "2026-10-03" / "telemetry.jsonl", "ab") as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in odd) + b"not json\n")
    return root


def _months(store: Path) -> list[str]:
    return sorted(n for n in os.listdir(store / ".summaries") if len(n) == 11)


@pytest.mark.parametrize("tz_name", ["UTC", "America/New_York"])
def test_rollups_answer_like_the_full_scan(store, tz, tz_name):
    tz(tz_name)
    for window in WINDOWS:
        for filters in FILTERS:
            _same(store, window, filters, pristine=True)
    assert _months(store) == ["2026-08.sum", "2026-09.sum", "2026-10.sum", "2026-11.sum"]


def test_a_year_report_reads_the_rollups_not_the_days(store):
    query.collect(store, Window())
    for name in os.listdir(store / ".summaries"):
        if len(name) == 14:
            os.unlink(store / ".summaries" / name)  # every day summary
    _same(store, Window(), Filters(), pristine=True)
    docs = Filters(project="docs-site")  # filtered, without (combo, slot) groups: section B
    fast = query.collect(store, Window(), docs, need_slots=False)
    slow = _scan_reports(store, Window(), docs, pristine=True)
    for report in (query.stats_report, query.performance_report, query.models_report):
        assert report(fast, Window(), docs) == slow[REPORTS.index(report)]
    assert _months(store) and all(len(n) == 11 for n in os.listdir(store / ".summaries"))


@pytest.mark.parametrize("change", ["append", "rewrite", "new_day", "remove_day", "compress"])
def test_a_stale_rollup_is_never_read(store, change):
    query.collect(store, Window())
    day = store / "2026-10-12" / "telemetry.jsonl"
    rec = orjson.loads(day.read_bytes().split(b"\n")[0])
    rec["model"], rec["duration_ms"] = "new-model", 123456
    if change == "append":
        with open(day, "ab") as f:
            f.write(orjson.dumps(rec) + b"\n")
    elif change == "rewrite":
        lines = day.read_bytes().split(b"\n")
        lines[0] = orjson.dumps(rec)
        day.write_bytes(b"\n".join(lines))
    elif change == "new_day":
        rec["timestamp"] = "2026-10-31T23:00:00.000Z"
        (store / "2026-10-31").mkdir(exist_ok=True)
        with open(store / "2026-10-31" / "telemetry.jsonl", "ab") as f:
            f.write(orjson.dumps(rec) + b"\n")
    elif change == "remove_day":
        day.unlink()
    else:
        assert compress_day_file(store / "2026-10-12", "telemetry.jsonl")
    for window in WINDOWS:
        _same(store, window, Filters())
        _same(store, window, Filters(model="new-model"))
    perf = query.performance_report(query.collect(store, Window()), Window())
    assert ("new-model" in [m["model"] for m in perf["by_model"]]) == (change in ("append", "rewrite", "new_day"))


@pytest.mark.parametrize("where", ["head", "section_a", "section_b"])
def test_a_damaged_rollup_is_never_read(store, where):
    query.collect(store, Window())
    path = store / ".summaries" / "2026-10.sum"
    data = bytearray(path.read_bytes())
    end = _month_summary_file.section_a_end(bytes(data))
    pos = {"head": 30, "section_a": end - 3, "section_b": len(data) - 3}[where]
    data[pos] ^= 0xFF
    path.write_bytes(bytes(data))
    if where != "section_b":
        assert _month_summary_file.read_month(path) is None
    for filters in FILTERS:
        _same(store, Window(), filters, pristine=True)
        fast = query.collect(store, Window(), filters, need_slots=False)
        slow = _scan_reports(store, Window(), filters, pristine=True)
        assert query.performance_report(fast, Window(), filters) == slow[REPORTS.index(query.performance_report)]


@pytest.mark.parametrize("meta", [{"a": []}, {"a": "x"}, {"a": [-1]}, {}, [], {"a": [2**40]}])
def test_a_rollup_with_a_meta_that_makes_no_sense_is_not_read(tmp_path, meta):
    """A header of the right format whose meta names no usable section A (as damage or
    another writer could leave it) is a roll-up to build again, not an exception."""
    mb = orjson.dumps(meta)
    path = tmp_path / "2026-10.sum"
    path.write_bytes(_month_summary_file._HEAD.pack(_month_summary_file._MAGIC, len(mb), 0, 0, 0) + mb)
    assert _month_summary_file.read_month(path) is None


def test_a_read_only_store_still_reports(store, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "read-only")

    monkeypatch.setattr(month_summaries, "write_summary", refuse)
    monkeypatch.setattr(day_summaries, "write_summary", refuse)
    for filters in FILTERS:
        _same(store, Window(), filters, pristine=True)
    assert not (store / ".summaries").exists()


def test_counted_behaves_as_the_sorted_values():
    rng = random.Random(2)
    values = sorted(rng.choice([1.0, 2.0, 2.0, 5.5, 900.0, 3.0]) for _ in range(200))
    vals, cum = _month_summary_file._counted(values)
    c = _month_summary_file.Counted(vals, cum)
    assert len(c) == 200 and [c[i] for i in range(200)] == values and c[-1] == values[-1]
    plain = [values[:50], values[50:]]
    for p in (1, 50, 95, 99, 100):
        assert query.percentile([c], p) == query.percentile(plain, p) == query.percentile([values], p)
    with pytest.raises(IndexError):
        c[200]


def test_a_rollup_merged_from_another_day_format_is_rebuilt(store, monkeypatch):
    query.collect(store, Window())
    path = store / ".summaries" / "2026-10.sum"
    assert _month_summary_file.read_month(path) is not None
    monkeypatch.setattr(_month_summary_file, "DAY_FORMAT", "LLMTSUM0")  # the day format moved on
    assert _month_summary_file.read_month(path) is None
    _same(store, Window(), Filters(), pristine=True)
    assert _month_summary_file.read_month(path).meta["day_format"] == "LLMTSUM0"  # rebuilt


@pytest.mark.parametrize("values", [[], [0, 1, 255], [256, 3], [2**32 - 1], [2**32], [2**63 - 1], [-1, 5]])
def test_int_columns_take_the_narrowest_type_that_holds_them(values):
    from llm_core.storage._columns import pack_ints, size, unpack

    code, data = pack_ints(values)
    assert list(unpack(code, data)) == values and len(data) == size(code, len(values))
    widest = max(values, default=0)
    assert size(code, 1) == (8 if min(values, default=0) < 0 or widest >= 2**32 else
                             4 if widest >= 2**16 else 2 if widest >= 2**8 else 1)


@pytest.mark.parametrize("values", [[1.0, 250.0, 4294967295.0], [250.5, 1.0], [4294967296.0], [1e-300], [],
                                    [-0.0, 3.0], [-1.0, 2.0], [float("inf"), 1.0], [2.0, float("nan")]])
def test_latency_columns_are_uint32_only_when_exact(values):
    from llm_core.storage._columns import pack_floats, unpack

    code, data = pack_floats(values)
    back = [float(v) for v in unpack(code, data)]
    assert [(b, b == b) for b in back] == [(v if v == v else back[k], v == v) for k, v in enumerate(values)]
    assert code == ("I" if all(v.is_integer() and 0 <= v < 2**32 for v in values) else "d")


def test_whole_closed_months_come_from_the_rollups_of_one_store_and_the_caches_of_many(store, monkeypatch):
    """One store answers a window holding two or more whole closed months from its roll-ups
    and keeps its settled days' cache (storage/store_cache.py) for short windows; a report
    over many stores (collect_store_packed) reads each one's cache, which answers any window
    of a store within MAX_CALLS timed calls; a bigger store is left to its roll-ups there too."""
    from llm_core.records import SETTLED_CACHE, SUMMARY_DIR
    from llm_core.storage import store_cache
    from llm_core.storage.multi import merge

    assert month_summaries.whole_closed_months(["2026-09-30", "2026-10-01", "2026-11-05"], Window()) == 3
    assert month_summaries.whole_closed_months(["2026-10-01"], query.last_days(30, NOW)) == 0
    cache = store / SUMMARY_DIR / SETTLED_CACHE
    long_windows = (Window(), query.last_days(365, NOW))

    def many(window):
        col, pack = store_cache.collect_store_packed(store, window)
        return merge([col], [] if pack is None else [pack])

    for window in long_windows:
        got, want = store_cache.collect_store(store, window), query.collect(store, window)
        assert query.performance_report(got, window) == query.performance_report(want, window)
        assert not cache.exists()
    monkeypatch.setattr(store_cache, "MAX_CALLS", 300)  # the demo store's 1,500 calls are past it
    for window in long_windows:
        assert query.projects_report(many(window), window) == query.projects_report(query.collect(store, window), window)
        assert not cache.exists()
    monkeypatch.undo()
    for window in (*long_windows, query.last_days(10, NOW)):
        for _ in range(2):  # written, then read
            got, want = many(window), query.collect(store, window)
            assert query.performance_report(got, window) == query.performance_report(want, window)
            assert query.projects_report(got, window) == query.projects_report(want, window)
        assert cache.exists()
        made = cache.stat().st_mtime_ns
        many(window)
        assert cache.stat().st_mtime_ns == made  # it fits: read, not written again


def test_a_rollup_removed_under_a_filtered_report_is_answered_by_its_days(store, monkeypatch):
    query.collect(store, Window())
    real = month_summaries.read_month

    def read_then_remove(path):  # as a concurrent prune of the month's days would leave it
        got = real(path)
        path.unlink(missing_ok=True)
        return got

    monkeypatch.setattr(month_summaries, "read_month", read_then_remove)
    docs = Filters(project="docs-site")
    fast = query.collect(store, Window(), docs, need_slots=False)
    slow = _scan_reports(store, Window(), docs, pristine=True)
    assert query.performance_report(fast, Window(), docs) == slow[REPORTS.index(query.performance_report)]


def test_a_report_without_percentiles_decompresses_no_rollup_latency(store, monkeypatch):
    """patterns, costs, models ... show no percentile: over whole months their collection takes
    the roll-ups' totals and slots and leaves the latencies packed (a year's are 10M values)."""
    full = query.collect(store, Window(), Filters(), need_slots=True)
    read = []
    monkeypatch.setattr(_month_summary_file.MonthSummary, "model_durations",
                        lambda self: read.append(self) or [])
    lean = query.collect(store, Window(), Filters(), need_slots=True, need_latencies=False)
    assert read == [] and not any(lean.latencies.values())
    query.collect(store, Window(), Filters(), need_slots=True)
    assert len(read) >= 3  # the roll-ups answer: with percentiles, their latencies are read
    assert (lean.combos, lean.slots, lean.files) == (full.combos, full.slots, full.files)
    for report in (query.patterns_report, query.costs_report, query.models_report):
        assert report(lean, Window(), Filters()) == report(full, Window(), Filters())
