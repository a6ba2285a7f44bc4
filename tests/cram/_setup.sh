# Sourced by every cram transcript: `  $ . "$TESTDIR/../_setup.sh"`.
# The runner (tests/conftest.py) already scrubbed API keys and LLM_* settings, put bin/ on
# PATH and pointed HOME, XDG_* and LLM_TELEMETRY_DIR into this test's temp directory.
export LLM_TELEMETRY_DIR="$CRAMTMP/telemetry"
export NO_COLOR=1
