Count stdin: just the number, o200k_base unless a model says otherwise.

  $ . "$TESTDIR/../_setup.sh"
  $ echo "hello world" | llm-tokens
  3
  $ echo "hello world" | llm-tokens -m gpt-4
  3
  $ printf 'Ünïcödé 🧑‍💻 emoji and 漢字' | llm-tokens -e cl100k_base
  20
  $ printf '' | llm-tokens
  0

Claude and unknown models get an estimate, marked ~ (--json has the bare number and the flag):

  $ echo "The quick brown fox jumps over the lazy dog." | llm-tokens -m claude-sonnet-4-6
  ~12
  $ echo "The quick brown fox jumps over the lazy dog." | llm-tokens
  10
  $ echo "hello world" | llm-tokens -m gtp-4o
  Warning: unknown model 'gtp-4o' (did you mean gpt-4o, gpt-4, gpt-5.4?); counting with o200k_base as an estimate
  ~3
