Streaming (the default) writes the answer as it arrives and ends it with a newline.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat "tell me a story" < /dev/null | od -c | tail -n 2
  0000020   e       a       s   t   o   r   y  \n
  0000032
  $ llm-chat -m gpt-4.1-mini "stream from openai" < /dev/null
  You said: stream from openai
  $ llm-chat -p openrouter "stream from openrouter" < /dev/null
  You said: stream from openrouter
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["provider"], r["stream"], r["time_to_first_token_ms"] <= r["duration_ms"], r["tokens"]["output"])'
  anthropic True True 7
  openai True True 7
  openrouter True True 8
