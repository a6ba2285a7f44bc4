Show one model; any alias, API id or canonical id works.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-models show llama-3.1-70b
  meta-llama/llama-3.1-70b-instruct  (Meta: Llama 3.1 70B Instruct)
  provider:        openrouter
  api id:          meta-llama/llama-3.1-70b-instruct
  aliases:         llama-3.1-70b, llama-3.1-70b-instruct
  context window:  131,072 tokens
  max output:      16,384 tokens
  price per 1M:    input $0.40, output $0.40
  capabilities:    function_calling
  recommended for: open_source, cost_effective
  speed:           fast
  tokenizer:       estimate
  status:          active
  prices:          bundled, checked 2026-11-27 (today)
  $ llm-models show claude-3-5-haiku-20241022
  claude-3-5-haiku  (Claude Haiku 3.5)
  provider:        anthropic
  api id:          claude-3-5-haiku-20241022
  aliases:         claude-3.5-haiku, claude-3-5-haiku-20241022, claude-3-5-haiku-latest
  context window:  200,000 tokens
  max output:      8,192 tokens
  price per 1M:    input $0.80, output $4.00, cache read $0.08, cache write 5m $1.00, cache write 1h $1.60
  capabilities:    function_calling, prompt_caching, vision
  recommended for: -
  speed:           fastest
  tokenizer:       claude
  status:          retired 2026-02-19 (replacement: claude-haiku-4-5)
  prices:          bundled, checked 2026-11-27 (today)
  $ llm-models show gpt-5.4 | grep 'long prompts'
  long prompts:    over 272,000 tokens: input $5.00, output $22.50, cache read $0.50
  $ llm-models show sonnet --json | jq -c '{id, api_id, pricing}'
  {"id":"claude-sonnet-5-5","api_id":"claude-sonnet-5-5","pricing":{"input":2,"output":10,"cache_read":0.1,"cache_write":2.5,"cache_write_1h":4}}
