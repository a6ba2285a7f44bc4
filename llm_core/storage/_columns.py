"""Columns of numbers packed as narrow as their values allow (the summaries' binary sections).

    pack_ints(values)     (code, bytes): unsigned 1, 2, 4 or 8 bytes each by the largest value,
                          signed 8 bytes when one is negative (values must fit 64 bits)
    pack_floats(values)   (code, bytes): whole numbers below 2**32 as uint32, else float64
    unpack(code, data)    the array back; size(code, n) the bytes of n values

A summary's columns are mostly small counts, so this (and zlib after it) is what keeps the
summaries a few percent of the store. Only the standard library's `array`; no import of ours.
"""

from __future__ import annotations

from array import array

__all__ = ["pack_floats", "pack_ints", "size", "unpack"]


def pack_ints(values) -> tuple[str, bytes]:
    """The narrowest array that takes every value, tried in C-level conversions (an overflow
    stops each early) rather than found by min() and max() passes over Python ints."""
    if not len(values):
        return "B", b""
    for code in "BHIQ":  # unsigned codes refuse a negative value too
        try:
            return code, array(code, values).tobytes()
        except OverflowError:
            pass
    return "q", array("q", values).tobytes()


def pack_floats(values) -> tuple[str, bytes]:
    """`values` are floats. Tested in C-level passes (map, and the conversion to uint32 that
    refuses a negative or too large value), not a generator: this runs over every latency of
    every summary and roll-up a cold report builds."""
    if not len(values):
        return "I", b""
    if all(map(float.is_integer, values)):
        try:
            return "I", array("I", map(int, values)).tobytes()
        except OverflowError:
            pass
    return "d", array("d", values).tobytes()


def unpack(code: str, data: bytes) -> array:
    out = array(code)
    out.frombytes(data)
    return out


def size(code: str, n: int) -> int:
    """Bytes of `n` values of `code`."""
    return array(code).itemsize * n
