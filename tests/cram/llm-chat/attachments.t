Attachments: -a FILE (repeatable, - for stdin's bytes) sends images and PDFs as content blocks to
models that take them; the type comes from the file's first bytes.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ printf '\211PNG\r\n\032\nrest of a png' > chart.png
  $ printf '\377\330\377\340 a jpeg' > photo.jpg
  $ printf 'RIFF\0\0\0\0WEBPVP8 ' > pic.webp
  $ printf '%%PDF-1.7\n%% a pdf' > report.pdf
  $ llm-chat -a chart.png -a report.pdf "Do these agree?" < /dev/null
  You said: Do these agree? [saw image/png, application/pdf]
  $ llm-chat --no-stream -m gpt-4.1-mini -a photo.jpg -a pic.webp -a report.pdf "Describe" < /dev/null
  You said: Describe [saw image/jpeg, image/webp, application/pdf]
  $ cat photo.jpg | llm-chat -p openrouter -m anthropic/claude-haiku-5.5 -a - "From stdin"
  You said: From stdin [saw image/jpeg]
  $ llm-chat --json --no-stream -a photo.jpg "cost?" < /dev/null | python -c '
  > import json, sys; d = json.load(sys.stdin); print(d["text"], d["tokens"]["input"] > 0)'
  You said: cost? [saw image/jpeg] True

Errors, all before anything is sent (exit 3): not an image or PDF, a model without the
capability, a file over the provider's limit, a file that cannot be read.

  $ echo "plain text" > notes.txt
  $ llm-chat -a notes.txt "x" < /dev/null
  Error: attachment notes.txt is not a PNG, JPEG, GIF or WebP image or a PDF
  [3]
  $ llm-chat -m claude-3-5-haiku -a report.pdf "x" < /dev/null
  Error: claude-3-5-haiku does not take PDFs (its registry entry has no 'pdf' capability; see llm-models list --capability pdf)
  [3]
  $ llm-chat -p openrouter -m llama-3.1-70b -a chart.png "x" < /dev/null
  Error: meta-llama/llama-3.1-70b-instruct does not take images (its registry entry has no 'vision' capability; see llm-models list --capability vision)
  [3]
  $ llm-chat -m echo -a chart.png "x" < /dev/null
  Error: echo does not take images (its registry entry has no 'vision' capability; see llm-models list --capability vision)
  [3]
  $ python -c 'import sys; sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024))' > big.png
  $ llm-chat -a big.png "x" < /dev/null
  Error: attachment big.png is 6.0 MB; anthropic takes images up to 5.0 MB
  [3]
  $ llm-chat -a missing.png "x" < /dev/null
  Error: cannot read attachment missing.png: No such file or directory
  [3]
  $ cat "$LLM_TELEMETRY_DIR"/*/telemetry.jsonl | wc -l | tr -d ' '
  4

An endless or huge file is not read whole: past 50 MB, the most any provider takes, it is refused
before the rest is read (under ulimit -v, reading /dev/zero whole would end in a MemoryError).

  $ (ulimit -v 2000000; llm-chat -a /dev/zero "x" < /dev/null)
  Error: attachment /dev/zero is over 50.0 MB, more than any provider takes
  [3]
  $ (ulimit -v 2000000; llm-tokens -m claude-sonnet-4-6 -a /dev/zero < /dev/null)
  Error: attachment /dev/zero is over 50.0 MB, more than any provider takes
  [3]
  $ python -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.7\n" + bytes(60 * 1024 * 1024))' | llm-chat -m gpt-4o -a - "x"
  Error: attachment - is over 50.0 MB, more than any provider takes
  [3]
