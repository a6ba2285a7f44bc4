Text on stdin is counted with the model's tokenizer; --output is the expected answer length.

  $ . "$TESTDIR/../_setup.sh"
  $ printf 'hello world' | llm-cost -m gpt-4o --output 10
  gpt-4o (openai)
    input     2 tokens  $0.000005
    output   10 tokens  $0.0001
    total    12 tokens  $0.000105
  $ printf 'hello world' | llm-cost -m gpt-4o -o 10 --json | jq -c '{tokens, input_exact, cost_usd}'
  {"tokens":{"input":2,"output":10,"cache_read":0,"cache_write":0,"total":12},"input_exact":true,"cost_usd":0.000105}
  $ printf 'hello world' | llm-cost -m claude-sonnet-4-6 -o 10 --json | jq -c '{input: .tokens.input, input_exact}'
  {"input":3,"input_exact":false}

Empty stdin (git diff in a clean tree) is 0 tokens, as llm-tokens counts it, not an error:

  $ printf '' | llm-cost --compare gpt-4o claude-sonnet-4-6 -o 500 | head -n 1
  MODEL * (glob)
  $ printf '' | llm-tokens
  0
  $ llm-cost -m gpt-4o < /dev/null
  gpt-4o (openai)
    input    0 tokens  $0.00
    output   0 tokens  $0.00
    total    0 tokens  $0.00

stdin is read up to 64 MB, as llm-chat reads it (under ulimit -v, reading /dev/zero whole would
end in a MemoryError); llm-tokens counts any size, in bounded memory:

  $ (ulimit -v 2000000; llm-cost -m gpt-4o < /dev/zero)
  Error: stdin is over 64 MB, more text than any model's context window holds
  [3]
  $ printf 'caf\351\n' | llm-cost -m gpt-4o 2>&1 | head -n 3
  Warning: stdin: not UTF-8; 1 undecodable byte read as U+FFFD
  gpt-4o (openai)
    input    2 tokens  $0.000005
