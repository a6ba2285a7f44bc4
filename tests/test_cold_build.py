"""The first report on a never-read store: month roll-ups merged from the day builders in memory,
day files read in pieces, the months built by worker processes. Whatever the way, the summary
and roll-up files are byte for byte those of the plain serial build, and reports equal the
full scan."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import orjson
import pytest

from llm_core.records import SUMMARY_DIR
from llm_core.storage import (
    _day_builder,
    _jobs,
    _month_summary_file,
    day_summaries,
    month_summaries,
    query,
)
from llm_core.storage.query import Filters, Window

NOW = query.parse_when("2026-11-27T12:00:00Z")


@pytest.fixture
def store(tmp_path, demo_store) -> Path:
    """Two closed months and some, with odd latencies (-0.0 beside fractions: a day whose
    latencies are all whole is stored as integers), sums beyond 64 bits, garbage."""
    root = demo_store(tmp_path / "store", days=70, calls=1500, seed=3, end_ms=NOW)
    odd = {
        "2026-10-03": [{"timestamp": "2026-10-03T01:00:00.000Z", "model": "m", "duration_ms": -0.0,
                        "tokens": {"input": 1, "output": 0, "total": 1, "cache_read": 0, "cache_write": 0}},
                       {"timestamp": "2026-10-03T02:00:00.000Z", "model": "m", "duration_ms": 0}],
        "2026-10-04": [{"timestamp": "2026-10-04T01:00:00.000Z", "model": "m", "duration_ms": 250.5},
                       {"timestamp": "2026-10-04T01:00:00.000Z", "model": "m", "duration_ms": -0.0}],
        "2026-10-05": [{"timestamp": "2026-10-05T03:00:00.000Z", "model": "m", "duration_ms": 5,
                        "tokens": {"input": 2**63 + 5, "total": 2**63 + 5}, "cost_usd": 1e9}],
    }
    for day, recs in odd.items():
        with open(root / day / "telemetry.jsonl", "ab") as f:
            f.write(b"".join(orjson.dumps(r) + b"\n" for r in recs) + b"not json\n")
    return root


def _files(store: Path) -> dict[str, bytes]:
    folder = store / SUMMARY_DIR
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder)) if name.endswith(".sum")}


def _merged_from_disk(store: Path, month: str) -> bytes:
    """The roll-up of `month` merged from its day summaries as read back from their files."""
    days = sorted(d for d, _ in day_summaries.day_files(store) if d.startswith(month))
    return _month_summary_file.merge_days(
        [(d, day_summaries.read_summary(day_summaries.summary_path(store, d))) for d in days])


@pytest.mark.parametrize("bulk", [False, True])
def test_rollups_from_memory_are_those_merged_from_the_files(store, monkeypatch, bulk):
    if bulk:
        monkeypatch.setattr(_day_builder, "BULK_BYTES", 0)
    month_summaries.plan(store, Window(), workers=1)
    files = _files(store)
    for month in ("2026-09", "2026-10"):
        assert files[f"{month}.sum"] == _merged_from_disk(store, month)
    rollup = _month_summary_file.read_month(store / SUMMARY_DIR / "2026-10.sum")
    assert rollup.meta["wide"] and rollup.meta["bad"] == 3  # the odd days are in it


def test_a_day_read_in_pieces_is_summarised_as_read_whole(store, monkeypatch):
    """Pieces smaller than a line, than a few lines; a line cut at a piece's end."""
    day = store / "2026-10-05" / "telemetry.jsonl"
    whole = day_summaries.build(day)
    for piece in (50, 1000, 4096):
        monkeypatch.setattr(day_summaries, "_CHUNK", piece)
        assert day_summaries.build(day) == whole


def test_the_first_report_equals_the_full_scan(store):
    window = query.last_days(90, NOW)
    for filters in (Filters(), Filters(model="m")):
        fast, slow = query.collect(store, window, filters), query.collect_scan(store, window, filters)
        for report in (query.stats_report, query.performance_report, query.projects_report):
            assert report(fast, window, filters) == report(slow, window, filters)


def _fresh(code: str) -> str:
    """Run `code` in a new interpreter (one thread: a test process may run others, and then
    no pool is started) and return its output."""
    root = str(Path(__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": root}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_worker_processes_write_the_serial_build_byte_for_byte(store):
    month_summaries.plan(store, Window(), workers=1)
    serial = _files(store)
    shutil.rmtree(store / SUMMARY_DIR)
    out = _fresh(f"""
        from pathlib import Path
        from llm_core.storage import _jobs, month_summaries
        from llm_core.storage.windows import Window
        print(_jobs.workers_for(3, 2))
        month_summaries.plan(Path({str(store)!r}), Window(), workers=2)
    """)
    assert out.split() == ["2"]  # a worker and this process
    assert _files(store) == serial and len(serial) > 60  # every day and the closed months
    window = query.last_days(90, NOW)
    assert query.stats_report(query.collect(store, window), window) == query.stats_report(
        query.collect_scan(store, window), window)


def test_a_worker_that_dies_leaves_its_jobs_to_this_process(tmp_path):
    """The worker takes the first job (the biggest) and dies on it; this process, which takes
    jobs from the end, runs it and the rest."""
    marker = tmp_path / "died"
    out = _fresh(f"""
        import os, signal
        from pathlib import Path
        from llm_core.storage import _jobs

        def job(name):
            if name == "a" and os.getpid() != {os.getpid()} and not os.path.exists({str(marker)!r}):
                Path({str(marker)!r}).write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)  # a worker's first try of "a"
            return name * 2

        print(_jobs.run_jobs(job, list("abcd"), workers=2), os.getpid())
    """)
    got, pid = out.rsplit(" ", 1)
    assert got == "['aa', 'bb', 'cc', 'dd']"
    assert marker.read_text() != pid.strip()  # a worker died, the caller did the rest


def test_this_process_and_the_workers_share_the_jobs():
    """Jobs of 20 ms each: with instant ones, a worker on a busy machine could claim all 40
    before this process claimed its first (a clean-clone run failed so)."""
    out = _fresh("""
        import os, time
        from llm_core.storage import _jobs

        def where(job):
            time.sleep(0.02)
            return os.getpid()

        pids = _jobs.run_jobs(where, list(range(40)), workers=2)
        print(os.getpid() in pids, len(set(pids)))
    """)
    assert out.split() == ["True", "2"]


def test_no_job_waits_for_a_busy_worker_while_this_process_is_free():
    """A worker's first job (the biggest) is slow: this process takes every other job, none
    waits queued behind it (what jobs submitted ahead to the pool did)."""
    out = _fresh("""
        import os, time
        from llm_core.storage import _jobs

        def where(job):
            time.sleep(1.0 if job == 0 else 0.01)
            return os.getpid()

        pids = _jobs.run_jobs(where, list(range(12)), workers=2)
        print(pids[0] != os.getpid(), pids[1:].count(os.getpid()))
    """)
    assert out.split() == ["True", "11"]


def test_jobs_run_here_where_a_pool_cannot_be_forked(monkeypatch):
    """One job, other threads running, a daemonic caller, no fork: no worker at all."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # whatever else this test process runs
    assert _jobs.workers_for(1, 4) == 0
    assert _jobs.workers_for(5, 1) == 0
    assert _jobs.workers_for(5, 2) == 2
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert _jobs.workers_for(5, 2) == 0
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert _jobs.workers_for(5, 2) == 0
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", False, raising=False)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _jobs.workers_for(5, 2) == 0
    assert _jobs.run_jobs(str.upper, ["a", "b", "c"], workers=2) == ["A", "B", "C"]


def _report_in_a_daemon(store: str, out) -> None:
    window = Window()
    out.put(query.stats_report(query.collect(store, window), window)["totals"]["calls"])


def test_a_report_in_a_daemonic_process_builds_its_summaries_there(store):
    """A daemonic process may not start workers (multiprocessing refuses): the cold report is
    built in it, serially."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    p = ctx.Process(target=_report_in_a_daemon, args=(str(store), out), daemon=True)
    p.start()
    calls = out.get(timeout=120)
    p.join(30)
    assert p.exitcode == 0
    assert calls == query.stats_report(query.collect_scan(store, Window()), Window())["totals"]["calls"]


def _narrowest(values) -> str:
    """The rule the column packers follow, by min() and max()."""
    if not values or min(values) < 0:
        return "q" if values else "B"
    return next(c for c, limit in (("B", 2**8), ("H", 2**16), ("I", 2**32), ("Q", 2**64)) if max(values) < limit)


@pytest.mark.parametrize("seed", range(4))
def test_columns_are_packed_as_narrow_as_their_values(seed):
    from llm_core.storage._columns import pack_floats, pack_ints, unpack

    rng = random.Random(seed)
    tops = [0, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**64 - 1]
    for top in tops:
        for low in (0, -1, -(2**63)) if top < 2**63 else (0,):  # values fit 64 bits, signed or not
            values = [rng.randint(max(low, 0), top) for _ in range(50)] + [top] + ([low] if low else [])
            rng.shuffle(values)
            code, data = pack_ints(values)
            assert code == _narrowest(values) and list(unpack(code, data)) == values
    for values, code in (([1.0, 2.0, -0.0], "I"), ([1.0, 2.5], "d"), ([1.0, -2.0], "d"), ([2.0**32], "d"),
                         ([2.0**32 - 1, 0.0], "I"), ([], "I"), ([float("inf")], "d")):
        got, data = pack_floats(values)
        assert got == code and list(unpack(got, data)) == values
