Neither a prompt nor piped input is a usage error, not a hang.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-chat -m echo < /dev/null
  Error: expected a prompt as arguments or on stdin
  Try 'llm-chat --help'.
  [2]
