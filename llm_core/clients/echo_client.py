"""The offline `echo` model: answers with its input, counts tokens, costs nothing.

For trying pipelines, hooks and the quick start without a key or a network:

    echo "hi" | llm-chat -m echo
    EchoClient().chat("hi").text                # 'hi'
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from llm_core.clients.base import BaseLLMClient
from llm_core.clients.response import Call, Result, content_text, noop
from llm_core.utils.tokens import estimate_tokens, truncate_to_tokens


class EchoClient(BaseLLMClient):
    provider = "echo"

    def __init__(self, model: str | None = None, **kwargs: Any) -> None:
        for ignored in ("api_key", "base_url", "transport"):
            kwargs.pop(ignored, None)
        super().__init__(model or "echo", **kwargs)

    def _resolve_model(self, name: str) -> tuple[str, str, dict[str, Any] | None]:
        return name, name, None

    def calculate_cost(self, tokens: dict[str, Any], model: str | None = None, **served: Any) -> float | None:
        return 0.0

    def estimate_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _answer(self, call: Call, result: Result) -> str:
        last_user = next(
            (m for m in reversed(call.messages) if m.get("role") == "user"), call.messages[-1]
        )
        text = content_text(last_user.get("content"))
        result.stop_reason = "end_turn"
        if call.stop:
            cut = min((i for s in call.stop if (i := text.find(s)) >= 0), default=-1)
            if cut >= 0:
                text, result.stop_reason = text[:cut], "stop_sequence"
        if call.max_tokens and self.estimate_tokens(text) > call.max_tokens:
            text, result.stop_reason = truncate_to_tokens(text, call.max_tokens), "max_tokens"
        result.model = self.model_name
        result.usage = {"input": self.estimate_tokens(call.prompt_text), "output": 0}
        return text

    def _complete(self, call: Call) -> Result:
        result = Result()
        result.text = self._answer(call, result)
        result.usage["output"] = self.estimate_tokens(result.text)
        result.done = True
        return result

    def _open_stream(self, call: Call) -> tuple[Result, Iterator[str], Callable[[], None]]:
        result = Result()
        text = self._answer(call, result)

        def chunks() -> Iterator[str]:
            for piece in re.findall(r"\s*\S+\s*|\s+", text):
                if result.first_token_at is None:
                    result.first_token_at = time.perf_counter()
                result.text += piece
                yield piece
            result.usage["output"] = self.estimate_tokens(result.text)
            result.done = True

        return result, chunks(), noop
