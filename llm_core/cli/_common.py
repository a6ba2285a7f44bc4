"""What every command shares: the main() wrapper, output formats, input reading, formatting.

Output format is chosen here and only here: `--json` writes one JSON document (log: JSON Lines), `--jsonl` one
compact object per line, otherwise the command's human form (plain lines or an aligned table).
A terminal changes colour, never the format; NO_COLOR turns colour off.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click

from llm_core import __version__
from llm_core.config import debug_requested, redact
from llm_core.errors import (
    Cancelled,
    ExitStatus,
    InputError,
    LLMCoreError,
    UsageError,
    reset_warnings,
)
from llm_core.errors import warn as warn  # the CLI's Warning: lines are the library's

# httpx imports its own command-line client (rich and pygments) whenever those happen to be
# installed; our commands never use it, and it cost llm-chat ~3% of a call's CPU. A None entry
# makes that one import fail, and httpx then leaves its `main` unset-up.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

_debug = False


# ---------------------------------------------------------------- main wrapper

def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    global _debug
    if value:
        _debug = True


debug_option = click.option(
    "--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
    help="Show the full traceback of an error (also LLM_DEBUG=1).",
)


# ---------------------------------------------------------------- the shared options
# One definition of every flag that more than one command takes, used by all of them (a test
# walks every command and checks names, types and help wording agree). Every number has a
# range; a value outside it is a usage error (exit 2).

MAX_DAYS = 36_500  # 100 years
MAX_LIMIT = 1_000_000
MAX_TOKENS = 10**12  # token counts given on the command line


class FiniteFloatRange(click.FloatRange):
    """click.FloatRange that also refuses nan and inf (which compare false with any bound)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return super().convert(number, param, ctx)


def model_option(f: Callable) -> Callable:
    return click.option("-m", "--model", metavar="MODEL",
                        help="Model id or alias (see 'llm-models list').")(f)


def provider_option(f: Callable) -> Callable:
    return click.option("-p", "--provider", metavar="NAME",
                        help="Provider: anthropic, openai, openrouter or echo.")(f)


def since_option(f: Callable) -> Callable:
    return click.option("--since", metavar="WHEN",
                        help="From WHEN on: YYYY-MM-DD (local midnight), YYYY-MM-DDTHH:MM, today, "
                             "yesterday, or an age like 7d, 24h, 30m.")(f)


def until_option(f: Callable) -> Callable:
    return click.option("--until", metavar="WHEN",
                        help="Up to WHEN: YYYY-MM-DD (that day included), YYYY-MM-DDTHH:MM, "
                             "today, yesterday, or an age like 7d, 24h, 30m.")(f)


def days_option(f: Callable) -> Callable:
    return click.option("--days", type=click.IntRange(1, MAX_DAYS), metavar="N",
                        help=f"The last N days including today (1 to {MAX_DAYS}).")(f)


def limit_option(default: int, *aliases: str) -> Callable:
    """-n/--limit N; `aliases` are a command's older names for it (--top, --lines)."""
    return click.option("-n", "--limit", *aliases, "limit", type=click.IntRange(0, MAX_LIMIT),
                        default=default, show_default=True, metavar="N",
                        help=f"Show at most N (0 to {MAX_LIMIT}).")


def version_option(prog_name: str) -> Callable:
    return click.version_option(__version__, "--version", prog_name=prog_name,
                                message="%(prog)s (llm-core) %(version)s",
                                help="Print the version and exit.")


def make_main(
    command: click.Command, prog_name: str, *, signals: bool = False
) -> Callable[..., int]:
    """Wrap a click command into main(argv=None) -> exit code, mapping errors to exit codes.
    `signals`: SIGTERM and SIGHUP stop it like Ctrl-C (for a command whose work is recorded)."""

    def main(argv: list[str] | None = None) -> int:
        return run(command, prog_name, argv, signals=signals)

    main.__doc__ = f"Run {prog_name}; returns its exit code."
    return main


def run(
    command: click.Command, prog_name: str, argv: list[str] | None = None, *, signals: bool = False
) -> int:
    """Run a command: the one place where errors become `Error:` lines and exit statuses."""
    global _debug
    _debug = debug_requested()  # --debug, parsed below, may turn it on
    reset_warnings()  # a run stands for a process: warnings are once per run
    previous = _catch_signals() if signals else {}
    try:
        return _run(command, prog_name, argv)
    finally:
        _restore_signals(previous)


def _run(command: click.Command, prog_name: str, argv: list[str] | None) -> int:
    try:
        rv = _invoke(command, prog_name, argv)
        _flush_stdout()
        return int(rv) if isinstance(rv, int) else ExitStatus.OK
    except click.exceptions.Exit as e:  # --help, --version, ctx.exit()
        return e.exit_code
    except click.exceptions.NoArgsIsHelpError as e:
        e.show()  # the help text, on stderr
        return ExitStatus.USAGE
    except click.UsageError as e:  # click's own: unknown option, missing argument, bad value
        _usage(e.format_message(), e.ctx.command_path if e.ctx else prog_name)
        return ExitStatus.USAGE
    except click.ClickException as e:
        _report(e.format_message())
        return e.exit_code
    except Cancelled as e:  # SIGTERM, SIGHUP: what was running has recorded itself
        _silence_stdout()
        return e.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.stderr.write("\nInterrupted\n")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitStatus.STDOUT_CLOSED
    except UsageError as e:
        _usage(str(e), _command_path(e) or prog_name)
        return e.exit_code
    except LLMCoreError as e:
        report(e)
        return e.exit_code
    except OSError as e:  # the machine's, not a bug: a full disk, a file that cannot be read
        _report(f"{e.strerror or e}: {e.filename}" if e.filename else f"{e.strerror or e}")
        return ExitStatus.INTERNAL
    except Exception as e:  # the one place that turns any crash into a line
        _report(f"unexpected {type(e).__name__}: {e}", hint=not _debug)
        return ExitStatus.INTERNAL


_SIGNALS = ("SIGTERM", "SIGHUP")


def _raise_cancelled(signum: int, frame: Any) -> None:
    # The first signal cancels; the ones after it are ignored until the command returns, or
    # they would interrupt the recording of the cancelled call. timeout(1) sends SIGTERM twice
    # (to the command, then to its whole process group), a closing terminal SIGHUP and SIGTERM.
    import signal  # loaded already by _catch_signals

    for name in _SIGNALS:
        with contextlib.suppress(AttributeError, ValueError):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Cancelled(signum, "SIGTERM" if signum == 15 else "SIGHUP")


def _catch_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP raise Cancelled, as Ctrl-C raises KeyboardInterrupt: the call in
    flight is recorded and the command exits 143 / 129 instead of dying without a trace."""
    import signal  # here: only llm-chat asks, and its HTTP stack loads it anyway (~0.5 ms)

    previous: dict[int, Any] = {}
    for name in _SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:  # Windows has no SIGHUP
            continue
        try:
            previous[signum] = signal.signal(signum, _raise_cancelled)
        except ValueError:  # not the main thread (a library caller's thread): leave them
            break
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    import signal  # loaded already by _catch_signals when there is anything to restore

    for signum, handler in previous.items():
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signum, handler)


def _invoke(command: click.Command, prog_name: str, argv: list[str] | None) -> Any:
    """Command.main's work without its error handling, which exits 1 on a closed stdout."""
    args = sys.argv[1:] if argv is None else list(argv)
    _shell_completion(command, prog_name)
    with command.make_context(prog_name, args) as ctx:
        return command.invoke(ctx)


def _shell_completion(command: click.Command, prog_name: str) -> None:
    """Click's shell completion, as Command.main gives it: _LLM_MODELS_COMPLETE=bash_source ..."""
    var = f"_{prog_name.replace('-', '_').upper()}_COMPLETE"
    instruction = os.environ.get(var)
    if instruction:
        from click.shell_completion import shell_complete  # here: only completion pays for it

        raise click.exceptions.Exit(shell_complete(command, {}, prog_name, var, instruction))


def report(error: LLMCoreError) -> None:
    """The `Error:` line of an error; for a command that says so and goes on (wc and a missing file)."""
    _report(str(error) or type(error).__name__)


def _usage(message: str, command_path: str) -> None:
    _report(message)
    sys.stderr.write(f"Try '{command_path} --help'.\n")


def _command_path(error: BaseException) -> str | None:
    """The (sub)command an error came out of: the innermost click context it passed through."""
    path = None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        ctx = frame.f_locals.get("ctx")
        if isinstance(ctx, click.Context):
            path = ctx.command_path
    return path


def _report(message: str, hint: bool = False) -> None:
    if _debug:
        sys.stderr.write(redact(traceback.format_exc()))
    line = " ".join(redact(message).split())
    suffix = " (run with --debug for the traceback)" if hint else ""
    sys.stderr.write(f"Error: {line}{suffix}\n")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise


def _silence_stdout() -> None:
    # Python would complain again at exit while flushing a closed pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# ---------------------------------------------------------------- output formats

json_option = click.option("--json", "as_json", is_flag=True,
                           help="Write JSON: one document, or JSON Lines for a stream of records (log).")


def dumps(data: Any, *, pretty: bool = True) -> str:
    import orjson  # here, not at the top: ~2 ms that only JSON output pays

    opts = orjson.OPT_NON_STR_KEYS
    if pretty:
        opts |= orjson.OPT_INDENT_2
    try:
        return orjson.dumps(data, default=_json_default, option=opts).decode()
    except orjson.JSONEncodeError:
        # Here, not at the top: only integers beyond 64 bits (a sum of absurd token counts),
        # which orjson does not write, need the json module; it writes them exactly.
        import json

        return json.dumps(data, default=_json_default, ensure_ascii=False,
                          indent=2 if pretty else None, separators=None if pretty else (",", ":"))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def emit(
    data: Any,
    *,
    as_json: bool = False,
    as_jsonl: bool = False,
    human: Callable[[Any], str] | None = None,
) -> None:
    """Write `data` to stdout in the chosen format. `human` renders the text form."""
    out = sys.stdout
    if as_json:
        out.write(dumps(data) + "\n")
    elif as_jsonl:
        records = data if isinstance(data, (list, tuple)) or _is_iter(data) else [data]
        for record in records:
            out.write(dumps(record, pretty=False) + "\n")
    else:
        text = printable(human(data) if human else str(data))
        if text:
            out.write(text if text.endswith("\n") else text + "\n")


# C0 controls but tab and newline, DEL and C1, shown as \xNN in the human output: a label, a
# model name or a prompt sent raw to the terminal could retitle it, clear it, set the clipboard.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


def printable(text: str) -> str:
    """`text` with its control characters (but tab and newline) written as \\xNN."""
    return text.translate(_CONTROLS)


def _is_iter(data: Any) -> bool:
    return isinstance(data, Iterable) and not isinstance(data, (str, bytes, dict))


def table(rows: Iterable[Iterable[Any]], headers: Iterable[str] = (), align: Iterable[str] = ()) -> str:
    """Columns two spaces apart, like tabulate's 'simple' style: a header and a rule under it
    when `headers` are given. `align` holds "left" or "right" per column (default left).

    Written here rather than taken from tabulate, whose import alone (~30 ms, importlib.metadata
    and wcwidth) would cost a third of the start-up budget of llm-models and llm-cost.
    """
    head = [str(h) for h in headers]
    body = [["" if c is None else str(c) for c in row] for row in rows]
    lines = ([head] if head else []) + body
    if not lines:
        return ""
    ncols = max(len(line) for line in lines)
    lines = [line + [""] * (ncols - len(line)) for line in lines]
    widths = [max(_width(line[i]) for line in lines) for i in range(ncols)]
    right = [a == "right" for a in (*align, *["left"] * ncols)][:ncols]

    def render(line: list[str]) -> str:
        cells = [_pad(c, w, r) for c, w, r in zip(line, widths, right, strict=True)]
        return "  ".join(cells).rstrip()

    out = [render(line) for line in lines]
    if head:
        out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _width(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    if text.isascii():
        return len(text)
    import unicodedata  # here: every command would pay its import, only wide text needs it

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def use_color(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ:
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def style(text: str, **styles: Any) -> str:
    """click.style when colour is on, plain text otherwise."""
    return click.style(text, **styles) if use_color() else text


# ---------------------------------------------------------------- input

def stdin_is_terminal() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


def stdin_is_data() -> bool:
    """Whether stdin is a pipe or a regular file: something to read, unlike a terminal,
    /dev/null or a socket a caller left open. An stdin without a descriptor (a test's) is."""
    if sys.stdin is None:
        return False
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return not stdin_is_terminal()
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


STDIN_MAX_MB = 64  # text read from stdin: no model's context holds more (1M tokens is ~4 MB)


def read_stdin() -> str:
    """All of stdin as text (UTF-8; undecodable bytes replaced, with a warning), or '' when it
    is a terminal. InputError past STDIN_MAX_MB: `< /dev/zero` must not fill the memory."""
    if stdin_is_terminal():
        return ""
    data = sys.stdin.buffer.read((STDIN_MAX_MB << 20) + 1)
    if len(data) > STDIN_MAX_MB << 20:
        raise InputError(f"stdin is over {STDIN_MAX_MB} MB, more text than any model's context window holds")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        import re  # here: only input that is not UTF-8 needs it

        text, bad = re.subn("[\udc80-\udcff]", "\ufffd", data.decode("utf-8", "surrogateescape"))
        warn(f"stdin: not UTF-8; {bad} undecodable byte{'s' if bad != 1 else ''} read as U+FFFD")
        return text


# ---------------------------------------------------------------- formatting

def fmt_usd(value: float | None, unknown: str = "unknown") -> str:
    """Dollars with enough digits to show small per-call costs: $12.45, $0.50, $0.0025."""
    if value is None:
        return unknown
    if abs(value) >= 1:
        return f"${value:,.2f}"
    text = f"{value:.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"${whole}.{decimals.ljust(2, '0')}"


def fmt_int(value: int | float | None) -> str:
    return "-" if value is None else f"{int(value):,}"


def fmt_pct(part: float, whole: float) -> str:
    return f"{(100.0 * part / whole) if whole else 0:.0f}%"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:.2f}s" if value >= 1000 else f"{value:.0f}ms"
