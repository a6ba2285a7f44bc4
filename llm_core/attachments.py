"""Attachments for llm-chat -a: images (PNG, JPEG, GIF, WebP) and PDFs as request content blocks.

    files = [load("chart.png"), load("-", stdin=sys.stdin.buffer)]
    check(files, client)                    # capability and size, before anything is sent
    kwargs["messages"] = [user_message(client.provider, files, "What does it show?")]

The type comes from the file's first bytes (never its name). A model gets images only when its
registry entry has the `vision` capability and PDFs only with `pdf` (else InputError, exit 3).
Sizes are checked against the providers' documented limits (LIMITS) before sending. The blocks
follow the providers' docs: Anthropic `image` / `document` blocks with a base64 `source`
(attachments before the text, as Anthropic recommends); OpenAI and OpenRouter `image_url` with
a data: URL and `file` with `file_data` (after the text).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from llm_core.errors import InputError

MB = 1024 * 1024
# Per provider: the largest image, the most images per request, and the total size of the
# PDFs per request (Anthropic: "Maximum image size 5MB" for the API, up to 100 images per
# request, 32 MB per request with PDFs; OpenAI: 50 MB of image payload per request, up to
# 500 images, 32 MB of file content per request).
LIMITS: dict[str, dict[str, int]] = {
    "anthropic": {"image_bytes": 5 * MB, "images": 100, "images_total": 32 * MB, "pdf_total": 32 * MB},
    "openai": {"image_bytes": 50 * MB, "images": 500, "images_total": 50 * MB, "pdf_total": 32 * MB},
}
LIMITS["openrouter"] = LIMITS["openai"]
# The most any provider takes of one file: reading stops there, so `-a /dev/zero` or a video is
# refused after 50 MB instead of being read whole into memory.
MAX_FILE_BYTES = max(max(v["images_total"], v["pdf_total"]) for v in LIMITS.values())
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


@dataclass
class Attachment:
    name: str
    data: bytes
    media_type: str

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


def media_type(data: bytes) -> str | None:
    """image/png, image/jpeg, image/gif, image/webp or application/pdf from the magic bytes."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def load(path: str, stdin: BinaryIO | None = None) -> Attachment:
    """Read one attachment (`-`: stdin's bytes); InputError for anything not an image or PDF."""
    name = "stdin" if path == "-" else Path(path).name
    try:
        if path == "-" and stdin is not None:
            data = stdin.read(MAX_FILE_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read attachment {path}: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"attachment {path} is over {_mb(MAX_FILE_BYTES)}, more than any provider takes")
    kind = media_type(data)
    if kind is None:
        raise InputError(f"attachment {path} is not a PNG, JPEG, GIF or WebP image or a PDF")
    return Attachment(name if path != "-" else f"stdin.{kind.rsplit('/', 1)[1]}", data, kind)


def check(files: list[Attachment], provider: str, model_name: str, model_info: dict | None) -> None:
    """InputError (exit 3) when the model cannot take these files or they are too big."""
    capabilities = set((model_info or {}).get("capabilities") or ())
    for f in files:
        needed = "pdf" if f.is_pdf else "vision"
        if needed not in capabilities:
            what = "PDFs" if f.is_pdf else "images"
            raise InputError(f"{model_name} does not take {what} (its registry entry has no "
                             f"'{needed}' capability; see llm-models list --capability {needed})")
    limits = LIMITS.get(provider)
    if limits is None:
        return
    images = [f for f in files if not f.is_pdf]
    for f in images:
        if len(f.data) > limits["image_bytes"]:
            raise InputError(f"attachment {f.name} is {_mb(len(f.data))}; {provider} takes images "
                             f"up to {_mb(limits['image_bytes'])}")
    if len(images) > limits["images"]:
        raise InputError(f"{len(images)} images; {provider} takes up to {limits['images']} per request")
    total = sum(len(f.data) for f in images)
    if total > limits["images_total"]:
        raise InputError(f"the images add up to {_mb(total)}; {provider} takes up to "
                         f"{_mb(limits['images_total'])} per request")
    pdfs = sum(len(f.data) for f in files if f.is_pdf)
    if pdfs > limits["pdf_total"]:
        raise InputError(f"the PDFs add up to {_mb(pdfs)}; {provider} takes up to "
                         f"{_mb(limits['pdf_total'])} per request")


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def block(provider: str, f: Attachment) -> dict[str, Any]:
    """The content block of one attachment, as the provider's docs define it."""
    if provider == "anthropic":
        kind = "document" if f.is_pdf else "image"
        return {"type": kind, "source": {"type": "base64", "media_type": f.media_type, "data": f.base64()}}
    url = f"data:{f.media_type};base64,{f.base64()}"
    if f.is_pdf:
        return {"type": "file", "file": {"filename": f.name, "file_data": url}}
    return {"type": "image_url", "image_url": {"url": url}}


def user_message(provider: str, files: list[Attachment], content: Any) -> dict[str, Any]:
    """The user message carrying `files` and the prompt `content` (a string or text blocks)."""
    text = [{"type": "text", "text": content}] if isinstance(content, str) else list(content)
    blocks = [block(provider, f) for f in files]
    return {"role": "user", "content": blocks + text if provider == "anthropic" else text + blocks}
