The flags every command shares: -m/--model (aliases resolved; an unknown model is exit 3),
-p/--provider, --days, --since/--until with relative forms, -n/--limit, --debug, --version.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry --version
  llm-telemetry \(llm-core\) 0\.\d+\.\d+ (re)

An alias or API id selects the model's calls; a misspelt model is an error, not 0 calls:

  $ llm-telemetry stats week --model claude-haiku-4.5 --json | grep -m1 '"calls"'
      "calls": 801,
  $ llm-telemetry stats week -m claude-haiku-4-5-20251001 --json | grep -m1 '"calls"'
      "calls": 801,
  $ llm-telemetry stats week --model sonnet --json | grep -m1 '"model"'
      "model": "claude-sonnet-5-5",
  $ llm-telemetry stats week -m claude-haiku-45
  Error: unknown model 'claude-haiku-45' (did you mean claude-haiku-4-5*?); see 'llm-models list' (glob)
  [3]
  $ llm-telemetry log -n 1 -p openai -m gpt-4o-mini
  2026-11-27 *  gpt-4o-mini  * (glob)

--days on every report, log and export; relative times count back from now:

  $ llm-telemetry stats --days 2 --json | grep -m1 '"calls"'
      "calls": * (glob)
  $ llm-telemetry export --days 1 | wc -l
  [1-9][0-9]* (re)
  $ llm-telemetry log --since 24h --limit 2 | wc -l
  2
  $ llm-telemetry stats --since yesterday --until yesterday | head -1
  From 2026-11-26 00:00 to 2026-11-27 00:00
  $ llm-telemetry stats --since 30m --json | grep '"since"'
      "since": "2026-11-27T11:30:00*", (glob)
  $ llm-telemetry models -n 1 --debug | tail -1
  claude-haiku-4-5  * (glob)

Out of range is a usage error (2), never an internal one (1):

  $ llm-telemetry stats --days 100000000
  Error: Invalid value for '--days': 100000000 is not in the range 1<=x<=36500.
  Try 'llm-telemetry stats --help'.
  [2]
  $ llm-telemetry stats --until 9999-12-31
  Error: --until: 9999-12-31 is out of range (1970-01-02 to 2999-12-31)
  Try 'llm-telemetry stats --help'.
  [2]
  $ llm-telemetry stats week --days 3
  Error: give a period or --days, not both
  Try 'llm-telemetry stats --help'.
  [2]
  $ LLM_RETENTION_DAYS=99999999999999999999 llm-telemetry prune
  Error: LLM_RETENTION_DAYS must be a whole number from 1 to 36,500, got '99999999999999999999'
  [4]
  $ LLM_STORAGE_MAX_SIZE_MB=inf llm-telemetry prune
  Error: LLM_STORAGE_MAX_SIZE_MB must be a number > 0 and <= 1,000,000,000, got 'inf'
  [4]
