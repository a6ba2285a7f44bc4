"""One vocabulary of flags across the five commands, and a range on every number.

Walks every command's and subcommand's click options: a shared flag (-m/--model, -p/--provider,
--since, --until, --days, -n/--limit, --json, --debug, --version) has the same names, type and
help wording wherever it appears; every numeric option refuses absurd values with a usage
error (exit 2), never an internal error (exit 1)."""

from __future__ import annotations

import importlib

import click
import pytest
from conftest import run_main

from llm_core import __version__, telemetry
from llm_core.cli import _common
from llm_core.storage.local import get_storage

COMMANDS = {
    "llm-chat": "llm_core.cli.chat",
    "llm-tokens": "llm_core.cli.tokens",
    "llm-cost": "llm_core.cli.cost",
    "llm-models": "llm_core.cli.models",
    "llm-telemetry": "llm_core.cli.telemetry",
}
SHARED = {  # long name -> (the other names it must have, where it is defined)
    "--model": (["-m", "--model"], _common.model_option),
    "--provider": (["-p", "--provider"], _common.provider_option),
    "--since": (["--since"], _common.since_option),
    "--until": (["--until"], _common.until_option),
    "--days": (["--days"], _common.days_option),
    "--limit": (["-n", "--limit"], _common.limit_option(0)),
    "--json": (["--json"], _common.json_option),
    "--debug": (["--debug"], _common.debug_option),
}
# Older names a command keeps for a shared flag, besides the shared ones.
ALIASES = {("llm-telemetry models", "--limit"): ["--top"], ("llm-telemetry log", "--limit"): ["--lines"]}
# A flag with a shared name and another meaning, on purpose.
OTHER_MEANING = {("llm-telemetry demo", "--days")}  # spreads demo records over N days
ABSURD = ["nan", "inf", "-inf", "1e400", "-1", "99999999999999999999", "-99999999999999999999", "abc"]


def all_commands() -> list[tuple[str, str, click.Command]]:
    """(program, command path, command) for every command and subcommand."""
    out = []
    for prog, module in COMMANDS.items():
        cli = importlib.import_module(module).cli
        out.append((prog, prog, cli))
        if isinstance(cli, click.Group):
            ctx = click.Context(cli)
            for name in cli.list_commands(ctx):
                out.append((prog, f"{prog} {name}", cli.get_command(ctx, name)))
    return out


def reference(name: str) -> click.Option:
    _names, decorator = SHARED[name]
    command = decorator(click.Command("x", callback=lambda **kw: None))
    return next(p for p in command.params if name in p.opts)


def _type_key(option: click.Option) -> tuple:
    t = option.type
    return (type(t).__name__, getattr(t, "min", None), getattr(t, "max", None))


def test_shared_flags_have_the_same_names_types_and_help_everywhere():
    seen = {name: 0 for name in SHARED}
    for _prog, path, command in all_commands():
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            long = next((n for n in SHARED if n in param.opts), None)
            if long is None or (path, long) in OTHER_MEANING:
                continue
            seen[long] += 1
            ref = reference(long)
            expected = SHARED[long][0] + ALIASES.get((path, long), [])
            assert sorted(param.opts) == sorted(expected), (path, param.opts)
            assert _type_key(param) == _type_key(ref), (path, long)
            assert param.help == ref.help, (path, long)
            assert param.metavar == ref.metavar, (path, long)
    assert all(seen.values()), seen


def test_every_command_and_subcommand_takes_debug_and_json():
    for _prog, path, command in all_commands():
        flags = {opt for p in command.params for opt in p.opts}
        assert "--debug" in flags, path
        if path != "llm-models sync" and not isinstance(command, click.Group):
            assert "--json" in flags or path == "llm-telemetry export", path  # export: --format jsonl


def test_shortcuts_exist_where_the_issue_asks():
    flags = {path: {opt for p in c.params for opt in p.opts} for _prog, path, c in all_commands()}
    for path in ("llm-telemetry stats", "llm-telemetry log", "llm-telemetry export", "llm-telemetry costs"):
        assert {"-m", "-p", "--days", "--since", "--until"} <= flags[path], path
    assert {"-n", "--top"} <= flags["llm-telemetry models"]
    assert {"-n", "--limit"} <= flags["llm-telemetry log"]


@pytest.mark.parametrize("prog", sorted(COMMANDS))
def test_version_everywhere(prog):
    result = run_main(importlib.import_module(COMMANDS[prog]).main, "--version")
    assert result.returncode == 0
    assert result.stdout.decode() == f"{prog} (llm-core) {__version__}\n"


def numeric_options() -> list[tuple[str, list[str], str]]:
    """(program, the subcommand words, the flag) of every option that takes a number."""
    out = []
    for prog, path, command in all_commands():
        words = path.split()[1:]
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and isinstance(
                param.type, (click.types._NumberParamTypeBase, click.types.IntParamType,
                             click.types.FloatParamType)
            ):
                out.append((prog, words, param.opts[-1]))
    return out


def test_every_numeric_option_is_found():
    found = {(prog, " ".join(words), flag) for prog, words, flag in numeric_options()}
    assert ("llm-chat", "", "--temperature") in found
    assert ("llm-telemetry", "log", "--poll") in found
    assert len(found) >= 20


@pytest.mark.parametrize(("prog", "words", "flag"), numeric_options(),
                         ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_absurd_numbers_are_usage_errors(prog, words, flag):
    main = importlib.import_module(COMMANDS[prog]).main
    for value in ABSURD:
        result = run_main(main, *words, f"{flag}={value}", "-m" if prog == "llm-chat" else "--debug",
                          *(["echo", "hi"] if prog == "llm-chat" else []), stdin=b"text")
        assert result.returncode == 2, (prog, words, flag, value, result.stderr.decode())
        assert b"Error: " in result.stderr


def test_temperature_nan_is_refused():
    from llm_core.cli.chat import main

    result = run_main(main, "-m", "echo", "--temperature", "nan", "hi")
    assert result.returncode == 2
    assert "'nan' is not a finite number" in result.stderr.decode()


# ---------------------------------------------------------------- the model filter

def _record(model: str, provider: str = "anthropic") -> None:
    telemetry.record_call(provider=provider, model=model, tokens={"input": 10, "output": 5},
                          duration_ms=100, success=True)
    get_storage().flush()  # the store writes in the background


def _calls(*args: str) -> tuple[int, str]:
    from llm_core.cli.telemetry import main

    result = run_main(main, "stats", "--json", *args)
    if result.returncode:
        return result.returncode, result.stderr.decode()
    import json

    return 0, json.loads(result.stdout)["totals"]["calls"]


def test_model_filter_resolves_aliases_and_api_ids():
    from llm_core.models.registry import get_model

    entry = get_model("sonnet")
    _record(entry["id"])
    _record(entry["api_id"])  # written by another tool, under the API id
    _record("gpt-4o-mini", "openai")
    assert _calls("--model", "sonnet") == (0, 2)
    assert _calls("-m", entry["id"]) == (0, 2)
    assert _calls("-m", "gpt-4o-mini", "-p", "openai") == (0, 1)
    assert _calls("-p", "openai") == (0, 1)


def test_unknown_model_filter_is_an_error_with_suggestions():
    _record("claude-haiku-4-5")
    code, err = _calls("--model", "claude-haiku-4-55")
    assert code == 3
    assert "unknown model 'claude-haiku-4-55' (did you mean claude-haiku-4-5" in err


def test_a_local_model_in_the_store_is_filterable():
    _record("llama3.2:3b", "openai")
    assert _calls("--model", "llama3.2:3b") == (0, 1)
    code, err = _calls("--model", "llama3.2:3")
    assert code == 3 and "did you mean llama3.2:3b" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "100000000"], "100000000 is not in the range 1<=x<=36500"),
        (["--until", "9999-12-31"], "--until: 9999-12-31 is out of range"),
        (["--since", "0001-01-01"], "--since: 0001-01-01 is out of range"),
        (["--since", "9999999d"], "--since: 9999999d is too long ago"),
        (["week", "--days", "3"], "give a period or --days, not both"),
    ],
)
def test_out_of_range_dates_are_usage_errors(args, message):
    code, err = _calls(*args)
    assert code == 2
    assert message in err


def test_relative_dates(monkeypatch):
    monkeypatch.setenv("LLM_TELEMETRY_NOW", "2026-11-27T12:00:00Z")
    from llm_core.storage.windows import parse_when

    now = parse_when("2026-11-27T12:00:00Z")
    assert parse_when("24h", now=now) == now - 86_400_000
    assert parse_when("7d", now=now) == now - 7 * 86_400_000
    assert parse_when("30m", now=now) == now - 1_800_000
    assert parse_when("2w ago", now=now) == now - 14 * 86_400_000
    assert parse_when("today", now=now) == parse_when("2026-11-27")
    assert parse_when("yesterday", now=now) == parse_when("2026-11-26")
    assert parse_when("yesterday", end=True, now=now) == parse_when("2026-11-27")
    assert parse_when("7d") is None  # no clock, no age
    for args in (["--since", "7d"], ["--since", "yesterday", "--until", "today"], ["--days", "2"]):
        assert _calls(*args)[0] == 0, args
