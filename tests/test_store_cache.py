"""The settled days' cache (storage/store_cache.py): a report read through it equals collect()."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import orjson
import pytest

from llm_core.records import SETTLED_CACHE, SUMMARY_DIR, utc_today
from llm_core.storage import query, store_cache
from llm_core.storage.compress import compress_day_file
from llm_core.storage.day_summaries import NM
from llm_core.storage.inventory import take_inventory
from llm_core.storage.query import Filters, Window
from llm_core.storage.store_cache import collect_store

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = 1_796_040_000_000  # 2026-11-30T12:00Z
DAY = 86_400_000
REPORTS = [
    query.stats_report, query.models_report, query.agents_report, query.projects_report,
    query.performance_report, query.patterns_report,
    *(lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS),
]
SLOTS = (query.patterns_report, REPORTS[-1])  # by hour, weekday, day: need_slots=True only
WINDOWS = [Window(), query.last_days(4, NOW), Window(NOW - 5 * DAY + 123_456, NOW - 4_567_890, "cut")]
FILTERS = [Filters(), Filters(project="spacewalker"), Filters(model="claude-haiku-4-5", agent="doc-finder")]


@pytest.fixture
def store(tmp_path, demo_store) -> Path:
    return demo_store(tmp_path / ".llm-telemetry", days=6, calls=1000, seed=7, end_ms=NOW)


def cache_of(store: Path) -> Path:
    return store / SUMMARY_DIR / SETTLED_CACHE


HEAD = 48  # magic, the lengths of the six parts, four CRC-32s
PARTS = ("json", "combos", "totals", "by_model", "by_combo", "slots")


def parts_of(data: bytes) -> dict[str, tuple[int, int]]:
    """{part: (offset, length)}, the parts in the file's order after the header."""
    out, at = {}, HEAD
    for name, n in zip(PARTS, struct.unpack_from("<6I", data, 8), strict=True):
        out[name] = (at, n)
        at += n
    assert at == len(data)
    return out


def meta_of(data: bytes) -> dict:
    at, n = parts_of(data)["json"]
    return orjson.loads(data[at:at + n])


def assert_same(store: Path, window: Window, filters: Filters, need_slots: bool) -> None:
    got = collect_store(store, window, filters, need_slots)
    want = query.collect(store, window, filters, need_slots)
    assert (got.corrupt_lines, got.files) == (want.corrupt_lines, want.files)
    assert got.combos == want.combos
    for report in (r for r in REPORTS if need_slots or r not in SLOTS):
        assert report(got, window, filters) == report(want, window, filters), report
    if need_slots:
        assert got.slots == want.slots


def no_summaries(monkeypatch) -> None:
    """Make the path through every summary fail: a result now comes from the cache and the
    summaries of the days it does not hold (here at most the two the window cuts, and today's)."""
    def refuse(store, *args, **kwargs):
        raise AssertionError("read the whole store although the cache fits")

    def few(store, workers, files, known):
        assert len(files) <= 3, files
        return real(store, workers, files, known)

    real = store_cache.summaries
    monkeypatch.setattr(store_cache, "collect", refuse)
    monkeypatch.setattr(store_cache, "summaries", few)


@pytest.mark.parametrize("need_slots", [True, False], ids=["slots", "no-slots"])
@pytest.mark.parametrize("filters", FILTERS, ids=["none", "project", "model+agent"])
@pytest.mark.parametrize("window", WINDOWS, ids=["all", "four-days", "cut"])
def test_a_report_from_the_cache_equals_one_from_the_summaries(store, window, filters, need_slots, monkeypatch):
    assert_same(store, window, Filters(), False)  # the first report writes the cache
    assert cache_of(store).is_file()
    data = cache_of(store).read_bytes()
    cached = meta_of(data)["days"]
    assert len(cached) >= 2 and max(cached) < utc_today()  # settled days only, never today's
    assert cache_of(store).stat().st_size > 1000
    if not (need_slots and not filters.empty):
        no_summaries(monkeypatch)  # slots with filters need each day's groups: not from the cache
    assert_same(store, window, filters, need_slots)


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "project", "model+agent"])
def test_a_report_without_percentiles_reads_no_latency(store, filters, monkeypatch):
    """projects, costs, models, agents: with both latency parts damaged the cache still answers
    them (neither is read), and a report with percentiles finds the damage and reads again."""
    assert_same(store, Window(), Filters(), False)
    data = bytearray(cache_of(store).read_bytes())
    parts = parts_of(data)
    data[parts["by_model"][0]] ^= 0xFF
    data[parts["by_combo"][0]] ^= 0xFF
    cache_of(store).write_bytes(bytes(data))
    want = query.collect(store, Window(), filters, False)
    with monkeypatch.context() as m:
        no_summaries(m)
        got = collect_store(store, Window(), filters, False, need_latencies=False)
    assert got.combos == want.combos and got.latencies == {}
    by_agent = lambda c, w, f: query.costs_report(c, w, f, by="agent")  # noqa: E731
    for report in (query.projects_report, query.models_report, query.agents_report, by_agent):
        assert report(got, Window(), filters) == report(want, Window(), filters), report
    assert_same(store, Window(), filters, False)  # percentiles: the damage is found, all read again


def test_a_day_that_changed_is_read_again(store, monkeypatch):
    assert_same(store, Window(), Filters(), True)
    day = sorted(p for p in store.iterdir() if p.name[:2] == "20")[1]
    line = (day / "telemetry.jsonl").read_bytes().splitlines()[0]
    record = orjson.loads(line)
    record["id"], record["tokens"]["input"] = "x" * 32, 123_456_789
    with open(day / "telemetry.jsonl", "ab") as f:
        f.write(orjson.dumps(record) + b"\n")
    assert_same(store, Window(), Filters(), True)
    no_summaries(monkeypatch)  # the cache was rewritten with the changed day, and fits again
    assert_same(store, Window(), Filters(), True)


def test_a_compressed_or_removed_day_is_read_again(store):
    assert_same(store, Window(), Filters(), True)
    days = sorted(p for p in store.iterdir() if p.name[:2] == "20")
    assert compress_day_file(days[1], "telemetry.jsonl") is not None
    assert_same(store, Window(), Filters(), True)
    assert_same(store, Window(), Filters(), True)
    shutil.rmtree(days[2])
    assert_same(store, Window(), Filters(), True)


def test_a_damaged_cache_is_not_read(store):
    assert_same(store, Window(), Filters(), True)
    path = cache_of(store)
    data = bytearray(path.read_bytes())
    parts = parts_of(bytes(data))
    for at in (parts["json"][0] + 2, parts["combos"][0] + 5, parts["totals"][0] + 1, len(data) - 3):
        damaged = bytearray(data)
        damaged[at] ^= 0xFF
        path.write_bytes(bytes(damaged))
        assert_same(store, Window(), Filters(), True)
    path.write_bytes(b"LLMSETL1")
    assert_same(store, Window(), Filters(), False)


def test_a_store_that_cannot_be_written_is_read_without_the_cache(store, monkeypatch):
    def refuse(path, data, mode=0o600):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(store_cache, "write_summary", refuse)
    assert_same(store, Window(), Filters(), True)
    assert not cache_of(store).exists()


def test_the_cache_is_the_stores_own_file(store):
    collect_store(store, Window())
    inv = take_inventory(store)
    assert SETTLED_CACHE in inv.summaries and inv.foreign == []
    os.unlink(cache_of(store))  # deleting it is always safe
    assert_same(store, Window(), Filters(), False)


def test_a_cache_made_from_summaries_of_another_format_is_not_read(store, monkeypatch):
    collect_store(store, Window())
    read = []
    real = store_cache.collect
    monkeypatch.setattr(store_cache, "collect", lambda s, *a: read.append(s) or real(s, *a))
    assert_same(store, Window(), Filters(), True)
    assert read == []  # the cache fits
    monkeypatch.setattr(store_cache, "FORMAT", "LLMTSUM0")  # as if the summaries' format changed
    assert_same(store, Window(), Filters(), True)
    assert read == [store]


def test_a_cache_made_for_one_window_answers_another_only_when_it_fits(store):
    """Made for four days, the days before them are only counted; a longer window needs them."""
    for window in (WINDOWS[1], Window(), WINDOWS[1], WINDOWS[2], query.last_days(3, NOW), Window()):
        assert_same(store, window, Filters(), False)
        assert_same(store, window, Filters(), True)


def test_a_store_past_the_limit_is_left_to_its_summaries(store, monkeypatch):
    monkeypatch.setattr(store_cache, "MAX_CALLS", 100)
    assert_same(store, Window(), Filters(), False)
    assert not cache_of(store).exists()
    monkeypatch.setattr(store_cache, "MAX_CALLS", 10_000)
    assert_same(store, Window(), Filters(), False)
    data = cache_of(store).read_bytes()
    slots_len = parts_of(data)["slots"][1]
    raw = meta_of(data)["nslots"] * (1 + NM) * 8
    assert 0 < slots_len < raw / 2  # the slots, most of the file, are compressed


def test_a_store_past_the_limit_is_known_before_its_summaries_are_loaded(store, monkeypatch):
    """Every settled summary loaded at once (to merge them) is what a big store cannot afford:
    190 MB for a 30-day report at 10M calls a year. Past the limit they are never loaded."""
    loaded = []
    real = store_cache.summaries

    def spy(base, workers=None, files=None, known=None):
        loaded.append(len(files))
        return real(base, workers, files, known)

    monkeypatch.setattr(store_cache, "summaries", spy)
    monkeypatch.setattr(store_cache, "MAX_CALLS", 100)
    assert_same(store, Window(), Filters(), False)
    assert loaded == [] and not cache_of(store).exists()
    monkeypatch.setattr(store_cache, "MAX_CALLS", 10_000)
    assert_same(store, Window(), Filters(), False)
    assert loaded and cache_of(store).exists()
