"""Text pictures for the terminal: bars per row and sparklines.

Block characters where stdout can encode them, '#' bars and ASCII levels where it cannot (the
rule `patterns` uses); colour only where `style()` allows it (a terminal, NO_COLOR unset).
"""

from __future__ import annotations

import math

from llm_core.cli._common import fmt_int, fmt_ms, style, table
from llm_core.cli.telemetry.render import _can_draw_blocks, _head, _name, _unknown, _usd, bar

SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = "_.-=+*#@"
SPARK_WIDTH = 60
BAR_WIDTH = 30


def sparkline(values: list[float], blocks: bool, width: int = SPARK_WIDTH) -> tuple[str, int]:
    """One character per value (levels of the largest), or per bucket of several values summed
    when there are more than `width`; returns (line, values per character)."""
    per = max(1, math.ceil(len(values) / width))
    sums = [sum(values[i:i + per]) for i in range(0, len(values), per)]
    levels = SPARKS if blocks else ASCII_SPARKS
    peak = max(sums, default=0)
    if not peak:
        return " " * len(sums), per
    n = len(levels)  # eighths of the peak, rounded up: any value above zero shows
    return "".join(" " if not v else levels[max(0, math.ceil(v / peak * n - 1e-9) - 1)] for v in sums), per


def _bars(values: list[float]) -> list[str]:
    blocks = _can_draw_blocks()
    peak = max(values, default=0)
    return [style(bar(v, peak, BAR_WIDTH, blocks), fg="blue") for v in values]


def costs(r: dict) -> str:
    """`costs --chart`: the breakdown with a bar for each row's cost."""
    lines = _head(r)
    lines[0] = f"{lines[0]}: total cost {_usd(r['total_cost_usd'])}"
    rows = r["breakdown"]
    share = [f"{b['share'] * 100:.0f}%" for b in rows]
    cells = [(_name(b["key"]), _usd(b["cost_usd"]), s, bars)
             for b, s, bars in zip(rows, share, _bars([b["cost_usd"] for b in rows]), strict=True)]
    if cells:
        lines.append(_indent(table(cells, align=("left", "right", "right", "left"))))
    if r["unknown_cost_calls"]:
        lines.append(f"  ({_unknown(r['unknown_cost_calls'])}: not in the totals)")
    return "\n".join(lines)


def report(data: dict) -> str:
    """`report` in the terminal: the headline, cost per day as bars with its running average,
    tokens per day by type as sparklines. Pictures last on a line: colour codes would upset
    the columns' widths."""
    s = data["stats"]
    t, lat, days = s["totals"], s["latency_ms"], data["days"]
    lines = _head(data)
    cost = _usd(t["cost_usd"])
    if t["unknown_cost_calls"]:
        cost += f" ({_unknown(t['unknown_cost_calls'])})"
    lines += [
        f"  Calls    {fmt_int(t['calls'])} ({fmt_int(t['failures'])} failed, {t['error_rate'] * 100:.1f}% errors)",
        f"  Tokens   {fmt_int(t['tokens']['total'])}",
        f"  Cost     {cost}",
        f"  Latency  p50 {fmt_ms(lat['p50'])}, p95 {fmt_ms(lat['p95'])}, p99 {fmt_ms(lat['p99'])}",
    ]
    if not t["calls"]:
        return "\n".join(lines)
    avg = f"{data['average_days']}-day avg"
    rows = [(d["day"], _usd(d["cost_usd"]), f"{avg} {_usd(d['cost_avg_usd'])}", bars)
            for d, bars in zip(days, _bars([d["cost_usd"] for d in days]), strict=True)]
    lines += ["", "Cost per day (local time)", _indent(table(rows, align=("left", "right", "right", "left")))]
    blocks = _can_draw_blocks()
    spark_rows = []
    per = 1
    for key, name in (("total", "total"), ("input", "input"), ("output", "output"),
                      ("cache_read", "cache read"), ("cache_write", "cache write")):
        values = [d["tokens"][key] for d in days]
        line, per = sparkline(values, blocks)
        spark_rows.append((name, fmt_int(sum(values)), style(line, fg="blue")))
    each = "a day" if per == 1 else f"{per} days"
    lines += ["", f"Tokens per day, {days[0]['day']} to {days[-1]['day']} (one character is {each})",
              _indent(table(spark_rows, align=("left", "right", "left")))]
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))
