A prompt from the arguments, from stdin, or both (stdin first), against each provider.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --no-stream "hello there" < /dev/null
  You said: hello there
  $ echo "some diff" | llm-chat --no-stream -s "You are a git expert" "write a commit message"
  You said: some diff
  
  write a commit message
  $ llm-chat --no-stream -m gpt-4.1-mini --max-tokens 50 --temperature 0.2 "hi openai" < /dev/null
  You said: hi openai
  $ llm-chat --no-stream -p openrouter -m llama-3.1-70b "hi openrouter" < /dev/null
  You said: hi openrouter
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["provider"], r["model"], r["success"], r["tokens"]["input"] > 0, r["cost_usd"] > 0)'
  anthropic claude-haiku-5-5 True True True
  anthropic claude-haiku-5-5 True True True
  openai gpt-4.1-mini True True True
  openrouter meta-llama/llama-3.1-70b-instruct True True True
