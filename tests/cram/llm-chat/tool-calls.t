The model's tool calls are kept as data; --json shows them.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario tool-call
  $ llm-chat -m claude-haiku-4-5 --json "weather in Paris?" < /dev/null | python -c '
  > import json, sys
  > r = json.load(sys.stdin)
  > print(r["stop_reason"], r["service_tier"], json.dumps(r["tool_calls"]))'
  tool_use standard [{"id": "call_fake1", "name": "get_weather", "arguments": "{\"city\": \"Paris\"}", "input": {"city": "Paris"}}]
  $ llm-chat -m gpt-4o-mini --json "weather in Paris?" < /dev/null | python -c '
  > import json, sys
  > r = json.load(sys.stdin)
  > print(r["stop_reason"], r["service_tier"], r["tool_calls"][0]["input"])'
  tool_calls default {'city': 'Paris'}
