When the reader of stdout goes away (| head -1), llm-chat stops the request, exits 141
without a message, and records the call as cancelled (not failed) with the tokens known so
far: OpenAI reports none before the end, so they are estimated and marked.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario drip --delay 0.1
  $ printf 'line one\nline two\nline three\n' | llm-chat -p openai "x" | head -1; echo "llm-chat exit: ${PIPESTATUS[1]}"
  You said: line one
  llm-chat exit: 141
  $ printf 'line one\nline two\nline three\n' | llm-chat "x" 2>err.txt | head -1; echo "llm-chat exit: ${PIPESTATUS[1]}"
  You said: line one
  llm-chat exit: 141
  $ cat err.txt
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     t = r["tokens"]
  >     print(r["provider"], r["status"], r["success"], t["input"] > 0, t["output"] > 0, r["tokens_estimated"], r["metadata"]["error"])'
  openai cancelled False True True True stream closed by the caller before the end
  anthropic cancelled False True True True stream closed by the caller before the end

Reports count cancelled calls apart and keep them out of the error rate:

  $ llm-telemetry stats today | grep Calls
    Calls      2  (0 ok, 0 failed, 2 cancelled, 0.0% errors)
  $ llm-telemetry stats today --json | python -c 'import json,sys; t = json.load(sys.stdin)["totals"]; print(t["cancelled"], t["failures"], t["error_rate"])'
  2 0 0.0
  $ llm-telemetry log | awk '{print $3, $5}'
  STOP llm-chat/chat
  STOP llm-chat/chat
