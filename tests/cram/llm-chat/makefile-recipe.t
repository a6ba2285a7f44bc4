contrib/llm.mk: a Make recipe with llm-chat that never fails the build. With a failing
provider, or without llm-chat on PATH, make still exits 0 and leaves no half-written file.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MAX_RETRIES=0
  $ start_fake_provider --scenario 500-always
  $ git init -q repo && cd repo && git config user.email t@example.com && git config user.name T
  $ echo a > a.txt && git add a.txt && git commit -q -m init && echo b >> a.txt
  $ printf 'all: llm-review\n\t@echo build done\n\ninclude %s\n' "$TESTDIR/../../../contrib/llm.mk" > Makefile
  $ make -s
  Error: Anthropic: api_error: Internal server error (HTTP 500, request id req_*) (glob)
  llm-review: skipped
  build done
  $ ls
  Makefile
  a.txt
  $ PATH=/usr/bin:/bin make -s
  *llm-chat*not found (glob)
  llm-review: skipped
  build done
  $ ls
  Makefile
  a.txt

When llm-chat answers, the review is written:

  $ kill "$FAKE_PROVIDER_PID" && start_fake_provider
  $ make -s
  build done
  $ head -c 31 REVIEW.md; echo
  You said: diff --git a/a.txt b/
  $ ls -I 'fake-provider.*'
  Makefile
  REVIEW.md
  a.txt
