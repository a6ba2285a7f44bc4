"""What the exporters share: the missing-extra error and the once-per-process warning."""

from __future__ import annotations

import contextlib

from llm_core.errors import warn as _warn

__all__ = ["ExporterMissing", "warn"]


class ExporterMissing(ImportError):
    """The optional extra an exporter needs is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this needs the {extra!r} extra ({module} is not installed): "
            f"pip install 'llm-cli-tools-core[{extra}]'"
        )
        self.extra = extra


def warn(key: str, message: str) -> None:
    """One warning line per process per key (`Warning: ...`, the library's one channel)."""
    with contextlib.suppress(Exception):  # a closed stderr must not break anything
        _warn(message, key="export-" + key)
