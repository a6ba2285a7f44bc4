Input of any size is read in bounded pieces, also with no newline at all: 64 MB of NUL
bytes under a 400 MB address-space limit (each pair of NULs is one o200k_base token).
Encoding them at once does not fit in 1 GB; counting them in pieces needs ~150 MB.

  $ . "$TESTDIR/../_setup.sh"
  $ (ulimit -v 400000; head -c 64000000 /dev/zero | llm-tokens)
  32000000

--truncate reads only what it needs, so an endless input works:

  $ (ulimit -v 400000; llm-tokens --truncate 10 /dev/zero | wc -c)
  20
  $ (ulimit -v 400000; llm-tokens --truncate 3 --json /dev/zero) | grep -E '"(count|truncated)"'
    "count": 3,
    "truncated": true,
