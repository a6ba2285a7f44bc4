A .env that is not UTF-8, or cannot be read, is one Error: line naming it, exit 4, and no
traceback, for every command.

  $ . "$TESTDIR/../_setup.sh"
  $ printf 'LLM_AGENT_NAME=caf\351\n' > .env
  $ llm-chat -m echo hi < /dev/null
  Error: */.env is not UTF-8 text (byte 18); fix or remove it (glob)
  [4]
  $ echo hi | llm-tokens
  Error: */.env is not UTF-8 text (byte 18); fix or remove it (glob)
  [4]
  $ llm-telemetry stats
  Error: */.env is not UTF-8 text (byte 18); fix or remove it (glob)
  [4]
  $ rm .env

Unreadable: mode 000, or, for a test run as root (who reads any file), a link to a file that
fails on read:

  $ echo "LLM_AGENT_NAME=x" > .env && chmod 000 .env
  $ [ "$(id -u)" != 0 ] || { rm .env; ln -s /proc/self/mem .env; }
  $ llm-chat -m echo hi < /dev/null
  Error: cannot read */.env: * (glob)
  [4]
