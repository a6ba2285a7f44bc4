"""Token counting: exact against tiktoken, offline, truncation boundaries, model rules."""

from __future__ import annotations

import gzip
import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import run_main

from llm_core.cli.tokens import main as tokens_main
from llm_core.errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigError,
    InputError,
    OverloadedError,
    RateLimitError,
    ResponseFormatError,
)
from llm_core.utils import _encodings, tokens
from llm_core.utils.tokens import (
    count_tokens,
    encoding_for_model,
    estimate_tokens,
    truncate_to_tokens,
)

ROOT = Path(__file__).resolve().parents[1]
NAMES = _encodings.ENCODING_NAMES


@pytest.fixture
def cold_index():
    """No encoding loaded in this process yet. Other tests share the loaded ones: the index
    and tiktoken's tables are the same whichever cache dir they came from, and rebuilding
    them from the packaged files for every test made this file take most of the suite's time."""
    _encodings.rank_index.cache_clear()
    _encodings.tiktoken_encoding.cache_clear()
    yield
    _encodings.rank_index.cache_clear()
    _encodings.tiktoken_encoding.cache_clear()


# ---------------------------------------------------------------- reference: tiktoken itself

@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """tiktoken.Encoding objects built by tiktoken's own loader and encoding definitions."""
    import tiktoken
    import tiktoken.load
    import tiktoken_ext.openai_public as public

    folder = tmp_path_factory.mktemp("tiktoken-ref")
    encs = {}
    for name in NAMES:
        plain = folder / f"{name}.tiktoken"
        plain.write_bytes(gzip.decompress(_encodings.source_file(name).read_bytes()))
        ranks = tiktoken.load.load_tiktoken_bpe(
            str(plain), expected_hash=_encodings.SPECS[name]["sha256"]
        )
        original = public.load_tiktoken_bpe
        public.load_tiktoken_bpe = lambda *a, _r=ranks, **k: _r
        try:
            definition = getattr(public, name)()
        finally:
            public.load_tiktoken_bpe = original
        encs[name] = tiktoken.Encoding(**definition)
    return encs


def corpus() -> list[str]:
    texts = [
        "",
        "hello world",
        "Hello, World! It's 2026-11-27 12:34:56.789 and THEY'LL say we'RE fine.",
        "naïve café résumé — “quotes” «guillemets» ‘single’ ½ ™ © ±",
        "日本語のテキストと中文文本，还有한국어 텍스트 и русский текст, ελληνικά, עברית, العربية",
        "emoji 😀👍🏽👨‍👩‍👧‍👦🏳️‍🌈 🇫🇷 ✔︎ keycap 1️⃣ zwj🧑‍💻",
        "combining: e\u0301 a\u0308 \u0915\u094d\u0937 Zalgo z\u0336\u0351a\u0334l\u0337g\u0335o",
        "def f(x):\n    return x**2  \n\n\n  /path/to\n/x\r\n\r\n\tindent\t\ttabs   \n",
        "   leading and trailing spaces   ",
        " " * 300 + "a" + "\n" * 50 + "\t" * 40 + "b",
        "1234567890 3.14159 1e-9 0xFF 1,000,000 ١٢٣ ⅷ",
        "<|endoftext|> special <|endofprompt|> text is ordinary here",
        "{\"json\": [1, 2, {\"k\": null}], \"url\": \"https://example.com/a/b?c=d&e=f\"}",
        "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg\xa0h\u3000i",
        "\ufffd\ufeffBOM and replacement",
        "x" * 500,
        "ab" * 400,
        "!!!???...,,,;;;:::---___===+++***&&&%%%$$$###@@@",
    ]
    for path in sorted((ROOT / "llm_core").rglob("*.py"))[:12]:
        texts.append(path.read_text(encoding="utf-8"))
    rng = random.Random(20261127)
    alphabet = (
        "abcdefXYZ019 \n\r\t'/.,;:!?-_()[]{}<>\"\\éüß日本中한😀👍\u0301\u200d\u00a0\u2028"
    )
    for _ in range(300):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200))))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_counts_equal_tiktoken_on_varied_text(name, reference):
    ref = reference[name]
    for text in corpus():
        expected = ref.encode_ordinary(text)
        pure = _encodings.pure_tokens(text, name)
        if pure is not None:
            assert [_encodings.rank_index(name).get(t) for t in pure] == expected, text[:80]
        assert count_tokens(text, encoding=name).count == len(expected), text[:80]
        assert _encodings.tiktoken_encoding(name).encode_ordinary(text) == expected
        assert tokens._len_encoded(_encodings.tiktoken_encoding(name), text) == len(expected)


@pytest.mark.parametrize("name", NAMES)
def test_index_equals_the_real_table(name, reference):
    ranks = _encodings.rank_index(name).to_dict()
    assert ranks == reference[name]._mergeable_ranks
    assert len(ranks) == _encodings.SPECS[name]["n_ranks"]


@pytest.mark.parametrize("name", NAMES)
def test_encoding_definitions_match_tiktoken(name, reference):
    spec = _encodings.SPECS[name]
    assert spec["pat_str"] == reference[name]._pat_str
    assert spec["special_tokens"] == reference[name]._special_tokens


def test_large_text_is_counted_in_exact_chunks(reference, monkeypatch):
    monkeypatch.setattr(tokens, "CHUNK_CHARS", 4096)
    monkeypatch.setattr(tokens, "SHORT_TEXT", 100)
    text = "\n".join(corpus())
    chunks = list(tokens.split_safely(text, 4096))
    assert len(chunks) > 10 and "".join(chunks) == text
    ref = reference["o200k_base"]
    assert sum(len(ref.encode_ordinary(c)) for c in chunks) == len(ref.encode_ordinary(text))
    assert count_tokens(text).count == len(ref.encode_ordinary(text))


def test_safe_split_rejects_points_a_piece_spans():
    text = "a.\n/b\nc\n d\nE"
    assert not tokens.is_safe_split(text, 3)  # ".\n/" is one o200k piece
    assert tokens.is_safe_split(text, 6)
    assert not tokens.is_safe_split(text, 8)  # "\n " goes on as whitespace
    assert tokens.is_safe_split(text, 11)


def test_read_chunks_streams_and_keeps_counts(reference, tmp_path):
    data = ("line é😀 with words\n/slash\n" * 5000).encode() + b"\xff\xfe tail"
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with path.open("rb") as fh:
        chunks = list(tokens.read_chunks(fh, 1000))
    assert len(chunks) > 50
    text = data.decode("utf-8", "replace")
    assert "".join(chunks) == text
    expected = len(reference["cl100k_base"].encode_ordinary(text))
    assert tokens.count_chunks(chunks, "cl100k_base", threads=2) == expected


def test_read_chunks_long_lines_and_split_characters(reference):
    import io

    text = "word😀 " * 3000 + "\n" + "tail line\n/x\n" * 50 + "é" * 999
    data = text.encode()
    for size in (1, 7, 100, 4096):
        chunks = list(tokens.read_chunks(io.BytesIO(data), size))
        assert "".join(chunks) == text
        ref = reference["o200k_base"]
        assert sum(len(ref.encode_ordinary(c)) for c in chunks) == len(ref.encode_ordinary(text))
    assert len(list(tokens.read_chunks(io.BytesIO(data), 100))) > 5


def test_safe_splits_keep_tokens_on_random_text():
    """Every point is_safe_split accepts cuts text into two that tokenize as the whole."""
    alphabet = [*"abcXYZ019 '\n\t/.,-_\"{}:;!?", "é", "ß", "中", "😀", "\u0301", "²", "٣", "  ", "\r\n", "'s"]
    rnd = random.Random(7)
    encs = {name: _encodings.tiktoken_encoding(name) for name in NAMES}
    checked = 0
    for _ in range(1500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(2, 40)))
        for at in range(1, len(text)):
            if tokens.is_safe_split(text, at):
                for enc in encs.values():
                    checked += 1
                    assert enc.encode_ordinary(text[:at]) + enc.encode_ordinary(text[at:]) == \
                        enc.encode_ordinary(text), (text, at)
    assert checked > 5000


class _Endless:
    """A stream of one repeated block, like /dev/zero; counts what was read."""

    def __init__(self, block: bytes, limit: int) -> None:
        self.block, self.limit, self.read_bytes = block, limit, 0

    def read(self, size: int = -1) -> bytes:
        n = min(size, self.limit - self.read_bytes)
        start = self.read_bytes % len(self.block)
        self.read_bytes += n
        return (self.block * (n // len(self.block) + 2))[start:start + n]


@pytest.mark.parametrize("block", [b"\0", b"word and text 42, ", b"\xe4\xb8\xad"])
def test_read_chunks_bounded_without_newlines(block, reference):
    stream = _Endless(block, 6_000_000)
    longest = total = 0
    for chunk in tokens.read_chunks(stream, 4096):
        longest = max(longest, len(chunk))
        total += len(chunk.encode())
    assert total == 6_000_000
    assert longest <= tokens.LONG_RUN + 4096


def test_count_stream_without_newlines_is_exact(reference):
    text = "Streaming text with no newline at all, 123 numbers and words. " * 40_000
    import io

    counted = tokens.count_stream(io.BytesIO(text.encode()), encoding="cl100k_base")
    assert counted.count == len(reference["cl100k_base"].encode_ordinary(text))
    zeros = tokens.count_stream(io.BytesIO(b"\0" * 3_000_000))
    assert zeros.count == 1_500_000


# ---------------------------------------------------------------- offline

def test_counting_never_downloads(tmp_path, monkeypatch, cold_index):
    import tiktoken.load

    def no_network(*args, **kwargs):
        raise AssertionError("tiktoken tried to download an encoding")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty"))
    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", no_network)
    long_text = "words and more words\n" * 3000
    assert count_tokens("hello world", "gpt-4o") == (2, True, "tiktoken/o200k_base")
    assert count_tokens(long_text, "gpt-4").count == 5 * 3000  # words, and, more, words, \\n
    assert count_tokens(long_text, "gpt-4o").exact


def test_index_is_cached_and_a_corrupt_cache_is_rebuilt(tmp_path, cold_index):
    path = _encodings.cache_path("cl100k_base")
    assert str(path).startswith(str(tmp_path))
    assert not path.exists()
    first = _encodings.rank_index("cl100k_base")
    assert path.is_file()
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        _encodings.RankIndex(bytes(data))
    _encodings.rank_index.cache_clear()
    again = _encodings.rank_index("cl100k_base")
    assert again.to_dict() == first.to_dict()
    assert _encodings.RankIndex(path.read_bytes()).n == 100256


def test_tampered_source_is_rejected(tmp_path, monkeypatch):
    fake = tmp_path / "o200k_base.tiktoken.gz"
    fake.write_bytes(gzip.compress(b"IQ== 0\nIg== 1\n"))
    monkeypatch.setattr(_encodings, "source_file", lambda name: fake)
    with pytest.raises(_encodings.EncodingUnavailable, match="checksum"):
        _encodings.load_source_ranks("o200k_base")


def test_missing_encoding_files_fall_back_to_chars(monkeypatch, cold_index):
    monkeypatch.setattr(_encodings, "source_file", lambda name: None)
    result = count_tokens("x" * 40, "gpt-4o")
    assert result == (10, False, "estimate/chars/4")


# ---------------------------------------------------------------- models

@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"), ("gpt-4o-mini", "o200k_base"), ("gpt-4.1-nano", "o200k_base"),
        ("gpt-5", "o200k_base"), ("gpt-5.1-codex", "o200k_base"), ("o1", "o200k_base"),
        ("o3-mini", "o200k_base"), ("o4-mini", "o200k_base"), ("openai/gpt-4o", "o200k_base"),
        ("chatgpt-4o-latest", "o200k_base"), ("gpt-4", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
        ("text-embedding-3-small", "cl100k_base"),
    ],
)
def test_openai_models_are_exact(model, encoding):
    assert encoding_for_model(model) == encoding
    result = count_tokens("Counting tokens, exactly.", model)
    assert result.exact and result.method == f"tiktoken/{encoding}"


def test_claude_is_a_calibrated_estimate():
    text = "The quick brown fox jumps over the lazy dog. " * 20
    base = count_tokens(text).count
    result = count_tokens(text, "claude-sonnet-4-5")
    assert not result.exact and result.method.startswith("estimate/claude")
    assert result.count == -(-base * 6 // 5)  # ceil(base * 1.2)
    assert estimate_tokens(text, "anthropic/claude-3.5-haiku") == result.count


def test_unknown_model_is_an_o200k_estimate_not_an_error():
    result = count_tokens("hello world", "no-such-model-xyz")
    assert result == (2, False, "estimate/o200k_base")


def test_registry_tokenizer_is_used(monkeypatch):
    import sys
    import types

    fake = types.ModuleType("llm_core.models.registry")
    entries = {"sonnet": {"id": "claude-sonnet-4-5", "tokenizer": "claude"},
               "my-local": {"id": "my-local", "tokenizer": "cl100k_base"},
               "old-entry": {"id": "old-entry", "api_id": "gpt-4-0613"}}

    def get_model(name):
        if name not in entries:
            raise InputError(f"unknown model '{name}'")
        return entries[name]

    fake.get_model = get_model
    monkeypatch.setitem(sys.modules, "llm_core.models.registry", fake)
    assert tokens.tokenizer_for_model("sonnet") == "claude"
    assert count_tokens("hi there", "my-local").method == "tiktoken/cl100k_base"
    assert encoding_for_model("old-entry") == "cl100k_base"
    assert tokens.tokenizer_for_model("unknown-thing") is None


def test_bad_encoding_lists_valid_ones():
    with pytest.raises(InputError, match="o200k_base, cl100k_base") as err:
        count_tokens("x", encoding="p50k")
    assert err.value.exit_code == 3


def test_lone_surrogates_count_like_tiktoken(reference):
    text = "bad \ud800 surrogate"
    expected = reference["o200k_base"].encode_ordinary(text)
    assert count_tokens(text).count == len(expected)


# ---------------------------------------------------------------- truncation

def test_truncate_cuts_on_token_boundaries(reference):
    ref = reference["o200k_base"]
    text = "The quick brown fox jumps over the lazy dog."
    ids = ref.encode_ordinary(text)
    for n in range(len(ids) + 2):
        out = truncate_to_tokens(text, n)
        assert out == ref.decode(ids[:n])
        assert text.startswith(out)
    assert truncate_to_tokens(text, 0) == ""


def test_truncate_never_splits_a_character(reference):
    ref = reference["o200k_base"]
    text = "a🦜b𝄞c🧑‍💻d漢字ё" * 3
    ids = ref.encode_ordinary(text)
    split_somewhere = False
    for n in range(len(ids) + 1):
        out = truncate_to_tokens(text, n)
        assert text.startswith(out)
        assert "\ufffd" not in out
        assert count_tokens(out).count <= n
        raw = ref.decode_bytes(ids[:n])
        split_somewhere |= raw != out.encode()
        assert raw.startswith(out.encode())
    assert split_somewhere  # some cut really fell inside a character


def test_truncate_for_claude_fits_the_estimate():
    text = "word " * 500
    out = truncate_to_tokens(text, 100, model="claude-opus-4-1")
    assert count_tokens(out, "claude-opus-4-1").count <= 100
    assert count_tokens(out).count == 83


def test_truncate_rejects_negative():
    with pytest.raises(InputError):
        truncate_to_tokens("x", -1)


# ---------------------------------------------------------------- --exact via a local server

class _Handler(BaseHTTPRequestHandler):
    scenario = "ok"
    seen: ClassVar[list] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        type(self).seen.append((self.path, dict(self.headers), body))
        status, payload = {
            "ok": (200, {"input_tokens": 11 + len(body["messages"][0]["content"])}),
            "401": (401, {"type": "error", "error": {"type": "authentication_error",
                                                      "message": "invalid x-api-key"}}),
            "429": (429, {"type": "error", "error": {"type": "rate_limit_error",
                                                      "message": "slow down"}}),
            "529": (529, {"type": "error", "error": {"type": "overloaded_error",
                                                      "message": "Overloaded"}}),
            "garbage": (200, {"tokens": "many"}),
        }[type(self).scenario]
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_123")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def anthropic_server(monkeypatch):
    from llm_core.config import reset_settings

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    _Handler.seen = []
    _Handler.scenario = "ok"
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-123456")
    reset_settings()
    yield _Handler
    server.shutdown()
    server.server_close()


def test_exact_claude_count_from_the_api(anthropic_server):
    result = tokens.count_tokens_anthropic("hello", "claude-test-model")
    assert result == (16, True, "anthropic/count_tokens")
    path, headers, body = anthropic_server.seen[0]
    assert path == "/v1/messages/count_tokens"
    assert headers["x-api-key"] == "sk-ant-test-key-123456"
    assert headers["anthropic-version"] == "2023-06-01"
    assert body == {"model": "claude-test-model",
                    "messages": [{"role": "user", "content": "hello"}]}


@pytest.mark.parametrize(
    ("scenario", "error", "code"),
    [("401", AuthenticationError, 4), ("429", RateLimitError, 5), ("529", OverloadedError, 6),
     ("garbage", ResponseFormatError, 6)],
)
def test_exact_count_errors_map_to_exit_codes(anthropic_server, scenario, error, code):
    anthropic_server.scenario = scenario
    with pytest.raises(error) as err:
        tokens.count_tokens_anthropic("hello", "claude-sonnet-4-5")
    assert err.value.exit_code == code
    assert "req_123" in str(err.value)


def test_exact_count_needs_a_key():
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY"):
        tokens.count_tokens_anthropic("hello", "claude-sonnet-4-5")


def test_exact_count_unreachable_server(monkeypatch):
    import socket

    from llm_core.config import reset_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-123456")
    reset_settings()
    with pytest.raises(APIConnectionError) as err:
        tokens.count_tokens_anthropic("hello", "claude-sonnet-4-5")
    assert err.value.exit_code == 7


# ---------------------------------------------------------------- the command

def _cli(*args: str, stdin: bytes | None = b"", env: dict | None = None):
    return run_main(tokens_main, *args, stdin=stdin, env=env)


def test_cli_counts_stdin_exactly(reference):
    text = "Hello, wörld! 👋 Counting tokens for gpt-4o.\n"
    result = _cli(stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == f"{len(reference['o200k_base'].encode_ordinary(text))}\n"
    result = _cli("-m", "gpt-3.5-turbo", stdin=text.encode())
    assert result.stdout.decode().strip() == str(len(reference["cl100k_base"].encode_ordinary(text)))


def test_cli_files_like_wc_with_a_missing_one(tmp_path, reference):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two three\n")
    b.write_text("four five\n" * 1000)
    ref = reference["o200k_base"]
    na, nb = (len(ref.encode_ordinary(p.read_text())) for p in (a, b))
    result = _cli(str(a), str(tmp_path / "missing.txt"), str(b), stdin=None)
    assert result.returncode == 3
    assert result.stderr.decode() == f"Error: {tmp_path / 'missing.txt'}: no such file\n"
    lines = result.stdout.decode().splitlines()
    width = len(str(na + nb))
    assert lines == [f"{na:>{width}} {a}", f"{nb:>{width}} {b}", f"{na + nb:>{width}} total"]


def test_cli_json_per_file(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("hello world")
    result = _cli("--json", "-m", "claude-sonnet-4-5", str(a), stdin=None)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == 3 and data["exact"] is False
    assert data["files"] == [{"file": str(a), "count": 3, "exact": False,
                              "method": "estimate/claude (o200k_base x 1.20)"}]


def test_cli_bad_encoding_and_option_clash():
    result = _cli("-e", "BADNAME", stdin=b"x")
    assert result.returncode == 3
    assert result.stderr.decode() == (
        "Error: unknown encoding 'BADNAME'; valid encodings: o200k_base, cl100k_base\n")
    assert result.stdout == b""
    result = _cli("-e", "cl100k_base", "-m", "gpt-4o", stdin=b"x")
    assert result.returncode == 2


def test_cli_truncate_keeps_whole_characters(reference):
    text = "Emoji 🧑‍💻 and 漢字 then more words here"
    ref = reference["o200k_base"]
    for n in (0, 1, 2, 3, 4, 6, 100):
        result = _cli("--truncate", str(n), stdin=text.encode())
        assert result.returncode == 0, result.stderr
        out = result.stdout.decode("utf-8")  # raises if a character was split
        assert text.startswith(out)
        assert len(ref.encode_ordinary(out)) <= n
    assert _cli("--truncate", "100", stdin=text.encode()).stdout.decode() == text


def test_cli_truncate_large_input_streams(tmp_path, reference):
    path = tmp_path / "big.txt"
    path.write_text("line of words number\n" * 100_000)
    result = _cli("--truncate", "250001", "--json", str(path), stdin=None)
    data = json.loads(result.stdout)
    assert data["count"] == 250001 and data["truncated"] is True
    assert data["text"] == reference["o200k_base"].decode(
        reference["o200k_base"].encode_ordinary(path.read_text())[:250001])


def test_cli_undecodable_bytes_warn(reference):
    result = _cli(stdin=b"caf\xe9 \xff\xfe ok\n")
    assert result.returncode == 0
    assert result.stderr.decode() == (
        "Warning: -: not UTF-8; 3 undecodable bytes counted as U+FFFD\n")
    expected = reference["o200k_base"].encode_ordinary("caf\ufffd \ufffd\ufffd ok\n")
    assert result.stdout.decode().strip() == str(len(expected))


def test_cli_exact_through_the_api(anthropic_server):
    import os

    env = {k: os.environ[k] for k in ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")}
    result = _cli("--exact", "-m", "claude-test-model", "--json", stdin=b"hello", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == 16 and data["exact"] is True
    assert data["method"] == "anthropic/count_tokens"
    assert anthropic_server.seen[0][2]["messages"][0]["content"] == "hello"
    anthropic_server.scenario = "401"
    result = _cli("--exact", "-m", "claude-test-model", stdin=b"hello", env=env)
    assert result.returncode == 4
    assert b"sk-ant-test-key" not in result.stderr
    assert result.stderr.decode().startswith(
        "Error: Anthropic token counting failed: authentication_error: invalid x-api-key")


def test_cli_exact_counts_each_attachment_through_the_api(anthropic_server, tmp_path):
    import base64
    import os

    from test_image_tokens import png

    (tmp_path / "chart.png").write_bytes(png(1092, 1092))
    env = {k: os.environ[k] for k in ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")}
    result = _cli("--exact", "-m", "claude-sonnet-4-6", "--json", "-a", str(tmp_path / "chart.png"),
                  stdin=b"hello", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    image = data["attachments"][0]
    # The test server answers 11 + the number of content items: 12 for the image alone.
    assert (image["tokens"], image["exact"], image["method"]) == (12, True, "anthropic/count_tokens")
    assert data["count"] == 16 + 12 and data["exact"] is True
    (_, _, body), (_, _, text_body) = anthropic_server.seen
    assert body["messages"][0]["content"] == [{"type": "image", "source": {
        "type": "base64", "media_type": "image/png",
        "data": base64.b64encode((tmp_path / "chart.png").read_bytes()).decode()}}]
    assert text_body["messages"][0]["content"] == "hello"
    # Without --exact (or for an OpenAI model, whose text is exact already) it stays an estimate.
    result = _cli("-m", "gpt-4o", "--exact", "--json", "-a", str(tmp_path / "chart.png"), stdin=b"", env=env)
    assert json.loads(result.stdout)["attachments"][0]["exact"] is False
    assert len(anthropic_server.seen) == 2


def test_cli_exact_without_key_is_a_config_error():
    result = _cli("--exact", "-m", "claude-sonnet-4-5", stdin=b"hello")
    assert result.returncode == 4
    assert "ANTHROPIC_API_KEY" in result.stderr.decode()


def test_small_input_is_counted_without_loading_tiktokens_encoder(monkeypatch):
    """Start-up of `echo text | llm-tokens`: the chunker cuts even a short line in two, and
    count_chunks would load tiktoken's encoder (~0.3 s) for it."""
    import io

    from llm_core.utils import _encodings, tokens

    def refuse(name):
        raise AssertionError("tiktoken's encoder loaded for a short input")

    monkeypatch.setattr(_encodings, "tiktoken_encoding", refuse)
    text = "short text\nand a second line\n" * 50
    result = tokens.count_stream(io.BytesIO(text.encode()), model="gpt-4o")
    assert result.count == tokens.count_tokens(text, model="gpt-4o").count


def test_input_ceiling_adds_framing_and_a_margin_only_to_estimates():
    from llm_core.utils.tokens import FRAMING_PER_CALL, FRAMING_PER_MESSAGE, input_ceiling

    text = "The quick brown fox jumps over the lazy dog. " * 20
    exact = count_tokens(text, "gpt-4o")
    assert exact.exact
    assert input_ceiling(text, "gpt-4o", messages=2) == exact.count + 2 * FRAMING_PER_MESSAGE + FRAMING_PER_CALL
    claude = count_tokens(text, "claude-sonnet-4-5")
    assert not claude.exact
    ceiling = input_ceiling(text, "claude-sonnet-4-5")
    assert ceiling == -(-claude.count * 5 // 4) + FRAMING_PER_MESSAGE + FRAMING_PER_CALL
    assert ceiling > claude.count * 1.25
    assert input_ceiling("", "gpt-4o", messages=0) == FRAMING_PER_MESSAGE + FRAMING_PER_CALL
