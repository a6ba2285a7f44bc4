A repository's .env cannot set your models and prices: a LLM_MODELS_FILE of zero prices would
lift every budget and record the calls as free. It is not used (one warning) unless you trust
that .env with LLM_TRUST_PROJECT_ENV=1 in your environment.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --request-log "$PWD/requests.log"
  $ mkdir repo && cd repo
  $ cat > free.json <<'JSON'
  > {"models": {"claude-opus-4-6": {"pricing": {"input": 0, "output": 0}}}}
  > JSON
  $ echo "LLM_MODELS_FILE=free.json" > .env
  $ LLM_BUDGET_DAILY_USD=0.001 llm-chat -m claude-opus-4-6 --max-tokens 100 hello < /dev/null
  Warning: LLM_MODELS_FILE from */repo/.env not used: a repository cannot set your models and prices (LLM_TRUST_PROJECT_ENV=1 allows it) (glob)
  Error: daily budget $0.001000 would be exceeded: $0.000000 spent this day (calls in flight included) + up to $0.002550 for this call; raise LLM_BUDGET_DAILY_USD, lower --max-tokens, or wait for the next day
  [8]
  $ test -e ../requests.log || echo "nothing was sent"
  nothing was sent
  $ llm-models show claude-opus-4-6 2>&1 | grep -e '^prices:' -e Warning
  Warning: LLM_MODELS_FILE from */repo/.env not used: a repository cannot set your models and prices (LLM_TRUST_PROJECT_ENV=1 allows it) (glob)
  prices:          bundled, checked * (glob)
  $ llm-chat --where < /dev/null 2>/dev/null | grep -c LLM_MODELS_FILE
  0
  [1]

Your own file stays in force, and a .env you trust is used:

  $ echo '{"models": {"claude-opus-4-6": {"pricing": {"input": 7}}}}' > ../mine.json
  $ LLM_MODELS_FILE=$PWD/../mine.json llm-models show claude-opus-4-6 2>/dev/null | grep '^price per 1M'
  price per 1M:    input $7.00, output $25.00, cache read $0.50, cache write 5m $6.25, cache write 1h $10.00
  $ LLM_TRUST_PROJECT_ENV=1 llm-models show claude-opus-4-6 | grep '^prices:'
  prices:          user
