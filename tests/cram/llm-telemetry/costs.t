costs: the total, then the breakdown with amounts and shares.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry costs --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00): total cost $19.91
    claude-sonnet-4-5                  $8.90  45%
    claude-opus-4-1                    $5.54  28%
    claude-haiku-4-5                   $3.16  16%
    gpt-4.1                            $2.06  10%
    gpt-4o-mini                        $0.26   1%
    meta-llama/llama-3.3-70b-instruct  $0.00   0%  246 calls unpriced
    (246 calls without a known price: not in the totals)
  $ llm-telemetry costs --days 3 --by agent
  Last 3 days (2026-11-25 00:00 to 2026-11-28 00:00): total cost $9.47
    commit-writer  $2.29  24%  28 calls unpriced
    chat           $2.05  22%  26 calls unpriced
    doc-finder     $1.99  21%  30 calls unpriced
    triage-bot     $1.63  17%  14 calls unpriced
    code-reviewer  $1.52  16%  36 calls unpriced
    (134 calls without a known price: not in the totals)
  $ llm-telemetry costs --days 3 --by day
  Last 3 days (2026-11-25 00:00 to 2026-11-28 00:00): total cost $9.47
    2026-11-25  $4.27  45%  57 calls unpriced
    2026-11-26  $3.57  38%  57 calls unpriced
    2026-11-27  $1.64  17%  20 calls unpriced
    (134 calls without a known price: not in the totals)
  $ llm-telemetry costs --by colour
  Error: Invalid value for '--by': 'colour' is not one of 'model', 'project', 'agent', 'provider', 'day'.
  Try 'llm-telemetry costs --help'.
  [2]
