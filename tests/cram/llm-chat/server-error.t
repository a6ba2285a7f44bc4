A 5xx is retried LLM_MAX_RETRIES times, then it is an error (exit 6), recorded as a failure.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario 500-always
  $ LLM_MAX_RETRIES=1 llm-chat "hi" < /dev/null
  Error: Anthropic: api_error: Internal server error (HTTP 500, request id req_*) (glob)
  [6]
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > r = json.loads(sys.stdin.readline())
  > print(r["success"], r["retries"], r["metadata"]["error"].split(":")[0])'
  False 1 InternalServerError
