report: one HTML file of a window's usage (--html), its data (--json), or text charts.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null

In the terminal: the headline, cost per day as bars with its 7-day average, tokens per day as
sparklines. Block characters where the output can show them (cram escapes them), ASCII where
it cannot:

  $ llm-telemetry report --days 3 | sed -n '7,9p'
  Cost per day (local time)
    2026-11-25  $4.27  7-day avg $4.27  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 (esc)
    2026-11-26  $3.57  7-day avg $3.92  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8f (esc)
  $ PYTHONIOENCODING=ascii llm-telemetry report --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
    Calls    2,708 (45 failed, 1.7% errors)
    Tokens   8,510,709
    Cost     $19.91 (246 calls without a known price)
    Latency  p50 1.46s, p95 5.78s, p99 12.27s
  
  Cost per day (local time)
    2026-11-21  $1.60  7-day avg $1.60  ###########
    2026-11-22  $1.07  7-day avg $1.33  ########
    2026-11-23  $4.12  7-day avg $2.26  #############################
    2026-11-24  $3.65  7-day avg $2.61  ##########################
    2026-11-25  $4.27  7-day avg $2.94  ##############################
    2026-11-26  $3.57  7-day avg $3.05  #########################
    2026-11-27  $1.64  7-day avg $2.84  ############
  
  Tokens per day, 2026-11-21 to 2026-11-27 (one character is a day)
    total        8,510,709  --@@@@-
    input        5,194,979  --@@@@=
    output         953,612  =-@@@@-
    cache read   2,094,109  --@@*@-
    cache write    268,009  ._***@.

The HTML file: one self-contained page, nothing to fetch (no script, no link, no image, no
URL), every chart with a table of its numbers; a note on stderr says what was written:

  $ llm-telemetry report --days 7 --html report.html
  Wrote report.html (* KB): last 7 days (2026-11-21 00:00 to 2026-11-28 00:00), 2,708 calls (glob)
  $ head -c 15 report.html; echo
  <!doctype html>
  $ grep -i -E '<script|<link|<img|https?:|url\(' report.html || echo "nothing to fetch"
  nothing to fetch
  $ grep -o '<svg ' report.html | wc -l
  9
  $ grep -o '<table data-table="[a-z_]*"' report.html
  <table data-table="days"
  <table data-table="costs_by_model"
  <table data-table="costs_by_agent"
  <table data-table="costs_by_project"
  <table data-table="heatmap"
  <table data-table="performance"
  <table data-table="models"
  $ grep -o '<tr data-day="2026-11-27"[^>]*>' report.html
  <tr data-day="2026-11-27" data-calls="200" data-cost-usd="1.6352712" data-cost-avg-usd="2.844029" data-unknown-cost-calls="20" data-input="415602" data-output="66450" data-cache-read="129219" data-cache-write="16341" data-total="627612">

--html - writes the page to stdout; --json prints the data behind it (and with --html FILE, both):

  $ llm-telemetry report --days 7 --html - | tail -c 22
  </main></body></html>
  $ llm-telemetry report --days 7 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(sorted(r)); print(r["stats"]["totals"]["calls"], len(r["days"]), r["days"][-1]["cost_usd"], r["heatmap"]["calls"][3][14])'
  ['average_days', 'corrupt_lines', 'costs_by_agent', 'costs_by_model', 'costs_by_project', 'days', 'filters', 'generated_at', 'heatmap', 'invalid_values', 'models', 'patterns', 'performance', 'report', 'stats', 'store', 'window']
  2708 7 1.6352712 46
  $ llm-telemetry report --days 7 --html both.html --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["report"])'
  Wrote both.html (* KB): last 7 days (2026-11-21 00:00 to 2026-11-28 00:00), 2,708 calls (glob)
  report

The same filters and window as the other reports:

  $ llm-telemetry report --since 2026-11-26 --until 2026-11-27 --agent doc-finder --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["window"]["label"], r["filters"]["agent"], [d["day"] for d in r["days"]], r["stats"]["totals"]["calls"])'
  custom doc-finder ['2026-11-26', '2026-11-27'] 158
  $ llm-telemetry costs --since 2026-11-26 --until 2026-11-27 --agent doc-finder --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])'
  158
  $ llm-telemetry report --project nowhere --html empty.html
  Wrote empty.html (* KB): last 30 days (2026-10-29 00:00 to 2026-11-28 00:00), 0 calls (glob)
  $ grep -c 'No calls in this window' empty.html
  1

Errors write nothing. A file that cannot be written is bad input (exit 3, as for export
--output); contradictory or unreadable options are usage errors (exit 2).

  $ llm-telemetry report --html missing/report.html
  Error: missing/report.html: cannot write here (no folder 'missing')
  [3]
  $ llm-telemetry report --html .
  Error: .: is a folder, not a file to write the report to
  [3]
  $ llm-telemetry report --html - --json
  Error: --html - and --json both write to stdout; give --html a FILE
  Try 'llm-telemetry report --help'.
  [2]
  $ llm-telemetry report --days 7 --since 2026-11-01
  Error: give --days or --since/--until, not both
  Try 'llm-telemetry report --help'.
  [2]
  $ llm-telemetry report --since someday
  Error: --since: cannot read 'someday' (use YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday, or an age like 7d, 24h, 30m)
  Try 'llm-telemetry report --help'.
  [2]
  $ llm-telemetry report --days 0
  Error: Invalid value for '--days': 0 is not in the range 1<=x<=36500.
  Try 'llm-telemetry report --help'.
  [2]
  $ ls *.html
  both.html
  empty.html
  report.html
