Reports over several stores: --store (repeated), --all-under, LLM_TELEMETRY_DIRS.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ LLM_TELEMETRY_DIR=src/api/.llm-telemetry llm-telemetry demo --days 3 --calls 400 --seed 1 > /dev/null
  $ LLM_TELEMETRY_DIR=src/web/.llm-telemetry llm-telemetry demo --days 3 --calls 600 --seed 2 > /dev/null
  $ llm-telemetry stats all --store src/api/.llm-telemetry --json | jq .totals.calls
  400
  $ llm-telemetry stats all --store src/api/.llm-telemetry --store src/web/.llm-telemetry --json | jq '.totals.calls, .store, .stores'
  1000
  null
  [
    "src/api/.llm-telemetry",
    "src/web/.llm-telemetry"
  ]
  $ llm-telemetry projects --all-under src --days 3
  Last 3 days (2026-11-25 00:00 to 2026-11-28 00:00)
  PROJECT        CALLS  ERRORS   TOKENS    COST    AVG
  -------------  -----  ------  -------  ------  -----
  spacewalker      308      4%  978,519  $2.08*  2.00s
  api-gateway      199      1%  661,745  $1.43*  2.17s
  docs-site        158      1%  467,796  $0.96*  1.95s
  data-pipeline    126      2%  377,755  $0.88*  2.28s
  * some calls had no known price; their cost is not included
  $ LLM_TELEMETRY_DIRS=src/web/.llm-telemetry:src/api/.llm-telemetry llm-telemetry costs --days 3 --json | jq '.calls, .stores'
  791
  [
    "src/web/.llm-telemetry",
    "src/api/.llm-telemetry"
  ]

A report without filters, slots or percentiles (projects, agents, models) over several
stores keeps what it read in one file per set of stores under $XDG_CACHE_HOME/llm-core/stores,
and each store's share in one file per store under parts/; the next one over the same stores
and days answers from it after checking every day file, so a call recorded since is counted
(only the store that changed is read again):

  $ ls "$XDG_CACHE_HOME/llm-core/stores"
  [0-9a-f]{16}\.cache (re)
  parts
  $ ls "$XDG_CACHE_HOME/llm-core/stores/parts" | wc -l
  2
  $ llm-telemetry projects --all-under src --days 3 --json | jq '[.projects[].calls] | add'
  791
  $ day=src/web/.llm-telemetry/2026-11-26/telemetry.jsonl
  $ head -n 1 $day >> $day
  $ llm-telemetry projects --all-under src --days 3 --json | jq '[.projects[].calls] | add'
  792

A missing store is one warning; the others still answer:

  $ llm-telemetry stats all --store src/api/.llm-telemetry --store src/gone --json | jq .totals.calls
  Warning: src/gone: no such telemetry store (skipped)
  400
  $ llm-telemetry stats all --all-under nowhere
  Warning: no telemetry store found under nowhere
  No telemetry recorded yet in nowhere (calls are recorded as you use llm-core; `llm-telemetry demo` writes sample data).
  All time
    Calls      0  (0 ok, 0 failed, 0.0% errors)
    Tokens     0  (input 0, output 0, cache read 0, cache write 0)
    Cost       $0.00
    Latency    avg -, p95 -
    Top model  -
  
  Note: the window reaches back past 2026-10-28 (UTC); the store keeps 30 days, so older calls are not in it (LLM_RETENTION_DAYS keeps more).
