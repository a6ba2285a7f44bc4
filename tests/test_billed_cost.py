"""Reports use the provider's billed cost (OpenRouter's provider_cost_usd) when a record has
one, and say in --json which part was billed and which estimated."""

from __future__ import annotations

import json

import orjson
import pytest
from conftest import run_main

from llm_core.storage.collect import collect, collect_scan
from llm_core.storage.reports import costs_report, stats_report
from llm_core.storage.windows import ALL_TIME


def _write(store, records):
    day = store / "2026-11-27"
    day.mkdir(parents=True)
    lines = []
    for n, extra in enumerate(records):
        rec = {"id": f"r{n}", "timestamp": f"2026-11-27T10:{n:02d}:00.000Z", "agent_name": "a",
               "operation": "chat", "provider": "openrouter", "model": "m", "session_id": "s",
               "user_id": "u", "duration_ms": 100, "tokens": {"input": 1, "output": 1, "total": 2,
               "cache_read": 0, "cache_write": 0}, "success": True, "metadata": {"project": "p"}}
        rec.update(extra)
        lines.append(orjson.dumps(rec))
    (day / "telemetry.jsonl").write_bytes(b"\n".join(lines) + b"\n")


RECORDS = [
    {"cost_usd": 0.010, "provider_cost_usd": 0.012},  # billed wins over our estimate
    {"cost_usd": None, "provider_cost_usd": 0.003},  # billed, though the price was unknown to us
    {"cost_usd": 0.002},  # estimate only
    {"cost_usd": None},  # unknown
    {"cost_usd": 0.001, "provider_cost_usd": None},  # null billed: the estimate
]


@pytest.mark.parametrize("reader", [collect, collect_scan])
def test_billed_cost_wins_and_is_counted(tmp_path, reader):
    _write(tmp_path, RECORDS)
    col = reader(tmp_path, ALL_TIME)
    totals = stats_report(col, ALL_TIME)["totals"]
    assert totals["cost_usd"] == pytest.approx(0.018)
    assert totals["unknown_cost_calls"] == 1
    assert totals["cost_source"] == {
        "billed": {"calls": 2, "usd": pytest.approx(0.015)},
        "estimated": {"calls": 2, "usd": pytest.approx(0.003)},
        "unknown": {"calls": 1},
    }
    costs = costs_report(col, ALL_TIME)
    assert costs["total_cost_usd"] == pytest.approx(0.018)
    assert costs["cost_source"]["billed"]["calls"] == 2


def test_the_command_reports_it(isolated_env):
    from llm_core.cli.telemetry import main

    _write(isolated_env / "telemetry", RECORDS)
    result = run_main(main, "costs", "--since", "2026-11-27", "--json")
    report = json.loads(result.stdout)
    assert report["total_cost_usd"] == pytest.approx(0.018)
    assert report["cost_source"]["billed"] == {"calls": 2, "usd": pytest.approx(0.015)}
