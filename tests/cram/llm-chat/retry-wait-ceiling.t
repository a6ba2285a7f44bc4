A git hook would rather give up than wait: with LLM_MAX_RETRY_WAIT below the server's
retry-after, the 429 ends the call at once, exit 5, saying how long the server asked to wait.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario 429-wait-30
  $ LLM_MAX_RETRY_WAIT=5 llm-chat -m claude-haiku-4-5 "hi" < /dev/null
  Error: Anthropic: rate_limit_error: scripted HTTP 429 (HTTP 429, request id req_*); retry after 30 s: more than LLM_MAX_RETRY_WAIT (5 s) (glob)
  [5]

OpenAI's SDK does not retry a wait above 120 s at all; neither does llm-chat for OpenAI:

  $ start_fake_provider --scenario 429-wait-150
  $ llm-chat -m gpt-4o-mini "hi" < /dev/null
  Error: OpenAI: rate_limit_error: scripted HTTP 429 (HTTP 429, request id *); retry after 150 s: more than openai's ceiling (120 s) (glob)
  [5]
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["provider"], r["success"], r["retries"])'
  anthropic False 0
  openai False 0
