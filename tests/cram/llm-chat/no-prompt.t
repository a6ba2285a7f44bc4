Neither a prompt nor piped input is a usage error, not a hang.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-chat -m echo < /dev/null
  Usage: llm-chat [OPTIONS] [PROMPT]...
  Try 'llm-chat --help' for help.
  
  Error: expected a prompt as arguments or on stdin
  [2]
