"""The values of settings as text turns into them: flags, bounded numbers, text, path lists,
choices. Each raises ConfigError naming the variable and what it accepts; config.py applies
them to the merged environment. A leaf module: errors only.
"""

from __future__ import annotations

import os
from pathlib import Path

from llm_core.errors import ConfigError

__all__ = ["FALSE", "TRUE", "as_bool", "as_choice", "as_number", "as_paths", "as_text"]

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def as_bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def as_number(env: dict[str, str], name: str, default, kind=int, minimum=0, allow_zero=True,
            maximum=None):
    """An LLM_* number within [minimum (or above it, without allow_zero), maximum]: anything
    else (text, nan, inf, too large) is a ConfigError naming the range."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    noun = "a whole number" if kind is int else "a number"
    bound = f">= {minimum}" if allow_zero else f"> {minimum}"
    if maximum is not None:
        top = f"{int(maximum):,}" if maximum == int(maximum) else str(maximum)
        bound = f"from {minimum} to {top}" if allow_zero else f"{bound} and <= {top}"
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be {noun} {bound}, got {raw!r}") from None
    if not (value >= minimum and (allow_zero or value != minimum)) or (
        maximum is not None and not value <= maximum
    ):
        raise ConfigError(f"{name} must be {noun} {bound}, got {raw!r}")
    return value


def as_text(env: dict[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def as_paths(env: dict[str, str], name: str) -> tuple[Path, ...]:
    raw = env.get(name, "")
    return tuple(Path(p.strip()).expanduser() for p in raw.split(os.pathsep) if p.strip())


def as_choice(env: dict[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value
