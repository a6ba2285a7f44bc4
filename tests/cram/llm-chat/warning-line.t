A warning that comes while an answer streams starts a line of its own, after the answer's
line: here the call's record is refused as the stream ends, because today's day folder is a
link out of the store (nothing is written through it).

  $ . "$TESTDIR/../_setup.sh"
  $ printf first | llm-chat -m echo
  first
  $ mkdir elsewhere
  $ for day in $(date -u +%F) $(date -u -d tomorrow +%F); do
  >   rm -rf "$LLM_TELEMETRY_DIR/$day"; ln -s "$PWD/elsewhere" "$LLM_TELEMETRY_DIR/$day"
  > done
  $ printf hi | llm-chat -m echo 2>&1
  hi
  Warning: telemetry not saved * (glob)
  $ ls elsewhere
