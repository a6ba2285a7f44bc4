"""What a budget costs the caller: the check alone, and a whole call with and without budgets.

    python benchmarks/budget.py [--records 1000000] [--calls 200]

1. The check alone (llm_core.budgets.reserve + settle, the lock, the state file, the records
   appended since the last check) on a store of --records records over the last 30 days: the
   first check (it reads the day summaries, building those that are missing) and the median of
   the next ones, at 22:00 on the last day of a month (the month's window holds 30 day files:
   the worst case), with daily + monthly budgets, then with three scoped budgets of budgets.toml
   added (an agent's week, a project and model's month, a model's day): its first check reads
   the summaries' (combo, slot) groups. Target: <= 1 ms.
2. Per call against the fake provider (its own process): `client.chat()` without a budget,
   with daily + monthly budgets, with those and the scoped budgets, and with max_cost only;
   medians and ratios to no budget.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from startup import enter_clean_env  # noqa: E402  (benchmarks/startup.py)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


BUDGET_ENV = {"LLM_BUDGET_DAILY_USD": "1e6", "LLM_BUDGET_MONTHLY_USD": "1e6"}
SCOPED = """
[[budget]]
name = "bot"
agent = "commit-writer"
window = "week"
limit_usd = 1e6

[[budget]]
name = "opus-here"
project = "spacewalker"
model = "claude-opus-4-1"
window = "month"
limit_usd = 1e6

[[budget]]
name = "haiku"
model = "claude-haiku-4-5"
window = "day"
limit_usd = 1e6
"""
CALL = {"project": "spacewalker", "agent": "commit-writer", "model": "claude-haiku-4-5"}


def write_scoped(config_home: Path) -> None:
    (config_home / "llm-core").mkdir(parents=True, exist_ok=True)
    (config_home / "llm-core" / "budgets.toml").write_text(SCOPED)


def month_end_ms() -> int:
    """22:00 local on the last day of the previous month."""
    from datetime import date, datetime, timedelta

    last = date.today().replace(day=1) - timedelta(days=1)
    return int(datetime(last.year, last.month, last.day, 22).timestamp() * 1000)


def checks_of(store: Path, settings, call, checks: int, clock: int) -> tuple[float, float]:
    """(first check, median of the next ones), in ms, as if it were `clock`."""
    from llm_core import budgets

    t = time.perf_counter()
    budgets.reserve(store, settings, 0.01, "first", clock, 60_000, call)
    budgets.settle(store, "first")
    first = time.perf_counter() - t
    samples = []
    for i in range(checks):
        t = time.perf_counter()
        budgets.reserve(store, settings, 0.01, f"r{i}", clock, 60_000, call)
        budgets.settle(store, f"r{i}")
        samples.append(time.perf_counter() - t)
    return first * 1000, median_ms(samples)


def check_alone(store: Path, records: int, checks: int, config_home: Path) -> tuple[float, tuple, tuple]:
    from llm_core.config import load_settings
    from llm_core.storage.demo import write_demo

    clock = month_end_ms()
    t = time.perf_counter()
    write_demo(store, 30, records, 1, clock - 60_000)
    wrote = time.perf_counter() - t
    plain = checks_of(store, load_settings(dict(BUDGET_ENV)), None, checks, clock)
    write_scoped(config_home)
    scoped_settings = load_settings({**BUDGET_ENV, "XDG_CONFIG_HOME": str(config_home)})
    assert len(__import__("llm_core.budgets").budgets.budgets(scoped_settings)) == 5
    scoped = checks_of(store, scoped_settings, CALL, checks, clock)
    return wrote, plain, scoped


def per_call(port: int, calls: int) -> dict[str, float]:
    """Median chat() time per kind, in blocks of 20 calls taken in turn (one client per kind,
    so connections stay alive; settings are re-read between blocks)."""
    from fake_provider import KEYS

    from llm_core.clients.anthropic_client import AnthropicClient
    from llm_core.config import reset_settings
    from llm_core.storage.local import get_storage

    scoped_env = {**BUDGET_ENV, "XDG_CONFIG_HOME": os.environ["BENCH_SCOPED_CONFIG"]}
    kinds = {"none": ({}, {}), "budgets": (BUDGET_ENV, {}), "scoped": (scoped_env, {}),
             "max_cost": ({}, {"max_cost": 1.0})}
    base = f"http://127.0.0.1:{port}"
    clients = {k: AnthropicClient("claude-haiku-4-5", api_key=KEYS["anthropic"], base_url=base)
               for k in kinds}
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for block in range(calls // 20 + 1):  # the first block of each kind warms up
        for kind, (env, extra) in kinds.items():
            for key in scoped_env:
                os.environ.pop(key, None)
            os.environ.update(env)
            reset_settings()
            get_storage()
            for _ in range(20):
                t = time.perf_counter()
                clients[kind].chat("Write a commit message for: fix typo", max_tokens=200, **extra)
                if block:
                    times[kind].append(time.perf_counter() - t)
    get_storage().flush()
    return {k: median_ms(v) for k, v in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        enter_clean_env(tmp)
        config_home = Path(tmp) / "scoped-config"
        wrote, plain, scoped = check_alone(Path(tmp) / "big-store", args.records, args.checks, config_home)
        print(f"check alone on a store of {args.records:,} records (written in {wrote:.0f} s):")
        for label, (first, warm) in (("daily+monthly", plain), ("+ 3 scoped", scoped)):
            print(f"  {label}: first {first:.1f} ms (day summaries), then median {warm:.3f} ms "
                  f"(target <= 1 ms): {'OK' if warm <= 1 else 'OVER'}")
        print(f"  scoped / daily+monthly: first {scoped[0] / plain[0]:.2f}x, then {scoped[1] / plain[1]:.2f}x")
        os.environ["BENCH_SCOPED_CONFIG"] = str(config_home)
        proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_provider.py")],
                                stdout=subprocess.PIPE, text=True)
        try:
            port = int(proc.stdout.readline())
            med = per_call(port, args.calls)
        finally:
            proc.terminate()
            proc.wait()
    print(f"per call ({args.calls} calls each, medians): no budget {med['none']:.3f} ms, "
          f"daily+monthly budgets {med['budgets']:.3f} ms (ratio {med['budgets'] / med['none']:.2f}x), "
          f"+ 3 scoped budgets {med['scoped']:.3f} ms (ratio {med['scoped'] / med['none']:.2f}x), "
          f"max_cost only {med['max_cost']:.3f} ms (ratio {med['max_cost'] / med['none']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
