llm-telemetry budget: each budget's window, spend, limit, remaining and forecast; exit 1 once a
budget is reached (or --fail-at PERCENT of it), for CI steps and git hooks.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry budget
  No budget set (LLM_BUDGET_DAILY_USD, LLM_BUDGET_MONTHLY_USD, */config/llm-core/budgets.toml). (glob)
  $ llm-telemetry budget --json
  {
    "budgets": [],
    "fail_at_percent": 100.0,
    "mode": "block",
    "file": "*/config/llm-core/budgets.toml" (glob)
  }

Two calls at $0.004 each against a daily budget of $0.01 and a monthly one of $1:

  $ start_fake_provider
  $ cat > models.json <<'JSON'
  > {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5",
  >  "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json LLM_BUDGET_DAILY_USD=0.01 LLM_BUDGET_MONTHLY_USD=1
  $ for i in 1 2; do llm-chat -m pricey --max-tokens 9 xxxxxxxxxxxxxxxxxxxxxxxxxx < /dev/null; done
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-telemetry budget
  budget +scope +window +spent +limit +remaining +used +forecast +state (re)
  [- ]+ (re)
  daily +all calls +day \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$0.0100 +\$0.002000 +80% +\$[\d.,]+ +ok (re)
  monthly +all calls +month \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$1.00 +\$0.9920 +1% +\$[\d.,]+ +ok (re)
  $ llm-telemetry budget --fail-at 80%
  budget +scope +window +spent +limit +remaining +used +forecast +state (re)
  [- ]+ (re)
  daily +all calls +day \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$0.0100 +\$0.002000 +80% +\$[\d.,]+ +over --fail-at (re)
  monthly +all calls +month \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$1.00 +\$0.9920 +1% +\$[\d.,]+ +ok (re)
  budget reached: daily (80% used)
  [1]
  $ llm-telemetry budget --json | python -c '
  > import json, sys
  > for b in json.load(sys.stdin)["budgets"]:
  >     print(b["budget"], b["window"], b["spent_usd"], b["limit_usd"], round(b["remaining_usd"], 6), b["exceeded"])'
  daily day 0.008 0.01 0.002 False
  monthly month 0.008 1.0 0.992 False

Once the limit is reached, the status is 1:

  $ LLM_BUDGET_DAILY_USD=0.008 llm-telemetry budget --json > out.json
  budget reached: daily (100% used)
  [1]
  $ python -c 'import json; print(json.load(open("out.json"))["budgets"][0]["exceeded"])'
  True

Errors:

  $ llm-telemetry budget --fail-at 120
  Error: Invalid value for '--fail-at': '120' is not a percentage from 0 to 100 (e.g. 90%)
  Try 'llm-telemetry budget --help'.
  [2]
  $ LLM_BUDGET_MONTHLY_USD=lots llm-telemetry budget
  Error: LLM_BUDGET_MONTHLY_USD must be a number > 0 and <= 1,000,000,000, got 'lots'
  [4]
