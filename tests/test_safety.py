"""Issue 10's safety items as tests of llm-chat in a process: keys masked in fragments."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

ROOT = Path(__file__).resolve().parents[1]
CHAT = str(ROOT / "bin" / "llm-chat")
pytestmark = pytest.mark.usefixtures("prebuilt_index")


def _chat(fake: FakeProvider, *args: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "OPENAI_BASE_URL": fake.url("openai"), "OPENAI_API_KEY": KEYS["openai"],
            "LLM_MAX_RETRIES": "0", **env}
    return subprocess.run([CHAT, "-p", "openai", *args], input="", capture_output=True, text=True,
                          env=full, timeout=30, check=False)


def _errors() -> list[str]:
    out = []
    for path in Path(os.environ["LLM_TELEMETRY_DIR"]).glob("*/telemetry.jsonl"):
        out += [json.loads(x)["metadata"]["error"] for x in path.read_text().splitlines()]
    return out


def test_a_key_echoed_in_part_is_masked_in_the_error_line_and_the_record():
    prefix = KEYS["openai"][:14]  # "sk-test-012345": a 14-character piece of the key
    body = {"error": {"message": f"Incorrect API key provided: {prefix}...cdef.",
                      "type": "invalid_request_error", "code": "invalid_api_key"}}
    with FakeProvider() as fake:
        fake.replay(json.dumps(body).encode(), "application/json", status=401)
        result = _chat(fake, "hi")
    assert result.returncode == 4
    assert "Incorrect API key provided: ***...cdef." in result.stderr
    assert prefix not in result.stderr
    (error,) = _errors()
    assert "***...cdef" in error and prefix not in error


def test_a_short_key_is_masked_whole():
    body = {"error": {"message": "keys on file: sk-1234", "type": "invalid_request_error"}}
    with FakeProvider() as fake:
        fake.replay(json.dumps(body).encode(), "application/json", status=400)
        result = _chat(fake, "hi", OPENROUTER_API_KEY="sk-1234")
    assert result.returncode == 5
    assert "keys on file: ***" in result.stderr and "sk-1234" not in result.stderr
    assert all("sk-1234" not in e for e in _errors())
