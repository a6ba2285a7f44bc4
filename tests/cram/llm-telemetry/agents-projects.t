agents and projects: usage per agent and operation, and per project.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry agents --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
  AGENT          OPERATION       CALLS  ERRORS     TOKENS    COST    AVG
  -------------  --------------  -----  ------  ---------  ------  -----
  commit-writer  commit-message    650      2%  2,106,042  $5.06*  2.22s
  chat           chat              564      2%  1,714,692  $4.38*  2.14s
  code-reviewer  review            418      2%  1,364,158  $2.50*  3.05s
  doc-finder     search            404      1%  1,247,289  $3.03*  2.27s
  triage-bot     classify          243      1%    721,551  $1.97*  1.41s
  doc-finder     summarize         162      1%    489,767  $1.06*  2.76s
  triage-bot     label             156      1%    512,597  $1.15*  1.04s
  code-reviewer  explain           111      4%    354,613  $0.75*  3.08s
  * some calls had no known price; their cost is not included
  $ llm-telemetry projects --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
  PROJECT        CALLS  ERRORS     TOKENS    COST    AVG
  -------------  -----  ------  ---------  ------  -----
  spacewalker    1,068      1%  3,311,130  $7.71*  2.23s
  api-gateway      684      2%  2,217,793  $5.37*  2.45s
  docs-site        548      1%  1,719,994  $4.09*  2.20s
  data-pipeline    408      1%  1,261,792  $2.74*  2.13s
  * some calls had no known price; their cost is not included
