The shipped prepare-commit-msg hook never blocks a commit: with a failing provider, or without
llm-chat on PATH, git commits with the message the user wrote and no file is left behind; when
llm-chat answers, its message comes first in the editor.

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MAX_RETRIES=0 TMPDIR="$PWD/tmp" && mkdir tmp
  $ start_fake_provider --scenario 500-always
  $ git init -q repo && cd repo && git config user.email t@example.com && git config user.name T
  $ llm-chat --print-hook prepare-commit-msg > .git/hooks/prepare-commit-msg
  $ chmod +x .git/hooks/prepare-commit-msg
  $ head -n 2 .git/hooks/prepare-commit-msg
  #!/bin/sh
  # prepare-commit-msg: propose a commit message with llm-chat; never blocks a commit.
  $ cmp .git/hooks/prepare-commit-msg "$TESTDIR/../../../contrib/prepare-commit-msg"

The editor (a script here) keeps what it was given apart, and keeps a proposed first line,
else writes the user's message:

  $ cat > ../editor <<'SH'
  > #!/bin/sh
  > grep -v '^#' "$1" | sed '/^$/d' > ../seen.txt
  > first=$(head -n 1 ../seen.txt)
  > echo "${first:-user message}" > "$1"
  > SH
  $ chmod +x ../editor && export GIT_EDITOR=../editor

The provider fails (HTTP 500): the commit goes through with the user's message.

  $ echo a > a.txt && git add a.txt
  $ git commit -q
  Error: Anthropic: api_error: Internal server error (HTTP 500, request id req_*) (glob)
  prepare-commit-msg: no message proposed (llm-chat failed); commit as usual
  $ git log -1 --format=%s
  user message
  $ cat ../seen.txt
  $ ls -A .git | grep -v -x -e HEAD -e branches -e config -e description -e hooks -e index -e info -e logs -e objects -e refs -e COMMIT_EDITMSG
  [1]
  $ ls -A ../tmp

llm-chat not on the hook's PATH: the hook steps aside silently.

  $ echo b > b.txt && git add b.txt
  $ PATH=/usr/bin:/bin git commit -q
  $ git log -1 --format=%s
  user message

The provider answers: its proposal is in the editor, above git's own text.

  $ kill "$FAKE_PROVIDER_PID" && start_fake_provider
  $ echo c > c.txt && git add c.txt
  $ git commit -q
  $ head -n 1 ../seen.txt
  You said: diff --git a/c.txt b/c.txt
  $ git log -1 --format=%s
  You said: diff --git a/c.txt b/c.txt
  $ ls -A ../tmp

git given a message (-m) is left alone, and nothing is asked:

  $ echo d > d.txt && git add d.txt
  $ git commit -q -m "by hand"
  $ git log -1 --format=%s
  by hand
  $ llm-telemetry agents | grep -c commit-hook
  1
