"""Reports over many stores against one store of the same total size.

    python benchmarks/stores.py                     # 20 stores x 10,000 calls vs 1 x 200,000
    python benchmarks/stores.py --stores 20 --calls 100000

Both sides are demo stores over 30 days with their summaries already built (the steady state),
read at a fixed "now" (LLM_TELEMETRY_NOW): the window is the same on any date. Timed:
`llm-telemetry projects --days 30` as a fresh process (--all-under the 20, or LLM_TELEMETRY_DIR
the one; the two alternate), and the library's collect_many() against collect_store() (what
a report over one store calls) and collect() (the per-day summaries alone), as projects
reads them (no slots, no latencies), and collect_many() with the commands' cache of the
stores' result (storage/stores_cache.py). Medians, the ratios and their
targets (issue 12: over 20 stores as fast as over one of the same total size).

Then `projects --days 30` again with one new call in the store each run reads, before each run
(the one store, or the first of the 20): a team's stores change between two reports.

Then the same over stores three times as long (90 days, three times the calls: the single
store is past store_cache.MAX_CALLS, the 20 are not) with `projects --days 90`, a window holding
whole closed months (on any date after the stores' last day), where a big store answers from
its month roll-ups and small ones from their caches of settled days.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from llm_core.storage.demo import write_demo  # noqa: E402
from llm_core.storage.multi import collect_many, find_stores  # noqa: E402
from llm_core.storage.query import collect, projects_report  # noqa: E402
from llm_core.storage.store_cache import collect_store  # noqa: E402
from llm_core.storage.windows import Window, report_window  # noqa: E402

NOW = 1_796_040_000_000  # 2026-11-30T12:00Z: the stores' last call, and the commands' "now"


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _interleaved_ms(one, other, runs: int) -> tuple[float, float]:
    """Both medians, the runs alternating: a machine getting busier slows both sides alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in zip((one, other), times, strict=True):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def _cli_ratio(tmp: str, single: Path, many_root: Path, days: int, runs: int,
               after_a_call: bool = False) -> tuple[float, float]:
    """`projects --days N` as fresh processes, one store against the stores below many_root.

    after_a_call: before each run, one new call (now) in the store that run reads (the one,
    or the first of the many), the way a team's stores change between two reports. The clock
    is then the real one: the settled days are those before the real today."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLM_")}
    env.update(HOME=tmp, XDG_CACHE_HOME=f"{tmp}/xdg-cache", PYTHONPATH=str(ROOT),
               LLM_TELEMETRY_DIR=str(single))
    if not after_a_call:
        env["LLM_TELEMETRY_NOW"] = "2026-11-30T12:00:00Z"
    tool = [sys.executable, str(ROOT / "bin" / "llm-telemetry"), "projects", "--days", str(days)]
    first = many_root / "p0" / ".llm-telemetry"

    def run(extra, store):
        if after_a_call:
            _record_a_call(store)
        subprocess.run([*tool, *extra], env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)

    run([], single), run(["--all-under", str(many_root)], first)  # the summaries and caches left
    return _interleaved_ms(lambda: run([], single),
                           lambda: run(["--all-under", str(many_root)], first), runs)


def _record_a_call(store: Path) -> None:
    """Append one call, stamped now, to today's day file: a demo record with a new time."""
    last = max(p for p in store.iterdir() if p.name[:2] == "20")
    with open(last / "telemetry.jsonl", "rb") as f:
        record = json.loads(f.readline())
    now = datetime.now(timezone.utc)
    record["timestamp"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    today = store / now.strftime("%Y-%m-%d")
    today.mkdir(exist_ok=True)
    with open(today / "telemetry.jsonl", "a") as f:
        f.write(json.dumps(record) + "\n")


def _write(tmp: Path, name: str, stores: int, calls: int, days: int) -> tuple[Path, Path]:
    many_root, single = tmp / name / "src", tmp / name / "single"
    for i in range(stores):
        write_demo(many_root / f"p{i}" / ".llm-telemetry", days, calls // stores, i, NOW)
    write_demo(single, days, calls, 99, NOW)
    return many_root, single


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--calls", type=int, default=200_000, help="in all, on each side, per 30 days")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        many_root, single = _write(Path(tmp), "30", args.stores, args.calls, 30)
        stores = find_stores(many_root)
        # The window of `projects --days 30` at NOW, which the commands get too: the same
        # summaries, roll-ups or caches answer both, whatever the date the benchmark runs on.
        window = report_window(NOW, None, 30, None, None)
        one = projects_report(collect(single, Window()), Window())  # builds the summaries
        many = projects_report(collect_many(stores, Window())[0], Window())
        assert sum(p["calls"] for p in one["projects"]) == sum(p["calls"] for p in many["projects"])
        collect_store(single, window)  # the settled days' caches, as the first report leaves them
        for store in stores:
            collect_store(store, window)
        # What `projects` reads: no slots, no latencies (it shows no percentile).
        lib_one = _median_ms(lambda: collect_store(single, window, need_slots=False, need_latencies=False),
                             args.runs)
        lib_days = _median_ms(lambda: collect(single, window, need_slots=False), args.runs)
        lib_many = _median_ms(lambda: collect_many(stores, window, need_slots=False, need_latencies=False),
                              args.runs)
        cache_dir = Path(tmp) / "cache"  # what the commands pass: $XDG_CACHE_HOME/llm-core
        lib_cached = _median_ms(lambda: collect_many(stores, window, need_slots=False, need_latencies=False,
                                                     cache_dir=cache_dir), args.runs)
        cli_one, cli_many = _cli_ratio(tmp, single, many_root, 30, args.runs)
        call_one, call_many = _cli_ratio(tmp, single, many_root, 30, args.runs, after_a_call=True)
        long_root, long_single = _write(Path(tmp), "90", args.stores, 3 * args.calls, 90)
        long_one, long_many = _cli_ratio(tmp, long_single, long_root, 90, args.runs)
    print(f"{args.stores} stores vs 1 store, {args.calls:,} calls on each side, summaries built:")
    print(f"  llm-telemetry projects          {cli_many:7.1f} ms vs {cli_one:7.1f} ms  "
          f"ratio {cli_many / cli_one:5.2f}  (target <= 1.10)")
    print(f"  the same, one new call before each ({call_many:.1f} ms vs {call_one:.1f} ms)  "
          f"ratio {call_many / call_one:5.2f}  (target <= 1.10; real clock)")
    print(f"  collect_many vs collect_store   {lib_many:7.1f} ms vs {lib_one:7.1f} ms  "
          f"ratio {lib_many / lib_one:5.2f}  (no cache of stores: each store's own caches)")
    print(f"  collect_many, cache of stores   {lib_cached:7.1f} ms vs {lib_one:7.1f} ms  "
          f"ratio {lib_cached / lib_one:5.2f}  (its day files checked, one file read)")
    print(f"  collect_many vs collect         {lib_many:7.1f} ms vs {lib_days:7.1f} ms  "
          f"ratio {lib_many / lib_days:5.2f}  (one store without its cache of settled days)")
    print(f"90 days, {3 * args.calls:,} calls on each side, whole closed months in the window:")
    print(f"  llm-telemetry projects --days 90 {long_many:6.1f} ms vs {long_one:7.1f} ms  "
          f"ratio {long_many / long_one:5.2f}  (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
