A model the registry does not know, on an OpenAI-compatible server at a loopback or private
address (Ollama, llama.cpp, vLLM): no warning, cost 0, and the record says the price is local.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat -p openai -m gpt-7-local "hi" < /dev/null
  You said: hi
  $ llm-chat -p openai -m gpt-7-local --json --no-stream "hi" < /dev/null | grep '"cost_usd"'
    "cost_usd": 0.0,
  $ grep -c '"price_source":"local"' telemetry/*/telemetry.jsonl
  2
  $ llm-telemetry stats --json | grep -E '"(cost_usd|unknown_cost_calls)"' | head -2
      "cost_usd": 0.0,
      "unknown_cost_calls": 0,

LLM_LOCAL_MODELS_FREE=0 turns it off: the unknown price is warned about (once per process):

  $ LLM_LOCAL_MODELS_FREE=0 llm-chat -p openai -m gpt-7-local "hi" < /dev/null
  Warning: model 'gpt-7-local' is not in the registry*; sending it to openai as is (cost unknown) (glob)
  You said: hi
