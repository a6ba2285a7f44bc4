--max-cost and budgets reserve an attachment's tokens too, as its provider documents them
(llm-tokens(1), ATTACHMENTS): here a 1092x1092 image is 1,590 Claude tokens, $0.40 at the
"pricey" model's $250 per million, where the text alone is under a cent.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ cat > models.json <<'JSON'
  > {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5", "capabilities": ["vision"],
  >  "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}
  > JSON
  $ export LLM_MODELS_FILE=$PWD/models.json
  $ python3 - <<'PY'
  > import struct, zlib
  > def chunk(kind, data): return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
  > open("chart.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1092, 1092, 8, 2, 0, 0, 0))
  >                             + chunk(b"IDAT", zlib.compress(b"\0" * (3 * 1092 + 1) * 1092)) + chunk(b"IEND", b""))
  > PY
  $ llm-chat --no-stream -m pricey --max-tokens 9 --max-cost 0.1 "What is this?" < /dev/null
  You said: What is this?
  $ llm-chat --no-stream -m pricey --max-tokens 9 --max-cost 0.1 -a chart.png "What is this?" < /dev/null
  Error: this call may cost up to $0.4*, above --max-cost $0.1000; lower --max-tokens or raise --max-cost (glob)
  [8]
  $ llm-tokens -m pricey -a chart.png < /dev/null | tail -n 1
  Warning: no tokenizer known for 'pricey'; counting with o200k_base as an estimate
  ~1590 total
