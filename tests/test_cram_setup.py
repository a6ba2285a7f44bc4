"""tests/cram/_setup.sh leaves no fake provider running after a transcript: not when the
transcript starts several (the EXIT trap once forgot all but the last), not when its shell is
killed before the trap can run (the server notices it was orphaned and stops)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from conftest import clean_environ

CRAM = Path(__file__).resolve().parent / "cram"


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan waits for init to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: alive as far as we can tell


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _gone(servers: list[tuple[int, int]], within: float = 5.0) -> list[tuple[int, int]]:
    deadline = time.monotonic() + within
    left = servers
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [(pid, port) for pid, port in left if _running(pid) or _listening(port)]
    return left


def _shell(script: str, tmp: Path) -> subprocess.Popen:
    env = clean_environ(tmp)
    env["TESTDIR"] = str(CRAM / "llm-chat")
    setup = f'. "{CRAM / "_setup.sh"}"\n'
    return subprocess.Popen(["bash", "-c", setup + script], cwd=tmp, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _servers(out: str) -> list[tuple[int, int]]:
    return [(int(pid), int(port)) for pid, port in (line.split() for line in out.splitlines())]


def test_every_server_a_transcript_started_stops_with_its_shell(isolated_env):
    shell = _shell("""
start_fake_provider --scenario ping-forever; echo "$FAKE_PROVIDER_PID $FAKE_PORT"
start_fake_provider; echo "$FAKE_PROVIDER_PID $FAKE_PORT"
""", isolated_env)
    out, err = shell.communicate(timeout=30)
    servers = _servers(out)
    assert len(servers) == 2 and shell.returncode == 0, err
    assert _gone(servers) == []


def test_a_server_stops_when_its_shell_dies_without_running_its_trap(isolated_env):
    shell = _shell('start_fake_provider; echo "$FAKE_PROVIDER_PID $FAKE_PORT"; sleep 60',
                   isolated_env)
    line = shell.stdout.readline()
    servers = _servers(line)
    assert len(servers) == 1 and _listening(servers[0][1])
    shell.kill()  # SIGKILL: bash runs no EXIT trap
    shell.wait(timeout=10)
    assert _gone(servers) == []
