A server that never finishes cannot hold a git hook: LLM_TIMEOUT is the whole attempt, keep-alives
and a byte-by-byte trickle included (exit 7). A body nested 100,000 deep is a format error (exit 6).

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MAX_RETRIES=0
  $ start_fake_provider --scenario ping-forever
  $ LLM_TIMEOUT=0.5 llm-chat -m claude-haiku-4-5 "hi" < /dev/null
  Error: Anthropic: request to http://127.0.0.1:* timed out (LLM_TIMEOUT passed while reading) (glob)
  [7]
  $ LLM_TIMEOUT=0.5 llm-chat -m gpt-4o-mini --no-stream "hi" < /dev/null
  Error: OpenAI: request to http://127.0.0.1:* timed out (LLM_TIMEOUT passed while reading) (glob)
  [7]

  $ start_fake_provider --scenario deep
  $ llm-chat -m gpt-4o-mini --no-stream "hi" < /dev/null
  Error: OpenAI: the answer is JSON nested too deeply to read (HTTP 200, request id *) (glob)
  [6]
  $ llm-chat -m claude-haiku-4-5 "hi" < /dev/null
  Error: Anthropic: unexpected stream format (JSONDecodeError: depth limit exceeded: line 1 column 1026 (char 1025)) (HTTP 200, request id req_*) (glob)
  [6]

An answer larger than LLM_MAX_RESPONSE_MB is not read further:

  $ start_fake_provider --scenario huge
  $ LLM_MAX_RESPONSE_MB=1 llm-chat -m gpt-4o-mini --no-stream "hi" < /dev/null
  Error: OpenAI: the answer is larger than LLM_MAX_RESPONSE_MB (1 MB) (HTTP 200, request id *) (glob)
  [6]
