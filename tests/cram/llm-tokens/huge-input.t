Input of any size is read in bounded pieces, also with no newline at all: 200 MB of NUL
bytes under a 1 GB address-space limit (each pair of NULs is one o200k_base token).

  $ . "$TESTDIR/../_setup.sh"
  $ (ulimit -v 1000000; head -c 200000000 /dev/zero | llm-tokens)
  100000000

--truncate reads only what it needs, so an endless input works:

  $ (ulimit -v 1000000; llm-tokens --truncate 10 /dev/zero | wc -c)
  20
  $ (ulimit -v 1000000; llm-tokens --truncate 3 --json /dev/zero) | grep -E '"(count|truncated)"'
    "count": 3,
    "truncated": true,
