"""Every ```sh example of the README runs, as written, in a clean store and a clean git clone.

The examples before "## With a key" run without any key (the quick start promises that);
the later ones run against tests/fake_provider.py standing in for the providers. Only lines
that cannot run here are left out, each for a reason named in SKIP_LINES.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import clean_environ
from fake_provider import KEYS, FakeProvider

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
KEYS_FROM = README.index("\n## With a key")


def _needs(module: str) -> bool:
    return importlib.util.find_spec(module) is None


# (pattern, why it cannot run here): the line is dropped from its block.
SKIP_LINES = [
    (r"^pip install", "installing is what the test run itself stands on"),
    (r"^pytest", "this is the test run"),
    (r"localhost:11434", "needs a local Ollama server"),
    *([(r"llm-telemetry sql|--format parquet", "needs the sql extra (DuckDB)")] if _needs("duckdb") else []),
    *([(r"--format xlsx", "needs the excel extra (openpyxl)")] if _needs("openpyxl") else []),
    *([(r"\| jq ", "needs jq")] if shutil.which("jq") is None else []),
]


def _blocks() -> list[tuple[int, str, bool]]:
    """(line number, block text, whether it runs with keys) of every ```sh block."""
    out = []
    for match in re.finditer(r"```sh\n(.*?)```", README, re.S):
        line = README.count("\n", 0, match.start()) + 1
        out.append((line, match.group(1), match.start() > KEYS_FROM))
    return out


def _runnable(block: str) -> str:
    assert "/tmp/" not in block, "an example writing a fixed /tmp path would collide with itself"
    lines = block.replace("\\\n", " ").splitlines()
    return "\n".join(x for x in lines if not any(re.search(p, x.strip()) for p, _ in SKIP_LINES))


def _clone(work: Path, env: dict[str, str]) -> None:
    """A clean clone's state: a git repository with the README and one staged change."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=work, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    shutil.copy(ROOT / "README.md", work / "README.md")
    (work / "design.md").write_text("# Design\n\nOpen question: which store format?\n")
    git("add", ".")
    git("commit", "-q", "-m", "init")
    (work / "design.md").write_text("# Design\n\nOpen question: which store format? JSONL.\n")
    git("add", "design.md")


@pytest.mark.parametrize(("line", "block", "with_keys"), _blocks(), ids=lambda v: str(v) if isinstance(v, int) else "")
@pytest.mark.usefixtures("prebuilt_index")
def test_readme_example_runs(isolated_env, line, block, with_keys):
    script = _runnable(block)
    if not script.strip():
        pytest.skip("nothing in this block can run here")
    env = clean_environ(isolated_env)
    work = isolated_env / "clone"
    work.mkdir()
    (isolated_env / "tmp").mkdir()
    env["TMPDIR"] = str(isolated_env / "tmp")  # mktemp in an example stays in the test's folder
    _clone(work, env)
    with FakeProvider() as fake:
        if with_keys:
            env.update(ANTHROPIC_BASE_URL=fake.url("anthropic"), OPENAI_BASE_URL=fake.url("openai"),
                       OPENROUTER_BASE_URL=fake.url("openrouter"), ANTHROPIC_API_KEY=KEYS["anthropic"],
                       OPENAI_API_KEY=KEYS["openai"], OPENROUTER_API_KEY=KEYS["openrouter"])
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env,
                                capture_output=True, text=True, timeout=300, check=False)
    context = f"README.md line {line}:\n{script}\n--- stderr:\n{result.stderr}"
    assert result.returncode == 0, context
    assert "Error:" not in result.stderr and "Traceback" not in result.stderr, context
