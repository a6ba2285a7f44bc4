"""What the opt-in exporters cost the caller, and what they cost when unused.

    python benchmarks/exporters.py                       # caller-side cost per call
    python benchmarks/exporters.py --baseline /work/main # + start-up against another tree

1. Caller side: the time a call spends in telemetry's hand-over to the exporters
   (`exporters.dispatch`) with LLM_PROMETHEUS_PUSHGATEWAY and OTEL_EXPORTER_OTLP_ENDPOINT
   pointing at dead loopback ports, per call, over many echo calls; and the whole echo call
   with and without them. Target: dispatch < 1 ms per call.
2. Start-up (with --baseline): the five commands, each as a fresh process with no exporter
   set, in this tree and in the baseline tree, interleaved; medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# echo calls timed one by one (argv[1] of them), 2 ms apart: the background threads get their
# turn, as between real calls
_CALLS = r"""
client = get_client("echo")
calls = []
for i in range(int(sys.argv[1])):
    t = time.perf_counter_ns()
    client.chat(f"hello {i}")
    calls.append(time.perf_counter_ns() - t)
    time.sleep(0.002)
"""

CALLER = r"""
import statistics, sys, time
import llm_core.exporters as ex
from llm_core.clients import get_client
spent = []
real = ex.dispatch
def timed(record, storage=None):
    t = time.perf_counter_ns()
    real(record, storage)
    spent.append(time.perf_counter_ns() - t)
ex.dispatch = timed
""" + _CALLS + r"""
first, rest = spent[0], sorted(spent[1:])
print(first / 1e3, statistics.median(rest) / 1e3, rest[int(len(rest) * 0.99)] / 1e3,
      max(rest) / 1e3, statistics.median(calls) / 1e3)
"""

BASE_CALL = r"""
import statistics, sys, time
from llm_core.clients import get_client
""" + _CALLS + r"""
print(statistics.median(calls) / 1e3)
"""


def _env(tmp: str, root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LLM_", "ANTHROPIC_", "OPENAI_", "OPENROUTER_", "OTEL_"))}
    env.update(HOME=tmp, XDG_CONFIG_HOME=f"{tmp}/config", XDG_CACHE_HOME=f"{tmp}/cache",
               LLM_TELEMETRY_DIR=f"{tmp}/telemetry", PYTHONPATH=str(root), **extra)
    return env


def caller_side(calls: int) -> None:
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        base = subprocess.run([sys.executable, "-c", BASE_CALL, str(calls)], capture_output=True,
                              text=True, env=_env(tmp, ROOT), cwd=tmp, check=True)
        plain = float(base.stdout)
        cases = {
            "a dead Pushgateway": {"LLM_PROMETHEUS_PUSHGATEWAY": f"http://127.0.0.1:{_dead_port()}"},
            "a dead OTLP endpoint": {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{_dead_port()}"},
        }
        cases["both"] = {**cases["a dead Pushgateway"], **cases["a dead OTLP endpoint"]}
        print(f"caller side of {calls} echo calls (dispatch = the hand-over to the exporters):")
        for name, dead in cases.items():
            out = subprocess.run([sys.executable, "-c", CALLER, str(calls)], capture_output=True,
                                 text=True, env=_env(tmp, ROOT, **dead), cwd=tmp, check=True)
            first, median, p99, worst, call = map(float, out.stdout.split())
            print(f"  {name}: dispatch first call {first:.0f} us (starts the thread); then median"
                  f" {median:.1f} us, p99 {p99:.1f} us, max {worst:.0f} us"
                  f" [target < 1000 us: {'ok' if p99 < 1000 else 'MISSED'}];"
                  f" whole call {call / plain:.2f}x of no exporter")


COMMANDS = [
    ("llm-models list", ["llm-models", "list"], None),
    ("llm-cost -m claude-sonnet-4-6 --input 1000 --output 100",
     ["llm-cost", "-m", "claude-sonnet-4-6", "--input", "1000", "--output", "100"], None),
    ("echo short text | llm-tokens", ["llm-tokens"], b"short text\n"),
    ("echo hi | llm-chat -m echo", ["llm-chat", "-m", "echo"], b"hi\n"),
    ("llm-telemetry stats", ["llm-telemetry", "stats"], None),
]


def startup(baseline: Path, runs: int) -> None:
    print(f"\nstart-up, no exporter set: this tree vs {baseline} (medians of {runs}, interleaved)")
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        for name, argv, stdin in COMMANDS:
            times: dict[Path, list[float]] = {ROOT: [], baseline: []}
            for i in range(runs + 2):
                for root in (ROOT, baseline):
                    cmd = [sys.executable, str(root / "bin" / argv[0]), *argv[1:]]
                    t = time.perf_counter()
                    subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=_env(tmp, root), cwd=tmp, check=True)
                    if i >= 2:
                        times[root].append((time.perf_counter() - t) * 1000)
            ours, theirs = statistics.median(times[ROOT]), statistics.median(times[baseline])
            print(f"  {name:<55} {ours:6.1f} ms vs {theirs:6.1f} ms  ratio {ours / theirs:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare start-up with")
    args = parser.parse_args(argv)
    caller_side(args.calls)
    if args.baseline:
        startup(args.baseline.resolve(), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
