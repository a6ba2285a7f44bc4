Input of any size is read in bounded pieces, also with no newline at all: 64 MB of NUL
bytes under a 180 MB address-space limit, where the command alone takes about 110 MB and the
input read whole (bytes and text) would need 128 MB more (each pair of NULs is one o200k_base
token).

  $ . "$TESTDIR/../_setup.sh"
  $ (ulimit -v 180000; head -c 64000000 /dev/zero | llm-tokens)
  32000000

--truncate reads only what it needs, so an endless input works:

  $ (ulimit -v 1000000; llm-tokens --truncate 10 /dev/zero | wc -c)
  20
  $ (ulimit -v 1000000; llm-tokens --truncate 3 --json /dev/zero) | grep -E '"(count|truncated)"'
    "count": 3,
    "truncated": true,
