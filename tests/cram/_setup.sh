# Sourced by every cram transcript: `  $ . "$TESTDIR/../_setup.sh"`.
# The runner (tests/conftest.py) already scrubbed API keys and LLM_* settings and put bin/ on
# PATH. Everything a command may write goes under the transcript's own working directory
# (under plain `cram` too, where $CRAMTMP is shared by all transcripts).
export HOME="$PWD/home" XDG_CONFIG_HOME="$PWD/config" XDG_CACHE_HOME="$PWD/cache"
export LLM_TELEMETRY_DIR="$PWD/telemetry"
export NO_COLOR=1

# start_fake_provider [--scenario NAME]: run tests/fake_provider.py on a free port, point
# ANTHROPIC/OPENAI/OPENROUTER_BASE_URL at it and set its test keys. It stops with the shell:
# the EXIT trap kills every server the transcript started (a transcript may start several),
# and a server whose shell died without running the trap stops by itself (fake_provider.py).
FAKE_PROVIDER_PIDS=""
trap 'kill $FAKE_PROVIDER_PIDS 2>/dev/null' EXIT
start_fake_provider() {
  local portfile="$PWD/fake-provider.port"
  rm -f "$portfile"
  python "$TESTDIR/../../fake_provider.py" "$@" >"$portfile" 2>"$PWD/fake-provider.log" &
  FAKE_PROVIDER_PID=$!
  FAKE_PROVIDER_PIDS="$FAKE_PROVIDER_PIDS $FAKE_PROVIDER_PID"
  local i
  for i in $(seq 200); do
    [ -s "$portfile" ] && break
    sleep 0.025
  done
  FAKE_PORT=$(head -n 1 "$portfile")
  export ANTHROPIC_BASE_URL="http://127.0.0.1:$FAKE_PORT"
  export OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1"
  export OPENROUTER_BASE_URL="http://127.0.0.1:$FAKE_PORT/api/v1"
  export ANTHROPIC_API_KEY=sk-ant-test-0123456789abcdef
  export OPENAI_API_KEY=sk-test-0123456789abcdef
  export OPENROUTER_API_KEY=sk-or-v1-test-0123456789abcdef
}
