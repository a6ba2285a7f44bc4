Bad input: a clear line on stderr and a documented exit status.

  $ . "$TESTDIR/../_setup.sh"
  $ echo x | llm-tokens -e BADNAME
  Error: unknown encoding 'BADNAME'; valid encodings: o200k_base, cl100k_base
  [3]
  $ echo x | llm-tokens -e cl100k_base -m gpt-4o
  Error: use either -m/--model or -e/--encoding, not both
  Try 'llm-tokens --help'.
  [2]
  $ echo x | llm-tokens --bogus
  Error: No such option '--bogus'.
  Try 'llm-tokens --help'.
  [2]
  $ printf 'caf\351 \377 ok\n' | llm-tokens
  Warning: -: not UTF-8; 2 undecodable bytes counted as U+FFFD
  5
  $ head -c 3000 /dev/zero | llm-tokens
  1500
