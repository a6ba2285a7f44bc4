Reports whose window reaches back past what the store keeps (LLM_RETENTION_DAYS, default 30)
say so under the table, and in --json as "retention".

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z TZ=UTC
  $ llm-telemetry demo --days 5 --calls 500 > /dev/null
  $ llm-telemetry projects --days 7 | tail -n 1
  * some calls had no known price; their cost is not included
  $ llm-telemetry projects --days 90 | tail -n 2
  
  Note: the window reaches back past 2026-10-28 (UTC); the store keeps 30 days, so older calls are not in it (LLM_RETENTION_DAYS keeps more).
  $ LLM_RETENTION_DAYS=120 llm-telemetry projects --days 90 | tail -n 1
  * some calls had no known price; their cost is not included
  $ llm-telemetry stats all --json | python3 -c 'import json,sys; r=json.load(sys.stdin)["retention"]; print(r["days"], r["kept_since"], r["reaches_past"])'
  30 2026-10-28 True
  $ llm-telemetry stats --json | python3 -c 'import json,sys; r=json.load(sys.stdin)["retention"]; print(r["reaches_past"], r["note"])'
  False None
