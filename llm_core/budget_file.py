"""budgets.toml: budgets scoped to a project, an agent or a model, in the user's config folder.

    # $XDG_CONFIG_HOME/llm-core/budgets.toml
    [[budget]]
    name = "ci-bot"          # named in refusals and in `llm-telemetry budget`
    agent = "ci-bot"         # scope: any of project, agent, model (all given must match)
    window = "week"          # day, week (from Monday) or month: local time
    limit_usd = 5

A budget counts only the calls whose record carries its scope (metadata.project, agent_name,
model); one with no scope counts every call. Every budget that matches a call is checked, with
LLM_BUDGET_DAILY_USD and LLM_BUDGET_MONTHLY_USD, so a budget can only be added here, never
lifted. The file is the user's: a repository has no say in it (a project `.env` cannot move it:
the config folder comes from the real environment only).

A file that cannot be read, is not TOML or holds anything else than the keys above raises
ConfigError (exit 4) naming the file and the problem, in one line. The parsed file is kept
per process while its size and mtime stay the same.
"""

from __future__ import annotations

import importlib
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llm_core.errors import ConfigError

__all__ = ["FILE_NAME", "SCOPE_KEYS", "WINDOWS", "FileBudget", "load_budget_file"]

FILE_NAME = "budgets.toml"
SCOPE_KEYS = ("project", "agent", "model")
WINDOWS = ("day", "week", "month")
MAX_LIMIT_USD = 1e9
_KEYS = ("name", *SCOPE_KEYS, "window", "limit_usd")


@dataclass(frozen=True)
class FileBudget:
    name: str
    window: str
    limit_usd: float
    scope: tuple[tuple[str, str], ...]  # (key, value) in SCOPE_KEYS order; () is every call
    path: Path


_cache: dict[Path, tuple[tuple[int, int], list[FileBudget]]] = {}


def load_budget_file(path: Path) -> list[FileBudget]:
    """The budgets of `path` ([] when it does not exist); ConfigError when it is not valid."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return []
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None
    stamp = (st.st_size, st.st_mtime_ns)
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path} is not UTF-8 text (byte {e.start}); fix or remove it") from None
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None
    # By name: tomllib is the standard library's from 3.11, tomli (a dependency below) the same parser.
    toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    try:
        data = toml.loads(text)
    except ValueError as e:  # TOMLDecodeError
        raise ConfigError(f"{path} is not valid TOML: {e}") from None
    found = _budgets(path, data)
    _cache[path] = (stamp, found)
    return found


def _budgets(path: Path, data: dict[str, Any]) -> list[FileBudget]:
    extra = sorted(set(data) - {"budget"})
    if extra:
        raise ConfigError(f"{path}: unknown key {extra[0]!r}; budgets are [[budget]] tables")
    tables = data.get("budget", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: 'budget' must be [[budget]] tables")
    out: list[FileBudget] = []
    for number, table in enumerate(tables, 1):
        budget = _budget(path, number, table)
        if any(b.name == budget.name for b in out):
            raise ConfigError(f"{path}: budget {number}: the name {budget.name!r} is used twice")
        out.append(budget)
    return out


def _budget(path: Path, number: int, table: dict[str, Any]) -> FileBudget:
    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{path}: budget {number}: {problem}")

    unknown = [k for k in table if k not in _KEYS]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (a budget has {', '.join(_KEYS)})")
    for key in ("name", "window", "limit_usd"):
        if key not in table:
            raise fail(f"{key} is missing")
    for key in ("name", *SCOPE_KEYS):
        value = table.get(key, "x")
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{key} must be a non-empty string, got {value!r}")
    if table["window"] not in WINDOWS:
        raise fail(f"window must be day, week or month, got {table['window']!r}")
    limit = table["limit_usd"]
    if (isinstance(limit, bool) or not isinstance(limit, (int, float)) or not math.isfinite(limit)
            or not 0 < limit <= MAX_LIMIT_USD):
        raise fail(f"limit_usd must be a number > 0 and <= 1,000,000,000, got {limit!r}")
    scope = tuple((k, table[k].strip()) for k in SCOPE_KEYS if k in table)
    return FileBudget(table["name"].strip(), table["window"], float(limit), scope, path)
