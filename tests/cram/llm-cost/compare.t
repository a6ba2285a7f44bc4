--compare prices the same call on several models, cheapest first.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-cost --compare gpt-4o sonnet llama-3.1-70b claude-haiku-4-5 -i 5000 -o 500
  MODEL                              PROVIDER    INPUT  OUTPUT     COST
  ---------------------------------  ----------  -----  ------  -------
  meta-llama/llama-3.1-70b-instruct  openrouter  5,000     500  $0.0022
  claude-haiku-4-5                   anthropic   5,000     500  $0.0075
  claude-sonnet-5-5                  anthropic   5,000     500   $0.015
  gpt-4o                             openai      5,000     500  $0.0175
  $ llm-cost --compare gpt-4o gpt-4o-mini -i 1000 -o 100 --json | jq -c '.[] | [.model, .cost_usd]'
  ["gpt-4o-mini",0.00021]
  ["gpt-4o",0.0035]

Without models: every current model (retired ones and echo left out).

  $ llm-cost --compare -i 1000 -o 100 --json | jq -r '.[].model' | grep -c -E '^(echo|claude-3-5-haiku)$'
  0
  [1]
  $ llm-cost --compare -i 1000 -o 100 | head -3
  MODEL                                  PROVIDER    INPUT  OUTPUT       COST
  -------------------------------------  ----------  -----  ------  ---------
  meta-llama/llama-3.1-8b-instruct:free  openrouter  1,000     100      $0.00
