"""A Server-Sent Events decoder (the WHATWG event-stream rules the provider SDKs follow).

    for event in iter_sse(response.iter_bytes()):
        event.event, event.data        # "content_block_delta", '{"type": ...}'

It frames raw bytes itself, incrementally: lines end only at CR, LF or CRLF (also a CRLF split
across two chunks), never at U+2028, U+2029 or U+0085, which may stand raw inside a JSON
string (httpx's `iter_lines()` splits on those, so it must not feed this). A leading UTF-8 BOM
is dropped; a character split across chunks is decoded whole. Comment lines
(`: OPENROUTER PROCESSING`) and the `id:`, `retry:` and unknown fields are skipped; `data:`
lines are joined with "\\n"; a blank line dispatches an event that has data.

One deliberate difference from the spec and both SDKs: an event still pending at the end of
the stream (no blank line after it, perhaps not even a line ending) is dispatched rather than
dropped. The SDKs drop it and end without complaint; our clients look for the end-of-message
event, and would report such a stream cut off.

Items that are `str` are taken as lines already split (the older `iter_lines()` call shape).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SSEEvent", "iter_sse"]

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class SSEEvent:
    event: str | None
    data: str


def iter_sse(chunks: Iterable[bytes] | Iterable[str]) -> Iterator[SSEEvent]:
    """Decode a response body, given as raw byte chunks, into events."""
    event: str | None = None
    data: list[str] = []
    for line in _lines(chunks):
        if not line:
            if data:
                yield SSEEvent(event, "\n".join(data))
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            event = value or None  # an empty name means the default type, as no name does
        elif name == "data":
            data.append(value)
    if data:
        yield SSEEvent(event, "\n".join(data))


def _lines(chunks: Iterable[bytes] | Iterable[str]) -> Iterator[str]:
    """Lines without their endings; the unterminated rest at the end counts as a line."""
    pending = bytearray()
    after_cr = False  # the last chunk ended in CR: a LF opening the next one belongs to it
    first = True
    for chunk in chunks:
        if isinstance(chunk, str):
            line = chunk.removesuffix("\n").removesuffix("\r")
            yield line.removeprefix("\ufeff") if first else line
            first = False
            continue
        if not chunk:
            continue
        start = 1 if after_cr and chunk[0] == 0x0A else 0
        after_cr = False
        for match in _LINE_END.finditer(chunk, start):
            pending += chunk[start : match.start()]
            start = match.end()
            after_cr = start == len(chunk) and match.group() == b"\r"
            yield _decode(pending, first)
            pending.clear()
            first = False
        pending += chunk[start:]
    if pending:
        yield _decode(pending, first)


def _decode(line: bytearray, first: bool) -> str:
    if first and line.startswith(_BOM):
        return line[len(_BOM):].decode("utf-8", "replace")
    return line.decode("utf-8", "replace")
