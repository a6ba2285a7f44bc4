"""-a/--attach FILE of llm-tokens and llm-cost, as llm-chat -a takes it; imported only with -a.

The files are read and checked by llm_core.attachments, as llm-chat does before sending (the
type from the first bytes, the model's `vision`/`pdf` capability, the provider's size limits:
InputError, exit 3), and their tokens estimated by llm_core.utils.image_tokens.
"""

from __future__ import annotations

import sys
from typing import Any

from llm_core import attachments
from llm_core.errors import InputError
from llm_core.utils.image_tokens import attachment_tokens, model_key

__all__ = ["exact_for", "load", "takes", "tokens_for"]


def load(paths: tuple[str, ...] | list[str]) -> list[attachments.Attachment]:
    """The attachments, read once (`-`: stdin's bytes); InputError for one that is not an image or PDF."""
    return [attachments.load(p, sys.stdin.buffer) for p in paths]


def takes(files: list[attachments.Attachment], entry: dict[str, Any]) -> bool:
    """Whether the model of registry `entry` takes these files (capability and sizes)."""
    try:
        attachments.check(files, entry["provider"], entry["id"], entry)
    except InputError:
        return False
    return True


def tokens_for(files: list[attachments.Attachment], paths, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One estimate per file for the model of registry `entry`, after llm-chat's checks."""
    attachments.check(files, entry["provider"], entry["id"], entry)
    model = model_key(entry["provider"], entry.get("api_id") or entry["id"])
    return [{"file": path, "media_type": f.media_type, **attachment_tokens(f.data, f.media_type, model, path)}
            for path, f in zip(paths, files, strict=True)]


def exact_for(files: list[attachments.Attachment], counted: list[dict[str, Any]], model: str) -> None:
    """Replace the estimates of `counted` with Anthropic's own counts (llm-tokens --exact): one
    count_tokens request per file, so each count includes a few tokens of message framing."""
    # Imported here: only --exact -a pays for the HTTP path.
    from llm_core.utils.tokens import count_tokens_anthropic

    for f, entry in zip(files, counted, strict=True):
        n = count_tokens_anthropic("", model, [attachments.block("anthropic", f)]).count
        entry.update(tokens=n, ceiling=n, exact=True, method="anthropic/count_tokens")
