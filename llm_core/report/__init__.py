"""The HTML report: the numbers (`data.build_report`) and one self-contained page of them
(`page.render_html`: inline SVG and CSS, no script, no network).

    from llm_core.report import build_report, render_html
    from llm_core.storage.query import last_days, now_ms

    data = build_report(store_dir, last_days(30, now_ms()))
    Path("report.html").write_text(render_html(data))
"""

from __future__ import annotations

from llm_core.report.data import build_report, report_data
from llm_core.report.page import render_html

__all__ = ["build_report", "render_html", "report_data"]
