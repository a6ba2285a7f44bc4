llm-telemetry budget lists every budget: LLM_BUDGET_*_USD and those of budgets.toml, each with
its scope (the calls it counts), window, spend, limit, remaining and forecast.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ cat > models.json <<'JSON'
  > {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5",
  >  "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json LLM_BUDGET_DAILY_USD=1
  $ mkdir -p "$XDG_CONFIG_HOME/llm-core"
  $ cat > "$XDG_CONFIG_HOME/llm-core/budgets.toml" <<'TOML'
  > [[budget]]
  > name = "ci-bot"
  > agent = "ci-bot"
  > window = "week"
  > limit_usd = 0.01
  > 
  > [[budget]]
  > name = "pricey-month"
  > model = "pricey"
  > window = "month"
  > limit_usd = 2
  > TOML
  $ P=xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ LLM_AGENT_NAME=ci-bot llm-chat -m pricey --max-tokens 9 $P < /dev/null
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-chat -m pricey --max-tokens 9 $P < /dev/null
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ llm-telemetry budget
  budget +scope +window +spent +limit +remaining +used +forecast +state (re)
  [- ]+ (re)
  daily +all calls +day \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$1.00 +\$0.9920 +1% +\$[\d.,]+ +ok (re)
  ci-bot +agent=ci-bot +week \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.004000 +\$0.0100 +\$0.006000 +40% +\$[\d.,]+ +ok (re)
  pricey-month +model=pricey +month \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d +\$0.008000 +\$2.00 +\$1.99 +0% +\$[\d.,]+ +ok (re)

--json carries each budget's scope; --fail-at counts every budget:

  $ llm-telemetry budget --json | python -c '
  > import json, sys
  > for b in json.load(sys.stdin)["budgets"]:
  >     print(b["budget"], json.dumps(b["scope"]), b["window"], round(b["spent_usd"], 6), b["limit_usd"])'
  daily {} day 0.008 1.0
  ci-bot {"agent": "ci-bot"} week 0.004 0.01
  pricey-month {"model": "pricey"} month 0.008 2.0
  $ llm-telemetry budget --fail-at 40% > /dev/null
  budget reached: ci-bot (40% used)
  [1]
  $ llm-telemetry budget --fail-at 41% > /dev/null

A budgets.toml that is not valid is a configuration error (exit 4):

  $ printf '[[budget]]\nname = "x"\nwindow = "week"\nlimit_usd = "5"\n' > "$XDG_CONFIG_HOME/llm-core/budgets.toml"
  $ llm-telemetry budget
  Error: */config/llm-core/budgets.toml: budget 1: limit_usd must be a number > 0 and <= 1,000,000,000, got '5' (glob)
  [4]
