Without an API key the error names the variables to set.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-chat "hello" < /dev/null
  Error: no API key found: set ANTHROPIC_API_KEY, OPENROUTER_API_KEY or OPENAI_API_KEY (or OPENAI_BASE_URL for a local server; try the offline model with -m echo)
  [4]
  $ llm-chat -p openai "hello" < /dev/null
  Error: no OpenAI API key: set OPENAI_API_KEY
  [4]
