export --output and report --html replace a regular file whole (a temporary file renamed over
it). A target that is not a regular file (a FIFO, /dev/stdout) is written into instead:
renaming over it replaced the pipe with a plain file (and, run as root, /dev/stdout itself),
and whoever read the pipe waited for ever.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry demo --days 2 --calls 20 --seed 1 > /dev/null
  $ mkfifo out.fifo
  $ timeout 10 cat out.fifo > got.csv & READER=$!
  $ llm-telemetry export --format csv -o out.fifo
  Wrote 20 records to out.fifo (csv)
  $ wait $READER; tail -n +2 got.csv | wc -l | tr -d ' '
  20
  $ test -p out.fifo && echo "still a FIFO"
  still a FIFO

The binary formats too (SQLite is built in a temporary file, then copied in), and the report:

  $ timeout 10 cat out.fifo > got.db & READER=$!
  $ llm-telemetry export --format sqlite -o out.fifo
  Wrote 20 records to out.fifo (sqlite)
  $ wait $READER; python -c 'import sqlite3; print(sqlite3.connect("got.db").execute("SELECT count(*) FROM calls").fetchone()[0])'
  20
  $ timeout 10 cat out.fifo > got.html & READER=$!
  $ llm-telemetry report --html out.fifo --days 3
  Wrote out.fifo (* KB): last 3 days (*), 20 calls (glob)
  $ wait $READER; grep -c '</html>' got.html
  1
  $ test -p out.fifo && echo "still a FIFO"
  still a FIFO
  $ ls -a | grep -c '^\.out\.fifo'
  0
  [1]

metrics -o too (node_exporter's textfile collector reads a regular file, replaced whole):

  $ timeout 10 cat out.fifo > got.prom & READER=$!
  $ llm-telemetry metrics -o out.fifo
  $ wait $READER; grep -c '^# TYPE llm_calls_total' got.prom
  1
  $ test -p out.fifo && echo "still a FIFO"
  still a FIFO
