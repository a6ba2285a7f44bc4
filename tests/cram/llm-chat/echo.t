The offline echo model answers with its input: no key, no network. Every call is recorded.

  $ . "$TESTDIR/../_setup.sh"
  $ echo "hello from a pipe" | llm-chat -m echo
  hello from a pipe
  $ llm-chat -m echo write a commit message < /dev/null
  write a commit message
  $ printf 'diff --git a/x b/x\n' | llm-chat -m echo --no-stream "summarise:"
  diff --git a/x b/x
  
  summarise:
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["provider"], r["model"], r["agent_name"], r["operation"], r["success"], r["cost_usd"], r["stream"])'
  echo echo llm-chat chat True 0.0 True
  echo echo llm-chat chat True 0.0 True
  echo echo llm-chat chat True 0.0 False
