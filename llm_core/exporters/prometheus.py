"""The store as Prometheus metrics: cumulative counters and a latency histogram.

    text = exposition(store)                     # bytes, Prometheus text format 0.0.4
    text = exposition(store, openmetrics=True)   # OpenMetrics 1.0
    push(store, "http://pushgateway:9091")      # job llm-core, one group per project

A push's group is (instance, project, store): the host, the project, and the store's absolute
path (`store_label`), so two stores of one project on one host (two checkouts, a CI
workspace) push two groups, and PromQL sums add them up; each push replaces only its own.

Values are cumulative over everything in the store, answered from the per-day summaries
(`storage.collect.collect`), so they are as fast as the reports and idempotent: writing or
pushing twice gives the same numbers, and pushes from many short processes sharing a store
all carry the store's totals (the last push wins, and it is right).

    llm_calls_total{provider,model,agent,operation,project}
    llm_call_errors_total{...the same}           failed calls (not cancelled, not blocked)
    llm_calls_blocked_total{...the same}         calls a budget refused before sending
    llm_tokens_total{...the same, type=input|output|cache_read|cache_write}
    llm_cost_usd_total{...the same}              calls with a known price only
    llm_call_duration_seconds{...the same}       histogram of the timed calls, OTel GenAI buckets

Label sets are bounded: each label keeps its LABEL_LIMIT values with the most calls, the
rest become "other"; a missing value is "unknown". The histogram's buckets are counted from
the latencies the summaries keep sorted per group and day (one bisect per bucket), its count
and sum are the groups' integer sums: exact, and the same on every run.

Counters fall when retention removes old days: Prometheus reads that as a counter reset.
The exposition and push use the `prometheus-client` library (the `prometheus` extra).
"""

from __future__ import annotations

import os
import socket
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llm_core.exporters._base import ExporterMissing
from llm_core.storage.collect import Collection, add_summaries
from llm_core.storage.day_summaries import (
    BLOCKED,
    COST_SCALE,
    DUR_SCALE,
    M_CACHE_READ,
    M_CACHE_WRITE,
    M_CALLS,
    M_COST,
    M_DUR,
    M_DURN,
    M_IN,
    M_OUT,
    DaySummary,
    summaries,
)
from llm_core.storage.reports import group
from llm_core.storage.windows import DIMENSIONS, NO_FILTERS, Window

__all__ = [
    "DURATION_BUCKETS", "JOB", "LABELS", "LABEL_LIMIT", "StoreMetrics", "bucket_counts",
    "exposition", "metrics_from", "push", "registry", "samples", "store_label", "store_metrics",
]

JOB = "llm-core"
LABELS = ("provider", "model", "agent", "operation", "project")
LABEL_LIMIT = 50
OTHER, UNKNOWN = "other", "unknown"
TOKEN_TYPES = ("input", "output", "cache_read", "cache_write")
# gen_ai.client.operation.duration's advised bucket boundaries (OTel GenAI semantic conventions).
DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
                    40.96, 81.92)
PUSH_TIMEOUT = 5.0  # seconds per HTTP request to the Pushgateway

_DIM = {name: i for i, name in enumerate(DIMENSIONS)}  # a label's position in a combo's dims
_SUCCESS = len(DIMENSIONS)


@dataclass
class Series:
    """One label set's cumulative numbers (integers, as the summaries keep them)."""

    calls: int = 0
    errors: int = 0
    blocked: int = 0
    tokens: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    cost: int = 0  # 1e-12 USD

    @property
    def cost_usd(self) -> float:
        return self.cost / COST_SCALE


@dataclass
class Histogram:
    buckets: list[int]  # cumulative counts per DURATION_BUCKETS boundary
    count: int = 0
    total: int = 0  # the latencies' sum, in the summaries' integer unit (ms * DUR_SCALE)

    @property
    def sum_seconds(self) -> float:
        return self.total / DUR_SCALE / 1000


@dataclass
class StoreMetrics:
    series: dict[tuple[str, ...], Series]      # label values in LABELS order -> numbers
    durations: dict[tuple[str, ...], Histogram]  # the same label values -> their timed calls


def store_metrics(store: Path | str) -> StoreMetrics:
    """The store's cumulative metrics, from its per-day summaries."""
    days = summaries(Path(store))
    col = Collection()
    buckets = bucket_counts(s for _, s in days)  # first: reading section 2 may refresh a summary
    add_summaries(col, days, Window(), NO_FILTERS, need_slots=False)
    return metrics_from(col, buckets)


def bucket_counts(days: Iterable[DaySummary]) -> dict[tuple, list[int]]:
    """{combo: [its timed calls at or under each DURATION_BUCKETS bound]} over whole days'
    summaries (each keeps a group's latencies sorted: one bisect per bound)."""
    bounds = [bound * 1000 for bound in DURATION_BUCKETS]  # the latencies are in ms
    out: dict[tuple, list[int]] = {}
    for s in days:
        durations = s.combo_durations()  # before s.combos: it may refresh the summary
        for combo, values in zip(s.combos, durations, strict=True):
            if len(values):
                acc = out.setdefault(tuple(combo), [0] * len(bounds))
                for i, ms in enumerate(bounds):
                    acc[i] += bisect_right(values, ms)
    return out


def metrics_from(col: Collection, buckets: dict[tuple, list[int]]) -> StoreMetrics:
    """Bound the labels of a Collection and sum it into series, and with `buckets`
    (bucket_counts() of the same days) into histograms with the same labels."""
    keep = _kept_values(col)
    series: dict[tuple[str, ...], Series] = {}
    durations: dict[tuple[str, ...], Histogram] = {}
    for dims, m in col.combos.items():
        key = tuple(_label(keep[name], dims[_DIM[name]]) for name in LABELS)
        s = series.get(key)
        if s is None:
            s = series[key] = Series()
        s.calls += m[M_CALLS]
        # As the reports' failures: a cancelled call or one a budget refused is no error.
        if dims[_SUCCESS] is False:
            s.errors += m[M_CALLS]
        elif dims[_SUCCESS] == BLOCKED:
            s.blocked += m[M_CALLS]
        for i, pos in enumerate((M_IN, M_OUT, M_CACHE_READ, M_CACHE_WRITE)):
            s.tokens[i] += m[pos]
        s.cost += m[M_COST]
        if m[M_DURN]:
            h = durations.get(key)
            if h is None:
                h = durations[key] = Histogram([0] * len(DURATION_BUCKETS))
            h.buckets = [a + b for a, b in zip(h.buckets, buckets[dims], strict=True)]
            h.count += m[M_DURN]
            h.total += m[M_DUR]
    return StoreMetrics(series, durations)


def _kept_values(col: Collection) -> dict[str, set]:
    """Per label, the LABEL_LIMIT values with the most calls (ties: by name)."""
    keep = {}
    for name in LABELS:
        calls = group(col, lambda d, i=_DIM[name]: d[i])
        ranked = sorted(calls, key=lambda v: (-calls[v][M_CALLS], "" if v is None else str(v)))
        keep[name] = set(ranked[:LABEL_LIMIT])
    return keep


def _label(kept: set, value: Any) -> str:
    if value not in kept:
        return OTHER
    return UNKNOWN if value is None or value == "" else str(value)


# ---------------------------------------------------------------- prometheus-client

def _client():
    try:
        import prometheus_client  # the optional extra: imported only when metrics are asked for
    except ImportError:
        raise ExporterMissing("prometheus", "prometheus-client") from None
    return prometheus_client


def registry(metrics: StoreMetrics, *, project: str | None = None):
    """A prometheus-client CollectorRegistry holding `metrics` (one project's, when given)."""
    prom = _client()
    from prometheus_client.core import (  # the extra, as above
        CounterMetricFamily,
        HistogramMetricFamily,
    )

    class _StoreCollector:
        def collect(self):
            calls = CounterMetricFamily("llm_calls", "LLM calls recorded.", labels=LABELS)
            errors = CounterMetricFamily("llm_call_errors", "LLM calls that failed.", labels=LABELS)
            blocked = CounterMetricFamily("llm_calls_blocked", "LLM calls a budget refused before sending.",
                                          labels=LABELS)
            tokens = CounterMetricFamily("llm_tokens", "Tokens by type.", labels=(*LABELS, "type"))
            cost = CounterMetricFamily("llm_cost_usd", "Cost in USD of the calls with a known price.",
                                       labels=LABELS)
            for key, s in sorted(metrics.series.items()):
                if project is not None and key[-1] != project:
                    continue
                calls.add_metric(key, s.calls)
                errors.add_metric(key, s.errors)
                blocked.add_metric(key, s.blocked)
                for kind, n in zip(TOKEN_TYPES, s.tokens, strict=True):
                    tokens.add_metric((*key, kind), n)
                cost.add_metric(key, s.cost_usd)
            hist = HistogramMetricFamily("llm_call_duration_seconds",
                                         "Duration of timed LLM calls.", labels=LABELS)
            for key, h in sorted(metrics.durations.items()):
                if project is not None and key[-1] != project:
                    continue
                buckets = [(_le(b), n) for b, n in zip(DURATION_BUCKETS, h.buckets, strict=True)]
                hist.add_metric(key, [*buckets, ("+Inf", h.count)], h.sum_seconds)
            yield from (calls, errors, blocked, tokens, cost, hist)

    reg = prom.CollectorRegistry(auto_describe=False)
    reg.register(_StoreCollector())
    return reg


def _le(bound: float) -> str:
    return repr(float(bound))


def exposition(store: Path | str, *, openmetrics: bool = False) -> bytes:
    """The store's metrics as Prometheus text (or OpenMetrics) exposition."""
    reg = registry(store_metrics(store))
    _client()
    if openmetrics:
        from prometheus_client.openmetrics.exposition import generate_latest  # the extra, as above
    else:
        from prometheus_client import generate_latest  # the extra, as above
    return generate_latest(reg)


def samples(store: Path | str) -> list[dict]:
    """Every sample as {"name", "labels", "value"} (the JSON form of `exposition`)."""
    reg = registry(store_metrics(store))
    return [{"name": s.name, "labels": dict(s.labels), "value": s.value}
            for family in reg.collect() for s in family.samples]


def instance_name() -> str:
    return socket.gethostname() or "localhost"


def store_label(store: Path | str) -> str:
    """The `store` label of a store's groups: its absolute path, links resolved, so every
    process pushing the store (each call's background push, `llm-telemetry push`) names it
    alike, and two stores never share a group."""
    return os.path.realpath(store)


def push(store: Path | str, gateway: str, *, instance: str | None = None,
         timeout: float = PUSH_TIMEOUT, on_send: Callable[[], None] | None = None) -> list[dict]:
    """Push the store's metrics: job llm-core, one group per (instance, project, store) with
    that project's counters and histogram. Every push replaces its group whole (PUT), so
    pushing again changes nothing, and another store's groups are never touched. Returns the
    groups pushed as [{"grouping_key": ..., "series": n}] (n: the project's label sets).
    `on_send` is called once the local work is done, before the first request."""
    prom = _client()
    metrics = store_metrics(store)
    instance = instance or instance_name()
    label = store_label(store)
    if on_send is not None:
        on_send()
    pushed = []
    projects = sorted({key[-1] for key in metrics.series})
    for project in projects:
        key = {"instance": instance, "project": project, "store": label}
        prom.push_to_gateway(_url(gateway), job=JOB, registry=registry(metrics, project=project),
                             grouping_key=key, timeout=timeout)
        pushed.append({"grouping_key": key,
                       "series": sum(1 for k in metrics.series if k[-1] == project)})
    return pushed


def _url(gateway: str) -> str:
    gateway = gateway.strip()
    return gateway if "://" in gateway else "http://" + gateway
