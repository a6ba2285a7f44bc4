Filters narrow every report.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry stats week --model gpt-4o-mini --project docs-site
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
    filtered by project=docs-site, model=gpt-4o-mini
    Calls      121  (120 ok, 1 failed, 0.8% errors)
    Tokens     235,056  (input 193,523, output 41,533, cache read 0, cache write 0)
    Cost       $0.05
    Latency    avg 1.04s, p95 2.40s
    Top model  gpt-4o-mini (121 calls)
  $ llm-telemetry costs --days 7 --provider openrouter
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00): total cost $0.00
    filtered by provider=openrouter
    meta-llama/llama-3.3-70b-instruct  $0.00  0%  246 calls unpriced
    (246 calls without a known price: not in the totals)
  $ llm-telemetry agents --agent nobody
  Last 30 days (2026-10-29 00:00 to 2026-11-28 00:00)
    filtered by agent=nobody
    no calls
