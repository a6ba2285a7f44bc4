"""llm-telemetry metrics and push: the store as Prometheus metrics, for a team's monitoring.

The prometheus extra (prometheus-client) is imported by llm_core.exporters.prometheus only
when one of these runs; without it they fail with one Error: line naming the extra.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from llm_core.cli._common import debug_option, dumps, emit, json_option
from llm_core.cli.telemetry import CONTEXT
from llm_core.cli.telemetry.options import store_dir
from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, ConfigError, InputError
from llm_core.exporters import ExporterMissing
from llm_core.exporters import prometheus as prom
from llm_core.records import replacing

TEXTFILE_MODE = 0o644  # node_exporter usually runs as its own user and must read the file


def _extra(error: ImportError) -> ConfigError:
    return ConfigError(str(error))


@click.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE atomically (for node_exporter's textfile collector) instead of stdout.")
@click.option("--openmetrics", is_flag=True, help="OpenMetrics 1.0 instead of the Prometheus text format.")
@json_option
@debug_option
def metrics(output, openmetrics, as_json):
    """The store's cumulative metrics in the Prometheus text format: llm_calls_total,
    llm_call_errors_total, llm_calls_blocked_total (refused by a budget before sending, not
    errors), llm_tokens_total{type}, llm_cost_usd_total and the histogram
    llm_call_duration_seconds (the OTel GenAI duration buckets).

    Every metric is labelled by provider, model, agent, operation and project. Each label keeps
    its 50 values with the most calls; the rest are "other", a missing value is "unknown".
    Values cover the whole store and come from its summaries: the same output twice in a row,
    as fast as the reports. Needs the prometheus extra (pip install 'llm-cli-tools-core[prometheus]').

    \b
    Examples:
      llm-telemetry metrics
      llm-telemetry metrics -o /var/lib/node_exporter/textfile/llm.prom
      llm-telemetry metrics --json | jq '.samples[] | select(.name == "llm_calls_total") | .value'
    """
    store = store_dir()
    try:
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
        if not output.parent.is_dir():  # a typo must not create a folder
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
        with replacing(output, TEXTFILE_MODE) as tmp:  # into /dev/stdout, never over it
            tmp.write_bytes(payload)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror or e}") from None


@click.command(context_settings=CONTEXT)
@click.option("--gateway", metavar="URL",
              help="The Pushgateway (default: LLM_PROMETHEUS_PUSHGATEWAY), e.g. http://localhost:9091.")
@click.option("--instance", metavar="NAME", help="The instance label (default: this host's name).")
@json_option
@debug_option
def push(gateway, instance, as_json):
    """Push the store's cumulative metrics (those of `llm-telemetry metrics`) to a Prometheus
    Pushgateway: job "llm-core", one group per instance (the host), project and store (its
    absolute path), holding that project's counters and latency histogram. Each push replaces
    its groups, so pushing again changes nothing, short processes sharing a store never
    overwrite each other with partial counts, and two stores of one project on one host (two
    checkouts) push two groups that PromQL's sums add up.

    With LLM_PROMETHEUS_PUSHGATEWAY set, every call made through llm-core pushes the same way
    in the background; this command does it on demand (after a batch job, from cron).

    \b
    Examples:
      llm-telemetry push --gateway http://localhost:9091
      LLM_PROMETHEUS_PUSHGATEWAY=http://pushgateway:9091 llm-telemetry push --json
    """
    settings = get_settings()
    gateway = gateway or settings.prometheus_pushgateway
    if not gateway:
        raise ConfigError("no Pushgateway: give --gateway URL or set LLM_PROMETHEUS_PUSHGATEWAY")
    store = store_dir()
    try:
        groups = prom.push(store, gateway, instance=instance)
    except ExporterMissing as e:
        raise _extra(e) from None
    except OSError as e:  # urllib's URLError and HTTPError included
        reason = getattr(e, "reason", None) or e
        raise APIConnectionError(f"cannot push to {gateway}: {reason}") from None
    result = {"gateway": gateway, "job": prom.JOB, "store": str(store),
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
