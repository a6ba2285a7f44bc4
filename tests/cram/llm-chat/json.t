--json writes one object once the answer is complete.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --json "2+2?" < /dev/null | python -m json.tool
  {
      "text": "You said: 2+2?",
      "model": "claude-haiku-5-5",
      "provider": "anthropic",
      "tokens": {
          "input": 1,
          "output": 4,
          "total": 5,
          "cache_read": 0,
          "cache_write": 0,
          "reasoning": 0
      },
      "cost_usd": 2.1e-06,
      "duration_ms": \d+, (re)
      "time_to_first_token_ms": null,
      "stop_reason": "end_turn",
      "request_id": "req_[0-9a-f]{24}", (re)
      "retries": 0,
      "provider_cost_usd": null,
      "refusal": false,
      "tool_calls": [],
      "service_tier": "standard",
      "inference_geo": null
  }
