--help shows the commands and examples.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ llm-models --help | head -4
  Usage: llm-models [OPTIONS] [COMMAND] [ARGS]...
  
    List, inspect and choose models; keep OpenRouter prices fresh.
  
  $ llm-models --help | grep -A8 '^  Examples:'
    Examples:
      llm-models                                  # current models, by provider
      llm-models list --provider anthropic --all  # include retired models
      llm-models list --capability vision --json | jq -r '.[].id'
      llm-models show sonnet                      # aliases resolve
      llm-models select --budget 0.01 --capability vision --input-tokens 5000
      MODEL=$(llm-models select --min-context 500000 --fast)
      llm-models sync                             # refresh OpenRouter prices (network)
  
  $ llm-models select --help | grep -E -- '--(budget|fast) '
      llm-models select --budget 0.002 --capability function_calling
    -b, --budget USD       Most one call may cost (0 to 1,000,000).
    --fast                 Prefer the fastest speed tier over the lowest price.
