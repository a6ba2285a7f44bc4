metrics: the store as Prometheus metrics, cumulative, from the summaries.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 2 --calls 300 --seed 42 > /dev/null
  $ llm-telemetry metrics | grep -E '^# TYPE'
  # TYPE llm_calls_total counter
  # TYPE llm_call_errors_total counter
  # TYPE llm_calls_blocked_total counter
  # TYPE llm_tokens_total counter
  # TYPE llm_cost_usd_total counter
  # TYPE llm_call_duration_seconds histogram
  $ llm-telemetry metrics | grep -E '^llm_calls_total\{' | head -3
  llm_calls_total{agent="chat",model="claude-haiku-4-5",operation="chat",project="api-gateway",provider="anthropic"} 6.0
  llm_calls_total{agent="chat",model="claude-haiku-4-5",operation="chat",project="data-pipeline",provider="anthropic"} 2.0
  llm_calls_total{agent="chat",model="claude-haiku-4-5",operation="chat",project="docs-site",provider="anthropic"} 3.0
  $ llm-telemetry metrics | grep -E '^llm_call_duration_seconds_(bucket|count|sum)\{agent="chat",.*model="gpt-4o-mini",.*project="api-gateway"' | sed -n '4,7p;15,17p'
  llm_call_duration_seconds_bucket{agent="chat",le="0.08",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 0.0
  llm_call_duration_seconds_bucket{agent="chat",le="0.16",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 0.0
  llm_call_duration_seconds_bucket{agent="chat",le="0.32",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 0.0
  llm_call_duration_seconds_bucket{agent="chat",le="0.64",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 2.0
  llm_call_duration_seconds_bucket{agent="chat",le="+Inf",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 4.0
  llm_call_duration_seconds_count{agent="chat",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 4.0
  llm_call_duration_seconds_sum{agent="chat",model="gpt-4o-mini",operation="chat",project="api-gateway",provider="openai"} 2.785

The histogram has the counters' labels: each label set's _count is its calls (every demo call
is timed), and its +Inf bucket the same:

  $ llm-telemetry metrics --json > m.json
  $ jq -c '[.samples[] | select(.name == "llm_calls_total") | .labels] | length' m.json
  112
  $ jq -c '[.samples[] | select(.name == "llm_calls_total" or .name == "llm_call_duration_seconds_count"
  >   or (.name == "llm_call_duration_seconds_bucket" and .labels.le == "+Inf"))
  >   | [(.labels | del(.le) | tostring), .value]] | group_by(.[0])
  >   | map(select(length != 3 or (map(.[1]) | unique | length) != 1)) | length' m.json
  0

The counters add up to the reports:

  $ llm-telemetry metrics --json | jq '[.samples[] | select(.name == "llm_calls_total") | .value] | add'
  300
  $ llm-telemetry metrics --json | jq '[.samples[] | select(.name == "llm_tokens_total" and .labels.type == "output") | .value] | add'
  106436
  $ llm-telemetry stats all --json | jq '.totals.calls, .totals.tokens.output'
  300
  106436

The same output twice (idempotent), and a file for node_exporter's textfile collector,
written atomically:

  $ llm-telemetry metrics > one.prom; llm-telemetry metrics > two.prom; cmp one.prom two.prom && echo same
  same
  $ mkdir textfile
  $ llm-telemetry metrics --output textfile/llm.prom
  $ ls textfile; cmp textfile/llm.prom one.prom && echo same
  llm.prom
  same
  $ llm-telemetry metrics --openmetrics | tail -1
  # EOF

Errors:

  $ llm-telemetry metrics --output missing/dir/llm.prom
  Error: cannot write missing/dir/llm.prom: No such file or directory
  [3]
  $ ls missing
  ls: cannot access 'missing': No such file or directory
  [2]
