A rejected key: the provider's message, the status and the request id; never the key.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ ANTHROPIC_API_KEY=sk-ant-wrong-key-1234567890 llm-chat "hi" < /dev/null 2>err.txt
  [4]
  $ cat err.txt
  Error: Anthropic: authentication_error: invalid x-api-key (HTTP 401, request id req_*) (glob)
  $ OPENAI_API_KEY=sk-wrong-key-1234567890 llm-chat --debug -p openai "hi" < /dev/null 2>debug.txt
  [4]
  $ tail -n 1 debug.txt
  Error: OpenAI: invalid_request_error: Incorrect API key provided: \*\*\*. (HTTP 401, request id *) (glob)
  $ grep -c Traceback debug.txt
  1
  $ grep -r -l -e sk-ant-wrong-key-1234567890 -e sk-wrong-key-1234567890 err.txt debug.txt "$LLM_TELEMETRY_DIR"
  [1]
