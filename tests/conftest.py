"""Test isolation and the cram runner.

Every test runs in its own temp directory with no API keys, no LLM_* settings from the
developer's shell, and the telemetry store and config/cache paths pointed into that directory.
Every tests/cram/**/*.t transcript is collected as one pytest test.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
CRAM_DIR = Path(__file__).resolve().parent / "cram"

_SCRUBBED_PREFIXES = ("LLM_", "ANTHROPIC_", "OPENAI_", "OPENROUTER_", "OTEL_")


def clean_environ(tmp: Path) -> dict[str, str]:
    """os.environ without our settings, with every path of ours inside `tmp`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    env.pop("NO_COLOR", None)
    env.update(
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_CACHE_HOME=str(tmp / "cache"),
        LLM_TELEMETRY_DIR=str(tmp / "telemetry"),
        PATH=os.pathsep.join([str(ROOT / "bin"), os.path.dirname(sys.executable), env.get("PATH", "")]),
        PYTHONPATH=str(ROOT),
    )
    return env


def configure(monkeypatch, **env) -> None:
    """Set (or, for None, unset) LLM_* variables for one test and load the settings again."""
    from llm_core.config import reset_settings

    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, str(value))
    reset_settings()


def days_ago(n: int) -> str:
    """The UTC day n days before today, as the store names its day folders."""
    return (datetime.now(timezone.utc) - timedelta(days=n)).strftime("%Y-%m-%d")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    from llm_core.config import reset_settings
    from llm_core.errors import reset_warnings

    work = tmp_path / "work"
    work.mkdir()
    for key in list(os.environ):
        if key.startswith(_SCRUBBED_PREFIXES) or key == "NO_COLOR":
            monkeypatch.delenv(key)
    for key, value in clean_environ(tmp_path).items():
        if key not in ("PATH", "PYTHONPATH"):
            monkeypatch.setenv(key, value)
    # A test that runs bin/llm-* with os.environ gets this interpreter (and its packages) for the
    # shims' `python3`, also when pytest was started without activating its virtualenv.
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    monkeypatch.chdir(work)
    reset_settings()
    reset_warnings()  # the store warns once per process: once per test here
    yield tmp_path
    reset_settings()
    reset_warnings()


@pytest.fixture
def tz(monkeypatch):
    """Switch the process's local time zone (TZ + tzset) for one test; the caches of local
    days and hours follow it, and are reset again after the test."""
    import time

    from llm_core.report import data as report_data
    from llm_core.storage import query

    def reset() -> None:
        time.tzset()
        query.reset_local_cache()
        report_data.reset_local_cache()

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        reset()

    yield use
    monkeypatch.undo()
    reset()


@pytest.fixture
def serial_builds(monkeypatch):
    """Summary builds run in the test's own process (storage/_jobs.py), for tests whose subject
    is what the summaries answer, not the pool that builds them: forking a worker from a test
    process (and handing its summaries back) costs more CPU than building a small store's
    summaries. tests/test_cold_build.py checks that the pool writes the serial build byte for
    byte; the commands (cram transcripts, test processes) still build with their pool."""
    from llm_core.storage import _jobs

    monkeypatch.setattr(_jobs, "workers_for", lambda njobs, workers=None: 0)


@pytest.fixture
def prebuilt_index(isolated_env):
    """This test's cache dir starts with the encodings' index (for commands run as processes:
    in-process counting keeps the loaded index anyway)."""
    shutil.copytree(prebuilt_token_index(), isolated_env / "cache" / "llm-core", dirs_exist_ok=True)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Callable[..., Path]:
    """demo_store(path, days=..., calls=..., seed=..., end_ms=...): the store write_demo makes,
    written once per worker for each set of arguments and copied to `path` (files copied
    with their modes, fresh mtimes, as a new write leaves them). A demo of thousands of calls
    costs ~0.1 s to write; the tests that start from the same one are many."""
    from llm_core.storage.demo import write_demo

    made: dict[tuple, Path] = {}

    def make(path: Path, **demo: int) -> Path:
        key = tuple(sorted(demo.items()))
        if key not in made:
            made[key] = tmp_path_factory.mktemp("demo") / "store"
            write_demo(made[key], **demo)
        shutil.copytree(made[key], path, copy_function=shutil.copy)
        return path

    return make


class CliResult(NamedTuple):
    """What a command run in-process did, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run_main(main: Callable[[list[str]], int], *args: str, stdin: bytes | None = b"",
             env: dict[str, str] | None = None) -> CliResult:
    """Run a command's main() in this process, as a fresh process would see it: its own
    stdin/stdout/stderr (click's CliRunner isolation: stdin is not a terminal), settings read
    again from the environment, the store's once-per-process warnings reset. Spawning a
    Python process per call is what made the suite slow; cram transcripts keep doing that."""
    from click.testing import CliRunner

    from llm_core.config import reset_settings
    from llm_core.errors import reset_warnings

    with CliRunner().isolation(input=stdin, env=env) as (out, err, _):
        reset_settings()
        reset_warnings()
        code = main(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        result = CliResult(code, out.getvalue(), err.getvalue())
    reset_settings()
    return result


_INDEX_DIR = "PYTEST_LLM_CORE_TOKEN_INDEX"  # not LLM_*: isolated_env scrubs those


def pytest_configure(config):
    """Once, in the controlling process (not in each xdist worker): compile llm_core's bytecode,
    and make the folder where the workers share the encodings' index (prebuilt_token_index).

    The suite starts a thousand command processes (cram transcripts, multi-process tests). With
    PYTHONDONTWRITEBYTECODE set, as on this machine and in many CI images, each of them would
    compile llm_core from source again: a third of a command's start-up. Python still reads
    bytecode that exists, and recompiles (in memory) any module edited since."""
    if not hasattr(config, "workerinput"):
        import compileall
        import tempfile

        compileall.compile_dir(ROOT / "llm_core", quiet=1)
        # Where prebuilt_token_index() builds, shared by the workers (they inherit os.environ).
        os.environ[_INDEX_DIR] = tempfile.mkdtemp(prefix="llm-core-index-")
        config.add_cleanup(functools.partial(shutil.rmtree, os.environ[_INDEX_DIR], True))


def pytest_collection_modifyitems(config, items):
    """Tests marked slow first, so that none of them starts last and holds up the end of a
    parallel run (the order is the same in every xdist worker, as it must be)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".t" and CRAM_DIR in file_path.parents:
        return CramFile.from_parent(parent, path=file_path)
    return None


class CramFile(pytest.File):
    def collect(self):
        yield CramItem.from_parent(self, name=self.path.name)


class CramItem(pytest.Item):
    def runtest(self):
        import tempfile

        import cram

        if b"| jq " in self.path.read_bytes() and not shutil.which("jq"):
            pytest.skip("this transcript pipes into jq, which is not installed")

        with tempfile.TemporaryDirectory(prefix="cram-") as tmp:
            tmp_path = Path(tmp)
            env = clean_environ(tmp_path)
            shutil.copytree(prebuilt_token_index(), Path(env["XDG_CACHE_HOME"]) / "llm-core")
            env["CRAMTMP"] = tmp
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                _ref, _out, diff = cram.testfile(
                    os.fsencode(self.path), shell="/bin/bash", indent=2, cleanenv=True, env=env
                )
                lines = [line.decode("utf-8", "replace") for line in diff]
            finally:
                os.chdir(cwd)
        if lines:
            raise CramFailure("".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CramFailure):
            return f"cram transcript differs:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"cram: {self.path.relative_to(CRAM_DIR)}"


class CramFailure(Exception):
    pass


@functools.cache
def prebuilt_token_index() -> Path:
    """A cache dir holding the encodings' index, built once per test run (by the first xdist
    worker that needs it, under a lock; the others wait and reuse it). Copied into each
    transcript's empty cache dir, it spares every llm-tokens/llm-chat process in them the
    index build (most of their run time); tests/test_tokens.py tests the build itself."""
    import fcntl

    from llm_core.utils import _encodings

    shared = Path(os.environ[_INDEX_DIR])
    folder = shared / "index"
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / ".done").exists():
            for name in _encodings.ENCODING_NAMES:
                path = folder.joinpath(*_encodings.cache_path(name).parts[-2:])  # tiktoken/<file>
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_encodings.build_index(_encodings.load_source_ranks(name)))
            (shared / ".done").touch()
    return folder
