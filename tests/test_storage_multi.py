"""Reports across several stores equal the reports over one store holding all their records."""

from __future__ import annotations

import os
from array import array
from itertools import chain
from pathlib import Path

import orjson
import pytest

from llm_core.storage import query
from llm_core.storage.collect import Collection
from llm_core.storage.day_summaries import NM, day_files
from llm_core.storage.demo import write_demo
from llm_core.storage.multi import collect_many, find_stores, merge, resolve_stores
from llm_core.storage.query import Filters, Window
from llm_core.storage.store_cache import Packed

NOW = 1_796_040_000_000  # 2026-11-30T12:00Z
REPORTS = [
    query.stats_report, query.models_report, query.agents_report, query.projects_report,
    query.performance_report, query.patterns_report,
    *(lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS),
]
SLOTS = (query.patterns_report, REPORTS[-1])  # by hour, weekday, day: need_slots=True only


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> tuple[list[Path], Path]:
    """Five project stores (different sizes, seeds, days) and one store with all their records."""
    root = tmp_path_factory.mktemp("multi")
    single = root / "all"
    paths = []
    for i in range(5):
        store = root / f"project-{i}" / ".llm-telemetry"
        write_demo(store, days=3 + i, calls=300 * (i + 1), seed=10 + i, end_ms=NOW - i * 3_600_000)
        paths.append(store)
        for day, path in day_files(store):
            (single / day).mkdir(parents=True, exist_ok=True)
            with open(single / day / "telemetry.jsonl", "ab") as f:
                f.write(path.read_bytes())
    return paths, single


WINDOWS = [Window(), query.last_days(2, NOW), Window(NOW - 86_400_000 - 123_456, NOW - 4_567_890, "custom")]
FILTERS = [Filters(), Filters(project="spacewalker"), Filters(model="claude-haiku-4-5", agent="doc-finder")]


@pytest.mark.parametrize("window", WINDOWS, ids=["all", "two-days", "cut"])
@pytest.mark.parametrize("filters", FILTERS, ids=["none", "project", "model+agent"])
def test_five_stores_report_like_one_store_with_all_their_records(stores, window, filters):
    paths, single = stores
    for need_slots in (True, False):
        one = query.collect(single, window, filters, need_slots)
        for _ in range(2):  # each store's summaries, then its cache of settled days (store_cache.py)
            many, problems = collect_many(paths, window, filters, need_slots)
            assert problems == []
            assert query.totals(many)[0] > 0 or filters.project == "spacewalker"
            assert many.combos == one.combos
            assert many.slots == one.slots or not need_slots  # without slots asked, some may be
            for report in (r for r in REPORTS if need_slots or r not in SLOTS):
                assert report(many, window, filters) == report(one, window, filters), report


@pytest.mark.parametrize("filters", FILTERS[:2], ids=["none", "project"])
def test_reports_without_percentiles_read_no_latency_and_still_equal_one_store(stores, filters):
    paths, single = stores
    one = query.collect(single, Window(), filters, False)
    for _ in range(2):  # from the summaries, then from the caches
        many, _ = collect_many(paths, Window(), filters, need_slots=False, need_latencies=False)
        assert many.combos == one.combos
        for report in (query.projects_report, query.models_report, query.agents_report):
            assert report(many, Window(), filters) == report(one, Window(), filters)
    assert many.latencies == {}  # every day in the caches: no latency read


def test_the_projects_report_groups_the_stores_by_project(stores):
    paths, _ = stores
    col, _ = collect_many(paths, Window())
    projects = {p["project"]: p["calls"] for p in query.projects_report(col, Window())["projects"]}
    assert sum(projects.values()) == sum(300 * (i + 1) for i in range(5))
    singles = [collect_many([p], Window())[0] for p in paths]
    for name, calls in projects.items():
        assert calls == sum(query.group(c, lambda d: d[0]).get(name, [0])[0] for c in singles)


def test_a_missing_unreadable_or_foreign_store_is_skipped_and_named(stores, tmp_path, monkeypatch):
    from llm_core.errors import StorageError
    from llm_core.storage import multi

    paths, _ = stores
    real = multi.collect_store_packed

    def collect(store, *args, **kwargs):  # root reads any file: make one store fail as it would
        if store == paths[1]:
            raise StorageError(f"cannot read the telemetry store: Permission denied: {store}/2026-11-30")
        return real(store, *args, **kwargs)

    monkeypatch.setattr(multi, "collect_store_packed", collect)
    home = tmp_path / "home"  # a folder holding other files is not read as a store
    (home / "2026-11-30").mkdir(parents=True)
    (home / "2026-11-30" / "telemetry.jsonl").write_bytes(day_files(paths[2])[0][1].read_bytes())
    (home / "notes.txt").write_text("mine\n")
    col, problems = collect_many([paths[0], tmp_path / "nope", home, paths[1]], Window())
    assert problems == [
        f"{tmp_path / 'nope'}: no such telemetry store (skipped)",
        f"{home}: not a telemetry store (it holds other files; skipped)",
        f"{paths[1]}: cannot be read (cannot read the telemetry store: Permission denied: "
        f"{paths[1]}/2026-11-30; skipped)",
    ]
    assert query.totals(col)[0] == 300


def test_find_stores_below_a_folder(stores, tmp_path):
    paths, single = stores
    root = paths[0].parents[1]
    (root / "project-0" / "node_modules" / "x" / "2026-11-30").mkdir(parents=True)
    (root / "project-0" / "node_modules" / "x" / "2026-11-30" / "telemetry.jsonl").write_text("")
    assert find_stores(root) == sorted([*paths, single])
    assert find_stores(root / "project-3") == [paths[3]]
    assert find_stores(tmp_path / "nothing-here") == []


def test_resolve_stores_order_and_the_environment_fallback(stores, tmp_path):
    paths, _ = stores
    root = paths[0].parents[1]
    assert resolve_stores([paths[2], paths[2]], [root / "project-1"]) == [paths[2], paths[1]]
    assert resolve_stores([], [], env_dirs=[paths[4], paths[0]]) == [paths[4], paths[0]]
    assert resolve_stores([paths[1]], [], env_dirs=[paths[4]]) == [paths[1]]


def _packed(combos: dict) -> Packed:
    flat = array("q", chain.from_iterable(combos.values()))
    return Packed([orjson.dumps(c) for c in combos], flat.tobytes(), max(flat))


def test_packed_combos_add_up_exactly_also_past_64_bits_and_beside_negative_ones():
    """The packed sums (128-bit lanes, storage/multi.py) against adding each total by hand."""
    big = 2**63 - 1
    a = ("p", "agent", "op", "m", "prov", True)
    b = ("p", "agent", "op", "m", "prov", None)
    c = ("q", None, None, "m", "prov", "blocked")
    packs = [{a: [big] * NM, b: list(range(NM))}, {a: [big] * NM}, {c: [7] * NM, a: [big] * NM}]
    rest = Collection(combos={b: [1] * NM, ("r", "x", "y", "m", "prov", False): [2] * NM}, files=3)
    want: dict = {}
    for combos in [*packs, rest.combos]:
        for k, v in combos.items():
            want[k] = [x + y for x, y in zip(want.get(k, [0] * NM), v, strict=True)]
    assert want[a][0] == 3 * big > 2**64  # past one 64-bit word
    got = merge([rest], [_packed(p) for p in packs])
    assert got.combos == want and got.files == 3
    assert all(type(v) is int for m in got.combos.values() for v in m)
    rest.combos[b] = [-5] * NM  # not a total a summary gives, but it still adds up
    want[b] = [x - 6 for x in want[b]]
    assert merge([rest], [_packed(p) for p in packs]).combos == want
    small = [{k: [v % 1000 for v in m] for k, m in p.items()} for p in packs]  # the usual sums
    want = {}
    for combos in [*small, rest.combos]:
        for k, v in combos.items():
            want[k] = [x + y for x, y in zip(want.get(k, [0] * NM), v, strict=True)]
    rest.combos[b] = [5] * NM
    want[b] = [x + 10 for x in want[b]]
    assert merge([rest], [_packed(p) for p in small]).combos == want


def test_merge_of_nothing_is_empty():
    col = merge([])
    assert col.combos == {} and col.files == 0


def test_the_settings_read_llm_telemetry_dirs(tmp_path):
    from llm_core.config import load_settings

    s = load_settings({"LLM_TELEMETRY_DIRS": os.pathsep.join(["/a/one", "", "~/two"]),
                       "HOME": str(tmp_path)}, cwd=tmp_path)
    assert s.telemetry_dirs == (Path("/a/one"), Path("~/two").expanduser())
