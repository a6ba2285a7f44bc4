"""Text charts: sparkline levels and buckets, bars in blocks or '#'."""

from __future__ import annotations

from llm_core.cli.telemetry import charts as _charts


def test_a_sparkline_has_a_level_per_value_and_blanks_for_nothing():
    line, per = _charts.sparkline([0, 1, 2, 4, 8], blocks=True)
    assert per == 1 and line == " ▁▂▄█"
    assert _charts.sparkline([0, 1, 2, 4, 8], blocks=False)[0] == " _.=@"
    assert _charts.sparkline([0, 0], blocks=True) == ("  ", 1)


def test_a_long_sparkline_sums_buckets_of_days():
    values = [1] * 365
    line, per = _charts.sparkline(values, blocks=True, width=60)
    assert per == 7 and len(line) == 53
    assert line[:-1] == "█" * 52 and line[-1] == "▂"  # the last bucket holds one day of seven
