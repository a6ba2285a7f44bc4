patterns: calls per local hour as a bar chart, peak hours, busiest weekday, top operations.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null

Block characters where the output can show them (cram escapes them), '#' where it cannot:

  $ llm-telemetry patterns --days 7 | sed -n '3,4p'
    00:00 \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8b                          37 (esc)
    01:00 \xe2\x96\x88\xe2\x96\x88\xe2\x96\x8c                            20 (esc)
  $ PYTHONIOENCODING=ascii llm-telemetry patterns --days 7
  Last 7 days (2026-11-21 00:00 to 2026-11-28 00:00)
  Calls per hour (local time)
    00:00 #####                          37
    01:00 ##                             20
    02:00 ##                             14
    03:00 ##                             19
    04:00 ##                             13
    05:00 ####                           28
    06:00 #########                      73
    07:00 ##############                 113
    08:00 ####################           163
    09:00 #########################      201
    10:00 ############################   228
    11:00 ############################   228
    12:00 ######################         180
    13:00 ###########################    213
    14:00 ############################## 240
    15:00 #########################      200
    16:00 #####################          171
    17:00 ######################         180
    18:00 ##############                 108
    19:00 ############                   100
    20:00 #######                        54
    21:00 ########                       66
    22:00 #####                          38
    23:00 ###                            21
  
  Peak hours: 14:00, 10:00, 11:00
  Busiest weekday: Tuesday (551 calls)
    Mon 529  Tue 551  Wed 538  Thu 526  Fri 200  Sat 218  Sun 146
  
  Most common operations
    commit-writer/commit-message  650
    chat/chat                     564
    code-reviewer/review          418
    doc-finder/search             404
    triage-bot/classify           243

Hours are local: in India (UTC+05:30) the same calls fall in other hours.

  $ TZ=Asia/Kolkata llm-telemetry patterns --days 7 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["by_hour"], r["peak_hours"], r["busiest_weekday"])'
  [114, 93, 76, 59, 41, 32, 32, 14, 15, 18, 18, 57, 88, 140, 172, 219, 233, 210, 192, 222, 213, 197, 170, 153] [16, 19, 15] Wednesday
