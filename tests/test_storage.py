"""LocalStorage: layout, privacy, concurrency, crashes, disk errors, exit flush, queue bounds."""

from __future__ import annotations

import errno
import itertools
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from conftest import days_ago

from llm_core.config import reset_settings
from llm_core.errors import InputError
from llm_core.records import ReadStats, read_jsonl, utc_today
from llm_core.storage import local as local_mod
from llm_core.storage.local import LocalStorage, get_storage
from llm_core.telemetry import build_record, record_call

ROOT = Path(__file__).resolve().parents[1]


def settings_env(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    reset_settings()


def rec(i=0, day: str | None = None, **kw) -> dict:
    r = build_record(provider="anthropic", model="claude-haiku-4-5", tokens={"input": 10, "output": 5},
                     duration_ms=100, success=True, cost_usd=0.001, seq=i, **kw)
    if day:
        r["timestamp"] = day + r["timestamp"][10:]
    return r


def lines_of(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().split(b"\n") if line]


def run_py(code: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full,
                          capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------ layout and basics

def test_store_writes_one_line_in_the_records_utc_day_folder(isolated_env):
    storage = LocalStorage()
    old = rec(1, day=days_ago(3))
    assert storage.store_telemetry(rec(0)) is True
    assert storage.store_telemetry(old) is True
    storage.flush()
    base = isolated_env / "telemetry"
    assert storage.base_dir == base
    today = lines_of(base / utc_today() / "telemetry.jsonl")
    assert [orjson.loads(x)["seq"] for x in today] == [0]
    assert orjson.loads(lines_of(base / days_ago(3) / "telemetry.jsonl")[0])["id"] == old["id"]
    assert [p.name for p in storage.day_dirs()] == [days_ago(3), utc_today()]


def test_folders_0700_and_files_0600_even_with_a_permissive_umask(isolated_env, monkeypatch):
    settings_env(monkeypatch, LLM_STORE_PROMPTS="true", LLM_STORE_RESPONSES="true")
    old = os.umask(0)
    try:
        storage = LocalStorage()
        storage.store_telemetry(rec(prompt="p", response="r"))
        storage.flush()
        storage.get_today_stats()
    finally:
        os.umask(old)
    base = storage.base_dir
    for folder in (base, base / utc_today()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [p for p in base.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"telemetry.jsonl", "prompts.jsonl", "responses.jsonl", "summary.json"}
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_relative_dir_is_resolved_against_the_working_directory(monkeypatch, isolated_env):
    settings_env(monkeypatch, LLM_TELEMETRY_DIR=".llm-telemetry")
    storage = LocalStorage()
    assert storage.base_dir == isolated_env / "work" / ".llm-telemetry"
    assert LocalStorage(isolated_env / "elsewhere").base_dir == isolated_env / "elsewhere"


def test_records_without_id_or_timestamp_get_them():
    storage = LocalStorage()
    assert storage.store_telemetry({"model": "m", "tokens": {"input": 1}}) is True
    when = (datetime.now(timezone.utc) - timedelta(days=2)).replace(microsecond=8000)
    assert storage.store_telemetry({"model": "m", "timestamp": when})
    storage.flush()
    records = list(storage.iter_records())
    assert len(records) == 2
    assert all(len(r["id"]) == 26 for r in records)
    assert when.strftime("%Y-%m-%dT%H:%M:%S.008Z") in {r["timestamp"] for r in records}


def test_query_by_date_range_is_inclusive_and_validates_dates():
    storage = LocalStorage()
    for i in range(4):
        storage.store_telemetry(rec(i, day=days_ago(4 - i)))
    end = datetime.now(timezone.utc) - timedelta(days=2)
    got = storage.query_by_date_range(days_ago(3), end.date())
    assert sorted(r["seq"] for r in got) == [1, 2]
    assert [r["seq"] for r in storage.query_by_date_range(days_ago(1), "2099-12-31")] == [3]
    with pytest.raises(InputError):
        storage.query_by_date_range("yesterday", "2026-01-01")


def test_unwritable_values_become_strings_instead_of_losing_the_record():
    storage = LocalStorage()
    assert storage.store_telemetry({**rec(), "path": Path("/x"), "tags": {"a"}}) is True
    (only,) = storage.query_by_date_range(utc_today(), utc_today())
    assert only["path"] == "/x" and only["tags"] == ["a"]


# ------------------------------------------------------------------ privacy and disabled

def test_prompts_and_responses_are_not_stored_by_default():
    storage = LocalStorage()
    r = rec()
    r["prompt"], r["response"] = "SECRET PROMPT", "SECRET RESPONSE"
    assert storage.store_telemetry(r) is True
    storage.flush()
    day = storage.base_dir / utc_today()
    assert sorted(p.name for p in day.iterdir()) == ["telemetry.jsonl"]
    text = (day / "telemetry.jsonl").read_text()
    assert "SECRET" not in text and '"prompt"' not in text
    assert "prompt" in r  # the caller's dict is left alone


def test_prompts_and_responses_go_to_their_own_files_keyed_by_id(monkeypatch):
    settings_env(monkeypatch, LLM_STORE_PROMPTS="true", LLM_STORE_RESPONSES="true")
    stored = record_call(provider="openai", model="gpt-4o-mini", tokens={"input": 3, "output": 4},
                         duration_ms=5, success=True, prompt="the prompt", response="the answer")
    assert "prompt" not in stored and "response" not in stored
    storage = get_storage()
    storage.flush()
    day = storage.base_dir / utc_today()
    assert '"prompt"' not in (day / "telemetry.jsonl").read_text()
    assert storage.read_side(utc_today(), "prompts.jsonl") == {stored["id"]: "the prompt"}
    assert storage.read_side(utc_today(), "responses.jsonl") == {stored["id"]: "the answer"}


def test_only_prompts_when_only_prompts_are_enabled(monkeypatch):
    settings_env(monkeypatch, LLM_STORE_PROMPTS="true")
    record_call(provider="p", model="m", tokens={}, duration_ms=1, success=True,
                prompt="only me", response="not me")
    get_storage().flush()
    day = get_storage().base_dir / utc_today()
    assert sorted(p.name for p in day.iterdir()) == ["prompts.jsonl", "telemetry.jsonl"]
    assert "not me" not in "".join(p.read_text() for p in day.iterdir())


def test_disabled_storage_writes_nothing_and_creates_no_folder(monkeypatch, isolated_env):
    settings_env(monkeypatch, LLM_TELEMETRY_STORAGE_ENABLED="false", LLM_STORE_PROMPTS="true")
    record = record_call(provider="p", model="m", tokens={"input": 1}, duration_ms=1, success=True,
                         prompt="x")
    assert record is not None and record["tokens"]["input"] == 1
    storage = get_storage()
    assert storage.store_telemetry(rec()) is False
    storage.flush()
    assert storage.get_today_stats()["calls"] == 0
    assert storage.query_by_date_range("2020-01-01", "2099-01-01") == []
    assert storage.prune()["removed"] == []
    assert not (isolated_env / "telemetry").exists()
    assert not any((isolated_env / "work").iterdir())


# ------------------------------------------------------------------ readers survive damage

def test_reader_skips_torn_and_garbage_lines_counts_them_and_warns_once(capsys):
    storage = LocalStorage()
    storage.store_telemetry(rec(0))
    path = storage.base_dir / utc_today() / "telemetry.jsonl"
    with open(path, "ab") as f:
        f.write(b"not json at all\n[1, 2]\n\n")
        f.write(b'{"id": "torn", "tokens": {"inp')  # a writer killed mid-line
    assert storage.store_telemetry(rec(1)) is True  # must start on a fresh line
    storage.flush()
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    assert b'{"inp\n{' in raw
    stats = ReadStats()
    got = list(read_jsonl(path, stats))
    assert [r["seq"] for r in got] == [0, 1]
    assert (stats.records, stats.skipped) == (2, 3)
    assert [r["seq"] for r in storage.query_by_date_range(utc_today(), utc_today())] == [0, 1]
    assert [r["seq"] for r in storage.query_by_date_range(utc_today(), utc_today())] == [0, 1]
    err = capsys.readouterr().err
    assert err.count("Warning: skipped 3 unreadable") == 1, err


def test_read_jsonl_of_a_missing_file_yields_nothing(tmp_path):
    assert list(read_jsonl(tmp_path / "nope.jsonl")) == []


KILLED_WRITER = """
import sys
from llm_core.config import load_settings
from llm_core.storage.local import LocalStorage
storage = LocalStorage(sys.argv[1], settings=load_settings({}))
pad = "x" * (4 << 20)  # big lines: SIGKILL lands mid-write and tears one
i = 0
while True:
    storage.store_telemetry({"id": "%s-%d" % (sys.argv[2], i), "timestamp": sys.argv[3] + "T00:00:00.000Z", "pad": pad})
    storage.flush()
    if i == 0:  # writing from now on, however slowly a loaded machine started this process
        sys.stdout.write("ready\\n"); sys.stdout.flush()
    i += 1
"""


def _last_byte(path: Path) -> bytes:
    """The file's last byte (b"" when empty): a torn line's end, without reading the file's
    4 MB lines again each round."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        if not f.tell():
            return b""
        f.seek(-1, os.SEEK_END)
        return f.read(1)


@pytest.mark.slow
def test_sigkilled_writers_leave_only_skippable_torn_lines(tmp_path, capsys):
    import random

    base = tmp_path / "store"
    today = utc_today()
    path = base / today / "telemetry.jsonl"
    torn_seen = 0
    for round_ in range(30):
        if torn_seen >= 3:
            break
        proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(base), str(round_), today],
                                stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(random.uniform(0.02, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if path.exists() and _last_byte(path) != b"\n":
            torn_seen += 1
        # After each crash the next writer must start on a fresh line (checked by the reader below).
    assert torn_seen >= 1, "no write was ever interrupted: the test proves nothing"
    storage = LocalStorage(base)
    assert storage.store_telemetry({"id": "after", "timestamp": today + "T01:00:00.000Z"}) is True
    storage.flush()
    stats = ReadStats()
    records = list(read_jsonl(path, stats))
    assert records[-1]["id"] == "after"
    for r in records[:-1]:
        assert len(r["pad"]) == 4 << 20  # every line read is whole
    assert stats.skipped >= torn_seen
    # Every non-empty line is either a whole record or counted as skipped.
    assert stats.records + stats.skipped == len(lines_of(path))
    storage.query_by_date_range(today, today)
    assert capsys.readouterr().err.count("Warning: skipped") == 1


# ------------------------------------------------------------------ concurrency

CONCURRENT_WRITER = """
import sys, threading, time
from llm_core.storage.local import get_storage
from llm_core.telemetry import record_call
proc, threads, per_thread = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
storage = get_storage()
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()  # all processes start writing together, on one "go"

def work(t):
    for i in range(per_thread):
        if i % 5 == 0:
            storage.flush()  # many small locked appends, not only a few big batches
        # every 50th record is large, so unlocked or split writes would interleave visibly
        pad = "y" * (200_000 if i % 50 == 0 else 10)
        ok = record_call(provider="p", model="m", tokens={"input": 1, "output": 1}, duration_ms=1,
                         success=True, writer=f"{proc}-{t}", seq=i, pad=pad)
        assert ok is not None

ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
"""


@pytest.mark.slow
def test_8_processes_x_4_threads_lose_nothing_and_tear_nothing(isolated_env):
    procs, threads, per_thread = 8, 4, 300
    env = {k: v for k, v in os.environ.items()}
    env["PYTHONPATH"] = str(ROOT)
    running = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, str(p), str(threads), str(per_thread)],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in range(procs)
    ]
    for p in running:
        assert p.stdout.readline() == b"ready\n"
    for p in running:
        p.stdin.write(b"go\n")
        p.stdin.flush()
    for p in running:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        assert b"Warning" not in err
    storage = LocalStorage()
    path = storage.base_dir / utc_today() / "telemetry.jsonl"
    raw = lines_of(path)
    records = [orjson.loads(line) for line in raw]  # every line parses
    assert len(records) == procs * threads * per_thread
    seen = {(r["writer"], r["seq"]) for r in records}
    expected = {(f"{p}-{t}", i) for p in range(procs) for t in range(threads) for i in range(per_thread)}
    assert seen == expected
    assert len({r["id"] for r in records}) == len(records)
    order = [r["writer"].split("-")[0] for r in records]
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert switches > 8 * procs, f"the writers hardly overlapped ({switches} switches): nothing tested"
    assert all(len(r["pad"]) == (200_000 if r["seq"] % 50 == 0 else 10) for r in records)
    # Eight processes updated summary.json at exit, racing: it is whole, and catches up exactly.
    orjson.loads((storage.base_dir / "summary.json").read_bytes())
    assert storage.get_today_stats()["calls"] == len(records)
    assert not list(storage.base_dir.glob(".summary*.tmp"))


def test_many_threads_in_one_process_with_a_tiny_queue(monkeypatch):
    import threading

    monkeypatch.setattr(local_mod, "QUEUE_MAX", 8)  # callers often find the queue full
    storage = LocalStorage()
    results = []

    def work(t):
        results.extend(storage.store_telemetry({**rec(t), "t": t, "i": i}) for i in range(300))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    storage.flush()
    assert all(results) and len(results) == 1800
    got = {(r["t"], r["i"]) for r in storage.iter_records()}
    assert got == {(t, i) for t in range(6) for i in range(300)}


def test_full_queue_makes_the_caller_write_itself(monkeypatch):
    monkeypatch.setattr(local_mod, "QUEUE_MAX", 5)
    storage = LocalStorage()
    monkeypatch.setattr(storage, "_start_writer", lambda: None)  # a writer that never runs
    storage.store_telemetry(rec(0))  # first of the day: synchronous
    for i in range(1, 21):
        assert storage.store_telemetry(rec(i)) is True
    path = storage.base_dir / utc_today() / "telemetry.jsonl"
    on_disk = len(lines_of(path))
    assert len(storage._queue) == 5 and on_disk == 16  # nothing dropped, nothing waits beyond the bound
    storage.flush()
    assert sorted(orjson.loads(x)["seq"] for x in lines_of(path)) == list(range(21))


def _child_stores(base: str) -> None:
    storage = local_mod._live_for_test[0]
    storage.store_telemetry({"id": "child", "timestamp": build_record(
        provider=None, model=None, tokens={}, duration_ms=1, success=True)["timestamp"]})
    storage.flush()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_write_the_parents_queue_twice(monkeypatch):
    storage = LocalStorage()
    storage.store_telemetry(rec(0))
    monkeypatch.setattr(LocalStorage, "_start_writer", lambda self: None)  # keep records queued
    for i in range(1, 6):
        storage.store_telemetry(rec(i))
    assert len(storage._queue) == 5
    monkeypatch.setattr(local_mod, "_live_for_test", [storage], raising=False)
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_child_stores, args=(str(storage.base_dir),))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    storage.flush()
    ids = [r.get("seq", r["id"]) for r in storage.iter_records()]
    assert sorted(ids, key=str) == sorted([0, 1, 2, 3, 4, 5, "child"], key=str)


# ------------------------------------------------------------------ exit flush, fsync

def test_records_are_on_disk_when_a_one_shot_process_exits(isolated_env):
    done = run_py("""
        from llm_core.telemetry import record_call
        for i in range(500):
            record_call(provider="p", model="m", tokens={"input": i}, duration_ms=1, success=True, seq=i)
        # no flush(): the interpreter exits with records queued
    """)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    path = isolated_env / "telemetry" / utc_today() / "telemetry.jsonl"
    assert sorted(orjson.loads(x)["seq"] for x in lines_of(path)) == list(range(500))
    summary = orjson.loads((isolated_env / "telemetry" / "summary.json").read_bytes())
    assert summary["days"][utc_today()]["calls"] == 500


def test_a_record_stored_after_the_exit_flush_is_written_directly(isolated_env):
    done = run_py("""
        import atexit
        from llm_core.telemetry import record_call
        # Registered before llm_core.storage.local is imported, so it runs after its exit flush.
        atexit.register(lambda: record_call(provider="p", model="m", tokens={}, duration_ms=1,
                                            success=True, seq="late"))
        for i in range(3):
            record_call(provider="p", model="m", tokens={}, duration_ms=1, success=True, seq=i)
    """)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    path = isolated_env / "telemetry" / utc_today() / "telemetry.jsonl"
    assert sorted(str(orjson.loads(x)["seq"]) for x in lines_of(path)) == ["0", "1", "2", "late"]


def test_a_bad_record_is_refused_without_disabling_the_store(capsys):
    storage = LocalStorage()
    assert storage.store_telemetry(rec(0)) is True
    assert storage.store_telemetry(None) is False
    assert storage.store_telemetry({**rec(1), "x": float("nan") + 1j}) is True  # complex -> str
    assert storage._direct is False  # still queueing: a bad record is not a bad disk
    assert "telemetry record not saved" in capsys.readouterr().err


def test_import_does_not_pay_for_portalocker():
    done = run_py("""
        import sys, llm_core.telemetry, llm_core.storage.local
        print("portalocker" in sys.modules)
    """)
    assert done.stdout.strip() == "False", done.stderr


def test_fsync_setting_fsyncs_every_write(monkeypatch):
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd)))
    LocalStorage().store_telemetry(rec())
    assert calls == []
    settings_env(monkeypatch, LLM_TELEMETRY_FSYNC="true")
    storage = LocalStorage()
    storage.store_telemetry(rec())
    storage.store_telemetry(rec())
    storage.flush()
    assert len(calls) >= 2  # the synchronous first write and the batch


# ------------------------------------------------------------------ failure isolation

def test_missing_disk_parent_is_a_file_returns_false_and_warns_once(tmp_path, capsys):
    (tmp_path / "blocker").write_text("a regular file where a folder should be")
    storage = LocalStorage(tmp_path / "blocker" / "telemetry")
    assert [storage.store_telemetry(rec(i)) for i in range(5)] == [False] * 5
    storage.flush()
    assert storage.get_today_stats()["calls"] == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Warning: telemetry not saved"), err


def test_record_call_still_returns_when_the_store_is_broken(tmp_path, monkeypatch, capsys):
    (tmp_path / "blocker").write_text("")
    settings_env(monkeypatch, LLM_TELEMETRY_DIR=tmp_path / "blocker" / "t")
    for _ in range(3):
        record = record_call(provider="p", model="m", tokens={"input": 1}, duration_ms=1, success=True)
        assert record["tokens"]["input"] == 1
    assert capsys.readouterr().err.count("Warning: ") == 1


def _failing_write(code):
    real = os.write

    def write(fd, data):
        if fd > 2:
            raise OSError(code, os.strerror(code))
        return real(fd, data)
    return write


def test_full_disk_returns_false_then_recovers(monkeypatch, capsys):
    storage = LocalStorage()
    monkeypatch.setattr(os, "write", _failing_write(errno.ENOSPC))
    assert storage.store_telemetry(rec(0)) is False
    assert storage.store_telemetry(rec(1)) is False
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err, err
    assert storage.store_telemetry(rec(2)) is True  # the disk is back
    storage.flush()
    assert [r["seq"] for r in storage.iter_records()] == [2]


def test_disk_failing_under_the_background_writer(monkeypatch, capsys):
    storage = LocalStorage()
    assert storage.store_telemetry(rec(0)) is True
    monkeypatch.setattr(os, "write", _failing_write(errno.EIO))
    assert storage.store_telemetry(rec(1)) is True  # queued: the writer finds out
    storage.flush()
    assert storage.dropped == 1
    assert storage.store_telemetry(rec(2)) is False  # while failing, callers learn at once
    monkeypatch.undo()
    assert storage.store_telemetry(rec(3)) is True
    storage.flush()
    assert [r["seq"] for r in storage.iter_records()] == [0, 3]
    assert capsys.readouterr().err.count("telemetry not saved") == 1


def test_permission_denied_on_open(monkeypatch, capsys):
    storage = LocalStorage()
    real = os.open

    def deny(path, *a, **kw):
        if str(path).startswith(str(storage.base_dir)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(os, "open", deny)
    assert storage.store_telemetry(rec()) is False
    assert "Permission denied" in capsys.readouterr().err


def test_a_folder_removed_under_a_running_writer_is_recreated():
    import shutil

    storage = LocalStorage()
    storage.store_telemetry(rec(0))
    shutil.rmtree(storage.base_dir)
    assert storage.store_telemetry(rec(1)) is True
    storage.flush()
    assert [r["seq"] for r in storage.iter_records()] == [1]
    assert stat.S_IMODE(storage.base_dir.stat().st_mode) == 0o700


def test_a_file_pruned_between_open_and_lock_is_reopened(monkeypatch):
    import portalocker

    storage = LocalStorage()
    storage.store_telemetry(rec(0))
    path = storage.base_dir / utc_today() / "telemetry.jsonl"
    raced = []

    class RacingLocker:
        LOCK_EX, LOCK_NB, LockException = portalocker.LOCK_EX, portalocker.LOCK_NB, portalocker.LockException

        @staticmethod
        def lock(fd, flags):
            if not raced:  # a pruner unlinks the file after our open, before our lock
                raced.append(True)
                os.unlink(path)
            portalocker.lock(fd, flags)

        unlock = staticmethod(portalocker.unlock)

    monkeypatch.setattr(local_mod, "locker", lambda: RacingLocker)
    assert storage.store_telemetry(rec(1)) is True
    storage.flush()
    assert raced and [orjson.loads(x)["seq"] for x in lines_of(path)] == [1]


def test_writers_wait_for_a_portalocker_lock_held_by_another_program():
    import threading

    import portalocker

    storage = LocalStorage()
    storage.store_telemetry(rec(0))
    path = storage.base_dir / utc_today() / "telemetry.jsonl"
    size = path.stat().st_size
    with open(path, "ab") as held:
        portalocker.lock(held, portalocker.LOCK_EX)
        writer = threading.Thread(target=lambda: storage.store_telemetry(rec(1)) and storage.flush())
        writer.start()
        writer.join(0.5)
        assert writer.is_alive() and path.stat().st_size == size  # blocked on the lock
        held.write(b'{"id": "from-the-other-program"}\n')
        held.flush()
        portalocker.unlock(held)
    writer.join(10)
    assert [r.get("seq", r["id"]) for r in read_jsonl(path)] == [0, "from-the-other-program", 1]


def test_one_shot_writes_do_not_import_portalocker(isolated_env):
    done = run_py("""
        import sys
        from llm_core.telemetry import record_call
        from llm_core.storage.local import get_storage
        record_call(provider="p", model="m", tokens={}, duration_ms=1, success=True)
        get_storage().flush()
        print("portalocker" in sys.modules)
    """)
    assert done.stdout.strip() == "False", done.stderr
