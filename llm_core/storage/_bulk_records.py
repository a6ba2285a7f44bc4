"""DayBuilder's bulk reader: a day's lines decoded by msgspec into typed structs.

msgspec (a maintained library) decodes a line of llm-core's own record shape straight into the
Record struct below, about three times faster than orjson builds the dict of the whole record
(the hashes, ids and metadata included), and hands over its fields typed: a cold report over a
year parses tens of millions of lines, and this is most of its time. Imported only by
DayBuilder.add_bytes for megabytes of lines (msgspec's import costs ~25 ms).

Exactness: a line is summarised here only when msgspec decodes it whole as a Record: valid JSON
(UTF-8 checked), every key one of those declared below (unknown keys are refused, so no value
is skipped unread), every value of its declared type. orjson reads such a line to the same
values, but for integers beyond 64 bits, which msgspec keeps exact where orjson makes floats of
them (or refuses them, from about 1e308 on): the numbers summed are range-checked here (token
counts below 2**64, costs and latencies below their limits) and the numbers not used are
declared float, which refuses what orjson refuses. Any other line (another shape, a value out
of range, a new combo that is blocked, a provider-billed cost) goes through the builder's orjson
reader, in order, so the groups are those of the record-by-record reference (extract()).
"""

from __future__ import annotations

import io

import msgspec

from llm_core.storage._day_records import (
    BLOCKED,
    COST_LIMIT,
    DMAX,
    TAIL,
    add_checked,
    failed_outcome,
    prefix_slot,
)

__all__ = ["add_lines"]

_TOKEN_LIMIT = 1 << 64  # orjson reads larger integers as floats


class _Tokens(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    input: int | None = None
    output: int | None = None
    total: int | None = None
    cache_read: int | None = None
    cache_write: int | None = None
    cache_write_1h: float | None = None
    reasoning: float | None = None


class _Meta(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    project: str | None = None
    git_branch: str | None = None
    error: str | None = None


class _Record(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """The keys telemetry.build_record and the provider clients write."""

    timestamp: str
    id: str | None = None
    agent_name: str | None = None
    operation: str | None = None
    provider: str | None = None
    model: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    duration_ms: int | float | None = None
    tokens: _Tokens | None = None
    cost_usd: int | float | None = None
    success: bool | None = None
    status: str | None = None
    prompt_hash: str | None = None
    response_hash: str | None = None
    metadata: _Meta | None = None
    provider_cost_usd: float | None = None
    price_source: str | None = None
    stream: bool | None = None
    retries: float | None = None
    request_id: str | None = None
    time_to_first_token_ms: float | None = None
    stop_reason: str | None = None
    service_tier: str | None = None
    inference_geo: str | None = None
    tokens_estimated: bool | None = None


_DECODE = msgspec.json.Decoder(_Record).decode
_REFUSED = (msgspec.DecodeError, RecursionError)  # ValidationError is a DecodeError


def add_lines(builder, data: bytes) -> tuple[int, int, int]:
    """Summarise the whole lines of `data` into `builder` (a DayBuilder); returns (lines, bad,
    blank) as DayBuilder.add_lines does. One loop, the record's fields in locals: it runs for
    every line of a store."""
    raw, slots, tail, decode, add = builder._raw, prefix_slot, TAIL, _DECODE, add_checked
    n = refused = 0
    other = [0, 0, 0]  # (lines, bad, blank) of those handed to the orjson reader
    pending: list[bytes] = []  # lines for the orjson reader, handed over before the next record
    for line in io.BytesIO(data):
        r = None
        if decode is not None:
            try:
                r = decode(line)
            except _REFUSED:
                refused += 1
                if refused > 1024 and refused > 2 * n:
                    decode = None  # mostly another shape: orjson alone from here on, not both
        if pending and (r is not None or len(pending) > 4096):
            pending = _hand_over(builder, pending, other)
        if r is None:
            pending.append(line)
            continue
        tok, meta, ts, cost, d = r.tokens, r.metadata, r.timestamp, r.cost_usd, r.duration_ms
        ok = True if r.success is not False else failed_outcome(r.status)
        key = (None if meta is None else meta.project, r.agent_name, r.operation, r.model, r.provider, ok)
        slot = slots.get(ts[:17])
        try:
            i, o, cr, cw, t = tok.input, tok.output, tok.cache_read, tok.cache_write, tok.total  # type: ignore[union-attr]
            bits = i | o | cr | cw | t  # negative, or too large for orjson's ints, only if one of them is
        except (AttributeError, TypeError):  # no tokens, or a count missing or null
            bits = -1
        by_slot = raw.get(key)
        if (slot is None or not 0 <= bits < _TOKEN_LIMIT or tail(ts, 17) is None or r.provider_cost_usd is not None
                or not (cost is None or 0 <= cost < COST_LIMIT) or not (d is None or 0 <= d < DMAX)
                or (by_slot is None and ok == BLOCKED)):  # blocked: no latency (extract), never inline
            pending.append(line)
            continue
        if by_slot is None:  # the combo extract() makes of these values: str or None ("" is None)
            by_slot = raw[key] = builder._slots_of((key[0] or None, key[1] or None, key[2] or None,
                                                    key[3] or None, key[4] or None, ok))
        n += 1
        add(by_slot, slot, i, o, cr, cw, t, cost, d)
    _hand_over(builder, pending, other)
    return n + other[0], other[1], other[2]


def _hand_over(builder, pending: list[bytes], counts: list[int]) -> list[bytes]:
    """Give `pending` lines to the builder's orjson reader, adding to `counts`; a new list."""
    if pending:
        got = builder.add_lines(pending)
        for k in range(3):
            counts[k] += got[k]
    return []
