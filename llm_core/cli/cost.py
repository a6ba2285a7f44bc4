"""llm-cost: what a call costs, compared across models, or recomputed for telemetry records."""

from __future__ import annotations

import sys
from typing import Any

import click

from llm_core.cli._common import (
    MAX_TOKENS,
    debug_option,
    emit,
    fmt_int,
    fmt_usd,
    json_option,
    make_main,
    model_option,
    read_stdin,
    stdin_is_terminal,
    table,
    version_option,
    warn,
)
from llm_core.config import get_settings
from llm_core.errors import InputError, UsageError
from llm_core.models.pricing import calculate_cost, cost_breakdown, tier_pricing
from llm_core.models.registry import find_model, get_model, list_models

TOKENS = click.IntRange(0, MAX_TOKENS)

MAN_SECTIONS = {
    "PRICING": """
        Prices come from the model registry (see llm-models(1)): USD per 1M tokens for input,
        output, cache reads and cache writes (5-minute and 1-hour). Input tokens here are the
        ones billed at the input price: cache reads and writes are counted apart (Anthropic's
        convention; for OpenAI give the cached part of prompt_tokens as --cache-read and the
        rest as --input). Output includes reasoning tokens. Prompts over a model's long-prompt
        threshold are billed at its long-prompt rates.

        --tier and --geo price a call as the response reported it was served: --tier priority
        or flex (OpenAI service_tier) takes that tier's prices where the registry has them,
        --geo us (Anthropic usage.inference_geo) multiplies every price by 1.1 on Claude
        Opus/Sonnet 4.6 and later. The rules and their sources are the registry data's
        pricing_modifiers; other tiers and geos, or models without such prices, cost the
        standard prices.

        Text on stdin is counted with the model's tokenizer: exactly for OpenAI models, as an
        estimate for others (the JSON says "input_exact": false).

        -a FILE (repeatable; - reads stdin's bytes) adds an image or PDF to the input tokens as
        the model's provider documents it (the formulas: llm-tokens(1), ATTACHMENTS), an
        estimate ("input_exact": false). It is checked as llm-chat -a checks it: not an image or
        PDF, a model without the vision or pdf capability, or a file over the provider's limit
        is exit 3. With --compare and no MODELs, only the models that take the files are listed.
    """,
    "REPRICE": """
        --reprice reads telemetry JSON Lines on stdin and writes every line back to stdout,
        in order, with "cost_usd" recomputed from the current registry and the record's
        "model" and "tokens" (and the "service_tier" and "inference_geo" the response
        reported, which a record keeps when there were any). It is a filter: nothing is dropped. Lines that are not JSON
        objects with "model" and "tokens" pass through unchanged, and so do records of models
        the registry does not know (they keep their cost_usd); one warning on stderr counts
        each kind and names the first line.
    """,
    "JSON OUTPUT": """
        One call: {"model", "provider", "tokens": {"input", "output", "cache_read",
        "cache_write", "cache_write_1h", "total"}, "input_exact", "cost_usd", "breakdown":
        {"input", "output", "cache_read", "cache_write"}, "pricing", "prices_checked",
        "service_tier", "inference_geo"}; "pricing" is the tier's when --tier chose one.

        --compare: an array of {"model", "provider", "input_tokens", "input_exact",
        "output_tokens", "cost_usd"}, cheapest first.

        With -a, input tokens include the attachments and each object has "attachments": [{"file",
        "media_type", "tokens", "ceiling", "exact": false, "method", "width"/"height" or "pages"}]
        as llm-tokens --json writes them.
    """,
}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("models", nargs=-1, metavar="[MODEL]...")
@model_option
@click.option("-i", "--input", "input_tokens", type=TOKENS, metavar="N",
              help="Input tokens (default: count the text on stdin).")
@click.option("-o", "--output", "output_tokens", type=TOKENS, default=0, metavar="N",
              help="Output tokens, reasoning included (expected, when pricing stdin).")
@click.option("--cache-read", type=TOKENS, default=0, metavar="N",
              help="Tokens read from the prompt cache.")
@click.option("--cache-write", type=TOKENS, default=0, metavar="N",
              help="Tokens written to the prompt cache (5-minute TTL).")
@click.option("--cache-write-1h", type=TOKENS, default=0, metavar="N",
              help="Tokens written to the prompt cache with the 1-hour TTL.")
@click.option("--tier", "service_tier", metavar="TIER",
              help="The service tier that served the call: priority, flex (OpenAI), default.")
@click.option("--geo", "inference_geo", metavar="GEO",
              help="Where inference ran: us, global (Anthropic inference_geo).")
@click.option("--compare", is_flag=True,
              help="Price the same call on MODELs (default: every current model), cheapest first.")
@click.option("--reprice", is_flag=True,
              help="Filter telemetry JSONL from stdin to stdout with cost_usd recomputed.")
@click.option("-a", "--attach", multiple=True, metavar="FILE",
              help="Add an image or PDF to the input as the provider bills it (repeatable; - for stdin).")
@json_option
@debug_option
@version_option("llm-cost")
def cli(models: tuple[str, ...], model: str | None, input_tokens: int | None, output_tokens: int,
        cache_read: int, cache_write: int, cache_write_1h: int, service_tier: str | None,
        inference_geo: str | None, compare: bool, reprice: bool, attach: tuple[str, ...], as_json: bool) -> None:
    """What an LLM call costs, from token counts or from text on stdin.

    -m names the model (default: LLM_MODEL). Token counts are whole numbers from 0 to
    1,000,000,000,000.

    \b
    Examples:
      llm-cost -m claude-sonnet-4-6 --input 1000 --output 100
      llm-cost -m gpt-4o --input 200 --cache-read 1000 --output 300 --json
      git diff | llm-cost -m sonnet --output 500        # count the diff, expect 500 out
      llm-cost --compare --input 20000 --output 1000    # every current model, cheapest first
      llm-cost --compare gpt-4o sonnet llama-3.1-70b -i 5000 -o 500
      llm-cost -m claude-opus-4-6 -i 1000 -o 500 --geo us     # US-only inference: x 1.1
      llm-cost -m gpt-5 -i 1000 -o 500 --tier priority
      llm-cost --reprice < telemetry.jsonl > repriced.jsonl
      llm-cost -m gpt-4o -a photo.jpg -i 50 -o 300      # an image, a short prompt, 300 out
      llm-cost --compare -a report.pdf -o 1000           # the models that read PDFs, cheapest first
    """
    if reprice:
        if compare or models or model or input_tokens is not None or service_tier or inference_geo or attach:
            raise UsageError("--reprice takes telemetry on stdin and no other options")
        _reprice()
        return
    if models and not compare:
        raise UsageError(f"unexpected argument '{models[0]}' (model names go after --compare, or use -m)")
    counts = {"output": output_tokens, "cache_read": cache_read,
              "cache_write": cache_write + cache_write_1h, "cache_write_1h": cache_write_1h}
    served = {"service_tier": service_tier, "inference_geo": inference_geo}
    text = None
    files = None
    if attach:
        # Imported here: only -a pays for the attachment modules.
        from llm_core.cli import _attachments

        files = (attach, _attachments.load(attach))
    if input_tokens is None:
        if files and ("-" in attach or stdin_is_terminal()):
            text = ""  # the attachments alone (stdin, when read, was one of them)
        elif stdin_is_terminal():
            raise UsageError("give --input N, or the text to count on stdin")
        else:
            # Empty stdin (`git diff` with no changes) is 0 tokens, as `llm-tokens` counts it.
            text = read_stdin()
    if compare:
        names = list(models) + ([model] if model else [])
        rows = _compare(names, counts, input_tokens, text, served, files)
        emit(rows, as_json=as_json, human=_compare_table)
        return
    if not model:
        model = get_settings().default_model
        if not model:
            raise UsageError("give a model with -m MODEL (or set LLM_MODEL)")
    emit(_price_one(model, counts, input_tokens, text, served, files), as_json=as_json, human=_one_summary)


def _attached(entry: dict, files: tuple | None) -> list[dict]:
    """The estimates of -a's files for the model of `entry` (after llm-chat's checks)."""
    if not files:
        return []
    from llm_core.cli import _attachments  # loaded already by cli()

    return _attachments.tokens_for(files[1], files[0], entry)


def _input_count(entry: dict, input_tokens: int | None, text: str | None, memo: dict) -> tuple[int, bool]:
    if input_tokens is not None:
        return input_tokens, True
    # Imported here: tiktoken's wrapper costs ~10 ms that --input N never needs.
    from llm_core.utils.tokens import count_tokens, tokenizer_for_model

    key = tokenizer_for_model(entry["api_id"]) or tokenizer_for_model(entry["id"])
    if key not in memo:
        counted = count_tokens(text or "", entry["api_id"] if key else entry["id"])
        memo[key] = (counted.count, counted.exact)
    return memo[key]


def _price_one(name: str, counts: dict, input_tokens: int | None, text: str | None, served: dict,
               files: tuple | None = None) -> dict:
    entry = get_model(name)
    n_in, exact = _input_count(entry, input_tokens, text, {})
    attached = _attached(entry, files)
    if attached:
        n_in, exact = n_in + sum(a["tokens"] for a in attached), False
    tokens = {"input": n_in, **counts}
    parts = cost_breakdown(tokens, entry, **served)
    tokens["total"] = n_in + counts["output"] + counts["cache_read"] + counts["cache_write"]
    if not tokens["cache_write_1h"]:
        del tokens["cache_write_1h"]
    if entry.get("retired"):
        warn(f"{entry['id']} is retired; the provider no longer serves it")
    return {
        "model": entry["id"],
        "provider": entry["provider"],
        "tokens": tokens,
        "input_exact": exact,
        "cost_usd": None if parts is None else parts["total"],
        "breakdown": None if parts is None else {k: v for k, v in parts.items() if k != "total"},
        "pricing": tier_pricing(entry, served["service_tier"]),
        "prices_checked": entry.get("prices_checked"),
        **served,
        **({"attachments": attached} if attached else {}),
    }


def _one_summary(r: dict) -> str:
    tokens, parts = r["tokens"], r["breakdown"] or {}
    rows = [("input", tokens["input"], parts.get("input"))]
    if tokens["cache_read"]:
        rows.append(("cache read", tokens["cache_read"], parts.get("cache_read")))
    if tokens["cache_write"]:
        label = "cache write" + (" (1h incl.)" if tokens.get("cache_write_1h") else "")
        rows.append((label, tokens["cache_write"], parts.get("cache_write")))
    rows.append(("output", tokens["output"], parts.get("output")))
    rows.append(("total", tokens["total"], r["cost_usd"]))
    width = max(len(fmt_int(n)) for _, n, _ in rows)
    label_width = max(len(label) for label, _, _ in rows)
    how = [f"{r['service_tier']} tier" if r.get("service_tier") else "",
           f"{r['inference_geo']} inference" if r.get("inference_geo") else ""]
    lines = [f"{r['model']} ({', '.join([r['provider'], *filter(None, how)])})"]
    for label, n, cost in rows:
        approx = "~" if label == "input" and not r["input_exact"] else " "
        lines.append(f"  {label.ljust(label_width)}  {approx}{fmt_int(n).rjust(width)} tokens  {fmt_usd(cost)}")
    return "\n".join(lines)


def _compare(names: list[str], counts: dict, input_tokens: int | None, text: str | None,
             served: dict, files: tuple | None = None) -> list[dict]:
    if names:
        entries, seen = [], set()
        for name in names:
            entry = get_model(name)
            if entry["id"] not in seen:
                seen.add(entry["id"])
                entries.append(entry)
    else:
        entries = [e for e in list_models(include_retired=False) if e["provider"] != "echo"]
        if files:
            from llm_core.cli import _attachments  # loaded already by cli()

            entries = [e for e in entries if _attachments.takes(files[1], e)]
    memo: dict = {}
    rows = []
    for entry in entries:
        n_in, exact = _input_count(entry, input_tokens, text, memo)
        attached = _attached(entry, files)
        if attached:
            n_in, exact = n_in + sum(a["tokens"] for a in attached), False
        cost = calculate_cost({"input": n_in, **counts}, entry, **served)
        rows.append({
            "model": entry["id"], "provider": entry["provider"], "input_tokens": n_in,
            "input_exact": exact, "output_tokens": counts["output"], "cost_usd": cost,
            **({"attachments": attached} if attached else {}),
        })
    rows.sort(key=lambda r: (r["cost_usd"] is None, r["cost_usd"] or 0.0, r["model"]))
    return rows


def _compare_table(rows: list[dict]) -> str:
    table_rows = [
        [r["model"], r["provider"], ("" if r["input_exact"] else "~") + fmt_int(r["input_tokens"]),
         fmt_int(r["output_tokens"]), fmt_usd(r["cost_usd"])]
        for r in rows
    ]
    return table(table_rows, ["MODEL", "PROVIDER", "INPUT", "OUTPUT", "COST"],
                 align=["left", "left", "right", "right", "right"])


# ---------------------------------------------------------------- --reprice

def _reprice() -> None:
    import orjson  # here: ~2 ms that only --reprice pays

    if stdin_is_terminal():
        raise UsageError("--reprice reads telemetry JSON Lines on stdin")
    out = sys.stdout.buffer
    skipped: list[int] = []
    unknown: list[int] = []
    for number, line in enumerate(sys.stdin.buffer, 1):
        record = _parse(line, orjson)
        if record is None:
            out.write(line if line.endswith(b"\n") else line + b"\n")
            if line.strip():
                skipped.append(number)
            continue
        entry = find_model(record["model"])
        try:
            served = {k: record[k] for k in ("service_tier", "inference_geo") if isinstance(record.get(k), str)}
            cost = calculate_cost(record["tokens"], entry, **served) if entry else None
        except InputError:
            cost, entry = None, None
            skipped.append(number)
        if entry is None:
            if not skipped or skipped[-1] != number:
                unknown.append(number)
        elif cost is not None:
            record["cost_usd"] = cost
            line = orjson.dumps(record) + b"\n"
        out.write(line if line.endswith(b"\n") else line + b"\n")
    _report_reprice(skipped, unknown)


def _parse(line: bytes, orjson: Any) -> dict | None:
    try:
        record = orjson.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("model"), str):
        return None
    if not isinstance(record.get("tokens"), dict):
        return None
    return record


def _report_reprice(skipped: list[int], unknown: list[int]) -> None:
    notes = []
    if skipped:
        notes.append(f"{len(skipped)} line(s) are not telemetry records with a model and valid "
                     f"tokens (first: line {skipped[0]})")
    if unknown:
        notes.append(f"{len(unknown)} record(s) name a model the registry does not know and keep "
                     f"their cost_usd (first: line {unknown[0]})")
    if notes:
        warn("; ".join(notes) + "; passed through unchanged")


main = make_main(cli, "llm-cost")
