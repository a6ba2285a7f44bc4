doctor checks the store and exits 0 when nothing needs a hand, 3 when a problem remains,
4 when the folder is not a store. --fix repairs only what is safe.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry doctor
  Store: */telemetry (LLM_TELEMETRY_DIR is an absolute path) (glob)
  note     store      no store yet: the first recorded call creates it
  Healthy

A healthy store:

  $ llm-telemetry demo --days 3 --calls 300 > /dev/null
  $ llm-telemetry doctor
  Store: */telemetry (LLM_TELEMETRY_DIR is an absolute path) (glob)
  ok       store      marked as a store (.llm-core-store)
  ok       modes      folders 0700, files 0600
  ok       links      none
  ok       foreign    none
  ok       lines      every line readable
  ok       summaries  0 current
  ok       size       0.* MB of 100 MB (LLM_STORAGE_MAX_SIZE_MB), 4 days (glob)
  Healthy

With problems: a file made world-readable, a torn line, a stale summary, a link and a file
that are not the store's:

  $ llm-telemetry stats all > /dev/null
  $ chmod 644 "$LLM_TELEMETRY_DIR/2026-11-26/telemetry.jsonl"
  $ printf '{"torn' >> "$LLM_TELEMETRY_DIR/2026-11-26/telemetry.jsonl"
  $ echo mine > "$LLM_TELEMETRY_DIR/notes.txt"
  $ ln -s /etc/hostname "$LLM_TELEMETRY_DIR/2026-11-25/prompts.jsonl"
  $ llm-telemetry doctor
  Store: */telemetry (LLM_TELEMETRY_DIR is an absolute path) (glob)
  ok       store      marked as a store (.llm-core-store)
  problem  modes      1 not 0700 (folders) / 0600 (files); --fix sets them
                     */telemetry/2026-11-26/telemetry.jsonl (644) (glob)
  problem  links      1 symbolic link (never followed; remove them by hand)
                     */telemetry/2026-11-25/prompts.jsonl (glob)
  problem  foreign    1 not the store's (left alone; move them out)
                     */telemetry/notes.txt (glob)
  note     lines      1 unreadable line (torn, not JSON or without a timestamp; skipped when read)
                     2026-11-26/telemetry.jsonl: 1
  problem  summaries  1 stale, 0 damaged, 0 of days that are gone; --fix rebuilds them
                     2026-11-26 (stale)
  ok       size       0.* MB of 100 MB (LLM_STORAGE_MAX_SIZE_MB), 4 days (glob)
  4 problems need a hand (llm-telemetry doctor --fix repairs modes, summaries and the marker)
  [3]

--fix repairs the modes and the summary; the link and the foreign file are left for a hand:

  $ llm-telemetry doctor --fix --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["problems"], r["fixed"], [(c["name"], c["status"]) for c in r["checks"] if c["status"] != "ok"])'
  2 2 [('modes', 'fixed'), ('links', 'problem'), ('foreign', 'problem'), ('lines', 'note'), ('summaries', 'fixed')]
  $ stat -c %a "$LLM_TELEMETRY_DIR/2026-11-26/telemetry.jsonl"
  600
  $ rm "$LLM_TELEMETRY_DIR/notes.txt" "$LLM_TELEMETRY_DIR/2026-11-25/prompts.jsonl"
  $ llm-telemetry doctor | tail -n 1
  Healthy

A folder that is not a store:

  $ mkdir -p "$HOME/Documents"
  $ LLM_TELEMETRY_DIR="$HOME" llm-telemetry doctor
  Store: */home (LLM_TELEMETRY_DIR is an absolute path) (glob)
  problem  store      not a telemetry store: other files and no .llm-core-store
                     */home/Documents (glob)
  1 problem needs a hand (llm-telemetry doctor --fix repairs modes, summaries and the marker)
  Error: */home is not a telemetry store; point LLM_TELEMETRY_DIR at a new or empty folder (glob)
  [4]
