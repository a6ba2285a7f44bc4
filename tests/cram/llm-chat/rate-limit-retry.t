A 429 is retried after the server's retry-after-ms; the call succeeds and records the retry.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario 429-then-ok
  $ llm-chat "hi" < /dev/null
  You said: hi
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > r = json.loads(sys.stdin.readline())
  > print(r["success"], r["retries"])'
  True 1
