Days older than LLM_COMPRESS_AFTER_DAYS are gzip-compressed by the daily maintenance (or by
prune, now); every report reads them as before, and zcat reads them too.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 12 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry stats all --json > before.json
  $ llm-telemetry log -n 3 --json > log-before.json
  $ llm-telemetry prune --dry-run
  Nothing to prune (store: */telemetry) (glob)
  $ find "$LLM_TELEMETRY_DIR" -name '*.gz' | wc -l | tr -d ' '
  0
  $ llm-telemetry prune
  Compressed 5 day files, * MB to * MB (glob)
  Nothing to prune (store: */telemetry) (glob)
  $ ls "$LLM_TELEMETRY_DIR/2026-11-15" "$LLM_TELEMETRY_DIR/2026-11-20"
  */2026-11-15: (glob)
  telemetry.jsonl.gz
  
  */2026-11-20: (glob)
  telemetry.jsonl
  $ llm-telemetry stats all --json | cmp - before.json
  $ llm-telemetry log -n 3 --json | cmp - log-before.json
  $ zcat "$LLM_TELEMETRY_DIR/2026-11-15/telemetry.jsonl.gz" | wc -l | tr -d ' '
  [1-9][0-9]* (re)
  $ llm-telemetry prune
  Nothing to prune (store: */telemetry) (glob)

Compression is off with 0; the setting's range is checked.

  $ LLM_COMPRESS_AFTER_DAYS=0 llm-telemetry prune --json | grep '"compressed"'
    "compressed": [],
  $ LLM_COMPRESS_AFTER_DAYS=-1 llm-telemetry prune
  Error: LLM_COMPRESS_AFTER_DAYS must be a whole number from 0 to 3,650, got '-1'
  [4]

doctor sees the summaries of compressed days as current, not as orphans.

  $ llm-telemetry stats all > /dev/null
  $ llm-telemetry doctor | grep summaries
  ok       summaries  13 current
