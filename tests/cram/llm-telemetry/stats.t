stats for a period, local time, with --json.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry stats
  Today (2026-11-27 00:00 to 2026-11-28 00:00)
    Calls      200  (197 ok, 3 failed, 1.5% errors)
    Tokens     627,612  (input 415,602, output 66,450, cache read 129,219, cache write 16,341)
    Cost       $1.64  (20 calls without a known price)
    Latency    avg 2.38s, p95 7.73s
    Top model  claude-sonnet-4-5 (53 calls)
  $ llm-telemetry stats week
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
    Calls      2,708  (2,663 ok, 45 failed, 1.7% errors)
    Tokens     8,510,709  (input 5,194,979, output 953,612, cache read 2,094,109, cache write 268,009)
    Cost       $19.91  (246 calls without a known price)
    Latency    avg 2.26s, p95 5.78s
    Top model  claude-haiku-4-5 (801 calls)
  $ llm-telemetry stats yesterday --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["window"]); print(r["totals"]["calls"], r["latency_ms"])'
  {'label': 'yesterday', 'since': '2026-11-26T00:00:00+00:00', 'until': '2026-11-27T00:00:00+00:00'}
  526 {'avg': 2062.251, 'p50': 1419, 'p95': 5823, 'p99': 11246}
  $ TZ=America/New_York llm-telemetry stats
  Today (2026-11-27 00:00 to 2026-11-28 00:00)
    Calls      189  (188 ok, 1 failed, 0.5% errors)
    Tokens     588,791  (input 393,538, output 62,553, cache read 120,532, cache write 12,168)
    Cost       $1.52  (19 calls without a known price)
    Latency    avg 2.35s, p95 7.14s
    Top model  claude-sonnet-4-5 (52 calls)
