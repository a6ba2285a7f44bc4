"""The query API over the telemetry store in one import: every `llm-telemetry` report's numbers.

It lives in four modules, one per step; this one re-exports their public names:

- `windows`      what to select: `Window`, `Filters`, `Dims`, date parsing, periods
- `collect`      the selection's sums: `collect` (from the per-day summaries, the fast path)
                 and `collect_scan` (record by record, the reference)
- `reports`      a `Collection` turned into each report's JSON shape; exact percentiles
- `records_iter` the selected records themselves: in order, newest first, or followed

    from llm_core.storage.query import Filters, collect, now_ms, period_window, stats_report
    window = period_window("week", now_ms())
    print(stats_report(collect(store_dir, window, Filters()), window))
"""

from __future__ import annotations

from llm_core.errors import DateError
from llm_core.storage.collect import Collection, collect, collect_scan
from llm_core.storage.records_iter import (
    follow_records,
    follow_start,
    iter_records,
    latest_records,
    lines_backwards,
    select_lines,
)
from llm_core.storage.reports import (
    BREAKDOWNS,
    WEEKDAYS,
    agents_report,
    costs_report,
    group,
    kth_smallest,
    latency,
    metrics_dict,
    models_report,
    patterns_report,
    percentile,
    performance_report,
    projects_report,
    reset_local_cache,
    stats_report,
    totals,
)
from llm_core.storage.windows import (
    ALL_TIME,
    DIMENSIONS,
    NO_FILTERS,
    PERIODS,
    Dims,
    Filters,
    Window,
    last_days,
    local_midnight,
    now_ms,
    parse_when,
    period_window,
    range_window,
    report_window,
    today,
)

__all__ = [
    "ALL_TIME",
    "BREAKDOWNS",
    "DIMENSIONS",
    "NO_FILTERS",
    "PERIODS",
    "WEEKDAYS",
    "Collection",
    "DateError",
    "Dims",
    "Filters",
    "Window",
    "agents_report",
    "collect",
    "collect_scan",
    "costs_report",
    "follow_records",
    "follow_start",
    "group",
    "iter_records",
    "kth_smallest",
    "last_days",
    "latency",
    "latest_records",
    "lines_backwards",
    "local_midnight",
    "metrics_dict",
    "models_report",
    "now_ms",
    "parse_when",
    "patterns_report",
    "percentile",
    "performance_report",
    "period_window",
    "projects_report",
    "range_window",
    "report_window",
    "reset_local_cache",
    "select_lines",
    "stats_report",
    "today",
    "totals",
]
