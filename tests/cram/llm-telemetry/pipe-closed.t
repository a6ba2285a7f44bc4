A reader that goes away (head) ends log and export quietly with exit 141, the SIGPIPE
convention, however much output was left.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry demo --days 3 --calls 3000 > /dev/null
  $ llm-telemetry log -n 3000 | head -c 10 > /dev/null; echo "exit ${PIPESTATUS[0]}"
  exit 141
  $ llm-telemetry log -n 3000 --json 2>err.txt | head -n 1 | python -c 'import json,sys; print(sorted(json.load(sys.stdin))[:2])'; echo "exit ${PIPESTATUS[0]}"
  ['agent_name', 'cost_usd']
  exit 141
  $ llm-telemetry export 2>>err.txt | head -n 2 > /dev/null; echo "exit ${PIPESTATUS[0]}"
  exit 141
  $ cat err.txt
