models: most used models by calls, with tokens and cost.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry models --top 3 --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
  MODEL              PROVIDER   CALLS  SHARE     TOKENS   COST
  -----------------  ---------  -----  -----  ---------  -----
  claude-haiku-4-5   anthropic    801    30%  3,002,298  $3.16
  claude-sonnet-4-5  anthropic    699    26%  2,715,848  $8.90
  gpt-4o-mini        openai       550    20%  1,160,951  $0.26
