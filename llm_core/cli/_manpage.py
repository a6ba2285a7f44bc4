"""Generate man/<command>.1 from the click definitions.

    python -m llm_core.cli._manpage           # rewrite man/*.1
    python -m llm_core.cli._manpage --check   # exit 1 if a committed page is out of date

A command module provides `cli` (the click command or group) and may provide
`MAN_SECTIONS`, an ordered dict of extra sections (title -> plain text) such as
"JSON OUTPUT" or "FILES". Plain text there: blank lines separate paragraphs, lines
starting with two spaces are kept as they are.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import textwrap
from pathlib import Path

import click

from llm_core.errors import EXIT_STATUS_TABLE

COMMANDS = {
    "llm-chat": "llm_core.cli.chat",
    "llm-tokens": "llm_core.cli.tokens",
    "llm-cost": "llm_core.cli.cost",
    "llm-models": "llm_core.cli.models",
    "llm-telemetry": "llm_core.cli.telemetry",
}

MAN_DIR = Path(__file__).resolve().parents[2] / "man"

_ENVIRONMENT = inspect.getdoc(importlib.import_module("llm_core.config")).split("\n\n", 2)[2]


def _esc(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in text.split("\n"))


def _paragraphs(text: str) -> str:
    """Plain text to roff: '\\b' blocks and indented lines stay verbatim."""
    out: list[str] = []
    for block in inspect.cleandoc(text).split("\n\n"):
        lines = block.split("\n")
        if lines[0].strip() == "\b":
            lines = lines[1:]
            verbatim = True
        else:
            verbatim = all(line.startswith("  ") for line in lines if line.strip())
        if verbatim:
            out.append(".PP\n.nf\n.RS 4\n" + _esc("\n".join(lines)) + "\n.RE\n.fi")
        else:
            out.append(".PP\n" + _esc(" ".join(line.strip() for line in lines)))
    return "\n".join(out)


def _options(command: click.Command, ctx: click.Context) -> str:
    out = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            continue  # arguments are in the synopsis (click >= 8.5 gives them help records)
        record = param.get_help_record(ctx)
        if not record:
            continue
        names, help_text = record
        out.append(f".TP\n.B {_esc(names)}\n{_esc(help_text) if help_text else ''}")
    return "\n".join(out)


def _usage(command: click.Command, ctx: click.Context, name: str) -> str:
    pieces = command.collect_usage_pieces(ctx)
    return f".B {_esc(name)}\n{_esc(' '.join(pieces))}"


def render(prog: str, module_name: str) -> str:
    module = importlib.import_module(module_name)
    command: click.Command = module.cli
    ctx = click.Context(command, info_name=prog)
    doc = inspect.cleandoc(command.help or "")
    summary = command.short_help or doc.split("\n")[0].rstrip(".")
    parts = [
        f'.TH {prog.upper()} 1 "" "llm-core" "User Commands"',
        ".SH NAME",
        f"{_esc(prog)} \\- {_esc(summary)}",
        ".SH SYNOPSIS",
        _usage(command, ctx, prog),
        ".SH DESCRIPTION",
        _paragraphs(doc),
        ".SH OPTIONS",
        _options(command, ctx),
    ]
    if isinstance(command, click.Group):
        parts.append(".SH COMMANDS")
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=sub_name, parent=ctx)
            parts.append(f".SS {_esc(sub_name)}")
            parts.append(_usage(sub, sub_ctx, f"{prog} {sub_name}"))
            parts.append(_paragraphs(sub.help or ""))
            parts.append(_options(sub, sub_ctx))
    for title, body in getattr(module, "MAN_SECTIONS", {}).items():
        parts.append(f".SH {title.upper()}")
        parts.append(_paragraphs(body))
    parts.append(".SH ENVIRONMENT")
    parts.append(".nf\n" + _esc(textwrap.dedent(_ENVIRONMENT)) + "\n.fi")
    parts.append(".SH EXIT STATUS")
    for code, meaning in EXIT_STATUS_TABLE:
        parts.append(f".TP\n.B {code}\n{_esc(meaning)}")
    others = [f".BR {name} (1)" for name in COMMANDS if name != prog]
    parts.append(".SH SEE ALSO")
    parts.append(",\n".join(others))
    return "\n".join(p for p in parts if p) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    stale = []
    for prog, module_name in COMMANDS.items():
        try:
            text = render(prog, module_name)
        except ModuleNotFoundError:
            continue  # the command does not exist yet
        path = MAN_DIR / f"{prog}.1"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(prog)
        else:
            path.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)} (run python -m llm_core.cli._manpage)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
