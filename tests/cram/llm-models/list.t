List the models with their prices; the last line says when the prices were checked.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-models list --provider openai --capability reasoning | head -4
  MODEL          PROVIDER    CONTEXT  MAX OUT  INPUT  OUTPUT  CACHED  SPEED     STATUS
  -------------  --------  ---------  -------  -----  ------  ------  --------  ------------------
  gpt-5          openai      272,000  128,000   1.25   10.00   0.125  moderate  retires 2026-12-11
  gpt-5-mini     openai      272,000  128,000   0.25    2.00   0.025  fast      retires 2026-12-11
  $ llm-models list -p anthropic | grep -E '^(MODEL|claude-sonnet-4-6|claude-haiku-5-5|claude-3-5-haiku) '
  MODEL              PROVIDER     CONTEXT  MAX OUT  INPUT  OUTPUT  CACHED  SPEED     STATUS
  claude-haiku-5-5   anthropic  1,000,000  128,000   0.10    0.50    0.01  fastest
  claude-sonnet-4-6  anthropic  1,000,000   64,000   3.00   15.00    0.30  fast
  $ llm-models list -p anthropic | tail -1
  Prices: USD per 1M tokens, checked anthropic 2026-11-27 (today), openai 2026-11-27 (today), openrouter 2026-11-27 (today)
  $ llm-models list -p anthropic --all | grep -E '^claude-(3-5-haiku|sonnet-4|opus-4) '
  claude-3-5-haiku       anthropic    200,000    8,192   0.80    4.00    0.08  fastest   retired 2026-02-19
  claude-opus-4          anthropic    200,000   32,000  15.00   75.00    1.50  slow      retired 2026-06-15
  claude-sonnet-4        anthropic    200,000   64,000   3.00   15.00    0.30  fast      retired 2026-06-15

Without a subcommand llm-models lists too.

  $ llm-models | head -1
  MODEL                                  PROVIDER      CONTEXT    MAX OUT  INPUT  OUTPUT  CACHED  SPEED     STATUS

JSON for scripts: an array of registry entries.

  $ llm-models list --json -p openrouter | jq length
  29
  $ llm-models list --json -c vision | jq -r '.[].capabilities | index("vision") != null' | sort -u
  true
