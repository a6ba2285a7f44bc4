"""A Server-Sent Events decoder (the WHATWG event-stream rules the provider SDKs follow).

    for event in iter_sse(response.iter_lines()):
        event.event, event.data        # "content_block_delta", '{"type": ...}'

Comment lines (`: OPENROUTER PROCESSING`) are skipped; an event without a terminating blank
line at the end of the stream is dropped, as the spec says.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SSEEvent:
    event: str | None
    data: str


def iter_sse(lines: Iterable[str]) -> Iterator[SSEEvent]:
    """Decode lines (without their line endings) into events."""
    event: str | None = None
    data: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data or event is not None:
                yield SSEEvent(event, "\n".join(data))
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
