"""Every command has --help with examples, a current man page, cram transcripts and a JSON mode;
and the fast commands do not import what they do not need."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import tomllib

from llm_core.errors import EXIT_STATUS_TABLE

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(args, input=stdin, capture_output=True, text=True, check=False, env=env)


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_help_has_examples_and_exits_0(command):
    result = _run(str(ROOT / "bin" / command), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: " + command)
    assert "Examples" in result.stdout or "EXAMPLES" in result.stdout


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_man_page_and_cram_transcripts_exist(command):
    page = ROOT / "man" / f"{command}.1"
    assert page.is_file()
    assert ".SH EXIT STATUS" in page.read_text()
    assert list((ROOT / "tests" / "cram" / command).glob("*.t")), f"no cram transcript for {command}"


def test_readme_exit_codes_are_the_documented_table():
    section = (ROOT / "README.md").read_text().split("## Exit codes\n", 1)[1].split("\n## ")[0]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    assert rows[:2] == [["code", "meaning"], ["---", "---"]]
    assert [(int(code), meaning) for code, meaning in rows[2:]] == EXIT_STATUS_TABLE


def test_man_pages_are_generated_from_the_current_code():
    result = _run(sys.executable, "-m", "llm_core.cli._manpage", "--check")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_every_command_has_a_json_mode(command):
    cli = importlib.import_module(SCRIPTS[command].split(":")[0]).cli
    commands = [cli]
    if isinstance(cli, click.Group):
        commands = [cli.get_command(click.Context(cli), n) for n in cli.list_commands(click.Context(cli))]
    with_json = [c for c in commands if any("--json" in p.opts for p in c.params)]
    assert with_json, f"{command} has no --json option"


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("llm_core.cli.models", ("httpx", "tiktoken")),
        ("llm_core.cli.cost", ("httpx", "tiktoken")),
        ("llm_core.cli.tokens", ("httpx",)),
        ("llm_core", ("click", "httpx", "tiktoken", "portalocker", "tabulate")),
    ],
)
def test_fast_paths_do_not_import_heavy_modules(module, forbidden):
    code = f"import sys, {module}; print(' '.join(m for m in {forbidden!r} if m in sys.modules))"
    result = _run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
