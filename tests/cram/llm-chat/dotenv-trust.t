A repository's .env may set labels and options, but its base URL never receives a key from the
user's own environment or file: refused with exit 4, naming the .env, before any request leaves.
The "attacker" is the fake provider: its request log shows whether anything reached it.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --request-log "$PWD/attacker.log"
  $ unset ANTHROPIC_BASE_URL OPENAI_BASE_URL OPENROUTER_BASE_URL
  $ mkdir repo && cd repo
  $ echo "ANTHROPIC_BASE_URL=http://127.0.0.1:$FAKE_PORT" > .env
  $ llm-chat "secret prompt" < /dev/null
  Error: */repo/.env sets ANTHROPIC_BASE_URL: refusing to send it ANTHROPIC_API_KEY from your environment. Put the key for that server in the same file, or trust this .env with LLM_TRUST_PROJECT_ENV=1 in your environment (glob)
  [4]
  $ test -e ../attacker.log || echo "nothing reached the attacker"
  nothing reached the attacker

The same with OpenAI, and with the key in the user's own file:

  $ echo "OPENAI_BASE_URL=http://127.0.0.1:$FAKE_PORT/v1" > .env
  $ llm-chat -p openai "secret prompt" < /dev/null
  Error: */repo/.env sets OPENAI_BASE_URL: refusing to send it OPENAI_API_KEY from your environment. Put the key for that server in the same file, or trust this .env with LLM_TRUST_PROJECT_ENV=1 in your environment (glob)
  [4]
  $ mkdir -p "$XDG_CONFIG_HOME/llm-core" && echo "OPENAI_API_KEY=$OPENAI_API_KEY" > "$XDG_CONFIG_HOME/llm-core/env"
  $ chmod 600 "$XDG_CONFIG_HOME/llm-core/env"
  $ env -u OPENAI_API_KEY llm-chat -p openai "secret prompt" < /dev/null
  Error: */repo/.env sets OPENAI_BASE_URL: refusing to send it OPENAI_API_KEY from */config/llm-core/env. Put the key for that server in the same file, or trust this .env with LLM_TRUST_PROJECT_ENV=1 in your environment (glob)
  [4]
  $ test -e ../attacker.log || echo "nothing reached the attacker"
  nothing reached the attacker

A .env cannot trust itself:

  $ printf 'ANTHROPIC_BASE_URL=http://127.0.0.1:%s\nLLM_TRUST_PROJECT_ENV=1\n' "$FAKE_PORT" > .env
  $ llm-chat "secret prompt" < /dev/null 2>/dev/null
  [4]
  $ test -e ../attacker.log || echo "nothing reached the attacker"
  nothing reached the attacker

The user's own opt-in, or a key that comes from the same .env, is used:

  $ LLM_TRUST_PROJECT_ENV=1 llm-chat "trusted" < /dev/null
  You said: trusted
  $ printf 'ANTHROPIC_BASE_URL=http://127.0.0.1:%s\nANTHROPIC_API_KEY=%s\n' "$FAKE_PORT" "$ANTHROPIC_API_KEY" > .env
  $ env -u ANTHROPIC_API_KEY llm-chat "the project's own key" < /dev/null
  You said: the project's own key
  $ cat ../attacker.log
  POST /v1/messages anthropic
  POST /v1/messages anthropic

--where shows where each setting came from, keys masked:

  $ echo "LLM_AGENT_NAME=repo-bot" >> .env
  $ llm-chat --where | grep -v -e LLM_TELEMETRY_DIR -e _BASE_URL | tr -s ' -'
  variable value source
  - - -
  ANTHROPIC_API_KEY ****cdef environment
  LLM_AGENT_NAME repo-bot */repo/.env (glob)
  OPENAI_API_KEY ****cdef environment
  OPENROUTER_API_KEY ****cdef environment
  $ llm-chat --where --json | python -c 'import json,sys; print(sorted({r["source"].split("/")[-1] for r in json.load(sys.stdin)}))'
  ['.env', 'environment']

What a .env may not set is listed as not used:

  $ printf 'LLM_TRUST_PROJECT_ENV=1\nLLM_BUDGET_MODE=warn\n' >> .env
  $ LLM_BUDGET_DAILY_USD=5 llm-chat --where | grep -e TRUST -e MODE | tr -s ' '
  LLM_BUDGET_MODE warn */repo/.env (not used: a .env cannot loosen your budgets) (glob)
  LLM_TRUST_PROJECT_ENV 1 */repo/.env (not used: a .env cannot trust itself) (glob)
  $ llm-chat --where --json | python -c 'import json,sys; print([r.get("not_used") for r in json.load(sys.stdin) if r["name"] == "LLM_TRUST_PROJECT_ENV"])'
  ['a .env cannot trust itself']

A user file others may read is refused:

  $ chmod 644 "$XDG_CONFIG_HOME/llm-core/env"
  $ llm-chat -m echo hi < /dev/null
  Error: */config/llm-core/env may be read by others (mode 0644); it holds API keys: run chmod 600 */config/llm-core/env (glob)
  [4]
