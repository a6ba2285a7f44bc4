prune never follows a symbolic link and never counts or removes what is not the store's: a
linked day folder, a link to a big file and a foreign file are left alone and listed.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-telemetry demo --days 3 --calls 300 > /dev/null
  $ mkdir -p elsewhere/daydir && echo '{"id": "x"}' > elsewhere/daydir/telemetry.jsonl
  $ ln -s "$PWD/elsewhere/daydir" "$LLM_TELEMETRY_DIR/2020-01-01"
  $ truncate -s 120M big.bin && ln -s "$PWD/big.bin" "$LLM_TELEMETRY_DIR/big.bin"
  $ truncate -s 120M "$LLM_TELEMETRY_DIR/backup.tar"
  $ sha256sum elsewhere/daydir/telemetry.jsonl > before.sha
  $ ls "$LLM_TELEMETRY_DIR" > before.ls
  $ llm-telemetry prune --dry-run
  Nothing to prune (store: */telemetry) (glob)
  Left alone (3, not counted toward the cap; see llm-telemetry doctor):
    */telemetry/2020-01-01  (symbolic link) (glob)
    */telemetry/big.bin  (symbolic link) (glob)
    */telemetry/backup.tar  (not the store's) (glob)
  $ llm-telemetry prune
  Warning: left alone (symbolic links are never followed): */telemetry/2020-01-01, */telemetry/big.bin (glob)
  Nothing to prune (store: */telemetry) (glob)
  Left alone (3, not counted toward the cap; see llm-telemetry doctor):
    */telemetry/2020-01-01  (symbolic link) (glob)
    */telemetry/big.bin  (symbolic link) (glob)
    */telemetry/backup.tar  (not the store's) (glob)
  $ sha256sum -c before.sha
  elsewhere/daydir/telemetry.jsonl: OK
  $ ls "$LLM_TELEMETRY_DIR" | diff before.ls - && echo "every day folder kept"
  every day folder kept
  $ test -L "$LLM_TELEMETRY_DIR/2020-01-01" && ls elsewhere/daydir
  telemetry.jsonl
