"""The one HTTP path (llm_core.clients._http): error mapping, request ids, one-off requests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from llm_core.clients import _http
from llm_core.clients._http import ErrorMap, request_json
from llm_core.config import reset_settings
from llm_core.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    OverloadedError,
    RateLimitError,
    ResponseFormatError,
)

ERRORS = ErrorMap("Example", "example")


def answer(status, body=b"", headers=None):
    return httpx.Response(status, content=body, headers=headers or {},
                          request=httpx.Request("POST", "http://127.0.0.1:9/v1"))


def test_a_status_becomes_its_class_with_message_type_headers_and_request_id():
    body = json.dumps({"error": {"type": "rate_limit_error", "message": "slow down"}}).encode()
    err = ERRORS.status_error(answer(429, body, {"Retry-After": "3", "request-id": "req_1"}))
    assert type(err) is RateLimitError
    assert str(err) == "Example: rate_limit_error: slow down (HTTP 429, request id req_1)"
    assert (err.status, err.status_code, err.request_id) == (429, 429, "req_1")
    assert err.headers["retry-after"] == "3" and err.error_type == "rate_limit_error"
    assert err.provider == "example" and err.body["error"]["message"] == "slow down"
    assert err.retryable is None  # a status says it; only an error in a 200 body sets this


def test_request_id_headers_are_read_in_the_maps_order():
    headers = {"request-id": "a", "x-request-id": "b"}
    assert ERRORS.request_id(headers) == "a"
    assert ErrorMap("X", "x", id_headers=("x-request-id", "request-id")).request_id(headers) == "b"
    assert ERRORS.request_id({}) is None


@pytest.mark.parametrize(("status", "cls", "retryable"), [
    (529, OverloadedError, True), (500, InternalServerError, True),
    (429, RateLimitError, True), (401, AuthenticationError, False), (400, APIError, False),
])
def test_an_error_inside_a_200_body_carries_its_class_and_whether_to_retry(status, cls, retryable):
    err = ERRORS.body_error(status, "went wrong", "some_error", "req_2", {"type": "error"})
    assert isinstance(err, cls) and err.retryable is retryable
    assert err.status_code is None  # there was no such HTTP status: the message does not claim one
    assert str(err) == "Example: some_error: went wrong"


def test_note_and_redaction_apply_to_every_message(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-abcdefghijklmnop")
    reset_settings()
    errors = ErrorMap("Example", "example", note="nothing changed")
    err = errors.status_error(answer(401, b'{"error": {"message": "bad key sk-ant-api03-abcdefghijklmnop"}}'))
    assert str(err) == "Example: bad key ***; nothing changed (HTTP 401)"


def test_transport_errors_name_the_origin_and_the_reason():
    url = httpx.URL("http://127.0.0.1:9/v1/messages?key=1")
    slow = ERRORS.transport_error(httpx.ReadTimeout("timed out"), url)
    assert type(slow) is APITimeoutError and slow.provider == "example"
    assert str(slow) == "Example: request to http://127.0.0.1:9 timed out (timed out)"
    down = ERRORS.transport_error(httpx.ConnectError("[Errno 111] Connection refused"), url)
    assert type(down) is APIConnectionError and down.headers == {} and down.status is None
    assert str(down) == "Example: cannot reach http://127.0.0.1:9 ([Errno 111] Connection refused)"


def test_the_connect_timeout_is_one_constant():
    assert _http.http_timeout(30).connect == _http.CONNECT_TIMEOUT
    assert _http.http_timeout(30).read == 30


class _Server(BaseHTTPRequestHandler):
    replies: ClassVar[list[tuple[int, str, bytes]]] = []

    def log_message(self, *args):
        pass

    def _reply(self):
        status, kind, body = self.replies.pop(0)
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.send_header("x-request-id", "req_9")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Server.replies
    httpd.shutdown()
    httpd.server_close()


def test_request_json_returns_the_answer_and_maps_failures(server):
    url, replies = server
    errors = ErrorMap("Example", "example", id_headers=("x-request-id",), note="unchanged")
    replies.append((200, "application/json", b'{"n": 1}'))
    data, response = request_json(errors, "POST", url, headers={}, json={"a": 1}, seconds=5)
    assert data == {"n": 1} and response.status_code == 200
    replies.append((503, "text/html", b"<html>down</html>"))
    with pytest.raises(InternalServerError, match=r"an HTML page.*; unchanged \(HTTP 503, request id req_9\)"):
        request_json(errors, "GET", url, headers={}, seconds=5)
    replies.append((200, "text/plain", b"hello"))
    with pytest.raises(ResponseFormatError, match=r"the answer is not JSON \(content-type text/plain\)") as info:
        request_json(errors, "GET", url, headers={}, seconds=5)
    assert info.value.request_id == "req_9" and info.value.status == 200


def test_request_json_to_a_closed_port_is_a_connection_error():
    with pytest.raises(APIConnectionError, match=r"^Example: cannot reach http://127\.0\.0\.1:9 \("):
        request_json(ERRORS, "GET", "http://127.0.0.1:9/x", headers={}, seconds=5)
