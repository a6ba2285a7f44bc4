"""The SSE framing, on bytes, chunked every way that matters.

Cases marked "openai-python" re-run the byte inputs of the openai SDK's own tests
(tests/test_streaming.py, tests/test_sse_framing.py in the openai 3.57.0 sdist; Apache-2.0,
see tests/fixtures/PROVENANCE.md) against our decoder.
"""

from __future__ import annotations

import json
import random

import pytest

from llm_core.clients.sse import SSEEvent, iter_sse


def events(chunks):
    return list(iter_sse(chunks))


def datas(chunks):
    return [e.data for e in iter_sse(chunks)]


def fragment(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def random_splits(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(1, 12))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


STREAM = (
    b": OPENROUTER PROCESSING\n\n"
    b'event: message_start\ndata: {"a": 1}\n\n'
    b"data: line one\ndata:line two\n\n"
    b"id: 7\nretry: 100\ndata: x\n\n"
    b"event: ping\n\n"
    b"data: last\n\n"
)
EXPECTED = [
    SSEEvent("message_start", '{"a": 1}'),
    SSEEvent(None, "line one\nline two"),
    SSEEvent(None, "x"),
    SSEEvent(None, "last"),  # "event: ping" had no data: not dispatched, its name not kept
]


@pytest.mark.parametrize("ending", [b"\n", b"\r", b"\r\n"])
@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_every_line_ending_any_chunking(ending, size):
    body = STREAM.replace(b"\n", ending)
    assert events(fragment(body, size)) == EXPECTED


@pytest.mark.parametrize("seed", range(20))
def test_random_splits_with_mixed_endings(seed):
    rng = random.Random(seed)
    body, last = b"", b""
    for part in STREAM.split(b"\n")[:-1]:
        # a CR then a LF with nothing between would be one CRLF ending, not two
        ending = rng.choice([b"\r", b"\r\n"] if last == b"\r" and not part else [b"\n", b"\r", b"\r\n"])
        body, last = body + part + ending, ending
    assert events(random_splits(body, seed)) == EXPECTED


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
@pytest.mark.parametrize("size", [1, 2, 1000])
def test_unicode_line_breaks_inside_data_do_not_end_the_line(char, size):
    """issue 11 item 1: str.splitlines() / httpx iter_lines() would cut the JSON here."""
    body = ('data: {"text": "a' + char + 'b"}\n\n').encode()
    assert datas(fragment(body, size)) == ['{"text": "a' + char + 'b"}']


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_a_bom_is_dropped_once_even_split_across_chunks(size):
    body = b"\xef\xbb\xbfdata: one\n\n\xef\xbb\xbfdata: two\n\n"
    assert events(fragment(body, size)) == [SSEEvent(None, "one")]  # "\ufeffdata" is no field name
    assert datas([b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n"]) == []


def test_crlf_split_across_chunks_is_one_line_ending():
    frame = b"data:ok\r\n\r\n"
    for split in range(len(frame) + 1):  # openai-python test_every_chunk_boundary, with b""
        assert datas([frame[:split], b"", frame[split:]]) == ["ok"]
    # a lone CR at a chunk's end, then more data: two lines, not one
    assert datas([b"data:a\r", b"data:b\r", b"\r"]) == ["a\nb"]


def test_multi_byte_characters_split_across_chunks():
    # openai-python test_multi_byte_character_multiple_chunks
    body = [b'data: {"content":"', b"\xd0", b"\xb8\xd0\xb7\xd0",
            b"\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8", b'"}\n', b"\n"]
    assert [json.loads(d) for d in datas(body)] == [{"content": "известни"}]
    text = "data: 日本語 🎉 é\n\n".encode()
    assert datas(fragment(text, 1)) == ["日本語 🎉 é"]


def test_invalid_utf8_is_replaced_not_raised():
    assert datas([b"data: a\xffb\n\n"]) == ["a\ufffdb"]


def test_fields():
    body = (
        b"data\n\n"                      # a field name alone: data with an empty value
        b"data:\n\n"
        b"data:  two spaces\n\n"         # only one space after the colon is dropped
        b"event\ndata: unnamed\n\n"      # an empty event name is the default type
        b"id: \x00bad\nretry: soon\nfoo: bar\ndata: after junk\n\n"
        b":comment only\n\n"
        b"event: a\nevent: b\ndata: last name wins\n\n"
    )
    assert events([body]) == [
        SSEEvent(None, ""), SSEEvent(None, ""), SSEEvent(None, " two spaces"),
        SSEEvent(None, "unnamed"), SSEEvent(None, "after junk"), SSEEvent("b", "last name wins"),
    ]


def test_openai_python_multi_line_data_cases():
    # test_multiple_data_lines_with_empty_line, test_data_json_escaped_double_new_line,
    # test_multiple_events_with_data, test_basic, test_data_missing_event
    assert events([b"event: ping\n", b"data: {\n", b'data: "foo":\n', b"data: \n", b"data:\n",
                   b"data: true}\n", b"\n\n"]) == [SSEEvent("ping", '{\n"foo":\n\n\ntrue}')]
    assert json.loads(datas([b"event: ping\n", b'data: {"foo": "my long\\n\\ncontent"}', b"\n\n"])[0]) == {
        "foo": "my long\n\ncontent"
    }
    assert events([b"event: ping\n", b'data: {"foo":true}\n', b"\n", b"event: completion\n",
                   b'data: {"bar":false}\n', b"\n"]) == [
        SSEEvent("ping", '{"foo":true}'), SSEEvent("completion", '{"bar":false}')
    ]
    assert events([b'data: {"foo":true}\n', b"\n"]) == [SSEEvent(None, '{"foo":true}')]


def test_an_event_without_data_is_not_dispatched():
    """WHATWG: a blank line with an empty data buffer dispatches nothing. (The SDKs' decoders
    yield `event: ping` with data "" here; our clients skip events without data either way.)"""
    assert events([b"event: ping\n", b"\n", b"event: completion\n", b"\n"]) == []
    assert events([b"id: 1\nretry: 5\n\n"]) == []


@pytest.mark.parametrize("size", [1, 97, 100000])
def test_comment_and_unknown_lines_only(size):
    # openai-python test_unterminated_event (the lines it dispatches nothing for)
    for line in (b":x\n", b"ignored:x\n"):
        assert events(fragment(line * 2000, size)) == []


def test_many_events_and_a_large_one():
    assert datas([b"data:ok\n\n" * 2000]) == ["ok"] * 2000
    value = "x" * (2 * 1024 * 1024) + "известни\u2028"
    frame = ("data:" + value + "\r\n\r\n").encode()
    assert datas(fragment(frame, 4093)) == [value]  # openai-python test_large_legitimate_events
    assert datas([b"data:x\n" * 10000 + b"\n"]) == ["\n".join(["x"] * 10000)]


@pytest.mark.parametrize("tail", [b"", b"\n", b"\r", b"\r\n"])
@pytest.mark.parametrize("size", [1, 1000])
def test_a_last_event_without_its_blank_line_is_dispatched(tail, size):
    """issue 11 item 5: the stream's last event, no blank line after it (anthropic-sdk-python's
    basic_response.txt ends `data: {"type":"message_stop"}` with no line ending at all)."""
    body = b'event: message_delta\ndata: {"n": 1}\n\nevent: message_stop\ndata: {"type":"message_stop"}' + tail
    assert events(fragment(body, size)) == [
        SSEEvent("message_delta", '{"n": 1}'), SSEEvent("message_stop", '{"type":"message_stop"}'),
    ]


def test_mixed_endings_utf8_and_eof():
    # openai-python test_mixed_endings_utf8_and_eof; the SDK drops "unfinished", we dispatch it
    frame = "id:one\r\ndata:известни\r\n\ndata:two\n\rdata:unfinished".encode()
    assert datas(fragment(frame, 1)) == ["известни", "two", "unfinished"]


def test_lines_already_split_still_decode():
    """The older call shape, iter_sse(response.iter_lines()), until every caller passes bytes."""
    lines = [": OPENROUTER PROCESSING", "", "event: message_start", 'data: {"a": 1}', "",
             "data: line one", "data:line two", "", "id: 7", "retry: 100", "data: x\r", ""]
    assert events(lines) == EXPECTED[:3]
    assert events(["data: [DONE]"]) == [SSEEvent(None, "[DONE]")]
    assert events(["\ufeffdata: a", "", "\ufeffdata: b", ""]) == [SSEEvent(None, "a")]
