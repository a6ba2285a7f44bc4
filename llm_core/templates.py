"""Saved llm-chat templates: `$XDG_CONFIG_HOME/llm-core/templates/NAME.toml`.

    description = "Summarise a diff"          # optional, shown by llm-chat --templates
    system = "You are a terse reviewer."
    model = "claude-haiku-4-5"
    prompt = "Summarise this in $1 bullet points:\\n\\n$input"

    [options]
    max_tokens = 300
    temperature = 0.2

A template is data, never executed: the prompt is a `string.Template` whose placeholders are
`$input` (the piped text, else the arguments joined) and `$1`, `$2`, ... (the arguments). A
prompt that uses none of them gets the input appended after a blank line. An unknown
placeholder is a UsageError (exit 2); a template that is missing or not valid TOML, or that
has keys other than these, is an InputError (exit 3).
"""

from __future__ import annotations

import importlib
import json
import re
import string
import sys
from pathlib import Path
from typing import Any

from llm_core.config import get_settings
from llm_core.errors import InputError, UsageError
from llm_core.records import atomic_write

KEYS = ("description", "system", "model", "prompt", "options")
OPTION_TYPES: dict[str, tuple[type, ...]] = {"max_tokens": (int,), "temperature": (int, float)}
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII).fullmatch


class PromptTemplate(string.Template):
    """`$input` and the positional `$1`, `$2`, ... (string.Template's identifiers, plus digits)."""

    idpattern = r"(?a:[_a-z0-9]+)"


def templates_dir() -> Path:
    return get_settings().config_dir / "templates"


def check_name(name: str) -> str:
    if not _NAME_RE(name) or name.endswith(".toml"):
        raise UsageError(f"'{name}' is not a template name (letters, digits, '.', '-' and '_')")
    return name


def _toml():
    # tomllib is the standard library's from 3.11; tomli (a dependency below 3.11) is the same
    # parser. By name: a plain `import tomllib` would not even parse-check on 3.10's terms.
    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


def template_path(name: str) -> Path:
    """Where template `name` lives (UsageError when it is not a template name)."""
    return templates_dir() / f"{check_name(name)}.toml"


def load(name: str) -> dict[str, Any]:
    """The template `name` as a dict of KEYS (InputError when missing or malformed)."""
    path = template_path(name)
    try:
        data = _toml().loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no template '{name}' (looked for {path}; llm-chat --templates lists them)") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:  # tomllib.TOMLDecodeError is a ValueError
        raise InputError(f"template {path}: {e}") from None
    return validate(data, path)


def validate(data: dict[str, Any], path: Path | str) -> dict[str, Any]:
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(f"template {path}: unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})")
    for key in ("description", "system", "model", "prompt"):
        if key in data and not isinstance(data[key], str):
            raise InputError(f"template {path}: {key} must be a string")
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise InputError(f"template {path}: [options] must be a table")
    for key, value in options.items():
        types = OPTION_TYPES.get(key)
        if types is None:
            raise InputError(f"template {path}: unknown option '{key}' (known: {', '.join(OPTION_TYPES)})")
        if isinstance(value, bool) or not isinstance(value, types):
            raise InputError(f"template {path}: option {key} must be a number")
    return data


def render(prompt: str, piped: str, args: list[str]) -> str:
    """The template's prompt with $input and $1.. filled in (UsageError for an unknown one)."""
    template = PromptTemplate(prompt)
    values = {str(i): a for i, a in enumerate(args, 1)}
    values["input"] = piped or " ".join(args)
    check(prompt)
    try:
        names = _placeholders(template)
        text = template.substitute(values)
    except KeyError as e:
        raise UsageError(f"the template's prompt uses ${e.args[0]}, but {len(args)} argument(s) "
                         "were given") from None
    except ValueError as e:
        raise UsageError(f"the template's prompt: {e} (write $$ for a dollar sign)") from None
    if not names and values["input"]:
        text = f"{text}\n\n{values['input']}" if text else values["input"]
    return text


def check(prompt: str) -> None:
    """UsageError unless every placeholder of `prompt` is $input or $1, $2, ..."""
    template = PromptTemplate(prompt)
    try:
        names = _placeholders(template)
    except ValueError as e:
        raise UsageError(f"the template's prompt: {e} (write $$ for a dollar sign)") from None
    unknown = sorted(n for n in names if n != "input" and not (n.isdigit() and int(n) > 0))
    if unknown:
        raise UsageError(f"the template's prompt uses ${unknown[0]}: the placeholders are $input and $1, $2, ...")


def _placeholders(template: PromptTemplate) -> set[str]:
    names = set()
    for match in template.pattern.finditer(template.template):
        if match.group("invalid") is not None:
            raise ValueError(f"a '$' that starts no placeholder at character {match.start('invalid')}")
        name = match.group("named") or match.group("braced")
        if name:
            names.add(name)
    return names


def save(name: str, data: dict[str, Any]) -> Path:
    """Write template `name` (KEYS with None values left out); returns its path."""
    path = template_path(name)
    lines = [f"{key} = {_toml_string(data[key])}" for key in KEYS[:-1] if data.get(key) is not None]
    options = {k: v for k, v in (data.get("options") or {}).items() if v is not None}
    if options:
        lines += ["", "[options]"] + [f"{k} = {json.dumps(v)}" for k, v in options.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, ("\n".join(lines) + "\n").encode())
    return path


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def list_templates() -> list[dict[str, Any]]:
    """[{name, description, model, path}] of every saved template, by name."""
    folder = templates_dir()
    rows = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        try:
            data = load(path.stem)
            about = data.get("description") or (data.get("system") or data.get("prompt") or "").strip()
        except (InputError, UsageError) as e:
            data, about = {}, f"(unreadable: {e})"
        rows.append({"name": path.stem, "description": (about.splitlines() or [""])[0],
                     "model": data.get("model"), "path": str(path)})
    return rows
