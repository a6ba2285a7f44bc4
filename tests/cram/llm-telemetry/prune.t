prune applies retention and the size cap now and says what it removed.
(Real time here: prune keeps today's data, and today is the real today. The demo's calls end at
noon today, so that they fall on 8 dates at any hour the transcript runs.)

  $ . "$TESTDIR/../_setup.sh"
  $ LLM_TELEMETRY_NOW=$(date -u +%Y-%m-%dT12:00:00Z) llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ ls "$LLM_TELEMETRY_DIR" | wc -l
  8
  $ LLM_RETENTION_DAYS=5 llm-telemetry prune --dry-run
  Would remove 2 items, * MB (glob)
    ????-??-??  folder  * MB  (retention) (glob)
    ????-??-??  folder  * MB  (retention) (glob)
  $ ls "$LLM_TELEMETRY_DIR" | wc -l
  8
  $ LLM_RETENTION_DAYS=5 llm-telemetry prune --json | grep -c '"reason": "retention"'
  2
  $ ls "$LLM_TELEMETRY_DIR" | wc -l
  6
  $ llm-telemetry prune
  Nothing to prune (store: */telemetry) (glob)
