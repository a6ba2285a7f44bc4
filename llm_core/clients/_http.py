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

Hostile or broken servers are bounded here: an attempt has a deadline (LLM_TIMEOUT, the whole
attempt, a stream's keep-alives included; `deadline_chunks` checks it after every read, and
no read waits longer than the idle limit), a body is read up to LLM_MAX_RESPONSE_MB (an error
body is cut there, a 200 body over it is a ResponseFormatError), and JSON is parsed by orjson,
which rejects deep nesting cleanly (`parse_json`; a RecursionError is a format error too).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from llm_core.config import get_settings, redact
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
FORMAT_PROBLEMS = (KeyError, IndexError, TypeError, AttributeError, ValueError, RecursionError)
ERROR_TEXT_CHARS = 65536  # what an error keeps of a body that is not JSON
_ORJSON_MAX = 1 << 20


def http_timeout(seconds: float) -> httpx.Timeout:
    """`seconds` per read (and write, and pool wait); connecting gets CONNECT_TIMEOUT."""
    return httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))


def max_response_bytes() -> int:
    return int(get_settings().max_response_mb * 1024 * 1024)


def parse_json(raw: bytes | str) -> Any:
    """JSON, depth-safe: nesting deeper than 1024 is a ValueError (orjson) or a RecursionError
    (json), both format errors to the callers, never a crash.

    Above 1 MB the standard library parses: orjson's error for a broken document holds ~12
    times its size (a broken 16 MB answer would take 200 MB); json's holds the text itself."""
    if len(raw) <= _ORJSON_MAX:
        return orjson.loads(raw)
    return json.loads(raw)


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

    def status_error(self, response: httpx.Response, raw: bytes | None = None) -> APIError:
        """An HTTP status >= 400; `raw` its body as read (default: the response's content)."""
        raw = response.content if raw is None else raw
        body: Any = None
        try:
            body = parse_json(raw)
        except (ValueError, RecursionError):
            body = raw[:ERROR_TEXT_CHARS].decode(response.encoding or "utf-8", "replace")
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


def deadline_chunks(
    chunks: Iterator[bytes], deadline: float | None, errors: ErrorMap, url: httpx.URL
) -> Iterator[bytes]:
    """`chunks`, ending in APITimeoutError once `deadline` (time.monotonic()) has passed: a
    server trickling bytes or keep-alives cannot make an attempt outlast LLM_TIMEOUT."""
    for chunk in chunks:
        if deadline is not None and time.monotonic() > deadline:
            raise errors.transport_error(httpx.ReadTimeout("LLM_TIMEOUT passed while reading"), url)
        yield chunk


def read_body(
    response: httpx.Response, errors: ErrorMap, *, deadline: float | None = None,
    limit: int | None = None, cut: bool = False,
) -> bytes:
    """The body, read within the deadline and up to `limit` bytes (LLM_MAX_RESPONSE_MB):
    with `cut` (an error body) the rest is dropped, else a longer body is a format error."""
    limit = max_response_bytes() if limit is None else limit
    body = bytearray()
    try:
        # iter_bytes: decoded (gzip), so the limit also holds against a compressed bomb
        for chunk in deadline_chunks(response.iter_bytes(), deadline, errors, response.request.url):
            body += chunk
            if len(body) > limit:
                if cut:
                    del body[limit:]
                    break
                raise errors.format_error(
                    f"the answer is larger than LLM_MAX_RESPONSE_MB ({limit / 1048576:g} MB)", response
                )
    except httpx.HTTPError as exc:
        raise errors.transport_error(exc, response.request.url) from None
    finally:
        response.close()
    return bytes(body)


def send(
    client: httpx.Client, request: httpx.Request, errors: ErrorMap, *, stream: bool = False,
    deadline: float | None = None,
) -> tuple[httpx.Response, bytes | None]:
    """Send `request`: (response, its body read within bounds; None when `stream`).
    A status >= 400 or no answer at all raises the mapped error."""
    try:
        response = client.send(request, stream=True)
    except httpx.HTTPError as exc:
        raise errors.transport_error(exc, request.url) from None
    if response.status_code >= 400:
        raw = read_body(response, errors, deadline=deadline, cut=True)
        raise errors.status_error(response, raw)
    if stream:
        return response, None
    return response, read_body(response, errors, deadline=deadline)


def read_json(response: httpx.Response, errors: ErrorMap, raw: bytes) -> Any:
    """The answer's JSON; an answer that is not JSON (or nested too deep) is a ResponseFormatError."""
    try:
        return parse_json(raw)
    except (ValueError, RecursionError) as exc:
        if "depth" in str(exc) or isinstance(exc, RecursionError):
            raise errors.format_error("the answer is JSON nested too deeply to read", response) from None
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
        response, raw = send(client, request, errors, deadline=time.monotonic() + seconds)
        return read_json(response, errors, raw or b""), response


def is_local_address(url: str) -> bool:
    """Whether `url`'s host is this machine or a private network: localhost, *.local,
    127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16 (and IPv6 unique-local fc00::/7)."""
    host = (httpx.URL(url).host or "").lower().rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    import ipaddress  # here: only an unknown model on an OpenAI-compatible server asks (~1 ms)

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    private = ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
    return any(address in ipaddress.ip_network(net) for net in private if
               ipaddress.ip_network(net).version == address.version)
