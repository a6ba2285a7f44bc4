"""A realistic synthetic telemetry store, to try the reports without a key and to benchmark them.

Several models at real-ish prices (one without a known price), agents with their operations,
projects, a daily and weekly rhythm, long-tailed latencies, a few failures. The same seed and
end time always give the same bytes. Day files are written in large batches through the store's
own locked writer (LocalStorage.write_lines: the marker, modes and link checks of real records),
so a million records take seconds, not the minutes of a million store calls.

    from llm_core.storage.demo import write_demo
    write_demo(Path("/tmp/store"), days=30, calls=1_000_000, seed=1, end_ms=...)
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone
from itertools import accumulate
from pathlib import Path

import orjson

from llm_core.storage.local import LocalStorage

# model -> (provider, input $/M, output $/M or None when the price is unknown, median ms, weight)
MODELS = {
    "claude-haiku-4-5": ("anthropic", 1.0, 5.0, 900, 30),
    "claude-sonnet-4-5": ("anthropic", 3.0, 15.0, 2400, 25),
    "claude-opus-4-1": ("anthropic", 15.0, 75.0, 5200, 4),
    "gpt-4o-mini": ("openai", 0.15, 0.60, 700, 20),
    "gpt-4.1": ("openai", 2.0, 8.0, 1800, 12),
    "meta-llama/llama-3.3-70b-instruct": ("openrouter", None, None, 1500, 9),
}
AGENTS = {
    "commit-writer": (("commit-message", 1.0),),
    "doc-finder": (("search", 0.7), ("summarize", 0.3)),
    "code-reviewer": (("review", 0.8), ("explain", 0.2)),
    "triage-bot": (("classify", 0.6), ("label", 0.4)),
    "chat": (("chat", 1.0),),
}
AGENT_WEIGHTS = (25, 20, 20, 15, 20)
OP_SPEED = {"commit-message": 0.8, "search": 0.9, "summarize": 1.3, "review": 1.5, "explain": 1.2,
            "classify": 0.6, "label": 0.5, "chat": 1.0}
PROJECTS = (("spacewalker", 40), ("api-gateway", 25), ("docs-site", 20), ("data-pipeline", 15))
USERS = ("ana", "ben", "chen", "dara")
ERRORS = ("overloaded_error (HTTP 529)", "rate_limit_error (HTTP 429)", "timeout after 600s")
# Relative calls per UTC hour: quiet nights, a working-day hump.
HOURLY = (2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 14, 13, 14, 15, 15, 14, 12, 9, 7, 5, 4, 3, 2)
WEEKDAY = (10, 10, 10, 10, 9, 4, 3)

DAY_MS = 86_400_000


def _cost(model: str, i: int, o: int, cr: int, cw: int) -> float | None:
    _, pin, pout, _, _ = MODELS[model]
    if pin is None:
        return None
    return round((i * pin + o * pout + cr * pin * 0.1 + cw * pin * 1.25) / 1e6, 8)


def _stamp(ms: int) -> str:
    dt = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _times(rng: random.Random, calls: int, start_ms: int, end_ms: int) -> list[int]:
    """`calls` timestamps in [start, end), denser in busy hours and on weekdays."""
    hours = []
    t = start_ms - start_ms % 3_600_000
    while t < end_ms:
        wd = datetime.fromtimestamp(t / 1000, tz=timezone.utc).weekday()
        hours.append((t, HOURLY[(t // 3_600_000) % 24] * WEEKDAY[wd]))
        t += 3_600_000
    starts = [h for h, _ in hours]
    picks = rng.choices(starts, weights=[w for _, w in hours], k=calls)
    out = []
    for h in picks:
        lo, hi = max(h, start_ms), min(h + 3_600_000, end_ms)
        out.append(lo + int(rng.random() * (hi - lo)) if hi > lo else lo)
    out.sort()
    return out


def records(days: int, calls: int, seed: int, end_ms: int):
    """Yield (day, line) for `calls` records over the `days` days before `end_ms`, in time order."""
    rng = random.Random(seed)
    # Cumulative weights once: choices() given weights sums them on every call, then draws
    # exactly as from these (the same demo, byte for byte).
    models, model_w = list(MODELS), list(accumulate(v[4] for v in MODELS.values()))
    agents, agent_w = list(AGENTS), list(accumulate(AGENT_WEIGHTS))
    operations = {a: ([o for o, _ in ops], list(accumulate(w for _, w in ops))) for a, ops in AGENTS.items()}
    projects, project_w = [p for p, _ in PROJECTS], list(accumulate(w for _, w in PROJECTS))
    branches = ("main", "main", "feature/search", "fix/retry")
    for ts in _times(rng, calls, end_ms - days * DAY_MS, end_ms):
        model = rng.choices(models, cum_weights=model_w)[0]
        provider, _, _, median, _ = MODELS[model]
        agent = rng.choices(agents, cum_weights=agent_w)[0]
        names, op_w = operations[agent]
        operation = names[0] if len(names) == 1 else rng.choices(names, cum_weights=op_w)[0]
        ok = rng.random() > 0.02
        i = int(rng.lognormvariate(math.log(1400), 0.8))
        o = int(rng.lognormvariate(math.log(280), 0.7)) if ok else 0
        cr = cw = 0
        if provider == "anthropic" and rng.random() < 0.3:
            cr = int(rng.lognormvariate(math.log(4000), 0.5))
        elif provider == "anthropic" and rng.random() < 0.05:
            cw = int(rng.lognormvariate(math.log(4000), 0.5))
        ms = int(rng.lognormvariate(math.log(median * OP_SPEED[operation]), 0.45) * (1 + o / 2000))
        if rng.random() < 0.01:
            ms *= rng.randint(4, 20)  # the long tail: a slow provider, retries
        record = {
            "id": f"{rng.getrandbits(128):032x}",
            "timestamp": _stamp(ts),
            "agent_name": agent,
            "operation": operation,
            "provider": provider,
            "model": model,
            "session_id": f"s-{rng.getrandbits(32):08x}",
            "user_id": rng.choice(USERS),
            "duration_ms": ms,
            "tokens": {"input": i, "output": o, "total": i + o + cr + cw, "cache_read": cr, "cache_write": cw},
            "cost_usd": _cost(model, i, o, cr, cw) if ok else (0.0 if provider != "openrouter" else None),
            "success": ok,
            "prompt_hash": f"sha256:{rng.getrandbits(256):064x}",
            "response_hash": f"sha256:{rng.getrandbits(256):064x}" if ok else None,
            "metadata": {
                "project": rng.choices(projects, cum_weights=project_w)[0],
                "git_branch": rng.choice(branches),
                "error": None if ok else rng.choice(ERRORS),
            },
        }
        yield record["timestamp"][:10], orjson.dumps(record)


def write_demo(store: Path, days: int, calls: int, seed: int, end_ms: int) -> dict:
    """Append the demo records to `store`'s day files; returns {"records", "days", "bytes"}.
    Raises ConfigError (not a store) or OSError."""
    writer = LocalStorage(store)
    files: dict[str, int] = {}
    size = 0
    current, buf = None, []

    def flush() -> None:
        nonlocal size
        if current is None or not buf:
            return
        data = b"\n".join(buf) + b"\n"
        writer.write_lines(current, data)
        size += len(data)
        files[current] = files.get(current, 0) + len(buf)
        buf.clear()

    for day, line in records(days, calls, seed, end_ms):
        if day != current or len(buf) >= 50_000:
            flush()
            current = day
        buf.append(line)
    flush()
    return {"records": sum(files.values()), "days": len(files), "bytes": size}
