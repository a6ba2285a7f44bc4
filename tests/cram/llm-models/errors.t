Bad input: one clear line on stderr and a documented exit status.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-models show claude-sonet-4-6
  Error: unknown model 'claude-sonet-4-6' (did you mean claude-sonnet-4-6, claude-sonnet-4-5, claude-sonnet-4-0?); see 'llm-models list'
  [3]
  $ llm-models list --provider anthropix
  Error: Invalid value for --provider: unknown provider 'anthropix' (did you mean anthropic?); known: anthropic, echo, openai, openrouter
  Try 'llm-models list --help'.
  [2]
  $ llm-models select --budget cheap
  Error: Invalid value for '-b' / '--budget': 'cheap' is not a valid float.
  Try 'llm-models select --help'.
  [2]
  $ llm-models select --input-tokens -1
  Error: Invalid value for '-i' / '--input-tokens': -1 is not in the range 0<=x<=1000000000000.
  Try 'llm-models select --help'.
  [2]
  $ llm-models frobnicate
  Error: No such command 'frobnicate'.
  Try 'llm-models --help'.
  [2]

A broken user model file is a configuration error.

  $ echo '{"models": {"gpt-4o": {"pricing": {"input": -1}}}}' > bad.json
  $ LLM_MODELS_FILE=bad.json llm-models show gpt-4o
  Error: bad.json: model 'gpt-4o': pricing.input must be a number >= 0 (USD per 1M tokens)
  [4]
  $ echo '{oops' > bad.json
  $ LLM_MODELS_FILE=bad.json llm-models list
  Error: the model file bad.json is not valid JSON: unexpected character*: line 1 column 2 (char 1) (glob)
  [4]

A full disk under stdout is the machine's, said in one line, not a crash:

  $ llm-models list > /dev/full
  Error: No space left on device
  [1]
