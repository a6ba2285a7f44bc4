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
`max_line` bounds a line's length in bytes (a ValueError beyond it), so a server that never
ends a line cannot fill the memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SSEEvent", "iter_sse"]

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SSEEvent:
    event: str | None
    data: str


def iter_sse(chunks: Iterable[bytes] | Iterable[str], max_line: int | None = None) -> Iterator[SSEEvent]:
    """Decode a response body, given as raw byte chunks, into events."""
    event: str | None = None
    data: list[str] = []
    for line in _lines(chunks, max_line):
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


def _lines(chunks: Iterable[bytes] | Iterable[str], max_line: int | None = None) -> Iterator[str]:
    """Lines without their endings; the unterminated rest at the end counts as a line."""
    pending: list[bytes] = []  # the start of a line that has not ended yet
    pending_size = 0
    after_cr = False  # the last chunk ended in CR: a LF opening the next one belongs to it
    first = True
    for chunk in chunks:
        if isinstance(chunk, str):
            line = chunk.removesuffix("\n").removesuffix("\r")
            yield line.removeprefix("\ufeff") if first else line
            first = False
            continue
        if after_cr and chunk:
            after_cr = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        if not chunk:
            continue
        # bytes.splitlines (unlike str.splitlines) ends lines at CR, LF and CRLF only
        lines = chunk.splitlines(keepends=True)
        end = lines[-1][-1:]
        tail = lines.pop() if end not in (b"\n", b"\r") else b""
        after_cr = end == b"\r"
        for raw in lines:
            if pending:
                raw = b"".join([*pending, raw])
                pending.clear()
                pending_size = 0
            line = raw.rstrip(b"\r\n")
            if first:
                line, first = line.removeprefix(_BOM), False
            yield line.decode("utf-8", "replace")
        if tail:
            pending.append(tail)
            pending_size += len(tail)
            if max_line is not None and pending_size > max_line:
                raise ValueError(f"an event-stream line longer than {max_line} bytes")
    if pending:
        rest = b"".join(pending)
        yield (rest.removeprefix(_BOM) if first else rest).decode("utf-8", "replace")
