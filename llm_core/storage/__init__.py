"""The local telemetry store.

    local.py     LocalStorage: locked, whole-line JSONL appends from a background writer
    _jsonl.py    the tolerant reader (torn and garbage lines skipped and counted)
    summary.py   summary.json, the rolling per-day totals (a cache, rebuilt from the JSONL)
    prune.py     retention and the size cap
    index.py     per-day summaries the reports are answered from (.summaries/)
    query.py     the reports' aggregations, exact and equal to a full scan
    demo.py      a realistic synthetic store for trying the reports
"""
