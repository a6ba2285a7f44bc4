"""The store touches only its own files: links, foreign files, foreign folders, where the store is,
modes, and what pruning says (issue 9, items 1-3 and 9-11)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from conftest import configure, days_ago

from llm_core.errors import ConfigError
from llm_core.records import GITIGNORE, STORE_MARKER, day_names, utc_today
from llm_core.storage import local as local_mod
from llm_core.storage.demo import write_demo
from llm_core.storage.local import LocalStorage
from llm_core.storage.location import find_store, inspect, open_store
from llm_core.storage.prune import retention_notice

ROOT = Path(__file__).resolve().parents[1]


def record(day: str, i: int = 0, **kw) -> dict:
    return {"id": f"{day}-{i}", "timestamp": f"{day}T12:00:00.000Z", "model": "m", "success": True,
            "cost_usd": 0.5, "tokens": {"input": 1, "output": 1, "total": 2}, **kw}


def put(base: Path, day: str, records: int = 1, pad: int = 0) -> None:
    """Day files as a 0.2.0 process would have written them."""
    folder = base / day
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "telemetry.jsonl", "ab") as f:
        for i in range(records):
            f.write(orjson.dumps(record(day, i, pad="z" * pad)) + b"\n")


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (not following links), and the names present."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@pytest.fixture
def outside(tmp_path) -> Path:
    """A day folder that is not the store's, with files a link would expose."""
    folder = tmp_path / "elsewhere" / "daydir"
    folder.mkdir(parents=True)
    (folder / "telemetry.jsonl").write_bytes(orjson.dumps(record("2020-01-01")) + b"\n")
    (folder / "prompts.jsonl").write_bytes(b'{"id": "x", "prompt": "secret"}\n')
    return folder


# ------------------------------------------------------------------ links

def test_a_symlinked_day_folder_is_never_written_pruned_or_counted(outside, capsys):
    storage = LocalStorage()
    open_store(storage.base_dir)
    before = digests(outside)
    (storage.base_dir / "2020-01-01").symlink_to(outside, target_is_directory=True)
    put(storage.base_dir, utc_today())

    assert storage.store_telemetry(record("2020-01-01", 7)) is False  # refused, not written through
    storage.flush()
    assert "symbolic link" in capsys.readouterr().err
    assert day_names(storage.base_dir) == [utc_today()]
    result = storage.prune()  # 2020-01-01 is far past retention
    assert [r["day"] for r in result["removed"]] == []
    assert {"path": str(storage.base_dir / "2020-01-01"), "why": "symbolic link"} in result["left_alone"]
    assert digests(outside) == before
    assert (storage.base_dir / "2020-01-01").is_symlink()


def test_a_symlinked_telemetry_file_is_never_appended_to_or_removed(outside, monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=7)
    storage = LocalStorage()
    old = days_ago(10)
    (storage.base_dir / old).mkdir(parents=True)
    open_store(storage.base_dir)
    link = storage.base_dir / old / "telemetry.jsonl"
    link.symlink_to(outside / "telemetry.jsonl")
    (storage.base_dir / old / "prompts.jsonl").symlink_to(outside / "prompts.jsonl")
    before = digests(outside)

    assert storage.store_telemetry(record(old, 1)) is False
    storage.flush()
    result = storage.prune()
    assert digests(outside) == before
    assert link.is_symlink()  # left alone, and so is its folder
    assert {r["path"] for r in result["left_alone"]} == {str(link), str(storage.base_dir / old / "prompts.jsonl")}


def test_a_symlinked_telemetry_file_is_never_read(outside, monkeypatch):
    """The reports, log, export, SQL's view and the library read only the store's own day
    files: a day file that is a link (to records elsewhere) counts for nothing."""
    from llm_core.storage import query
    from llm_core.storage.collect import collect, collect_scan
    from llm_core.storage.records_iter import iter_records
    from llm_core.storage.sql import store_files
    from llm_core.storage.windows import ALL_TIME

    configure(monkeypatch)
    storage = LocalStorage()
    open_store(storage.base_dir)
    (storage.base_dir / "2020-01-01").mkdir()
    (storage.base_dir / "2020-01-01" / "telemetry.jsonl").symlink_to(outside / "telemetry.jsonl")
    assert storage.store_telemetry(record(utc_today(), 3))
    storage.flush()
    for col in (collect(storage.base_dir, ALL_TIME), collect_scan(storage.base_dir, ALL_TIME)):
        assert query.stats_report(col, ALL_TIME)["totals"]["calls"] == 1
    assert [obj["timestamp"][:10] for _line, obj in iter_records(storage.base_dir)] == [utc_today()]
    assert [r["timestamp"][:10] for r in storage.iter_records()] == [utc_today()]
    assert storage.query_by_date_range("2020-01-01", "2020-01-01") == []
    assert store_files(storage.base_dir) == [str(storage.base_dir / utc_today() / "telemetry.jsonl")]


def _stat_of(path) -> tuple[int, int, int, int]:
    """Size, blocks on disk, and the two change times: a sparse file written to changes them all."""
    st = os.stat(path)
    return st.st_size, st.st_blocks, st.st_mtime_ns, st.st_ctime_ns


def test_a_symlinked_summaries_folder_is_never_written_or_cleaned(tmp_path):
    """The reports' caches live in the store's .summaries; when that is a link to another
    folder, nothing is written there and no file of it removed (a stale-summary clean-up
    would have taken names like 2001-01-01.sum), and the reports are the same, from memory."""
    from llm_core.storage import query
    from llm_core.storage.collect import collect_scan
    from llm_core.storage.windows import ALL_TIME

    store = tmp_path / "store"
    write_demo(store, days=40, calls=600, seed=3, end_ms=int(time.time() * 1000))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("2001-01-01.sum", "2001-01.sum", "settled.cache", ".x.sum.1.2.tmp"):
        (elsewhere / name).write_bytes(b"not the store's")
    os.utime(elsewhere / ".x.sum.1.2.tmp", (0, 0))  # an old temp file, as a killed build leaves
    before = digests(elsewhere)
    (store / ".summaries").symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):
        col = query.collect(store, ALL_TIME, need_slots=True)
        assert query.stats_report(col, ALL_TIME) == query.stats_report(collect_scan(store, ALL_TIME), ALL_TIME)
    assert digests(elsewhere) == before
    assert (store / ".summaries").is_symlink()


def test_a_symlink_to_a_big_file_does_not_count_toward_the_cap(tmp_path, monkeypatch):
    configure(monkeypatch, LLM_STORAGE_MAX_SIZE_MB=1)
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        f.truncate(120 << 20)  # sparse: 120 MB to stat, nothing on disk
    untouched, f_hash = _stat_of(big), hashlib.sha256(big.read_bytes()).hexdigest()
    storage = LocalStorage()
    for n in range(1, 4):
        put(storage.base_dir, days_ago(n), records=10)
    open_store(storage.base_dir)
    (storage.base_dir / "big.bin").symlink_to(big)
    (storage.base_dir / days_ago(1) / "big.bin").symlink_to(big)

    result = storage.prune()
    assert result["removed"] == []
    assert result["bytes_before"] < 1 << 20
    assert len(day_names(storage.base_dir)) == 3
    assert _stat_of(big) == untouched  # any write, even of the zeros there, changes these
    assert hashlib.sha256(big.read_bytes()).hexdigest() == f_hash  # and issue 9's own proof
    assert storage.store_telemetry(record(utc_today())) is True  # writes go on, beside the links


def test_a_foreign_120mb_file_removes_no_day(monkeypatch):
    storage = LocalStorage()
    for n in range(0, 10):
        put(storage.base_dir, days_ago(n), records=50)
    open_store(storage.base_dir)
    with open(storage.base_dir / "backup.tar", "wb") as f:
        f.truncate(120 << 20)
    (storage.base_dir / days_ago(3) / "notes.txt").write_text("mine")

    preview = storage.prune(dry_run=True)
    assert preview["removed"] == []
    assert {r["path"] for r in preview["left_alone"]} == {
        str(storage.base_dir / "backup.tar"), str(storage.base_dir / days_ago(3) / "notes.txt")}
    assert storage.prune()["removed"] == []
    assert len(day_names(storage.base_dir)) == 10
    assert (storage.base_dir / "backup.tar").stat().st_size == 120 << 20


def test_retention_removes_only_the_stores_own_files_of_a_day(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=7)
    storage = LocalStorage()
    old = days_ago(9)
    put(storage.base_dir, old)
    (storage.base_dir / old / "prompts.jsonl").write_text("{}\n")
    (storage.base_dir / old / "keep.me").write_text("mine")
    open_store(storage.base_dir)
    result = storage.prune()
    assert [r["day"] for r in result["removed"]] == [old]
    assert sorted(p.name for p in (storage.base_dir / old).iterdir()) == ["keep.me"]


def test_compressed_day_files_and_their_temp_files_are_the_stores_own(monkeypatch):
    configure(monkeypatch, LLM_RETENTION_DAYS=7, LLM_STORAGE_MAX_SIZE_MB=0.01)
    storage = LocalStorage()
    old, capped = days_ago(9), days_ago(2)
    for day in (old, capped):
        put(storage.base_dir, day)
        (storage.base_dir / day / "telemetry.jsonl.gz").write_bytes(b"\x1f\x8b" + b"z" * 20_000)
        (storage.base_dir / day / ".telemetry.jsonl.gz.tmp").write_bytes(b"partial")
    put(storage.base_dir, utc_today())
    open_store(storage.base_dir)
    result = storage.prune()
    assert result["left_alone"] == []
    assert [(r["day"], r["kind"], r["reason"]) for r in result["removed"]] == [
        (old, "folder", "retention"), (capped, "telemetry", "size")]
    assert not (storage.base_dir / old).exists()
    assert not (storage.base_dir / capped).exists()  # every file of it was the store's: emptied, removed


# ------------------------------------------------------------------ folders that are not stores

def fake_root(path: Path) -> Path:
    """A folder that looks like `/`: system folders and files, no marker."""
    for name in ("bin", "etc", "usr", "home", "var"):
        (path / name).mkdir(parents=True)
    (path / "etc" / "passwd").write_text("root:x:0:0\n")
    (path / "vmlinuz").write_text("kernel")
    return path


def test_a_foreign_folder_is_refused_fast_and_nothing_is_created(tmp_path, monkeypatch, capsys):
    root = fake_root(tmp_path / "root")
    configure(monkeypatch, LLM_TELEMETRY_DIR=root)
    before = digests(root)
    started = time.perf_counter()
    storage = LocalStorage()
    assert storage.store_telemetry(record(utc_today())) is False
    with pytest.raises(ConfigError, match="not a telemetry store"):
        storage.check()
    with pytest.raises(ConfigError):
        storage.prune()
    assert time.perf_counter() - started < 0.5
    storage.flush()
    local_mod._flush_all_at_exit()
    assert digests(root) == before
    assert "not a telemetry store" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["llm-chat", "-m", "echo", "hi"], ["llm-telemetry", "stats"],
                                  ["llm-telemetry", "prune"], ["llm-telemetry", "demo"]])
def test_commands_refuse_a_foreign_store_with_exit_4(tmp_path, argv):
    from tests.conftest import clean_environ

    root = fake_root(tmp_path / "root")
    env = {**clean_environ(tmp_path), "LLM_TELEMETRY_DIR": str(root)}
    before = digests(root)
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.startswith(f"Error: {root} is not a telemetry store"), proc.stderr
    assert proc.stdout == ""
    assert digests(root) == before


def test_the_real_root_folder_is_refused_and_left_unchanged(tmp_path):
    from tests.conftest import clean_environ

    env = {**clean_environ(tmp_path), "LLM_TELEMETRY_DIR": "/"}
    before = sorted(os.listdir("/"))
    proc = subprocess.run(["llm-chat", "-m", "echo", "hi"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    assert "Error: / is not a telemetry store" in proc.stderr
    assert sorted(os.listdir("/")) == before


def test_a_0_2_0_store_is_adopted_and_marked_with_nothing_lost():
    storage = LocalStorage()
    for n in (0, 1, 2):
        put(storage.base_dir, days_ago(n), records=3)
    (storage.base_dir / "summary.json").write_text("{}")
    (storage.base_dir / ".summaries").mkdir()
    (storage.base_dir / ".DS_Store").write_bytes(b"\0")  # Finder's: does not stop an adoption
    assert inspect(storage.base_dir).state == "adoptable"
    assert storage.store_telemetry(record(utc_today(), 99)) is True
    storage.flush()
    assert (storage.base_dir / STORE_MARKER).is_file()
    assert (storage.base_dir / GITIGNORE).read_text() == "*\n"
    assert sum(1 for _ in storage.iter_records()) == 10


def test_an_empty_folder_is_adopted_a_file_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    assert inspect(tmp_path / "empty").state == "adoptable"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="not a folder"):
        open_store(tmp_path / "file")
    assert inspect(tmp_path / "missing").state == "missing"


# ------------------------------------------------------------------ one store per project

def git_init(path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def test_a_call_from_a_subfolder_lands_in_the_top_of_the_git_work_tree(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    git_init(repo)
    (repo / "README").write_text("hi\n")
    subprocess.run(["git", "-C", str(repo), "add", "README"], check=True)
    deep = repo / "src" / "deep"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    configure(monkeypatch, LLM_TELEMETRY_DIR=None)

    where = find_store(".llm-telemetry")
    assert (where.path, where.reason) == (repo / ".llm-telemetry", "git-top")
    storage = LocalStorage()
    assert storage.base_dir == repo / ".llm-telemetry"
    assert storage.store_telemetry(record(utc_today())) is True
    storage.flush()
    assert (repo / ".llm-telemetry" / utc_today() / "telemetry.jsonl").is_file()
    assert not (deep / ".llm-telemetry").exists()
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert ".llm-telemetry" not in status
    assert status.strip() == "A  README"


def test_the_nearest_existing_store_wins_then_the_working_directory(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # no git needed: the walk looks for `.git` only
    open_store(repo / "src" / ".llm-telemetry")
    deep = repo / "src" / "deep"
    deep.mkdir()
    assert find_store(".llm-telemetry", deep).path == repo / "src" / ".llm-telemetry"
    assert find_store(".llm-telemetry", deep).reason == "existing"
    # A worktree or submodule has a `.git` file: the walk stops there too.
    (deep / "sub").mkdir()
    (deep / "sub" / ".git").write_text("gitdir: elsewhere\n")
    assert find_store(".llm-telemetry", deep / "sub").path == deep / "sub" / ".llm-telemetry"
    plain = tmp_path / "plain" / "x"
    plain.mkdir(parents=True)
    assert find_store(".llm-telemetry", plain).reason in ("cwd", "existing")
    assert find_store(tmp_path / "abs", plain).path == tmp_path / "abs"


# ------------------------------------------------------------------ modes and demo

def test_everything_the_store_creates_is_0700_or_0600_under_umask_000(monkeypatch):
    from llm_core.storage.query import collect, last_days, now_ms

    configure(monkeypatch, LLM_STORE_PROMPTS="true")
    old = os.umask(0)
    try:
        storage = LocalStorage()
        write_demo(storage.base_dir, days=3, calls=200, seed=1, end_ms=now_ms(None))
        storage.store_telemetry(record(utc_today(), 5, prompt="p"))
        storage.flush()
        storage.get_today_stats()
        collect(storage.base_dir, last_days(7, now_ms(None)))  # writes .summaries/
        storage.prune()
    finally:
        os.umask(old)
    base = storage.base_dir
    assert (base / ".summaries").is_dir() and any((base / ".summaries").iterdir())
    entries = [base, *base.rglob("*")]
    for path in entries:
        want = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.lstat().st_mode) == want, path


def test_demo_writes_through_the_locked_writer(monkeypatch):
    calls = []
    real = LocalStorage._append

    def spy(self, day, name, data):
        calls.append(day)
        return real(self, day, name, data)

    monkeypatch.setattr(LocalStorage, "_append", spy)
    storage = LocalStorage()
    info = write_demo(storage.base_dir, days=2, calls=50, seed=3, end_ms=int(time.time() * 1000))
    assert info["records"] == 50 and sorted(set(calls)) == day_names(storage.base_dir)
    assert (storage.base_dir / STORE_MARKER).is_file()


# ------------------------------------------------------------------ retention you can see

class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_the_first_prune_of_a_day_that_removes_data_says_so_in_a_terminal(monkeypatch, terminal):
    configure(monkeypatch, LLM_RETENTION_DAYS=7)
    storage = LocalStorage()
    put(storage.base_dir, days_ago(20), records=5)
    put(storage.base_dir, days_ago(9), records=5)
    err = _Terminal()
    if not terminal:
        err.isatty = lambda: False  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", err)
    storage.store_telemetry(record(utc_today()))
    storage.flush()
    lines = err.text.splitlines()
    if terminal:
        assert len(lines) == 1, lines
        assert "2 days older than 7 days" in lines[0] and "LLM_RETENTION_DAYS" in lines[0]
    else:
        assert lines == []
    assert day_names(storage.base_dir) == [utc_today()]


def test_the_notice_names_the_size_cap_too():
    result = {"removed": [{"reason": "size"}, {"reason": "retention"}], "retention_days": 30,
              "max_size_mb": 100.0, "freed_bytes": 2_500_000, "base_dir": "/s"}
    text = retention_notice(result)
    assert "1 day older than 30 days" in text and "1 file over the 100 MB cap" in text
    assert "LLM_STORAGE_MAX_SIZE_MB" in text and "2.5 MB" in text


_DAMAGED_LENGTHS = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a hook's or a small machine's limit
from llm_core.storage import _day_summary_file as day, _month_summary_file as month, store_cache
from llm_core.records import SETTLED_CACHE, SUMMARY_DIR
store = Path(sys.argv[1])
(store / SUMMARY_DIR).mkdir(parents=True)
huge = 0xFFFFFF00  # what one flipped byte of a length field can claim
(store / "d.sum").write_bytes(day._HEAD.pack(day._MAGIC, huge, huge, 0, 0) + b"{}")
(store / "m.sum").write_bytes(month._HEAD.pack(month._MAGIC, huge, 0, 0, 0) + b"{}")
(store / SUMMARY_DIR / SETTLED_CACHE).write_bytes(store_cache._HEAD.pack(store_cache._MAGIC, *[huge] * 10))
print(day.read_summary_meta(store / "d.sum"), day.read_summary(store / "d.sum"),
      month.read_month(store / "m.sum"), store_cache._read(store, True, True, True))
"""


def test_a_length_that_damage_made_huge_reads_nothing_past_the_file(tmp_path):
    """The summaries' and the settled-days cache's headers give section lengths; a damaged one
    can claim gigabytes, which read() would allocate before reading. Under a 1 GB address-space
    limit that was a MemoryError out of a report; now such a file is damaged, built again."""
    out = subprocess.run([sys.executable, "-c", _DAMAGED_LENGTHS, str(tmp_path)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert (out.returncode, out.stdout, out.stderr) == (0, "None None None None\n", "")
