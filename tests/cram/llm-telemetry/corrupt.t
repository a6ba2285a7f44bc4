Torn or garbage lines are skipped and counted, with one note on stderr.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ printf 'garbage\n{"timestamp": 12}\n{"torn": ' >> "$LLM_TELEMETRY_DIR/2026-11-27/telemetry.jsonl"
  $ llm-telemetry stats
  Warning: skipped 2 unreadable lines (torn, not JSON or without a timestamp) in */telemetry (glob)
  Today (2026-11-27 00:00 to 2026-11-28 00:00)
    Calls      200  (197 ok, 3 failed, 1.5% errors)
    Tokens     627,612  (input 415,602, output 66,450, cache read 129,219, cache write 16,341)
    Cost       $1.64  (20 calls without a known price)
    Latency    avg 2.38s, p95 7.73s
    Top model  claude-sonnet-4-5 (53 calls)
  $ llm-telemetry stats --json 2>/dev/null | grep '"corrupt_lines"'
    "corrupt_lines": 2,

doctor counts the lines the reports skip, an object without a readable timestamp too, and a torn
last line (no newline: a crashed write, or one in progress, which the reports leave for later):

  $ printf '\n{"timestamp": "nonsense"}\n{"id": 1}\n[1, 2]\n{"torn": ' >> "$LLM_TELEMETRY_DIR/2026-11-26/telemetry.jsonl"
  $ llm-telemetry stats --json --days 7 2>/dev/null | grep '"corrupt_lines"'
    "corrupt_lines": 5,
  $ llm-telemetry doctor | grep -A2 '^note *lines'
  note     lines      7 unreadable lines (torn, not JSON or without a timestamp; skipped when read)
                     2026-11-26/telemetry.jsonl: 4
                     2026-11-27/telemetry.jsonl: 3
