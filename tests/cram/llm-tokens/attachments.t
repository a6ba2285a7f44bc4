-a FILE counts an image or PDF as the model's provider documents it, from the size in the
image's header: an estimate, shown ~N (--json: "exact": false and the formula in "method").

  $ . "$TESTDIR/../_setup.sh"
  $ python3 - <<'PY'
  > import struct, zlib
  > def chunk(kind, data): return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
  > def png(w, h): return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
  >                      + chunk(b"IDAT", zlib.compress(b"\0" * (3 * w + 1) * h)) + chunk(b"IEND", b""))
  > open("square.png", "wb").write(png(1024, 1024))
  > open("tall.png", "wb").write(png(2048, 4096))
  > open("report.pdf", "wb").write(b"%PDF-1.7\n" + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(3)))
  > PY

Claude: width x height / 750 after the resize to 1568 px and ~1,600 tokens. The text and each
attachment get a line, then the total:

  $ echo "What is in the picture?" | llm-tokens -m claude-sonnet-4-6 -a square.png
     ~8 -
  ~1399 square.png
  ~1407 total

OpenAI gpt-4o: 85 + 170 per 512 px tile (1024x1024: 765; 2048x4096: 1105, as OpenAI's own
examples); gpt-4.1-mini: 32 px patches x 1.62. With no text (a terminal, or FILEs), only the
attachments are counted:

  $ llm-tokens -m gpt-4o -a square.png -a tall.png < /dev/null
      0 -
   ~765 square.png
  ~1105 tall.png
  ~1870 total
  $ llm-tokens -m gpt-4.1-mini -a square.png --json < /dev/null | python3 -c '
  > import json, sys; d = json.load(sys.stdin); a = d["attachments"][0]
  > print(d["count"], d["exact"], a["tokens"], a["exact"], a["method"], a["width"], a["height"])'
  1659 False 1659 False openai/patches-32x1.62 1024 1024

A PDF: each page's text (2,250 tokens; Anthropic documents 1,500 to 3,000) plus the page as an
image; "ceiling" (3,000 a page) is what a budget reserves. - reads the attachment from stdin:

  $ llm-tokens -m claude-sonnet-4-6 --json -a - < report.pdf | python3 -c '
  > import json, sys; a = json.load(sys.stdin)["attachments"][0]
  > print(a["file"], a["media_type"], a["pages"], a["tokens"], a["ceiling"], a["method"])'
  - application/pdf 3 11664 13914 pdf/pages x (text 2250 + anthropic/pixels-750)

The files are checked as llm-chat -a checks them, before counting (exit 3):

  $ echo "not an image" > notes.txt
  $ llm-tokens -m gpt-4o -a notes.txt < /dev/null
  Error: attachment notes.txt is not a PNG, JPEG, GIF or WebP image or a PDF
  [3]
  $ llm-tokens -m gpt-4o -a missing.png < /dev/null
  Error: cannot read attachment missing.png: No such file or directory
  [3]
  $ llm-tokens -m echo -a square.png < /dev/null
  Error: echo does not take images (its registry entry has no 'vision' capability; see llm-models list --capability vision)
  [3]
  $ printf '\211PNG\r\n\032\n' > broken.png
  $ llm-tokens -m gpt-4o -a broken.png < /dev/null
  Error: broken.png: cannot read the image's size (not a PNG, JPEG, GIF or WebP, or a damaged one)
  [3]
  $ llm-tokens -m no-such-model -a square.png < /dev/null
  Error: unknown model 'no-such-model'* (glob)
  [3]

--exact asks Anthropic's token counting endpoint for each file of a Claude model (it needs a
key; tests/test_tokens.py checks the request against a local server):

  $ llm-tokens --exact -m claude-sonnet-4-6 -a square.png < /dev/null
  Error: exact Claude counts need ANTHROPIC_API_KEY (or drop --exact for an estimate)
  [4]

-a needs a model (the formula is the provider's), and counts; it does not truncate:

  $ llm-tokens -a square.png < /dev/null
  Error: -a/--attach needs a model (-m MODEL or LLM_MODEL): image tokens depend on the provider
  Try 'llm-tokens --help'.
  [2]
  $ llm-tokens -m gpt-4o --truncate 10 -a square.png < /dev/null
  Error: -a/--attach counts for a model; it does not combine with -e or --truncate
  Try 'llm-tokens --help'.
  [2]
