--since/--until take local dates or date-times; bad dates and ranges are usage errors.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry stats --since 2026-11-25 --until 2026-11-25
  From 2026-11-25 00:00 to 2026-11-26 00:00
    Calls      538  (527 ok, 11 failed, 2.0% errors)
    Tokens     1,660,618  (input 1,074,451, output 197,328, cache read 339,488, cache write 49,351)
    Cost       $4.27  (57 calls without a known price)
    Latency    avg 2.33s, p95 5.96s
    Top model  claude-haiku-4-5 (149 calls)
  $ llm-telemetry stats --since 2026-11-26T09:30 --until 2026-11-26T10:00 --json | grep -m1 '"calls"'
      "calls": 23,
  $ llm-telemetry stats --since 2026-11-31
  Error: --since: cannot read '2026-11-31' (use YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday, or an age like 7d, 24h, 30m)
  Try 'llm-telemetry stats --help'.
  [2]
  $ llm-telemetry costs --since 2026-11-26 --until 2026-11-20
  Error: --since 2026-11-26 is not before --until 2026-11-20
  Try 'llm-telemetry costs --help'.
  [2]
  $ llm-telemetry stats week --since 2026-11-20
  Error: give a period or --since/--until, not both
  Try 'llm-telemetry stats --help'.
  [2]
  $ llm-telemetry models --days 0
  Error: Invalid value for '--days': 0 is not in the range 1<=x<=36500.
  Try 'llm-telemetry models --help'.
  [2]
