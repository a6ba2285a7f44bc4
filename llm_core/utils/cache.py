"""Anthropic prompt caching: mark the stable prefix of a request with `cache_control`.

    cache = PromptCache(ttl="1h")
    messages = cache.get_cached_messages(messages, model="claude-sonnet-4-5")
    system, messages = cache.apply(system, messages, model="claude-sonnet-4-5")
    get_client(cache=True)          # or llm-chat --cache

Anthropic caches the whole prefix up to a marked block (tools, then system, then messages).
A marker only helps when that prefix reaches the model's minimum cacheable length (shorter
prefixes are simply not cached), and a request may carry at most 4 markers. Marked here: the
end of the system prompt, the end of the conversation history before the last message, and a
long leading part of the last message when it has several blocks (a document, then a
question), each only when its prefix is long enough. Writes cost 1.25x (1 h: 2x) the input
price, reads 0.1x: worth it for prefixes sent again within the TTL.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from llm_core.errors import InputError
from llm_core.utils.tokens import estimate_tokens

MAX_BREAKPOINTS = 4
DEFAULT_MIN_TOKENS = 1024
# Minimum cacheable prompt length per model family (Anthropic's prompt caching docs, 2026).
_MINIMUMS = (
    (re.compile(r"haiku-4|opus-4-[56]|opus-4\.[56]"), 4096),
    (re.compile(r"haiku-3|3-haiku|3-5-haiku|sonnet-4-6|sonnet-4\.6"), 2048),
)


def min_cacheable_tokens(model: str | None) -> int:
    for pattern, minimum in _MINIMUMS:
        if model and pattern.search(model):
            return minimum
    return DEFAULT_MIN_TOKENS


def _count(text: str, model: str | None) -> int:
    try:
        return estimate_tokens(text, model)
    except Exception:
        return len(text) // 4


def _blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, list):
        return [dict(b) if isinstance(b, dict) else {"type": "text", "text": str(b)} for b in content]
    return [{"type": "text", "text": "" if content is None else str(content)}]


def _block_text(block: dict[str, Any]) -> str:
    return block.get("text") or ""


class PromptCache:
    """Adds Anthropic `cache_control` markers to eligible blocks. `ttl` None (5 min) or "1h";
    `min_tokens` overrides the model's minimum."""

    def __init__(self, ttl: str | None = None, min_tokens: int | None = None,
                 max_breakpoints: int = MAX_BREAKPOINTS) -> None:
        if ttl not in (None, "5m", "1h"):
            raise InputError(f"cache ttl must be '5m' or '1h', got {ttl!r}")
        self.ttl = ttl
        self.min_tokens = min_tokens
        self.max_breakpoints = min(max_breakpoints, MAX_BREAKPOINTS)

    def marker(self) -> dict[str, str]:
        return {"type": "ephemeral", "ttl": self.ttl} if self.ttl else {"type": "ephemeral"}

    def get_cached_messages(self, messages: list[dict[str, Any]], model: str | None = None) -> list[dict[str, Any]]:
        """`messages` (not changed) with markers added; a leading system message counts as the
        system prompt."""
        system = None
        rest = list(messages)
        if rest and rest[0].get("role") == "system":
            system, rest = rest[0].get("content"), rest[1:]
        new_system, new_rest = self.apply(system, rest, model=model)
        if system is None:
            return new_rest
        return [{**messages[0], "content": new_system}, *new_rest]

    def apply(self, system: Any, messages: list[dict[str, Any]], model: str | None = None) -> tuple[Any, list[dict[str, Any]]]:
        """(system, messages) with markers added; the inputs are not changed."""
        minimum = self.min_tokens if self.min_tokens is not None else min_cacheable_tokens(model)
        messages = copy.deepcopy(messages)
        system_blocks = _blocks(system) if system else None
        existing = sum(1 for b in system_blocks or () if "cache_control" in b)
        # (cumulative tokens at the end of the block, the block) for every block, in order
        spots: list[tuple[int, dict[str, Any], str]] = []
        total = 0
        for block in system_blocks or ():
            total += _count(_block_text(block), model)
            spots.append((total, block, "system"))
        last = len(messages) - 1
        for i, message in enumerate(messages):
            blocks = _blocks(message.get("content"))
            message["content"] = blocks
            existing += sum(1 for b in blocks if "cache_control" in b)
            for j, block in enumerate(blocks):
                total += _count(_block_text(block), model)
                if i < last:
                    kind = "history" if j == len(blocks) - 1 else ""
                else:
                    kind = "lead" if j < len(blocks) - 1 else ""
                spots.append((total, block, kind))
        chosen: list[dict[str, Any]] = []
        for kind in ("system", "history", "lead"):
            candidates = [(n, b) for n, b, k in spots if k == kind and n >= minimum]
            if candidates:
                chosen.append(candidates[-1][1])
        for block in chosen[: max(0, self.max_breakpoints - existing)]:
            block["cache_control"] = self.marker()
        if system_blocks is not None and not any("cache_control" in b for b in system_blocks) \
                and isinstance(system, str):
            system_out: Any = system
        else:
            system_out = system_blocks
        for message in messages:
            blocks = message["content"]
            if len(blocks) == 1 and blocks[0].get("type") == "text" and set(blocks[0]) == {"type", "text"}:
                message["content"] = blocks[0]["text"]
        return system_out, messages
