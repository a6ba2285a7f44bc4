"""llm-models: the models llm-core knows, their prices and limits; pick one; refresh prices."""

from __future__ import annotations

import datetime as _dt
import difflib
from typing import Any

import click

from llm_core.cli._common import (
    MAX_TOKENS,
    FiniteFloatRange,
    debug_option,
    emit,
    fmt_int,
    fmt_usd,
    json_option,
    make_main,
    provider_option,
    table,
    version_option,
    warn,
)
from llm_core.errors import InputError

MAN_SECTIONS = {
    "PRICES": """
        Prices are USD per 1M tokens: input, output, cache reads, cache writes (5-minute TTL)
        and, where the provider has them, 1-hour cache writes. Some models bill prompts above a
        threshold (input + cache reads + cache writes) at higher long-prompt rates; show lists
        them. The bundled prices were checked by hand against the providers' pricing pages on
        the date shown in every listing ("prices checked"), and cross-checked with LiteLLM's
        public price map.

        OpenRouter prices move; sync saves OpenRouter's current list and the registry uses it
        over the bundled prices. A user file beats both (negotiated prices, local models at 0).
    """,
    "SELECTION": """
        select keeps the models that are not retired, have a context window of at least
        --min-context and of the expected input + output tokens, a max output of at least
        --output-tokens, every --capability, the --provider, and cost at most --budget for
        one call of --input-tokens in and --output-tokens out (defaults 1000 and 500). The
        cheapest wins; with --fast the fastest speed tier wins (then the cheapest). Ties go to
        the faster tier, then the cheaper model, then the id, so the answer never changes by
        chance. The offline echo model is only chosen with --provider echo. Nothing fits: exit 3
        and a message naming the cheapest model that meets the other requirements.
    """,
    "JSON OUTPUT": """
        list: an array of registry entries (id, name, provider, api_id, aliases,
        context_window, max_output, pricing, capabilities, recommended_for, speed, deprecated,
        retirement_date, retired, replacement, tokenizer, price_source, prices_checked).
        show: one entry. select: {"model", "provider", "api_id", "estimated_cost_usd",
        "input_tokens", "output_tokens", "speed", "alternatives": [...]}. sync: {"source",
        "file", "fetched_at", "models", "added": [ids], "changed": [{"id", "changes": {field:
        [old, new]}}], "unchanged"}.
    """,
    "FILES": """
        $LLM_MODELS_FILE, else $XDG_CONFIG_HOME/llm-core/models.json: the user's models and
        price overrides: {"models": {"my-model": {"provider": "openai", "api_id": "llama3",
        "context_window": 8192, "pricing": {"input": 0, "output": 0}}}}.

        $XDG_CACHE_HOME/llm-core/openrouter-models.json: the list saved by sync, with the time
        it was fetched.
    """,
}


# ---------------------------------------------------------------- formatting (shared with llm-cost)

def fmt_price(value: float | None) -> str:
    """USD per 1M tokens: 3.00, 0.038, 0.10, -."""
    if value is None:
        return "-"
    return fmt_usd(value)[1:] if value < 1 else f"{value:,.2f}"


def age(date: str | None, today: _dt.date | None = None) -> str:
    if not date:
        return "unknown"
    try:
        then = _dt.date.fromisoformat(date[:10])
    except ValueError:
        return "unknown"
    if today is None:
        from llm_core.models.registry import today as registry_today  # see list_cmd

        today = registry_today()
    days = (today - then).days
    if days <= 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


def status(entry: dict) -> str:
    date = entry.get("retirement_date")
    if entry.get("retired"):
        return f"retired {date}" if date else "retired"
    if date:
        return f"retires {date}"
    return "deprecated" if entry.get("deprecated") else ""


def price_age_line(info: dict) -> str:
    checked = info.get("prices_checked") or {}
    parts = [f"{p} {d} ({age(d)})" for p, d in sorted(checked.items()) if p != "echo"]
    line = "Prices: USD per 1M tokens, checked " + ", ".join(parts)
    if info.get("synced_at"):
        line += f"; OpenRouter synced {info['synced_at'][:10]} ({age(info['synced_at'])})"
    if info.get("user_file"):
        line += f"; overrides from {info['user_file']}"
    return line


# ---------------------------------------------------------------- the commands

@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@debug_option
@version_option("llm-models")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """List, inspect and choose models; keep OpenRouter prices fresh.

    Without a subcommand: the same as `llm-models list`. Every model has a canonical id, the id
    sent to the API and aliases; any of them works wherever a model is asked for.

    \b
    Examples:
      llm-models                                  # current models, by provider
      llm-models list --provider anthropic --all  # include retired models
      llm-models list --capability vision --json | jq -r '.[].id'
      llm-models show sonnet                      # aliases resolve
      llm-models select --budget 0.01 --capability vision --input-tokens 5000
      MODEL=$(llm-models select --min-context 500000 --fast)
      llm-models sync                             # refresh OpenRouter prices (network)
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_cmd)


@cli.command("list")
@provider_option
@click.option("-c", "--capability", metavar="NAME", help="Only models with this capability (vision, reasoning, ...).")
@click.option("-a", "--all", "show_all", is_flag=True, help="Include retired models.")
@json_option
@debug_option
def list_cmd(provider: str | None = None, capability: str | None = None, show_all: bool = False,
             as_json: bool = False) -> None:
    """List models with context window, prices per 1M tokens, speed and status.

    \b
    Examples:
      llm-models list
      llm-models list -p openrouter -c function_calling
      llm-models list --all --json
    """
    # The registry is imported where it is used: ~7 ms that `llm-models --help` does not pay.
    from llm_core.models import registry

    _check_choice("provider", provider, registry.providers())
    _check_choice("capability", capability, registry.capabilities())
    models = registry.list_models(provider=provider, capability=capability, include_retired=show_all)
    info = registry.registry_info()
    if as_json:
        emit(models, as_json=True)
        return
    _warn_if_stale(info)
    if not models:
        click.echo("No models match.", err=True)
        return
    rows = [
        [
            e["id"], e.get("provider"), fmt_int(e.get("context_window")), fmt_int(e.get("max_output")),
            fmt_price(e["pricing"].get("input")), fmt_price(e["pricing"].get("output")),
            fmt_price(e["pricing"].get("cache_read")), e.get("speed") or "", status(e),
        ]
        for e in models
    ]
    headers = ["MODEL", "PROVIDER", "CONTEXT", "MAX OUT", "INPUT", "OUTPUT", "CACHED", "SPEED", "STATUS"]
    text = table(rows, headers, align=["left", "left"] + ["right"] * 5)
    emit(text + "\n\n" + price_age_line(info))


def _check_choice(what: str, value: str | None, known: list[str]) -> None:
    if value is None or value.lower() in known:
        return
    close = difflib.get_close_matches(value.lower(), known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise click.BadParameter(f"unknown {what} '{value}'{hint}; known: {', '.join(known)}",
                             param_hint=f"--{what}")


def _warn_if_stale(info: dict) -> None:
    synced = info.get("synced_at")
    if synced and age(synced).endswith("days ago") and int(age(synced).split()[0]) > 30:
        warn(f"OpenRouter prices were synced {age(synced)}; run 'llm-models sync'")


@cli.command("show")
@click.argument("model")
@json_option
@debug_option
def show_cmd(model: str, as_json: bool) -> None:
    """Everything the registry knows about MODEL (an id, API id or alias).

    \b
    Examples:
      llm-models show claude-3-5-haiku
      llm-models show llama-3.1-70b --json | jq .pricing
    """
    from llm_core.models.registry import get_model  # see list_cmd

    entry = get_model(model)
    emit(entry, as_json=as_json, human=_describe)


def _describe(e: dict) -> str:
    p = e.get("pricing") or {}
    name = f"  ({e['name']})" if e.get("name") else ""
    prices = [f"input ${fmt_price(p.get('input'))}", f"output ${fmt_price(p.get('output'))}"]
    for key, label in (("cache_read", "cache read"), ("cache_write", "cache write 5m"),
                       ("cache_write_1h", "cache write 1h")):
        if p.get(key) is not None:
            prices.append(f"{label} ${fmt_price(p[key])}")
    state = status(e) or "active"
    if e.get("replacement") and e.get("deprecated"):
        state += f" (replacement: {e['replacement']})"
    checked = e.get("prices_checked")
    source = e.get("price_source", "bundled")
    origin = f"{source}, checked {checked} ({age(checked)})" if checked else source
    lines = [
        f"{e['id']}{name}",
        f"provider:        {e.get('provider')}",
        f"api id:          {e.get('api_id')}",
        f"aliases:         {', '.join(e.get('aliases') or []) or '-'}",
        f"context window:  {fmt_int(e.get('context_window'))} tokens",
        f"max output:      {fmt_int(e.get('max_output'))} tokens",
        f"price per 1M:    {', '.join(prices)}",
    ]
    tier = p.get("long_context")
    if tier:
        extra = [f"{k.replace('_', ' ')} ${fmt_price(v)}" for k, v in tier.items() if k != "threshold"]
        lines.append(f"long prompts:    over {fmt_int(tier['threshold'])} tokens: {', '.join(extra)}")
    lines += [
        f"capabilities:    {', '.join(e.get('capabilities') or []) or '-'}",
        f"recommended for: {', '.join(e.get('recommended_for') or []) or '-'}",
        f"speed:           {e.get('speed') or '-'}",
        f"tokenizer:       {e.get('tokenizer') or 'estimate'}",
        f"status:          {state}",
        f"prices:          {origin}",
    ]
    if e.get("notes"):
        lines.append(f"notes:           {e['notes']}")
    return "\n".join(lines)


@cli.command("select")
@click.option("-b", "--budget", type=FiniteFloatRange(0, 1e6), metavar="USD",
              help="Most one call may cost (0 to 1,000,000).")
@click.option("--min-context", type=click.IntRange(0, MAX_TOKENS), metavar="N",
              help="Smallest context window (tokens).")
@click.option("-c", "--capability", "capabilities", multiple=True, metavar="NAME",
              help="Required capability; repeat for several (all are required).")
@click.option("-i", "--input-tokens", type=click.IntRange(0, MAX_TOKENS), default=1000, show_default=True,
              metavar="N", help="Expected input tokens per call.")
@click.option("-o", "--output-tokens", type=click.IntRange(0, MAX_TOKENS), default=500, show_default=True,
              metavar="N", help="Expected output tokens per call.")
@provider_option
@click.option("--fast", is_flag=True, help="Prefer the fastest speed tier over the lowest price.")
@json_option
@debug_option
def select_cmd(budget: float | None, min_context: int | None, capabilities: tuple[str, ...],
               input_tokens: int, output_tokens: int, provider: str | None, fast: bool,
               as_json: bool) -> None:
    """Print the id of the cheapest model that fits (the fastest with --fast).

    \b
    Examples:
      llm-models select --budget 0.002 --capability function_calling
      llm-models select --min-context 1000000 --capability vision --fast
      llm-models select -p anthropic -i 20000 -o 2000 --json
    """
    from llm_core.models import registry, select  # see list_cmd

    _check_choice("provider", provider, registry.providers())
    for cap in capabilities:
        _check_choice("capability", cap, registry.capabilities())
    requirements = {
        "budget_per_call": budget, "min_context": min_context, "capabilities": list(capabilities),
        "input_tokens": input_tokens, "output_tokens": output_tokens, "provider": provider,
        "speed_priority": fast,
    }
    requirements = {k: v for k, v in requirements.items() if v not in (None, [], False)}
    ranked = select.rank_models(requirements)
    if not ranked:
        raise InputError(select.explain_no_fit(requirements))
    best, cost = ranked[0]
    result = {
        "model": best["id"], "provider": best["provider"], "api_id": best["api_id"],
        "estimated_cost_usd": cost, "input_tokens": input_tokens, "output_tokens": output_tokens,
        "speed": best.get("speed"),
        "alternatives": [
            {"model": e["id"], "provider": e["provider"], "estimated_cost_usd": c, "speed": e.get("speed")}
            for e, c in ranked[1:5]
        ],
    }
    emit(result, as_json=as_json, human=lambda r: r["model"])


@cli.command("sync")
@json_option
@debug_option
def sync_cmd(as_json: bool) -> None:
    """Fetch OpenRouter's model list and save its prices and context windows.

    Reads GET $OPENROUTER_BASE_URL/models (default https://openrouter.ai/api/v1/models); no API
    key needed. Says which models were added and what changed. Offline or refused: an error,
    exit 7 (or the HTTP error's code), and the saved prices stay as they were.

    \b
    Examples:
      llm-models sync
      llm-models sync --json | jq '.changed[].id'
    """
    from llm_core.models.sync import sync  # here: httpx, ~9 ms, for this subcommand only

    report = sync()
    emit(report, as_json=as_json, human=_sync_summary)


def _sync_summary(r: dict) -> str:
    lines = [
        f"Synced {r['models']} OpenRouter models from {r['source']}",
        f"Saved to {r['file']} ({r['fetched_at']})",
    ]
    added = r["added"]
    lines.append(f"Added {len(added)}" + (":" if added else ""))
    lines += [f"  {model_id}" for model_id in added[:20]]
    if len(added) > 20:
        lines.append(f"  ... and {len(added) - 20} more (--json lists them all)")
    lines.append(f"Changed {len(r['changed'])}" + (":" if r["changed"] else ""))
    for item in r["changed"]:
        changes = ", ".join(
            f"{field.removeprefix('pricing.')} {_show(old)} -> {_show(new)}"
            for field, (old, new) in item["changes"].items()
        )
        lines.append(f"  {item['id']}: {changes}")
    lines.append(f"Unchanged {r['unchanged']}")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return fmt_price(value)
    return fmt_int(value) if isinstance(value, int) else str(value)


main = make_main(cli, "llm-models")
