Pick the cheapest model that fits; stdout holds just its id, for $(...).

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-models select --budget 0.01 --capability vision --provider anthropic
  claude-haiku-5-5
  $ llm-models select --min-context 1000000 --capability vision --capability reasoning --provider anthropic --fast
  claude-haiku-5-5
  $ llm-models select -p openai -i 20000 -o 2000 -c reasoning --json | jq -c '{model, estimated_cost_usd}'
  {"model":"gpt-6-luna","estimated_cost_usd":0.003}

The offline echo model is only chosen when asked for.

  $ llm-models select --provider echo
  echo

Nothing fits: a clear message and exit 3.

  $ llm-models select --budget 0.00001 --capability vision
  Error: no model fits budget $0.00001 per call, capabilities vision; the cheapest model meeting the rest is google/gemini-2.5-flash-lite at $0.0003 for 1,000 input + 500 output tokens
  [3]
  $ llm-models select --min-context 5000000
  Error: no model fits context >= 5,000,000
  [3]
