A 200 whose body is not what the API promises (an HTML page from a proxy) is exit 6.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario garbage
  $ llm-chat --no-stream "hi" < /dev/null
  Error: Anthropic: the answer is not JSON (content-type text/html); is the base URL right? (HTTP 200, request id req_*) (glob)
  [6]
  $ llm-chat "hi" < /dev/null
  Error: Anthropic: expected an event stream, got content-type text/html; is the base URL right? (HTTP 200, request id req_*) (glob)
  [6]
