sync reads OpenRouter's model list (here a local server) and saves it in the cache.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ mkdir -p srv/api/v1
  $ cat > srv/api/v1/models <<'JSON'
  > {"data": [
  >  {"id": "meta-llama/llama-3.1-70b-instruct", "context_length": 131072,
  >   "pricing": {"prompt": "0.00000035", "completion": "0.00000045"},
  >   "top_provider": {"max_completion_tokens": 16384}},
  >  {"id": "acme/rocket-1", "name": "Acme: Rocket 1", "context_length": 64000,
  >   "pricing": {"prompt": "0.000001", "completion": "0.000002"},
  >   "top_provider": {"max_completion_tokens": 4000}, "supported_parameters": ["tools"]}
  > ]}
  > JSON
  $ python3 -u -m http.server 0 --bind 127.0.0.1 --directory srv > server.log 2>&1 &
  $ SERVER=$!
  $ until grep -qs 'port' server.log; do sleep 0.05; done
  $ export OPENROUTER_BASE_URL="http://127.0.0.1:$(sed -n 's/.* port \([0-9]*\) .*/\1/p' server.log)/api/v1"
  $ llm-models sync
  Synced 2 OpenRouter models from http://127.0.0.1:*/api/v1/models (glob)
  Saved to .*/cache/llm-core/openrouter-models\.json \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\) (re)
  Added 1:
    acme/rocket-1
  Changed 1:
    meta-llama/llama-3.1-70b-instruct: input 0.40 -> 0.35, output 0.40 -> 0.45
  Unchanged 0
  $ llm-models show llama-3.1-70b | grep -E '^(price per 1M|prices):'
  price per 1M:    input $0.35, output $0.45
  prices:          synced, checked \d{4}-\d\d-\d\d \(today\) (re)
  $ llm-models show acme/rocket-1 | grep -E '^(acme|context window|price per 1M)'
  acme/rocket-1  (Acme: Rocket 1)
  context window:  64,000 tokens
  price per 1M:    input $1.00, output $2.00
  $ llm-models sync --json | jq -c '{models, added, changed, unchanged}'
  {"models":2,"added":[],"changed":[],"unchanged":2}
  $ kill $SERVER

Offline: exit 7, and the saved prices stay.

  $ OPENROUTER_BASE_URL=http://127.0.0.1:1/api/v1 llm-models sync
  Error: OpenRouter model list: cannot reach http://127.0.0.1:1 \(.*\); the registry is unchanged (re)
  [7]
  $ llm-models show llama-3.1-70b | grep -E '^price per 1M'
  price per 1M:    input $0.35, output $0.45
