No store yet: a friendly note on stderr, zeros on stdout, exit 0.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry stats
  No telemetry recorded yet in */telemetry (calls are recorded as you use llm-core; `llm-telemetry demo` writes sample data). (glob)
  Today (2026-11-27 00:00 to 2026-11-28 00:00)
    Calls      0  (0 ok, 0 failed, 0.0% errors)
    Tokens     0  (input 0, output 0, cache read 0, cache write 0)
    Cost       $0.00
    Latency    avg -, p95 -
    Top model  -
  $ llm-telemetry costs --json 2>/dev/null | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total_cost_usd"], r["calls"], r["breakdown"])'
  0.0 0 []
  $ llm-telemetry log
  No telemetry recorded yet in */telemetry. (glob)
