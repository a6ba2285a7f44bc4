"""Readers that cannot be broken by the store around them: days removed while they read,
folders named like days that are not dates, and lines far longer than a read chunk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest

from llm_core.config import load_settings
from llm_core.records import STORE_MARKER, day_names
from llm_core.storage import collect as collect_mod
from llm_core.storage import day_summaries, query, records_iter, totals
from llm_core.storage.collect import collect, collect_scan
from llm_core.storage.local import LocalStorage
from llm_core.storage.location import MARKER_TEXT
from llm_core.storage.prune import prune_store
from llm_core.storage.records_iter import iter_records, latest_records, lines_backwards
from llm_core.storage.windows import ALL_TIME, Filters, Window

ROOT = Path(__file__).resolve().parents[1]
REPORTS = [
    query.stats_report, query.models_report, query.agents_report, query.projects_report,
    query.performance_report, query.patterns_report, query.costs_report,
]


def _records(day: str, n: int, model: str = "m1") -> bytes:
    return b"".join(orjson.dumps({
        "id": f"{day}-{k}", "timestamp": f"{day}T{k % 24:02d}:{k * 7 % 60:02d}:00.000Z",
        "model": model, "provider": "p", "agent_name": "a", "operation": "op", "success": True,
        "duration_ms": 100 + k, "cost_usd": 0.25, "metadata": {"project": "x"},
        "tokens": {"input": 10, "output": 5, "total": 15, "cache_read": 0, "cache_write": 0},
    }) + b"\n" for k in range(n))


def _put(store: Path, day: str, n: int = 5, model: str = "m1") -> None:
    (store / day).mkdir(parents=True, exist_ok=True)
    with open(store / day / "telemetry.jsonl", "ab") as f:
        f.write(_records(day, n, model))


def _storage(store: Path, **env: str) -> LocalStorage:
    return LocalStorage(settings=load_settings({"LLM_TELEMETRY_DIR": str(store), "HOME": str(store), **env},
                                               cwd=store))


# ---------------------------------------------------------------- a day removed under a reader

_READER = """
import sys
import time
from pathlib import Path
from llm_core.records import day_names
from llm_core.storage import query
from llm_core.storage.collect import collect
from llm_core.storage.records_iter import iter_records, latest_records
from llm_core.storage.windows import ALL_TIME, Filters, Window

store = Path(sys.argv[1])
cut = Window(query.parse_when("2025-03-01T00:07:00Z"), query.parse_when("2025-09-01T05:07:00Z"))
windows = [(ALL_TIME, Filters()), (cut, Filters()), (cut, Filters(model="m1")), (ALL_TIME, Filters(model="m2"))]
done = Path(sys.argv[2])  # the pruner's: it has removed the last day
k = 0
while k < 4 or not done.exists():  # a few rounds first, then until the last day is gone
    window, filters = windows[k % len(windows)]
    col = collect(store, window, filters, need_slots=True)
    for report in (query.stats_report, query.models_report, query.agents_report, query.projects_report,
                   query.performance_report, query.patterns_report, query.costs_report):
        report(col, window, filters)
    if k % 5 == 0:  # what `log` and `export` read
        latest_records(store, 20, window, filters)
        sum(1 for _ in iter_records(store, window, filters))
    print(time.monotonic(), len(day_names(store)), flush=True)  # when, and how many days were left
    k += 1
"""


@pytest.mark.slow
def test_reports_while_prune_removes_the_days_they_read(tmp_path):
    """4 reader processes report over and over while prune removes 150 days one at a time, from
    before the first removal until after the last: no failure. Four readers are two per core, so
    builds and reads interleave with removals (the readers' rounds show reports made while part
    of the days were gone); more readers or days only repeat the same interleavings."""
    store = tmp_path / "s"
    first = date(2025, 1, 1)
    days = [(first + timedelta(days=k)).isoformat() for k in range(150)]
    for k, day in enumerate(days):
        _put(store, day, 6, model="m1" if k % 2 else "m2")
    done = tmp_path / "pruned"
    pruner = """
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from llm_core.config import load_settings
from llm_core.storage.local import LocalStorage
from llm_core.storage.location import MARKER_TEXT
from llm_core.storage.prune import prune_store
store = Path(sys.argv[1])
s = LocalStorage(settings=load_settings({"LLM_TELEMETRY_DIR": str(store), "HOME": str(store),
                                         "LLM_RETENTION_DAYS": "1"}, cwd=store))
print(time.monotonic(), flush=True)
for k in range(2, 152):  # each round ages one more day past retention
    prune_store(s, today=(date(2025, 1, 1) + timedelta(days=k)).isoformat())
print(time.monotonic(), flush=True)
Path(sys.argv[2]).touch()
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    readers = [subprocess.Popen([sys.executable, "-c", _READER, str(store), str(done)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    time.sleep(0.3)  # the readers are building summaries when the first days go
    prune = subprocess.run([sys.executable, "-c", pruner, str(store), str(done)], env=env,
                           capture_output=True, timeout=120)
    results = [(*p.communicate(timeout=120), p.returncode) for p in readers]
    assert prune.returncode == 0, prune.stderr.decode()
    assert day_names(store) == []
    failures = [err.decode() for _, err, code in results if code != 0]
    assert not failures, failures[0]
    started, ended = map(float, prune.stdout.split())
    rounds = [(float(when), int(left)) for out, _, _ in results
              for when, left in (line.split() for line in out.decode().splitlines())]
    assert any(started < when < ended and 0 < left < 150 for when, left in rounds), rounds  # a real race


def test_a_day_file_removed_after_listing_is_gone_not_an_error(tmp_path, monkeypatch):
    """Deterministic: the day file vanishes between the listing and the read."""
    store = tmp_path / "s"
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        _put(store, day)
    listed = day_summaries.day_files(store)
    (store / "2026-01-02" / "telemetry.jsonl").unlink()
    monkeypatch.setattr(day_summaries, "day_files", lambda s: listed)
    monkeypatch.setattr(collect_mod, "day_files", lambda s: listed)
    monkeypatch.setattr(records_iter, "day_files", lambda s: listed)
    cut = Window(query.parse_when("2026-01-01T00:07:00Z"), query.parse_when("2026-01-03T05:07:00Z"))
    for window in (ALL_TIME, cut):
        assert collect(store, window).combos == collect_scan(store, window).combos
        assert sum(m[0] for m in collect(store, window).combos.values()) < 15
    assert len(list(iter_records(store))) == 10
    assert len(latest_records(store, 100)) == 10
    assert totals.refresh(_storage(store), days=["2026-01-02"], warn=False)["days"].get("2026-01-02") is None


# ---------------------------------------------------------------- folders named like days

def test_reports_prune_and_the_library_agree_on_what_is_a_day(tmp_path):
    store = tmp_path / "s"
    store.mkdir()
    (store / STORE_MARKER).write_bytes(MARKER_TEXT)  # a store that holds foreign folders is marked
    for name in ("2026-13-45", "2026-ab-cd", "2026-02-30", "2026-1-05", "2026-01-05"):
        _put(store, name, 3)
    assert day_names(store) == ["2026-01-05"]
    storage = _storage(store, LLM_RETENTION_DAYS="1")
    assert [p.name for p in storage.day_dirs()] == ["2026-01-05"]
    col = collect(store, ALL_TIME)
    assert col.files == 1 and sum(m[0] for m in col.combos.values()) == 3
    assert collect_scan(store, ALL_TIME).files == 1
    assert len(list(iter_records(store))) == 3
    assert list(totals.refresh(storage, warn=False)["days"]) == ["2026-01-05"]
    preview = prune_store(storage, dry_run=True, today="2026-02-01")
    assert [r["day"] for r in preview["removed"]] == ["2026-01-05"]
    prune_store(storage, today="2026-02-01")
    assert {"2026-02-30", "2026-1-05", "2026-13-45", "2026-ab-cd"} <= set(os.listdir(store))
    assert collect(store, ALL_TIME).files == 0


# ---------------------------------------------------------------- long lines

def test_reading_backwards_is_linear_in_line_length(tmp_path):
    """An 8 MB line read back in 4 kB chunks: the old reader re-joined the line per chunk
    (8 GB of copying); this one joins it once."""
    path = tmp_path / "t.jsonl"
    big = b'{"pad": "' + b"z" * (8 << 20) + b'"}'
    path.write_bytes(b"{}\n" + big + b"\n{}\n")
    t0 = time.perf_counter()
    lines = list(lines_backwards(path, chunk=4096))
    elapsed = time.perf_counter() - t0
    assert lines == [b"{}", big, b"{}"]
    assert elapsed < 1.5, f"{elapsed:.2f} s to read 8 MB backwards"


def test_log_on_a_store_with_a_long_line(tmp_path):
    store = tmp_path / "s"
    _put(store, "2026-01-01", 3)
    with open(store / "2026-01-01" / "telemetry.jsonl", "ab") as f:
        f.write(b'{"pad": "' + b"z" * (3 << 20) + b'"}\n')
        f.write(_records("2026-01-01", 2)[::-1][::-1])
    counter = [0]
    got = latest_records(store, 4, ALL_TIME, Filters(), counter)
    assert len(got) == 4 and counter == [1]  # the long line has no timestamp: skipped, counted
