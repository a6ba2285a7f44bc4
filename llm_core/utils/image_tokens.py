"""Token estimates for images and PDFs as the providers document them; image sizes read from the
file's header (PNG, JPEG, GIF, WebP) with the standard library only. Imported only when a
command has attachments (llm-tokens -a, llm-cost -a, llm-chat -a).

    image_size(data)                         (width, height)
    image_tokens(1024, 1024, "gpt-4o")       (765, "openai/tiles-512")
    attachment_tokens(data, "image/png", "claude-sonnet-4-6")
                                             {"tokens", "ceiling", "exact": False, "method", "width", "height"}
    messages_tokens(messages, model)         (estimate, ceiling) of a request's image and PDF blocks

Every count is an estimate: the provider bills what its own resize produces. The formulas:

  Anthropic (docs.anthropic.com/en/docs/build-with-claude/vision, "Evaluate image size",
  "Calculate image costs"): tokens = width * height / 750, after an image whose long edge is
  over 1568 px, or that is larger than the docs' table of sizes that are not resized (up to
  784x1568 px, ~1,600 tokens), is scaled down with its aspect kept. Claude Opus 4.7 reads up
  to 2576 px and 4,784 tokens. (The newer platform.claude.com page counts 28x28 px patches,
  ceil(w/28) * ceil(h/28), at most 1,568: per pixel 784 against 750, so this estimate is a few
  percent above it, the safe side for a budget.)
  OpenAI (platform.openai.com/docs/guides/images-vision, "Calculating costs"): tile models
  (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3): fit in 2048x2048, scale the short side down to
  768, then base + tile x the 512 px tiles (gpt-4o: 85 + 170 each); detail "low" is the base
  alone. llm-chat sends no detail ("auto"), counted as "high", the most it can cost. Patch
  models (gpt-4.1-mini, gpt-4.1-nano, o4-mini, gpt-5-mini, gpt-5-nano): 32 px patches, at
  most 1536 (larger images scaled down as the docs' example does), times the model's multiplier.
  Gemini (ai.google.dev/gemini-api/docs/tokens): 258 tokens when both sides are at most 384 px,
  else 258 per 768x768 tile; a PDF page is 258.
  PDFs (Anthropic pdf-support, "Estimate your costs"): each page is its extracted text, 1,500 to
  3,000 tokens, plus the page as an image; OpenAI also puts the text and an image of each page
  in context and gives no figure, so the same text range is used. Estimate: pages x (2,250 + the
  page image), ceiling: pages x (3,000 + the page image), the page image being a US Letter page
  at 150 dpi (1275x1650) through the model's image formula.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from typing import Any

from llm_core.errors import InputError

__all__ = ["attachment_tokens", "image_size", "image_tokens", "messages_tokens", "model_key", "pdf_pages"]

# Anthropic: (long edge px, most pixels before a resize). 784x1568 is the largest size of the
# docs' table of sizes that are not resized; Opus 4.7: 2576 px, 4,784 tokens.
_ANTHROPIC = (1568, 784 * 1568)
_ANTHROPIC_HIGH = {"claude-opus-4-7": (2576, 4784 * 750)}
# OpenAI: patch models and their multipliers, then tile models (base, per tile), by name prefix.
_PATCHES = (("gpt-4.1-mini", 1.62), ("gpt-4.1-nano", 2.46), ("o4-mini", 1.72),
            ("gpt-5-mini", 1.62), ("gpt-5-nano", 2.46))
_TILES = (("gpt-4o-mini", 2833, 5667), ("gpt-4o", 85, 170), ("gpt-4.1", 85, 170), ("gpt-4.5", 85, 170),
          ("gpt-5", 70, 140), ("o1", 75, 150), ("o3", 75, 150), ("computer-use-preview", 65, 129))
_OPENAI_DEFAULT = (85, 170)  # an OpenAI model the table does not name: as gpt-4o
PAGE_TEXT, PAGE_TEXT_MAX = 2250, 3000
LETTER_PAGE = (1275, 1650)


# ---------------------------------------------------------------- image sizes

def image_size(data: bytes, name: str = "image") -> tuple[int, int]:
    """(width, height) from the header of a PNG, GIF, WebP or JPEG; InputError (exit 3) else."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            size = struct.unpack(">II", data[16:24])
        elif data[:6] in (b"GIF87a", b"GIF89a"):
            size = struct.unpack("<HH", data[6:10])
        elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            size = _webp_size(data)
        elif data[:3] == b"\xff\xd8\xff":
            size = _jpeg_size(data)
        else:
            size = None
    except (struct.error, IndexError):
        size = None
    if not size or min(size) <= 0:
        raise InputError(f"{name}: cannot read the image's size (not a PNG, JPEG, GIF or WebP, "
                         "or a damaged one)")
    return int(size[0]), int(size[1])


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment (SOF0..SOF15 but DHT, JPG, DAC)."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # no length
            i += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return None


# ---------------------------------------------------------------- PDF pages

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_STREAM = re.compile(rb"stream\r?\n")
_COUNT = re.compile(rb"/Count\s+(\d+)")


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF: its page objects, also inside compressed object streams
    (PDF 1.5), else the page tree's /Count; at least 1."""
    pages = len(_PAGE.findall(data))
    if not pages:
        # Imported here: only a PDF whose pages are in object streams needs it.
        import zlib

        for match in _STREAM.finditer(data):
            end = data.find(b"endstream", match.end())
            if end < 0:
                break
            try:
                inflated = zlib.decompressobj().decompress(data[match.end():end], 16 << 20)
            except zlib.error:
                continue
            pages += len(_PAGE.findall(inflated))
    if not pages:
        pages = max((int(n) for n in _COUNT.findall(data)), default=0)
    return max(pages, 1)


# ---------------------------------------------------------------- formulas

def model_key(provider: str | None, model: str) -> str:
    """The name the formulas go by: the provider's own model id under its provider
    ('anthropic/claude-haiku-4-5'); an OpenRouter id already names its vendor."""
    return model if "/" in model or not provider else f"{provider}/{model}"


def _family(model: str) -> tuple[str, str]:
    """(provider family, bare model name): 'anthropic/claude-haiku-4.5' -> ('anthropic', 'claude-haiku-4-5')."""
    vendor, _, name = model.lower().rpartition("/")
    if name.startswith("claude") or vendor == "anthropic":
        return "anthropic", name.replace(".", "-")
    if name.startswith("gemini") or vendor == "google":
        return "gemini", name
    return ("openai" if vendor in ("", "openai") else vendor), name


def image_tokens(width: int, height: int, model: str, detail: str = "high") -> tuple[int, str]:
    """(tokens, method) of a width x height image sent to `model`, by its provider's formula."""
    family, name = _family(model)
    if family == "gemini":
        if width <= 384 and height <= 384:
            return 258, "gemini/258"
        return 258 * math.ceil(width / 768) * math.ceil(height / 768), "gemini/tiles-768"
    if family == "openai" or name.startswith(("gpt", "o1", "o3", "o4", "chatgpt", "computer-use")):
        return _openai(width, height, name, detail)
    edge, pixels = next((v for k, v in _ANTHROPIC_HIGH.items() if name.startswith(k)), _ANTHROPIC)
    scale = min(1.0, edge / max(width, height), math.sqrt(pixels / (width * height)))
    if scale < 1:
        width, height = max(1, int(width * scale)), max(1, int(height * scale))
    return math.ceil(width * height / 750), "anthropic/pixels-750" + ("" if edge == _ANTHROPIC[0] else f"-{edge}px")


def _openai(width: int, height: int, name: str, detail: str) -> tuple[int, str]:
    multiplier = next((m for prefix, m in _PATCHES if name.startswith(prefix)), None)
    if multiplier is not None:
        return math.ceil(_patches(width, height) * multiplier), f"openai/patches-32x{multiplier:g}"
    base, tile = next(((b, t) for prefix, b, t in _TILES if name.startswith(prefix)), _OPENAI_DEFAULT)
    if detail == "low":
        return base, "openai/low"
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        w, h = w * 2048 / max(w, h), h * 2048 / max(w, h)
    if min(w, h) > 768:
        w, h = w * 768 / min(w, h), h * 768 / min(w, h)
    return base + tile * math.ceil(w / 512) * math.ceil(h / 512), f"openai/tiles-512({base}+{tile})"


def _patches(width: int, height: int, budget: int = 1536) -> int:
    """32 px patches to cover the image; over `budget`, scaled down as OpenAI's example does."""
    patches = math.ceil(width / 32) * math.ceil(height / 32)
    if patches <= budget:
        return patches
    shrink = math.sqrt(budget * 32 * 32 / (width * height))
    w, h = width * shrink / 32, height * shrink / 32
    shrink *= min(math.floor(w) / w, math.floor(h) / h)  # whole patches across the narrow side
    return math.ceil(int(width * shrink) / 32) * math.ceil(int(height * shrink) / 32)


def attachment_tokens(data: bytes, media_type: str, model: str, name: str = "attachment") -> dict[str, Any]:
    """The estimate for one image or PDF sent to `model`: {"tokens", "ceiling", "exact": False,
    "method", and "width"/"height" or "pages"}. InputError (exit 3) for an unreadable image."""
    if media_type == "application/pdf":
        pages = pdf_pages(data)
        if _family(model)[0] == "gemini":
            return {"tokens": 258 * pages, "ceiling": 258 * pages, "exact": False,
                    "method": "gemini/258-per-page", "pages": pages}
        image, method = image_tokens(*LETTER_PAGE, model)
        return {"tokens": pages * (PAGE_TEXT + image), "ceiling": pages * (PAGE_TEXT_MAX + image),
                "exact": False, "method": f"pdf/pages x (text {PAGE_TEXT} + {method})", "pages": pages}
    width, height = image_size(data, name)
    tokens, method = image_tokens(width, height, model)
    return {"tokens": tokens, "ceiling": tokens, "exact": False, "method": method,
            "width": width, "height": height}


# ---------------------------------------------------------------- request blocks

def _block_data(block: dict) -> tuple[str, str] | None:
    """(media type, base64 data) of an image or PDF content block in either provider's format."""
    kind = block.get("type")
    if kind in ("image", "document"):
        source = block.get("source") or {}
        if source.get("type") == "base64":
            return source.get("media_type") or "", source.get("data") or ""
        return None
    url = None
    if kind == "image_url":
        url = (block.get("image_url") or {}).get("url")
    elif kind == "file":
        url = (block.get("file") or {}).get("file_data")
    if isinstance(url, str) and url.startswith("data:") and ";base64," in url:
        head, _, data = url.partition(";base64,")
        return head[5:], data
    return None


def messages_tokens(messages: list[dict[str, Any]], model: str) -> tuple[int, int]:
    """(estimate, ceiling) of the image and PDF blocks of `messages` sent to `model`. A block
    that cannot be read (a URL, a damaged file) counts as the largest image the model takes."""
    estimate = ceiling = 0
    for message in messages:
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for block in content:
            if not isinstance(block, dict) or block.get("type") == "text":
                continue
            found = _block_data(block)
            try:
                if found is None:
                    raise InputError("not inline data")
                kind, data = found
                counted = attachment_tokens(base64.b64decode(data), kind, model)
                estimate, ceiling = estimate + counted["tokens"], ceiling + counted["ceiling"]
            except (InputError, binascii.Error, ValueError):
                if block.get("type") in ("image", "document", "image_url", "file"):
                    largest = max(image_tokens(768, 2048, model)[0], image_tokens(2048, 2048, model)[0])
                    estimate, ceiling = estimate + largest, ceiling + largest
    return estimate, ceiling
