"""What every client shares: the request life cycle (prepare, retry, finish) and telemetry.

The HTTP side lives apart: `http_client.HTTPClient` (the providers' common client) on top of
`_http` (the httpx client, error mapping, request ids).

    client = get_client()
    response = client.chat("Summarise this", system="Be brief", max_tokens=200)
    response.text, response.tokens["input"], response.cost_usd

    stream = client.stream("Tell me a story")
    for chunk in stream:
        print(chunk, end="", flush=True)
    stream.response                             # the final LLMResponse, once the stream ended

Keyword arguments of chat() and stream(): messages=[{"role", "content"}, ...] (multi-turn;
a prompt is appended as the last user message), model, max_tokens, temperature, stop (a
string or a list), timeout (seconds), metadata (a dict added to the telemetry record's
metadata), max_cost (USD: refuse the call, BudgetExceeded, when its worst case is above), cache (True or a PromptCache), agent_name, operation, session_id, user_id; any
other keyword goes into the request body as is (e.g. thinking=..., top_p=...). A stream sends
its request on the first iteration.

Every call, success or failure, records one telemetry record; a telemetry problem never
breaks or slows the call. Under a budget (LLM_BUDGET_*_USD, llm_core/budgets.py) or max_cost,
a call whose worst case would pass it is not sent: BudgetExceeded, recorded with status
"blocked" and cost 0. Without either, a call does no budget work at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from llm_core import telemetry
from llm_core.clients.response import (
    Call,
    ChatStream,
    LLMResponse,
    Result,
    complete_tokens,
    empty_tokens,
    noop,
    prompt_text,
)
from llm_core.config import get_settings, redact
from llm_core.errors import (
    BudgetExceeded,
    Cancelled,
    InputError,
    ResponseFormatError,
    UnknownModelError,
    warn,
)
from llm_core.storage.local import get_storage
from llm_core.utils.retry import retry_policy, retry_with_backoff


class BaseLLMClient:
    """The provider-independent part. Subclasses implement `_complete` and `_open_stream`."""

    provider = "base"

    def __init__(
        self,
        model: str | None = None,
        *,
        max_retries: int | None = None,
        timeout: float | None = None,
        cache: Any = None,
        sleep: Callable[[float], Any] = time.sleep,
        agent_name: str | None = None,
        operation: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
    ) -> None:
        settings = get_settings()
        self.model, self.model_name, self.model_info = self._resolve_model(model or self.default_model)
        self.max_retries = settings.max_retries if max_retries is None else max_retries
        self.timeout = settings.timeout if timeout is None else timeout
        self.cache = cache
        self._sleep = sleep
        self._labels = {
            "agent_name": agent_name, "operation": operation,
            "session_id": session_id, "user_id": user_id,
        }

    @property
    def default_model(self) -> str:
        """The provider's current cheap default, named in the registry's data file."""
        # The registry is imported where used: the echo client never loads it (~10 ms).
        from llm_core.models import registry

        return registry.default_model(self.provider)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model_name!r})"

    def close(self) -> None:
        """Release connections (a client is also a context manager)."""

    def __enter__(self) -> BaseLLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ public API

    def chat(
        self, prompt: str | None = None, system: Any = None, **kwargs: Any
    ) -> LLMResponse:
        """Send one request and wait for the whole answer."""
        call = self._prepare(prompt, system, stream=False, **kwargs)
        self._guard(call)
        start = time.perf_counter()
        retries = [0]
        try:
            result = self._retrying(retries, lambda: self._complete(call))
        except BaseException as exc:
            self._record_failure(call, exc, start, retries[0], None)
            raise
        return self._finish(call, result, start, retries[0])

    def stream(self, prompt: str | None = None, system: Any = None, **kwargs: Any) -> ChatStream:
        """Send one request and iterate over the answer's text as it arrives."""
        call = self._prepare(prompt, system, stream=True, **kwargs)
        holder = ChatStream(iter(()))
        holder._chunks = self._stream_chunks(call, holder)
        return holder

    def estimate_tokens(self, text: str) -> int:
        # Imported here: the tokenizer tables cost ~10 ms and few calls need an estimate.
        from llm_core.utils.tokens import estimate_tokens

        return estimate_tokens(text, self.model_name)

    def calculate_cost(
        self, tokens: dict[str, Any], model: str | None = None, *,
        service_tier: str | None = None, inference_geo: str | None = None,
    ) -> float | None:
        """USD for `tokens` on this client's model (or `model`); None when the price is unknown.
        `service_tier` and `inference_geo` (as the response reports them) choose the prices."""
        # Imported here for start-up: the echo client prices nothing (~3 ms).
        from llm_core.models import pricing

        try:
            return pricing.calculate_cost(
                complete_tokens(tokens), model or self.model_name,
                service_tier=service_tier, inference_geo=inference_geo,
            )
        except Exception:  # an unknown price never fails a call that succeeded
            return None

    # ------------------------------------------------------------ provider hooks

    def _complete(self, call: Call) -> Result:
        raise NotImplementedError

    def _open_stream(self, call: Call) -> tuple[Result, Iterator[str], Callable[[], None]]:
        """Start a stream: its Result (filled as it goes), the text chunks, a close function."""
        raise NotImplementedError

    # ------------------------------------------------------------ life cycle

    def _resolve_model(self, name: str) -> tuple[str, str, dict[str, Any] | None]:
        """(id sent to the API, registry id, registry entry or None)."""
        # Imported here for start-up: the echo client overrides this and never loads it (~10 ms).
        from llm_core.models import registry

        try:
            info = registry.get_model(name)
        except UnknownModelError as exc:
            if self._free_local_model():
                return name, name, None  # a local server's own model: free, nothing to warn about
            hint = f" (did you mean {', '.join(exc.suggestions)}?)" if exc.suggestions else ""
            warn(redact(
                f"model '{name}' is not in the registry{hint}; "
                f"sending it to {self.provider} as is (cost unknown)"
            ))
            return name, name, None
        return self._api_model_id(info), info.get("id", name), info

    def _free_local_model(self) -> bool:
        """Whether a model the registry does not know costs nothing here: a self-hosted server
        (OpenAIClient on a loopback or private address, unless LLM_LOCAL_MODELS_FREE=0)."""
        return False

    def _local_price(self, model_name: str) -> dict[str, Any]:
        """{"cost_usd": 0.0, "price_source": "local"} for an unknown model on a free local
        server, else {}."""
        if not self._free_local_model():
            return {}
        from llm_core.models.registry import find_model  # loaded already by _resolve_model

        return {} if find_model(model_name) else {"cost_usd": 0.0, "price_source": "local"}

    def _api_model_id(self, info: dict[str, Any]) -> str:
        return info.get("api_id") or info["id"]

    def _prepare(
        self,
        prompt: str | None,
        system: Any,
        *,
        stream: bool,
        messages: list[dict[str, Any]] | None = None,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: str | list[str] | None = None,
        timeout: float | None = None,
        metadata: dict[str, Any] | None = None,
        cache: Any = None,
        agent_name: str | None = None,
        operation: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        max_cost: float | None = None,
        **extra: Any,
    ) -> Call:
        msgs = [dict(m) for m in messages or ()]
        if prompt is not None:
            msgs.append({"role": "user", "content": prompt})
        if not msgs:
            raise InputError("nothing to send: give a prompt or messages=[...]")
        if max_tokens is not None and max_tokens < 1:
            raise InputError(f"max_tokens must be at least 1, got {max_tokens}")
        if max_cost is not None and not 0 <= max_cost < float("inf"):
            raise InputError(f"max_cost must be a number of USD >= 0, got {max_cost}")
        api_model, model_name = self.model, self.model_name
        if model is not None and model != self.model_name:
            api_model, model_name, _ = self._resolve_model(model)
        labels = self._resolve_labels(agent_name, operation, session_id, user_id)
        return Call(
            model=api_model, model_name=model_name, system=system, messages=msgs, stream=stream,
            max_tokens=max_tokens, temperature=temperature,
            stop=[stop] if isinstance(stop, str) else (list(stop) if stop else None),
            timeout=timeout if timeout is not None else self.timeout, metadata=metadata,
            labels=labels, cache=cache if cache is not None else self.cache, extra=extra,
            prompt_text=prompt_text(system, msgs), max_cost=max_cost,
        )

    def _resolve_labels(self, *given: str | None) -> dict[str, Any]:
        # None falls back, in the telemetry builder, to LLM_* settings and process defaults.
        names = ("agent_name", "operation", "session_id", "user_id")
        return {name: value or self._labels[name] for name, value in zip(names, given, strict=True)}

    def _retrying(self, counter: list[int], func: Callable[[], Any]) -> Any:
        def count(n: int, exc: BaseException, delay: float) -> None:
            counter[0] = n

        return retry_with_backoff(
            func, max_retries=self.max_retries, policy=retry_policy(self.provider),
            sleep=self._sleep, on_retry=count,
        )()

    def _stream_chunks(self, call: Call, holder: ChatStream) -> Iterator[str]:
        start = time.perf_counter()
        retries = [0]
        result: Result | None = None
        close: Callable[[], None] = noop

        attempt: list[Result | None] = [None]  # the last attempt's, kept if it fails early

        def open_until_first_chunk() -> tuple[Result, Iterator[str], Callable[[], None], str | None]:
            res, chunks, closer = self._open_stream(call)
            attempt[0] = res
            try:
                first = next(chunks, None)
            except BaseException:
                closer()
                raise
            return res, chunks, closer, first

        self._guard(call)
        try:
            result, chunks, close, first = self._retrying(retries, open_until_first_chunk)
            if first is not None:
                yield first
            yield from chunks
            if not result.done:
                raise ResponseFormatError(
                    f"{getattr(self, 'display_name', self.provider)}: the stream was cut off "
                    "before its end-of-message event",
                    provider=self.provider,
                )
        except GeneratorExit:
            reason = KeyboardInterrupt() if holder.interrupted else _StreamClosed()
            self._record_failure(call, reason, start, retries[0], result)
            raise
        except BaseException as exc:
            # An error before the first text: the input tokens the stream reported are billed.
            self._record_failure(call, exc, start, retries[0], result or attempt[0])
            raise
        finally:
            close()
        holder.response = self._finish(call, result, start, retries[0])

    # ------------------------------------------------------------ budgets

    def _guard(self, call: Call) -> None:
        """Refuse (and record) a call over max_cost or a budget; else reserve its worst case."""
        settings = get_settings()
        if call.max_cost is None and not settings.budgets_set:
            return
        # Imported here: only calls under a budget or a max_cost load it.
        from llm_core import budgets

        ttl = int((self.timeout * (self.max_retries + 1) + 60) * 1000)
        scope = None
        if settings.budget_file is not None:  # budgets.toml's budgets may be scoped to these labels
            scope = telemetry.record_scope(call.model_name, call.labels.get("agent_name"), call.metadata)
        try:
            call.reservation = budgets.guard(self._worst_cost(call), call.max_cost, settings, ttl, scope)
        except BudgetExceeded as exc:
            self._record(call, success=False, tokens=empty_tokens(), cost_usd=0.0, duration_ms=0,
                         error=redact(f"BudgetExceeded: {exc}"), status="blocked")
            raise

    def _worst_cost(self, call: Call) -> float | None:
        """USD for the input's ceiling (count, framing, a margin on estimates) plus the whole
        output ceiling; None when unpriced."""
        from llm_core.utils.tokens import input_ceiling

        messages = len(call.messages) + (1 if call.system else 0)
        tokens = {"input": input_ceiling(call.prompt_text, self.model_name, messages) + self._media_tokens(call)[1],
                  "output": self._output_ceiling(call)}
        return self.calculate_cost(tokens, call.model_name)

    def _media_tokens(self, call: Call) -> tuple[int, int]:
        """(estimate, ceiling) of the images and PDFs in the request, as the provider documents
        them (prompt_text holds only the text)."""
        if not any(isinstance(m.get("content"), list) for m in call.messages):
            return 0, 0
        # Imported here: only requests with content blocks (attachments) need it.
        from llm_core.utils.image_tokens import messages_tokens, model_key

        api_id = (self.model_info or {}).get("api_id") or call.model_name
        return messages_tokens(call.messages, model_key(self.provider, api_id))

    def _output_ceiling(self, call: Call) -> int:
        """The most output tokens the call may bill: max_tokens, else the model's limit."""
        return call.max_tokens or int((self.model_info or {}).get("max_output") or 4096)

    def _settle(self, call: Call) -> None:
        """Free the call's reservation once its record (its actual cost) is in the store."""
        if call.reservation is None:
            return
        from llm_core import budgets  # loaded already by _guard

        budgets.settle_call(get_storage(), call.reservation)
        call.reservation = None

    def _finish(self, call: Call, result: Result, start: float, retries: int) -> LLMResponse:
        duration = _ms_since(start)
        tokens = complete_tokens(result.usage)
        cost = self.calculate_cost(
            tokens, call.model_name, service_tier=result.service_tier, inference_geo=result.inference_geo
        )
        if cost is None:
            cost = result.provider_cost_usd
        local = self._local_price(call.model_name) if cost is None else {}
        cost = local.get("cost_usd", cost)
        ttft = None
        if call.stream and result.first_token_at is not None:
            ttft = round((result.first_token_at - start) * 1000)
        response = LLMResponse(
            text=result.text, model=call.model_name, provider=self.provider, tokens=tokens,
            cost_usd=cost, duration_ms=duration, time_to_first_token_ms=ttft,
            stop_reason=result.stop_reason, request_id=result.request_id, retries=retries,
            provider_cost_usd=result.provider_cost_usd, refusal=result.refusal,
            tool_calls=result.tool_calls, service_tier=result.service_tier,
            inference_geo=result.inference_geo,
        )
        self._record(
            call, success=True, tokens=tokens, cost_usd=cost, duration_ms=duration,
            response=result.text, retries=retries, request_id=result.request_id,
            time_to_first_token_ms=ttft, stop_reason=result.stop_reason,
            provider_cost_usd=result.provider_cost_usd, price_source=local.get("price_source"),
            service_tier=result.service_tier, inference_geo=result.inference_geo,
        )
        self._settle(call)
        return response

    def _record_failure(
        self, call: Call, exc: BaseException, start: float, retries: int, result: Result | None
    ) -> None:
        tokens = complete_tokens(result.usage if result else None)
        partial = result.text if result else None
        cancelled = isinstance(exc, (KeyboardInterrupt, _StreamClosed))
        estimated = None
        if isinstance(exc, Cancelled):
            error = f"cancelled by {exc.name}"
        elif isinstance(exc, KeyboardInterrupt):
            error = "interrupted"
        elif isinstance(exc, _StreamClosed):
            error = str(exc)
        else:
            error = f"{type(exc).__name__}: {exc}"
        if cancelled:
            tokens, estimated = self._tokens_so_far(call, tokens, partial)
        ttft = None
        if result is not None and result.first_token_at is not None:
            ttft = round((result.first_token_at - start) * 1000)
        request_id = getattr(exc, "request_id", None) or (result.request_id if result else None)
        cost = self._failure_cost(call, tokens, result)
        local = self._local_price(call.model_name) if cost is None else {}
        self._record(
            call, success=False, tokens=tokens, cost_usd=local.get("cost_usd", cost),
            price_source=local.get("price_source"),
            duration_ms=_ms_since(start), response=partial or None, error=redact(error),
            retries=retries, request_id=request_id, time_to_first_token_ms=ttft,
            stop_reason=result.stop_reason if result else None,
            provider_cost_usd=result.provider_cost_usd if result else None,
            service_tier=result.service_tier if result else None,
            inference_geo=result.inference_geo if result else None,
            status="cancelled" if cancelled else None, tokens_estimated=estimated,
        )
        self._settle(call)

    def _failure_cost(self, call: Call, tokens: dict[str, int], result: Result | None) -> float | None:
        if not any(tokens.values()):
            return None
        return self.calculate_cost(
            tokens, call.model_name, service_tier=result.service_tier if result else None,
            inference_geo=result.inference_geo if result else None,
        )

    def _tokens_so_far(
        self, call: Call, tokens: dict[str, int], text: str | None
    ) -> tuple[dict[str, int], bool | None]:
        """A cancelled call's tokens: the input the provider reported (Anthropic says it at
        the start), else an estimate from the prompt (OpenAI says nothing until the end); the
        output estimated from the text so far (a running count is only final at the end).
        (tokens, True when any is an estimate)."""
        estimated = False
        try:
            if not tokens["input"] + tokens["cache_read"] + tokens["cache_write"]:
                tokens["input"] = self.estimate_tokens(call.prompt_text) + self._media_tokens(call)[0]
                estimated = True
            if text:
                tokens["output"] = max(tokens["output"], self.estimate_tokens(text))
                estimated = True
        except Exception:  # no estimate is better than no record
            pass
        return complete_tokens(tokens), estimated or None

    def _record(self, call: Call, **fields: Any) -> None:
        """Store one telemetry record; never raises."""
        try:
            extra = {k: v for k, v in fields.items() if v is not None}
            telemetry.record_call(
                provider=self.provider, model=call.model_name, prompt=call.prompt_text,
                metadata=call.metadata, stream=call.stream, **call.labels, **extra,
            )
        except Exception:
            pass


class _StreamClosed(Exception):
    def __str__(self) -> str:
        return "stream closed by the caller before the end"


def _ms_since(start: float) -> int:
    return round((time.perf_counter() - start) * 1000)
