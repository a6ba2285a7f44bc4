Saved conversations are under the same retention and size cap as the rest of the store: one
whose last turn is older than LLM_RETENTION_DAYS goes whole, and the size cap takes the oldest
conversations (by last turn) after the prompt copies and before telemetry, never one used today.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --save-conversation "today's question" < /dev/null
  You said: today's question

Two conversations from earlier, as llm-chat wrote them then (one turn a line):

  $ python3 - <<'PY'
  > import datetime, json, os
  > folder = os.path.join(os.environ["LLM_TELEMETRY_DIR"], "conversations")
  > def ago(n): return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=n)).strftime("%Y-%m-%dT12:00:00.000Z")
  > for cid, days in (("OLD", (70, 45)), ("LAST-WEEK", (90, 7))):
  >     with open(os.path.join(folder, cid + ".jsonl"), "w") as f:
  >         for n in days:
  >             f.write(json.dumps({"timestamp": ago(n), "model": "claude-haiku-5-5", "system": None, "cost_usd": 0.001,
  >                                 "messages": [{"role": "user", "content": f"asked {n} days ago " + "x" * 40000},
  >                                              {"role": "assistant", "content": "ok"}]}) + "\n")
  >     t = datetime.datetime.now().timestamp() - n * 86400
  >     os.utime(os.path.join(folder, cid + ".jsonl"), (t, t))
  > PY
  $ llm-telemetry conversations --json | python3 -c '
  > import json, sys
  > for c in json.load(sys.stdin): print(c["id"], c["turns"], c["first_line"][:17])'
  OLD 2 asked 70 days ago
  LAST-WEEK 2 asked 90 days ago
  [0-9A-Z]{26} 1 today's question (re)
  $ llm-telemetry doctor | grep size
  ok       size       0.2 MB of 100 MB (LLM_STORAGE_MAX_SIZE_MB), 1 days, 3 conversations

Retention (default 30 days) removes OLD, whose last turn is 45 days old; LAST-WEEK began 90 days
ago but was continued a week ago, so it stays. A dry run only lists:

  $ llm-telemetry prune --dry-run
  Would remove 1 item, 0.1 MB
    ????-??-??  conversation OLD  0.1 MB  (retention) (glob)
  $ llm-telemetry prune --dry-run --json | python3 -c '
  > import json, sys
  > for r in json.load(sys.stdin)["removed"]: print(r["kind"], r["id"], r["reason"], r["path"].endswith("/conversations/OLD.jsonl"))'
  conversation OLD retention True
  $ ls "$LLM_TELEMETRY_DIR/conversations" | wc -l
  3
  $ llm-telemetry prune
  Removed 1 item, 0.1 MB
    ????-??-??  conversation OLD  0.1 MB  (retention) (glob)
  $ llm-telemetry conversations show OLD
  Error: no conversation 'OLD' in */telemetry (glob)
  [3]

The size cap: LAST-WEEK (last turn a week ago) goes; today's conversation is never taken by the
cap, like today's telemetry.

  $ LLM_STORAGE_MAX_SIZE_MB=0.01 llm-telemetry prune --json | python3 -c '
  > import json, sys
  > for r in json.load(sys.stdin)["removed"]: print(r["kind"], r["id"], r["reason"])'
  conversation LAST-WEEK size
  $ llm-telemetry conversations --json | python3 -c 'import json,sys; print([c["first_line"] for c in json.load(sys.stdin)])'
  ["today's question"]

A file in conversations/ that is not a conversation, or a link, is never removed nor followed:

  $ echo keep > "$LLM_TELEMETRY_DIR/conversations/notes.txt"
  $ echo outside > outside.jsonl
  $ ln -s "$PWD/outside.jsonl" "$LLM_TELEMETRY_DIR/conversations/LINK.jsonl"
  $ LLM_RETENTION_DAYS=1 LLM_STORAGE_MAX_SIZE_MB=0.000001 llm-telemetry prune --dry-run | tail -n 3
  Left alone (2, not counted toward the cap; see llm-telemetry doctor):
    */conversations/LINK.jsonl  (symbolic link) (glob)
    */conversations/notes.txt  (not the store's) (glob)
  $ cat outside.jsonl "$LLM_TELEMETRY_DIR/conversations/notes.txt"
  outside
  keep
