"""The local telemetry store (its layout, ids, timestamps and the JSONL reader: llm_core.records;
the day files, plain or compressed: llm_core.dayfiles).

Writing and keeping
    local.py             LocalStorage: locked, whole-line JSONL appends from a background writer
      _files.py            its file operations: open without following links, write all
    locking.py           the exclusive flock writers append under and pruning unlinks under
    location.py          which folder is the store, and whether a folder may be used as one
    inventory.py         what a store folder holds: its own files, and everything that is not
    prune.py             retention and the size cap
    compress.py          compression of old days (DAY/telemetry.jsonl.gz)
    conversations.py     saved conversations (conversations/ID.jsonl)
    doctor.py            a store's health: what `llm-telemetry doctor` checks and `--fix` repairs

Summaries, so reports need not re-read the JSONL
    day_summaries.py     the per-day summaries (.summaries/DAY.sum) the reports are answered from:
                         which to build, extend or drop
      _day_records.py      one record as a summary sees it (15-minute slot, combo, metrics)
      _day_builder.py      DayBuilder: a day's lines into groups, encoded as a summary
      _bulk_records.py     its reader of megabytes of lines at once (msgspec)
      _day_summary_file.py the summary file format: DayBuilder writes one, DaySummary reads one
      _columns.py          the summaries' binary columns, packed as narrow as their values allow
      _jobs.py             summary builds shared among worker processes (a cold first report)
    month_summaries.py   closed months' roll-ups (.summaries/YYYY-MM.sum) and which summaries
                         answer a report
      _month_summary_file.py the roll-up format: merge_days writes one, MonthSummary reads one
    store_cache.py       a store's settled days in one file (.summaries/settled.cache)
    stores_cache.py      one file per set of stores (<cache dir>/stores/KEY.cache)
    totals.py            summary.json, the per-day totals (get_today_stats); a cache of the JSONL

Reading and reporting
    windows.py           what a report selects: a time window, filters, the record dimensions
    collect.py           collecting what a window and filters select: the numbers of every report
    multi.py             the same across several stores (design v0.3)
    reports.py           a collection turned into each report's documented JSON shape
    query.py             the query API in one import: every `llm-telemetry` report's numbers
    records_iter.py      the selected records themselves: in file order, newest first, followed
    sql.py               SQL over the store through DuckDB: the typed `calls` view (the sql extra)
    export.py            the records as JSONL, CSV, xlsx, SQLite or Parquet files
    demo.py              a realistic synthetic store for trying the reports
"""
