"""The telemetry record: schema, ids, time, hashes, labels, git context, privacy, tracker."""

from __future__ import annotations

import hashlib
import re

import orjson

from llm_core import telemetry

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
