SIGTERM (timeout, a CI runner) and SIGHUP (a closed terminal) stop llm-chat like Ctrl-C: the
call is recorded as cancelled, with the tokens known so far, and the exit status is 143 / 129.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario slow-stream --delay 10 --request-log "$PWD/requests.log"
  $ wait_for_output() { for i in $(seq 300); do [ -s "$1" ] && return; sleep 0.05; done; }
  $ llm-chat "tell me a story" < /dev/null > out.txt 2> err.txt &
  $ pid=$!; wait_for_output out.txt; kill -TERM $pid; wait $pid
  [143]
  $ cat out.txt err.txt; echo
  You 
  $ llm-chat -p openai "tell me another" < /dev/null > out2.txt 2> err2.txt &
  $ pid=$!; wait_for_output out2.txt; kill -HUP $pid; wait $pid
  [129]
  $ cat err2.txt
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     t = r["tokens"]
  >     print(r["provider"], r["status"], r["success"], t["input"] > 0, t["output"] > 0, r["metadata"]["error"])'
  anthropic cancelled False True True cancelled by SIGTERM
  openai cancelled False True True cancelled by SIGHUP

timeout(1) passes SIGTERM on twice, to the command and then to its whole process group: the
first cancels, the second is ignored while the call is recorded. (Here timeout is signalled
once the request reached the provider: a fixed timeout can fire before a loaded machine even
starts the call.) A call that waits for its whole answer is recorded too:

  $ sent=$(wc -l < requests.log)
  $ timeout --preserve-status 60 llm-chat --no-stream "no hurry" < /dev/null &
  $ pid=$!; for i in $(seq 400); do [ "$(wc -l < requests.log)" -gt $sent ] && break; sleep 0.05; done
  $ kill -TERM $pid; wait $pid
  [143]
  $ tail -n 1 "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c 'import json,sys; r = json.load(sys.stdin); print(r["status"], r["tokens"]["input"] > 0, r["metadata"]["error"])'
  cancelled True cancelled by SIGTERM

Five calls, each sent SIGTERM three times in a row: every one is recorded.

  $ for n in 1 2 3 4 5; do
  >   sent=$(wc -l < requests.log)
  >   llm-chat --no-stream "again" < /dev/null & pid=$!
  >   for i in $(seq 400); do [ "$(wc -l < requests.log)" -gt $sent ] && break; sleep 0.02; done
  >   kill -TERM $pid; kill -TERM $pid; kill -TERM $pid; wait $pid; echo "exit $?"
  > done
  exit 143
  exit 143
  exit 143
  exit 143
  exit 143
  $ grep -c '"metadata":{[^}]*"error":"cancelled by SIGTERM"' "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl
  7
