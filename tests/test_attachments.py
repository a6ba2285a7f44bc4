"""llm-chat -a: type detection, capability and size checks, and the content blocks the
providers document (checked by the fake provider too)."""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from fake_provider import KEYS, FakeProvider

from llm_core import attachments
from llm_core.errors import InputError

PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 10
PDF = b"%PDF-1.7\n%x"


@pytest.mark.parametrize(("data", "kind"), [
    (PNG, "image/png"), (b"\xff\xd8\xff\xe0jpeg", "image/jpeg"), (b"GIF89a...", "image/gif"),
    (b"GIF87a...", "image/gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"), (PDF, "application/pdf"),
    (b"RIFF\0\0\0\0WAVEfmt ", None), (b"hello", None), (b"", None),
])
def test_the_type_comes_from_the_first_bytes(data, kind):
    assert attachments.media_type(data) == kind


def test_stdin_bytes_and_a_name_for_them():
    f = attachments.load("-", io.BytesIO(PDF))
    assert (f.name, f.media_type, f.data) == ("stdin.pdf", "application/pdf", PDF)


def test_the_blocks_follow_each_providers_docs():
    png, pdf = attachments.Attachment("a.png", PNG, "image/png"), attachments.Attachment("r.pdf", PDF, "application/pdf")
    b64 = base64.b64encode(PNG).decode()
    msg = attachments.user_message("anthropic", [png, pdf], "look")
    assert msg["content"] == [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": base64.b64encode(PDF).decode()}},
        {"type": "text", "text": "look"},
    ]
    msg = attachments.user_message("openai", [png, pdf], "look")
    assert msg["content"] == [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}},
        {"type": "file", "file": {"filename": "r.pdf",
                                  "file_data": "data:application/pdf;base64," + base64.b64encode(PDF).decode()}},
    ]


def test_limits_and_capabilities_are_checked_before_sending():
    vision = {"capabilities": ["vision"]}
    big = attachments.Attachment("big.png", PNG + bytes(5 * attachments.MB), "image/png")
    with pytest.raises(InputError, match=r"anthropic takes images up to 5\.0 MB"):
        attachments.check([big], "anthropic", "m", vision)
    attachments.check([big], "openai", "m", vision)  # OpenAI takes up to 50 MB
    pdf = attachments.Attachment("r.pdf", PDF, "application/pdf")
    with pytest.raises(InputError, match="does not take PDFs"):
        attachments.check([pdf], "anthropic", "m", vision)
    with pytest.raises(InputError, match="does not take images"):
        attachments.check([big], "openai", "m", None)
    many = [attachments.Attachment("a.png", PNG, "image/png")] * 101
    with pytest.raises(InputError, match="101 images; anthropic takes up to 100"):
        attachments.check(many, "anthropic", "m", vision)


def test_the_fake_provider_rejects_blocks_that_break_the_docs():
    headers = {"x-api-key": KEYS["anthropic"], "anthropic-version": "2023-06-01"}
    with FakeProvider() as fake:
        def send(block):
            body = {"model": "claude-haiku-4-5", "max_tokens": 5,
                    "messages": [{"role": "user", "content": [block, {"type": "text", "text": "hi"}]}]}
            return httpx.post(fake.url("anthropic") + "/v1/messages", json=body, headers=headers)

        good = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                            "data": base64.b64encode(PNG).decode()}}
        assert send(good).status_code == 200
        wrong = {**good, "source": {**good["source"], "media_type": "image/jpeg"}}
        assert send(wrong).status_code == 400
        assert send({**good, "source": {**good["source"], "media_type": "image/tiff"}}).status_code == 400
        openai = {"Authorization": "Bearer " + KEYS["openai"]}
        body = {"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "hi"}, {"type": "file", "file": {"filename": "x.pdf", "file_data": "data:application/pdf;base64,aGk="}}]}]}
        r = httpx.post(fake.url("openai") + "/chat/completions", json=body, headers=openai)
        assert r.status_code == 400 and "file_data" in r.text
