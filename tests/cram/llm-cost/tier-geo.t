A call is priced as it was served: --geo us (Anthropic US-only inference, 1.1x on Claude
Opus/Sonnet 4.6 and later), --tier priority|flex (OpenAI service tiers).

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-cost -m claude-opus-4-6 -i 1000 -o 500
  claude-opus-4-6 (anthropic)
    input    1,000 tokens  $0.005
    output     500 tokens  $0.0125
    total    1,500 tokens  $0.0175
  $ llm-cost -m claude-opus-4-6 -i 1000 -o 500 --geo us
  claude-opus-4-6 (anthropic, us inference)
    input    1,000 tokens  $0.0055
    output     500 tokens  $0.01375
    total    1,500 tokens  $0.01925

The 4.5 models do not take inference_geo; their price stays:

  $ llm-cost -m claude-opus-4-5 -i 1000 -o 500 --geo us --json | python -c '
  > import json, sys; r = json.load(sys.stdin); print(r["cost_usd"], r["inference_geo"])'
  0.0175 us

OpenAI's priority and flex tiers:

  $ llm-cost -m gpt-5 -i 1000 -o 500 --tier priority
  gpt-5 (openai, priority tier)
    input    1,000 tokens  $0.0025
    output     500 tokens  $0.01
    total    1,500 tokens  $0.0125
  $ llm-cost --compare gpt-5 o3 gpt-4.1 -i 1000 -o 500 --tier flex
  MODEL    PROVIDER  INPUT  OUTPUT       COST
  -------  --------  -----  ------  ---------
  o3       openai    1,000     500     $0.003
  gpt-5    openai    1,000     500  $0.003125
  gpt-4.1  openai    1,000     500     $0.006

--reprice takes no pricing options:

  $ llm-cost --reprice --tier flex < /dev/null
  Error: --reprice takes telemetry on stdin and no other options
  Try 'llm-cost --help'.
  [2]
