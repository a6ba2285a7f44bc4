"""llm-chat's conversations (-c/--continue, --cid, --save-conversation); imported only then.

One ChatConversation per call: `prepare` puts the earlier turns before the new prompt (the
oldest dropped, with a warning, when they no longer fit the model's context window) and tags the
telemetry record with the conversation id; `record` appends the finished turn to the store.
"""

from __future__ import annotations

from typing import Any

from llm_core.errors import InputError, warn
from llm_core.storage.conversations import (
    Conversations,
    check_id,
    fit_context,
    history,
    message_text,
)
from llm_core.storage.local import get_storage

DEFAULT_OUTPUT_ROOM = 4096  # tokens kept free for the answer when --max-tokens is not given


class ChatConversation:
    def __init__(self, convs: Conversations, cid: str, turns: list[dict]) -> None:
        self.convs, self.cid, self.turns = convs, cid, turns
        self.user_message: dict[str, Any] | None = None
        self.system: Any = None

    @classmethod
    def open(cls, resume: bool, cid: str | None, new: bool) -> ChatConversation:
        convs = Conversations(get_storage())
        if cid is not None:
            check_id(cid)
            if not convs.exists(cid):
                if not new:
                    raise InputError(f"no conversation '{cid}' in {convs.storage.base_dir} "
                                     "(--save-conversation --cid ID starts one)")
                return cls(convs, cid, [])
            return cls(convs, cid, convs.turns(cid))
        if resume:
            latest = convs.latest()
            if latest is None:
                raise InputError(f"no conversation to continue in {convs.storage.base_dir} "
                                 "(--save-conversation starts one)")
            return cls(convs, latest, convs.turns(latest))
        return cls(convs, convs.new_id(), [])

    def last_model(self) -> tuple[str | None, str | None]:
        """(model, provider) of the last turn: a turn that names neither goes on with them.
        (None, None) when the turn names no model; provider None when it is not a name."""
        last = self.turns[-1] if self.turns else {}
        model, provider = last.get("model"), last.get("provider")
        if not isinstance(model, str) or not model.strip():
            return None, None
        return model, provider if isinstance(provider, str) else None

    def prepare(self, kwargs: dict[str, Any], client: Any) -> dict[str, Any]:
        """The chat() keyword arguments for this turn: the history, then the new user message."""
        new = list(kwargs.pop("messages", None) or [{"role": "user", "content": kwargs.pop("prompt")}])
        kwargs.pop("prompt", None)
        if kwargs.get("system") is None and self.turns:
            kwargs["system"] = self.turns[-1].get("system")
        self.system, self.user_message = kwargs.get("system"), new[-1]
        turns = self.turns
        window = (client.model_info or {}).get("context_window")
        if window and turns:
            count = client.estimate_tokens
            media = _media_counter(client, history(turns) + new)
            room = (kwargs.get("max_tokens") or min(DEFAULT_OUTPUT_ROOM, window // 4))
            budget = (window - room - count(str(self.system or "")) - count(message_text(new[-1]))
                      - (media([new[-1]]) if media else 0))
            turns, dropped = fit_context(turns, max(budget, 0), count, media)
            if dropped:
                warn(f"conversation {self.cid}: the {dropped} oldest turn(s) no longer fit "
                     f"{client.model_name}'s {window:,}-token context window and were left out")
        kwargs["messages"] = history(turns) + new
        kwargs["metadata"] = {"conversation_id": self.cid}
        return kwargs

    def record(self, response: Any) -> None:
        """Append the finished turn (the user message and the answer) to the conversation."""
        if response is None:
            return
        self.convs.append(self.cid, {
            "model": response.model, "provider": response.provider, "system": self.system,
            "messages": [self.user_message, {"role": "assistant", "content": response.text}],
            "tokens": response.tokens, "cost_usd": response.cost_usd,
        }, earlier=self.turns)


def _media_counter(client: Any, messages: list[dict[str, Any]]) -> Any:
    """The estimate of the images and PDFs in a list of messages for the client's model (the
    provider's documented formulas), or None when the conversation has none."""
    if not any(isinstance(m.get("content"), list) for m in messages):
        return None
    # Imported here: only conversations with attachments need it.
    from llm_core.utils.image_tokens import messages_tokens, model_key

    model = model_key(client.provider, (client.model_info or {}).get("api_id") or client.model_name)
    return lambda msgs: messages_tokens(msgs, model)[0]
