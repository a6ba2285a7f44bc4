"""Write a synthetic telemetry store for benchmarks (the same generator as `llm-telemetry demo`).

    python benchmarks/make_store.py /tmp/llm-bench-store --days 30 --calls 1000000 --seed 1

The end time is fixed (2026-11-27T12:00:00Z unless --end is given) so two runs with the same
arguments write identical bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llm_core.storage.demo import write_demo
from llm_core.storage.query import parse_when

DEFAULT_END = "2026-11-27T12:00:00Z"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", default=DEFAULT_END, help="ISO time the store ends at")
    args = parser.parse_args(argv)
    if args.store.exists() and any(args.store.iterdir()):
        print(f"{args.store} is not empty; remove it first", file=sys.stderr)
        return 2
    start = time.perf_counter()
    info = write_demo(args.store, args.days, args.calls, args.seed, parse_when(args.end))
    took = time.perf_counter() - start
    print(f"wrote {info['records']:,} records, {info['bytes'] / 1e6:.0f} MB, "
          f"{info['days']} day files in {took:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
