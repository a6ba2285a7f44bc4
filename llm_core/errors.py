"""The error tree. Every error carries the exit code a command returns for it.

    LLMCoreError                      1  unexpected internal error
    ├── InputError                    3  bad input data
    │   └── UnknownModelError         3  a model name the registry does not know
    ├── ConfigError                   4  configuration: missing API key, invalid LLM_* value
    ├── StorageError                  1  the telemetry store could not be read or written
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

Click's own usage errors exit 2, Ctrl-C exits 130 (see llm_core.cli._common).
"""

from __future__ import annotations

import difflib
import sys

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_CONFIG = 4
EXIT_REJECTED = 5
EXIT_PROVIDER_FAILED = 6
EXIT_NETWORK = 7
EXIT_INTERRUPTED = 130

EXIT_STATUS_TABLE = [
    (EXIT_OK, "success"),
    (EXIT_INTERNAL, "unexpected internal error"),
    (EXIT_USAGE, "usage error: unknown option, missing argument, bad date or range"),
    (EXIT_INPUT, "bad input data, or unknown model"),
    (EXIT_CONFIG, "authentication or configuration (no API key, invalid LLM_* value, 401/403)"),
    (EXIT_REJECTED, "the provider rejected the request (4xx, including 429 once retries are spent)"),
    (EXIT_PROVIDER_FAILED, "the provider failed (5xx, 529 overloaded, a response that breaks the API format) once retries are spent"),
    (EXIT_NETWORK, "network error or timeout"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
]


class LLMCoreError(Exception):
    """Base of every error llm-core raises on purpose."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(LLMCoreError):
    exit_code = EXIT_INPUT


class UnknownModelError(InputError):
    """A model name the registry does not know; suggests close matches."""

    def __init__(self, name: str, known: list[str] | tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown model '{name}'{hint}; see 'llm-models list'")


class ConfigError(LLMCoreError):
    exit_code = EXIT_CONFIG


class StorageError(LLMCoreError):
    exit_code = EXIT_INTERNAL


class APIConnectionError(LLMCoreError):
    exit_code = EXIT_NETWORK

    def __init__(self, message: str = "connection error", *, provider: str | None = None) -> None:
        super().__init__(message)
        self.provider = provider


class APITimeoutError(APIConnectionError):
    def __init__(self, message: str = "request timed out", *, provider: str | None = None) -> None:
        super().__init__(message, provider=provider)


class APIError(LLMCoreError):
    """An HTTP answer from a provider that is not a success."""

    exit_code = EXIT_REJECTED

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        provider: str | None = None,
        error_type: str | None = None,
        body: object = None,
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        self.provider = provider
        self.error_type = error_type
        self.body = body
        parts = [message]
        if status_code is not None:
            parts.append(f"(HTTP {status_code}")
            parts[-1] += f", request id {request_id})" if request_id else ")"
        super().__init__(" ".join(parts))


class BadRequestError(APIError):
    pass


class AuthenticationError(APIError):
    exit_code = EXIT_CONFIG


class PermissionDeniedError(APIError):
    exit_code = EXIT_CONFIG


class NotFoundError(APIError):
    pass


class ConflictError(APIError):
    pass


class UnprocessableEntityError(APIError):
    pass


class RateLimitError(APIError):
    pass


class InternalServerError(APIError):
    exit_code = EXIT_PROVIDER_FAILED


class OverloadedError(InternalServerError):
    pass


class ResponseFormatError(APIError):
    exit_code = EXIT_PROVIDER_FAILED


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


_warned: set[str] = set()


def warn(message: str, *, key: str | None = None) -> None:
    """Write `Warning: <message>` to stderr, once per process per key (default: the message)."""
    key = message if key is None else key
    if key in _warned:
        return
    _warned.add(key)
    sys.stderr.write(f"Warning: {message}\n")


def reset_warnings() -> None:
    _warned.clear()
