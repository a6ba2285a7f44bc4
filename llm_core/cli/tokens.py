"""llm-tokens: count tokens like wc, or cut text to a token budget."""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from llm_core.cli._common import (
    MAX_TOKENS,
    debug_option,
    emit,
    json_option,
    make_main,
    model_option,
    report,
    stdin_is_terminal,
    version_option,
    warn,
)
from llm_core.config import get_settings
from llm_core.errors import ExitStatus, InputError, UsageError
from llm_core.utils import tokens

MAN_SECTIONS = {
    "TOKENIZERS": """
        OpenAI models are counted exactly with tiktoken's encodings: o200k_base for gpt-4o,
        gpt-4.1, gpt-4.5, gpt-5, gpt-oss and the o-series; cl100k_base for gpt-4, gpt-4-turbo
        and gpt-3.5-turbo. The encoding files ship with the package: nothing is downloaded.

        Claude models: Anthropic publishes no tokenizer, so the count is an estimate, the
        o200k_base count times 1.20 (published comparisons of Claude 3.5 Sonnet and GPT-4o found
        16% to 30% more tokens). --exact asks Anthropic's token counting endpoint instead; it
        needs ANTHROPIC_API_KEY and sends the text to Anthropic.

        Other and unknown models: the o200k_base count as an estimate (a warning names close
        model names when the registry does not know the model). Without -m and -e: o200k_base.
    """,
    "INPUT": """
        Text is read as UTF-8; undecodable bytes count as U+FFFD and a warning says how many
        there were. Input of any size is read in pieces of about 256K characters, cut where
        the count cannot change (after a line break or a word), and encoded on several threads:
        memory stays bounded (about 150 MB) whatever the input, also with no newline at all.
        A run of over 1M characters with no such point (/dev/zero) is cut into pieces of 256K
        characters; its count may then differ from tiktoken's by a token per piece (runs of
        one character stay exact). --truncate N reads only as much input as N tokens need.

        Like wc, a missing or unreadable FILE gets an error line and the other files are still
        counted; the exit status is then 3.
    """,
    "JSON OUTPUT": """
        One object:

          {"count": 2, "exact": true, "method": "tiktoken/o200k_base",
           "model": null, "encoding": "o200k_base", "files": [...]}

        "files" (only when FILE arguments were given) holds one object per readable file with
        "file", "count", "exact" and "method". "exact" is false for estimates; "method" says how
        the number was made: tiktoken/<encoding>, estimate/claude (o200k_base x 1.20),
        estimate/o200k_base, estimate/chars/4 or anthropic/count_tokens.

        With --truncate: {"text", "count" (tokens kept), "truncated", "exact", "method"}.

        With -a: "count" adds the attachments' tokens, "exact" is false, and "attachments" holds
        one object per file: {"file", "media_type", "tokens", "ceiling", "exact": false,
        "method", and "width" and "height" (images) or "pages" (PDFs)}. "ceiling" is what a
        budget reserves (a PDF's text at 3,000 tokens a page).
    """,
    "ATTACHMENTS": """
        -a FILE (repeatable; - reads stdin's bytes) counts an image (PNG, JPEG, GIF, WebP) or a
        PDF as the model's provider documents it, from the image's size in its header: Anthropic
        width x height / 750 after scaling down to 1568 px on the long edge and about 1,600
        tokens (Claude Opus 4.7: 2576 px, 4,784 tokens); OpenAI gpt-4o, gpt-4.1, gpt-5, o1, o3
        85 (70, 75) + 170 (140, 150) per 512 px tile after fitting 2048x2048 and scaling the
        short side to 768, gpt-4.1-mini/nano, o4-mini, gpt-5-mini/nano 32 px patches (at most
        1536) times 1.62, 2.46, 1.72; Gemini 258 per 768 px tile. A PDF page counts 2,250 tokens
        of text (Anthropic documents 1,500 to 3,000) plus a Letter page as an image. Every
        attachment count is an estimate (shown ~N), but with --exact for a Claude model: then
        Anthropic's token counting endpoint counts each file (one request each, so each count
        includes a few tokens of message framing). The files are checked as llm-chat -a checks
        them: a file that is not an image or PDF, a model without the vision or pdf capability,
        or a file over the provider's size limit is exit 3. -a needs a model (-m or LLM_MODEL).
    """,
    "FILES": """
        $XDG_CACHE_HOME/llm-core/tiktoken/*.v1.idx: the encodings' rank tables in a compact
        form, written on first use (CRC-checked; delete them at any time).
    """,
}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@model_option
@click.option("-e", "--encoding", metavar="NAME",
              help="Count exactly with this encoding: o200k_base or cl100k_base.")
@click.option("--truncate", "max_tokens", type=click.IntRange(0, MAX_TOKENS), metavar="N",
              help=f"Write the first N tokens of the input to stdout instead of counting (0 to {MAX_TOKENS:,}).")
@click.option("--exact", is_flag=True,
              help="Exact Claude count from Anthropic's API (needs ANTHROPIC_API_KEY).")
@click.option("-a", "--attach", multiple=True, metavar="FILE",
              help="Also count an image or PDF as the model's provider bills it (repeatable; - for stdin).")
@json_option
@debug_option
@version_option("llm-tokens")
def cli(files: tuple[str, ...], model: str | None, encoding: str | None, max_tokens: int | None,
        exact: bool, attach: tuple[str, ...], as_json: bool) -> int:
    """Count the tokens of stdin or FILEs, like wc; -m picks the tokenizer.

    One line per FILE and a total line when there are several; just the number for stdin.
    OpenAI models are counted exactly, offline; Claude and other models get a documented
    estimate, printed as ~N (--json: "exact": false and the bare number), or Anthropic's own
    count with --exact.

    \b
    Examples:
      echo "hello world" | llm-tokens                 # 3 (o200k_base)
      llm-tokens -m gpt-4 README.md src/*.py          # per file + total
      git diff | llm-tokens -m claude-sonnet-4-6      # ~N: an estimate for Claude
      git diff | llm-tokens -m claude-sonnet-4-6 --exact   # Anthropic's count
      llm-tokens -e cl100k_base --json notes.txt
      llm-tokens --truncate 1000 < long.txt > head.txt   # the first 1000 tokens
      cat prompt.md | llm-tokens -m gpt-4o --truncate 8000 | llm-chat
      llm-tokens -m claude-sonnet-4-6 -a chart.png prompt.md   # the image as Claude bills it
    """
    if encoding is not None:
        tokens.check_encoding(encoding)
        if model is not None:
            raise UsageError("use either -m/--model or -e/--encoding, not both")
    inputs = list(files) or ["-"]
    if max_tokens is not None and len(inputs) > 1:
        raise UsageError("--truncate takes one input (stdin or one FILE)")
    if max_tokens is not None and exact:
        raise UsageError("--exact counts; it does not combine with --truncate")
    counted = []
    if attach:
        model, inputs, counted = _attachments(attach, files, model, encoding, max_tokens, exact)
    remote = _exact_model(model, encoding) if exact else None
    if model is not None and remote is None:
        _warn_if_unknown(model)
    if "-" in inputs and stdin_is_terminal():
        raise UsageError("expected text on stdin or FILE arguments")
    if max_tokens is not None:
        return _truncate(inputs[0], max_tokens, model, encoding, as_json)
    return _count_all(inputs, bool(files), model, encoding, remote, as_json, counted)


def _attachments(attach, files, model, encoding, max_tokens, exact) -> tuple[str, list[str], list[dict]]:
    """(model, text inputs, attachment counts) for -a: the text of FILEs, or of stdin unless an
    attachment reads it or it is a terminal."""
    if encoding is not None or max_tokens is not None:
        raise UsageError("-a/--attach counts for a model; it does not combine with -e or --truncate")
    model = model or get_settings().default_model
    if not model:
        raise UsageError("-a/--attach needs a model (-m MODEL or LLM_MODEL): image tokens depend on the provider")
    # Imported here: only -a pays for the attachment and registry modules.
    from llm_core.cli import _attachments
    from llm_core.models.registry import get_model

    entry = get_model(model)
    loaded = _attachments.load(attach)
    counted = _attachments.tokens_for(loaded, attach, entry)
    remote = _exact_model(model, None) if exact else None
    if remote:
        _attachments.exact_for(loaded, counted, remote)  # Anthropic's own count of each file
    inputs = list(files) or ([] if "-" in attach or stdin_is_terminal() else ["-"])
    return model, inputs, counted


# ---------------------------------------------------------------- counting

def _count_all(inputs: list[str], named: bool, model: str | None, encoding: str | None,
               remote: str | None, as_json: bool, attached: list[dict] | None = None) -> int:
    """Count each input; `remote` is the Claude model to ask Anthropic about (--exact);
    `attached` the estimates of -a's files, added to the total."""
    results: list[dict[str, Any]] = []
    failed: InputError | None = None
    for name in inputs:
        try:
            stream = _open(name)
        except InputError as e:
            if len(inputs) == 1:
                raise
            report(e)  # like wc: say so, count the others, fail at the end
            failed = e
            continue
        stats: dict[str, int] = {}
        with stream:
            if remote:
                result = _count_exact(stream, remote, stats)
            else:
                result = tokens.count_stream(stream, model=model, encoding=encoding, stats=stats)
        if stats.get("bad_bytes"):
            warn(f"{_label(name)}: not UTF-8; {stats['bad_bytes']} undecodable bytes counted as U+FFFD")
        results.append({"file": _label(name), **result.to_dict()})
    if not results and failed:
        return failed.exit_code
    total = sum(r["count"] for r in results) + sum(a["tokens"] for a in attached or ())
    data: dict[str, Any] = {
        "count": total,
        "exact": all(r["exact"] for r in results) and all(a["exact"] for a in attached or ()),
        "method": _common_method(results),
        "model": model,
        "encoding": None if remote else encoding or tokens.encoding_for_model(model),
    }
    if named:
        data["files"] = results
    if attached:
        data["attachments"] = attached
    emit(data, as_json=as_json, human=lambda d: _human(d, named or bool(attached), results))
    return failed.exit_code if failed else ExitStatus.OK


def _human(data: dict[str, Any], named: bool, texts: list[dict[str, Any]]) -> str:
    if not named:
        return _shown(data["count"], data["exact"])
    rows = [(_shown(r["count"], r["exact"]), r["file"]) for r in texts]
    rows += [(_shown(a["tokens"], a["exact"]), a["file"]) for a in data.get("attachments", ())]
    if len(rows) > 1:
        rows.append((_shown(data["count"], data["exact"]), "total"))
    # Digits like wc, so `llm-tokens FILE | cut -d' ' -f1` style scripts work.
    width = max(len(c) for c, _ in rows)
    return "\n".join(f"{c:>{width}} {name}" for c, name in rows)


def _shown(count: int, exact: bool) -> str:
    """An exact count as plain digits; an estimate marked `~` (--json has the bare number)."""
    return str(count) if exact else f"~{count}"


def _common_method(results: list[dict[str, Any]]) -> str | None:
    methods = {r["method"] for r in results}
    return methods.pop() if len(methods) == 1 else ("mixed" if methods else None)


def _label(name: str) -> str:
    return "-" if name == "-" else name


def _open(name: str) -> IO[bytes]:
    if name == "-":
        return _NoClose(sys.stdin.buffer)
    try:
        return open(name, "rb")
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as e:
        raise InputError(f"{name}: {e.strerror or e}") from None


class _NoClose:
    """stdin in a with-block without closing it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def __enter__(self) -> _NoClose:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _warn_if_unknown(model: str) -> None:
    if tokens.tokenizer_for_model(model) is not None:
        return
    from llm_core.models.registry import get_model  # here: ~6 ms that known models do not pay

    try:
        get_model(model)
        message = f"no tokenizer known for '{model}'"
    except InputError as e:
        message = str(e).split("; see ")[0]
    warn(f"{message}; counting with o200k_base as an estimate")


# ---------------------------------------------------------------- --exact

def _exact_model(model: str | None, encoding: str | None) -> str | None:
    """The Claude model --exact asks about; None when the local count is already exact."""
    if encoding is not None:
        return None
    model = model or get_settings().default_model
    if model is None:
        raise InputError("--exact needs a Claude model: -m claude-... (or LLM_MODEL)")
    family = tokens.tokenizer_for_model(model)
    if family == "claude":
        return model
    if family in tokens.ENCODINGS:
        return None  # OpenAI counts are exact already
    raise InputError(f"--exact counts Claude models only; '{model}' is not one")


def _count_exact(stream: Any, model: str, stats: dict[str, int]) -> tokens.TokenCount:
    text = "".join(tokens.read_chunks(stream, stats=stats))
    if not text:
        return tokens.TokenCount(0, True, "anthropic/count_tokens")
    return tokens.count_tokens_anthropic(text, model)


# ---------------------------------------------------------------- --truncate

def _truncate(name: str, max_tokens: int, model: str | None, encoding: str | None,
              as_json: bool) -> int:
    if model is not None and encoding is None and tokens.tokenizer_for_model(model) == "claude":
        budget = tokens.claude_budget(max_tokens)
    else:
        budget = max_tokens
    enc = encoding or tokens.encoding_for_model(model)
    stats: dict[str, int] = {}
    out: list[str] = []
    used = 0
    truncated = False
    # Small reads for a small budget: `--truncate 10 /dev/zero` reads kilobytes, not the input.
    size = min(tokens.CHUNK_CHARS, max(4096, 16 * budget))
    with _open(name) as stream:
        for chunk in tokens.read_chunks(stream, size, stats=stats):
            # Chunks are cut at safe points, so counts add up across them.
            n = tokens.count_tokens(chunk, encoding=enc).count
            if used + n <= budget:
                out.append(chunk)
                used += n
                continue
            head = tokens.truncate_encoded(chunk, budget - used, enc)
            used += tokens.count_tokens(head, encoding=enc).count
            out.append(head)
            truncated = True
            break
    if stats.get("bad_bytes"):
        warn(f"{_label(name)}: not UTF-8; {stats['bad_bytes']} undecodable bytes read as U+FFFD")
    text = "".join(out)
    if as_json:
        result = tokens.estimate_from_base(used, encoding or tokens.tokenizer_for_model(model))
        emit({"text": text, "count": result.count, "truncated": truncated,
              "exact": result.exact, "method": result.method}, as_json=True)
    else:
        # Bytes, so the prefix comes out as UTF-8 whatever the locale's encoding is.
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    return ExitStatus.OK


main = make_main(cli, "llm-tokens")
