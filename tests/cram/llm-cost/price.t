Price one call from token counts: input (not cached), cache reads and writes, output.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-cost -m claude-sonnet-4-6 --input 1000 --output 100
  claude-sonnet-4-6 (anthropic)
    input    1,000 tokens  $0.003
    output     100 tokens  $0.0015
    total    1,100 tokens  $0.0045
  $ llm-cost -m claude-sonnet-4-6 --input 50 --cache-read 20000 --cache-write 3000 --cache-write-1h 1000 --output 400
  claude-sonnet-4-6 (anthropic)
    input                        50 tokens  $0.00015
    cache read               20,000 tokens  $0.006
    cache write (1h incl.)    4,000 tokens  $0.01725
    output                      400 tokens  $0.006
    total                    24,450 tokens  $0.0294
  $ llm-cost -m gpt-4o -i 200 --cache-read 1000 -o 300 --json | jq -c '{cost_usd, tokens, breakdown}'
  {"cost_usd":0.00475,"tokens":{"input":200,"output":300,"cache_read":1000,"cache_write":0,"total":1500},"breakdown":{"input":0.0005,"output":0.003,"cache_read":0.00125,"cache_write":0}}

Long prompts are billed at the long-prompt rates.

  $ llm-cost -m gpt-5.4 -i 272000 -o 1000 --json | jq .cost_usd
  0.695
  $ llm-cost -m gpt-5.4 -i 272001 -o 1000 --json | jq .cost_usd
  1.382505

Retired models still price old calls, with a warning.

  $ llm-cost -m claude-3-5-haiku -i 1000 -o 100
  Warning: claude-3-5-haiku is retired; the provider no longer serves it
  claude-3-5-haiku (anthropic)
    input    1,000 tokens  $0.0008
    output     100 tokens  $0.0004
    total    1,100 tokens  $0.0012
