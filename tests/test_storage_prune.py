"""Bounded growth (retention, size cap, once a day, concurrent writers) and summary.json."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from conftest import configure, days_ago

from llm_core.records import PRUNE_MARKER, utc_today
from llm_core.storage.day_summaries import M_CALLS, DayBuilder, summaries
from llm_core.storage.local import LocalStorage
from llm_core.storage.location import open_store
from llm_core.storage.prune import prune_store

ROOT = Path(__file__).resolve().parents[1]


def put(base: Path, day: str, name: str = "telemetry.jsonl", records: int = 1, pad: int = 0,
        model: str = "m", cost=0.5, success=True) -> None:
    """Write records straight to a day file, as an earlier process would have."""
    folder = base / day
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "ab") as f:
        for i in range(records):
            f.write(orjson.dumps({
                "id": f"{day}-{name}-{i}", "timestamp": f"{day}T12:00:00.000Z", "model": model,
                "success": success, "cost_usd": cost, "pad": "z" * pad,
                "tokens": {"input": 10, "output": 5, "total": 15, "cache_read": 0, "cache_write": 0},
            }) + b"\n")


def names(storage: LocalStorage) -> list[str]:
    return [p.name for p in storage.day_dirs()]


# ------------------------------------------------------------------ retention

def test_retention_removes_day_folders_older_than_the_limit(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=7)
    storage = LocalStorage()
    for n in (0, 1, 7, 8, 40):
        put(storage.base_dir, days_ago(n))
    open_store(storage.base_dir)  # a 0.2.0 store, adopted (marked)
    (storage.base_dir / "notes").mkdir()  # not a day folder: never touched
    preview = storage.prune(dry_run=True)
    assert preview["dry_run"] is True
    assert sorted(r["day"] for r in preview["removed"]) == sorted([days_ago(8), days_ago(40)])
    assert {r["reason"] for r in preview["removed"]} == {"retention"}
    assert preview["freed_bytes"] == sum(r["bytes"] for r in preview["removed"]) > 0
    assert len(names(storage)) == 5  # a dry run removes nothing
    done = storage.prune()
    assert [r["path"] for r in done["removed"]] == [r["path"] for r in preview["removed"]]
    assert names(storage) == [days_ago(7), days_ago(1), days_ago(0)]
    assert (storage.base_dir / "notes").is_dir()
    assert done["bytes_after"] == done["bytes_before"] - done["freed_bytes"]


def test_a_pruned_days_report_summary_goes_with_it_and_counts_as_freed(monkeypatch):
    from llm_core.storage.day_summaries import summary_path

    configure(monkeypatch, LLM_RETENTION_DAYS=7)
    storage = LocalStorage()
    old, recent = days_ago(9), days_ago(1)
    for day in (old, recent):
        put(storage.base_dir, day, records=20)
    summaries(storage.base_dir)  # what the first llm-telemetry report builds
    old_summary = summary_path(storage.base_dir, old)
    assert old_summary.is_file()
    expected = sum(f.stat().st_size for f in (storage.base_dir / old).iterdir()) + old_summary.stat().st_size
    done = storage.prune()
    assert [r["day"] for r in done["removed"]] == [old]
    assert done["freed_bytes"] == expected
    assert not old_summary.exists()
    assert summary_path(storage.base_dir, recent).is_file()


# ------------------------------------------------------------------ size cap

def test_size_cap_removes_prompts_and_responses_before_telemetry_oldest_first(monkeypatch):
    configure(monkeypatch, LLM_STORAGE_MAX_SIZE_MB=0.05)  # ~52 kB
    storage = LocalStorage()
    base = storage.base_dir
    for n in (3, 2, 1):
        put(base, days_ago(n), pad=10_000)                       # telemetry ~10 kB a day
        put(base, days_ago(n), "prompts.jsonl", pad=10_000)
        put(base, days_ago(n), "responses.jsonl", pad=10_000)
    put(base, days_ago(0), pad=10_000)
    result = storage.prune()
    removed = [(r["day"], r["kind"]) for r in result["removed"]]
    # 100 kB -> under 52 kB: five side files go, oldest first, no telemetry needed.
    assert removed == [
        (days_ago(3), "prompts"), (days_ago(3), "responses"),
        (days_ago(2), "prompts"), (days_ago(2), "responses"), (days_ago(1), "prompts"),
    ]
    assert {r["reason"] for r in result["removed"]} == {"size"}
    assert (base / days_ago(1) / "responses.jsonl").exists()
    assert all((base / days_ago(n) / "telemetry.jsonl").exists() for n in range(4))
    assert result["bytes_after"] <= 0.05 * 1024 * 1024


def test_size_cap_then_takes_old_telemetry_but_never_todays(monkeypatch):
    configure(monkeypatch, LLM_STORAGE_MAX_SIZE_MB=0.01)  # ~10 kB, less than today alone
    storage = LocalStorage()
    base = storage.base_dir
    put(base, days_ago(2), pad=8_000)
    put(base, days_ago(1), pad=8_000)
    put(base, days_ago(1), "prompts.jsonl", pad=8_000)
    put(base, days_ago(0), pad=20_000)
    put(base, days_ago(0), "prompts.jsonl", pad=8_000)
    result = storage.prune()
    kinds = [(r["day"], r["kind"]) for r in result["removed"]]
    assert kinds == [
        (days_ago(1), "prompts"), (days_ago(0), "prompts"),
        (days_ago(2), "telemetry"), (days_ago(1), "telemetry"),
    ]
    assert names(storage) == [days_ago(0)]  # emptied folders go too
    assert (base / days_ago(0) / "telemetry.jsonl").stat().st_size > 20_000
    assert result["bytes_after"] > 0.01 * 1024 * 1024  # still over: today's telemetry stays


# ------------------------------------------------------------------ automatic, once a day

def test_writing_prunes_automatically_once_a_day(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=5)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(9))
    storage.store_telemetry({"model": "m"})
    storage.flush()
    assert names(storage) == [utc_today()]
    assert (storage.base_dir / PRUNE_MARKER).read_text().strip() == utc_today()
    # Already pruned today: neither this process nor another one walks the store again.
    put(storage.base_dir, days_ago(9))
    storage.store_telemetry({"model": "m"})
    storage.flush()
    other = LocalStorage()
    other.store_telemetry({"model": "m"})
    other.flush()
    assert days_ago(9) in names(storage)


def test_a_marker_from_yesterday_means_prune_again(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=5)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(9))
    marker = storage.base_dir / PRUNE_MARKER
    marker.write_text(days_ago(1) + "\n")
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).timestamp()
    os.utime(marker, (yesterday, yesterday))
    storage.store_telemetry({"model": "m"})
    storage.flush()
    assert days_ago(9) not in names(storage)


def test_reading_never_prunes(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=5)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(9))
    storage.get_today_stats()
    storage.query_by_date_range(days_ago(30), utc_today())
    assert days_ago(9) in names(storage)


WRITER = """
import sys
from llm_core.telemetry import record_call
for i in range(int(sys.argv[1])):
    record_call(provider="p", model="m", tokens={"input": 1}, duration_ms=1, success=True,
                prompt="x" * 2000, seq=i, who=sys.argv[2])
"""


def test_an_append_outlasts_pruners_that_remove_its_file_many_times_over(monkeypatch):
    """Each time the writer has the file open, a prune removes it before the writer's lock:
    twenty times in a row (several pruners, a loaded machine). The line still lands whole."""
    from llm_core.storage import local

    storage = LocalStorage()
    storage.append_to(utc_today(), "prompts.jsonl", b'{"n": 0}\n')
    path = storage.base_dir / utc_today() / "prompts.jsonl"
    real, removals = local.locker(), []

    class PrunedFirst:
        LOCK_EX = real.LOCK_EX

        def lock(self, fd, how):
            if len(removals) < 20 and os.fstat(fd).st_nlink:
                removals.append(1)
                path.unlink()  # as prune does, between the writer's open and its lock
            real.lock(fd, how)

        def unlock(self, fd):
            real.unlock(fd)

    monkeypatch.setattr(local, "locker", PrunedFirst)
    storage.append_to(utc_today(), "prompts.jsonl", b'{"n": 1}\n', when_new=b'{"n": "again"}\n')
    assert len(removals) == 20
    assert path.read_bytes() == b'{"n": "again"}\n{"n": 1}\n'


def test_pruning_while_other_processes_write(monkeypatch, isolated_env):
    configure(monkeypatch, LLM_STORE_PROMPTS="true", LLM_STORAGE_MAX_SIZE_MB=0.02)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(1), pad=30_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, "1500", str(w)], env=env,
                              stderr=subprocess.PIPE) for w in range(4)]
    stop = threading.Event()
    rounds, failures = [], []

    def prune_loop():
        while not stop.is_set():
            try:
                rounds.append(prune_store(storage))
            except Exception as e:  # the writers prune too: racing pruners must not fail
                failures.append(e)

    pruner = threading.Thread(target=prune_loop)
    pruner.start()
    try:
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0 and b"Warning" not in err, err
    finally:
        stop.set()
        pruner.join()
    assert failures == []
    records = list(storage.iter_records(utc_today(), utc_today()))
    assert storage.read_stats.skipped == 0
    assert {(r["who"], r["seq"]) for r in records} == {(str(w), i) for w in range(4) for i in range(1500)}
    assert len(records) == 6000
    removed = [r for rnd in rounds for r in rnd["removed"]]
    assert any(r["kind"] == "prompts" and r["day"] == utc_today() for r in removed)
    assert not any(r["kind"] == "telemetry" and r["day"] == utc_today() for r in removed)


# ------------------------------------------------------------------ summary.json

def test_summary_totals_per_day_and_model(monkeypatch):
    storage = LocalStorage()
    put(storage.base_dir, days_ago(1), records=3, model="a", cost=0.25)
    put(storage.base_dir, days_ago(0), records=2, model="a", cost=0.5)
    put(storage.base_dir, days_ago(0), records=1, model="b", cost=None, success=False)
    data = storage.summary()
    today = data["days"][utc_today()]
    assert (today["calls"], today["errors"], today["unknown_cost_calls"]) == (3, 1, 1)
    assert today["cost_usd"] == pytest.approx(1.0)
    assert today["tokens"] == {"input": 30, "output": 15, "cache_read": 0, "cache_write": 0, "total": 45}
    assert today["by_model"]["b"]["errors"] == 1 and today["by_model"]["a"]["calls"] == 2
    assert data["days"][days_ago(1)]["cost_usd"] == pytest.approx(0.75)
    on_disk = orjson.loads((storage.base_dir / "summary.json").read_bytes())
    assert on_disk["days"] == data["days"]
    stats = storage.get_today_stats()
    assert stats["date"] == utc_today() and stats["calls"] == 3
    assert "offset" not in stats and "inode" not in stats


def test_summary_catches_up_incrementally_with_appends_from_other_writers(monkeypatch):
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=2)
    assert storage.get_today_stats()["calls"] == 2
    offset = storage.summary()["days"][utc_today()]["offset"]
    put(storage.base_dir, utc_today(), records=5)
    calls = []
    real = DayBuilder.add_bytes
    monkeypatch.setattr(DayBuilder, "add_bytes", lambda b, data, *bulk: (calls.append(b.offset), real(b, data, *bulk))[1])
    assert storage.get_today_stats()["calls"] == 7
    assert calls == [offset]  # read only what was appended
    assert storage.get_today_stats()["calls"] == 7 and calls == [offset]  # and nothing when current


def test_summary_json_is_derived_from_the_per_day_summaries_the_reports_use():
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=3, model="a", cost=0.25)
    put(storage.base_dir, utc_today(), records=1, model="b", cost=None, success=False)
    with open(storage.base_dir / utc_today() / "telemetry.jsonl", "ab") as f:
        f.write(b'{"model": "a", "timestamp": "not a time"}\n')  # unusable for the reports too
    today = storage.summary()["days"][utc_today()]
    ((_, summary),) = summaries(storage.base_dir)
    assert (today["calls"], today["skipped_lines"]) == (sum(t[M_CALLS] for t in summary.totals), 1) == (4, 1)
    assert (today["errors"], today["unknown_cost_calls"], today["by_model"]["a"]["calls"]) == (1, 1, 3)
    assert today["source"] == {k: summary.meta["source"][k] for k in ("ino", "dev", "size", "mtime_ns")}


def test_exit_updates_summary_json_of_small_days_only_and_saves_no_day_summary():
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=3)
    storage.store_telemetry({"model": "m"})
    storage._at_exit()
    on_disk = lambda: orjson.loads((storage.base_dir / "summary.json").read_bytes())["days"][utc_today()]  # noqa: E731
    assert on_disk()["calls"] == 4
    assert not (storage.base_dir / ".summaries").exists()  # one file written at exit, not two
    put(storage.base_dir, utc_today(), pad=600_000)  # the day is now too big to summarise at exit
    later = LocalStorage()
    later.store_telemetry({"model": "m"})
    later._at_exit()
    assert on_disk()["calls"] == 4  # left to the next reader
    assert later.get_today_stats()["calls"] == 6 == on_disk()["calls"]


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"version": 1, "days": []}', b"[]",
                                    b'{"version": 1, "days": {"%s": {"calls": "many"}}}'])
def test_summary_rebuilt_when_missing_or_corrupt(damage):
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=4)
    assert storage.get_today_stats()["calls"] == 4
    path = storage.base_dir / "summary.json"
    if damage:
        path.write_bytes(damage.replace(b"%s", utc_today().encode()))
    else:
        path.unlink()
    assert storage.get_today_stats()["calls"] == 4
    assert orjson.loads(path.read_bytes())["days"][utc_today()]["calls"] == 4


def test_summary_recounts_a_replaced_or_truncated_file():
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=4)
    assert storage.get_today_stats()["calls"] == 4
    day_file = storage.base_dir / utc_today() / "telemetry.jsonl"
    day_file.unlink()
    put(storage.base_dir, utc_today(), records=9)  # a new inode
    assert storage.get_today_stats()["calls"] == 9
    lines = day_file.read_bytes().split(b"\n")
    day_file.write_bytes(b"\n".join(lines[:2]) + b"\n")  # same inode, shorter
    assert storage.get_today_stats()["calls"] == 2


def test_summary_counts_torn_lines_and_waits_for_a_half_written_one(capsys):
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=2)
    day_file = storage.base_dir / utc_today() / "telemetry.jsonl"
    with open(day_file, "ab") as f:
        f.write(b'{"id": "half')
    stats = storage.get_today_stats()
    assert (stats["calls"], stats["skipped_lines"]) == (2, 0)  # maybe still being written
    storage.store_telemetry({"model": "m"})  # starts on a fresh line: the fragment is now torn
    stats = storage.get_today_stats()
    assert (stats["calls"], stats["skipped_lines"]) == (3, 1)
    assert capsys.readouterr().err.count("Warning: skipped 1") == 1


def test_summary_forgets_pruned_days(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=3)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(5))
    put(storage.base_dir, days_ago(1))
    assert set(storage.summary()["days"]) == {days_ago(5), days_ago(1)}
    storage.prune()
    assert set(orjson.loads((storage.base_dir / "summary.json").read_bytes())["days"]) == {days_ago(1)}


def test_disabled_store_writes_no_summary(monkeypatch, isolated_env):
    configure(monkeypatch, LLM_TELEMETRY_STORAGE_ENABLED="false")
    storage = LocalStorage()
    put(storage.base_dir, utc_today(), records=2)  # data from when it was enabled
    assert storage.get_today_stats()["calls"] == 2
    assert not (storage.base_dir / "summary.json").exists()


def test_pinned_now_of_the_reports_is_today_for_prune(monkeypatch):
    configure(monkeypatch, LLM_TELEMETRY_NOW="2026-03-10T12:00:00Z", LLM_RETENTION_DAYS=2)
    storage = LocalStorage()
    for day in ("2026-03-07", "2026-03-08", "2026-03-10"):
        put(storage.base_dir, day)
    result = storage.prune(dry_run=True)
    assert result["today"] == "2026-03-10"
    assert [r["day"] for r in result["removed"]] == ["2026-03-07"]


def test_prune_clears_temp_files_left_by_a_killed_summary_writer():
    storage = LocalStorage()
    put(storage.base_dir, utc_today())
    old_tmp = storage.base_dir / ".summary.123.456.tmp"
    new_tmp = storage.base_dir / ".summary.123.789.tmp"
    old_tmp.write_text("{")
    new_tmp.write_text("{")  # may belong to a process writing right now
    os.utime(old_tmp, (0, 0))
    storage.prune()
    assert not old_tmp.exists() and new_tmp.exists()


def test_a_file_another_pruner_removed_while_we_waited_for_its_lock_is_no_error(monkeypatch, tmp_path):
    from llm_core.storage import prune

    victim = tmp_path / "prompts.jsonl"
    victim.write_text("x\n")

    class RacingLock:
        LOCK_EX = 0

        def lock(self, fd, flags):
            victim.unlink()  # the other pruner got there first

        def unlock(self, fd):
            pass

    monkeypatch.setattr(prune, "locker", RacingLock)
    prune._remove(tmp_path, ("prompts.jsonl",))
    assert not victim.exists()
