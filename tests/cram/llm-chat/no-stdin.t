stdin and the prompt arguments are combined when stdin is a pipe or a file; --no-stdin never
reads it, so a loop that reads its own stdin runs once per line.

  $ . "$TESTDIR/../_setup.sh"
  $ echo "some text" | llm-chat -m echo "summarise"
  some text
  
  summarise
  $ printf 'one\ntwo\n' | while read x; do llm-chat -m echo "$x"; done
  two
  
  one
  $ printf 'one\ntwo\n' | while read x; do llm-chat --no-stdin -m echo "$x"; done
  one
  two

A prompt argument with stdin that is no pipe or file (/dev/null here, a terminal too) does not
read it; without a prompt, stdin is read whatever it is:

  $ llm-chat -m echo "just this" < /dev/null
  just this
  $ llm-chat -m echo < /dev/null
  Error: expected a prompt as arguments or on stdin
  Try 'llm-chat --help'.
  [2]
  $ echo "ignored" | llm-chat --no-stdin -m echo
  Error: expected a prompt as arguments or on stdin
  Try 'llm-chat --help'.
  [2]
