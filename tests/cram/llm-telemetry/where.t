where: which store the commands run here use, and why. A relative LLM_TELEMETRY_DIR (the
default) is found like git finds .git: the nearest store up to the top of the git work tree,
else that top, else the working directory.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry where
  */telemetry (glob)
    why:   LLM_TELEMETRY_DIR is an absolute path
    state: missing

The default, from deep inside a git work tree (no git is run: the walk looks for .git):

  $ unset LLM_TELEMETRY_DIR
  $ mkdir -p repo/.git repo/src/deep && cd repo/src/deep
  $ llm-telemetry where
  */repo/.llm-telemetry (glob)
    why:   the top of the git work tree */repo (glob)
    state: missing
  $ llm-chat -m echo hi < /dev/null
  hi
  $ ls -A ../../.llm-telemetry | grep -v '^20'
  .gitignore
  .last-prune
  .llm-core-store
  summary.json
  $ cat ../../.llm-telemetry/.gitignore
  *
  $ llm-telemetry --where
  */repo/.llm-telemetry (glob)
    why:   the nearest store above the working directory (marked)
    state: marked
  $ llm-telemetry where --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["reason"], r["state"], r["setting"])'
  existing marked .llm-telemetry

A store nearer than the top wins:

  $ mkdir ../.llm-telemetry
  $ llm-telemetry where
  */repo/src/.llm-telemetry (glob)
    why:   the nearest store above the working directory (adoptable)
    state: adoptable

A folder that is not a store is refused (exit 4), and nothing is written to it:

  $ export LLM_TELEMETRY_DIR="$HOME"
  $ mkdir -p "$HOME/Documents" && echo hi > "$HOME/notes.txt"
  $ llm-telemetry where
  */home (glob)
    why:   LLM_TELEMETRY_DIR is an absolute path
    state: foreign
  Error: */home is not a telemetry store (LLM_TELEMETRY_DIR=*/home) (glob)
  [4]
  $ llm-chat -m echo hi < /dev/null
  Error: */home is not a telemetry store: it holds other files (Documents, notes.txt) and no .llm-core-store; point LLM_TELEMETRY_DIR at a new or empty folder (or, if it is the store, create */home/.llm-core-store) (glob)
  [4]
  $ ls -A "$HOME"
  Documents
  notes.txt
