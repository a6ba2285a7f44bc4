A plain call is one-shot; --save-conversation starts a saved conversation, -c continues the
most recent one, --cid a given one. Each turn resends the earlier ones and is kept in the store.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --no-stream "one-shot" < /dev/null
  You said: one-shot
  $ ls "$LLM_TELEMETRY_DIR"/conversations 2>&1 | sed 's/.*: //'
  No such file or directory
  $ llm-chat --save-conversation -s "Be brief" "name a prime" < /dev/null
  You said: name a prime
  $ llm-chat -c "and the next one?" < /dev/null
  You said: and the next one?
  $ echo "piped too" | llm-chat -c --no-stream
  You said: piped too
  $ ls -l "$LLM_TELEMETRY_DIR"/conversations | grep -c '^-rw-------'
  1
  $ llm-telemetry conversations
  id +first line +turns +cost (re)
  -+  -+  -+  -+ (re)
  [0-9A-Z]{26}  name a prime      3  \$0\.\d+ (re)
  $ CID=$(llm-telemetry conversations --json | python -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
  $ llm-chat --cid "$CID" --json --no-stream "fourth" < /dev/null | python -c '
  > import json, sys; d = json.load(sys.stdin); print(d["text"], d["conversation_id"] == sys.argv[1])' "$CID"
  You said: fourth True
  $ llm-telemetry conversations show "$CID"
  --- turn 1  20*  claude-haiku-5-5  $0.* (glob)
  system: Be brief
  user: name a prime
  assistant: You said: name a prime
  --- turn 2  20*  claude-haiku-5-5  $0.* (glob)
  user: and the next one?
  assistant: You said: and the next one?
  --- turn 3  20*  claude-haiku-5-5  $0.* (glob)
  user: piped too
  assistant: You said: piped too
  --- turn 4  20*  claude-haiku-5-5  $0.* (glob)
  user: fourth
  assistant: You said: fourth

Each turn resends the whole conversation (input tokens grow), and each turn's telemetry record
carries the conversation id; the one-shot call has none.

  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | python -c '
  > import json, sys
  > for line in sys.stdin:
  >     r = json.loads(line)
  >     print(r["metadata"].get("conversation_id") is not None, r["tokens"]["input"])'
  False 2
  True 5
  True 15
  True 24
  True 30

A conversation can switch to another provider's model: the history is sent in its format.

  $ llm-chat -c --no-stream -m gpt-4.1-mini "over to openai" < /dev/null
  You said: over to openai
  $ llm-telemetry conversations --json | python -c 'import json,sys; r = json.load(sys.stdin)[-1]; print(r["turns"], r["model"])'
  5 gpt-4.1-mini

Without -m (or a template's model), a turn keeps the conversation's model, as it keeps its
system prompt: -c goes on with gpt-4.1-mini, not the default model (nor LLM_MODEL).

  $ LLM_MODEL=claude-haiku-4-5 llm-chat -c --no-stream "still openai?" < /dev/null
  You said: still openai?
  $ llm-telemetry conversations --json | python -c 'import json,sys; r = json.load(sys.stdin)[-1]; print(r["turns"], r["model"])'
  6 gpt-4.1-mini

Errors: an unknown id, a malformed id, -c with nothing to continue, show without an id.

  $ llm-chat --cid 01NOSUCHCONVERSATION "hi" < /dev/null
  Error: no conversation '01NOSUCHCONVERSATION' in */telemetry (--save-conversation --cid ID starts one) (glob)
  [3]
  $ llm-chat --cid ../../etc/passwd "hi" < /dev/null
  Error: '../../etc/passwd' is not a conversation id (letters, digits, '-' and '_')
  [3]
  $ LLM_TELEMETRY_DIR="$PWD/empty" llm-chat -c "hi" < /dev/null
  Error: no conversation to continue in */empty (--save-conversation starts one) (glob)
  [3]
  $ llm-telemetry conversations show
  Error: conversations show: expected a conversation id
  Try 'llm-telemetry conversations --help'.
  [2]
  $ LLM_TELEMETRY_DIR="$PWD/empty" llm-telemetry conversations
  (no saved conversations)

--save-conversation --cid NAME starts a conversation with a name of your choosing.

  $ llm-chat --save-conversation --cid review-42 -m echo "first" < /dev/null
  first
  $ llm-chat --cid review-42 "second" < /dev/null
  second
  $ llm-telemetry conversations show review-42 --json | python -c 'import json,sys; print([len(t["messages"]) for t in json.load(sys.stdin)])'
  [2, 2]

A turn whose model or provider is not a name (a file damaged by hand) is not followed: the call
takes -m, LLM_MODEL or the default, as with a new conversation.

  $ printf '{"model": 5, "provider": ["x"], "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}\n' >> "$LLM_TELEMETRY_DIR/conversations/review-42.jsonl"
  $ llm-chat --cid review-42 --no-stream "third" < /dev/null
  You said: third
  $ printf '{"model": "echo", "provider": "nosuch", "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}\n' >> "$LLM_TELEMETRY_DIR/conversations/review-42.jsonl"
  $ llm-chat --cid review-42 --no-stream "fourth" < /dev/null
  fourth
