log: the latest records, newest first; JSON Lines with --json.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 7 --calls 3000 --seed 42 > /dev/null
  $ llm-telemetry log -n 3
  2026-11-27 11:58:27  ok    gpt-4o-mini  chat/chat  1,279 tok  $0.000353  480ms  [spacewalker]
  2026-11-27 11:58:01  ok    gpt-4.1  doc-finder/search  2,408 tok  $0.006922  1.76s  [data-pipeline]
  2026-11-27 11:57:53  ok    claude-haiku-4-5  commit-writer/commit-message  1,662 tok  $0.002982  626ms  [data-pipeline]
  $ llm-telemetry log -n 2 --json | cut -c1-80
  {"id":"e8888e07990da248c12efc6acbbf5886","timestamp":"2026-11-27T11:58:27.189Z",
  {"id":"3364cf277b9b04e7d490e1fd3c67aaf4","timestamp":"2026-11-27T11:58:01.287Z",
  $ llm-telemetry log -n 2 --agent triage-bot --model claude-opus-4-1
  2026-11-27 11:25:35  ok    claude-opus-4-1  triage-bot/classify  11,661 tok  $0.189255  2.40s  [docs-site]
  2026-11-26 12:32:22  ok    claude-opus-4-1  triage-bot/classify  1,158 tok  $0.03831  3.52s  [spacewalker]
