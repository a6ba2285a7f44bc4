"""Record ids and timestamps on the store's fast path: still valid, sortable ULIDs."""

from __future__ import annotations

import re
from itertools import pairwise

from llm_core import records

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID = re.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}").fullmatch


def decode(value: str) -> int:
    """The 128-bit value of a ULID, digit by digit (the reference the fast encoder must match)."""
    out = 0
    for ch in value:
        out = out * 32 + CROCKFORD.index(ch)
    return out


def test_ids_are_crockford_ulids_of_their_millisecond_and_increase(monkeypatch):
    monkeypatch.setattr(records, "_last_ms", 0)
    monkeypatch.setattr(records, "_last_rand", 0)
    ms = 1_764_000_000_123
    ids = [records.new_id_at(ms) for _ in range(3000)] + [records.new_id_at(ms + 1) for _ in range(10)]
    assert all(ULID(i) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    values = [decode(i) for i in ids]
    assert all(v >> 80 == ms for v in values[:3000]) and values[-1] >> 80 == ms + 1
    assert [b - a for a, b in pairwise(values[:3000])] == [1] * 2999  # counting up


def test_the_counter_carries_into_the_cached_high_half(monkeypatch):
    """The first 18 characters are cached per millisecond and high half: a carry out of the low
    40 bits (and out of all 80) must change them."""
    ms = 1_764_000_000_000
    monkeypatch.setattr(records, "_last_ms", ms)
    monkeypatch.setattr(records, "_last_rand", (5 << 40) | (2**40 - 2))
    a, b, c = (records.new_id_at(ms) for _ in range(3))
    assert [decode(x) - (ms << 80) for x in (a, b, c)] == [(5 << 40) | (2**40 - 1), 6 << 40, (6 << 40) + 1]
    monkeypatch.setattr(records, "_last_rand", 2**80 - 1)
    d = records.new_id_at(ms)
    assert decode(d) >> 80 == ms + 1 and d > c and ULID(d)


def test_timestamps_from_the_cached_second_are_exact():
    for ms in (0, 999, 1000, 1_764_000_000_123, 1_764_000_000_999, 1_764_000_001_000, 1_764_000_000_500):
        sec, milli = divmod(ms, 1000)
        assert records.format_ms(ms) == records.datetime.fromtimestamp(sec, records.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S") + f".{milli:03d}Z"
