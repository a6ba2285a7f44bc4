costs --chart: a bar for each row of the breakdown; '#' bars where blocks cannot show.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null

  $ PYTHONIOENCODING=ascii llm-telemetry costs --days 7 --by day --chart
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00): total cost $19.91
    2026-11-21  $1.60   8%  ###########
    2026-11-22  $1.07   5%  ########
    2026-11-23  $4.12  21%  #############################
    2026-11-24  $3.65  18%  ##########################
    2026-11-25  $4.27  21%  ##############################
    2026-11-26  $3.57  18%  #########################
    2026-11-27  $1.64   8%  ############
    (246 calls without a known price: not in the totals)
  $ PYTHONIOENCODING=ascii llm-telemetry costs --days 7 --by agent --chart --model gpt-4.1
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00): total cost $2.06
    filtered by model=gpt-4.1
    commit-writer  $0.51  25%  ##############################
    doc-finder     $0.50  24%  ##############################
    chat           $0.45  22%  ###########################
    code-reviewer  $0.31  15%  ###################
    triage-bot     $0.28  14%  #################
  $ llm-telemetry costs --days 2 --by day --chart
  Last 2 days (2026-11-26 00:00 to 2026-11-28 00:00): total cost $5.20
    2026-11-26  $3.57  69%  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 (esc)
    2026-11-27  $1.64  31%  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8a (esc)
    (77 calls without a known price: not in the totals)
  $ llm-telemetry costs --days 2 --by day --chart --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print([(b["key"], b["cost_usd"]) for b in r["breakdown"]])'
  [('2026-11-26', 3.56911615), ('2026-11-27', 1.6352712)]
  $ llm-telemetry costs --project nowhere --chart
  Last 30 days (2026-10-29 00:00 to 2026-11-28 00:00): total cost $0.00
    filtered by project=nowhere
