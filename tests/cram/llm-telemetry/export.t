export: CSV or JSONL to stdout.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry export --format csv --since 2026-11-27T11:50 | cut -d, -f2-8,11-19
  timestamp,agent_name,operation,provider,model,project,git_branch,duration_ms,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,total_tokens,cost_usd,success,error
  2026-11-27T11:51:19.479Z,chat,chat,openai,gpt-4o-mini,spacewalker,feature/search,1180,412,300,0,0,712,0.0002418,true,
  2026-11-27T11:56:23.679Z,triage-bot,classify,openai,gpt-4o-mini,docs-site,feature/search,894,1440,725,0,0,2165,0.000651,true,
  2026-11-27T11:56:38.434Z,commit-writer,commit-message,openai,gpt-4o-mini,api-gateway,feature/search,432,748,296,0,0,1044,0.0002898,true,
  2026-11-27T11:56:43.160Z,doc-finder,summarize,openai,gpt-4.1,spacewalker,main,2754,873,1204,0,0,2077,0.011378,true,
  2026-11-27T11:57:53.703Z,commit-writer,commit-message,anthropic,claude-haiku-4-5,data-pipeline,main,626,1332,330,0,0,1662,0.002982,true,
  2026-11-27T11:58:01.287Z,doc-finder,search,openai,gpt-4.1,data-pipeline,main,1762,2057,351,0,0,2408,0.006922,true,
  2026-11-27T11:58:27.189Z,chat,chat,openai,gpt-4o-mini,spacewalker,fix/retry,480,921,358,0,0,1279,0.00035295,true,
  $ llm-telemetry export --since 2026-11-27 | wc -l
  200
  $ llm-telemetry export --format xml
  Error: Invalid value for '--format': 'xml' is not one of 'jsonl', 'csv', 'xlsx', 'sqlite', 'parquet', 'otlp'.
  Try 'llm-telemetry export --help'.
  [2]
