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

from llm_core.errors import EXIT_STATUS_TABLE

ROOT = Path(__file__).resolve().parents[1]


def _scripts(pyproject: str) -> dict[str, str]:
    """[project.scripts] of pyproject.toml (`name = "module:function"` lines). Read by hand:
    tomllib is 3.11+, and the README promises 3.10."""
    section = pyproject.split("[project.scripts]\n", 1)[1].split("\n[", 1)[0]
    pairs = (line.split("=", 1) for line in section.splitlines() if "=" in line)
    return {k.strip(): v.strip().strip('"') for k, v in pairs}


SCRIPTS = _scripts((ROOT / "pyproject.toml").read_text())


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
        ("llm_core.cli.cost", ("httpx", "tiktoken", "llm_core.utils.image_tokens", "llm_core.attachments")),
        ("llm_core.cli.tokens", ("httpx", "llm_core.utils.image_tokens", "llm_core.attachments")),
        ("llm_core.cli.chat", ("llm_core.utils.image_tokens", "llm_core.attachments")),
        ("llm_core.clients.anthropic_client", ("llm_core.utils.image_tokens",)),
        # httpx's own command-line client, which httpx imports when rich and pygments are there
        ("llm_core.cli.chat, llm_core.clients.anthropic_client", ("pygments", "rich")),
        ("llm_core", ("click", "httpx", "tiktoken", "portalocker", "tabulate")),
    ],
)
def test_fast_paths_do_not_import_heavy_modules(module, forbidden):
    code = f"import sys, {module}; print(' '.join(m for m in {forbidden!r} if m in sys.modules))"
    result = _run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# Modules and names Python 3.10 lacks (the README promises 3.10+; CI runs one version).
_NEWER_MODULES = {"tomllib", "wsgiref.types"}
_NEWER_NAMES = {
    "typing": {"Self", "LiteralString", "Never", "assert_never", "reveal_type", "TypeVarTuple",
               "Unpack", "Required", "NotRequired", "override", "TypeAliasType"},
    "enum": {"StrEnum", "verify", "ReprEnum"},
    "datetime": {"UTC"},
    "asyncio": {"TaskGroup", "timeout", "Runner"},
    "contextlib": {"chdir"},
}


def _python_files() -> list[Path]:
    return [p for d in ("llm_core", "tests", "benchmarks") for p in (ROOT / d).rglob("*.py")]


def test_nothing_imports_what_python_3_10_lacks():
    import ast

    found = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found += [(path, a.name) for a in node.names if a.name in _NEWER_MODULES]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in _NEWER_MODULES:
                    found.append((path, node.module))
                newer = _NEWER_NAMES.get(node.module, set())
                found += [(path, f"{node.module}.{a.name}") for a in node.names if a.name in newer]
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.attr in _NEWER_NAMES.get(node.value.id, ())):
                found.append((path, f"{node.value.id}.{node.attr}"))
    assert not found, [f"{p.relative_to(ROOT)}: {name}" for p, name in found]


def _runs(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def test_every_module_compiles_with_python_3_10():
    """Syntax newer than 3.10 (except*, type statements, PEP 701 f-strings) fails here when a
    3.10 interpreter is at hand (pyenv's, or python3.10 on PATH)."""
    import shutil

    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = [*map(str, sorted((pyenv / "versions").glob("3.10*/bin/python"))), shutil.which("python3.10")]
    python = next((c for c in candidates if c and _runs(c)), None)
    if python is None:
        pytest.skip("no Python 3.10 interpreter on this machine")
    code = ("import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding='utf-8').read(), f, 'exec')")
    files = [str(p) for p in _python_files()]
    result = subprocess.run([python, "-c", code, *files], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
