from __future__ import annotations

import email.utils
import time

import pytest

from llm_core.config import reset_settings
from llm_core.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    RateLimitError,
    error_class_for_status,
)
from llm_core.utils.retry import (
    retry_delay,
    retry_with_backoff,
    retryable_status,
    server_delay,
    server_says_retry,
    should_retry,
)


def status_error(status: int, **headers: str):
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    return error_class_for_status(status)("boom", status_code=status, headers=headers)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529])
def test_retries_these_statuses(status):
    assert should_retry(status_error(status))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_x_should_retry_true_retries_even_these(status):
    """issue 11 item 2: the SDKs read the header before the status; we checked a never-list first."""
    assert not should_retry(status_error(status))
    assert should_retry(status_error(status, x_should_retry="true"))


def test_x_should_retry_decides_first():
    assert not should_retry(status_error(500, x_should_retry="false"))
    assert should_retry(status_error(418, x_should_retry="true"))
    assert not should_retry(status_error(418))


def test_network_errors_are_retried_other_exceptions_not():
    assert should_retry(APIConnectionError("refused"))
    assert should_retry(APITimeoutError("slow"))
    assert not should_retry(ValueError("bug"))


def test_error_found_inside_a_body_says_whether_to_retry():
    assert not should_retry(InternalServerError("mid-stream", status_code=None))
    assert should_retry(InternalServerError("mid-stream", status_code=None, retryable=True))
    # it decides over the status and the headers
    assert not should_retry(InternalServerError("x", status_code=500, retryable=False))


def test_errors_take_their_attributes_in_the_constructor():
    err = RateLimitError("slow", status_code=429, headers={"Retry-After": "2"}, request_id="r")
    assert (err.status, err.headers, err.retryable, err.request_id) == (429, {"retry-after": "2"}, None, "r")
    assert str(err) == "slow (HTTP 429, request id r)"
    with pytest.raises(TypeError):
        RateLimitError("slow", 429)  # keyword-only, as the SDK's


@pytest.mark.parametrize(("headers", "expected"), [
    ({"x-should-retry": "true"}, True), ({"x-should-retry": "false"}, False),
    # the SDKs compare the exact lower-case words
    ({"x-should-retry": "FALSE"}, None), ({"x-should-retry": "maybe"}, None), ({}, None), (None, None),
])
def test_server_says_retry(headers, expected):
    assert server_says_retry(headers) is expected


@pytest.mark.parametrize(("status", "expected"), [
    (408, True), (409, True), (429, True), (500, True), (529, True), (400, False), (404, False), (418, False),
])
def test_retryable_status_is_the_one_statement_of_the_rule(status, expected):
    assert retryable_status(status) is expected


def test_server_delay_headers_in_order():
    assert server_delay({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert server_delay({"retry-after": "3"}) == 3.0
    assert server_delay({"retry-after": "1.5"}) == 1.5
    assert server_delay({"retry-after-ms": "soon", "retry-after": "2"}) == 2.0
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= server_delay({"retry-after": when}) <= 10.5
    assert server_delay({"retry-after": "whenever"}) is None
    assert server_delay({}) is None


def test_retry_delay_honours_the_server_only_between_0_and_120_seconds_by_default():
    assert retry_delay(0, {"retry-after": "30"}) == 30
    assert retry_delay(0, {"retry-after": "120"}) == 120
    # Out of range: exponential backoff instead.
    assert retry_delay(0, {"retry-after": "121"}, rand=lambda: 0.0) == 0.5
    assert retry_delay(0, {"retry-after": "0"}, rand=lambda: 0.0) == 0.5
    assert retry_delay(0, {"retry-after": "-3"}, rand=lambda: 0.0) == 0.5


def test_backoff_doubles_to_8_seconds_with_jitter():
    assert [retry_delay(n, rand=lambda: 0.0) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]
    assert retry_delay(0, rand=lambda: 1.0) == 0.375
    assert retry_delay(10, rand=lambda: 1.0) == 6.0
    assert retry_delay(10_000, rand=lambda: 0.0) == 8.0


def test_decorator_retries_then_succeeds_and_reports_each_retry():
    sleeps, seen, calls = [], [], []

    @retry_with_backoff(max_retries=3, sleep=sleeps.append, on_retry=lambda n, e, d: seen.append((n, d)))
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise status_error(429, retry_after_ms="20")
        return "ok"

    assert flaky() == "ok"
    assert len(calls) == 3
    assert sleeps == [0.02, 0.02]
    assert seen == [(1, 0.02), (2, 0.02)]


def test_gives_up_after_max_retries_with_the_last_error():
    calls = []

    def always_500():
        calls.append(1)
        raise status_error(500)

    with pytest.raises(InternalServerError):
        retry_with_backoff(always_500, max_retries=2, sleep=lambda s: None)()
    assert len(calls) == 3


def test_never_retries_authentication_errors():
    calls = []

    def unauthorized():
        calls.append(1)
        raise status_error(401)

    with pytest.raises(AuthenticationError):
        retry_with_backoff(unauthorized, sleep=lambda s: None)()
    assert len(calls) == 1


def test_plain_decorator_uses_llm_max_retries(monkeypatch):
    monkeypatch.setenv("LLM_MAX_RETRIES", "4")
    reset_settings()
    calls = []

    @retry_with_backoff
    def limited():
        """Bare-decorator form."""

    @retry_with_backoff(sleep=lambda s: None)
    def limited_fast():
        calls.append(1)
        raise RateLimitError("slow down", status_code=429)

    with pytest.raises(RateLimitError):
        limited_fast()
    assert len(calls) == 5
    assert limited.__name__ == "limited" and limited.__doc__ == "Bare-decorator form."
