"""The HTML report: its data equals the reports and a record-by-record count, the page is
self-contained, escapes what it shows, and its tables carry the data's exact numbers."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import orjson
import pytest

from llm_core.report import build_report, fmt, render_html, svg
from llm_core.storage import query
from llm_core.storage.demo import write_demo
from llm_core.storage.query import Filters, Window

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
NOW = query.parse_when("2026-11-27T12:00:00Z")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("demo") / "telemetry"
    write_demo(store, days=10, calls=4000, seed=7, end_ms=NOW)
    return store


def _records(store: Path) -> list[dict]:
    return [orjson.loads(line) for path in sorted(store.glob("*/telemetry.jsonl"))
            for line in path.read_bytes().splitlines() if line.strip()]


def _local(rec: dict) -> datetime:
    return datetime.fromtimestamp(query.parse_when(rec["timestamp"]) / 1000)


# ---------------------------------------------------------------- the data

@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_tokens_per_day_and_the_heatmap_equal_a_count_of_the_records(demo_store, tz, zone):
    tz(zone)
    window = query.last_days(7, NOW)
    data = build_report(demo_store, window, now=NOW)
    tokens: dict = defaultdict(lambda: defaultdict(int))
    grid = [[0] * 24 for _ in range(7)]
    for rec in _records(demo_store):
        if not window.contains(query.parse_when(rec["timestamp"])):
            continue
        when = _local(rec)
        for key in ("input", "output", "cache_read", "cache_write", "total"):
            tokens[when.date().isoformat()][key] += rec["tokens"].get(key) or 0
        grid[when.weekday()][when.hour] += 1
    assert {d["day"]: d["tokens"] for d in data["days"]} == {k: dict(v) for k, v in tokens.items()}
    assert data["heatmap"]["calls"] == grid
    assert [sum(row) for row in grid] == [w["calls"] for w in data["patterns"]["by_weekday"]]
    assert [sum(col) for col in zip(*grid, strict=True)] == data["patterns"]["by_hour"]


def test_the_data_is_the_reports_of_one_selection(demo_store):
    window, filters = query.last_days(7, NOW), Filters(project="spacewalker")
    data = build_report(demo_store, window, filters, now=NOW)
    col = query.collect_scan(demo_store, window, filters)
    strip = ("report", "window", "filters", "corrupt_lines", "invalid_values")

    def body(report: dict) -> dict:
        return {k: v for k, v in report.items() if k not in strip}

    assert data["window"] == window.to_dict() and data["filters"] == filters.to_dict()
    assert data["stats"] == body(query.stats_report(col, window, filters))
    for by in ("model", "agent", "project"):
        assert data[f"costs_by_{by}"] == body(query.costs_report(col, window, filters, by=by))
    assert data["performance"] == body(query.performance_report(col, window, filters))
    assert data["patterns"] == body(query.patterns_report(col, window, filters))
    assert data["models"] == query.models_report(col, window, filters, top=1000)["models"]
    by_day = {b["key"]: b for b in query.costs_report(col, window, filters, by="day")["breakdown"]}
    assert {d["day"]: (d["cost_usd"], d["calls"]) for d in data["days"] if d["calls"]} == {
        k: (b["cost_usd"], b["calls"]) for k, b in by_day.items()}


def test_every_day_of_the_window_is_there_with_its_trailing_average(tmp_path):
    store = tmp_path / "t"
    write_demo(store, days=3, calls=300, seed=1, end_ms=NOW)
    data = build_report(store, query.last_days(14, NOW), now=NOW)
    days = data["days"]
    assert [d["day"] for d in days] == [f"2026-11-{n:02d}" for n in range(14, 28)]
    assert [d["calls"] for d in days[:10]] == [0] * 10 and all(d["calls"] for d in days[-3:])
    costs = [d["cost_usd"] for d in days]
    for i, d in enumerate(days):
        recent = costs[max(0, i - 6):i + 1]
        assert d["cost_avg_usd"] == pytest.approx(sum(recent) / len(recent), abs=1e-6)


def test_an_open_window_runs_from_the_first_to_the_last_day_with_calls(tmp_path):
    store = tmp_path / "t"
    write_demo(store, days=2, calls=200, seed=1, end_ms=NOW)
    assert [d["day"] for d in build_report(store, Window(), now=NOW)["days"]] == [
        "2026-11-25", "2026-11-26", "2026-11-27"]
    since_long_ago = query.range_window("2000-01-01", None, Window())
    assert build_report(store, since_long_ago, now=NOW)["days"][0]["day"] == "2026-11-25"
    assert build_report(tmp_path / "empty", Window(), now=NOW)["days"] == []


# ---------------------------------------------------------------- the page

class _Tables(HTMLParser):
    """Rows of every <table data-table=NAME> as their data-* attributes; every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self.tags: list[tuple[str, dict]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self._current = self.tables.setdefault(attrs.get("data-table"), [])
        elif tag == "tr" and self._current is not None and any(k.startswith("data-") for k in attrs):
            self._current.append({k[5:]: v for k, v in attrs.items() if k.startswith("data-")})

    def handle_endtag(self, tag):
        if tag == "table":
            self._current = None


def parse(page: str) -> _Tables:
    p = _Tables()
    p.feed(page)
    return p


def _num(text: str):
    return None if text == "" else (int(text) if re.fullmatch(r"-?\d+", text) else float(text))


def test_the_tables_carry_the_exact_numbers(demo_store):
    data = build_report(demo_store, query.last_days(10, NOW), now=NOW)
    tables = parse(render_html(data)).tables
    assert [(r["day"], _num(r["calls"]), _num(r["cost-usd"]), _num(r["cost-avg-usd"]), _num(r["input"]),
             _num(r["cache-write"]), _num(r["total"])) for r in tables["days"]] == [
        (d["day"], d["calls"], d["cost_usd"], d["cost_avg_usd"], d["tokens"]["input"],
         d["tokens"]["cache_write"], d["tokens"]["total"]) for d in data["days"]]
    for by in ("model", "agent", "project"):
        rows = data[f"costs_by_{by}"]["breakdown"]
        assert [(r["key"], _num(r["cost-usd"]), _num(r["share"]), _num(r["calls"])) for r in tables[f"costs_by_{by}"]] \
            == [(b["key"], b["cost_usd"], b["share"], b["calls"]) for b in rows]
    assert [[_num(r[f"h{h:02d}"]) for h in range(24)] for r in tables["heatmap"]] == data["heatmap"]["calls"]
    assert [(r["model"], _num(r["p50"]), _num(r["p95"]), _num(r["p99"])) for r in tables["performance"]] == [
        (m["model"], m["p50"], m["p95"], m["p99"]) for m in data["performance"]["by_model"]]
    assert [(r["model"], _num(r["failures"]), _num(r["error-rate"])) for r in tables["models"]] == [
        (m["model"], m["failures"], m["error_rate"]) for m in data["models"]]


def test_the_page_is_self_contained_and_every_chart_is_labelled(demo_store):
    page = render_html(build_report(demo_store, query.last_days(10, NOW), now=NOW))
    parsed = parse(page)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"(https?:)?//[a-z]", page.replace("http://www.w3.org", ""), re.I)
    assert "@import" not in page and "url(" not in page
    assert "prefers-color-scheme:dark" in page
    svgs = [a for t, a in parsed.tags if t == "svg"]
    assert len(svgs) == 9
    for a in svgs:
        title_id, desc_id = a["aria-labelledby"].split()
        assert a["role"] == "img" and f'<title id="{title_id}">' in page and f'<desc id="{desc_id}">' in page
    for axis in ("Cost (USD)", "Tokens", "Day (local time)", "Calls", "Hour of day (local time)",
                 "Latency (seconds)", "Failed calls (%)"):
        assert f">{axis}</text>" in page
    assert len(parsed.tables) == 7  # the numbers of every chart (two charts share the days and models tables)


def test_names_from_the_store_are_escaped(tmp_path):
    store = tmp_path / "t"
    day = store / "2026-11-27"
    day.mkdir(parents=True)
    rec = {"id": "1", "timestamp": "2026-11-27T10:00:00Z", "agent_name": '"><script>alert(1)</script>',
           "operation": "op", "provider": "p", "model": "a&b<c>", "duration_ms": 10,
           "tokens": {"input": 1, "output": 1, "total": 2}, "cost_usd": 0.5, "success": True,
           "metadata": {"project": "<img src=x onerror=alert(1)>"}}
    (day / "telemetry.jsonl").write_bytes(orjson.dumps(rec) + b"\n")
    page = render_html(build_report(store, query.last_days(1, NOW), now=NOW))
    parsed = parse(page)
    assert not any(t in ("script", "img") for t, _ in parsed.tags)
    assert "a&amp;b&lt;c&gt;" in page
    assert parsed.tables["costs_by_agent"][0]["key"] == '"><script>alert(1)</script>'


def test_a_window_without_calls_says_so(tmp_path):
    page = render_html(build_report(tmp_path / "none", query.last_days(7, NOW), now=NOW))
    assert page.count("No calls in this window.") == 6
    assert "<svg" not in page


@pytest.mark.slow
def test_a_year_of_days_stays_under_300_kb(tmp_path):
    store = tmp_path / "year"
    write_demo(store, days=365, calls=365 * 20, seed=3, end_ms=NOW)  # the size grows with the days
    data = build_report(store, query.last_days(365, NOW), now=NOW)
    page = render_html(data)
    assert len(data["days"]) == 365 and all(d["calls"] for d in data["days"])
    assert len(parse(page).tables["days"]) == 365
    assert len(page.encode()) <= 300_000, len(page.encode())


# ---------------------------------------------------------------- pieces

@pytest.mark.parametrize(("top", "ticks"), [
    (0, [0, 1]), (7.3, [0, 2, 4, 6, 8]), (61.34, [0, 20, 40, 60, 80]), (1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    (2_800_000, [0, 1e6, 2e6, 3e6]), (0.013, [0, 0.005, 0.01, 0.015]),
])
def test_axis_ticks_are_round_and_reach_the_top(top, ticks):
    assert svg.nice_ticks(top) == pytest.approx(ticks)


def test_numbers_for_people():
    assert [fmt.usd(x) for x in (0, 0.0042, 0.5, 1234.5, None)] == ["$0.00", "$0.0042", "$0.50", "$1,234.50", "-"]
    assert [fmt.usd_tick(x) for x in (0, 2.5, 40, 1200, 3000)] == ["$0", "$2.5", "$40", "$1.2k", "$3k"]
    assert [fmt.short(x) for x in (950, 340_000, 1_260_000, 2e9)] == ["950", "340k", "1.3M", "2G"]
    assert [fmt.ms(x) for x in (None, 850, 2400, 12980)] == ["-", "850 ms", "2.4 s", "12.98 s"]
    assert fmt.pct(0.4512) == "45.1%"
    assert [fmt.compact(x) for x in (973, 9732, 14_970, 99_999, 149_700, 999_999, 1_494_000)] == [
        "973", "9,732", "15.0k", "100k", "150k", "1.0M", "1.5M"]


def test_day_labels_name_the_year_on_the_first_day_and_in_january():
    days = [(datetime(2025, 12, 1) + timedelta(days=i)).date().isoformat() for i in range(60)]
    chart = svg.day_bars("x", days, [("Cost", "c1", [1.0] * 60)], title="t", desc="d",
                         y_title="Cost (USD)", fmt_tick=fmt.usd_tick)
    labels = re.findall(r'text-anchor="middle">([^<]+)</text>', chart)
    assert labels[0] == "Dec 1, 2025" and "Jan 5, 2026" in labels and "Dec 8" in labels


def test_calls_a_budget_refused_are_shown_apart_from_failures(tmp_path):
    day = tmp_path / "s" / "2026-11-27"
    day.mkdir(parents=True)
    base = {"timestamp": "2026-11-27T10:00:00.000Z", "agent_name": "a", "operation": "op", "provider": "anthropic",
            "model": "m", "tokens": {}, "cost_usd": 0.0, "duration_ms": 0, "metadata": {"project": "p"}}
    recs = [{**base, "success": True, "duration_ms": 300}, {**base, "success": False, "status": "blocked"}]
    (day / "telemetry.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    data = build_report(tmp_path / "s", Window(), now=NOW)
    t = data["stats"]["totals"]
    assert (t["calls"], t["failures"], t["blocked"], t["error_rate"]) == (2, 0, 1, 0.0)
    page = render_html(data)
    assert "1 succeeded<br>1 refused by a budget" in page
    assert re.search(r'data-name="failures" data-value="0"', page)
