"""Retries with backoff, following the official Anthropic and OpenAI SDKs.

Retried: HTTP 408, 409, 429, 5xx (so 529 overloaded), connection errors and timeouts. Never:
400, 401, 403, 404, 422. A server's `x-should-retry: true|false` decides first; the wait is
`retry-after-ms`, then `retry-after` (seconds or an HTTP date) when 0 < delay <= 60 s, else
`min(0.5 * 2**n, 8) * (1 - 0.25 * random())` for the n-th retry. The default count is
LLM_MAX_RETRIES (2).

    @retry_with_backoff
    def fetch(): ...

    @retry_with_backoff(max_retries=5)
    def fetch(): ...

    result = retry_with_backoff(fetch, max_retries=1)()
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, APIError

F = TypeVar("F", bound=Callable[..., Any])

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_SERVER_DELAY = 60.0
RETRY_STATUSES = frozenset({408, 409, 429})
NEVER_RETRY_STATUSES = frozenset({400, 401, 403, 404, 422})


def _headers(exc: BaseException) -> Mapping[str, str]:
    return getattr(exc, "headers", None) or {}


def retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth another attempt when the server does not say."""
    return status in RETRY_STATUSES or status >= 500


def should_retry(exc: BaseException) -> bool:
    """Whether the failure `exc` is worth another attempt."""
    if isinstance(exc, APIConnectionError):
        return True
    if not isinstance(exc, APIError):
        return False
    # Errors found inside a 200 body (a mid-stream `error` event) say so themselves.
    if exc.retryable is not None:
        return bool(exc.retryable)
    status = exc.status_code
    if status is None or status in NEVER_RETRY_STATUSES:
        return False
    asked = server_says_retry(exc.headers)
    if asked is not None:
        return asked
    return retryable_status(status)


def server_says_retry(headers: Mapping[str, str] | None) -> bool | None:
    """The server's `x-should-retry: true|false`, or None when it does not say."""
    hint = str((headers or {}).get("x-should-retry", "")).lower()
    return {"true": True, "false": False}.get(hint)


def server_delay(headers: Mapping[str, str] | None) -> float | None:
    """The wait the server asked for, in seconds, or None."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    import email.utils  # here for start-up: 10-30 ms, and only the rare HTTP-date form needs it

    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return float(email.utils.mktime_tz(parsed) - time.time())


def retry_delay(
    retries_done: int,
    headers: Mapping[str, str] | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `retries_done + 1`."""
    asked = server_delay(headers)
    if asked is not None and 0 < asked <= MAX_SERVER_DELAY:
        return asked
    backoff = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_done, 60), MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * rand())


def default_max_retries() -> int:
    return get_settings().max_retries


def retry_with_backoff(
    func: F | None = None,
    max_retries: int | None = None,
    *,
    retry_on: Callable[[BaseException], bool] = should_retry,
    sleep: Callable[[float], Any] = time.sleep,
    on_retry: Callable[[int, BaseException, float], Any] | None = None,
) -> Any:
    """Wrap `func` so failures that `retry_on` accepts are retried with backoff.

    `max_retries=None` means LLM_MAX_RETRIES (default 2). `on_retry(n, exc, delay)` is called
    before the n-th retry (1-based). `sleep` is injectable so tests need not wait.
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            limit = default_max_retries() if max_retries is None else max_retries
            retries = 0
            while True:
                try:
                    return fn(*args, **kwargs)
                except Exception as exc:
                    if retries >= limit or not retry_on(exc):
                        raise
                    delay = retry_delay(retries, _headers(exc))
                    retries += 1
                    if on_retry is not None:
                        on_retry(retries, exc, delay)
                    sleep(delay)

        return wrapper  # type: ignore[return-value]

    if func is not None:
        return decorate(func)
    return decorate
