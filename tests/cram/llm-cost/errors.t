Bad input: one clear line on stderr and a documented exit status.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-cost -m claude-sonet-4-6 -i 1000
  Error: unknown model 'claude-sonet-4-6' (did you mean claude-sonnet-4-6, claude-sonnet-4-5, claude-sonnet-4-0?); see 'llm-models list'
  [3]
  $ llm-cost -m gpt-4o -i 1k
  Error: Invalid value for '-i' / '--input': '1k' is not a valid integer range.
  Try 'llm-cost --help'.
  [2]
  $ llm-cost -m gpt-4o -i 10 -o -1
  Error: Invalid value for '-o' / '--output': -1 is not in the range 0<=x<=1000000000000.
  Try 'llm-cost --help'.
  [2]
  $ llm-cost -i 1000 < /dev/null
  Error: give a model with -m MODEL (or set LLM_MODEL)
  Try 'llm-cost --help'.
  [2]
  $ llm-cost --reprice -m gpt-4o < /dev/null
  Error: --reprice takes telemetry on stdin and no other options
  Try 'llm-cost --help'.
  [2]
  $ LLM_MODEL=gpt-4o-mini llm-cost -i 1000000 -o 0 --json | jq .cost_usd
  0.15
