Bad input: one clear line on stderr and a documented exit status.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-cost -m claude-sonet-4-6 -i 1000
  Error: unknown model 'claude-sonet-4-6' (did you mean claude-sonnet-4-6, claude-sonnet-4-5, claude-sonnet-4-0?); see 'llm-models list'
  [3]
  $ llm-cost -m gpt-4o -i 1k
  Usage: llm-cost [OPTIONS] [MODEL]...
  Try 'llm-cost --help' for help.
  
  Error: Invalid value for '-i' / '--input': '1k' is not a valid integer range.
  [2]
  $ llm-cost -m gpt-4o -i 10 -o -1
  Usage: llm-cost [OPTIONS] [MODEL]...
  Try 'llm-cost --help' for help.
  
  Error: Invalid value for '-o' / '--output': -1 is not in the range x>=0.
  [2]
  $ llm-cost -i 1000 < /dev/null
  Usage: llm-cost [OPTIONS] [MODEL]...
  Try 'llm-cost --help' for help.
  
  Error: give a model with -m MODEL (or set LLM_MODEL)
  [2]
  $ llm-cost -m gpt-4o < /dev/null
  Usage: llm-cost [OPTIONS] [MODEL]...
  Try 'llm-cost --help' for help.
  
  Error: give --input N, or the text to count on stdin
  [2]
  $ llm-cost --reprice -m gpt-4o < /dev/null
  Usage: llm-cost [OPTIONS] [MODEL]...
  Try 'llm-cost --help' for help.
  
  Error: --reprice takes telemetry on stdin and no other options
  [2]
  $ LLM_MODEL=gpt-4o-mini llm-cost -i 1000000 -o 0 --json | jq .cost_usd
  0.15
