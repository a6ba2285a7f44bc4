"""The local telemetry store: locked JSONL day files (local.py) and the queries over them (query.py)."""
