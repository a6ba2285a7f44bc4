-a FILE adds an image or PDF to the input as the model's provider documents it (the formulas:
llm-tokens(1)); the input is then an estimate (~, "input_exact": false).

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_MODELS_TODAY=2026-11-27
  $ python3 - <<'PY'
  > import struct, zlib
  > def chunk(kind, data): return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
  > def png(w, h): return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
  >                      + chunk(b"IDAT", zlib.compress(b"\0" * (3 * w + 1) * h)) + chunk(b"IEND", b""))
  > open("chart.png", "wb").write(png(1092, 1092))
  > open("huge.png", "wb").write(png(64, 64) + bytes(6 << 20))
  > open("report.pdf", "wb").write(b"%PDF-1.7\n" + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(2)))
  > PY

The image (1092x1092: 1,590 tokens on Claude, 765 on gpt-4o) plus 20 tokens of prompt:

  $ llm-cost -m claude-sonnet-4-6 -a chart.png -i 20 -o 100
  claude-sonnet-4-6 (anthropic)
    input   ~1,610 tokens  $0.00483
    output     100 tokens  $0.0015
    total    1,710 tokens  $0.00633
  $ echo "What does the chart show?" | llm-cost -m gpt-4o -a chart.png -o 100 --json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); a = d["attachments"][0]
  > print(d["tokens"]["input"], d["input_exact"], a["file"], a["tokens"], a["method"])'
  771 False chart.png 765 openai/tiles-512(85+170)

With --compare, each model's own formula; with no MODELs, only the models that take the files:

  $ llm-cost --compare gpt-4o gpt-4.1-mini claude-haiku-4-5 -a chart.png -o 10 < /dev/null
  MODEL             PROVIDER    INPUT  OUTPUT       COST
  ----------------  ---------  ------  ------  ---------
  gpt-4.1-mini      openai     ~1,985      10   $0.00081
  claude-haiku-4-5  anthropic  ~1,590      10   $0.00164
  gpt-4o            openai       ~765      10  $0.002012
  $ llm-cost --compare -a report.pdf -o 10 --json < /dev/null | python3 -c '
  > import json, sys; rows = json.load(sys.stdin)
  > print(len(rows) > 5, any(r["model"] == "echo" for r in rows), {r["attachments"][0]["pages"] for r in rows})'
  True False {2}

Errors are llm-chat -a's, before pricing (exit 3):

  $ llm-cost -m echo -a chart.png -i 10
  Error: echo does not take images (its registry entry has no 'vision' capability; see llm-models list --capability vision)
  [3]
  $ llm-cost -m claude-haiku-4-5 -a huge.png -i 10
  Error: attachment huge.png is 6.0 MB; anthropic takes images up to 5.0 MB
  [3]
  $ llm-cost -m gpt-4o -a README -i 10
  Error: cannot read attachment README: No such file or directory
  [3]
  $ llm-cost --reprice -a chart.png < /dev/null
  Error: --reprice takes telemetry on stdin and no other options
  Try 'llm-cost --help'.
  [2]
