Scoped budgets: $XDG_CONFIG_HOME/llm-core/budgets.toml limits what one agent, project or model
spends over a local day, week or month. The model "pricey" costs $0.004 a call here.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ cat > models.json <<'JSON'
  > {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5",
  >  "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json
  $ mkdir -p "$XDG_CONFIG_HOME/llm-core"
  $ cat > "$XDG_CONFIG_HOME/llm-core/budgets.toml" <<'TOML'
  > [[budget]]
  > name = "ci-bot"
  > agent = "ci-bot"
  > window = "week"
  > limit_usd = 0.01
  > TOML
  $ P=xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ for i in 1 2; do LLM_AGENT_NAME=ci-bot llm-chat -m pricey --max-tokens 9 $P < /dev/null; done
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ LLM_AGENT_NAME=ci-bot llm-chat -m pricey --max-tokens 9 $P < /dev/null
  Error: ci-bot budget (agent=ci-bot) $0.0100 would be exceeded: $0.008000 spent this week (calls in flight included) + up to $0.005250 for this call; raise limit_usd of "ci-bot" in */config/llm-core/budgets.toml, lower --max-tokens, or wait for the next week (glob)
  [8]

Calls of other agents neither count for it nor are limited by it:

  $ for i in 1 2 3; do llm-chat -m pricey --max-tokens 9 $P < /dev/null; done
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["agent_name"], r.get("status"), round(r["cost_usd"], 6))'
  ci-bot None 0.004
  ci-bot None 0.004
  ci-bot blocked 0.0
  llm-chat None 0.004
  llm-chat None 0.004
  llm-chat None 0.004

Warn mode sends the call and names the budget:

  $ LLM_BUDGET_MODE=warn LLM_AGENT_NAME=ci-bot llm-chat -m pricey --max-tokens 9 $P < /dev/null
  Warning: ci-bot budget (agent=ci-bot) $0.0100 would be exceeded: * (glob)
  You said: xxxxxxxxxxxxxxxxxxxxxxxxxx

A repository cannot raise a limit of yours: a project .env may lower LLM_BUDGET_DAILY_USD set
in your own file, never raise it, and may not turn block into warn:

  $ printf 'LLM_BUDGET_DAILY_USD=0.025\n' > "$XDG_CONFIG_HOME/llm-core/env"
  $ chmod 600 "$XDG_CONFIG_HOME/llm-core/env"
  $ printf 'LLM_BUDGET_DAILY_USD=100\nLLM_BUDGET_MODE=warn\n' > .env
  $ llm-chat -m pricey --max-tokens 9 $P < /dev/null
  Error: daily budget $0.0250 would be exceeded: $0.0240 spent this day (calls in flight included) + up to $0.005250 for this call; raise LLM_BUDGET_DAILY_USD, lower --max-tokens, or wait for the next day
  [8]
  $ rm .env "$XDG_CONFIG_HOME/llm-core/env"

A budgets.toml that is not valid stops every call, naming the file and the problem (exit 4):

  $ B="$XDG_CONFIG_HOME/llm-core/budgets.toml"
  $ printf '[[budget]]\nname = "x"\nwindow = week\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml is not valid TOML: Invalid value (at line 3, column 10) (glob)
  [4]
  $ printf '[[budget]]\nname = "x"\nwindow = "week"\nlimit = 5\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml: budget 1: unknown key 'limit' (a budget has name, project, agent, model, window, limit_usd) (glob)
  [4]
  $ printf '[[budget]]\nname = "x"\nwindow = "year"\nlimit_usd = 5\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml: budget 1: window must be day, week or month, got 'year' (glob)
  [4]
  $ printf '[[budget]]\nname = "x"\nwindow = "day"\nlimit_usd = -1\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml: budget 1: limit_usd must be a number > 0 and <= 1,000,000,000, got -1 (glob)
  [4]
  $ printf '[[budget]]\nname = "x"\nwindow = "day"\nlimit_usd = 1\n[[budget]]\nname = "x"\nwindow = "week"\nlimit_usd = 2\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml: budget 2: the name 'x' is used twice (glob)
  [4]
  $ printf '[budget]\nname = "x"\n' > "$B"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/budgets.toml: 'budget' must be [[budget]] tables (glob)
  [4]
