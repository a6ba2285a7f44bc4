"""HTTPClient: the client of every provider reached over HTTP (Anthropic, OpenAI, OpenRouter).

It fills in the life cycle of `base.BaseLLMClient` (`_complete`, `_open_stream`) with one
POST through `_http` and leaves the provider's wire format to its subclass: `_url`, `_headers`,
`_body`, `_parse` (a JSON answer), `_events` (a stream's events), `_error_details`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from llm_core.clients._http import (
    FORMAT_PROBLEMS,
    ErrorMap,
    deadline_chunks,
    error_details,
    http_timeout,
    new_client,
    read_body,
    read_json,
    send,
)
from llm_core.clients.base import BaseLLMClient, Call, Result, noop, whole_text
from llm_core.config import get_settings
from llm_core.errors import APIError


class HTTPClient(BaseLLMClient):
    """A provider reached over HTTP with httpx; the transport is injectable."""

    default_base_url = ""
    api_key_env = ""
    display_name = ""
    request_id_headers: tuple[str, ...] = ("request-id", "x-request-id")

    def __init__(
        self,
        model: str | None = None,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        transport: Any = None,
        **kwargs: Any,
    ) -> None:
        settings = get_settings()
        self._api_key = api_key if api_key is not None else self._settings_key(settings, base_url)
        self.base_url = (base_url or self._settings_base_url(settings) or self.default_base_url).rstrip("/")
        self._transport = transport
        self._http: httpx.Client | None = None
        self._errors = ErrorMap(
            self.display_name, self.provider, self._error_details, self.request_id_headers
        )
        super().__init__(model, **kwargs)

    def _settings_key(self, settings: Any, base_url: str | None) -> str | None:
        if base_url:  # the caller chose the destination, not a .env
            return getattr(settings, f"{self.provider}_api_key")
        return settings.api_key(self.provider)  # refuses a project .env's URL with your key

    def _settings_base_url(self, settings: Any) -> str | None:
        return getattr(settings, f"{self.provider}_base_url")

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = new_client(self.timeout, self.base_url, self._transport)
        return self._http

    # provider hooks
    def _url(self, call: Call) -> str:
        raise NotImplementedError

    def _headers(self, call: Call) -> dict[str, str]:
        raise NotImplementedError

    def _body(self, call: Call) -> dict[str, Any]:
        raise NotImplementedError

    def _parse(self, call: Call, data: Any, result: Result) -> None:
        raise NotImplementedError

    def _events(self, call: Call, lines: Iterator[str], result: Result) -> Iterator[str]:
        raise NotImplementedError

    # (message, error type) from an error body; a static function, so that the ErrorMap holding
    # it keeps no reference to the client.
    _error_details = staticmethod(error_details)

    # the request
    def _send(self, call: Call) -> tuple[httpx.Response, bytes | None, float]:
        """(response, its body unless streamed, the attempt's deadline in time.monotonic())."""
        deadline = time.monotonic() + (call.timeout or self.timeout)
        idle = get_settings().stream_idle_timeout or call.timeout or self.timeout
        client = self._client()
        request = client.build_request(
            "POST", self._url(call), headers=self._headers(call), json=self._body(call),
            timeout=http_timeout(min(idle, call.timeout or self.timeout)),
        )
        response, body = send(client, request, self._errors, stream=call.stream, deadline=deadline)
        return response, body, deadline

    def _complete(self, call: Call) -> Result:
        response, body, _ = self._send(call)
        return self._read_result(call, response, body or b"")

    def _read_result(self, call: Call, response: httpx.Response, body: bytes) -> Result:
        result = Result(request_id=self._errors.request_id(response.headers))
        data = read_json(response, self._errors, body)
        if not isinstance(data, dict):
            raise self._errors.format_error("the answer is not a JSON object", response)
        try:
            self._parse(call, data, result)
        except APIError:
            raise
        except FORMAT_PROBLEMS as exc:
            raise self._errors.format_error(
                f"unexpected answer format ({type(exc).__name__}: {exc})", response
            ) from None
        result.done = True
        return result

    def _open_stream(self, call: Call) -> tuple[Result, Iterator[str], Callable[[], None]]:
        response, _, deadline = self._send(call)
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind != "text/event-stream":
            body = read_body(response, self._errors, deadline=deadline)
            if kind == "application/json":
                # Some compatible servers and proxies ignore "stream": one whole answer.
                result = self._read_result(call, response, body)
                return result, whole_text(result), noop
            raise self._errors.format_error(
                f"expected an event stream, got content-type {kind or 'none'}; is the base URL right?",
                response,
            )
        result = Result(request_id=self._errors.request_id(response.headers))
        return result, self._guarded_events(call, response, result, deadline), response.close

    def _guarded_events(
        self, call: Call, response: httpx.Response, result: Result, deadline: float
    ) -> Iterator[str]:
        chunks = deadline_chunks(response.iter_bytes(), deadline, self._errors, response.request.url)
        try:
            for chunk in self._events(call, chunks, result):
                if chunk:
                    if result.first_token_at is None:
                        result.first_token_at = time.perf_counter()
                    result.text += chunk
                    yield chunk
        except httpx.HTTPError as exc:
            raise self._errors.transport_error(exc, response.request.url) from None
        except APIError:
            raise
        except FORMAT_PROBLEMS as exc:
            raise self._errors.format_error(
                f"unexpected stream format ({type(exc).__name__}: {exc})", response
            ) from None
