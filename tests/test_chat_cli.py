"""llm-chat's stdout, stderr and exit codes apart, against the fake provider: run in-process
through its main() (conftest.run_main: the same error layer, its own stdin/stdout/stderr), and
as a process where a signal is the point."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import run_main
from fake_provider import KEYS, FakeProvider

from llm_core.cli.chat import main

ROOT = Path(__file__).resolve().parents[1]
CHAT = str(ROOT / "bin" / "llm-chat")


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


def env_for(fake=None, **extra):
    env = dict(os.environ)
    if fake is not None:
        env.update(
            ANTHROPIC_BASE_URL=fake.url("anthropic"), OPENAI_BASE_URL=fake.url("openai"),
            OPENROUTER_BASE_URL=fake.url("openrouter"), ANTHROPIC_API_KEY=KEYS["anthropic"],
            OPENAI_API_KEY=KEYS["openai"], OPENROUTER_API_KEY=KEYS["openrouter"],
        )
    env.update(extra)
    return env


class Result(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run(*args, stdin=None, env=None):
    result = run_main(main, *args, stdin=(stdin or "").encode(), env=env)
    return Result(result.returncode, result.stdout.decode(), result.stderr.decode())


def records():
    lines = []
    for path in Path(os.environ["LLM_TELEMETRY_DIR"]).glob("*/telemetry.jsonl"):
        lines += [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    return lines


def test_echo_quick_start_needs_no_key_and_records_the_call():
    result = run("-m", "echo", stdin="hi\n")
    assert (result.returncode, result.stdout, result.stderr) == (0, "hi\n", "")
    (record,) = records()
    assert record["provider"] == "echo" and record["cost_usd"] == 0.0 and record["success"]


def test_stdin_then_arguments(fake):
    result = run("--no-stream", "write a message", stdin="the diff\n", env=env_for(fake))
    assert result.stdout == "You said: the diff\n\nwrite a message\n"
    assert fake.requests[-1]["body"]["messages"][0]["content"] == "the diff\n\nwrite a message"


def test_flags_reach_the_request(fake):
    result = run("-s", "sys", "--max-tokens", "7", "--temperature", "0.5", "--agent", "hook",
                 "--operation", "commit-msg", "--session", "s-1", "--no-stream", "x", env=env_for(fake))
    assert result.returncode == 0, result.stderr
    body = fake.requests[-1]["body"]
    assert (body["system"], body["max_tokens"], body["temperature"]) == ("sys", 7, 0.5)
    (record,) = records()
    assert (record["agent_name"], record["operation"], record["session_id"]) == ("hook", "commit-msg", "s-1")


def test_json_is_one_object(fake):
    result = run("--json", "2+2?", env=env_for(fake))
    data = json.loads(result.stdout)
    assert data["text"] == "You said: 2+2?" and data["provider"] == "anthropic"
    assert {"model", "tokens", "cost_usd", "duration_ms"} <= set(data)


def test_cache_flag_sends_piped_text_as_a_cacheable_block(fake):
    doc = "A long design document. " * 900
    env = env_for(fake)
    first = run("--cache", "-m", "claude-sonnet-4-6", "--json", "what is open?", stdin=doc, env=env)
    second = run("--cache", "-m", "claude-sonnet-4-6", "--json", "what is done?", stdin=doc, env=env)
    content = fake.requests[-1]["body"]["messages"][0]["content"]
    assert content[0]["cache_control"] == {"type": "ephemeral"} and "cache_control" not in content[1]
    assert json.loads(first.stdout)["tokens"]["cache_write"] > 0
    assert json.loads(second.stdout)["tokens"]["cache_read"] > 0


@pytest.mark.parametrize(
    ("scenario", "code", "message"),
    [("401", 4, "authentication_error"), ("garbage", 6, "not JSON"), ("500-always", 6, "api_error")],
)
def test_errors_are_one_line_with_their_exit_code(fake, scenario, code, message):
    fake.set_scenario(scenario)
    result = run("--no-stream", "hi", env=env_for(fake, LLM_MAX_RETRIES="0"))
    assert result.returncode == code
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_no_key_and_no_prompt():
    result = run("hi")
    assert result.returncode == 4 and "ANTHROPIC_API_KEY" in result.stderr
    result = run()
    assert result.returncode == 2 and "expected a prompt" in result.stderr


def test_debug_shows_a_traceback_without_the_key(fake):
    result = run("--debug", "hi", env=env_for(fake, ANTHROPIC_API_KEY="sk-ant-nope-0000000000"))
    assert result.returncode == 4
    assert "Traceback" in result.stderr and "sk-ant-nope-0000000000" not in result.stderr


@pytest.mark.parametrize("scenario", ["slow", "slow-stream"])
@pytest.mark.usefixtures("prebuilt_index")  # the process counts tokens: no index build in it
def test_ctrl_c_exits_130_and_still_records(fake, scenario):
    """Before the answer starts ('slow') and mid-stream, after the first words ('slow-stream').
    A real process: SIGINT reaches it as it reaches a user's llm-chat."""
    fake.set_scenario(scenario)
    fake.delay = 5
    # SIGINT as a terminal's user has it: a run started in the background by a
    # non-interactive shell (a CI script's `&`) would hand the child an ignored SIGINT.
    proc = subprocess.Popen([CHAT, "one two three"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env_for(fake),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if scenario == "slow-stream":
        assert proc.stdout.read(4) == b"You "  # flushed as it arrived
    else:
        deadline = time.monotonic() + 10
        while not fake.requests and time.monotonic() < deadline:
            time.sleep(0.02)
    time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert b"Interrupted" in err and b"Traceback" not in err
    (record,) = records()
    assert record["success"] is False and record["metadata"]["error"] == "interrupted"
    assert record["stream"] is True
