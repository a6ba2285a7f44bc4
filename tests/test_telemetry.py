"""The telemetry record: schema, ids, time, hashes, labels, git context, privacy, tracker."""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from conftest import configure

from llm_core import records, telemetry
from llm_core.errors import reset_warnings
from llm_core.records import read_jsonl
from llm_core.storage.local import LocalStorage, get_storage

ROOT = Path(__file__).resolve().parents[1]

KEYS = [
    "id", "timestamp", "agent_name", "operation", "provider", "model", "session_id", "user_id",
    "duration_ms", "tokens", "cost_usd", "success", "prompt_hash", "response_hash", "metadata",
]


def make(**kw):
    base = dict(provider="anthropic", model="claude-haiku-4-5", tokens={"input": 500, "output": 200},
                duration_ms=1234, success=True)
    base.update(kw)
    return telemetry.build_record(**base)


def test_record_has_exactly_the_schema_keys():
    record = make(prompt="hello", response="world")
    assert list(record) == KEYS
    assert list(record["tokens"]) == ["input", "output", "total", "cache_read", "cache_write"]
    assert record["tokens"] == {"input": 500, "output": 200, "total": 700, "cache_read": 0, "cache_write": 0}
    assert set(record["metadata"]) == {"project", "git_branch", "error"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["timestamp"])
    assert record["prompt_hash"] == "sha256:" + hashlib.sha256(b"hello").hexdigest()
    assert record["response_hash"] == "sha256:" + hashlib.sha256(b"world").hexdigest()
    assert record["duration_ms"] == 1234 and record["success"] is True
    orjson.dumps(record)  # serialisable as is


@pytest.fixture(autouse=True)
def fresh_context():
    telemetry._context_cache.clear()
    reset_warnings()
    yield
    telemetry._context_cache.clear()


def decode_ulid_ms(value: str) -> int:
    n = 0
    for ch in value:
        n = n * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".index(ch)
    return n >> 80


# ------------------------------------------------------------------ id and time

def test_ids_are_unique_sortable_ulids_carrying_the_timestamp():
    records = [make() for _ in range(3000)]
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # strictly increasing within a process, even within one ms
    for r in records[:: 500]:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", r["id"])
        ms = decode_ulid_ms(r["id"])
        stamp = datetime.fromtimestamp(ms / 1000, timezone.utc)
        assert r["timestamp"] == stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    now = datetime.now(timezone.utc).timestamp() * 1000
    assert abs(decode_ulid_ms(ids[-1]) - now) < 60_000


def test_ids_from_different_processes_do_not_collide():
    code = "from llm_core.records import new_id\nprint('\\n'.join(new_id() for _ in range(2000)))"
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.split()
            for _ in range(2)]
    assert len(set(outs[0]) | set(outs[1])) == 4000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_its_own_ids_and_session():
    import multiprocessing

    parent = make()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=lambda: queue.put(
        [records._last_ms, make()["session_id"]] + [records.new_id() for _ in range(50)]))
    child.start()
    got = queue.get(timeout=30)
    child.join(30)
    mine = [records.new_id() for _ in range(50)]
    # The child must not count on from the parent's last id (its next ids would be the parent's).
    assert got[0] == 0
    assert got[1] != parent["session_id"]
    assert not set(got[2:]) & set(mine)


def test_timestamp_override_and_naive_datetimes_are_utc():
    r = make(timestamp=datetime(2026, 1, 2, 3, 4, 5, 678000))
    assert r["timestamp"] == "2026-01-02T03:04:05.678Z"
    r = make(timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))))
    assert r["timestamp"] == "2026-01-02T01:04:05.000Z"


# ------------------------------------------------------------------ tokens, cost, error

def test_tokens_are_normalised_and_total_follows_the_convention():
    r = make(tokens={"input": 100, "output": 50, "cache_read": 1000, "cache_write": 10, "reasoning": 20})
    assert r["tokens"] == {"input": 100, "output": 50, "total": 1160, "cache_read": 1000,
                           "cache_write": 10, "reasoning": 20}
    assert make(tokens=None)["tokens"] == {"input": 0, "output": 0, "total": 0, "cache_read": 0, "cache_write": 0}
    assert make(tokens={"input": None, "output": "7", "total": 99})["tokens"]["total"] == 99


def test_cost_is_null_when_unknown_never_a_fake_zero():
    assert make(model="no-such-model-anywhere")["cost_usd"] is None
    assert make(model=None)["cost_usd"] is None
    assert make(cost_usd=0.0025)["cost_usd"] == 0.0025
    assert make(cost_usd=0)["cost_usd"] == 0.0


def test_cost_is_priced_from_the_registry_when_not_given():
    pricing = pytest.importorskip("llm_core.models.pricing")
    tokens = {"input": 1_000_000, "output": 0}
    expected = pricing.calculate_cost(records.normalize_tokens(tokens), "claude-haiku-4-5")
    if expected is None:
        pytest.skip("the registry has no price for claude-haiku-4-5")
    assert make(tokens=tokens)["cost_usd"] == pytest.approx(expected)


def test_error_and_failure_are_recorded_without_secrets(monkeypatch):
    configure(monkeypatch, ANTHROPIC_API_KEY="sk-ant-secret-123456789")
    r = make(success=False, error=RuntimeError("bad key sk-ant-secret-123456789"))
    assert r["success"] is False
    assert r["metadata"]["error"] == "RuntimeError: bad key ***"
    assert make(error="plain text")["metadata"]["error"] == "plain text"


def test_hashes_of_message_lists_are_stable_and_none_without_text():
    messages = [{"role": "user", "content": "hi"}]
    assert make(prompt=messages)["prompt_hash"] == make(prompt=[{"content": "hi", "role": "user"}])["prompt_hash"]
    r = make()
    assert r["prompt_hash"] is None and r["response_hash"] is None


def test_extra_keys_are_added_but_never_replace_the_schema():
    r = make(retries=2, request_id="req_1", stream=True, model_extra={"a": 1})
    assert (r["retries"], r["request_id"], r["stream"]) == (2, "req_1", True)
    r = make(metadata={"project": "override", "ticket": "X-1"})
    assert r["metadata"]["project"] == "override" and r["metadata"]["ticket"] == "X-1"
    assert r["metadata"]["error"] is None


# ------------------------------------------------------------------ labels

def test_label_defaults_then_settings_then_keywords(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/doc-finder", "--x"])
    telemetry._process.clear()
    r = make()
    assert r["agent_name"] == "doc-finder"
    assert r["operation"] == "chat"
    assert re.fullmatch(r"[0-9a-f]{16}", r["session_id"])
    assert r["user_id"] == getpass.getuser()
    assert make()["session_id"] == r["session_id"]  # one session per process

    configure(monkeypatch, LLM_AGENT_NAME="from-env", LLM_OPERATION="search",
              LLM_SESSION_ID="sess-env", LLM_USER_ID="env-user")
    r = make()
    assert (r["agent_name"], r["operation"], r["session_id"], r["user_id"]) == (
        "from-env", "search", "sess-env", "env-user")
    r = make(agent_name="kw", operation="review", session_id="s1", user_id="u1")
    assert (r["agent_name"], r["operation"], r["session_id"], r["user_id"]) == ("kw", "review", "s1", "u1")


@pytest.mark.parametrize("argv0, name", [("tools/review.py", "review"), ("-c", "python"),
                                         ("/x/mypkg/__main__.py", "mypkg"), ("", "python")])
def test_agent_name_from_the_program(monkeypatch, argv0, name):
    monkeypatch.setattr(sys, "argv", [argv0])
    assert telemetry._program_name() == name


def test_a_new_process_gets_a_new_session():
    code = "from llm_core.telemetry import build_record as b\nprint(b(provider=None, model=None, tokens={}, duration_ms=1, success=True)['session_id'])"
    run = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: E731
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.strip()
    assert run() != run() != make()["session_id"]


# ------------------------------------------------------------------ project and git branch

def git_repo(root: Path, head: str = "ref: refs/heads/main\n") -> Path:
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text(head)
    return root


def test_project_and_branch_from_a_repository(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "spacewalker", "ref: refs/heads/feature/x\n")
    (repo / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(repo / "src" / "deep")
    assert make()["metadata"] == {"project": "spacewalker", "git_branch": "feature/x", "error": None}


def test_detached_head_gives_a_null_branch(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "proj", "3f2a9c1e0b7d4a5f6e8c9d0a1b2c3d4e5f6a7b8c\n")
    monkeypatch.chdir(repo)
    assert make()["metadata"]["git_branch"] is None
    assert make()["metadata"]["project"] == "proj"


def test_worktree_where_dot_git_is_a_file(tmp_path, monkeypatch):
    main = git_repo(tmp_path / "main-repo")
    wt_gitdir = main / ".git" / "worktrees" / "hotfix"
    wt_gitdir.mkdir(parents=True)
    (wt_gitdir / "HEAD").write_text("ref: refs/heads/hotfix-1\n")
    wt = tmp_path / "hotfix-checkout"
    wt.mkdir()
    (wt / ".git").write_text("gitdir: ../main-repo/.git/worktrees/hotfix\n")  # relative, as submodules use
    monkeypatch.chdir(wt)
    assert make()["metadata"] == {"project": "hotfix-checkout", "git_branch": "hotfix-1", "error": None}
    (wt / ".git").write_text(f"gitdir: {wt_gitdir}\n")  # absolute, as `git worktree add` writes
    telemetry._context_cache.clear()
    assert make()["metadata"]["git_branch"] == "hotfix-1"


def test_outside_a_repository_the_project_is_the_working_directory(tmp_path, monkeypatch):
    plain = tmp_path / "scratch-dir"
    plain.mkdir()
    monkeypatch.chdir(plain)
    if telemetry._find_git(plain):
        pytest.skip("the temp dir is inside a git repository")
    assert make()["metadata"] == {"project": "scratch-dir", "git_branch": None, "error": None}


def test_context_is_cached_per_working_directory(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "cached")
    monkeypatch.chdir(repo)
    assert make()["metadata"]["git_branch"] == "main"
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/other\n")
    assert make()["metadata"]["git_branch"] == "main"  # no file reads on the hot path
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    assert make()["metadata"]["project"] == "elsewhere"


# ------------------------------------------------------------------ privacy and record_call

def test_prompt_text_only_in_the_record_when_storing_prompts_is_on(monkeypatch):
    r = make(prompt="secret", response="answer")
    assert "prompt" not in r and "response" not in r
    configure(monkeypatch, LLM_STORE_PROMPTS="true")
    r = make(prompt="secret", response="answer")
    assert r["prompt"] == "secret" and "response" not in r


def test_record_call_stores_and_returns_the_record():
    record = telemetry.record_call(provider="openai", model="gpt-4o-mini", tokens={"input": 1, "output": 2},
                                   duration_ms=3, success=True, prompt="p", response="r")
    storage = get_storage()
    storage.flush()
    (stored,) = storage.query_by_date_range(record["timestamp"][:10], record["timestamp"][:10])
    assert stored == record


def test_record_call_never_raises(capsys):
    assert telemetry.record_call(provider="p") is None  # missing required fields
    assert telemetry.record_call(provider="p", model="m", tokens={"input": object()}, duration_ms="x",
                                 success=True) is not None
    assert "telemetry record not built" in capsys.readouterr().err


def test_record_call_with_an_invalid_setting_warns_and_goes_on(monkeypatch, capsys):
    configure(monkeypatch, LLM_RETENTION_DAYS="abc")
    record = telemetry.record_call(provider="p", model="m", tokens={}, duration_ms=1, success=True)
    assert record is not None
    assert "LLM_RETENTION_DAYS" in capsys.readouterr().err


def test_record_call_into_a_given_storage(tmp_path):
    storage = LocalStorage(tmp_path / "elsewhere")
    telemetry.record_call(provider="p", model="m", tokens={}, duration_ms=1, success=True, storage=storage)
    storage.flush()
    assert len(list(read_jsonl(storage.day_dirs()[0] / "telemetry.jsonl"))) == 1


# ------------------------------------------------------------------ AITelemetryTracker

def test_tracker_times_and_stores_one_operation():
    with telemetry.AITelemetryTracker(provider="anthropic", model="claude-haiku-4-5", operation="search",
                                      prompt="question", agent_name="doc-finder") as t:
        time.sleep(0.02)
        t.set_response("answer", tokens={"input": 5, "output": 7}, cost_usd=0.01)
    record = t.to_dict()
    assert record["success"] is True and record["metadata"]["error"] is None
    assert 15 <= record["duration_ms"] < 5000
    assert record["tokens"]["total"] == 12 and record["cost_usd"] == 0.01
    assert record["operation"] == "search" and record["agent_name"] == "doc-finder"
    assert record["response_hash"] == telemetry.content_hash("answer")
    get_storage().flush()
    stored = get_storage().query_by_date_range(record["timestamp"][:10], record["timestamp"][:10])
    assert stored == [record]
    assert t.send_metrics() is False  # once only


def test_tracker_records_a_failure_and_lets_it_propagate():
    with pytest.raises(ValueError), telemetry.AITelemetryTracker(provider="p", model="m") as t:
        raise ValueError("boom")
    record = t.to_dict()
    assert record["success"] is False and record["metadata"]["error"] == "ValueError: boom"
    get_storage().flush()
    assert [r["id"] for r in get_storage().iter_records()] == [record["id"]]


def test_tracker_without_with_and_when_storage_is_disabled(monkeypatch, isolated_env):
    configure(monkeypatch, LLM_TELEMETRY_STORAGE_ENABLED="false")
    t = telemetry.AITelemetryTracker(provider="p", model="m", auto_send=False).start()
    t.set_tokens(input=3)
    first = t.to_dict()
    t.set_tokens({"output": 4})
    assert t.to_dict()["tokens"]["total"] == 7
    assert (t.to_dict()["id"], t.to_dict()["timestamp"]) == (first["id"], first["timestamp"])
    assert t.send_metrics() is False
    assert not (isolated_env / "telemetry").exists()


def test_tracker_to_dict_never_carries_the_prompt_text(monkeypatch):
    configure(monkeypatch, LLM_STORE_PROMPTS="true")
    with telemetry.AITelemetryTracker(provider="p", model="m", prompt="secret") as t:
        pass
    assert "prompt" not in t.to_dict()
    storage = get_storage()
    storage.flush()
    assert storage.read_side(t.to_dict()["timestamp"][:10]) == {t.to_dict()["id"]: "secret"}
