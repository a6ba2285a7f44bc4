"""Saved conversations under the store's retention and size cap (storage/prune.py): removed
whole by the day of their last turn, after the prompt copies and before telemetry, under the
writer's lock, never through a link, never a file that is not a conversation."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import orjson
from conftest import configure, days_ago

from llm_core.config import reset_settings
from llm_core.records import CONVERSATIONS_DIR
from llm_core.storage.conversations import Conversations, last_turn_day
from llm_core.storage.doctor import examine
from llm_core.storage.local import LocalStorage
from llm_core.storage.location import find_store, open_store
from llm_core.storage.locking import locker
from llm_core.storage.prune import retention_notice


def turn(day: str, text: str = "hi", pad: int = 0) -> bytes:
    return orjson.dumps({"timestamp": f"{day}T12:00:00.000Z", "model": "m", "system": None, "cost_usd": 0.001,
                         "messages": [{"role": "user", "content": text + "z" * pad},
                                      {"role": "assistant", "content": "ok"}]}) + b"\n"


def conversation(base: Path, cid: str, *days: str, pad: int = 0) -> Path:
    """A conversation file with one turn on each of `days`, as llm-chat would have written it."""
    folder = base / CONVERSATIONS_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{cid}.jsonl"
    path.write_bytes(b"".join(turn(d, f"turn {i}", pad) for i, d in enumerate(days)))
    os.chmod(path, 0o600)
    return path


def day_file(base: Path, day: str, name: str, size: int) -> None:
    (base / day).mkdir(parents=True, exist_ok=True)
    line = orjson.dumps({"id": f"{day}-{name}", "timestamp": f"{day}T12:00:00.000Z", "pad": "z" * size})
    (base / day / name).write_bytes(line + b"\n")


def store(monkeypatch, **env) -> LocalStorage:
    configure(monkeypatch, **env)
    storage = LocalStorage()
    open_store(storage.base_dir)
    return storage


# ------------------------------------------------------------------ the last turn's day

def test_the_last_whole_turn_dates_a_conversation_read_backwards_across_chunks(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(turn("2026-01-01", pad=300) + turn("2026-02-03", pad=500) + b'{"timestamp": "2026-03-0')
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        for chunk in (7, 64, 1 << 16):  # a turn longer than a chunk is read whole
            assert last_turn_day(fd, size, chunk) == "2026-02-03"  # the torn line is no turn
        assert last_turn_day(fd, 0) is None
    finally:
        os.close(fd)
    path.write_bytes(b"not json\n")
    fd = os.open(path, os.O_RDONLY)
    try:
        assert last_turn_day(fd, os.fstat(fd).st_size) is None
    finally:
        os.close(fd)


# ------------------------------------------------------------------ retention

def test_retention_removes_a_conversation_whose_last_turn_is_older_than_the_limit(monkeypatch):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=30)
    base = storage.base_dir
    old = conversation(base, "OLD", days_ago(60), days_ago(31))
    edge = conversation(base, "EDGE", days_ago(30))           # today minus retention: kept, as a day folder
    active = conversation(base, "ACTIVE", days_ago(90), days_ago(2))  # started long ago, continued lately
    day_file(base, days_ago(31), "telemetry.jsonl", 10)
    preview = storage.prune(dry_run=True)
    convs = [r for r in preview["removed"] if r["kind"] == "conversation"]
    assert convs == [{"path": str(old), "day": days_ago(31), "kind": "conversation", "id": "OLD",
                      "bytes": old.stat().st_size, "reason": "retention"}]
    assert old.exists()  # a dry run removes nothing
    done = storage.prune()
    assert done["removed"] == preview["removed"]
    assert not old.exists() and edge.exists() and active.exists()
    assert active.read_bytes().count(b"\n") == 2  # whole: never cut to its recent turns
    assert "1 day and 1 conversation older than 30 days" in retention_notice(done)
    assert done["bytes_after"] == done["bytes_before"] - done["freed_bytes"]


def test_only_conversation_files_are_removed_and_links_are_never_followed(monkeypatch, tmp_path):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=7)
    base = storage.base_dir
    conversation(base, "OLD", days_ago(20))
    folder = base / CONVERSATIONS_DIR
    outside = tmp_path / "precious.jsonl"
    outside.write_bytes(turn(days_ago(20)))
    (folder / "LINKED.jsonl").symlink_to(outside)
    (folder / "notes.txt").write_bytes(turn(days_ago(20)))      # not a conversation's name
    (folder / "sub.jsonl").mkdir()                              # not a regular file
    (folder / ".hidden.jsonl").write_bytes(turn(days_ago(20)))  # not an id
    done = storage.prune()
    assert [r["id"] for r in done["removed"]] == ["OLD"]
    assert sorted(p.name for p in folder.iterdir()) == [".hidden.jsonl", "LINKED.jsonl", "notes.txt", "sub.jsonl"]
    assert outside.read_bytes() == turn(days_ago(20))
    alone = {Path(x["path"]).name: x["why"] for x in done["left_alone"]}
    assert alone == {"LINKED.jsonl": "symbolic link", "notes.txt": "not the store's",
                     "sub.jsonl": "not the store's", ".hidden.jsonl": "not the store's"}


def test_a_conversations_folder_that_is_a_link_is_never_entered(monkeypatch, tmp_path):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=7)
    elsewhere = tmp_path / "elsewhere"
    conversation(elsewhere, "OLD", days_ago(20))
    (storage.base_dir / CONVERSATIONS_DIR).symlink_to(elsewhere / CONVERSATIONS_DIR)
    done = storage.prune()
    assert done["removed"] == []
    assert (elsewhere / CONVERSATIONS_DIR / "OLD.jsonl").exists()
    assert {"path": str(storage.base_dir / CONVERSATIONS_DIR), "why": "symbolic link"} in done["left_alone"]


# ------------------------------------------------------------------ size cap

def test_the_size_cap_takes_prompt_copies_then_oldest_conversations_then_telemetry(monkeypatch):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=365, LLM_STORAGE_MAX_SIZE_MB=0.05)  # 52,428 bytes
    base = storage.base_dir
    day_file(base, days_ago(5), "telemetry.jsonl", 20_000)
    day_file(base, days_ago(5), "prompts.jsonl", 20_000)
    day_file(base, days_ago(0), "telemetry.jsonl", 5_000)
    conversation(base, "NEWER", days_ago(20), days_ago(3), pad=10_000)
    conversation(base, "OLDER", days_ago(4), pad=10_000)  # started later, but its last turn is older
    conversation(base, "TODAY", days_ago(9), days_ago(0), pad=30_000)  # in use today: never by the cap
    done = storage.prune()
    order = [(r["kind"], r.get("id") or r["day"]) for r in done["removed"]]
    assert order == [("prompts", days_ago(5)), ("conversation", "OLDER"), ("conversation", "NEWER"),
                     ("telemetry", days_ago(5))]
    assert {r["reason"] for r in done["removed"]} == {"size"}
    assert [p.name for p in (base / CONVERSATIONS_DIR).iterdir()] == ["TODAY.jsonl"]
    assert done["bytes_before"] > 0.05 * 1024 * 1024 and done["bytes_after"] == done["bytes_before"] - done["freed_bytes"]


def test_the_cap_stops_at_the_first_conversation_that_brings_the_store_under(monkeypatch):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=365, LLM_STORAGE_MAX_SIZE_MB=0.03)  # 31,457 bytes
    base = storage.base_dir
    for i, cid in enumerate(("A", "B", "C")):
        conversation(base, cid, days_ago(10 - i), pad=12_000)
    done = storage.prune()
    assert [r["id"] for r in done["removed"]] == ["A"]
    assert sorted(p.name for p in (base / CONVERSATIONS_DIR).iterdir()) == ["B.jsonl", "C.jsonl"]


# ------------------------------------------------------------------ racing llm-chat -c

def test_removal_waits_for_the_writers_lock_and_keeps_a_conversation_that_grew(monkeypatch):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=7)
    path = conversation(storage.base_dir, "BUSY", days_ago(20))
    lock = locker()
    fd = os.open(path, os.O_RDWR | os.O_APPEND)
    lock.lock(fd, lock.LOCK_EX)  # an llm-chat -c appending its turn holds this
    results = []
    pruner = threading.Thread(target=lambda: results.append(storage.prune()))
    try:
        pruner.start()
        time.sleep(0.5)
        assert pruner.is_alive() and path.exists()  # waiting for the lock, not removing under it
        os.write(fd, turn(days_ago(0), "a new turn"))
    finally:
        lock.unlock(fd)
        os.close(fd)
    pruner.join(10)
    assert results[0]["removed"] == []  # grew since it was measured: kept
    assert path.read_bytes().count(b"\n") == 2


def test_a_conversation_pruned_while_a_call_ran_is_written_again_whole(monkeypatch):
    storage = store(monkeypatch, LLM_RETENTION_DAYS=7)
    conversation(storage.base_dir, "C1", days_ago(30), days_ago(20))
    convs = Conversations(storage)
    earlier = convs.turns("C1")  # llm-chat -c read it, then waits for the provider ...
    assert [r["id"] for r in storage.prune()["removed"]] == ["C1"]  # ... while the retention removes it
    convs.append("C1", {"model": "m", "messages": [{"role": "user", "content": "next"},
                                                    {"role": "assistant", "content": "ok"}]}, earlier=earlier)
    turns = convs.turns("C1")
    assert [t["messages"][0]["content"] for t in turns] == ["turn 0", "turn 1", "next"]
    assert turns[:2] == earlier
    assert storage.prune()["removed"] == []  # its last turn is now today's
    convs.append("C1", {"model": "m", "messages": []}, earlier=earlier)  # an existing file: appended only
    assert len(convs.turns("C1")) == 4


# ------------------------------------------------------------------ doctor

def test_doctor_counts_conversations_in_the_size_and_checks_their_modes(monkeypatch):
    storage = store(monkeypatch, LLM_STORAGE_MAX_SIZE_MB=100)
    path = conversation(storage.base_dir, "C1", days_ago(1), pad=50_000)
    conversation(storage.base_dir, "C2", days_ago(1))
    os.chmod(path, 0o644)
    (storage.base_dir / ".budget").mkdir()  # the budgets' state folder is the store's own
    report = examine(find_store(str(storage.base_dir)), storage.settings)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["size"]["detail"].startswith("0.1 MB of 100 MB") and checks["size"]["detail"].endswith(
        ", 2 conversations")
    assert checks["modes"]["status"] == "problem" and checks["modes"]["paths"] == [f"{path} (644)"]
    assert checks["foreign"]["status"] == "ok"
    examine(find_store(str(storage.base_dir)), storage.settings, fix=True)
    assert path.stat().st_mode & 0o777 == 0o600


def test_prune_racing_llm_chat_c_never_leaves_half_a_conversation(monkeypatch, isolated_env):
    # Every conversation is past the retention (LLM_TELEMETRY_NOW far ahead), so each prune
    # removes it; four processes keep continuing it as llm-chat -c does (read, then append).
    import subprocess
    import sys

    storage = store(monkeypatch, LLM_RETENTION_DAYS=1)
    conversation(storage.base_dir, "RACE", days_ago(3))
    writer = (
        "import os, sys, time\n"
        "from llm_core.errors import InputError\n"
        "from llm_core.storage.conversations import Conversations\n"
        "from llm_core.storage.local import LocalStorage\n"
        "convs = Conversations(LocalStorage(sys.argv[1]))\n"
        "def turn(i):\n"
        "    try:\n"
        "        earlier = convs.turns('RACE')\n"
        "    except InputError:\n"
        "        earlier = []  # pruned meanwhile: llm-chat --save-conversation --cid RACE starts it again\n"
        "    convs.append('RACE', {'model': 'm', 'messages': [{'role': 'user', 'content': f'{sys.argv[2]}-{i}'}]},"
        " earlier=earlier)\n"
        "for i in range(150):\n"
        "    turn(i)\n"
        "open(sys.argv[3] + '.ready', 'w').close()\n"
        "while not os.path.exists(sys.argv[3] + '.go'):\n"
        "    time.sleep(0.01)\n"
        "turn(150)  # once pruning has stopped, so the file is there to check\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    flag = str(isolated_env / "flag")
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(storage.base_dir), str(w), f"{flag}{w}"], env=env,
                              stderr=subprocess.PIPE) for w in range(4)]
    monkeypatch.setenv("LLM_TELEMETRY_NOW", "2099-01-01T00:00:00Z")
    reset_settings()
    pruner = LocalStorage()
    removed = 0
    while not all(os.path.exists(f"{flag}{w}.ready") for w in range(4)) and all(p.poll() is None for p in procs):
        removed += len(pruner.prune()["removed"])
    for w in range(4):
        open(f"{flag}{w}.go", "w").close()
    for p in procs:
        p.wait(60)
        assert p.returncode == 0, p.stderr.read()
    path = storage.base_dir / CONVERSATIONS_DIR / "RACE.jsonl"
    lines = path.read_bytes().splitlines()
    turns = [orjson.loads(line) for line in lines]  # every line whole
    said = [t["messages"][0]["content"] for t in turns]
    last = {w: max(int(s.split("-")[1]) for s in said if s.startswith(f"{w}-")) for w in "0123"}
    assert last == {w: 150 for w in "0123"}  # each writer's last turn is there
    assert removed > 0  # the race did happen
    for w in "0123":  # each writer's turns in the order it wrote them, none twice
        mine = [int(s.split("-")[1]) for s in said if s.startswith(f"{w}-")]
        assert mine == sorted(set(mine))
