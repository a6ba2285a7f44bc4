"""llm-telemetry metrics / push, and export --format otlp: the store for a team's monitoring.

`register(group)` adds `metrics` and `push` to the llm-telemetry group; `export_otlp()` is the
body of `export --format otlp`. The prometheus and otel extras are imported only here, when
one of these runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from llm_core.cli._common import dumps, emit, json_option
from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, ConfigError, InputError

_CONTEXT = {"help_option_names": ["-h", "--help"]}


def _extra(error: ImportError) -> ConfigError:
    return ConfigError(str(error))


@click.command(context_settings=_CONTEXT, short_help="The store as Prometheus metrics (text exposition).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE atomically (for node_exporter's textfile collector) instead of stdout.")
@click.option("--openmetrics", is_flag=True, help="OpenMetrics 1.0 instead of the Prometheus text format.")
@json_option
def metrics(output, openmetrics, as_json):
    """The store's cumulative metrics in the Prometheus text format: llm_calls_total,
    llm_call_errors_total, llm_tokens_total{type}, llm_cost_usd_total and the histogram
    llm_call_duration_seconds{model} (the OTel GenAI duration buckets).

    Counters are labelled by provider, model, agent, operation and project. Each label keeps
    its 50 values with the most calls; the rest are "other", a missing value is "unknown".
    Values cover the whole store and come from its summaries: the same output twice in a row,
    as fast as the reports. Needs the prometheus extra (pip install 'llm-cli-tools-core[prometheus]').

    \b
    Examples:
      llm-telemetry metrics
      llm-telemetry metrics -o /var/lib/node_exporter/textfile/llm.prom
      llm-telemetry metrics --json | jq '.samples[] | select(.name == "llm_calls_total") | .value'
    """
    from llm_core.exporters import ExporterMissing  # loaded only when these commands run

    store = get_settings().telemetry_dir
    try:
        from llm_core.exporters import prometheus as prom  # the prometheus extra: only here

        if as_json:
            data = {"store": str(store), "samples": prom.samples(store)}
            if output is None:
                emit(data, as_json=True)
                return
            payload = (dumps(data) + "\n").encode()
        else:
            payload = prom.exposition(store, openmetrics=openmetrics)
    except ExporterMissing as e:
        raise _extra(e) from None
    if output is None:
        sys.stdout.write(payload.decode())
        return
    try:
        prom.write_atomic(output, payload)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror or e}") from None


@click.command(context_settings=_CONTEXT, short_help="Push the store's metrics to a Prometheus Pushgateway.")
@click.option("--gateway", metavar="URL",
              help="The Pushgateway (default: LLM_PROMETHEUS_PUSHGATEWAY), e.g. http://localhost:9091.")
@click.option("--instance", metavar="NAME", help="The instance label (default: this host's name).")
@json_option
def push(gateway, instance, as_json):
    """Push the store's cumulative metrics (those of `llm-telemetry metrics`) to a Prometheus
    Pushgateway: job "llm-core", one group per instance and project, the latency histogram in
    the instance's own group. Each push replaces its groups, so pushing again changes nothing,
    and short processes sharing a store never overwrite each other with partial counts.

    With LLM_PROMETHEUS_PUSHGATEWAY set, every call made through llm-core pushes the same way
    in the background; this command does it on demand (after a batch job, from cron).

    \b
    Examples:
      llm-telemetry push --gateway http://localhost:9091
      LLM_PROMETHEUS_PUSHGATEWAY=http://pushgateway:9091 llm-telemetry push --json
    """
    from llm_core.exporters import ExporterMissing  # loaded only when these commands run

    settings = get_settings()
    gateway = gateway or settings.prometheus_pushgateway
    if not gateway:
        raise ConfigError("no Pushgateway: give --gateway URL or set LLM_PROMETHEUS_PUSHGATEWAY")
    try:
        from llm_core.exporters import prometheus as prom  # the prometheus extra: only here

        groups = prom.push(settings.telemetry_dir, gateway, instance=instance)
    except ExporterMissing as e:
        raise _extra(e) from None
    except OSError as e:  # urllib's URLError and HTTPError included
        reason = getattr(e, "reason", None) or e
        raise APIConnectionError(f"cannot push to {gateway}: {reason}") from None
    result = {"gateway": gateway, "job": prom.JOB, "store": str(settings.telemetry_dir),
              "groups": groups}
    emit(result, as_json=as_json, human=_pushed)


def _pushed(r: dict) -> str:
    if not r["groups"]:
        return f"Nothing to push: no telemetry in {r['store']}"
    lines = [f"Pushed {len(r['groups'])} group{'s' if len(r['groups']) != 1 else ''} to {r['gateway']} (job {r['job']}):"]
    for g in r["groups"]:
        key = ", ".join(f"{k}={v}" for k, v in g["grouping_key"].items())
        lines.append(f"  {key}  ({g['series']} series)")
    return "\n".join(lines)


def export_otlp(records, endpoint: str | None) -> int:
    """Send `records` (the selected history) to the OTLP endpoint; returns how many went."""
    from llm_core.exporters import ExporterMissing  # loaded only when these commands run

    settings = get_settings()
    endpoint = endpoint or settings.otlp_endpoint
    if not endpoint:
        raise ConfigError("no OTLP endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318)")
    try:
        from llm_core.exporters.otel import CallExporter  # the otel extra: only here
    except ExporterMissing as e:
        raise _extra(e) from None
    exporter = CallExporter(endpoint, include_prompts=settings.store_prompts,
                            include_responses=settings.store_responses, delay_ms=500, warn=False)
    sent = 0
    for _line, record in records:
        exporter.submit(record)
        sent += 1
        if sent % 4096 == 0 and not exporter.flush(timeout=30.0):  # the SDK's queue is bounded
            break
    if not exporter.flush(timeout=30.0) or exporter.failed:
        raise APIConnectionError(f"cannot export to {endpoint}: the OTLP endpoint did not take the calls")
    sys.stderr.write(f"Exported {sent:,} call{'s' if sent != 1 else ''} to {endpoint}\n")
    return sent


def register(group: click.Group) -> None:
    """Add metrics and push to the llm-telemetry group."""
    group.add_command(metrics)
    group.add_command(push)

