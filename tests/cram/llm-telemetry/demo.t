The demo writes a seeded store and refuses to mix into one that has data.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42
  Wrote 3,000 demo records (8 day files, 1.8 MB) to */telemetry (glob)
  Try: llm-telemetry stats week; llm-telemetry costs --by agent; llm-telemetry patterns
  $ ls "$LLM_TELEMETRY_DIR"
  2026-11-20
  2026-11-21
  2026-11-22
  2026-11-23
  2026-11-24
  2026-11-25
  2026-11-26
  2026-11-27
  $ llm-telemetry demo --calls 10
  Error: */telemetry already holds telemetry; use --force to add demo records to it, or point LLM_TELEMETRY_DIR at an empty folder (glob)
  Try 'llm-telemetry demo --help'.
  [2]
  $ llm-telemetry demo --calls 10 --force --json | grep records
    "records": 10,
