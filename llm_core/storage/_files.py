"""The file operations of LocalStorage's appends: open a day file without following a
symbolic link (O_NOFOLLOW, through the day folder's fd), read its last byte, write all of a
buffer; and the summaries' writes, only into the store's own .summaries folder. A leaf: it
imports nothing of llm-core's but llm_core.records.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from llm_core.records import FILE_MODE, atomic_write

__all__ = ["CLOEXEC", "DIR_FLAGS", "NOFOLLOW", "last_byte", "open_in", "own_folder", "write_all", "write_summary"]

# The store's open flags, one definition for every module that opens its files (0 where the
# platform lacks a flag).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | NOFOLLOW | CLOEXEC
_OPEN_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | NOFOLLOW | CLOEXEC
_DIR_FD = os.open in os.supports_dir_fd


def last_byte(fd: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, 1, size - 1)
    os.lseek(fd, size - 1, os.SEEK_SET)  # Windows; O_APPEND still appends
    return os.read(fd, 1)


def open_in(folder: Path, name: str) -> int:
    """Open folder/name for appending, following a symbolic link in neither (ELOOP: refused)."""
    try:
        if not _DIR_FD:
            return os.open(folder / name, _OPEN_FLAGS, FILE_MODE)
        dfd = os.open(folder, DIR_FLAGS)
        try:
            return os.open(name, _OPEN_FLAGS, FILE_MODE, dir_fd=dfd)
        finally:
            os.close(dfd)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise OSError(e.errno, "a symbolic link in the store, never followed", str(folder / name)) from None
        raise


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def own_folder(folder: str | os.PathLike) -> bool:
    """Whether `folder` (the store's .summaries) may be written and cleaned up: not a symbolic
    link, which would put the store's caches, and the removal of stale ones, somewhere else."""
    return not os.path.islink(folder)


def write_summary(path: str | os.PathLike, data: bytes) -> None:
    """atomic_write `data` at `path` in the store's .summaries folder; OSError (ELOOP) when that
    folder is a symbolic link: the reports then build in memory, as on a read-only store."""
    folder = os.path.dirname(path)
    if not own_folder(folder):
        raise OSError(errno.ELOOP, "not the store's own folder (a symbolic link)", folder)
    atomic_write(path, data)
