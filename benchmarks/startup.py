"""Whole-process start-up times of the fast commands, against `python -c pass`.

    python benchmarks/startup.py            # 21 runs each, medians and ratios
    python benchmarks/startup.py --runs 51

Each command runs as a fresh process (the way a git hook or a Makefile runs it) through the
bin/ shims, with stdout and stderr discarded, HOME/XDG_* pointed at an empty temp dir and no
LLM_* or API key variables. Targets (issue 3, section 5): llm-models --help, llm-models list
and llm-cost -m M --input 1000 --output 100 within 80 ms; echo short text | llm-tokens within
150 ms (median wall time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "bin"

CASES = [
    ("python -c pass", [sys.executable, "-c", "pass"], None, None),
    ("llm-models --help", [sys.executable, str(BIN / "llm-models"), "--help"], None, 80),
    ("llm-models list", [sys.executable, str(BIN / "llm-models"), "list"], None, 80),
    ("llm-cost -m claude-sonnet-4-6 --input 1000 --output 100",
     [sys.executable, str(BIN / "llm-cost"), "-m", "claude-sonnet-4-6", "--input", "1000", "--output", "100"],
     None, 80),
    ("echo short text | llm-tokens", [sys.executable, str(BIN / "llm-tokens")], b"short text\n", 150),
]


def clean_env(tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LLM_", "ANTHROPIC_", "OPENAI_", "OPENROUTER_"))}
    env.update(HOME=tmp, XDG_CONFIG_HOME=f"{tmp}/config", XDG_CACHE_HOME=f"{tmp}/cache",
               LLM_TELEMETRY_DIR=f"{tmp}/telemetry")
    return env


def enter_clean_env(tmp: str) -> dict[str, str]:
    """Make this process's environment clean_env(tmp) and its working directory tmp (for the
    benchmarks that call the library in-process); returns the environment."""
    env = clean_env(tmp)  # none of the user's settings, keys or config files
    os.environ.clear()
    os.environ.update(env)
    os.chdir(tmp)
    return env


def measure(argv: list[str], stdin: bytes | None, runs: int, env: dict[str, str], cwd: str) -> list[float]:
    times = []
    for i in range(runs + 2):  # two warm-up runs fill the OS page cache (and llm-tokens' own cache)
        start = time.perf_counter()
        proc = subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=env, cwd=cwd, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()[:300]}")
        if i >= 2:
            times.append(elapsed * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        env = clean_env(tmp)
        results = []
        for name, cmd, stdin, target in CASES:
            times = measure(cmd, stdin, args.runs, env, tmp)
            results.append((name, statistics.median(times), min(times), target))
    base = results[0][1]
    width = max(len(r[0]) for r in results)
    print(f"{'command'.ljust(width)}  median     min  x python  target")
    failed = 0
    for name, median, fastest, target in results:
        verdict = ""
        if target is not None:
            ok = median <= target
            failed += not ok
            verdict = f"<= {target} ms {'ok' if ok else 'MISSED'}"
        print(f"{name.ljust(width)}  {median:5.1f} ms {fastest:5.1f} ms  {median / base:6.2f}x  {verdict}")
    print(f"\n{args.runs} runs each, python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
