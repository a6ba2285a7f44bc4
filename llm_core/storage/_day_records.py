"""One telemetry record as the per-day summaries see it: its 15-minute slot, its combo, its metrics.

A record's combo is (project, agent, operation, model, provider, outcome); its metrics are the
integer vector M_CALLS .. M_INVALID (cost in 1e-12 USD, latency in microseconds), so sums are
identical in any order. Python ints: a token count of 1e20 (or 1e300) sums exactly.

Numbers that cannot be data are damage, never summed: a token count, cost or latency that is
negative, not a number (a string, a bool, a list) or not plausible (a cost of 1e15 USD or more,
a latency of 1e15 ms or more) contributes nothing and makes the record count once in
M_INVALID (a cost that is damage also counts as unknown, M_UNKNOWN). Missing or null values
are not damage: no tokens, no known price, no latency. Fractional token counts are truncated.

A record's cost is the provider's billed `provider_cost_usd` when it has a plausible one (M_BILLED,
M_BILLED_COST), else llm-core's estimate `cost_usd`. `extract` is the reference reading of one
record; the helpers below (TOP, TOKENS, TAIL, prefix_slot, slot_of) serve DayBuilder's inline fast path, which must agree with it.
"""

from __future__ import annotations

import math
import re
from functools import cache
from operator import itemgetter
from typing import Any

from llm_core.records import parse_timestamp

SLOT_MS = 900_000  # 15 minutes

# The metrics vector of a group, all integers.
M_CALLS, M_IN, M_OUT, M_CACHE_READ, M_CACHE_WRITE, M_TOTAL, M_COST, M_UNKNOWN, M_DUR, M_DURN = range(10)
# The calls whose cost is the provider's billed amount (OpenRouter's provider_cost_usd), and
# that part of M_COST; the rest of M_COST is llm-core's estimate from the registry's prices.
M_BILLED, M_BILLED_COST = 10, 11
M_INVALID = 12  # calls carrying a value that is damage (see above)
NM = 13
COST_SCALE = 10**12  # cost units per USD
DUR_SCALE = 1000  # latency units per millisecond

Dims = tuple  # (project, agent, operation, model, provider, success)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _count(value: Any) -> int | None:
    """A token count: an int >= 0 (0 when missing), None when it is damage."""
    if value is None:
        return 0
    if type(value) is int:
        return value if value >= 0 else None
    if type(value) is float and 0 <= value < math.inf:
        return int(value)
    return None


def cost_units(cost: float | int) -> int:
    """A plausible cost (0 <= cost < COST_LIMIT) in 1e-12 USD, as the fast path computes it."""
    return cost * COST_SCALE if type(cost) is int else round(cost * COST_SCALE)


BLOCKED = "blocked"  # the outcome of a call refused by a budget before sending (llm_core/budgets.py)


def outcome(obj: dict) -> bool | str | None:
    """A record's success dimension: True, False (a failed call), None for a call the user
    cancelled (status "cancelled": Ctrl-C, SIGTERM, a closed stdout), BLOCKED for one a budget
    refused before sending (status "blocked"): neither of those two is a failure."""
    if obj.get("success") is not False:
        return True
    return failed_outcome(obj.get("status"))


def failed_outcome(status: Any) -> bool | str | None:
    """outcome() of a record whose success is false, from its status."""
    return None if status == "cancelled" else (BLOCKED if status == BLOCKED else False)


def extract(obj: Any) -> tuple[int, Dims, list[int], float | None] | None:
    """(timestamp ms, dims, metrics, duration ms) of one record; None if it has no usable time."""
    if type(obj) is not dict:
        return None
    ts = parse_timestamp(obj.get("timestamp"))
    if ts is None:
        return None
    meta = obj.get("metadata")
    project = meta.get("project") if type(meta) is dict else None
    agent, op, model, provider = obj.get("agent_name"), obj.get("operation"), obj.get("model"), obj.get("provider")
    dims = (
        project if type(project) is str and project else _text(project),
        agent if type(agent) is str and agent else _text(agent),
        op if type(op) is str and op else _text(op),
        model if type(model) is str and model else _text(model),
        provider if type(provider) is str and provider else _text(provider),
        outcome(obj),
    )
    invalid = 0
    tok = obj.get("tokens")
    if type(tok) is dict:
        counts = [_count(tok.get(k)) for k in ("input", "output", "cache_read", "cache_write")]
        total = tok.get("total")
        counts.append(_count(total) if total is not None else sum(c for c in counts if c is not None))
        if None in counts:
            invalid = 1
        i, o, cr, cw, t = (c or 0 for c in counts)
    else:
        invalid = int(tok is not None)
        i = o = cr = cw = t = 0
    cost, billed = obj.get("provider_cost_usd"), 1
    if not ((type(cost) is float or type(cost) is int) and 0 <= cost < COST_LIMIT):
        invalid |= cost is not None
        cost, billed = obj.get("cost_usd"), 0
    if (type(cost) is float or type(cost) is int) and 0 <= cost < COST_LIMIT:
        cu, unknown = cost_units(cost), 0
    else:
        cu, unknown, billed = 0, 1, 0
        invalid |= cost is not None
    d = obj.get("duration_ms")
    if dims[5] == BLOCKED:  # never sent: its 0 ms is no latency of a call
        d = None
    elif (type(d) is int or type(d) is float) and 0 <= d < DURATION_LIMIT:
        d = float(d)
        du, dn = round(d * DUR_SCALE), 1
    else:
        invalid |= d is not None
        d = None
    if d is None:
        du, dn = 0, 0
    return ts, dims, [1, i, o, cr, cw, t, cu, unknown, du, dn, billed, cu * billed, invalid], d


# Larger figures are damage, not data: an invalid value (an unknown price, no latency).
COST_LIMIT = 1e15  # USD
DURATION_LIMIT = 1e15  # ms
DMAX = 2**53 // DUR_SCALE  # latencies (ms) below this turn into microseconds exactly

# The fast path of DayBuilder.add_bytes: the fields it reads, and the 15-minute slot of a
# timestamp's 'YYYY-MM-DDTHH:MM:' prefix when the rest is 'SS.mmmZ' (then parse_timestamp takes
# its exact fast path, and seconds and milliseconds cannot move the slot).
TOP = itemgetter("timestamp", "agent_name", "operation", "model", "provider", "success", "tokens",
                  "cost_usd", "duration_ms", "metadata")
TOKENS = itemgetter("input", "output", "cache_read", "cache_write", "total")
TAIL = re.compile(r"[0-5][0-9]\.[0-9]{3}Z", re.ASCII).fullmatch
_PREFIX = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:", re.ASCII).fullmatch
prefix_slot: dict[str, int] = {}


def slot_of(stamp: Any) -> int | None:
    """The slot of a timestamp the fast path can read (remembering its prefix), else None."""
    if type(stamp) is not str or len(stamp) != 24 or TAIL(stamp, 17) is None:
        return None
    prefix = stamp[:17]
    slot = prefix_slot.get(prefix)
    if slot is None and _PREFIX(prefix):
        ts = parse_timestamp(prefix + "00.000Z")
        if ts is not None:
            if len(prefix_slot) > 20_000:  # ~14 days of minutes: a worker goes through a year
                prefix_slot.clear()
            _learn_date(prefix[:10])  # so the day's other minutes take the fast path at once
            slot = prefix_slot[prefix] = ts // SLOT_MS
    return slot


@cache
def _minutes() -> tuple[list[str], list[int]]:
    """The day's minutes ("T13:07:") and each one's slot after midnight's (a UTC midnight
    starts a slot); made on first use, not at import: most commands learn no date."""
    return ([f"T{h:02d}:{m:02d}:" for h in range(24) for m in range(60)],
            [k * 60_000 // SLOT_MS for k in range(24 * 60)])


def _learn_date(date: str) -> None:
    """Remember the slot of every minute of `date` (what slot_of would find for each): 1,440
    entries made at once, since a store's cold build learns every day of it."""
    base = parse_timestamp(f"{date}T00:00:00.000Z")
    if base is not None:
        first = base // SLOT_MS
        minutes, slots = _minutes()
        prefix_slot.update(zip([date + m for m in minutes], [first + k for k in slots], strict=True))


def add_checked(by_slot: dict[int, list], slot: int, i: int, o: int, cr: int, cw: int, t: int,
                cost: float | int | None, d: float | int | None) -> None:
    """Sum one record into its combo's group for `slot` (the metrics M_CALLS .. M_DURN, then
    its latency), as extract() would: the fast readers' one accumulation, for a record whose
    values they checked (counts ints >= 0; cost and latency None or in range; not billed)."""
    g = by_slot.get(slot)
    if g is None:
        g = by_slot[slot] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, []]
    g[0] += 1  # literal indexes: this runs for every record of a store
    g[1] += i
    g[2] += o
    g[3] += cr
    g[4] += cw
    g[5] += t
    if cost is None:
        g[7] += 1
    else:
        g[6] += round(cost * COST_SCALE)
    if type(d) is int:  # round(float(d) * DUR_SCALE) == d * DUR_SCALE below DMAX
        g[8] += d * DUR_SCALE
        g[9] += 1
        g[13].append(float(d))
    elif d is not None:
        g[8] += round(d * DUR_SCALE)
        g[9] += 1
        g[13].append(d)


def split_lines(data: bytes) -> list[bytes]:
    """The complete lines of `data`; a last line without its newline is still being written."""
    lines = data.split(b"\n")
    lines.pop()
    return lines
