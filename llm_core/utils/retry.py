"""Retries with backoff, decided exactly as the official Anthropic and OpenAI SDKs decide them.

Connection errors and timeouts are retried. For an HTTP answer, in the SDKs' order:

1. (OpenAI, OpenRouter only) a server wait above the ceiling: no retry at all;
2. `x-should-retry: true` retries and `x-should-retry: false` does not, whatever the status
   (exactly those lower-case words, as the SDKs compare them);
3. the status: 408, 409, 429 and >= 500 (so 529 overloaded) are retried, nothing else.

The wait is the server's (`retry-after-ms`, then `retry-after` in seconds or as an HTTP date)
when it is above 0 and within the provider's ceiling; otherwise `min(0.5 * 2**n, 8) *
(1 - 0.25 * random())` for the n-th retry. A value that cannot be read (`nan`, a date in the
year 100000, `soon`) is no value: backoff, never an error. The one table of ceilings is
RETRY_POLICIES, copied from the SDKs (anthropic-2.15.0 and openai-3.57.0, `_base_client.py`):

    provider              server wait honoured   above the ceiling
    anthropic             0 < wait <= 4294967 s  waits 4294967 s (time.sleep's limit)
    openai, openrouter    0 < wait <= 120 s      no retry: the error is raised at once

LLM_MAX_RETRY_WAIT (seconds, unset by default) lowers every ceiling: a server asking for a
longer wait ends the call at once with its error (429: exit 5), whose message says
"retry after N s" (a git hook would rather give up fast). The count is LLM_MAX_RETRIES (2).

    @retry_with_backoff
    def fetch(): ...

    @retry_with_backoff(max_retries=5, policy=RETRY_POLICIES["openai"])
    def fetch(): ...

    result = retry_with_backoff(fetch, max_retries=1)()
"""

from __future__ import annotations

import functools
import math
import random
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from llm_core.config import get_settings
from llm_core.errors import APIConnectionError, APIError

F = TypeVar("F", bound=Callable[..., Any])

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_STATUSES = frozenset({408, 409, 429})
# A number too big for a float ("1e999") is a wait longer than any ceiling, not "infinity".
_OVERFLOW = sys.float_info.max


@dataclass(frozen=True)
class RetryPolicy:
    """How one provider's SDK treats a server's requested wait."""

    provider: str
    max_server_wait: float  # the longest wait honoured, seconds
    wait_above_ceiling: bool  # True: wait the ceiling; False: do not retry at all
    source: str


RETRY_POLICIES: dict[str, RetryPolicy] = {
    "anthropic": RetryPolicy(
        "anthropic", 4_294_967.0, True,
        "anthropic-2.15.0 _base_client.py _calculate_retry_timeout: min(retry_after, 4_294_967.0)",
    ),
    "openai": RetryPolicy(
        "openai", 120.0, False,
        "openai-3.57.0 _constants.py MAX_RETRY_AFTER_DELAY = 2 * 60; _should_retry refuses more",
    ),
}
RETRY_POLICIES["openrouter"] = RETRY_POLICIES["openai"]  # reached with the OpenAI wire format
DEFAULT_POLICY = RETRY_POLICIES["openai"]


def retry_policy(provider: str | None) -> RetryPolicy:
    """The provider's policy; any other provider gets the stricter OpenAI one."""
    return RETRY_POLICIES.get(provider or "", DEFAULT_POLICY)


def _headers(exc: BaseException) -> Mapping[str, str]:
    return getattr(exc, "headers", None) or {}


def retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth another attempt when the server does not say."""
    return status in RETRY_STATUSES or status >= 500


def server_says_retry(headers: Mapping[str, str] | None) -> bool | None:
    """The server's `x-should-retry: true|false`, or None when it does not say."""
    return {"true": True, "false": False}.get((headers or {}).get("x-should-retry", ""))


def should_retry(exc: BaseException, policy: RetryPolicy = DEFAULT_POLICY) -> bool:
    """Whether the failure `exc` is worth another attempt."""
    if isinstance(exc, APIConnectionError):
        return True
    if not isinstance(exc, APIError):
        return False
    # Errors found inside a 200 body (a mid-stream `error` event) say so themselves.
    if exc.retryable is not None:
        return bool(exc.retryable)
    if exc.status_code is None:
        return False
    if too_long_to_wait(exc.headers, policy):
        return False
    asked = server_says_retry(exc.headers)
    if asked is not None:
        return asked
    return retryable_status(exc.status_code)


def too_long_to_wait(headers: Mapping[str, str] | None, policy: RetryPolicy) -> bool:
    """Whether the SDK refuses to retry because the server asks for more than its ceiling."""
    asked = server_delay(headers)
    return (
        not policy.wait_above_ceiling and asked is not None and math.isfinite(asked)
        and asked > policy.max_server_wait
    )


def server_delay(headers: Mapping[str, str] | None) -> float | None:
    """The wait the server asked for, in seconds (may be <= 0, inf or nan), or None."""
    if not headers:
        return None
    for name, divisor in (("retry-after-ms", 1000), ("retry-after", 1)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            delay = float(value)
        except ValueError:
            continue
        if delay == math.inf and value.strip().lower() not in ("inf", "+inf", "infinity", "+infinity"):
            return _OVERFLOW
        return delay / divisor
    return _date_delay(headers.get("retry-after"))


def _date_delay(value: str | None) -> float | None:
    """Seconds until an HTTP date, or None for no date or one out of range."""
    if value is None:
        return None
    import email.utils  # here for start-up: it imports socket (~10 ms) and dates are rare

    try:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def server_wait(headers: Mapping[str, str] | None, policy: RetryPolicy = DEFAULT_POLICY) -> float | None:
    """The server's wait as the provider's SDK honours it, or None (then: backoff)."""
    asked = server_delay(headers)
    if asked is None or not asked > 0:  # also nan
        return None
    if asked <= policy.max_server_wait:
        return asked
    return policy.max_server_wait if policy.wait_above_ceiling else None


def backoff_delay(retries_done: int, rand: Callable[[], float] = random.random) -> float:
    """`min(0.5 * 2**n, 8) * (1 - 0.25 * random())` for n retries already done."""
    sleep = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_done, 1000), MAX_RETRY_DELAY)
    return max(sleep * (1 - 0.25 * rand()), 0.0)


def retry_delay(
    retries_done: int,
    headers: Mapping[str, str] | None = None,
    rand: Callable[[], float] = random.random,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> float:
    """Seconds to wait before retry number `retries_done + 1`."""
    wait = server_wait(headers, policy)
    return wait if wait is not None else backoff_delay(retries_done, rand)


def default_max_retries() -> int:
    return get_settings().max_retries


def _give_up_note(exc: BaseException, asked: float, ceiling: float, why: str) -> None:
    """Say in the error's message why it was not retried: the server's wait is too long."""
    if isinstance(exc, APIError):
        exc.message = f"{exc.message}; retry after {asked:g} s: more than {why} ({ceiling:g} s)"
        exc.args = (exc.message,)


def retry_with_backoff(
    func: F | None = None,
    max_retries: int | None = None,
    *,
    retry_on: Callable[[BaseException], bool] | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], Any] = time.sleep,
    on_retry: Callable[[int, BaseException, float], Any] | None = None,
) -> Any:
    """Wrap `func` so failures that `retry_on` accepts are retried with backoff.

    `max_retries=None` means LLM_MAX_RETRIES (default 2); `retry_on` defaults to
    `should_retry(exc, policy)`. `on_retry(n, exc, delay)` is called before the n-th retry
    (1-based). `sleep` is injectable so tests need not wait.
    """
    accept = retry_on or functools.partial(should_retry, policy=policy)

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            settings = get_settings()
            limit = settings.max_retries if max_retries is None else max_retries
            retries = 0
            while True:
                try:
                    return fn(*args, **kwargs)
                except Exception as exc:
                    headers = _headers(exc)
                    if too_long_to_wait(headers, policy):
                        _give_up_note(exc, server_delay(headers) or 0, policy.max_server_wait,
                                      f"{policy.provider}'s ceiling")
                    if retries >= limit or not accept(exc):
                        raise
                    wait = server_wait(headers, policy)
                    ceiling = settings.max_retry_wait
                    if wait is not None and ceiling is not None and wait > ceiling:
                        _give_up_note(exc, wait, ceiling, "LLM_MAX_RETRY_WAIT")
                        raise
                    delay = wait if wait is not None else backoff_delay(retries)
                    retries += 1
                    if on_retry is not None:
                        on_retry(retries, exc, delay)
                    sleep(delay)

        return wrapper  # type: ignore[return-value]

    if func is not None:
        return decorate(func)
    return decorate
