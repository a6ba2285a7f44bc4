"""Time the llm-telemetry reports against a full orjson scan and DuckDB over the same files.

    pip install -e '.[bench]'            # duckdb, for the comparison only
    python benchmarks/reports.py         # builds /tmp/llm-bench-store once (1M records, 30 days)
    python benchmarks/reports.py --store /tmp/other --calls 200000 --runs 7
    python benchmarks/reports.py --store /tmp/year --calls 10000000 --days 365 --window-days 0

Issue 13's targets (a year, 10M records; --window-days 0 reports over all of it) are printed
at the end with the figures measured in this run: every report warm as a command <= 0.3 s,
the first report <= 1.5x DuckDB's typed scan, peak memory <= 150 MB (a command and its
worker processes together), summaries <= 5% of the store, every report identical to the
full scan.

Prints, for a 30-day window: the first report on a never-read store (cold: summaries built),
the warm median of every report in-process and as a command (process start included), and
the baselines: orjson parse only, an orjson full-scan report (the reference the tests
compare with), DuckDB read_json with declared columns. Also checks that every summarised
report equals the full-scan one, and that DuckDB agrees on the totals.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from llm_core.storage import day_summaries as index  # noqa: E402
from llm_core.storage import query  # noqa: E402

NOW = "2026-11-27T12:00:00Z"
REPORTS = {
    "stats": (query.stats_report, False, ["stats", "month"]),
    "costs": (query.costs_report, False, ["costs"]),
    "costs --by day": (lambda c, w, f: query.costs_report(c, w, f, by="day"), True, ["costs", "--by", "day"]),
    "models": (query.models_report, False, ["models"]),
    "agents": (query.agents_report, False, ["agents"]),
    "projects": (query.projects_report, False, ["projects"]),
    "performance": (query.performance_report, False, ["performance"]),
    "patterns": (query.patterns_report, True, ["patterns"]),
}


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def parse_only(store: Path) -> int:
    n = 0
    loads = orjson.loads
    for _day, path in index.day_files(store):
        for line in path.read_bytes().split(b"\n"):
            if line:
                loads(line)
                n += 1
    return n


def lean_scan_stats(store: Path, window: query.Window) -> dict:
    """The least a hand-written orjson full scan does for `stats`: calls, tokens, cost, p95."""
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(window.start / 1000))
    until = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(window.end / 1000))
    loads, calls, tokens, cost, durations = orjson.loads, 0, 0, 0.0, []
    for _day, path in index.day_files(store):
        for line in path.read_bytes().split(b"\n"):
            if not line:
                continue
            r = loads(line)
            if not since <= r["timestamp"] < until:
                continue
            calls += 1
            tokens += r["tokens"]["total"]
            cost += r["cost_usd"] or 0.0
            if r["duration_ms"] is not None:
                durations.append(r["duration_ms"])
    durations.sort()
    return {"calls": calls, "tokens": tokens, "cost": cost,
            "p95": durations[max(0, -(-95 * len(durations) // 100) - 1)] if durations else None}


def duckdb_stats(store: Path, window: query.Window) -> dict:
    import duckdb

    con = duckdb.connect()
    columns = {
        "timestamp": "TIMESTAMP", "model": "VARCHAR", "agent_name": "VARCHAR", "operation": "VARCHAR",
        "provider": "VARCHAR", "duration_ms": "DOUBLE", "cost_usd": "DOUBLE", "success": "BOOLEAN",
        "tokens": "STRUCT(input BIGINT, output BIGINT, total BIGINT, cache_read BIGINT, cache_write BIGINT)",
        "metadata": "STRUCT(project VARCHAR)",
    }
    cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
    files = str(store / "*" / "telemetry.jsonl")
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(window.start / 1000))
    until = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(window.end / 1000))
    sql = f"""
        select count(*), sum(tokens.total), sum(cost_usd), count(*) - count(cost_usd),
               quantile_disc(duration_ms, 0.5), quantile_disc(duration_ms, 0.95),
               quantile_disc(duration_ms, 0.99)
        from read_json('{files}', format='newline_delimited', columns={cols})
        where timestamp >= '{since}' and timestamp < '{until}'"""
    row = con.execute(sql).fetchone()
    by_model = con.execute(f"""
        select model, count(*), sum(cost_usd), quantile_disc(duration_ms, 0.95)
        from read_json('{files}', format='newline_delimited', columns={cols})
        where timestamp >= '{since}' and timestamp < '{until}' group by 1""").fetchall()
    return {"calls": row[0], "tokens": row[1], "cost": row[2], "unknown": row[3],
            "p50": row[4], "p95": row[5], "p99": row[6], "models": len(by_model)}


def command_median(args: list[str], runs: int, env: dict) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of a report command. On a shared machine
    the CPU time is the steadier figure: wall time grows with everyone else's load."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), *args, "--json"],
                       env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def command_rss(args: list[str], env: dict) -> float:
    """Peak resident memory (MB) of one report command together with its worker processes
    (a cold report builds its summaries in a pool): their resident sizes summed, sampled every
    5 ms, pages a worker shares with the command since the fork counted in each (an upper
    bound); never below the command's own peak (VmHWM)."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from this (large) parent across exec.
    code = ("import sys; from llm_core.cli.telemetry import main; main(sys.argv[1:]); "
            "sys.stderr.write([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])")
    proc = subprocess.Popen([sys.executable, "-c", code, *args, "--json"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    page, peak = os.sysconf("SC_PAGE_SIZE"), 0
    while proc.poll() is None:
        peak = max(peak, sum(_resident(pid) for pid in _tree(proc.pid)) * page)
        time.sleep(0.005)
    own = int(proc.stderr.read().strip().splitlines()[-1]) * 1024
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return max(peak, own) / 2**20


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    out, k = [pid], 0
    while k < len(out):
        try:
            for task in os.listdir(f"/proc/{out[k]}/task"):
                with open(f"/proc/{out[k]}/task/{task}/children") as f:
                    out += map(int, f.read().split())
        except OSError:  # gone meanwhile
            pass
        k += 1
    return out


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1])
    except (OSError, IndexError):
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/llm-bench-store"))
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--window-days", type=int, default=30, help="the reports' window (0: all time)")
    parser.add_argument("--quick", action="store_true",
                        help="skip the parse-only and lean-scan baselines (a 10M store takes minutes each)")
    parser.add_argument("--tz", default=os.environ.get("TZ", "UTC"),
                        help="local time zone of the reports (America/New_York makes windows cut UTC days)")
    args = parser.parse_args(argv)
    os.environ["TZ"] = args.tz
    time.tzset()
    store = args.store
    if not index.day_files(store):
        print(f"building {store} ({args.calls:,} records over {args.days} days) ...", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_store.py"), str(store),
                        "--days", str(args.days), "--calls", str(args.calls), "--end", NOW], check=True)
    size = sum(p.stat().st_size for _, p in index.day_files(store))
    now = query.parse_when(NOW)
    span = args.window_days or 3660  # "all": ten years, as many as any store holds
    window = query.last_days(span, now)
    for _report, _slots, cli_args in REPORTS.values():
        if cli_args[:2] == ["stats", "month"]:
            cli_args[1] = "all" if not args.window_days else "month"
        cli_args += ["--days", str(span)] if cli_args[0] != "stats" else []
    print(f"store: {store}, {len(index.day_files(store))} day files, {size / 1e6:.0f} MB; "
          f"window: {f'last {args.window_days} days' if args.window_days else 'all time'}, TZ={args.tz}")

    if args.quick:
        records, t_parse, lean, t_lean = None, math.nan, None, math.nan
    else:
        start = time.perf_counter()
        records = parse_only(store)
        t_parse = time.perf_counter() - start
        print(f"\norjson parse only ({records:,} lines):        {t_parse:7.3f} s")
        start = time.perf_counter()
        lean = lean_scan_stats(store, window)
        t_lean = time.perf_counter() - start
        print(f"orjson lean scan for stats only:           {t_lean:7.3f} s")
    start = time.perf_counter()
    scan = query.collect_scan(store, window)
    t_scan = time.perf_counter() - start
    print(f"orjson full-scan report (reference):       {t_scan:7.3f} s")
    # Keep the reference reports, not the scan's ten million latencies: objects the collector
    # would walk through every later measurement (and every forked worker) of this process.
    expected = {name: report(scan, window, query.Filters()) for name, (report, _s, _a) in REPORTS.items()}
    del scan
    gc.collect()
    try:
        start = time.perf_counter()
        duck = duckdb_stats(store, window)
        t_duck = time.perf_counter() - start
        print(f"DuckDB read_json, declared columns:        {t_duck:7.3f} s  (totals + by model, 2 queries)")
    except ImportError:
        duck, t_duck = None, None
        print("DuckDB: not installed (pip install -e '.[bench]')")

    shutil.rmtree(store / index.SUMMARY_DIR, ignore_errors=True)
    start = time.perf_counter()
    col = query.collect(store, window, need_slots=False)
    query.stats_report(col, window)
    t_cold = time.perf_counter() - start
    print(f"\ncold: first report, summaries built:       {t_cold:7.3f} s   "
          f"{t_cold / t_parse:5.2f}x parse-only, {t_cold / t_lean:5.2f}x lean scan, "
          f"{t_cold / t_scan:5.2f}x full-scan report")
    summary_mb = sum(p.stat().st_size for p in (store / index.SUMMARY_DIR).iterdir()) / 1e6
    print(f"summaries on disk: {summary_mb:.0f} MB ({100 * summary_mb * 1e6 / size:.1f}% of the store)")

    env = {**os.environ, "LLM_TELEMETRY_DIR": str(store), "LLM_TELEMETRY_NOW": NOW, "PYTHONPATH": str(ROOT)}
    print(f"\nwarm, median of {args.runs}     in-process   command (cpu)       vs full scan   vs DuckDB   same as scan")
    identical = True
    warm_cmds: list[tuple[str, float]] = []
    for name, (report, slots, cli_args) in REPORTS.items():
        t, rep = timed(lambda r=report, s=slots: r(query.collect(store, window, need_slots=s), window,
                                                  query.Filters()), args.runs)
        same = rep == expected[name]
        identical &= same
        t_cmd, cpu_cmd = command_median(cli_args, args.runs, env)
        warm_cmds.append((name, t_cmd, cpu_cmd))
        duck_ratio = f"{t_duck / t_cmd:8.1f}x" if t_duck else "       -"
        print(f"  {name:<22} {t:9.3f} s {t_cmd:8.3f} s ({cpu_cmd:5.3f} s) {t_scan / t_cmd:10.1f}x  {duck_ratio}   {same}")
    filtered = query.Filters(project="docs-site", agent="doc-finder")
    t, rep = timed(lambda: query.performance_report(query.collect(store, window, filtered, need_slots=False),
                                                    window, filtered),
                   args.runs)
    same = rep == query.performance_report(query.collect_scan(store, window, filtered), window, filtered)
    identical &= same
    print(f"  {'performance, filtered':<22} {t:9.3f} s {'':>20} {t_scan / t:10.1f}x  {'':>9}   {same}")
    rss = [(a, command_rss(a, env)) for a in (["performance"], ["patterns"], ["stats", "all"])]
    shutil.rmtree(store / index.SUMMARY_DIR, ignore_errors=True)
    rss.append((["stats", "month", "(cold)"], command_rss(["stats", "month"], env)))
    print("\npeak RSS of a report command (with its workers): "
          + ", ".join(f"{' '.join(a)} {mb:.0f} MB" for a, mb in rss))

    stats = query.stats_report(query.collect(store, window), window)
    t_ = stats["totals"]
    if lean is not None:
        lean_agrees = (lean["calls"], lean["tokens"], lean["p95"]) == (
            t_["calls"], t_["tokens"]["total"], stats["latency_ms"]["p95"]) and abs(lean["cost"] - t_["cost_usd"]) < 1e-6
        print(f"lean scan agrees on calls, tokens, cost, p95: {lean_agrees}")
        identical &= lean_agrees
    records = t_["calls"] if records is None else records
    if duck:
        agree = (duck["calls"] == t_["calls"] and duck["tokens"] == t_["tokens"]["total"]
                 and abs(duck["cost"] - t_["cost_usd"]) < 1e-6 and duck["unknown"] == t_["unknown_cost_calls"]
                 and [duck["p50"], duck["p95"], duck["p99"]] == [stats["latency_ms"][p] for p in ("p50", "p95", "p99")])
        print(f"DuckDB agrees on calls, tokens, cost, unpriced calls, p50/p95/p99: {agree}")
        identical &= agree
    print(f"all summarised reports identical to the full scan: {identical}")

    slowest = max(warm_cmds, key=lambda x: x[1])
    busiest = max(warm_cmds, key=lambda x: x[2])
    peak = max(rss, key=lambda x: x[1])
    share = summary_mb * 1e6 / size
    rows = [
        ("every report warm, as a command", f"{slowest[1]:.3f} s ({slowest[0]})", "<= 0.3 s", slowest[1] <= 0.3),
        ("  the same, CPU time (load-proof)", f"{busiest[2]:.3f} s ({busiest[0]})", "<= 0.3 s", busiest[2] <= 0.3),
        ("first report / DuckDB typed scan", f"{t_cold / t_duck:.2f}x" if t_duck else "-", "<= 1.5x",
         bool(t_duck) and t_cold / t_duck <= 1.5),
        ("peak memory of a report (+ workers)", f"{peak[1]:.0f} MB ({' '.join(peak[0])})", "<= 150 MB",
         peak[1] <= 150),
        ("summaries / store size", f"{100 * share:.1f}%", "<= 5%", share <= 0.05),
        ("identical to the full scan", str(identical), "True", identical),
    ]
    print(f"\ntargets (issue 13), {records:,} records over {len(index.day_files(store))} days:")
    for what, got, target, ok in rows:
        print(f"  {what:<34} {got:<28} target {target:<10} {'met' if ok else 'MISSED'}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
