"""llm-telemetry: stdout, stderr and exit codes of every subcommand."""

from __future__ import annotations

import ast
import csv
import io
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import click
import orjson
import pytest

from llm_core.cli import telemetry
from llm_core.cli.telemetry import main
from llm_core.config import reset_settings

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-27T12:00:00Z"


@pytest.fixture
def store(isolated_env, monkeypatch) -> Path:
    monkeypatch.setenv("LLM_TELEMETRY_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    reset_settings()
    return Path(os.environ["LLM_TELEMETRY_DIR"])


@pytest.fixture
def demo(store, capsys) -> Path:
    assert main(["demo", "--days", "5", "--calls", "2000", "--seed", "3"]) == 0
    capsys.readouterr()
    return store


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *args: str) -> dict:
    code, out, err = _run(capsys, *args, "--json")
    assert code == 0, err
    return orjson.loads(out)


def test_no_store_is_friendly_zeros(store, capsys):
    code, out, err = _run(capsys, "stats")
    assert code == 0
    assert "No telemetry recorded yet" in err
    assert "Calls      0" in out
    r = _json(capsys, "costs")
    assert r["total_cost_usd"] == 0 and r["breakdown"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "--since", "2026-02-30"], "--since: cannot read '2026-02-30'"),
        (["costs", "--since", "2026-11-05", "--until", "2026-11-01"], "is not before --until"),
        (["stats", "week", "--since", "2026-11-01"], "give a period or --since/--until, not both"),
        (["models", "--days", "7", "--until", "2026-11-01"], "give --days or --since/--until"),
        (["costs", "--by", "colour"], "Invalid value for '--by'"),
        (["stats", "fortnight"], "Invalid value for '[PERIOD]'"),
        (["log", "--since", "soon"], "--since: cannot read 'soon'"),
    ],
)
def test_bad_dates_and_options_are_usage_errors(store, capsys, args, message):
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_every_report_has_a_stable_json_shape(demo, capsys):
    common = {"report", "window", "filters", "corrupt_lines", "invalid_values", "store", "retention"}
    shapes = {
        "stats": {"totals", "latency_ms", "top_model"},
        "costs": {"by", "total_cost_usd", "calls", "unknown_cost_calls", "cost_source", "breakdown"},
        "models": {"calls", "models"},
        "agents": {"agents"},
        "projects": {"projects"},
        "performance": {"overall", "by_model", "slowest_operations"},
        "patterns": {"calls", "by_hour", "by_weekday", "peak_hours", "busiest_weekday", "top_operations"},
    }
    for name, keys in shapes.items():
        r = _json(capsys, name, *(["all"] if name == "stats" else []))
        assert set(r) == common | keys, name
        assert r["report"] == name
    stats = _json(capsys, "stats", "all")
    assert stats["totals"]["calls"] == 2000
    assert set(stats["totals"]) == {"calls", "successes", "failures", "cancelled", "blocked", "error_rate", "tokens",
                                    "cost_usd", "cost_source", "unknown_cost_calls", "invalid_values", "avg_ms"}


def test_costs_human_lines_and_shares(demo, capsys):
    code, out, err = _run(capsys, "costs", "--days", "5")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Last 5 days") and ": total cost $" in lines[0]
    r = _json(capsys, "costs", "--days", "5")
    assert abs(sum(b["share"] for b in r["breakdown"]) - 1) < 1e-4
    assert abs(sum(b["cost_usd"] for b in r["breakdown"]) - r["total_cost_usd"]) < 1e-6
    top = r["breakdown"][0]
    assert f"{top['key']}" in lines[1] and f"{round(top['share'] * 100)}%" in lines[1]
    assert "without a known price" in out


def test_filters_narrow_every_report(demo, capsys):
    everything = _json(capsys, "stats", "all")["totals"]["calls"]
    haiku = _json(capsys, "stats", "all", "--model", "claude-haiku-4-5")
    assert 0 < haiku["totals"]["calls"] < everything
    assert haiku["filters"]["model"] == "claude-haiku-4-5"
    models = _json(capsys, "models", "--model", "claude-haiku-4-5", "--days", "10")["models"]
    assert [m["model"] for m in models] == ["claude-haiku-4-5"]
    projects = _json(capsys, "projects", "--project", "docs-site", "--days", "10")["projects"]
    assert [p["project"] for p in projects] == ["docs-site"]
    assert _json(capsys, "agents", "--agent", "nobody")["agents"] == []


def test_stats_periods_follow_the_pinned_clock(demo, capsys):
    today = _json(capsys, "stats")
    assert today["window"]["label"] == "today"
    assert today["window"]["since"].startswith("2026-11-27T00:00:00")
    week = _json(capsys, "stats", "week")
    assert week["window"]["since"].startswith("2026-11-21")
    assert 0 < today["totals"]["calls"] < week["totals"]["calls"] == 2000


def test_patterns_draws_bars(demo, capsys):
    code, out, _ = _run(capsys, "patterns", "--days", "10")
    assert code == 0
    assert "█" in out and "Peak hours:" in out and "Busiest weekday:" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_performance_lists_models_and_slowest_operations(demo, capsys):
    r = _json(capsys, "performance", "--days", "10")
    o = r["overall"]
    assert o["p50"] <= o["p95"] <= o["p99"]
    assert r["slowest_operations"][0]["operation"] in {"review", "summarize"}  # the demo's slow ones
    _, out, _ = _run(capsys, "performance", "--days", "10")
    assert "P99" in out and "Slowest operations" in out


def test_log_is_newest_first_and_json_is_the_records(demo, capsys):
    code, out, _ = _run(capsys, "log", "-n", "5", "--json")
    assert code == 0
    records = [orjson.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    stamps = [r["timestamp"] for r in records]
    assert stamps == sorted(stamps, reverse=True)
    _, out, _ = _run(capsys, "log", "-n", "2", "--agent", "chat")
    assert len(out.splitlines()) == 2 and all("chat/chat" in line for line in out.splitlines())


def test_export_csv_and_jsonl(demo, capsys):
    code, out, _ = _run(capsys, "export", "--format", "csv", "--since", "2026-11-26", "--until", "2026-11-26")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["timestamp"].startswith("2026-11-26") for r in rows)
    count = _json(capsys, "stats", "--since", "2026-11-26", "--until", "2026-11-26")["totals"]["calls"]
    assert len(rows) == count
    code, out, _ = _run(capsys, "export", "--project", "docs-site")
    lines = out.splitlines()
    assert lines and all(orjson.loads(x)["metadata"]["project"] == "docs-site" for x in lines)


def test_demo_refuses_a_store_with_data(demo, capsys):
    code, out, err = _run(capsys, "demo", "--calls", "10")
    assert code == 2 and "already holds telemetry" in err
    code, out, _ = _run(capsys, "demo", "--calls", "10", "--force", "--json")
    assert code == 0 and orjson.loads(out)["records"] == 10
    assert _json(capsys, "stats", "all")["totals"]["calls"] == 2010


def test_corrupt_lines_give_one_warning(demo, capsys):
    day = sorted(p for p in demo.iterdir() if p.name[0] == "2")[-1]
    with open(day / "telemetry.jsonl", "ab") as f:
        f.write(b"garbage\n{\"also\": \"bad\"}\n")
    code, _out, err = _run(capsys, "stats", "all")
    assert code == 0
    assert err.count("Warning: skipped 2 unreadable lines") == 1
    assert _json(capsys, "stats", "all")["corrupt_lines"] == 2


def test_prune_dry_run_reports_what_it_would_remove(demo, capsys, monkeypatch):
    monkeypatch.setenv("LLM_RETENTION_DAYS", "2")
    reset_settings()
    before = sorted(p.name for p in demo.iterdir())
    r = _json(capsys, "prune", "--dry-run")
    assert r["dry_run"] is True and r["removed"]
    assert sorted(p.name for p in demo.iterdir()) == before
    code, out, _ = _run(capsys, "prune", "--dry-run")
    assert code == 0 and out.startswith("Would remove")


def test_log_follow_prints_new_records(demo):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "bin" / "llm-telemetry"), "log", "-n", "1", "--follow",
                             "--poll", "0.05", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    def line() -> bytes:
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        assert ready, "llm-telemetry log --follow printed nothing"
        return proc.stdout.readline()

    try:
        first = line()  # appended right after: the follower must not miss it
        rec = orjson.loads(first)
        rec["id"] = "followed"
        newest = max(p for p in demo.iterdir() if p.name[0] == "2")
        with open(newest / "telemetry.jsonl", "ab") as f:
            f.write(orjson.dumps(rec) + b"\n")
        assert orjson.loads(line())["id"] == "followed"
        tomorrow = demo / "2026-11-28"
        tomorrow.mkdir()
        rec["id"] = "next-day"
        (tomorrow / "telemetry.jsonl").write_bytes(orjson.dumps(rec) + b"\n")
        assert orjson.loads(line())["id"] == "next-day"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_help_has_examples(capsys):
    for args in ([], ["stats"], ["costs"], ["log"], ["demo"]):
        code, out, _ = _run(capsys, *args, "--help")
        assert code == 0 and "Examples" in out


def test_a_bad_pinned_clock_is_a_configuration_error(store, capsys, monkeypatch):
    monkeypatch.setenv("LLM_TELEMETRY_NOW", "teatime")
    reset_settings()
    code, out, err = _run(capsys, "stats")
    assert (code, out) == (4, "")
    assert err == "Error: LLM_TELEMETRY_NOW must be an ISO date-time, got 'teatime'\n"


def test_an_unreadable_day_file_is_a_clear_error(store, capsys, monkeypatch):
    from llm_core.storage import day_summaries

    (store / "2026-11-27").mkdir(parents=True)
    (store / "2026-11-27" / "telemetry.jsonl").write_text("{}\n")

    def denied(path, previous=None):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(day_summaries, "build_view", denied)
    code, out, err = _run(capsys, "stats", "all")
    assert (code, out) == (1, "")
    assert err.startswith("Error: cannot read the telemetry store: Permission denied: ")
    assert err.rstrip().endswith("2026-11-27/telemetry.jsonl")


def test_absurd_costs_and_latencies_are_damage_not_a_crash(store, capsys):
    day = store / "2026-11-27"
    day.mkdir(parents=True)
    base = {"timestamp": "2026-11-27T10:00:00.000Z", "model": "m", "provider": "p", "success": True,
            "tokens": {"input": 1, "output": 1, "total": 2, "cache_read": 0, "cache_write": 0}}
    lines = [
        {**base, "cost_usd": 0.5, "duration_ms": 100},
        {**base, "cost_usd": 1e300, "duration_ms": 1e307},
        {**base, "cost_usd": -1e300, "duration_ms": 200},
    ]
    (day / "telemetry.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in lines))
    r = _json(capsys, "stats", "today")
    assert r["totals"]["calls"] == 3
    assert r["totals"]["cost_usd"] == 0.5
    assert r["totals"]["unknown_cost_calls"] == 2
    assert r["latency_ms"]["p99"] == 200  # the absurd latency is left out


def test_every_listed_subcommand_loads_from_its_module(capsys):
    ctx = click.Context(telemetry.cli)
    assert telemetry.cli.list_commands(ctx) == sorted(telemetry.SUBCOMMANDS)
    for name in telemetry.SUBCOMMANDS:
        command = telemetry.cli.get_command(ctx, name)
        assert command.name == name and command.help
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and all(f"  {name} " in out for name in telemetry.SUBCOMMANDS)
    code, _, err = _run(capsys, "nosuch")
    assert code == 2 and "No such command 'nosuch'" in err


def test_help_lists_the_subcommands_without_importing_them():
    code = ("import sys; from llm_core.cli.telemetry import main; rc = main(['--help']); "
            "loaded = [m for m in sys.modules if m.startswith(('llm_core.cli.telemetry.', 'llm_core.storage'))]; "
            "print(rc, sorted(loaded))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert out.splitlines()[-1] == "0 ['llm_core.cli.telemetry.manual']"


def test_the_cli_package_imports_no_private_library_name():
    package = ROOT / "llm_core" / "cli" / "telemetry"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("llm_core.")
                    and not node.module.startswith("llm_core.cli")):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
                assert not any(part.startswith("_") for part in node.module.split(".")), (path.name, node.module)
