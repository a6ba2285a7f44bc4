Files are counted like wc: one line each and a total.

  $ . "$TESTDIR/../_setup.sh"
  $ printf 'one two three\n' > a.txt
  $ printf 'def f(x):\n    return x * 2\n' > b.py
  $ llm-tokens a.txt
  4 a.txt
  $ llm-tokens a.txt b.py
   4 a.txt
  11 b.py
  15 total
  $ printf 'stdin text\n' | llm-tokens a.txt -
  4 a.txt
  3 -
  7 total

A missing file gets an error line; the others are still counted, and the exit status is 3:

  $ llm-tokens a.txt missing.txt b.py
  Error: missing.txt: no such file
   4 a.txt
  11 b.py
  15 total
  [3]
  $ llm-tokens missing.txt
  Error: missing.txt: no such file
  [3]
  $ mkdir adir && llm-tokens adir
  Error: adir: is a directory
  [3]

When no file can be read, each gets its line and nothing is counted:

  $ llm-tokens missing.txt adir --json
  Error: missing.txt: no such file
  Error: adir: is a directory
  [3]
