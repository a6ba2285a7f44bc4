"""The local telemetry store (its layout, ids, timestamps and the JSONL reader: llm_core.records;
the day files, plain or compressed: llm_core.dayfiles).

    local.py             LocalStorage: locked, whole-line JSONL appends from a background writer
      _files.py            its file operations: open without following links, write all
    locking.py           the exclusive flock writers append under and pruning unlinks under
    prune.py             retention and the size cap
    day_summaries.py     the per-day summaries (.summaries/DAY.sum) the reports are answered from:
                         which to build, extend or drop
      _day_records.py      one record as a summary sees it (15-minute slot, combo, metrics)
      _day_builder.py      DayBuilder: a day's lines into groups, encoded as a summary
      _bulk_records.py     its reader of megabytes of lines at once (msgspec)
      _day_summary_file.py the summary file format: DayBuilder writes one, DaySummary reads one
    month_summaries.py   closed months' roll-ups (.summaries/YYYY-MM.sum) and which summaries
                         answer a report
      _month_summary_file.py the roll-up format: merge_days writes one, MonthSummary reads one
    totals.py            summary.json, the per-day totals (get_today_stats); a cache of the JSONL
    query.py             the reports' aggregations, exact and equal to a full scan
    demo.py              a realistic synthetic store for trying the reports
    sql.py               SQL over the store through DuckDB: the typed `calls` view (the sql extra)
    export.py            the records as JSONL, CSV, xlsx, SQLite or Parquet files
"""
