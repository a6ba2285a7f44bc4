Budgets: a call whose worst case would pass a budget is not sent (exit 8) and is recorded as
blocked. The model "pricey" costs $250 per million tokens: each call below costs $0.004.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ cat > models.json <<'JSON'
  > {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5",
  >  "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json LLM_BUDGET_DAILY_USD=0.01
  $ P=xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-chat --no-stream -m pricey --max-tokens 9 $P < /dev/null
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-chat -m pricey --max-tokens 9 $P < /dev/null
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-chat --no-stream -m pricey --max-tokens 9 $P < /dev/null
  Error: daily budget $0.0100 would be exceeded: $0.008000 spent this day (calls in flight included) + up to $0.005250 for this call; raise LLM_BUDGET_DAILY_USD, lower --max-tokens, or wait for the next day
  [8]

The refusal is recorded (tests/test_budgets.py proves, with the fake's request log, that it
never reached the provider):

  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r.get("status"), r["success"], round(r["cost_usd"], 6))'
  None True 0.004
  None True 0.004
  blocked False 0.0

The reports count it as blocked, not as a failure: it never reached a provider, so it is
neither in the error rate nor in the latencies:

  $ llm-telemetry stats today | grep -E 'Calls|Latency'
    Calls      3  (2 ok, 0 failed, 1 blocked, 0.0% errors)
    Latency    avg .* (re)
  $ llm-telemetry stats today --json | python -c '
  > import json, sys
  > t = json.load(sys.stdin)["totals"]
  > print(t["calls"], t["failures"], t["blocked"], t["error_rate"])'
  3 0 1 0.0
  $ llm-telemetry performance --days 1 --json | python -c '
  > import json, sys
  > o = json.load(sys.stdin)["overall"]
  > print(o["calls"], o["timed_calls"])'
  3 2
  $ llm-telemetry log | awk '{print $3, $4}'
  DENY pricey
  ok pricey
  ok pricey

Warn mode sends the call and says so:

  $ LLM_BUDGET_MODE=warn llm-chat --no-stream -m pricey --max-tokens 9 $P < /dev/null
  Warning: daily budget $0.0100 would be exceeded: $0.008000 spent this day (calls in flight included) + up to $0.005250 for this call; raise LLM_BUDGET_DAILY_USD, lower --max-tokens, or wait for the next day
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx

Bad budget settings are configuration errors:

  $ LLM_BUDGET_DAILY_USD=-1 llm-chat -m echo hi < /dev/null
  Error: LLM_BUDGET_DAILY_USD must be a number > 0 and <= 1,000,000,000, got '-1'
  [4]
  $ LLM_BUDGET_MODE=maybe llm-chat -m echo hi < /dev/null
  Error: LLM_BUDGET_MODE must be one of block, warn, got 'maybe'
  [4]

--max-cost refuses a single call whose worst case (here 1000 output tokens) is above it:

  $ unset LLM_BUDGET_DAILY_USD
  $ llm-chat -m pricey --max-cost 0.01 $P < /dev/null
  Error: this call may cost up to $0.2530, above --max-cost $0.0100; lower --max-tokens or raise --max-cost
  [8]
  $ llm-chat -m pricey --max-cost 0.01 --max-tokens 9 $P < /dev/null
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-chat -m echo --max-cost -1 hi < /dev/null
  Error: Invalid value for '--max-cost': -1.0 is not in the range 0<=x<=1000000000.0.
  Try 'llm-chat --help'.
  [2]
