"""The one HTTP path to the providers: the httpx client, error mapping, request ids, constants.

Every request llm-core sends goes through here: the chat clients (`http_client.HTTPClient`,
subclassed per provider), Anthropic token counting (`llm-tokens --exact`) and `llm-models sync`.
It imports no client module, so the one-off callers do not load the chat life cycle.

    errors = ErrorMap("Anthropic", "anthropic")
    data, response = request_json(errors, "POST", url, headers=..., json=body, timeout=30)

An answer becomes an error in one place each:
- no HTTP answer (DNS, refused, reset, TLS, timeout) -> `ErrorMap.transport_error`:
  APIConnectionError or APITimeoutError;
- an HTTP status >= 400 -> `ErrorMap.status_error`: the class from
  `errors.error_class_for_status`, with the answer's message, type, headers and request id;
- an error inside a 200 body (an OpenRouter error object, an Anthropic `error` event mid-stream)
  -> `ErrorMap.body_error`: the class for the status the error type is sent with, and whether
  it is worth retrying (`retry.retryable_status`);
- a 200 that breaks the API format -> `ErrorMap.format_error`: ResponseFormatError.
Retries wrap whole attempts in `BaseLLMClient` (the rule itself is `llm_core.utils.retry`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from llm_core.config import redact
from llm_core.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ResponseFormatError,
    error_class_for_status,
)
from llm_core.utils.retry import retryable_status

ANTHROPIC_API_VERSION = "2023-06-01"
CONNECT_TIMEOUT = 5.0
FORMAT_PROBLEMS = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def http_timeout(seconds: float) -> httpx.Timeout:
    """`seconds` per read (and write, and pool wait); connecting gets CONNECT_TIMEOUT."""
    return httpx.Timeout(seconds, connect=CONNECT_TIMEOUT)


def new_client(
    seconds: float, base_url: str, transport: Any = None, *, follow_redirects: bool = False
) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=http_timeout(seconds),
        follow_redirects=follow_redirects,
        # Plain-HTTP servers (a local model, a test server) need no CA bundle: loading one
        # costs ~20 ms of a short command's start. HTTPS is always verified.
        verify=not base_url.startswith("http://"),
    )


def error_details(body: Any) -> tuple[str | None, str | None]:
    """(message, error type) from the `{"error": {"message", "type"}}` shape both APIs use."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return error.get("message"), error.get("type")
    return None, None


@dataclass(frozen=True)
class ErrorMap:
    """Turns what one endpoint answered into llm-core's errors, all worded alike:
    `<label>: <error type>: <message>[; <note>]`, redacted."""

    label: str  # "Anthropic", "Anthropic token counting failed"
    provider: str
    details: Callable[[Any], tuple[str | None, str | None]] = error_details
    id_headers: tuple[str, ...] = ("request-id", "x-request-id")
    note: str = ""  # appended to every message, e.g. "the registry is unchanged"

    def request_id(self, headers: Mapping[str, str]) -> str | None:
        for name in self.id_headers:
            if headers.get(name):
                return headers[name]
        return None

    def _text(self, message: str) -> str:
        return redact(f"{self.label}: {message}" + (f"; {self.note}" if self.note else ""))

    def transport_error(self, exc: Exception, url: httpx.URL) -> APIConnectionError:
        where = f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                self._text(f"request to {where} timed out ({reason})"), provider=self.provider
            )
        return APIConnectionError(self._text(f"cannot reach {where} ({reason})"), provider=self.provider)

    def error(
        self, status: int | None, message: str, error_type: str | None, request_id: str | None,
        *, body: Any = None, headers: Mapping[str, str] | None = None,
        cls: type[APIError] | None = None, retryable: bool | None = None,
    ) -> APIError:
        cls = cls or error_class_for_status(status or 500)
        label = f"{error_type}: " if error_type else ""
        return cls(
            self._text(f"{label}{message}"), status_code=status, request_id=request_id,
            provider=self.provider, error_type=error_type, body=body, headers=headers,
            retryable=retryable,
        )

    def status_error(self, response: httpx.Response) -> APIError:
        """An HTTP status >= 400 (its body already read)."""
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            body = response.text
        message, error_type = self.details(body) if isinstance(body, dict) else (None, None)
        if not message and isinstance(body, dict):
            # Other OpenAI-compatible servers: {"message": ...} (vLLM), {"detail": ...}
            found = body.get("message") or body.get("detail")
            message = found if isinstance(found, str) else None
        if not message:
            text = " ".join(str(body or "").split())
            reason = response.reason_phrase or "error"
            if text.startswith("<"):
                message = f"{reason} (an HTML page, not the API's answer; is the base URL right?)"
            else:
                message = text[:200] or reason
        return self.error(
            response.status_code, message, error_type, self.request_id(response.headers),
            body=body, headers=response.headers,
        )

    def body_error(
        self, status: int, message: str, error_type: str | None, request_id: str | None, body: Any
    ) -> APIError:
        """An error inside a 200 answer, sent as if with HTTP `status` (not shown: there was none)."""
        return self.error(
            None, message, error_type, request_id, body=body, cls=error_class_for_status(status),
            retryable=retryable_status(status),
        )

    def format_error(
        self, what: str, response: httpx.Response | None = None, *, request_id: str | None = None
    ) -> ResponseFormatError:
        """A 2xx answer that breaks the API format (`response` None: a 200 already parsed)."""
        if response is not None:
            request_id = self.request_id(response.headers)
        return ResponseFormatError(
            self._text(what), status_code=response.status_code if response is not None else 200,
            request_id=request_id, provider=self.provider,
        )


def send(
    client: httpx.Client, request: httpx.Request, errors: ErrorMap, *, stream: bool = False
) -> httpx.Response:
    """Send `request`; a status >= 400 or no answer at all raises the mapped error."""
    try:
        response = client.send(request, stream=stream)
    except httpx.HTTPError as exc:
        raise errors.transport_error(exc, request.url) from None
    if response.status_code >= 400:
        try:
            response.read()
        except httpx.HTTPError as exc:
            raise errors.transport_error(exc, request.url) from None
        finally:
            response.close()
        raise errors.status_error(response)
    return response


def read_json(response: httpx.Response, errors: ErrorMap) -> Any:
    """The answer's JSON; an answer that is not JSON is a ResponseFormatError."""
    try:
        return response.json()
    except (ValueError, httpx.HTTPError):
        kind = response.headers.get("content-type", "unknown").split(";")[0]
        raise errors.format_error(
            f"the answer is not JSON (content-type {kind}); is the base URL right?", response
        ) from None


def request_json(
    errors: ErrorMap, method: str, url: str, *, headers: Mapping[str, str], seconds: float,
    json: Any = None, follow_redirects: bool = False,
) -> tuple[Any, httpx.Response]:
    """One request on a fresh connection (for the one-off calls); (JSON answer, response)."""
    with new_client(seconds, url, follow_redirects=follow_redirects) as client:
        request = client.build_request(method, url, headers=dict(headers), json=json)
        response = send(client, request, errors)
        return read_json(response, errors), response
