--truncate N writes the first N tokens of the input, never splitting a character.

  $ . "$TESTDIR/../_setup.sh"
  $ echo "The quick brown fox jumps over the lazy dog." | llm-tokens --truncate 4; echo
  The quick brown fox
  $ printf 'ab🧑‍💻cd' | llm-tokens --truncate 2 | od -c | head -2
  0000000   a   b
  0000002
  $ printf 'ab🧑‍💻cd' | llm-tokens --truncate 100
  ab\xf0\x9f\xa7\x91\xe2\x80\x8d\xf0\x9f\x92\xbbcd (no-eol) (esc)
  $ printf 'short' | llm-tokens --truncate 3 --json
  {
    "text": "short",
    "count": 1,
    "truncated": false,
    "exact": true,
    "method": "tiktoken/o200k_base"
  }
  $ echo "one two three four five six" | llm-tokens --truncate 3 | llm-tokens
  3
  $ echo "x" | llm-tokens --truncate -1
  Error: Invalid value for '--truncate': -1 is not in the range 0<=x<=1000000000000.
  Try 'llm-tokens --help'.
  [2]
  $ llm-tokens --truncate 5 a b
  Error: --truncate takes one input (stdin or one FILE)
  Try 'llm-tokens --help'.
  [2]
  $ echo x | llm-tokens --truncate 5 --exact -m claude-sonnet-4-5
  Error: --exact counts; it does not combine with --truncate
  Try 'llm-tokens --help'.
  [2]

A reader that goes away early ends the command quietly with 141, the status a shell gives
a process that SIGPIPE stopped:

  $ yes "hello world" | head -c 1000000 | llm-tokens --truncate 200000 | true; echo "${PIPESTATUS[2]}"
  141
