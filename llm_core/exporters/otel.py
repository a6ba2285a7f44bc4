"""Each call as an OpenTelemetry span and GenAI metrics, sent over OTLP/HTTP.

Follows the OTel GenAI semantic conventions (client spans and metrics):

    span "chat {model}", kind CLIENT, start and end from the record, status ERROR on failure
      gen_ai.operation.name        "chat"
      gen_ai.provider.name         the record's provider
      gen_ai.request.model         the model asked for
      gen_ai.response.model        the model that answered (the record's model)
      gen_ai.usage.input_tokens    every input token, cached ones included (as the conventions ask)
      gen_ai.usage.output_tokens
      gen_ai.usage.cache_read.input_tokens, gen_ai.usage.cache_creation.input_tokens
      gen_ai.response.finish_reasons  [stop reason], when known
      error.type                   the error's class name ("interrupted" for Ctrl-C), on failure
      gen_ai.agent.name, llm_core.operation, llm_core.project, llm_core.cost_usd,
      llm_core.record_id           llm-core's own labels
      gen_ai.input.messages / gen_ai.output.messages   only with LLM_STORE_PROMPTS / _RESPONSES
    metrics gen_ai.client.operation.duration (s) and gen_ai.client.token.usage ({token},
      gen_ai.token.type input|output), with the conventions' advised bucket boundaries.

`CallExporter` batches in the SDK's background threads; it never sets the global OTel
providers, so an application's own OpenTelemetry set-up is left alone. The exporter takes
OTEL_EXPORTER_OTLP_ENDPOINT's value (the base URL; /v1/traces and /v1/metrics are added) and
reads the SDK's other OTEL_* variables (headers, service name) the usual way.
Needs the `otel` extra (opentelemetry-sdk, opentelemetry-exporter-otlp-proto-http).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

import orjson

from llm_core.exporters._base import ExporterMissing, warn
from llm_core.records import parse_timestamp

try:  # the otel extra: this module is imported only when OTLP export is configured
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.trace import SpanKind, Status, StatusCode
except ImportError:
    raise ExporterMissing("otel", "opentelemetry-sdk / opentelemetry-exporter-otlp-proto-http") from None

__all__ = ["DURATION_BUCKETS", "TOKEN_BUCKETS", "CallExporter", "metric_attributes",
           "span_attributes", "span_times"]

DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
                    40.96, 81.92)
TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
                 16777216, 67108864)
OPERATION = "chat"
DEFAULT_TIMEOUT = 5.0  # s per export request, where the SDK's default is 10
SCOPE = "llm_core"


def _error_type(record: dict) -> str | None:
    if record.get("success", True):
        return None
    text = str((record.get("metadata") or {}).get("error") or "")
    name = text.split(":", 1)[0].strip()
    return name if name.isidentifier() else "_OTHER"


def _tokens(record: dict) -> dict[str, int]:
    tokens = record.get("tokens") or {}
    return {k: int(tokens.get(k) or 0) for k in ("input", "output", "cache_read", "cache_write")}


def _messages(role: str, content: Any) -> str:
    text = content if isinstance(content, str) else orjson.dumps(content, default=str).decode()
    return orjson.dumps([{"role": role, "parts": [{"type": "text", "content": text}]}]).decode()


def span_attributes(record: dict, *, include_prompts: bool = False,
                    include_responses: bool = False) -> dict[str, Any]:
    """The span's attributes for one record (prompt/response text only when asked)."""
    t = _tokens(record)
    meta = record.get("metadata") or {}
    attrs: dict[str, Any] = {
        "gen_ai.operation.name": OPERATION,
        "gen_ai.provider.name": record.get("provider") or "unknown",
        "gen_ai.request.model": record.get("model") or "unknown",
        "gen_ai.response.model": record.get("response_model") or record.get("model") or "unknown",
        "gen_ai.usage.input_tokens": t["input"] + t["cache_read"] + t["cache_write"],
        "gen_ai.usage.output_tokens": t["output"],
        "gen_ai.usage.cache_read.input_tokens": t["cache_read"],
        "gen_ai.usage.cache_creation.input_tokens": t["cache_write"],
    }
    if record.get("stop_reason"):
        attrs["gen_ai.response.finish_reasons"] = [str(record["stop_reason"])]
    error = _error_type(record)
    if error:
        attrs["error.type"] = error
    own = {"gen_ai.agent.name": record.get("agent_name"),
           "llm_core.operation": record.get("operation"),
           "llm_core.project": meta.get("project"),
           "llm_core.cost_usd": record.get("cost_usd"),
           "llm_core.record_id": record.get("id")}
    attrs.update({k: v for k, v in own.items() if v is not None})
    if include_prompts and record.get("prompt") is not None:
        attrs["gen_ai.input.messages"] = _messages("user", record["prompt"])
    if include_responses and record.get("response") is not None:
        attrs["gen_ai.output.messages"] = _messages("assistant", record["response"])
    return attrs


def metric_attributes(record: dict) -> dict[str, str]:
    """The metrics' attributes: the conventions' required and recommended ones."""
    attrs = {
        "gen_ai.operation.name": OPERATION,
        "gen_ai.provider.name": record.get("provider") or "unknown",
        "gen_ai.request.model": record.get("model") or "unknown",
        "gen_ai.response.model": record.get("response_model") or record.get("model") or "unknown",
    }
    error = _error_type(record)
    if error:
        attrs["error.type"] = error
    return attrs


def span_times(record: dict) -> tuple[int, int]:
    """(start, end) in epoch nanoseconds: the record is written when the call ends."""
    end_ms = parse_timestamp(record.get("timestamp"))
    if end_ms is None:
        end_ms = time.time_ns() // 1_000_000
    duration = record.get("duration_ms") or 0
    end = end_ms * 1_000_000
    return end - int(float(duration) * 1_000_000), end


def _signal_url(endpoint: str, signal: str) -> str:
    return endpoint.rstrip("/") + f"/v1/{signal}"


class _Failures:
    """What failed to go out; warned about once (when `warn`)."""

    def __init__(self, endpoint: str, warn: bool) -> None:
        self.endpoint, self.warn, self.failed = endpoint, warn, False

    def __call__(self, what: str) -> None:
        self.failed = True
        if self.warn:
            # One key with the flush's: a dead endpoint is one warning, whatever it refused.
            warn("otel-export", f"calls not exported: {self.endpoint} did not take the {what}")


class _SpanExporter(OTLPSpanExporter):
    """The OTLP span exporter, with a failed export reported to `failures`."""

    failures: _Failures

    def export(self, spans):
        result = super().export(spans)
        if result.name != "SUCCESS":
            self.failures("spans")
        return result


class _MetricExporter(OTLPMetricExporter):
    failures: _Failures

    def export(self, metrics_data, timeout_millis: float = 10_000, **kwargs):
        result = super().export(metrics_data, timeout_millis=timeout_millis, **kwargs)
        if result.name != "SUCCESS":
            self.failures("metrics")
        return result


def _quiet_sdk_logs() -> None:
    # The SDK logs every failed export; without a handler of the application's, Python would
    # print each one. We say it once ourselves (see _Failures).
    logger = logging.getLogger("opentelemetry")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _timeout(signal: str, given: float | None) -> float | None:
    """The request timeout: `given`, else None when OTEL_EXPORTER_OTLP_TIMEOUT or the signal's own
    variable is set (the SDK reads it: seconds, in the Python SDK), else DEFAULT_TIMEOUT."""
    if given is not None:
        return given
    if os.environ.get(f"OTEL_EXPORTER_OTLP_{signal}_TIMEOUT") or os.environ.get("OTEL_EXPORTER_OTLP_TIMEOUT"):
        return None
    return DEFAULT_TIMEOUT


class CallExporter:
    """Spans and metrics for calls, batched by the SDK and sent to `endpoint` (OTLP/HTTP)."""

    def __init__(self, endpoint: str, *, include_prompts: bool = False,
                 include_responses: bool = False, timeout: float | None = None,
                 delay_ms: int = 2000, warn: bool = True) -> None:
        self.endpoint = endpoint
        self._failures = _Failures(endpoint, warn)
        self.include_prompts = include_prompts
        self.include_responses = include_responses
        _quiet_sdk_logs()
        resource = Resource.create({"service.name": "llm-core"})
        self._tracer_provider = TracerProvider(resource=resource, shutdown_on_exit=False)
        spans = _SpanExporter(endpoint=_signal_url(endpoint, "traces"), timeout=_timeout("TRACES", timeout))
        points = _MetricExporter(endpoint=_signal_url(endpoint, "metrics"), timeout=_timeout("METRICS", timeout))
        spans.failures = points.failures = self._failures
        self._tracer_provider.add_span_processor(BatchSpanProcessor(
            spans, schedule_delay_millis=delay_ms, max_queue_size=8192))
        reader = PeriodicExportingMetricReader(points, export_interval_millis=max(delay_ms, 1000) * 5)
        self._meter_provider = MeterProvider(metric_readers=[reader], resource=resource,
                                             shutdown_on_exit=False)
        self._tracer = self._tracer_provider.get_tracer(SCOPE)
        meter = self._meter_provider.get_meter(SCOPE)
        self._duration = meter.create_histogram(
            "gen_ai.client.operation.duration", unit="s",
            description="GenAI operation duration.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS)
        self._tokens = meter.create_histogram(
            "gen_ai.client.token.usage", unit="{token}",
            description="Number of input and output tokens used.",
            explicit_bucket_boundaries_advisory=TOKEN_BUCKETS)
        self._lock = threading.Lock()

    def submit(self, record: dict) -> None:
        """One span and its metric points for `record` (queued; sent in the background)."""
        start, end = span_times(record)
        attrs = span_attributes(record, include_prompts=self.include_prompts,
                                include_responses=self.include_responses)
        span = self._tracer.start_span(f"{OPERATION} {attrs['gen_ai.request.model']}",
                                       kind=SpanKind.CLIENT, start_time=start, attributes=attrs)
        if "error.type" in attrs:
            span.set_status(Status(StatusCode.ERROR, attrs["error.type"]))
        span.end(end_time=end)
        m_attrs = metric_attributes(record)
        if record.get("duration_ms") is not None:
            self._duration.record((end - start) / 1e9, m_attrs)
        t = _tokens(record)
        if record.get("success", True):  # the conventions: token usage of completed calls only
            self._tokens.record(attrs["gen_ai.usage.input_tokens"],
                                {**m_attrs, "gen_ai.token.type": "input"})
            self._tokens.record(t["output"], {**m_attrs, "gen_ai.token.type": "output"})

    @property
    def failed(self) -> bool:
        """Whether any export failed so far."""
        return self._failures.failed

    def flush(self, timeout: float) -> bool:
        """Send everything queued; True when both signals went out within `timeout` s."""
        ms = max(1, int(timeout * 1000))
        with self._lock:
            spans = self._tracer_provider.force_flush(ms)
            metrics = self._meter_provider.force_flush(ms)
        return bool(spans) and bool(metrics)
