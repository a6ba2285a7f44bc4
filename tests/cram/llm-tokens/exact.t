--exact asks Anthropic's token counting endpoint; it needs a key and a Claude model.

  $ . "$TESTDIR/../_setup.sh"
  $ echo hello | llm-tokens --exact -m claude-sonnet-4-5
  Error: exact Claude counts need ANTHROPIC_API_KEY (or drop --exact for an estimate)
  [4]
  $ echo hello | ANTHROPIC_API_KEY=sk-ant-fake-key-for-tests llm-tokens --exact -m llama-3.1-70b
  Error: --exact counts Claude models only; 'llama-3.1-70b' is not one
  [3]
  $ echo hello | ANTHROPIC_API_KEY=sk-ant-fake-key-for-tests llm-tokens --exact
  Error: --exact needs a Claude model: -m claude-... (or LLM_MODEL)
  [3]

OpenAI counts are exact already, so --exact changes nothing there:

  $ echo hello | llm-tokens --exact -m gpt-4o --json
  {
    "count": 2,
    "exact": true,
    "method": "tiktoken/o200k_base",
    "model": "gpt-4o",
    "encoding": "o200k_base"
  }

An unreachable endpoint is a network error:

  $ echo hello | ANTHROPIC_API_KEY=sk-ant-fake-key-for-tests ANTHROPIC_BASE_URL=http://127.0.0.1:9 llm-tokens --exact -m claude-sonnet-4-5
  Error: Anthropic token counting failed: cannot reach http://127.0.0.1:9 \(.*\) (re)
  [7]
