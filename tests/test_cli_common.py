import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from llm_core.cli._common import (
    debug_option,
    emit,
    fmt_ms,
    fmt_pct,
    fmt_usd,
    json_option,
    make_main,
    report,
    table,
)
from llm_core.config import reset_settings
from llm_core.errors import (
    APIConnectionError,
    ConfigError,
    DateError,
    ExitStatus,
    InputError,
    RateLimitError,
    UsageError,
    warn,
)

ROOT = Path(__file__).resolve().parents[1]


def _command(exc=None):
    @click.command()
    @debug_option
    @json_option
    def cli(as_json):
        if exc is not None:
            raise exc
        emit({"a": 1}, as_json=as_json, human=lambda d: f"a is {d['a']}")

    return make_main(cli, "llm-test")


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (InputError("bad input"), 3),
        (ConfigError("no key"), 4),
        (RateLimitError("slow down", status_code=429, request_id="req_1"), 5),
        (APIConnectionError("refused"), 7),
        (KeyboardInterrupt(), 130),
        (RuntimeError("boom"), 1),
    ],
)
def test_errors_become_one_line_and_an_exit_code(capsys, exc, code):
    assert _command(exc)([]) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_api_error_message_carries_status_and_request_id(capsys):
    _command(RateLimitError("slow down", status_code=429, request_id="req_1"))([])
    assert capsys.readouterr().err == "Error: slow down (HTTP 429, request id req_1)\n"


def test_debug_shows_traceback(capsys):
    assert _command(RuntimeError("boom"))(["--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert _command()(["--nope"]) == 2
    assert "No such option" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--nope"], "No such option '--nope'."),
        (["sub"], "Missing argument 'NAME'."),
        (["sub", "x", "--count", "many"], "Invalid value for '--count': 'many' is not a valid integer."),
        (["sub", "x", "--count", "1", "extra"], "Got unexpected extra argument (extra)"),
        (["sub", "our-usage"], "give one or the other"),
        (["sub", "bad-date"], "--since: cannot read 'soon'"),
    ],
)
def test_a_usage_error_is_one_error_line_and_one_try_line(capsys, argv, message):
    """Click's own usage errors and the tree's UsageError read the same: no usage block."""

    @click.group()
    @debug_option
    def group():
        pass

    @group.command()
    @click.argument("name")
    @click.option("--count", type=int, default=1)
    def sub(name, count):
        if name == "our-usage":
            raise UsageError("give one or the other")
        if name == "bad-date":
            raise DateError("--since: cannot read 'soon'")

    assert make_main(group, "llm-test")(argv) == ExitStatus.USAGE
    out, err = capsys.readouterr()
    where = "llm-test" if argv == ["--nope"] else "llm-test sub"
    assert (out, err) == ("", f"Error: {message}\nTry '{where} --help'.\n")


def test_a_closed_stdout_exits_141_quietly(capsys, monkeypatch):
    monkeypatch.setattr("llm_core.cli._common._silence_stdout", lambda: None)
    assert _command(BrokenPipeError())([]) == ExitStatus.STDOUT_CLOSED == 141
    assert capsys.readouterr().err == ""


def test_a_real_closed_pipe_exits_141_not_clicks_1(tmp_path):
    """Click's own main() turns EPIPE into exit 1; the wrapper drives the command itself."""
    code = (
        "import sys, click\n"
        "from llm_core.cli._common import make_main\n"
        "@click.command()\n"
        "def cli():\n"
        "    sys.stdout.write('x' * 1_000_000)\n"
        "sys.exit(make_main(cli, 'llm-test')())\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()  # the reader goes away before reading anything
    err = proc.stderr.read()
    assert (proc.wait(), err) == (141, b"")


def test_shell_completion_still_works(capsys, monkeypatch):
    monkeypatch.setenv("_LLM_TEST_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "llm-test --js")
    monkeypatch.setenv("COMP_CWORD", "1")
    assert _command()([]) == 0
    assert capsys.readouterr().out == "plain,--json\n"


def test_a_command_may_report_an_error_and_go_on(capsys):
    @click.command()
    def cli():
        report(InputError("a.txt: no such file"))
        click.echo("counted the rest")
        return ExitStatus.INPUT

    assert make_main(cli, "llm-test")([]) == 3
    assert capsys.readouterr() == ("counted the rest\n", "Error: a.txt: no such file\n")


def test_warnings_are_once_per_run(capsys):
    @click.command()
    def cli():
        warn("prices are old")
        warn("prices are old")
        warn("-: 3 bad bytes", key="file 1")
        warn("-: 3 bad bytes", key="file 2")

    main = make_main(cli, "llm-test")
    expected = "Warning: prices are old\n" + "Warning: -: 3 bad bytes\n" * 2
    assert main([]) == 0
    assert capsys.readouterr().err == expected
    assert main([]) == 0  # a second run is a second process: it warns again
    assert capsys.readouterr().err == expected


def test_json_and_human_forms(capsys):
    assert _command()([]) == 0
    assert capsys.readouterr().out == "a is 1\n"
    assert _command()(["--json"]) == 0
    assert capsys.readouterr().out == '{\n  "a": 1\n}\n'


def test_keys_are_redacted_from_error_messages(capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-1234567890")
    reset_settings()
    _command(InputError("server said: bad key sk-test-1234567890"))([])
    err = capsys.readouterr().err
    assert "sk-test-1234567890" not in err
    assert "***" in err


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "unknown"), (0, "$0.00"), (47.321, "$47.32"), (1234.5, "$1,234.50"),
     (0.5, "$0.50"), (0.0025, "$0.0025"), (0.000013, "$0.000013")],
)
def test_fmt_usd(value, text):
    assert fmt_usd(value) == text


def test_fmt_pct_and_ms():
    assert fmt_pct(1, 4) == "25%"
    assert fmt_pct(1, 0) == "0%"
    assert fmt_ms(1234) == "1.23s"
    assert fmt_ms(87.4) == "87ms"


def test_debug_does_not_stick_to_the_next_run(capsys):
    main = _command(RuntimeError("boom"))
    assert main(["--debug"]) == 1
    capsys.readouterr()
    assert main([]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_table_with_headers_aligns_like_tabulate_simple():
    text = table([["a", "1"], ["bbb", "22"]], ["NAME", "N"], align=["left", "right"])
    assert text == "NAME   N\n----  --\na      1\nbbb   22"


def test_table_without_headers_is_plain_columns():
    assert table([["x", "$1.00"], ["longer", "$12.50"]], align=["left", "right"]) == (
        "x        $1.00\nlonger  $12.50"
    )


def test_table_counts_wide_characters_as_two_columns():
    text = table([["数据", "1"], ["ab", "2"]], ["P", "N"])
    assert text.splitlines()[2:] == ["数据  1", "ab    2"]
