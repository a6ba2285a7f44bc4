"""llm-chat's templates (-t NAME, --save NAME, --templates); imported only when one is used.
The templates themselves (files, TOML, placeholders) are llm_core/templates.py."""

from __future__ import annotations

import sys
from typing import Any

from llm_core import templates
from llm_core.cli._common import emit, table


def print_list(as_json: bool) -> int:
    rows = templates.list_templates()
    emit(rows, as_json=as_json, human=_table)
    return 0


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"(no templates in {templates.templates_dir()})"
    return table([(r["name"], r["model"] or "", r["description"]) for r in rows],
                 headers=("name", "model", "description"))


def save(name: str, opts: dict[str, Any], prompt: tuple[str, ...], as_json: bool) -> int:
    """Write template `name` from the command line's options; the arguments become its prompt."""
    data = {"system": opts["system"], "model": opts["model"], "prompt": " ".join(prompt) or None,
            "options": {"max_tokens": opts["max_tokens"], "temperature": opts["temperature"]}}
    if data["prompt"] is not None:
        templates.check(data["prompt"])  # an unknown placeholder fails now, not on use
    replaced = templates.template_path(name).is_file()
    path = templates.save(name, data)
    if as_json:
        emit({"name": name, "path": str(path), "replaced": replaced}, as_json=True)
    else:  # saving over a template is allowed (that is how one is changed), but said
        sys.stderr.write(f"{'Replaced' if replaced else 'Saved'} template {name} {'at' if replaced else 'to'} {path}\n")
    return 0


def apply(name: str, opts: dict[str, Any], piped: str, prompt: tuple[str, ...]) -> str | None:
    """Fill `opts` (system, model, max_tokens, temperature) from template `name` where the
    command line left them unset; the prompt the template makes of the input, or None."""
    data = templates.load(name)
    for key in ("system", "model"):
        if opts[key] is None:
            opts[key] = data.get(key)
    for key, value in data.get("options", {}).items():
        if opts.get(key) is None:
            opts[key] = value
    if "prompt" not in data:
        return None
    return templates.render(data["prompt"], piped, list(prompt))
