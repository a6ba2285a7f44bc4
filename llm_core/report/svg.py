"""Inline SVG charts as strings: bars over days (stacked, with an optional line), horizontal
bars, grouped horizontal bars and a heatmap. No script: every chart is a `role="img"` with
a title and a description, colours are CSS classes (so the page's light and dark schemes
apply), and numbers are formatted by functions the caller passes.

Coordinates are in the SVG's own units (its viewBox); the page scales it to its box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

__all__ = ["Series", "day_bars", "hbars", "heatmap", "nice_ticks"]

Fmt = Callable[[float], str]
Series = tuple[str, str, Sequence[float]]  # (name, CSS class, one value per day)

FONT = 12  # px in viewBox units; the stylesheet sets the family
_ROW = 26


def _n(x: float) -> str:
    """A coordinate with at most one decimal: small files, no visible loss."""
    r = round(x, 1)
    return str(int(r)) if r == int(r) else str(r)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 times a power of ten) up to at least `top`."""
    if not top or top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _open(width: int, height: int, ident: str, title: str, desc: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
            f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>')


def _text(x: float, y: float, text: str, cls: str = "ax", anchor: str = "", extra: str = "") -> str:
    a = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}"{a}{extra}>{escape(text)}</text>'


def _y_axis(ticks: list[float], y_of: Callable[[float], float], left: float, right: float,
            fmt: Fmt) -> list[str]:
    out = []
    for t in ticks:
        y = y_of(t)
        out.append(f'<path class="gl" d="M{_n(left)} {_n(y)}H{_n(right)}"/>')
        out.append(_text(left - 6, y + 4, fmt(t), anchor="end"))
    return out


def _day_label_step(n: int) -> int:
    return next((s for s in (1, 2, 3, 7, 14, 28, 56, 91) if n / s <= 12), 182)


def _day_label(day: date, first: bool) -> str:
    text = f"{day:%b} {day.day}"
    return f"{text}, {day.year}" if first or (day.month == 1 and day.day <= 7) else text


def day_bars(ident: str, days: Sequence[str], series: Sequence[Series], *, title: str, desc: str,
             y_title: str, fmt_tick: Fmt, tips: Sequence[str] = (),
             line: tuple[str, str, Sequence[float]] | None = None, width: int = 1000,
             height: int = 280) -> str:
    """Bars per day, stacked when several series are given (first at the bottom), and an
    optional line (name, CSS class, values) drawn over them. `tips` are per-day tooltips."""
    left, right, top, bottom = 72, width - 12, 14, height - 46
    n = len(days)
    stacks = [sum(s[2][i] for s in series) for i in range(n)]
    peak = max([*stacks, *(line[2] if line else ())], default=0)
    ticks = nice_ticks(peak)
    scale = (bottom - top) / ticks[-1]

    def y_of(v: float) -> float:
        return bottom - v * scale

    slot = (right - left) / max(n, 1)
    bar = max(slot * 0.78, 0.6)
    out = [_open(width, height, ident, title, desc), *_y_axis(ticks, y_of, left, right, fmt_tick)]
    base = [0.0] * n
    for name, cls, values in series:
        d = []
        for i, v in enumerate(values):
            if v > 0:
                x, h = left + i * slot + (slot - bar) / 2, v * scale
                d.append(f"M{_n(x)} {_n(y_of(base[i]))}h{_n(bar)}v{_n(-h)}h{_n(-bar)}z")
                base[i] += v
        if d:
            out.append(f'<path class="{cls}" d="{"".join(d)}"><title>{escape(name)}</title></path>')
    if line and n:
        pts = " ".join(f"{_n(left + (i + 0.5) * slot)},{_n(y_of(v))}" for i, v in enumerate(line[2]))
        out.append(f'<polyline class="{line[1]}" points="{pts}"><title>{escape(line[0])}</title></polyline>')
    if tips:
        for i, tip in enumerate(tips):
            out.append(f'<rect class="hit" x="{_n(left + i * slot)}" y="{top}" width="{_n(slot)}" '
                       f'height="{_n(bottom - top)}"><title>{escape(tip)}</title></rect>')
    step = _day_label_step(n)
    for i in range(0, n, step):
        x = left + (i + 0.5) * slot
        out.append(f'<path class="tk" d="M{_n(x)} {_n(bottom)}v4"/>')
        out.append(_text(x, bottom + 17, _day_label(date.fromisoformat(days[i]), i == 0), anchor="middle"))
    out.append(f'<path class="axis" d="M{left} {_n(bottom)}H{right}"/>')
    out.append(_text((left + right) / 2, height - 6, "Day (local time)", "at", "middle"))
    out.append(_text(14, (top + bottom) / 2, y_title, "at", "middle",
                     f' transform="rotate(-90 14 {_n((top + bottom) / 2)})"'))
    out.append("</svg>")
    return "".join(out)


def hbars(ident: str, rows: Sequence[tuple[str, Sequence[float], str]], *, title: str, desc: str,
          x_title: str, fmt_tick: Fmt, classes: Sequence[str] = ("c1",),
          names: Sequence[str] = (), fmt_value: Fmt | None = None, width: int = 500,
          label_width: int = 170, value_width: int = 110) -> str:
    """Horizontal bars, one row per (label, values, value text); several values per row are
    drawn as a group of thinner bars (classes, names and `fmt_value` for their tooltips)."""
    k = max((len(r[1]) for r in rows), default=1)
    row_h = _ROW if k == 1 else 11 * k + 12
    left, right, top = label_width, width - value_width, 8
    bottom = top + row_h * max(len(rows), 1)
    height = bottom + 42
    ticks = nice_ticks(max((v for r in rows for v in r[1]), default=0), 4)
    scale = (right - left) / ticks[-1]
    out = [_open(width, height, ident, title, desc)]
    for t in ticks:
        x = left + t * scale
        out.append(f'<path class="gl" d="M{_n(x)} {top}V{_n(bottom)}"/>')
        out.append(_text(x, bottom + 16, fmt_tick(t), anchor="middle"))
    thick = row_h - 10 if k == 1 else 9
    for r, (label, values, text) in enumerate(rows):
        y0 = top + r * row_h + 5
        out.append(_text(left - 8, y0 + (row_h - 10) / 2 + 4, _clip(label, label_width), "lb", "end"))
        for j, v in enumerate(values):
            y = y0 + j * 11
            w = max(v * scale, 0.0)
            name = f"{names[j]} " if j < len(names) else ""
            out.append(f'<rect class="{classes[j % len(classes)]}" x="{left}" y="{_n(y)}" '
                       f'width="{_n(w)}" height="{thick}"><title>{escape(label)}: {escape(name)}'
                       f'{escape((fmt_value or fmt_tick)(v) if k > 1 else text)}</title></rect>')
        out.append(_text(left + max(values, default=0) * scale + 6, y0 + (row_h - 10) / 2 + 4, text, "val"))
    out.append(f'<path class="axis" d="M{left} {top}V{_n(bottom)}"/>')
    out.append(_text((left + right) / 2, height - 6, x_title, "at", "middle"))
    out.append("</svg>")
    return "".join(out)


def _clip(label: str, width: int) -> str:
    most = int(width / (FONT * 0.56)) - 1
    return label if len(label) <= most else label[:most - 1] + "…"


def heatmap(ident: str, grid: Sequence[Sequence[int]], rows: Sequence[str], *, title: str,
            desc: str, x_title: str, y_title: str, fmt: Fmt, width: int = 1000) -> str:
    """A grid of counts (rows x 24 hours): darker is more; each cell shows its count."""
    left, top = 100, 4
    cell_w = (width - left - 8) / 24
    cell_h = 28
    bottom = top + cell_h * len(rows)
    height = bottom + 44
    peak = max((v for row in grid for v in row), default=0)
    out = [_open(width, height, ident, title, desc)]
    for h in range(24):
        out.append(_text(left + (h + 0.5) * cell_w, bottom + 16, f"{h:02d}", anchor="middle"))
    for r, (label, row) in enumerate(zip(rows, grid, strict=True)):
        y = top + r * cell_h
        out.append(_text(left - 8, y + cell_h / 2 + 4, label, "lb", "end"))
        for h, v in enumerate(row):
            x = left + h * cell_w
            share = v / peak if peak else 0
            fill = f' fill-opacity="{0.1 + 0.9 * share:.2f}"' if v else ""
            out.append(f'<rect class="{"hm" if v else "hm0"}" x="{_n(x + 1)}" y="{_n(y + 1)}" '
                       f'width="{_n(cell_w - 2)}" height="{cell_h - 2}"{fill}/>')
            if v:
                out.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, fmt(v),
                                 "hi" if share > 0.5 else "val", "middle", ' font-size="10"'))
    out.append(_text(left + 12 * cell_w, height - 6, x_title, "at", "middle"))
    out.append(_text(14, (top + bottom) / 2, y_title, "at", "middle",
                     f' transform="rotate(-90 14 {_n((top + bottom) / 2)})"'))
    out.append("</svg>")
    return "".join(out)
