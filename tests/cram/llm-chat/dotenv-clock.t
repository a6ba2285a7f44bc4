A repository's .env cannot move the clock. LLM_TELEMETRY_NOW and LLM_MODELS_TODAY are test
hooks, read from the environment only: a .env pinning "now" far ahead would otherwise make the
whole history look past its retention, and the first call of the day would prune it.

  $ . "$TESTDIR/../_setup.sh"
  $ export TZ=UTC
  $ mkdir repo && cd repo
  $ LLM_TELEMETRY_NOW=$(date -u +%Y-%m-%dT12:00:00Z) llm-telemetry demo --days 5 --calls 50 --seed 1 > /dev/null
  $ ls "$LLM_TELEMETRY_DIR" | grep -c '^20'
  6
  $ printf 'LLM_TELEMETRY_NOW=2999-06-01T12:00:00Z\nLLM_MODELS_TODAY=2999-06-01\n' > .env
  $ llm-chat -m echo hi < /dev/null
  hi
  $ ls "$LLM_TELEMETRY_DIR" | grep -c '^20'
  6
  $ llm-telemetry stats today | head -1 | grep -c "^Today ($(date -u +%Y-%m-%d) 00:00"
  1
  $ llm-chat --where < /dev/null | grep -c -e LLM_TELEMETRY_NOW -e LLM_MODELS_TODAY
  0
  [1]

The same pin in your own environment moves the reports (that is what it is for), but the
prune that follows a call never takes a "today" later than the clock's:

  $ rm .env "$LLM_TELEMETRY_DIR/.last-prune"
  $ LLM_TELEMETRY_NOW=2999-06-01T12:00:00Z llm-chat -m echo hi < /dev/null
  hi
  $ ls "$LLM_TELEMETRY_DIR" | grep -c '^20'
  6
  $ LLM_TELEMETRY_NOW=2999-06-01T12:00:00Z llm-telemetry stats today | head -1
  Today (2999-06-01 00:00 to 2999-06-02 00:00)
