--reprice is a filter: telemetry JSONL in, the same lines out with cost_usd recomputed.

  $ . "$TESTDIR/../_setup.sh"
  $ cat > calls.jsonl <<'JSONL'
  > {"id":"a","model":"claude-sonnet-4-6","tokens":{"input":1000,"output":100,"total":1100,"cache_read":0,"cache_write":0},"cost_usd":0.5,"success":true}
  > {"id":"b","model":"gpt-4o","tokens":{"input":200,"output":300,"total":1500,"cache_read":1000,"cache_write":0},"cost_usd":null,"success":true}
  > JSONL
  $ llm-cost --reprice < calls.jsonl
  {"id":"a","model":"claude-sonnet-4-6","tokens":{"input":1000,"output":100,"total":1100,"cache_read":0,"cache_write":0},"cost_usd":0.0045,"success":true}
  {"id":"b","model":"gpt-4o","tokens":{"input":200,"output":300,"total":1500,"cache_read":1000,"cache_write":0},"cost_usd":0.00475,"success":true}

Lines it cannot reprice pass through unchanged; one warning counts them.

  $ printf '%s\n' 'not json' '{"id":"c","model":"mystery-model","tokens":{"input":1},"cost_usd":0.1}' >> calls.jsonl
  $ llm-cost --reprice < calls.jsonl > out.jsonl
  Warning: 1 line(s) are not telemetry records with a model and valid tokens (first: line 3); 1 record(s) name a model the registry does not know and keep their cost_usd (first: line 4); passed through unchanged
  $ wc -l < out.jsonl
  4
  $ tail -2 out.jsonl
  not json
  {"id":"c","model":"mystery-model","tokens":{"input":1},"cost_usd":0.1}
