"""Compression of old days: every reader gives the same answers over compressed, plain, mixed
(lines appended after compression) and half-compressed (killed before the unlink) days; a kill
at any point of a compression loses nothing; the daily maintenance compresses and the size cap
counts compressed bytes."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from llm_core import records
from llm_core.config import Settings, load_settings
from llm_core.dayfiles import compressed_path, day_file_parts, read_day_file
from llm_core.errors import ConfigError
from llm_core.records import TELEMETRY_FILE
from llm_core.storage import query
from llm_core.storage.compress import compress_day_file, compress_old_days
from llm_core.storage.demo import write_demo
from llm_core.storage.local import LocalStorage
from llm_core.storage.query import Filters, Window
from llm_core.storage.records_iter import follow_records, follow_start, iter_records, latest_records

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = query.parse_when("2026-11-27T12:00:00Z")
TODAY = "2026-11-27"
REPORTS = [query.stats_report, query.models_report, query.agents_report, query.projects_report,
           query.performance_report, query.patterns_report,
           *[lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS]]
# The last one cuts days off the quarter hour: those days are read record by record.
WINDOWS = [Window(None, None, "all"), query.last_days(3, NOW), query.last_days(10, NOW),
           Window(NOW - 9 * 86_400_000 - 12_345, NOW - 2 * 86_400_000 + 777, "odd")]
EXTRA = [{"id": f"late{n}", "timestamp": f"2026-11-20T0{n}:00:00.000Z", "model": "late-model",
          "provider": "anthropic", "agent_name": "late", "operation": "op", "duration_ms": 12.5 + n,
          "tokens": {"input": 3, "output": 4, "total": 7, "cache_read": 0, "cache_write": 0},
          "cost_usd": 0.25, "success": n != 2, "metadata": {"project": "p"}} for n in range(5)]


def _append(path: Path, recs: list[dict]) -> None:
    with open(path, "ab") as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in recs))


def _everything(store: Path) -> dict:
    """What every reader says about the store."""
    out: dict = {}
    for window in WINDOWS:
        for filters in (Filters(), Filters(model="late-model")):
            fast = query.collect(store, window, filters)
            slow = query.collect_scan(store, window, filters)
            for n, report in enumerate(REPORTS):
                out[window.label, str(filters), n] = got = report(fast, window, filters)
                assert got == report(slow, window, filters)
    out["iter"] = [line for line, _ in iter_records(store)]
    out["latest"] = [line for line, _ in latest_records(store, 300)]
    storage = LocalStorage(store, settings=Settings(telemetry_dir=store))
    out["range"] = storage.query_by_date_range("2026-11-01", "2026-11-30")
    out["totals"] = {day: {k: v for k, v in entry.items() if k not in ("source", "offset", "inode")}
                     for day, entry in storage.summary()["days"].items()}
    try:
        from llm_core.storage.sql import query as sql  # duckdb is an optional extra
        out["sql"] = sql(store, "select model, count(*), sum(cost_usd) from calls group by 1 order by 1").rows
    except ConfigError:
        pass
    return out


@pytest.fixture
def stores(tmp_path) -> tuple[Path, Path]:
    """Two stores with the same lines: `plain` as written, `mixed` with compressed days, one
    compressed day with lines appended after, one killed before its unlink (both files).
    1,000 calls (~80 a day) give every window and filter records: each reader goes through
    them all four times over, so more would only cost time."""
    plain = tmp_path / "plain"
    write_demo(plain, days=12, calls=1000, seed=5, end_ms=NOW)
    _append(plain / "2026-11-20" / TELEMETRY_FILE, EXTRA)
    mixed = tmp_path / "mixed"
    shutil.copytree(plain, mixed)
    return plain, mixed


def _half_compress(folder: Path) -> None:
    """Compress, then put the plain file back with its identity: a kill between rename and unlink."""
    plain = folder / TELEMETRY_FILE
    keep = folder / "keep"
    os.link(plain, keep)
    assert compress_day_file(folder, TELEMETRY_FILE)
    os.link(keep, plain)
    keep.unlink()


@pytest.mark.slow
def test_every_reader_agrees_over_compressed_plain_mixed_and_half_done_days(stores):
    plain, mixed = stores
    expected = _everything(plain)
    assert _everything(mixed) == expected  # also builds the mixed store's summaries
    days = records.day_names(mixed)
    for day in days[:-7:2]:
        assert compress_day_file(mixed / day, TELEMETRY_FILE)
    # 2026-11-20: compressed without its last lines, which then arrive in a new plain file.
    day_file = mixed / "2026-11-20" / TELEMETRY_FILE
    lines = day_file.read_bytes().splitlines(keepends=True)
    day_file.write_bytes(b"".join(lines[:-len(EXTRA)]))
    compress_day_file(day_file.parent, TELEMETRY_FILE)
    _append(day_file, EXTRA)
    _half_compress(mixed / days[1])
    assert day_file_parts(mixed / days[1] / TELEMETRY_FILE) == [compressed_path(mixed / days[1] / TELEMETRY_FILE)]
    assert len(day_file_parts(day_file)) == 2
    assert _everything(mixed) == expected  # summaries of the changed days rebuilt, not reused
    # A second pass merges the appended lines and finishes the half-done day.
    compress_old_days(mixed, TODAY, 2)
    assert not any((mixed / d / TELEMETRY_FILE).exists() for d in days if d < "2026-11-25")
    assert (mixed / "2026-11-26" / TELEMETRY_FILE).exists()
    assert _everything(mixed) == expected
    for day in days:
        assert read_day_file(plain / day / TELEMETRY_FILE) == read_day_file(mixed / day / TELEMETRY_FILE)


def test_the_compressed_file_is_plain_gzip(tmp_path):
    folder = tmp_path / "2026-11-01"
    folder.mkdir()
    data = b"".join(orjson.dumps(r) + b"\n" for r in EXTRA)
    (folder / TELEMETRY_FILE).write_bytes(data)
    before, after = compress_day_file(folder, TELEMETRY_FILE)
    assert (before, after) == (len(data), (folder / "telemetry.jsonl.gz").stat().st_size)
    assert gzip.decompress((folder / "telemetry.jsonl.gz").read_bytes()) == data
    assert not (folder / TELEMETRY_FILE).exists()
    assert oct((folder / "telemetry.jsonl.gz").stat().st_mode & 0o777) == "0o600"
    assert compress_day_file(folder, TELEMETRY_FILE) is None  # nothing left to do


def test_a_link_is_never_compressed(tmp_path):
    folder = tmp_path / "2026-11-01"
    folder.mkdir()
    target = tmp_path / "elsewhere.jsonl"
    target.write_bytes(b"{}\n")
    (folder / TELEMETRY_FILE).symlink_to(target)
    assert compress_day_file(folder, TELEMETRY_FILE) is None
    assert target.read_bytes() == b"{}\n" and not compressed_path(folder / TELEMETRY_FILE).exists()


_CHILD = """
import sys
from pathlib import Path
from llm_core.storage.compress import compress_day_file
print("go", flush=True)
compress_day_file(Path(sys.argv[1]), "telemetry.jsonl", level=9)
print("done", flush=True)
"""


@pytest.mark.slow
def test_a_kill_at_any_point_of_a_compression_loses_nothing(tmp_path):
    """Ten real processes killed at random points of a real compression. The kills are timed
    against the compression's own measured length, so a 2 MB day (5,000 calls, some 50 ms of
    level-9 gzip) spreads them over it as well as a bigger one would, for a fifth of the work."""
    src = tmp_path / "src"
    write_demo(src, days=1, calls=5000, seed=1, end_ms=NOW)
    day = records.day_names(src)[0]
    original = (src / day / TELEMETRY_FILE).read_bytes()
    rng = random.Random(11)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    # How long one whole compression takes here, so the kills fall before, during and after it.
    whole = tmp_path / "whole"
    shutil.copytree(src, whole)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(whole / day)], env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "go\n"
    start = time.monotonic()
    assert child.stdout.readline() == "done\n"
    took = time.monotonic() - start
    child.wait()
    outcomes = set()
    for n in range(10):
        store = tmp_path / f"s{n}"
        shutil.copytree(src, store)
        folder = store / day
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(folder)], env=env,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline() == "go\n"
        if n == 9:  # one kill once it is done: a loaded machine can stretch every random delay
            assert child.stdout.readline() == "done\n"
        else:
            time.sleep(rng.uniform(0, took * 1.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        names = set(os.listdir(folder))
        outcomes.add(tuple(sorted(n for n in names if not n.startswith("."))))
        assert names & {"telemetry.jsonl", "telemetry.jsonl.gz"}, names  # never neither
        assert read_day_file(folder / TELEMETRY_FILE) == original
        # The next maintenance finishes the job, whatever state the kill left.
        compress_day_file(folder, TELEMETRY_FILE)
        assert read_day_file(folder / TELEMETRY_FILE) == original
        assert sorted(os.listdir(folder)) == ["telemetry.jsonl.gz"]
    assert len(outcomes) >= 2, outcomes  # killed before and after the rename, at least


def test_maintenance_compresses_old_days_and_the_cap_counts_compressed_bytes(tmp_path):
    store = tmp_path / "store"
    write_demo(store, days=10, calls=4000, seed=2, end_ms=NOW)
    plain_bytes = sum(p.stat().st_size for p in store.glob("*/telemetry.jsonl"))
    settings = Settings(telemetry_dir=store, telemetry_now="2026-11-27T12:00:00Z", compress_after_days=3)
    result = LocalStorage(store, settings=settings).prune()
    days = [d["day"] for d in result["compressed"]]
    assert days == [d for d in records.day_names(store) if d < "2026-11-24"]
    assert all((store / d / "telemetry.jsonl.gz").exists() for d in days)
    assert (store / "2026-11-24" / TELEMETRY_FILE).exists()
    on_disk = sum(p.stat().st_size for p in store.glob("*/telemetry.jsonl*"))
    assert on_disk < plain_bytes * 0.75
    assert 0 <= result["bytes_before"] - on_disk < 10_000  # the inventory after compressing
    # The cap removes compressed files too, oldest first, never today's.
    capped = Settings(telemetry_dir=store, telemetry_now="2026-11-27T12:00:00Z", compress_after_days=3,
                      max_size_mb=0.001)
    result = LocalStorage(store, settings=capped).prune()
    gone = {(r["day"], r["kind"]) for r in result["removed"]}
    assert (days[0], "telemetry") in gone and not (store / days[0] / "telemetry.jsonl.gz").exists()
    assert (store / TODAY / TELEMETRY_FILE).exists()


def test_compression_off_and_the_setting_range():
    assert load_settings({}).compress_after_days == 7
    assert load_settings({"LLM_COMPRESS_AFTER_DAYS": "0"}).compress_after_days == 0
    for bad in ("-1", "x", "3651"):
        with pytest.raises(ConfigError, match="LLM_COMPRESS_AFTER_DAYS must be a whole number from 0 to 3,650"):
            load_settings({"LLM_COMPRESS_AFTER_DAYS": bad})


def test_compression_off_leaves_every_day_plain(tmp_path):
    store = tmp_path / "store"
    write_demo(store, days=10, calls=500, seed=2, end_ms=NOW)
    settings = Settings(telemetry_dir=store, telemetry_now="2026-11-27T12:00:00Z", compress_after_days=0)
    assert LocalStorage(store, settings=settings).prune()["compressed"] == []
    assert not list(store.glob("*/*.gz"))


def test_following_a_store_whose_newest_day_is_compressed(tmp_path):
    store = tmp_path / "store"
    write_demo(store, days=2, calls=300, seed=2, end_ms=NOW)
    for day in records.day_names(store):
        compress_day_file(store / day, TELEMETRY_FILE)
    seen = follow_start(store)
    _append(store / TODAY / TELEMETRY_FILE, EXTRA[:2])
    got = follow_records(store, seen, poll=0.01)
    assert [next(got)[1]["id"] for _ in range(2)] == ["late0", "late1"]


def test_a_monthly_budget_counts_compressed_days(tmp_path):
    from llm_core import budget_ledger, budgets

    plain = tmp_path / "plain"
    write_demo(plain, days=12, calls=2000, seed=4, end_ms=NOW)
    packed = tmp_path / "packed"
    shutil.copytree(plain, packed)
    compress_old_days(packed, TODAY, 3)
    assert list(packed.glob("*/telemetry.jsonl.gz"))
    since = budget_ledger.utc_midnight("2026-11-01")
    scope = budget_ledger.scope_key((("agent", "commit-writer"),))
    spent = []
    for store in (plain, packed):
        ledger = budgets.Ledger(store)
        with ledger.locked() as state:
            ledger.refresh(state, since, NOW, {scope})
            spent.append((ledger.spend(state, since, NOW), ledger.spend(state, since, NOW, scope)))
    assert spent[0][0] > spent[0][1] > 0 and spent[1] == spent[0]
