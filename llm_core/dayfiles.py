"""The day files, plain or compressed: the one reader of a day file (`read_day_file`,
`day_file_stat`, `day_file_parts`); `gzip_bytes` and `gzip_source` write and read the
compressed form.

A day file is named by its plain path (`DAY/telemetry.jsonl`); its lines are those of
`DAY/telemetry.jsonl.gz` (when there), then those of the plain file -- unless the plain file is
the very file the .gz was made from (its identity is in the .gz header: a compression killed
between its rename and its unlink), which is then skipped, so nothing is counted twice.

A leaf: it imports nothing of llm-core's (llm_core.records imports it for read_jsonl).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from stat import S_ISREG
from typing import Any, NamedTuple

import orjson

__all__ = [
    "GZ_SUFFIX", "DayStat", "compressed_path", "day_file_exists", "day_file_parts", "day_file_stat", "gunzip",
    "gzip_bytes", "gzip_source", "read_day_file", "source_identity",
]

GZ_SUFFIX = ".gz"

_GZ_HEAD = b"\x1f\x8b\x08"
_GZ_FEXTRA = 4
_GZ_FIELD = b"LC"  # our subfield of the gzip header's extra field: the source file's identity


class DayStat(NamedTuple):
    """The identity of a day file as a whole (what a day summary remembers); `compressed` when
    some of its lines are in the .gz."""

    st_ino: int
    st_dev: int
    st_size: int
    st_mtime_ns: int
    compressed: bool = False


def source_identity(st: Any) -> dict:
    """{ino, dev, size, mtime_ns} of a stat result: a file's identity while nothing writes it."""
    return {"ino": st.st_ino, "dev": st.st_dev, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def compressed_path(path: str | os.PathLike) -> Path:
    """Where the compressed form of the day file `path` lives: `path`.gz."""
    return Path(f"{os.fspath(path)}{GZ_SUFFIX}")


def gzip_bytes(data: bytes, source: dict | None = None, level: int = 6) -> bytes:
    """`data` as one gzip member (RFC 1952) that gzip, Python and DuckDB read; `source` (the
    identity of the file compressed) goes into the header's extra field."""
    import struct  # here, as zlib: only compression and compressed days need them
    import zlib

    extra, flags = b"", 0
    if source is not None:
        payload = orjson.dumps(source)
        field = _GZ_FIELD + struct.pack("<H", len(payload)) + payload
        extra, flags = struct.pack("<H", len(field)) + field, _GZ_FEXTRA
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(data) + packer.flush()
    return (_GZ_HEAD + bytes((flags,)) + b"\0\0\0\0\0\xff" + extra + body
            + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def gzip_source(path: str | os.PathLike) -> dict | None:
    """The source identity in the header of the gzip file at `path` (None when it has none)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or not head.startswith(_GZ_HEAD) or not head[3] & _GZ_FEXTRA:
                return None
            extra = f.read(int.from_bytes(head[10:12], "little"))
    except OSError:
        return None
    while len(extra) >= 4:
        size = int.from_bytes(extra[2:4], "little")
        if extra[:2] == _GZ_FIELD:
            with contextlib.suppress(orjson.JSONDecodeError):
                found = orjson.loads(extra[4:4 + size])
                return found if isinstance(found, dict) else None
            return None
        extra = extra[4 + size:]
    return None


def _stat(path: str | os.PathLike) -> os.stat_result | None:
    """None when `path` is missing or not a regular file: a symbolic link is not followed (its
    target is not the store's), a folder named like a day file is not one."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return st if S_ISREG(st.st_mode) else None


def day_file_exists(path: str) -> bool:
    """Whether the day file `path` (a string: stat'ed for every day of every store) is there,
    plain or compressed, as a regular file of the store's own."""
    return _stat(path) is not None or _stat(path + GZ_SUFFIX) is not None


def _leftover(plain: os.stat_result, gz: str | os.PathLike) -> bool:
    """True when the plain file is the one `gz` was made from (its unlink did not happen)."""
    return gzip_source(gz) == source_identity(plain)


def day_file_parts(path: str | os.PathLike) -> list[Path]:
    """The files holding the lines of the day file `path`, in order: its .gz, then the plain
    file (unless it is the leftover of that .gz). Empty when the day file does not exist."""
    path = Path(path)
    gz = compressed_path(path)
    pst, gst = _stat(path), _stat(gz)
    if gst is None:
        return [path] if pst is not None else []
    if pst is None or _leftover(pst, gz):
        return [gz]
    return [gz, path]


def day_file_stat(path: str | os.PathLike) -> DayStat:
    """The identity of the day file `path` as a whole, plain or compressed (FileNotFoundError
    when neither exists). It changes whenever the day's lines do."""
    path = os.fspath(path)  # strings, not Paths: reports stat every day of every store
    gz = path + GZ_SUFFIX
    pst, gst = _stat(path), _stat(gz)
    if gst is None:
        if pst is None:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return DayStat(pst.st_ino, pst.st_dev, pst.st_size, pst.st_mtime_ns)
    if pst is None or _leftover(pst, gz):
        return DayStat(gst.st_ino, gst.st_dev, gst.st_size, gst.st_mtime_ns, True)
    # Lines appended after the day was compressed: the identity of both together.
    return DayStat(pst.st_ino, pst.st_dev, pst.st_size + gst.st_size,
                   max(pst.st_mtime_ns, gst.st_mtime_ns), True)


def gunzip(data: bytes) -> bytes:
    """The content of gzip `data` (every member); a damaged or cut end yields what came before."""
    import zlib  # here: only compressed days need it

    out = []
    while data:
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.append(unpacker.decompress(data))
            out.append(unpacker.flush())
        except zlib.error:
            break
        if not unpacker.eof:
            break
        data = unpacker.unused_data
    return b"".join(out)


def read_day_file(path: str | os.PathLike) -> bytes:
    """All the lines of the day file `path` (see day_file_parts), decompressed where compressed.
    FileNotFoundError when it does not exist."""
    for _ in range(3):  # a compression between listing the parts and reading them: list again
        parts = day_file_parts(path)
        if not parts:
            break
        chunks: list[bytes] = []
        try:
            for part in parts:
                with open(part, "rb") as f:
                    data = f.read()
                if part.name.endswith(GZ_SUFFIX):
                    data = gunzip(data)
                if chunks and chunks[-1] and not chunks[-1].endswith(b"\n"):
                    chunks.append(b"\n")  # a torn last line stays alone on its line
                chunks.append(data)
        except FileNotFoundError:
            continue
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    raise FileNotFoundError(2, "No such file or directory", os.fspath(path))
