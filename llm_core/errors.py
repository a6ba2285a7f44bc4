"""The error tree, the exit statuses, and the one warning function.

Every error carries the exit status a command returns for it (`exit_code`, an ExitStatus):

    LLMCoreError                      1  unexpected internal error
    ├── UsageError                    2  the command was called wrongly
    │   └── DateError                 2  a date, period or window that cannot be read
    ├── InputError                    3  bad input data
    │   └── UnknownModelError         3  a model name the registry does not know
    ├── ConfigError                   4  configuration: missing API key, invalid LLM_* value
    ├── StorageError                  1  the telemetry store could not be read or written
    ├── BudgetExceeded                8  a budget or max_cost refused the call before sending
    ├── RefusedError                  9  the model refused to answer (llm-chat prints the refusal)
    ├── APIConnectionError            7  network error
    │   └── APITimeoutError           7  the request timed out
    └── APIError                      5  the provider rejected the request (4xx)
        ├── BadRequestError           5  400
        ├── AuthenticationError       4  401
        ├── PermissionDeniedError     4  403
        ├── NotFoundError             5  404
        ├── ConflictError             5  409
        ├── UnprocessableEntityError  5  422
        ├── RateLimitError            5  429, once retries are spent
        ├── InternalServerError       6  5xx, once retries are spent
        │   └── OverloadedError       6  529 (Anthropic "overloaded_error")
        └── ResponseFormatError       6  a 200 whose body breaks the API format

The statuses that no error class carries (click's own usage errors, Ctrl-C, a closed stdout)
are given by the commands' one main() wrapper, llm_core.cli._common.run. SIGTERM and SIGHUP
raise Cancelled there, a KeyboardInterrupt (so a call in flight is recorded as for Ctrl-C). EXIT_STATUS_TABLE is
the documented table (man pages' EXIT STATUS, the README), made from ExitStatus.

warn() is the one way anything in llm-core warns: `Warning: <message>` on stderr, once per
process per key.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from enum import IntEnum


class ExitStatus(IntEnum):
    """What a command's exit status means (httpie's status.py, ripgrep's EXIT STATUS)."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    INPUT = 3
    CONFIG = 4
    REJECTED = 5
    PROVIDER_FAILED = 6
    NETWORK = 7
    BUDGET_BLOCKED = 8
    REFUSED = 9
    HANGUP = 129  # 128 + SIGHUP
    INTERRUPTED = 130  # 128 + SIGINT
    STDOUT_CLOSED = 141  # 128 + SIGPIPE
    TERMINATED = 143  # 128 + SIGTERM


_MEANING = {
    ExitStatus.OK: "success",
    ExitStatus.INTERNAL: "unexpected internal error, or a file or the output could not be read or written (a full disk)",
    ExitStatus.USAGE: "usage error: unknown option, missing argument, bad value, date or range",
    ExitStatus.INPUT: "bad input data, or unknown model",
    ExitStatus.CONFIG: "authentication or configuration (no API key, invalid LLM_* value, 401/403)",
    ExitStatus.REJECTED: "the provider rejected the request (4xx, including 429 once retries are spent)",
    ExitStatus.PROVIDER_FAILED: "the provider failed (5xx, 529 overloaded, a response that breaks "
                                "the API format) once retries are spent",
    ExitStatus.NETWORK: "network error or timeout",
    ExitStatus.BUDGET_BLOCKED: "refused by a budget before sending",
    ExitStatus.REFUSED: "the model refused to answer (OpenAI refusal, Anthropic stop reason "
                        "refusal); the refusal is printed and the call recorded",
    ExitStatus.HANGUP: "stopped by SIGHUP (the terminal went away)",
    ExitStatus.INTERRUPTED: "interrupted (Ctrl-C); the call is still recorded",
    ExitStatus.STDOUT_CLOSED: "the reader of stdout went away, as head does (SIGPIPE "
                              "convention); no message",
    ExitStatus.TERMINATED: "stopped by SIGTERM",
}

EXIT_STATUS_TABLE: list[tuple[int, str]] = [(int(status), _MEANING[status]) for status in ExitStatus]


# ---------------------------------------------------------------- warnings

_warned: set[str] = set()
_redactor: Callable[[str], str] | None = None


def set_redactor(func: Callable[[str], str]) -> None:
    """Set the function that masks API keys in warnings (llm_core.config.redact sets itself:
    config imports this module, so this module cannot import config)."""
    global _redactor
    _redactor = func


def warn(message: str, *, key: str | None = None) -> None:
    """Write `Warning: <message>` to stderr, keys masked, once per process per key (default:
    the message)."""
    key = message if key is None else key
    if key in _warned:
        return
    _warned.add(key)
    if _redactor is not None:
        message = _redactor(message)
    if _held is not None:
        _held.append(f"Warning: {message}\n")
    else:
        sys.stderr.write(f"Warning: {message}\n")


_held: list[str] | None = None  # warnings waiting for an open line of output to end


def hold_warnings(hold: bool) -> None:
    """While `hold`, keep warnings back; on release write them. llm-chat holds them while a
    streamed answer's line is open, so a warning (the call's record failing, say: it happens as
    the stream ends) starts a line of its own instead of the answer's last one."""
    global _held
    if hold:
        if _held is None:
            _held = []
        return
    held, _held = _held, None
    for line in held or ():
        sys.stderr.write(line)


def reset_warnings() -> None:
    _warned.clear()


# ---------------------------------------------------------------- signals

class Cancelled(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C's KeyboardInterrupt (so everything that records an
    interrupted call records these too); `exit_code` is 128 + the signal number."""

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum = signum
        self.name = name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


# ---------------------------------------------------------------- the tree

class LLMCoreError(Exception):
    """Base of every error llm-core raises on purpose."""

    exit_code: ExitStatus = ExitStatus.INTERNAL

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(LLMCoreError):
    """The command was called wrongly: options that do not combine, a missing argument."""

    exit_code = ExitStatus.USAGE


class DateError(UsageError):
    """A date, time or period that cannot be read, or a window that ends before it starts."""


class InputError(LLMCoreError):
    exit_code = ExitStatus.INPUT


class UnknownModelError(InputError):
    """A model name the registry does not know; suggests close matches."""

    def __init__(self, name: str, known: list[str] | tuple[str, ...] = ()) -> None:
        self.name = name
        import difflib  # here: every command imports this module, only this error needs difflib (~1.5 ms)

        self.suggestions = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown model '{name}'{hint}; see 'llm-models list'")


class ConfigError(LLMCoreError):
    exit_code = ExitStatus.CONFIG


class StorageError(LLMCoreError):
    exit_code = ExitStatus.INTERNAL


class BudgetExceeded(LLMCoreError):
    """A call refused before sending: its worst-case cost would pass a budget (or max_cost).

    `budget` names it ("daily", "monthly", "max_cost"), `spent_usd` is the spend so far in its
    window (reservations of calls in flight included), `limit_usd` the limit, `worst_usd` this
    call's worst case (the input's ceiling + the max_tokens ceiling at the model's price)."""

    exit_code = ExitStatus.BUDGET_BLOCKED

    def __init__(self, message: str, *, budget: str = "", spent_usd: float = 0.0,
                 limit_usd: float = 0.0, worst_usd: float = 0.0) -> None:
        super().__init__(message)
        self.budget = budget
        self.spent_usd = spent_usd
        self.limit_usd = limit_usd
        self.worst_usd = worst_usd


class RefusedError(LLMCoreError):
    """The model answered with a refusal; raised by llm-chat after printing it, not by clients."""

    exit_code = ExitStatus.REFUSED


class APIConnectionError(LLMCoreError):
    """The request never got an HTTP answer (DNS, refused connection, reset, TLS)."""

    exit_code = ExitStatus.NETWORK
    status_code: int | None = None
    headers: Mapping[str, str] = {}
    request_id: str | None = None
    retryable: bool | None = None

    def __init__(self, message: str = "connection error", *, provider: str | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.headers = {}

    @property
    def status(self) -> int | None:
        return self.status_code


class APITimeoutError(APIConnectionError):
    def __init__(self, message: str = "request timed out", *, provider: str | None = None) -> None:
        super().__init__(message, provider=provider)


class APIError(LLMCoreError):
    """An HTTP answer from a provider that is not a success.

    `status_code` (alias `status`) is None for an error found inside a 200 body, which then
    says itself whether it is worth retrying (`retryable`); `headers` are the answer's, with
    lower-case names, for the retry decision (`x-should-retry`, `retry-after`).
    """

    exit_code = ExitStatus.REJECTED
    status_code: int | None
    headers: Mapping[str, str]
    retryable: bool | None
    request_id: str | None
    provider: str | None
    error_type: str | None
    body: object

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        provider: str | None = None,
        error_type: str | None = None,
        body: object = None,
        headers: Mapping[str, str] | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        self.provider = provider
        self.error_type = error_type
        self.body = body
        self.headers = {k.lower(): v for k, v in dict(headers or {}).items()}
        self.retryable = retryable
        parts = [message]
        if status_code is not None:
            parts.append(f"(HTTP {status_code}")
            parts[-1] += f", request id {request_id})" if request_id else ")"
        super().__init__(" ".join(parts))

    @property
    def status(self) -> int | None:
        return self.status_code


class BadRequestError(APIError):
    pass


class AuthenticationError(APIError):
    exit_code = ExitStatus.CONFIG


class PermissionDeniedError(APIError):
    exit_code = ExitStatus.CONFIG


class NotFoundError(APIError):
    pass


class ConflictError(APIError):
    pass


class UnprocessableEntityError(APIError):
    pass


class RateLimitError(APIError):
    pass


class InternalServerError(APIError):
    exit_code = ExitStatus.PROVIDER_FAILED


class OverloadedError(InternalServerError):
    pass


class ResponseFormatError(APIError):
    exit_code = ExitStatus.PROVIDER_FAILED


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    529: OverloadedError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The one place an HTTP status becomes an error class."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return InternalServerError
    return APIError

