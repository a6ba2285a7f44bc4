"""Masking API keys in text: what the Error lines, warnings and the records' error field pass
through (config.redact gives it the keys in use). A leaf module.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["mask", "mask_key"]

_RUN = 8  # a run of this many characters of a key is masked wherever it appears
_SHORT = 4  # keys shorter than _RUN are masked whole; shorter than this ("x" for Ollama) not
_MASKED_KEY = re.compile(r"[\w-]*\*{4,}[\w-]*")


def mask(text: str, secrets: list[str]) -> str:
    """`text` with the `secrets` masked as '***': every run of 8 or more characters taken from
    a key (a provider echoing `sk-proj-SECRETKEYOPE...7777`), and a short key whole; and a key
    a provider shows masked its own way (`sk-proj-****7890`). For messages, not bulk data."""
    masked = bytearray(len(text))
    for secret in secrets:
        if len(secret) < _RUN:
            _mark_whole(text, secret, masked)
        else:
            grams = _grams(secret)
            for i in range(len(text) - _RUN + 1):
                if text[i:i + _RUN] in grams:
                    masked[i:i + _RUN] = b"\x01" * _RUN
    if any(masked):
        text = "".join(
            "***" if flag and (i == 0 or not masked[i - 1]) else ("" if flag else c)
            for i, (c, flag) in enumerate(zip(text, masked, strict=True))
        )
    return _MASKED_KEY.sub("***", text)


def _mark_whole(text: str, secret: str, masked: bytearray) -> None:
    if len(secret) < _SHORT:
        return
    start = text.find(secret)
    while start != -1:
        masked[start:start + len(secret)] = b"\x01" * len(secret)
        start = text.find(secret, start + 1)


@lru_cache(maxsize=8)
def _grams(secret: str) -> frozenset[str]:
    return frozenset(secret[i:i + _RUN] for i in range(len(secret) - _RUN + 1))


def mask_key(key: str | None) -> str:
    """A key as shown to people: its last four characters at most."""
    if not key:
        return ""
    return "****" + key[-4:] if len(key) >= 16 else "****"
