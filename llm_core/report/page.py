"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Every chart is a figure with a title, axis titles with units and a table of the same numbers
(in a <details>, so it can be read aloud and copied). Table rows carry the exact numbers in
data attributes named after the report's JSON fields (`cost_usd` -> `data-cost-usd`); the
cells show them rounded for people. Light and dark follow `prefers-color-scheme`.

    from llm_core.report import build_report, render_html
    Path("report.html").write_text(render_html(build_report(store, window, filters)))
"""

from __future__ import annotations

from html import escape

from llm_core.report import fmt, svg
from llm_core.report.style import CSS

__all__ = ["render_html", "window_text"]

TOKEN_TYPES = (("input", "Input", "t1"), ("output", "Output", "t2"),
               ("cache_read", "Cache read", "t3"), ("cache_write", "Cache write", "t4"))
HALF_LABEL = 190  # label column of the half-width bar charts, in SVG units
TIPS_UP_TO_DAYS = 120  # per-day tooltips; longer windows keep the file small (the table has all)


def render_html(data: dict) -> str:
    """The page for the dict `build_report()` returns."""
    window = window_text(data)
    parts = [
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>LLM usage: {escape(window)}</title><style>{CSS}</style></head><body><main>",
        _header(data, window),
        _cards(data),
        _days(data),
        _models(data),
        _agents_projects(data),
        _rhythm(data),
        _speed(data),
        "<footer>Made by <code>llm-telemetry report</code>. Costs count calls with a known price "
        "only. The exact numbers are in each table's data attributes and in "
        "<code>llm-telemetry report --json</code>.</footer>",
        "</main></body></html>\n",
    ]
    return "".join(parts)


# ---------------------------------------------------------------- pieces

def window_text(data: dict) -> str:
    w = data["window"]
    since = (w["since"] or "")[:16].replace("T", " ")
    until = (w["until"] or "")[:16].replace("T", " ")
    if w["label"] == "custom":
        return f"from {since or 'the beginning'} to {until or 'now'}"
    if since or until:
        return f"{w['label']} ({since or '...'} to {until or 'now'})"
    return w["label"]


def _header(data: dict, window: str) -> str:
    w = data["window"]
    zone = next(((x or "")[19:] for x in (w["since"], w["until"]) if x), "")
    active = [f"{k} = {v}" for k, v in data["filters"].items() if v is not None]
    notes = [f"Local time{f' (UTC{zone})' if zone else ''}"]
    if active:
        notes.append("filtered by " + ", ".join(active))
    if data.get("corrupt_lines"):
        notes.append(f"{fmt.count(data['corrupt_lines'])} unreadable lines skipped")
    if data.get("invalid_values"):
        notes.append(f"{fmt.count(data['invalid_values'])} calls with impossible values left out of the sums")
    if data.get("generated_at"):
        notes.append(f"made {data['generated_at'][:16].replace('T', ' ')}")
    store = f'<p class="note">Store: <code>{escape(data["store"])}</code></p>' if data.get("store") else ""
    return (f'<header><h1>LLM usage, {escape(window)}</h1>'
            f'<p class="note">{escape(" · ".join(notes))}</p>{store}</header>')


def _card(name: str, value: float | None, big: str, label: str, sub: str = "") -> str:
    sub_html = f'<p class="sub">{"<br>".join(map(escape, sub.split(chr(10))))}</p>' if sub else ""
    return (f'<div class="card" data-name="{name}" data-value="{_attr(value)}">'
            f'<h2>{escape(label)}</h2><p class="big">{escape(big)}</p>{sub_html}</div>')


def _cards(data: dict) -> str:
    s = data["stats"]
    t, lat, tok = s["totals"], s["latency_ms"], s["totals"]["tokens"]
    cards = [
        _card("calls", t["calls"], fmt.count(t["calls"]), "Calls", f"{fmt.count(t['successes'])} succeeded"
              + (f"\n{fmt.count(t['blocked'])} refused by a budget" if t.get("blocked") else "")),
        _card("failures", t["failures"], fmt.count(t["failures"]), "Failures",
              f"{fmt.pct(t['error_rate'])} of calls"),
        _card("tokens", tok["total"], fmt.short(tok["total"]), "Tokens",
              f"{fmt.short(tok['input'])} in · {fmt.short(tok['output'])} out"),
        _card("cost_usd", t["cost_usd"], fmt.usd(t["cost_usd"]), "Cost", "known prices only"),
        _card("unknown_cost_calls", t["unknown_cost_calls"], fmt.count(t["unknown_cost_calls"]),
              "Unknown price", "calls not in the cost"),
        _card("p95_ms", lat["p95"], fmt.ms(lat["p95"]), "Latency p95",
              f"p50 {fmt.ms(lat['p50'])}\np99 {fmt.ms(lat['p99'])}"),
    ]
    return f'<section class="cards" aria-label="Headline numbers">{"".join(cards)}</section>'


def _attr(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return repr(value)
    return escape(str(value))


def _table(name: str, caption: str, head: list[str], rows: list[tuple[dict, list[str]]]) -> str:
    """A <details> table; each row is (data attributes, cells)."""
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = []
    for attrs, cells in rows:  # end tags of cells and rows left out, as HTML allows: a year is 365 rows
        a = "".join(f' data-{k.replace("_", "-")}="{_attr(v)}"' for k, v in attrs.items())
        tds = "".join(f"<td>{escape(c)}" if i else f"<th scope=row>{escape(c)}" for i, c in enumerate(cells))
        body.append(f"<tr{a}>{tds}")
    return (f'<details><summary>Table: {escape(caption)}</summary><table data-table="{name}">'
            f"<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table></details>")


def _figure(title: str, chart: str, legend: list[tuple[str, str]] = (), note: str = "") -> str:
    keys = "".join(f'<li><span class="sw {cls}"></span>{escape(name)}</li>' for name, cls in legend)
    legend_html = f'<ul class="legend">{keys}</ul>' if keys else ""
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    return f"<figure><figcaption>{escape(title)}</figcaption>{chart}{legend_html}{note_html}</figure>"


def _empty(title: str) -> str:
    return f'<figure><figcaption>{escape(title)}</figcaption><p class="empty">No calls in this window.</p></figure>'


# ---------------------------------------------------------------- sections

def _days(data: dict) -> str:
    days = data["days"]
    if not days or not any(d["calls"] for d in days):
        return f'<section><h2>Per day</h2>{_empty("Cost per day")}</section>'
    labels = [d["day"] for d in days]
    avg_name = f"{data['average_days']}-day average"
    tips = len(days) <= TIPS_UP_TO_DAYS
    cost = svg.day_bars(
        "cost-day", labels, [("Cost", "c1", [d["cost_usd"] for d in days])],
        line=(avg_name, "avg", [d["cost_avg_usd"] for d in days]),
        title="Cost per day (USD)", desc=f"Bars: cost per local day in US dollars; line: {avg_name}.",
        y_title="Cost (USD)", fmt_tick=fmt.usd_tick,
        tips=[f"{d['day']}: {fmt.usd(d['cost_usd'])}, {avg_name} {fmt.usd(d['cost_avg_usd'])}, "
              f"{fmt.count(d['calls'])} calls" for d in days] if tips else ())
    tokens = svg.day_bars(
        "tokens-day", labels, [(name, cls, [d["tokens"][key] for d in days]) for key, name, cls in TOKEN_TYPES],
        title="Tokens per day by type", desc="Stacked bars: input, output, cache read and cache write "
        "tokens per local day.", y_title="Tokens", fmt_tick=fmt.short,
        tips=[f"{d['day']}: " + ", ".join(f"{name.lower()} {fmt.count(d['tokens'][key])}"
                                          for key, name, _ in TOKEN_TYPES) for d in days] if tips else ())
    rows = [({"day": d["day"], "calls": d["calls"], "cost_usd": d["cost_usd"], "cost_avg_usd": d["cost_avg_usd"],
              "unknown_cost_calls": d["unknown_cost_calls"], **d["tokens"]},
             [d["day"], fmt.count(d["calls"]), fmt.usd(d["cost_usd"]), fmt.usd(d["cost_avg_usd"]),
              fmt.count(d["unknown_cost_calls"]), *(fmt.count(d["tokens"][k]) for k, _, _ in TOKEN_TYPES),
              fmt.count(d["tokens"]["total"])])
            for d in days]
    table = _table("days", "calls, cost and tokens per day",
                   ["Day", "Calls", "Cost", avg_name, "Unknown price", *(n for _, n, _ in TOKEN_TYPES), "Total tokens"],
                   rows)
    return (f"<section><h2>Per day</h2>"
            f"{_figure('Cost per day, with its ' + avg_name, cost, [('Cost', 'c1'), (avg_name, 'avg')])}"
            f"{_figure('Tokens per day by type', tokens, [(n, c) for _, n, c in TOKEN_TYPES])}"
            f"{table}</section>")


def _share_rows(breakdown: list[dict], calls: int) -> list[tuple[dict, list[str]]]:
    return [({"key": b["key"], "cost_usd": b["cost_usd"], "share": b["share"], "calls": b["calls"],
              "unknown_cost_calls": b["unknown_cost_calls"]},
             [_label(b["key"]), fmt.usd(b["cost_usd"]), fmt.pct(b["share"]), fmt.count(b["calls"]),
              fmt.pct(b["calls"] / calls if calls else 0), fmt.count(b["unknown_cost_calls"])])
            for b in breakdown]


def _label(key) -> str:
    return "(none)" if key is None else str(key)


def _cost_bars(ident: str, title: str, report: dict, what: str) -> str:
    rows = [(_label(b["key"]), [b["cost_usd"]], f"{fmt.usd(b['cost_usd'])} · {fmt.pct(b['share'])}")
            for b in report["breakdown"]]
    return _figure(title, svg.hbars(ident, rows, title=title, x_title="Cost (USD)", fmt_tick=fmt.usd_tick,
                                    desc=f"Horizontal bars: cost in US dollars per {what}, with its "
                                         "share of the total cost.", label_width=HALF_LABEL))


def _models(data: dict) -> str:
    report = data["costs_by_model"]
    if not report["calls"]:
        return f'<section><h2>Models</h2>{_empty("Cost and calls by model")}</section>'
    calls = report["calls"]
    by_calls = sorted(report["breakdown"], key=lambda b: -b["calls"])
    call_rows = [(_label(b["key"]), [b["calls"]], f"{fmt.count(b['calls'])} · {fmt.pct(b['calls'] / calls)}")
                 for b in by_calls]
    calls_chart = _figure("Calls by model", svg.hbars(
        "calls-model", call_rows, title="Calls by model", x_title="Calls", fmt_tick=fmt.short,
        classes=("c2",), desc="Horizontal bars: calls per model, with its share of all calls.",
        label_width=HALF_LABEL))
    table = _table("costs_by_model", "cost and calls by model",
                   ["Model", "Cost", "Cost share", "Calls", "Call share", "Unknown price"],
                   _share_rows(report["breakdown"], calls))
    return (f'<section><h2>Models</h2><div class="two">'
            f'{_cost_bars("cost-model", "Cost by model", report, "model")}{calls_chart}</div>{table}</section>')


def _agents_projects(data: dict) -> str:
    out = ['<section><h2>Agents and projects</h2><div class="two">']
    tables = []
    for by, title in (("agent", "Cost by agent"), ("project", "Cost by project")):
        report = data[f"costs_by_{by}"]
        if not report["calls"]:
            out.append(_empty(title))
            continue
        out.append(_cost_bars(f"cost-{by}", title, report, by))
        tables.append(_table(f"costs_by_{by}", f"cost and calls by {by}",
                             [by.capitalize(), "Cost", "Cost share", "Calls", "Call share", "Unknown price"],
                             _share_rows(report["breakdown"], report["calls"])))
    out.append("</div>")
    out.extend(tables)
    out.append("</section>")
    return "".join(out)


def _rhythm(data: dict) -> str:
    grid, names = data["heatmap"]["calls"], data["heatmap"]["weekdays"]
    title = "Calls by weekday and hour (local time)"
    if not any(any(row) for row in grid):
        return f"<section><h2>Rhythm</h2>{_empty(title)}</section>"
    p = data["patterns"]
    peak = ", ".join(f"{h:02d}:00" for h in p["peak_hours"])
    chart = svg.heatmap("heatmap", grid, [n[:3] for n in names], title=title, fmt=fmt.compact,
                        desc=f"A grid of calls per weekday and local hour; darker cells had more calls. "
                             f"Peak hours {peak}; busiest weekday {p['busiest_weekday']}.",
                        x_title="Hour of day (local time)", y_title="Weekday")
    rows = [({"weekday": name, **{f"h{h:02d}": v for h, v in enumerate(row)}, "calls": sum(row)},
             [name, *(fmt.count(v) for v in row), fmt.count(sum(row))]) for name, row in zip(names, grid, strict=True)]
    table = _table("heatmap", "calls by weekday and hour",
                   ["Weekday", *(f"{h:02d}" for h in range(24)), "Total"], rows)
    note = f"Peak hours: {peak}. Busiest weekday: {p['busiest_weekday']}."
    return f"<section><h2>Rhythm</h2>{_figure(title, chart, note=note)}{table}</section>"


def _speed(data: dict) -> str:
    perf = [m for m in data["performance"]["by_model"] if m["timed_calls"]]
    models = data["models"]
    if not models:
        return f'<section><h2>Speed and errors</h2>{_empty("Latency by model")}</section>'
    lat_rows = [(_label(m["model"]), [m["p50"], m["p95"], m["p99"]],
                 f"p50 {fmt.ms(m['p50'])} · p95 {fmt.ms(m['p95'])} · p99 {fmt.ms(m['p99'])}") for m in perf]
    lat = svg.hbars("latency-model", lat_rows, title="Latency by model", x_title="Latency (seconds)",
                    fmt_tick=lambda v: f"{v / 1000:g} s", fmt_value=fmt.ms, classes=("p50", "p95", "p99"),
                    names=("p50", "p95", "p99"),
                    desc="Grouped horizontal bars: p50, p95 and p99 latency per model in seconds.",
                    width=1000, label_width=260, value_width=240)
    dupes = {m["model"] for m in models if sum(x["model"] == m["model"] for x in models) > 1}
    err_rows = [(_model_label(m, dupes), [m["error_rate"] * 100],
                 fmt.pct(m["error_rate"])) for m in models]
    err = svg.hbars("errors-model", err_rows, title="Error rate by model", x_title="Failed calls (%)",
                    fmt_tick=lambda v: f"{v:g}%", classes=("err",),
                    desc="Horizontal bars: the share of calls per model that failed, in percent.",
                    width=1000, label_width=260, value_width=240)
    lat_table = _table("performance", "latency by model",
                       ["Model", "Timed calls", "Average", "p50", "p95", "p99"],
                       [({"model": m["model"], "timed_calls": m["timed_calls"], "avg": m["avg"], "p50": m["p50"],
                          "p95": m["p95"], "p99": m["p99"]},
                         [_label(m["model"]), fmt.count(m["timed_calls"]), fmt.ms(m["avg"]), fmt.ms(m["p50"]),
                          fmt.ms(m["p95"]), fmt.ms(m["p99"])]) for m in perf])
    err_table = _table("models", "calls and failures by model",
                       ["Model", "Provider", "Calls", "Failures", "Error rate"],
                       [({"model": m["model"], "provider": m["provider"], "calls": m["calls"],
                          "failures": m["failures"], "error_rate": m["error_rate"]},
                         [_label(m["model"]), _label(m["provider"]), fmt.count(m["calls"]),
                          fmt.count(m["failures"]), fmt.pct(m["error_rate"])]) for m in models])
    legend = [("p50", "p50"), ("p95", "p95"), ("p99", "p99")]
    return (f'<section><h2>Speed and errors</h2>{_figure("Latency by model", lat, legend)}{lat_table}'
            f'{_figure("Error rate by model", err)}{err_table}</section>')


def _model_label(m: dict, dupes: set) -> str:
    return f"{_label(m['model'])} ({_label(m['provider'])})" if m["model"] in dupes else _label(m["model"])
