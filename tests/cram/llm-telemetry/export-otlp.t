export --format otlp: replay the history to an OpenTelemetry collector (OTLP/HTTP).

  $ . "$TESTDIR/../_setup.sh"
  $ export LLM_TELEMETRY_NOW=2026-11-27T12:00:00Z
  $ llm-telemetry demo --days 2 --calls 50 --seed 42 > /dev/null
  $ llm-telemetry export --format otlp --since 2026-11-27
  Error: no OTLP endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318)
  [4]

A dead endpoint is given up after the request timeout: 5 s, or the SDK's standard variable's
(seconds, as the Python SDK reads it):

  $ OTEL_EXPORTER_OTLP_TIMEOUT=1 OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 llm-telemetry export --format otlp --since 2026-11-27
  Error: cannot export to http://127.0.0.1:9: the OTLP endpoint did not take the calls
  [7]
  $ OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 llm-telemetry export --format otlp -o calls.otlp
  Error: --format otlp sends to OTEL_EXPORTER_OTLP_ENDPOINT: --output does not apply
  Try 'llm-telemetry export --help'.
  [2]
