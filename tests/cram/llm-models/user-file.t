A user file adds models (a local one at price 0) and overrides prices.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ cat > models.json <<'JSON'
  > {"models": {
  >   "llama3-local": {"provider": "openai", "api_id": "llama3", "context_window": 8192,
  >                    "max_output": 2048, "pricing": {"input": 0, "output": 0}},
  >   "gpt-4o": {"pricing": {"input": 2.0}}
  > }}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json
  $ llm-models show llama3-local | grep -E '^(llama3-local|api id:|price per 1M:|prices:)'
  llama3-local
  api id:          llama3
  price per 1M:    input $0.00, output $0.00
  prices:          user
  $ llm-models show gpt-4o | grep -E '^(price per 1M|prices):'
  price per 1M:    input $2.00, output $10.00, cache read $1.25
  prices:          user
  $ llm-models list -p openai | tail -1
  Prices: USD per 1M tokens, checked anthropic 2026-11-27 (today), openai 2026-11-27 (today), openrouter 2026-11-27 (today); overrides from */models.json (glob)
