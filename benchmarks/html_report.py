"""Time `llm-telemetry report --html` against the plain report commands over the same window,
and measure the page's size.

    python benchmarks/html_report.py                          # /tmp/llm-bench-store: 1M records, 30 days
    python benchmarks/html_report.py --store /tmp/year --days 365 --calls 1000000

Builds the store once (benchmarks/make_store.py), reads it once so its summaries exist, then
prints warm medians: in-process (collect, the page's data, the HTML) and as commands (process
start included), each as a ratio to `costs --by day` and `performance` over the same window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports import timed  # noqa: E402  (benchmarks/reports.py: the median of runs)

from llm_core.report import render_html, report_data  # noqa: E402
from llm_core.storage import day_summaries, query  # noqa: E402

NOW = "2026-11-27T12:00:00Z"


def command_time(args: list[str], runs: int, env: dict) -> float:
    def run() -> None:
        subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), *args], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    return timed(run, runs)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/llm-bench-store"))
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30, help="days in the store and in the window")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    store = args.store
    if not day_summaries.day_files(store):
        print(f"building {store} ({args.calls:,} records over {args.days} days) ...", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_store.py"), str(store),
                        "--days", str(args.days), "--calls", str(args.calls), "--end", NOW], check=True)
    now = query.parse_when(NOW)
    window = query.last_days(args.days, now)
    query.collect(store, window)  # summaries built: everything below is warm
    records = query.stats_report(query.collect(store, window), window)["totals"]["calls"]
    print(f"store: {store}, {records:,} records in a window of the last {args.days} days")

    filters = query.Filters()
    t_collect, col = timed(lambda: query.collect(store, window, filters, need_slots=True), args.runs)
    t_data, data = timed(lambda: report_data(col, window, filters, now), args.runs)
    t_html, page = timed(lambda: render_html(data), args.runs)
    t_costs, _ = timed(lambda: query.costs_report(
        query.collect(store, window, filters, need_slots=True), window, filters, by="day"), args.runs)
    t_perf, _ = timed(lambda: query.performance_report(
        query.collect(store, window, filters), window, filters), args.runs)
    total = t_collect + t_data + t_html
    print(f"\nin-process, warm, median of {args.runs}")
    print(f"  collect (summaries, with slots)  {t_collect:7.3f} s")
    print(f"  the page's data (all reports)    {t_data:7.3f} s")
    print(f"  the HTML                         {t_html:7.3f} s")
    print(f"  report, all of it                {total:7.3f} s   {total / t_costs:4.1f}x costs --by day, "
          f"{total / t_perf:4.1f}x performance")
    print(f"  costs --by day                   {t_costs:7.3f} s")
    print(f"  performance                      {t_perf:7.3f} s")

    env = {**os.environ, "LLM_TELEMETRY_DIR": str(store), "LLM_TELEMETRY_NOW": NOW, "PYTHONPATH": str(ROOT)}
    days = ["--days", str(args.days)]
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "report.html")
        c_report = command_time(["report", *days, "--html", out], args.runs, env)
        size = Path(out).stat().st_size
    c_costs = command_time(["costs", "--by", "day", *days, "--json"], args.runs, env)
    c_perf = command_time(["performance", *days, "--json"], args.runs, env)
    print(f"\ncommands, warm, median of {args.runs} (process start included)")
    print(f"  report --html FILE               {c_report:7.3f} s   {c_report / c_costs:4.1f}x costs --by day, "
          f"{c_report / c_perf:4.1f}x performance")
    print(f"  costs --by day --json            {c_costs:7.3f} s")
    print(f"  performance --json               {c_perf:7.3f} s")
    print(f"\npage: {size / 1000:.0f} KB for {len(data['days'])} days (the in-process page: "
          f"{len(page.encode()) / 1000:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
