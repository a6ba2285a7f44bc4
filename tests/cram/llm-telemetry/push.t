push: the store's metrics to a Prometheus Pushgateway (here, one that is not there; the
real one is in tests/test_prometheus_live.py).

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry push
  Error: no Pushgateway: give --gateway URL or set LLM_PROMETHEUS_PUSHGATEWAY
  [4]
  $ llm-telemetry push --gateway http://127.0.0.1:9
  Nothing to push: no telemetry in */telemetry (glob)
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 2 --calls 50 --seed 42 > /dev/null
  $ llm-telemetry push --gateway http://127.0.0.1:9
  Error: cannot push to http://127.0.0.1:9: [Errno 111] Connection refused
  [7]
  $ LLM_PROMETHEUS_PUSHGATEWAY=127.0.0.1:9 llm-telemetry push --json
  Error: cannot push to 127.0.0.1:9: [Errno 111] Connection refused
  [7]

Calls made with a Pushgateway set push in the background; a dead one is one warning, and
the call and its record go on:

  $ echo hello | LLM_PROMETHEUS_PUSHGATEWAY=http://127.0.0.1:9 llm-chat -m echo
  hello
  Warning: metrics not pushed to http://127.0.0.1:9: URLError: [Errno 111] Connection refused
  $ llm-telemetry stats all --json | jq .totals.calls
  51
