from __future__ import annotations

from llm_core.clients.sse import SSEEvent, iter_sse


def test_events_comments_and_multiline_data():
    lines = [
        ": OPENROUTER PROCESSING", "",
        "event: message_start", 'data: {"a": 1}', "",
        "data: line one", "data:line two", "",
        "id: 7", "retry: 100", "data: x\r", "",
        "event: ping", "",
    ]
    assert list(iter_sse(lines)) == [
        SSEEvent("message_start", '{"a": 1}'),
        SSEEvent(None, "line one\nline two"),
        SSEEvent(None, "x"),
        SSEEvent("ping", ""),
    ]


def test_an_event_without_its_blank_line_at_the_end_is_dropped():
    assert list(iter_sse(["data: [DONE]"])) == []
    assert list(iter_sse(["data: [DONE]", ""])) == [SSEEvent(None, "[DONE]")]
