"""The cache of a report over many stores (storage/stores_cache.py): it answers only what
collecting the stores would give, and anything that could change that makes it read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from llm_core.records import STORE_MARKER
from llm_core.storage import multi, query, stores_cache
from llm_core.storage.compress import compress_day_file
from llm_core.storage.multi import collect_many
from llm_core.storage.query import Filters, Window

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = 1_796_040_000_000  # 2026-11-30T12:00Z
WINDOW = query.last_days(3, NOW)


@pytest.fixture
def stores(tmp_path, demo_store) -> list[Path]:
    return [demo_store(tmp_path / f"p{i}" / ".llm-telemetry", days=4 + i, calls=150 * (i + 1),
                       seed=20 + i, end_ms=NOW) for i in range(3)]


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


def fresh(stores: list[Path], window: Window = WINDOW) -> query.Collection:
    """The selection collected store by store, with no cache of many stores."""
    col, problems = collect_many(stores, window, need_slots=False, need_latencies=False)
    assert problems == []
    return col


def cached(stores: list[Path], cache_dir: Path, window: Window = WINDOW) -> tuple[query.Collection, list[str]]:
    return collect_many(stores, window, need_slots=False, need_latencies=False, cache_dir=cache_dir)


def assert_same(got: query.Collection, want: query.Collection, window: Window = WINDOW) -> None:
    assert got.combos == want.combos
    assert (got.corrupt_lines, got.files) == (want.corrupt_lines, want.files)
    for report in (query.projects_report, query.models_report, query.agents_report):
        assert report(got, window, Filters()) == report(want, window, Filters()), report


def hit(stores: list[Path], cache_dir: Path, window: Window = WINDOW) -> query.Collection:
    """The result, asserting it came from the cache of many stores alone."""
    col = stores_cache.read(cache_dir, stores, window)
    assert col is not None, "the cache did not answer"
    got, problems = cached(stores, cache_dir, window)
    assert problems == [] and got.combos == col.combos
    return got


def missed(stores: list[Path], cache_dir: Path, window: Window = WINDOW) -> query.Collection:
    """The result, asserting the cache did not answer it (it is written again after)."""
    assert stores_cache.read(cache_dir, stores, window) is None, "a cache that should not answer did"
    got, problems = cached(stores, cache_dir, window)
    assert problems == []
    return got


def append_call(day: Path, tokens: int = 123_456_789) -> None:
    record = orjson.loads((day / "telemetry.jsonl").read_bytes().splitlines()[0])
    record["id"], record["tokens"]["input"] = "x" * 32, tokens
    with open(day / "telemetry.jsonl", "ab") as f:
        f.write(orjson.dumps(record) + b"\n")


def days_of(store: Path) -> list[Path]:
    return sorted(p for p in store.iterdir() if p.name[:2] == "20")


def test_the_second_report_answers_from_one_file_and_equals_collecting(stores, cache_dir, monkeypatch):
    first, problems = cached(stores, cache_dir)
    assert problems == []
    assert_same(first, fresh(stores))
    assert [p.parent.name for p in cache_dir.glob("stores/*.cache")] == ["stores"]

    def refuse(*args, **kwargs):
        raise AssertionError("collected the stores although the cache answers")

    monkeypatch.setattr(multi, "_collect_many", refuse)
    assert_same(hit(stores, cache_dir), first)


@pytest.mark.parametrize("change", ["settled day", "today", "new day", "removed day", "compressed day"])
def test_a_changed_store_is_collected_again(stores, cache_dir, change):
    cached(stores, cache_dir)
    days = days_of(stores[1])
    if change == "settled day":
        append_call(days[-2])
    elif change == "today":
        append_call(days[-1])
    elif change == "new day":
        shutil.copytree(days[-1], stores[1] / "2026-12-01")
    elif change == "removed day":
        shutil.rmtree(days[-2])
    else:
        assert compress_day_file(days[-2], "telemetry.jsonl") is not None
    got = missed(stores, cache_dir)
    assert_same(got, fresh(stores))
    assert_same(hit(stores, cache_dir), got)  # written again, it answers the next one


def test_another_window_or_other_stores_are_not_answered(stores, cache_dir):
    cached(stores, cache_dir)
    other = query.last_days(2, NOW)
    assert_same(missed(stores, cache_dir, other), fresh(stores, other), other)
    assert_same(missed(stores[:2], cache_dir), fresh(stores[:2]))
    assert_same(missed(stores[::-1], cache_dir), fresh(stores))
    assert len(list(cache_dir.glob("stores/*.cache"))) == 3  # one file per set of stores


@pytest.mark.parametrize("day", [-1, -2], ids=["last day", "the day before"])
@pytest.mark.parametrize("primed", [False, True], ids=["from summaries", "from the stores' caches"])
def test_a_change_while_collecting_is_found_by_the_next_report(stores, cache_dir, monkeypatch, primed, day):
    """Each day file's identity is the one its numbers came from (the store's cache of settled
    days, the day's summary, or a stat before collecting): a call recorded after a day was read
    makes the next report collect again (a stat after collecting would miss that call)."""
    if primed:
        fresh(stores)  # each store's cache of settled days, for this window
    real = multi._collect_many

    def collect_then_record(*args):
        got = real(*args)
        append_call(days_of(stores[0])[day])
        return got

    with monkeypatch.context() as m:
        m.setattr(multi, "_collect_many", collect_then_record)
        cached(stores, cache_dir)
    assert_same(missed(stores, cache_dir), fresh(stores))
    assert_same(hit(stores, cache_dir), fresh(stores))


def test_a_call_recorded_just_after_a_days_summary_was_read_is_found(stores, cache_dir, monkeypatch):
    """A day the stores' caches do not hold (one the window cuts, or today's) has the identity
    its summary was made from, not that of a stat after reading it."""
    from llm_core.storage import store_cache

    cut = Window(NOW - 3 * 86_400_000, NOW, "cut")  # the first day is cut: read from its summary
    fresh(stores, cut)
    real = store_cache.summaries

    def read_then_record(store, workers, files, known):
        got = real(store, workers, files, known)
        if store == stores[0]:
            append_call(files[-1][1].parent)
            read.append(files[-1][0])
        return got

    read: list[str] = []

    with monkeypatch.context() as m:
        m.setattr(store_cache, "summaries", read_then_record)
        cached(stores, cache_dir, cut)
    assert read == ["2026-11-27"]
    assert_same(missed(stores, cache_dir, cut), fresh(stores, cut), cut)


def test_a_store_gone_or_no_longer_a_store_warns_as_without_the_cache(stores, cache_dir):
    cached(stores, cache_dir)
    shutil.rmtree(stores[0])
    assert stores_cache.read(cache_dir, stores, WINDOW) is None
    _, problems = cached(stores, cache_dir)
    assert problems == [f"{stores[0]}: no such telemetry store (skipped)"]
    cached(stores[1:], cache_dir)
    (stores[1] / STORE_MARKER).unlink()
    (stores[1] / "notes.txt").write_text("mine\n")
    assert stores_cache.read(cache_dir, stores[1:], WINDOW) is None
    _, problems = cached(stores[1:], cache_dir)
    assert problems == [f"{stores[1]}: not a telemetry store (it holds other files; skipped)"]


def test_an_unmarked_store_of_its_own_files_only_is_still_answered(stores, cache_dir):
    for store in stores:
        (store / STORE_MARKER).unlink()
    cached(stores, cache_dir)
    assert_same(hit(stores, cache_dir), fresh(stores))


def test_a_linked_day_folder_is_collected_again_and_warned_about(stores, cache_dir, capsys):
    cached(stores, cache_dir)
    os.symlink(days_of(stores[2])[0], stores[2] / "2026-12-02")
    assert stores_cache.read(cache_dir, stores, WINDOW) is None
    cached(stores, cache_dir)
    assert "a day folder that is a symbolic link" in capsys.readouterr().err


def test_a_damaged_or_foreign_cache_is_not_read(stores, cache_dir):
    cached(stores, cache_dir)
    [path] = cache_dir.glob("stores/*.cache")
    data = path.read_bytes()
    for at in (10, 30, len(data) // 2, len(data) - 3):
        damaged = bytearray(data)
        damaged[at] ^= 0xFF
        path.write_bytes(bytes(damaged))
        assert_same(missed(stores, cache_dir), fresh(stores))
    # A store's part damaged: a change in that store does not take it out of the sum.
    part = stores_cache.part_path(cache_dir, os.path.abspath(stores[0]))
    damaged = bytearray(part.read_bytes())
    damaged[-3] ^= 0xFF
    part.write_bytes(bytes(damaged))
    assert_same(hit(stores, cache_dir), fresh(stores))  # the sum alone answers
    append_call(days_of(stores[0])[-1])
    kept, base, dropped = stores_cache.parts(cache_dir, stores, WINDOW)
    assert kept[0] is None and base is None and dropped == []
    assert_same(missed(stores, cache_dir), fresh(stores))
    path.write_bytes(b"LLMSTOR1")
    assert_same(missed(stores, cache_dir), fresh(stores))


def test_reports_with_filters_slots_or_percentiles_do_not_use_it(stores, cache_dir, monkeypatch):
    cached(stores, cache_dir)
    monkeypatch.setattr(stores_cache, "lookup", lambda *a: pytest.fail("read the cache of many stores"))
    for kwargs in ({"filters": Filters(project="spacewalker"), "need_slots": False, "need_latencies": False},
                   {"need_slots": True, "need_latencies": False}, {"need_slots": False, "need_latencies": True}):
        got, _ = collect_many(stores, WINDOW, cache_dir=cache_dir, **kwargs)
        want, _ = collect_many(stores, WINDOW, **kwargs)
        assert got.combos == want.combos


def test_a_cache_folder_that_cannot_be_written_is_no_error(stores, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    got, problems = cached(stores, blocked)
    assert problems == []
    assert_same(got, fresh(stores))


def age(folder: Path, seconds: int = 3600) -> None:
    """The folder's mtime as if its last entry was added `seconds` ago."""
    then = os.stat(folder).st_mtime - seconds
    os.utime(folder, (then, then))


def listings(monkeypatch) -> list[Path]:
    """The stores the cache lists (stores_cache._day_folders), from now on."""
    listed: list[Path] = []
    real = stores_cache._day_folders

    def day_folders(store, fd, known):
        listed.append(store)
        return real(store, fd, known)

    monkeypatch.setattr(stores_cache, "_day_folders", day_folders)
    return listed


@pytest.mark.parametrize("change", ["new day", "removed day", "no longer a store"])
def test_a_folder_unchanged_for_long_is_not_listed_until_an_entry_changes(stores, cache_dir, monkeypatch, change):
    fresh(stores)  # the stores' summaries and caches: .summaries/ added to each store's folder
    for store in stores:
        age(store)
    cached(stores, cache_dir)
    listed = listings(monkeypatch)
    assert_same(hit(stores, cache_dir), fresh(stores))
    assert listed == []  # one stat of each folder told that none of their entries changed
    if change == "new day":
        shutil.copytree(days_of(stores[1])[-1], stores[1] / "2026-12-01")
    elif change == "removed day":
        shutil.rmtree(days_of(stores[1])[0])
    else:
        (stores[1] / STORE_MARKER).unlink()
        (stores[1] / "notes.txt").write_text("mine\n")
    assert stores_cache.read(cache_dir, stores, WINDOW) is None  # its folder's mtime changed
    if change != "no longer a store":  # (that one is found before its listing)
        assert stores[1] in listed
        assert_same(missed(stores, cache_dir), fresh(stores))


def test_a_folder_changed_just_before_it_was_listed_is_listed_each_time(stores, cache_dir, monkeypatch):
    """Its mtime could be the same after a change made in the same tick of the clock: a day
    folder added then is found by listing it, whatever its mtime says."""
    fresh(stores)
    age(stores[0])
    cached(stores, cache_dir)
    listed = listings(monkeypatch)
    hit(stores, cache_dir)
    assert stores[0] not in listed and stores[1] in listed and stores[2] in listed
    before = os.stat(stores[1])
    shutil.copytree(days_of(stores[1])[-1], stores[1] / "2026-12-01")
    os.utime(stores[1], ns=(before.st_atime_ns, before.st_mtime_ns))  # as if in the same tick
    assert_same(missed(stores, cache_dir), fresh(stores))


def test_only_the_sets_of_stores_used_last_are_kept(stores, cache_dir, monkeypatch):
    monkeypatch.setattr(stores_cache, "KEEP", 2)
    sets = [stores[:1], stores[:2], stores, stores[1:]]
    for i, chosen in enumerate(sets):
        cached(chosen, cache_dir)
        path = stores_cache.cache_path(cache_dir, chosen)
        os.utime(path, ns=(i * 10**9, i * 10**9))  # written in this order, a second apart
    assert sorted(cache_dir.glob("stores/*.cache")) == sorted(stores_cache.cache_path(cache_dir, s) for s in sets[2:])
    assert_same(hit(stores, cache_dir), fresh(stores))


def collected(monkeypatch) -> list[Path]:
    """The stores collected again (multi._collect_one), from now on."""
    seen: list[Path] = []
    real = multi._collect_one

    def collect_one(store, *args):
        seen.append(store)
        return real(store, *args)

    monkeypatch.setattr(multi, "_collect_one", collect_one)
    return seen


@pytest.mark.parametrize("changed", [[1], [0, 2], [0, 1, 2]], ids=["one store", "two stores", "every store"])
def test_a_miss_collects_only_the_changed_stores_and_equals_collecting_all(stores, cache_dir, monkeypatch, changed):
    cached(stores, cache_dir)
    for i in changed:
        append_call(days_of(stores[i])[-1], tokens=10**9 + i)
    shutil.copytree(days_of(stores[changed[0]])[-1], stores[changed[0]] / "2026-12-01")  # a combo more
    again = collected(monkeypatch)
    got = missed(stores, cache_dir)
    assert again == [stores[i] for i in changed]
    assert_same(got, fresh(stores))
    again.clear()
    assert_same(hit(stores, cache_dir), got)  # the sum and the parts written again
    assert again == []
    assert all(part is not None for part in stores_cache.parts(cache_dir, stores, WINDOW)[0])


def test_a_store_added_or_removed_uses_the_parts_kept_of_the_others(stores, cache_dir, monkeypatch):
    cached(stores[:2], cache_dir)
    again = collected(monkeypatch)
    for chosen, want in [(stores, stores[2:]),  # one store added
                         (stores[1:], []),  # one removed
                         (stores, stores[1:2])]:  # the sum of all three, after a call in stores[1]
        if want == stores[1:2]:
            append_call(days_of(stores[1])[-1])
        again.clear()
        got = missed(chosen, cache_dir)
        assert again == want
        assert_same(got, fresh(chosen))


def test_a_part_of_a_store_gone_or_not_readable_is_not_used(stores, cache_dir, monkeypatch):
    cached(stores, cache_dir)
    shutil.rmtree(stores[1])
    got, problems = cached(stores, cache_dir)
    assert problems == [f"{stores[1]}: no such telemetry store (skipped)"]
    want, _ = collect_many(stores, WINDOW, need_slots=False, need_latencies=False)
    assert_same(got, want)
    assert_same(got, fresh([stores[0], stores[2]]))


def test_a_combo_gone_from_the_only_store_that_had_it_is_gone_from_the_sum(stores, cache_dir, monkeypatch):
    """The kept sum has the changed stores' old parts taken out and their new ones added: a
    combo only a changed store had, and no longer has, is not left behind with zero totals."""
    day = days_of(stores[2])[-1]
    record = orjson.loads((day / "telemetry.jsonl").read_bytes().splitlines()[0])
    record["id"], record["metadata"]["project"] = "y" * 32, "only-here"
    with open(day / "telemetry.jsonl", "ab") as f:
        f.write(orjson.dumps(record) + b"\n")
    first, _ = cached(stores, cache_dir)
    assert any(c[0] == "only-here" for c in first.combos)
    lines = (day / "telemetry.jsonl").read_bytes().splitlines(keepends=True)
    (day / "telemetry.jsonl").write_bytes(b"".join(lines[:-1]))
    used = []
    real = multi._packed_sum
    monkeypatch.setattr(multi, "_packed_sum", lambda packs, base=None, minus=(): used.append(base) or real(packs, base, minus))
    got = missed(stores, cache_dir)
    assert any(base is not None for base in used)  # from the kept sum, not all parts again
    assert not any(c[0] == "only-here" for c in got.combos)
    assert_same(got, fresh(stores))
    assert_same(hit(stores, cache_dir), got)


def test_a_part_kept_since_for_another_set_of_stores_is_not_taken_out_of_the_sum(stores, cache_dir, monkeypatch):
    """Two sets sharing a store share its part file: when the other set kept a newer part,
    this set's sum cannot be taken apart by it, and every store's own part is added up."""
    cached(stores, cache_dir)
    append_call(days_of(stores[0])[-1])
    cached(stores[:2], cache_dir)  # stores[0]'s part kept again, for this other set
    append_call(days_of(stores[0])[-1], tokens=7)
    kept, base, _ = stores_cache.parts(cache_dir, stores, WINDOW)
    assert base is None and kept[0] is None and kept[1] is not None and kept[2] is not None
    again = collected(monkeypatch)
    got = missed(stores, cache_dir)
    assert again == [stores[0]]
    assert_same(got, fresh(stores))


def test_only_the_parts_of_the_stores_used_last_are_kept(stores, cache_dir, monkeypatch):
    monkeypatch.setattr(stores_cache, "KEEP_PARTS", 2)
    for i, store in enumerate(stores):
        cached([store], cache_dir)
        path = stores_cache.part_path(cache_dir, os.path.abspath(store))
        os.utime(path, ns=(i * 10**9, i * 10**9))  # written in this order, a second apart
    assert sorted(cache_dir.glob("stores/parts/*.part")) == sorted(
        stores_cache.part_path(cache_dir, os.path.abspath(s)) for s in stores[1:])
