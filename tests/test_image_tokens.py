"""Image and PDF token estimates (llm_core/utils/image_tokens.py) against the providers'
documented formulas and worked examples, the headers they are read from, and their use by the
budget's worst case and llm-chat's context truncation."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from llm_core.errors import ExitStatus, InputError
from llm_core.storage.conversations import fit_context
from llm_core.utils.image_tokens import (
    attachment_tokens,
    image_size,
    image_tokens,
    messages_tokens,
    model_key,
    pdf_pages,
)


def png(w: int, h: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * (3 * w + 1) * h)) + chunk(b"IEND", b""))


def jpeg(w: int, h: int, sof: int = 0xC0) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    exif = b"\xff\xe1" + struct.pack(">H", 8) + b"Exif\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + bytes(65)
    frame = bytes([0xFF, sof]) + struct.pack(">HBHHB", 17, 8, h, w, 3) + bytes(9)
    return b"\xff\xd8" + app0 + exif + dqt + b"\xff\xff" + frame + b"\xff\xd9"


def webp(kind: bytes, w: int, h: int) -> bytes:
    if kind == b"VP8 ":
        body = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", w, h) + bytes(10)
    elif kind == b"VP8L":
        body = b"\x2f" + struct.pack("<I", (w - 1) | ((h - 1) << 14)) + bytes(10)
    else:
        body = bytes(4) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    chunk = kind + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def pdf(pages: int, compressed: bool = False) -> bytes:
    objects = b"".join(b"%d 0 obj << /Type /Page /Parent 2 0 R >> endobj\n" % (10 + i) for i in range(pages))
    tree = b"2 0 obj << /Type /Pages /Kids [] /Count %d >> endobj\n" % pages
    if compressed:  # PDF 1.5: the page objects inside a compressed object stream
        objects = b"5 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n" + zlib.compress(objects) + b"\nendstream\n"
    return b"%PDF-1.7\n" + tree + objects + b"%%EOF\n"


# ------------------------------------------------------------------ headers

@pytest.mark.parametrize("data, size", [
    (png(1092, 1092), (1092, 1092)),
    (b"GIF89a" + struct.pack("<HH", 640, 480) + bytes(20), (640, 480)),
    (jpeg(1800, 2400), (1800, 2400)),
    (jpeg(300, 200, sof=0xC2), (300, 200)),  # progressive
    (webp(b"VP8 ", 1024, 768), (1024, 768)),
    (webp(b"VP8L", 4000, 3000), (4000, 3000)),
    (webp(b"VP8X", 8000, 2), (8000, 2)),
])
def test_sizes_come_from_the_headers(data, size):
    assert image_size(data) == size


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(4), b"\xff\xd8\xff\xe0" + bytes(3), b"GIF89a",
                                  b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"%PDF-1.4", png(0, 5)])
def test_a_damaged_or_unsupported_image_is_bad_input(data):
    with pytest.raises(InputError, match=r"^x\.png: cannot read the image's size") as err:
        image_size(data, "x.png")
    assert err.value.exit_code == ExitStatus.INPUT == 3


def test_pdf_pages_are_counted_also_in_object_streams_and_by_the_page_tree():
    assert pdf_pages(pdf(3)) == 3  # /Type /Pages is not a page
    assert pdf_pages(pdf(4, compressed=True)) == 4
    assert pdf_pages(b"%PDF-1.7\n2 0 obj << /Type /Pages /Count 12 >> endobj") == 12
    assert pdf_pages(b"%PDF-1.7\n") == 1


# ------------------------------------------------------------------ the documented formulas

def test_openai_tile_models_match_the_docs_worked_examples():
    # platform.openai.com/docs/guides/images-vision, "Calculating costs" (GPT-4o, GPT-4.1, ...):
    # "A 1024 x 1024 square image in detail: high mode costs 765 tokens", "A 2048 x 4096 image
    # in detail: high mode costs 1105 tokens", "A 4096 x 8192 image in detail: low most costs 85".
    assert image_tokens(1024, 1024, "gpt-4o") == (765, "openai/tiles-512(85+170)")
    assert image_tokens(2048, 4096, "gpt-4.1")[0] == 1105
    assert image_tokens(4096, 8192, "gpt-4o", detail="low") == (85, "openai/low")
    # Small images are not scaled up: one tile.
    assert image_tokens(128, 64, "gpt-4o")[0] == 85 + 170
    # The same table's other rows: o1/o3 75 + 150, gpt-4o-mini 2833 + 5667 per tile.
    assert image_tokens(1024, 1024, "o3")[0] == 75 + 4 * 150
    assert image_tokens(1024, 1024, "gpt-4o-mini")[0] == 2833 + 4 * 5667


def test_openai_patch_models_match_the_docs_worked_examples():
    # Same page, gpt-4.1-mini / gpt-4.1-nano / o4-mini: "A 1024 x 1024 image is 1024 tokens"
    # (32 x 32 patches); "A 1800 x 2400 image ... resized to 1056 x 1408 ... 33 * 44 = 1452"
    # patches; the image tokens are then multiplied by 1.62 (gpt-4.1-mini), 2.46 (gpt-4.1-nano)
    # or 1.72 (o4-mini).
    assert image_tokens(1024, 1024, "gpt-4.1-mini") == (1659, "openai/patches-32x1.62")  # ceil(1024 x 1.62)
    assert image_tokens(1800, 2400, "gpt-4.1-mini")[0] == 2353  # ceil(1452 x 1.62)
    assert image_tokens(1800, 2400, "gpt-4.1-nano")[0] == 3572  # ceil(1452 x 2.46)
    assert image_tokens(1800, 2400, "o4-mini")[0] == 2498  # ceil(1452 x 1.72)
    assert image_tokens(20000, 20000, "gpt-4.1-mini")[0] <= 1536 * 1.62 + 1  # capped


def test_anthropic_matches_the_docs_table_and_resize():
    # docs.anthropic.com/en/docs/build-with-claude/vision, "Calculate image costs":
    # tokens = (width px * height px) / 750; 200x200 ~54, 1000x1000 ~1334, 1092x1092 ~1590.
    for w, h, tokens in ((200, 200, 54), (1000, 1000, 1334), (1092, 1092, 1590)):
        assert image_tokens(w, h, "claude-sonnet-4-6") == (tokens, "anthropic/pixels-750")
    # "Evaluate image size": the largest sizes per aspect ratio that are not resized ...
    for w, h in ((1092, 1092), (951, 1268), (896, 1344), (819, 1456), (784, 1568)):
        assert image_tokens(w, h, "claude-haiku-4-5")[0] == -(-w * h // 750)
    # ... and anything larger (long edge over 1568 px, or over ~1,600 tokens) is scaled down.
    assert image_tokens(4000, 3000, "claude-haiku-4-5")[0] <= 1640
    assert image_tokens(3000, 200, "claude-haiku-4-5")[0] == -(-1568 * 104 // 750)  # the long edge
    # Claude Opus 4.7 reads up to 2576 px and 4,784 tokens.
    assert image_tokens(1600, 1600, "claude-opus-4-7") == (3414, "anthropic/pixels-750-2576px")
    assert 4700 < image_tokens(4000, 4000, "claude-opus-4-7")[0] <= 4784


def test_the_formula_follows_the_provider_also_through_openrouter():
    assert image_tokens(1092, 1092, "anthropic/claude-haiku-4.5")[1] == "anthropic/pixels-750"
    assert image_tokens(1024, 1024, "openai/gpt-4o")[0] == 765
    assert model_key("anthropic", "claude-haiku-5-5") == "anthropic/claude-haiku-5-5"
    assert image_tokens(1092, 1092, model_key("anthropic", "pricey"))[0] == 1590  # a custom name
    # Gemini (ai.google.dev/gemini-api/docs/tokens): 258 when both sides are at most 384 px.
    assert image_tokens(384, 384, "google/gemini-2.5-flash-lite") == (258, "gemini/258")
    assert image_tokens(1000, 700, "google/gemini-2.5-flash-lite")[0] == 258 * 2


def test_a_pdf_is_its_pages_text_plus_a_page_image():
    # docs.anthropic.com/.../pdf-support, "Estimate your costs": 1,500-3,000 text tokens a page,
    # plus each page as an image.
    counted = attachment_tokens(pdf(3), "application/pdf", "claude-sonnet-4-6")
    page_image = image_tokens(1275, 1650, "claude-sonnet-4-6")[0]
    assert counted["pages"] == 3 and counted["exact"] is False
    assert counted["tokens"] == 3 * (2250 + page_image) and counted["ceiling"] == 3 * (3000 + page_image)
    assert counted["method"] == "pdf/pages x (text 2250 + anthropic/pixels-750)"
    assert attachment_tokens(pdf(2), "application/pdf", "google/gemini-2.5-flash-lite")["tokens"] == 516


# ------------------------------------------------------------------ requests

def test_both_providers_blocks_are_counted_and_a_url_as_the_largest_image():
    data = base64.b64encode(png(1024, 1024)).decode()
    anthropic = [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}},
        {"type": "text", "text": "what is it?"}]}]
    openai = [{"role": "user", "content": [
        {"type": "text", "text": "what is it?"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}},
        {"type": "file", "file": {"filename": "r.pdf", "file_data": "data:application/pdf;base64,"
                                  + base64.b64encode(pdf(1)).decode()}}]}]
    assert messages_tokens(anthropic, "anthropic/claude-haiku-4-5") == (1399, 1399)
    page = 2250 + 765
    assert messages_tokens(openai, "openai/gpt-4o") == (765 + page, 765 + page + 750)
    url = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]
    assert messages_tokens(url, "openai/gpt-4o") == (85 + 8 * 170, 85 + 8 * 170)  # 768 x 2048: 8 tiles
    assert messages_tokens([{"role": "user", "content": "just text"}], "openai/gpt-4o") == (0, 0)


def test_context_truncation_counts_a_turns_images():
    block = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                         "data": base64.b64encode(png(1092, 1092)).decode()}}
    turns = [{"messages": [{"role": "user", "content": [block, {"type": "text", "text": "a"}]},
                           {"role": "assistant", "content": "b"}]},
             {"messages": [{"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]}]
    count = len  # one token a character
    assert fit_context(turns, 100, count) == (turns, 0)  # the text alone fits
    media = lambda msgs: messages_tokens(msgs, "anthropic/claude-haiku-4-5")[0]  # noqa: E731
    assert fit_context(turns, 100, count, media) == (turns[1:], 1)  # the image (1590) does not
    assert fit_context(turns, 2000, count, media) == (turns, 0)


def test_the_budgets_worst_case_includes_the_images(isolated_env, monkeypatch):
    import json

    from fake_provider import KEYS, FakeProvider

    from llm_core import attachments
    from llm_core.clients.anthropic_client import AnthropicClient
    from llm_core.errors import BudgetExceeded
    from llm_core.models import registry

    path = isolated_env / "models.json"
    path.write_text(json.dumps({"models": {"pricey": {
        "provider": "anthropic", "api_id": "claude-haiku-5-5", "capabilities": ["vision"],
        "pricing": {"input": 250, "output": 250}, "max_output": 1000}}}))
    monkeypatch.setenv("LLM_MODELS_FILE", str(path))
    registry.clear_cache()
    try:
        image = attachments.Attachment("chart.png", png(1092, 1092), "image/png")
        with FakeProvider() as fake:
            client = AnthropicClient("pricey", api_key=KEYS["anthropic"], base_url=fake.url("anthropic"),
                                     sleep=lambda s: None)
            # Text alone: well under $0.10 at $250/M; the image adds 1,590 tokens ($0.40).
            assert client.chat("x" * 26, max_tokens=9, max_cost=0.1).text
            with pytest.raises(BudgetExceeded, match=r"may cost up to \$0\.4"):
                client.chat(messages=[attachments.user_message("anthropic", [image], "x" * 26)],
                            max_tokens=9, max_cost=0.1)
            assert len(fake.requests) == 1  # refused before sending
    finally:
        registry.clear_cache()


def test_llm_chat_truncates_a_conversation_by_its_images_too(isolated_env, capfd):
    from types import SimpleNamespace

    from llm_core.cli.chat_conversation import ChatConversation

    block = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                         "data": base64.b64encode(png(1092, 1092)).decode()}}
    turns = [{"messages": [{"role": "user", "content": [block, {"type": "text", "text": "old"}]},
                           {"role": "assistant", "content": "ok"}]},
             {"messages": [{"role": "user", "content": "recent"}, {"role": "assistant", "content": "ok"}]}]
    client = SimpleNamespace(provider="anthropic", model_name="claude-haiku-4-5", estimate_tokens=len,
                             model_info={"api_id": "claude-haiku-4-5", "context_window": 2500})
    conv = ChatConversation(None, "C1", turns)
    sent = conv.prepare({"prompt": "now", "max_tokens": 1000}, client)["messages"]
    # 2,500 - 1,000 for the answer leaves 1,497: the image turn (1,590 + its text) is left out.
    assert [m["content"] for m in sent] == ["recent", "ok", "now"]
    assert "the 1 oldest turn(s) no longer fit" in capfd.readouterr().err
    client.model_info["context_window"] = 4000
    assert len(ChatConversation(None, "C1", turns).prepare({"prompt": "now", "max_tokens": 1000}, client)["messages"]) == 5
