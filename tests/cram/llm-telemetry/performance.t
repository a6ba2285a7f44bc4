performance: exact percentiles overall and per model; the slowest operations.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry performance --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
    2,708 calls: avg 2.26s, p50 1.46s, p95 5.78s, p99 12.27s
  
  MODEL                              CALLS    AVG    P50     P95      P99
  ---------------------------------  -----  -----  -----  ------  -------
  claude-haiku-4-5                     801  1.40s  1.02s   2.73s   10.41s
  claude-sonnet-4-5                    699  3.16s  2.63s   6.54s   11.61s
  gpt-4o-mini                          550  1.06s  775ms   2.04s    5.17s
  gpt-4.1                              314  2.91s  1.99s   5.43s   27.90s
  meta-llama/llama-3.3-70b-instruct    246  2.24s  1.65s   4.32s    7.46s
  claude-opus-4-1                       98  7.69s  5.40s  13.24s  148.61s
  
  Slowest operations (by average)
  AGENT          OPERATION       CALLS    AVG
  -------------  --------------  -----  -----
  code-reviewer  explain           111  3.08s
  code-reviewer  review            418  3.05s
  doc-finder     summarize         162  2.76s
  doc-finder     search            404  2.27s
  commit-writer  commit-message    650  2.22s
