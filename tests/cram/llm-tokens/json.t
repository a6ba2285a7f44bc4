--json says whether a count is exact and how it was made.

  $ . "$TESTDIR/../_setup.sh"
  $ echo "hello world" | llm-tokens --json
  {
    "count": 3,
    "exact": true,
    "method": "tiktoken/o200k_base",
    "model": null,
    "encoding": "o200k_base"
  }
  $ printf 'hello world' > a.txt
  $ llm-tokens --json -m claude-opus-4-1 a.txt
  {
    "count": 3,
    "exact": false,
    "method": "estimate/claude (o200k_base x 1.20)",
    "model": "claude-opus-4-1",
    "encoding": "o200k_base",
    "files": [
      {
        "file": "a.txt",
        "count": 3,
        "exact": false,
        "method": "estimate/claude (o200k_base x 1.20)"
      }
    ]
  }
  $ echo "hello" | llm-tokens --json -m no-such-model
  Warning: unknown model 'no-such-model'; counting with o200k_base as an estimate
  {
    "count": 2,
    "exact": false,
    "method": "estimate/o200k_base",
    "model": "no-such-model",
    "encoding": "o200k_base"
  }
