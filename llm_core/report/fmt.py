"""Numbers for people, as the report page shows them (the exact ones go in data attributes)."""

from __future__ import annotations

__all__ = ["compact", "count", "ms", "pct", "short", "usd", "usd_tick"]


def usd(value: float | None) -> str:
    """$1,234.56; below a cent, enough digits to see it ($0.0042); '-' for None."""
    if value is None:
        return "-"
    if value == 0 or abs(value) >= 0.01:
        return f"${value:,.2f}"
    return f"${value:.6f}".rstrip("0")


def usd_tick(value: float) -> str:
    """An axis label: $0, $2.5, $40, $1.2k."""
    if value >= 1000:
        return f"${value / 1000:,.1f}k".replace(".0k", "k")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"${text}"


def count(value: float | None) -> str:
    return "-" if value is None else f"{int(value):,}"


def compact(value: int) -> str:
    """At most five characters, for small boxes: 973, 9,732, 15.0k, 150k, 1.5M."""
    if value < 10_000:
        return f"{value:,}"
    for div, unit in ((1e3, "k"), (1e6, "M"), (1e9, "G")):
        x = value / div
        text = f"{x:.1f}" if x < 99.95 else f"{x:.0f}"
        if float(text) < 1000:
            return text + unit
    return f"{value:.2g}"


def short(value: float) -> str:
    """1.2M, 340k, 950: for axes and cells where the exact count is in the table."""
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= div:
            text = f"{value / div:.1f}".rstrip("0").rstrip(".")
            return text + unit
    return f"{value:g}"


def ms(value: float | None) -> str:
    """850 ms, 2.4 s; '-' when nothing was timed."""
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value / 1000:.2f}".rstrip("0").rstrip(".") + " s"
    return f"{value:.0f} ms"


def pct(value: float) -> str:
    """A fraction as a percentage with one decimal: 0.4512 -> 45.1%."""
    return f"{value * 100:.1f}%"
