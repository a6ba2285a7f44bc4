stdin is read up to 64 MB, more text than any model's context window holds (a million tokens
is about 4 MB): past that, llm-chat stops with one error, before sending, instead of filling
the memory (under ulimit -v, reading /dev/zero whole would end in a MemoryError).

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider --request-log "$PWD/requests.log"
  $ (ulimit -v 2000000; llm-chat < /dev/zero)
  Error: stdin is over 64 MB, more text than any model's context window holds
  [3]
  $ test -e requests.log || echo "nothing was sent"
  nothing was sent

Text that is not UTF-8 (Latin-1, or an image piped by mistake: attach those with -a) is sent
with U+FFFD for each byte that cannot be read, and a warning says so, as llm-tokens does:

  $ printf 'caf\351 cr\350me\n' | llm-chat -m echo
  Warning: stdin: not UTF-8; 2 undecodable bytes read as U+FFFD
  caf\xef\xbf\xbd cr\xef\xbf\xbdme (esc)
  $ printf 'caf\303\251 \357\277\275\n' | llm-chat -m echo
  caf\xc3\xa9 \xef\xbf\xbd (esc)
