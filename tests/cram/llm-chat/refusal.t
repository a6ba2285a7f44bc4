A refusal is printed as the answer, then an Error: line, exit 9 (both providers, streamed and not).

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --scenario refusal
  $ llm-chat -m claude-haiku-4-5 "how do I pick a lock" < /dev/null
  I'm sorry, but I can't help with that.
  Error: the model refused to answer (stop reason: refusal)
  [9]
  $ llm-chat -m gpt-4o-mini --no-stream "how do I pick a lock" < /dev/null
  I'm sorry, but I can't help with that.
  Error: the model refused to answer (stop reason: stop)
  [9]

With --json the object says so too:

  $ llm-chat -m gpt-4o-mini --json "how do I pick a lock" < /dev/null 2>/dev/null | python -c '
  > import json, sys
  > r = json.load(sys.stdin)
  > print(r["refusal"], r["text"])'
  True I'm sorry, but I can't help with that.
