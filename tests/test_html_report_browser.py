"""The HTML report in a real browser (headless Chromium over the DevTools protocol): it loads
with no console error and no request but its own, it draws something in both colour schemes,
and the numbers in its DOM are the numbers `llm-telemetry report --json` gives for the window.

Chromium comes from Debian's `chromium` package (.ci/run installs it). Outside CI the tests
skip when it is absent; under CI=true they fail instead."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chromium import Chromium, find_chromium

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-27T12:00:00Z"

if find_chromium() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium is not installed: .ci/run must apt-get install chromium")
    pytest.skip("chromium is not installed (apt-get install chromium); CI installs it and runs these",
                allow_module_level=True)

if os.environ.get("CI") == "true":
    import PIL.Image as PIL
else:
    PIL = pytest.importorskip("PIL.Image", reason="Pillow (in the test extra) decodes the screenshots")


def _telemetry(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LLM_TELEMETRY_DIR": str(store), "LLM_TELEMETRY_NOW": NOW}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), *args], env=env,
                          capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, dict]:
    """A demo store's report over the last 7 days: the page and the --json data."""
    tmp = tmp_path_factory.mktemp("browser")
    store = tmp / "telemetry"
    _telemetry("demo", "--days", "10", "--calls", "3000", "--seed", "5", store=store)
    page = tmp / "report.html"
    _telemetry("report", "--days", "7", "--html", str(page), store=store)
    data = json.loads(_telemetry("report", "--days", "7", "--json", store=store).stdout)
    return page, data


@pytest.fixture(scope="module")
def browser():
    with Chromium() as b:
        yield b


def test_the_page_loads_with_no_error_and_no_request_but_its_own(made, browser):
    page = browser.open(made[0])
    assert page.problems == []
    assert page.requests == [page.url]
    heights = page.evaluate("[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().height)")
    assert len(heights) == 9 and min(heights) > 100


def test_the_checks_would_see_a_request_and_an_error(tmp_path, browser):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><title>x</title><img src="http://127.0.0.1:9/x.png">'
                   '<script>console.error("broken")</script>')
    page = browser.open(bad)
    assert "http://127.0.0.1:9/x.png" in page.requests
    assert any("broken" in p for p in page.problems)


def _colours(png: bytes) -> tuple[int, tuple, tuple]:
    """Distinct colours, the size, and the colour of a pixel in the page's margin."""
    image = PIL.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24)), image.size, image.getpixel((4, 4))


@pytest.mark.parametrize(("scheme", "background"), [("light", (255, 255, 255)), ("dark", (13, 17, 23))])
def test_a_screenshot_shows_the_charts_in_both_colour_schemes(made, browser, scheme, background):
    page = browser.open(made[0], scheme=scheme)
    colours, (width, height), corner = _colours(page.screenshot())
    assert width == 1280 and height > 2000
    assert corner == background
    assert colours > 200  # text, bars in several colours, the heatmap's shades
    blank = browser.open(_blank(made[0]), scheme=scheme)
    assert _colours(blank.screenshot())[0] < 5  # the same measure calls an empty page blank


def _blank(page: Path) -> Path:
    path = page.with_name("blank.html")
    path.write_text("<!doctype html><title>blank</title>")
    return path


_DOM = """JSON.stringify({
  tables: Object.fromEntries([...document.querySelectorAll('table[data-table]')].map(t =>
    [t.dataset.table, [...t.tBodies[0].rows].map(r => ({...r.dataset}))])),
  cards: Object.fromEntries([...document.querySelectorAll('.card')].map(c =>
    [c.dataset.name, c.dataset.value])),
})"""


def _camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def _same(dom_value: str, value) -> bool:
    if value is None:
        return dom_value == ""
    if isinstance(value, str):
        return dom_value == value
    return float(dom_value) == value


def _rows_equal(rows: list[dict], expected: list[dict]) -> None:
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        for key, value in want.items():
            assert _same(row[_camel(key)], value), (key, row, want)


def test_the_numbers_in_the_dom_are_the_json_reports(made, browser):
    data = made[1]
    dom = json.loads(browser.open(made[0]).evaluate(_DOM))
    tables, cards = dom["tables"], dom["cards"]
    _rows_equal(tables["days"], [{**{k: v for k, v in d.items() if k != "tokens"}, **d["tokens"]}
                                 for d in data["days"]])
    for by in ("model", "agent", "project"):
        _rows_equal(tables[f"costs_by_{by}"], data[f"costs_by_{by}"]["breakdown"])
    _rows_equal(tables["heatmap"], [{"weekday": name, **{f"h{h:02d}": v for h, v in enumerate(row)}}
                                    for name, row in zip(data["heatmap"]["weekdays"], data["heatmap"]["calls"],
                                                         strict=True)])
    _rows_equal(tables["performance"], [{k: m[k] for k in ("model", "timed_calls", "avg", "p50", "p95", "p99")}
                                        for m in data["performance"]["by_model"] if m["timed_calls"]])
    _rows_equal(tables["models"], [{k: m[k] for k in ("model", "provider", "calls", "failures", "error_rate")}
                                   for m in data["models"]])
    totals, latency = data["stats"]["totals"], data["stats"]["latency_ms"]
    assert {k: float(v) for k, v in cards.items()} == {
        "calls": totals["calls"], "failures": totals["failures"], "tokens": totals["tokens"]["total"],
        "cost_usd": totals["cost_usd"], "unknown_cost_calls": totals["unknown_cost_calls"],
        "p95_ms": latency["p95"]}
    assert totals["calls"] > 1000 and len(data["days"]) == 7
