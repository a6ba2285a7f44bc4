"""The human forms of llm-telemetry's output (the JSON forms are the report dicts as they are),
and the CSV row of a record."""

from __future__ import annotations

import sys
from datetime import datetime

from llm_core.cli._common import fmt_int, fmt_ms, fmt_pct, fmt_usd, style, table
from llm_core.records import parse_timestamp

NONE = "(none)"
BLOCKS = " ▏▎▍▌▋▊▉█"


def _usd(value: float | None) -> str:
    """Cents for amounts of a cent or more (tables stay aligned), more digits below that."""
    if value is not None and (value >= 0.01 or value == 0):
        return f"${value:,.2f}"
    return fmt_usd(value)


def _name(value) -> str:
    return NONE if value is None else str(value)


def _title(report: dict) -> str:
    w = report["window"]
    since = (w["since"] or "")[:16].replace("T", " ")
    until = (w["until"] or "")[:16].replace("T", " ")
    if w["label"] == "custom":
        text = f"From {since or 'the beginning'} to {until or 'now'}"
    elif since or until:
        text = f"{w['label'][:1].upper()}{w['label'][1:]} ({since or '...'} to {until or 'now'})"
    else:
        text = w["label"][:1].upper() + w["label"][1:]
    return style(text, bold=True)


def _filters(report: dict) -> str:
    active = [f"{k}={v}" for k, v in report["filters"].items() if v is not None]
    return f"  filtered by {', '.join(active)}" if active else ""


def _unknown(n: int) -> str:
    return f"{fmt_int(n)} call{'s' if n != 1 else ''} without a known price" if n else ""


def _head(report: dict) -> list[str]:
    return [line for line in (_title(report), _filters(report)) if line]


def stats(r: dict) -> str:
    t, lat = r["totals"], r["latency_ms"]
    tok = t["tokens"]
    calls = t["calls"]
    cost = _usd(t["cost_usd"])
    if t["unknown_cost_calls"]:
        cost += f"  ({_unknown(t['unknown_cost_calls'])})"
    top = r["top_model"]
    rows = [
        ("Calls", f"{fmt_int(calls)}  ({fmt_int(t['successes'])} ok, {fmt_int(t['failures'])} failed, "
                  + (f"{fmt_int(t['cancelled'])} cancelled, " if t.get("cancelled") else "")
                  + (f"{fmt_int(t['blocked'])} blocked, " if t.get("blocked") else "")
                  + f"{t['error_rate'] * 100:.1f}% errors)"),
        ("Tokens", f"{fmt_int(tok['total'])}  (input {fmt_int(tok['input'])}, output {fmt_int(tok['output'])}, "
                   f"cache read {fmt_int(tok['cache_read'])}, cache write {fmt_int(tok['cache_write'])})"),
        ("Cost", cost),
        ("Latency", f"avg {fmt_ms(lat['avg'])}, p95 {fmt_ms(lat['p95'])}"),
        ("Top model", f"{_name(top['model'])} ({fmt_int(top['calls'])} calls)" if top else "-"),
    ]
    return "\n".join([*_head(r), *(f"  {k:<10} {v}" for k, v in rows)])


def costs(r: dict) -> str:
    lines = _head(r)
    lines[0] = f"{lines[0]}: total cost {_usd(r['total_cost_usd'])}"
    rows = [(_name(b["key"]), _usd(b["cost_usd"]), fmt_pct(b["cost_usd"], r["total_cost_usd"]),
             _unknown(b["unknown_cost_calls"]).replace("without a known price", "unpriced"))
            for b in r["breakdown"]]
    if rows:
        lines.append(_indent(table(rows, align=("left", "right", "right", "left"))))
    if r["unknown_cost_calls"]:
        lines.append(f"  ({_unknown(r['unknown_cost_calls'])}: not in the totals)")
    return "\n".join(lines)


def models(r: dict) -> str:
    rows = [(_name(m["model"]), _name(m["provider"]), fmt_int(m["calls"]), f"{m['share'] * 100:.0f}%",
             fmt_int(m["tokens"]["total"]), _cost(m)) for m in r["models"]]
    headers = ("MODEL", "PROVIDER", "CALLS", "SHARE", "TOKENS", "COST")
    return _with_table(r, rows, headers, ("left", "left", "right", "right", "right", "right"))


def agents(r: dict) -> str:
    rows = [(_name(a["agent"]), _name(a["operation"]), fmt_int(a["calls"]), fmt_pct(a["failures"], a["calls"]),
             fmt_int(a["tokens"]["total"]), _cost(a), fmt_ms(a["avg_ms"])) for a in r["agents"]]
    headers = ("AGENT", "OPERATION", "CALLS", "ERRORS", "TOKENS", "COST", "AVG")
    return _with_table(r, rows, headers, ("left", "left", "right", "right", "right", "right", "right"))


def projects(r: dict) -> str:
    rows = [(_name(p["project"]), fmt_int(p["calls"]), fmt_pct(p["failures"], p["calls"]),
             fmt_int(p["tokens"]["total"]), _cost(p), fmt_ms(p["avg_ms"])) for p in r["projects"]]
    headers = ("PROJECT", "CALLS", "ERRORS", "TOKENS", "COST", "AVG")
    return _with_table(r, rows, headers, ("left", "right", "right", "right", "right", "right"))


def invalid_note(report: dict) -> str:
    """The line under a report's table when some calls carried numbers that are damage."""
    n = report.get("invalid_values")
    if not n:
        return ""
    return (f"\n  ({fmt_int(n)} call{'s' if n != 1 else ''} with an invalid count, cost or latency"
            " (negative, not a number or implausible): those values are not in the totals)")


def _cost(m: dict) -> str:
    text = _usd(m["cost_usd"])
    return text + "*" if m["unknown_cost_calls"] else text


def _with_table(r: dict, rows: list, headers: tuple, align: tuple) -> str:
    lines = _head(r)
    if not rows:
        lines.append("  no calls")
        return "\n".join(lines)
    lines.append(table(rows, headers, align))
    if any(str(c).endswith("*") for row in rows for c in row):
        lines.append("* some calls had no known price; their cost is not included")
    return "\n".join(lines)


def performance(r: dict) -> str:
    o = r["overall"]
    lines = [*_head(r), f"  {fmt_int(o['calls'])} calls: avg {fmt_ms(o['avg'])}, p50 {fmt_ms(o['p50'])}, "
                        f"p95 {fmt_ms(o['p95'])}, p99 {fmt_ms(o['p99'])}"]
    rows = [(_name(m["model"]), fmt_int(m["calls"]), fmt_ms(m["avg"]), fmt_ms(m["p50"]), fmt_ms(m["p95"]),
             fmt_ms(m["p99"])) for m in r["by_model"]]
    if rows:
        lines += ["", table(rows, ("MODEL", "CALLS", "AVG", "P50", "P95", "P99"),
                           align=("left", "right", "right", "right", "right", "right"))]
    slow = [(_name(s["agent"]), _name(s["operation"]), fmt_int(s["calls"]), fmt_ms(s["avg_ms"]))
            for s in r["slowest_operations"]]
    if slow:
        lines += ["", "Slowest operations (by average)",
                  table(slow, ("AGENT", "OPERATION", "CALLS", "AVG"), align=("left", "left", "right", "right"))]
    return "\n".join(lines)


def bar(value: int, peak: int, width: int = 30, blocks: bool = True) -> str:
    """A bar of text blocks, `width` cells for `peak`, in eighths of a cell ('#' cells when
    the output cannot show block characters)."""
    if not peak or not value:
        return ""
    if not blocks:
        return "#" * max(1, round(value * width / peak))
    eighths = max(1, round(value * width * 8 / peak))
    return BLOCKS[8] * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")


def _can_draw_blocks() -> bool:
    try:
        BLOCKS.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def patterns(r: dict) -> str:
    lines = _head(r)
    hours = r["by_hour"]
    if not r["calls"]:
        lines.append("  no calls")
        return "\n".join(lines)
    peak = max(hours)
    blocks = _can_draw_blocks()
    lines.append("Calls per hour (local time)")
    for h, n in enumerate(hours):
        lines.append(f"  {h:02d}:00 {bar(n, peak, blocks=blocks):<30} {fmt_int(n)}")
    lines.append("")
    lines.append("Peak hours: " + ", ".join(f"{h:02d}:00" for h in r["peak_hours"]))
    busiest = next(w for w in r["by_weekday"] if w["weekday"] == r["busiest_weekday"])
    lines.append(f"Busiest weekday: {busiest['weekday']} ({fmt_int(busiest['calls'])} calls)")
    lines.append("  " + "  ".join(f"{w['weekday'][:3]} {fmt_int(w['calls'])}" for w in r["by_weekday"]))
    if r["top_operations"]:
        lines.append("")
        lines.append("Most common operations")
        rows = [(f"{_name(o['agent'])}/{_name(o['operation'])}", fmt_int(o["calls"])) for o in r["top_operations"]]
        lines.append(_indent(table(rows, align=("left", "right"))))
    return "\n".join(lines)


# A call the user cancelled, or one a budget refused before sending: neither is a failure.
_NOT_OK = {"cancelled": "STOP", "blocked": "DENY"}


def log_line(rec: dict) -> str:
    """One record as a line: local time, status, model, agent/operation, tokens, cost, latency."""
    ts = parse_timestamp(rec.get("timestamp"))
    when = datetime.fromtimestamp(ts / 1000).strftime("%Y-%m-%d %H:%M:%S") if ts is not None else "?"
    ok = rec.get("success") is not False
    tokens = rec.get("tokens") if isinstance(rec.get("tokens"), dict) else {}
    cost = rec.get("cost_usd")
    meta = rec.get("metadata") if isinstance(rec.get("metadata"), dict) else {}
    dur = rec.get("duration_ms")
    parts = [
        when, "ok  " if ok else _NOT_OK.get(rec.get("status")) or style("FAIL", fg="red"), _name(rec.get("model")),
        f"{_name(rec.get('agent_name'))}/{_name(rec.get('operation'))}",
        f"{fmt_int(tokens.get('total') or 0)} tok",
        fmt_usd(cost if isinstance(cost, (int, float)) else None, unknown="$?"),
        fmt_ms(dur if isinstance(dur, (int, float)) else None),
    ]
    if meta.get("project"):
        parts.append(f"[{meta['project']}]")
    if not ok and meta.get("error"):
        parts.append(str(meta["error"]))
    return "  ".join(parts)


def prune(r: dict) -> str:
    removed = r.get("removed") or []
    verb = "would remove" if r.get("dry_run") else "removed"
    freed = r.get("freed_bytes", sum(x.get("bytes", 0) for x in removed))
    packed = r.get("compressed") or []
    note = ""
    if packed:
        before, after = (sum(x["bytes_before"] for x in packed), sum(x["bytes_after"] for x in packed))
        note = (f"Compressed {len(packed)} day file{'s' if len(packed) != 1 else ''}, "
                f"{before / 1e6:.1f} MB to {after / 1e6:.1f} MB\n")
    if not removed:
        lines = [note + "Nothing to prune" + (f" (store: {r['base_dir']})" if r.get("base_dir") else "")]
    else:
        lines = [f"{note}{verb.capitalize()} {len(removed)} item{'s' if len(removed) != 1 else ''}, "
                 f"{freed / 1e6:.1f} MB"]
    for x in removed:
        kind = f"{x.get('kind', '')} {x['id']}" if x.get("id") else x.get("kind", "")
        lines.append(f"  {x.get('day', '')}  {kind}  {x.get('bytes', 0) / 1e6:.1f} MB  "
                     f"({x.get('reason', '')})")
    alone = r.get("left_alone") or []
    if alone:
        lines.append(f"Left alone ({len(alone)}, not counted toward the cap; see llm-telemetry doctor):")
        lines += [f"  {x['path']}  ({x['why']})" for x in alone]
    return "\n".join(lines)


def where(i: dict) -> str:
    return f"{i['store']}\n  why:   {i['detail']}\n  state: {i['state']}"


def doctor(r: dict) -> str:
    lines = [f"Store: {r['store']} ({r['detail']})"]
    for c in r["checks"]:
        lines.append(f"{c['status']:<8} {c['name']:<10} {c['detail']}")
        lines += [f"{'':<19}{p}" for p in c["paths"]]
    if r["problems"]:
        lines.append(f"{r['problems']} problem{'s need' if r['problems'] != 1 else ' needs'} a hand"
                     " (llm-telemetry doctor --fix repairs modes, summaries and the marker)")
    else:
        lines.append("Healthy" + (f" ({r['fixed']} fixed)" if r["fixed"] else ""))
    return "\n".join(lines)


def demo(i: dict) -> str:
    return (f"Wrote {i['records']:,} demo records ({i['days']} day files, {i['bytes'] / 1e6:.1f} MB)"
            f" to {i['store']}\n"
            "Try: llm-telemetry stats week; llm-telemetry costs --by agent; llm-telemetry patterns")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))
