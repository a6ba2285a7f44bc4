"""llm-chat: send a prompt to an LLM and stream the answer to stdout (help text: `cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from llm_core.cli._common import (
    FiniteFloatRange,
    debug_option,
    dumps,
    emit,
    json_option,
    make_main,
    model_option,
    provider_option,
    read_stdin,
    stdin_is_data,
    stdin_is_terminal,
    table,
    version_option,
)
from llm_core.clients import get_client
from llm_core.config import MAX_BUDGET_USD, describe, get_settings
from llm_core.errors import RefusedError, UsageError, hold_warnings
from llm_core.storage.local import get_storage

PROVIDER_CHOICES = ["auto", "anthropic", "openai", "openrouter", "echo"]
MAX_OUTPUT = 10_000_000  # tokens; far above any model's max output

MAN_SECTIONS = {
    "JSON OUTPUT": (
        "With --json, one object once the answer is complete:\n\n"
        '  {"text": "...", "model": "claude-haiku-4-5", "provider": "anthropic",\n'
        '   "tokens": {"input": 12, "output": 40, "total": 52, "cache_read": 0,\n'
        '              "cache_write": 0, "reasoning": 0},\n'
        '   "cost_usd": 0.000212, "duration_ms": 812, "time_to_first_token_ms": null,\n'
        '   "stop_reason": "end_turn", "request_id": "req_...", "retries": 0,\n'
        '   "provider_cost_usd": null, "refusal": false, "tool_calls": [],\n'
        '   "service_tier": null, "inference_geo": null}\n\n'
        "tokens.input excludes cache reads and writes; tokens.output includes reasoning tokens. "
        "cost_usd is null when the model's price is unknown. tool_calls are the model's tool "
        'calls, each {"id", "name", "arguments" (the JSON text), "input" (it parsed, or null)}; '
        "service_tier and inference_geo say what served the call (and set its price)."
    ),
    "REFUSALS": (
        "When the model refuses (an OpenAI refusal, an Anthropic stop reason \"refusal\"), the "
        "refusal is printed as the answer, an Error: line says so and llm-chat exits 9; with "
        "--json the object has \"refusal\": true (and the exit status is 9 too)."
    ),
    "RETRIES": (
        "Rate limits (429), timeouts (408), conflicts (409), server errors (5xx, 529 overloaded) "
        "and network errors are retried LLM_MAX_RETRIES times (default 2), honouring the "
        "server's retry-after-ms / retry-after up to the provider SDK's ceiling (Anthropic "
        "4294967 s; OpenAI and OpenRouter 120 s, a longer wait is not retried), else backing "
        "off 0.5 s doubling to 8 s with jitter. x-should-retry: true/false decides before the "
        "status (true retries even a 400). LLM_MAX_RETRY_WAIT=N gives up at once on a longer "
        "server wait (\"retry after N s\", 429: exit 5). A stream is retried only before its "
        "first output. LLM_TIMEOUT bounds each attempt as a whole, a stream's keep-alives "
        "included; LLM_STREAM_IDLE_TIMEOUT the silence between reads (both exit 7); "
        "LLM_MAX_RESPONSE_MB the body read (exit 6 beyond it)."
    ),
    "INPUT": (
        "The prompt is stdin followed by the arguments, joined by a blank line. stdin is read "
        "when it is a pipe or a file, or when no prompt argument is given; a terminal or "
        "/dev/null given with a prompt argument is left alone. --no-stdin never reads it: "
        "use it in a loop that reads its own stdin, or the first llm-chat swallows the rest:\n\n"
        "  printf 'one\\ntwo\\n' | while read x; do llm-chat --no-stdin -m echo \"$x\"; done"
    ),
    "CONFIGURATION TRUST": (
        "Settings come from the environment, then a .env in the working directory, then "
        "$XDG_CONFIG_HOME/llm-core/env (your keys; mode 0600). A .env belongs to whoever wrote "
        "the repository: its ANTHROPIC_BASE_URL, OPENAI_BASE_URL or OPENROUTER_BASE_URL is never "
        "sent a key from your environment or your file (exit 4, naming the .env) unless "
        "LLM_TRUST_PROJECT_ENV=1 is set in your environment. --where shows where each setting "
        "came from, keys masked."
    ),
    "HOOKS": (
        "llm-chat --print-hook prepare-commit-msg writes a git hook that proposes a commit "
        "message and never blocks a commit: when llm-chat fails or is not on PATH the message "
        "is left as it was and the hook exits 0. Install it with\n\n"
        "  llm-chat --print-hook prepare-commit-msg > .git/hooks/prepare-commit-msg\n"
        "  chmod +x .git/hooks/prepare-commit-msg"
    ),
    "SIGNALS": (
        "Ctrl-C, SIGTERM and SIGHUP stop the request and record the call as cancelled, with the "
        "tokens known so far (estimated when the provider had not said yet), then exit 130, 143 "
        "or 129. When the reader of stdout goes away (llm-chat ... | head -1) the call is "
        "cancelled and recorded the same way and llm-chat exits 141 without a message."
    ),
    "BUDGETS": (
        "LLM_BUDGET_DAILY_USD and LLM_BUDGET_MONTHLY_USD limit the spend of the local day and "
        "calendar month, across every process sharing the store. Before sending, llm-chat adds "
        "the call's worst case (its counted input with message framing, 25% more where the "
        "count is an estimate, plus the --max-tokens ceiling, else the model's output limit, "
        "at the model's price) to the spend so far (calls in flight "
        "included); over a budget the call is not sent, an Error: line names the budget, the "
        "spend, the limit and how to raise it, the refusal is recorded with status \"blocked\" "
        "and cost 0, and llm-chat exits 8. LLM_BUDGET_MODE=warn only warns. On a terminal a "
        "warning line appears once a budget passes LLM_BUDGET_WARN_AT percent (default 80). "
        "--max-cost USD refuses, the same way, a single call whose worst case is above USD. "
        "$XDG_CONFIG_HOME/llm-core/budgets.toml adds budgets of a project, agent or model over "
        "a local day, week or month ([[budget]] tables: name, project, agent, model, window, "
        "limit_usd); each is checked the same way for the calls it matches, and one that is not "
        "valid stops the call with exit 4. A project .env may lower a budget of yours, never "
        "raise it. llm-telemetry budget shows each budget's scope, spend and forecast."
    ),
    "USAGE LINE": (
        "--usage (or LLM_SHOW_USAGE=1) prints one line on stderr after the answer:\n\n"
        "  usage: 7 in, 9 out, 0 cache read, 0 cache write; $0.004000; 812 ms; claude-haiku-4-5;"
        " today $0.0080 of $0.0100\n\n"
        "The cost is unknown (\"cost unknown\") when the model has no price; \"of $...\" "
        "appears when LLM_BUDGET_DAILY_USD is set. Every other budget this call counts for "
        "follows: \"this month $1.20 of $20.00\" (LLM_BUDGET_MONTHLY_USD), \"NAME (WINDOW) "
        "$0.50 of $5.00\" (budgets.toml)."
    ),
    "TEMPLATES": (
        "A template is $XDG_CONFIG_HOME/llm-core/templates/NAME.toml (default ~/.config): "
        "description, system, model, prompt and an [options] table (max_tokens, temperature); "
        "any other key is exit 3. -t NAME uses it, the command line's own options winning. Its "
        "prompt is data, never run: $input is the piped text (else the arguments joined), $1, "
        "$2, ... the arguments, $$ a dollar sign; a prompt without placeholders gets the input "
        "appended after a blank line. Any other placeholder, or one without a value, is exit 2. "
        "--save NAME writes -s, -m, --max-tokens, --temperature and the arguments (quoted, as "
        "the prompt) to NAME.toml and makes no call; --templates lists them (--json)."
    ),
    "STRUCTURED OUTPUT": (
        "--schema asks for JSON matching a JSON Schema: a file, a JSON literal, or fields "
        "'name type[: description], ...' (types str, int, float, bool; all required). Anthropic "
        "gets one tool whose input_schema is the schema, forced by tool_choice; OpenAI and "
        "OpenRouter get response_format json_schema with strict: true. The answer is checked "
        "with the jsonschema package (pip install 'llm-cli-tools-core[schema]'; exit 4 when "
        "missing) and printed as one JSON document; with --json, the usual object with the "
        "value under \"data\". An answer that is not JSON or breaks the schema is exit 6 with "
        "the validation error; a schema that cannot be read is exit 3. --schema never streams."
    ),
    "ATTACHMENTS": (
        "-a FILE (repeatable; - for stdin's bytes, the prompt then comes from the arguments) "
        "attaches an image (PNG, JPEG, GIF, WebP, told by its first bytes) or a PDF. Only to a "
        "model whose registry entry has the vision (images) or pdf capability (llm-models list "
        "--capability vision); other models, other files and files over the provider's "
        "documented limits (Anthropic: 5 MB an image, 100 images, 32 MB of PDFs a request; "
        "OpenAI and OpenRouter: 50 MB of images, 500 images, 32 MB of PDFs a request) are exit 3 "
        "before anything is sent. Anthropic gets image and document blocks with a base64 "
        "source, OpenAI image_url blocks with a data: URL and file blocks with file_data."
    ),
    "CONVERSATIONS": (
        "A plain call is one-shot: nothing of it but its telemetry record is kept. "
        "--save-conversation starts a saved conversation, -c/--continue continues the most "
        "recent one in this store, --cid ID a given one (with --save-conversation, --cid ID "
        "names a new one). Each turn resends the earlier turns (user and assistant messages "
        "alternating; the system prompt is the last turn's unless -s gives one, and so is the "
        "model, with its provider, unless -m, -p or a template gives one); when they no "
        "longer fit the model's context window (llm-models), the oldest turns are left out, "
        "with a warning. Each turn's telemetry record has metadata.conversation_id. "
        "An unknown --cid, or -c with no conversation yet, is exit 3. "
        "llm-telemetry conversations lists them."
    ),
    "FILES": (
        "Each call appends one record to $LLM_TELEMETRY_DIR/YYYY-MM-DD/telemetry.jsonl "
        "(default .llm-telemetry); see llm-telemetry(1). Settings: .env, "
        "$XDG_CONFIG_HOME/llm-core/env. A saved conversation is "
        "$LLM_TELEMETRY_DIR/conversations/ID.jsonl (0600), one line per turn: its messages, "
        "model, system prompt, tokens and cost; it is kept only for the calls above, and removed "
        "whole by LLM_RETENTION_DAYS (its last turn that old) or the size cap (llm-telemetry prune). Templates: "
        "$XDG_CONFIG_HOME/llm-core/templates/NAME.toml."
    ),
}
HOOKS = ("prepare-commit-msg",)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("prompt", nargs=-1)
@click.option("-s", "--system", help="System prompt.")
@model_option
@provider_option
@click.option("--max-tokens", type=click.IntRange(1, MAX_OUTPUT), metavar="N",
              help=f"Most tokens to generate (1 to {MAX_OUTPUT:,}).")
@click.option("--temperature", type=FiniteFloatRange(0, 2), metavar="T", help="Sampling temperature (0 to 2).")
@click.option("--no-stream", is_flag=True, help="Wait for the whole answer instead of streaming it.")
@json_option
@click.option("--agent", help="Telemetry agent name (default: LLM_AGENT_NAME, else the program).")
@click.option("--operation", help="Telemetry operation (default: LLM_OPERATION, else 'chat').")
@click.option("--session", help="Telemetry session id (default: LLM_SESSION_ID, else one per process).")
@click.option("-a", "--attach", multiple=True, metavar="FILE",
              help="Attach an image (PNG, JPEG, GIF, WebP) or a PDF; repeatable; - reads stdin's bytes.")
@click.option("--schema", "schema_spec", metavar="FILE|FIELDS",
              help="Answer as JSON matching a JSON Schema file, or fields like 'name str, age int'.")
@click.option("-t", "--template", metavar="NAME", help="Use the saved template NAME (llm-chat --templates).")
@click.option("--save", "save_as", metavar="NAME",
              help="Save the options and the arguments (the prompt, with $input/$1) as template NAME; no call.")
@click.option("--templates", "list_templates", is_flag=True, help="List the saved templates and exit.")
@click.option("-c", "--continue", "resume", is_flag=True,
              help="Continue the most recent saved conversation in this store.")
@click.option("--cid", metavar="ID", help="Continue the saved conversation ID.")
@click.option("--save-conversation", is_flag=True,
              help="Start a saved conversation (continue it with -c or --cid).")
@click.option("--cache", is_flag=True, help="Mark the system prompt and piped input for Anthropic prompt caching.")
@click.option("--cache-ttl", type=click.Choice(["5m", "1h"]), default=None, help="Prompt cache lifetime (implies --cache).")
@click.option("--no-stdin", is_flag=True, help="Never read stdin (for loops that read their own).")
@click.option("--where", is_flag=True, help="Show each setting and the file it came from (keys masked), and exit.")
@click.option("--print-hook", type=click.Choice(HOOKS), help="Write a git hook that never blocks a commit, and exit.")
@click.option("--max-cost", type=FiniteFloatRange(0, MAX_BUDGET_USD), metavar="USD",
              help="Refuse the call (exit 8) when its worst case costs more than USD (0 to 1e9).")
@click.option("--usage", is_flag=True, help="Print tokens, cost, latency and the spend of today and of your budgets on stderr after the answer.")
@debug_option
@version_option("llm-chat")
def cli(prompt, system, model, provider, max_tokens, temperature, no_stream, as_json,
        agent, operation, session, attach, schema_spec, template, save_as, list_templates, resume, cid,
        save_conversation, cache, cache_ttl, no_stdin, where, print_hook, max_cost, usage):
    """Send a prompt to an LLM and stream the answer to stdout.

    The prompt is stdin (a pipe or a file; never with --no-stdin) followed by the arguments,
    joined by a blank line. The model is -m, else LLM_MODEL, else the provider's cheap default.
    The provider comes from -p (or LLM_PROVIDER; auto chooses), else the model's provider, else
    the API keys present (ANTHROPIC_API_KEY, OPENROUTER_API_KEY, OPENAI_API_KEY). Every call is
    recorded in the local telemetry store. The model `echo`
    answers with its input, offline and free.

    \b
    Examples:
      echo "hello" | llm-chat -m echo
      git diff --staged | llm-chat -s "You are a git expert" "Write a commit message"
      llm-chat -m claude-haiku-4-5 --max-tokens 200 "Explain SSE in one line"
      llm-chat --json --no-stream "2+2?" | python -m json.tool
      cat design.md | llm-chat --cache "List the open questions"
      llm-chat --save-conversation "Name a prime"; llm-chat -c "And the next one?"
      llm-chat --save review -s "You review diffs" 'Review in $1 bullets: $input'
      git diff | llm-chat -t review 3
      llm-chat --schema 'name str, age int' "Invent a person" | jq .name
      llm-chat -a chart.png -a report.pdf "Do these agree?"
      while read -r f; do llm-chat --no-stdin -m echo "$f"; done < files.txt
      llm-chat --where
      llm-chat --print-hook prepare-commit-msg > .git/hooks/prepare-commit-msg
      llm-chat --max-cost 0.01 --usage "Summarise RFC 9110 in a line"
      LLM_BUDGET_DAILY_USD=2 llm-chat "hi"      # exit 8 once today's spend would pass $2
    """
    if print_hook:
        sys.stdout.write((Path(__file__).parent / "hooks" / print_hook).read_text())
        return 0
    if where:
        _where(as_json)
        return 0
    if provider is not None and provider.strip().lower() not in PROVIDER_CHOICES:
        raise click.BadParameter(f"'{provider}' is not one of {', '.join(PROVIDER_CHOICES)}.",
                                 param_hint="'-p' / '--provider'")
    if list_templates or save_as is not None or template is not None:
        # Imported here: only template calls pay for the template modules.
        from llm_core.cli import chat_template

        opts = {"system": system, "model": model, "max_tokens": max_tokens, "temperature": temperature}
        if list_templates:
            return chat_template.print_list(as_json)
        if save_as is not None:
            return chat_template.save(save_as, opts, prompt, as_json)
    question = " ".join(prompt)
    read = (not no_stdin and "-" not in attach and not stdin_is_terminal()
            and (stdin_is_data() or not question))
    piped = read_stdin().rstrip("\n") if read else ""
    if template is not None:
        made = chat_template.apply(template, opts, piped, prompt)
        system, model, max_tokens, temperature = (opts[k] for k in ("system", "model", "max_tokens", "temperature"))
        if made is not None:
            piped, question = "", made
    if not piped and not question:
        raise UsageError("expected a prompt as arguments or on stdin")

    # httpcore imports trio when it is installed (~40 ms); this process never runs trio.
    sys.modules.setdefault("trio", None)
    if get_settings().telemetry_enabled:
        get_storage().check()  # a folder that is not a store: exit 4 before paying for a call

    cache_opt = None
    if cache or cache_ttl:
        from llm_core.utils.cache import PromptCache  # here: ~2 ms that only --cache pays

        cache_opt = PromptCache(ttl=None if cache_ttl == "5m" else cache_ttl)
    conversation = None
    if resume or cid is not None or save_conversation:
        # Imported here: only conversation calls pay for the conversation modules.
        from llm_core.cli.chat_conversation import ChatConversation

        conversation = ChatConversation.open(resume, cid, save_conversation)
        if model is None and provider is None:
            model, provider = conversation.last_model()
            provider = provider if provider in PROVIDER_CHOICES else None
    client = get_client(provider or "auto", model, cache=cache_opt, agent_name=agent,
                        operation=operation, session_id=session)
    kwargs = {"system": system, "max_tokens": max_tokens, "temperature": temperature}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    usage = usage or get_settings().show_usage
    if cache_opt is not None and piped and question:
        # Two blocks, so the (long, stable) piped text can be cached apart from the question.
        content = [{"type": "text", "text": piped}, {"type": "text", "text": question}]
        kwargs["messages"] = [{"role": "user", "content": content}]
    else:
        kwargs["prompt"] = "\n\n".join(p for p in (piped, question) if p)
    if attach:
        kwargs = _attach(client, kwargs, attach)
    if conversation is not None:
        kwargs = conversation.prepare(kwargs, client)

    out = sys.stdout
    if schema_spec is not None:
        return _structured(client, kwargs, schema_spec, as_json, conversation)
    if as_json or no_stream:
        response = client.chat(**kwargs)
        if conversation is not None:
            conversation.record(response)
        if as_json:
            data = response.to_dict()
            if conversation is not None:
                data["conversation_id"] = conversation.cid
            out.write(dumps(data) + "\n")
        else:
            out.write(response.text if response.text.endswith("\n") else response.text + "\n")
        if usage:
            _print_usage(response, client, agent)
        _check_refusal(response)
        return 0
    last = ""
    try:
        with client.stream(**kwargs) as stream:
            for chunk in stream:
                out.write(chunk)
                out.flush()
                last = chunk[-1:] or last
                hold_warnings(last != "\n")  # a warning waits for the answer's line to end
        if last != "\n":
            out.write("\n")
            out.flush()
    finally:
        hold_warnings(False)
    if conversation is not None:
        conversation.record(stream.response)
    if usage and stream.response is not None:
        out.flush()
        _print_usage(stream.response, client, agent)
    _check_refusal(stream.response)
    return 0


def _attach(client, kwargs, paths) -> dict:
    """-a: the files read, checked against the model and the provider's limits, then sent as
    content blocks of the user message (exit 3 before sending when they do not fit)."""
    # Imported here: only -a pays for the attachments module.
    from llm_core import attachments

    files = [attachments.load(p, sys.stdin.buffer) for p in paths]
    attachments.check(files, client.provider, client.model_name, client.model_info)
    content = kwargs.pop("messages")[0]["content"] if "messages" in kwargs else kwargs.pop("prompt")
    kwargs["messages"] = [attachments.user_message(client.provider, files, content)]
    return kwargs


def _structured(client, kwargs, spec, as_json, conversation) -> int:
    """--schema: ask for JSON matching the schema, check it, print it as one JSON document."""
    # Imported here: only --schema pays for the schema module (and jsonschema).
    from llm_core import schema as schemas

    schema = schemas.load_schema(spec)
    response = client.chat(**kwargs, **schemas.request_params(client.provider, schema))
    _check_refusal(response)
    value = schemas.structured_answer(response, schema)
    if conversation is not None:
        response.text = dumps(value, pretty=False)
        conversation.record(response)
    if as_json:
        data = {**response.to_dict(), "data": value}
        if conversation is not None:
            data["conversation_id"] = conversation.cid
        value = data
    sys.stdout.write(dumps(value) + "\n")
    return 0


def _check_refusal(response) -> None:
    """A refusal is printed like an answer, then ends the command with its own status."""
    if response is not None and response.refusal:
        raise RefusedError(f"the model refused to answer (stop reason: {response.stop_reason})")


def _print_usage(response, client, agent: str | None) -> None:
    """The --usage line on stderr (see USAGE LINE)."""
    t = response.tokens
    cost = "cost unknown" if response.cost_usd is None else f"${response.cost_usd:.6f}"
    line = (f"usage: {t.get('input', 0)} in, {t.get('output', 0)} out, {t.get('cache_read', 0)} "
            f"cache read, {t.get('cache_write', 0)} cache write; {cost}; {response.duration_ms} ms; "
            f"{response.model}")
    settings = get_settings()
    if settings.telemetry_enabled:
        line += _spend_text(settings, client, agent)
    sys.stderr.write(line + "\n")


def _spend_text(settings, client, agent: str | None) -> str:
    """'; today $0.0080 of $0.0100; this month ...; <name> (week) ...': today's spend, then
    every other budget this call counted for."""
    # Imported here: only --usage reads the spend.
    from llm_core import telemetry
    from llm_core.budgets import Budget, budgets, statuses, usd
    from llm_core.errors import ConfigError
    from llm_core.records import now_ms

    storage = get_storage()
    storage.flush()  # this call's record counts in the spend
    daily = settings.budget_daily_usd
    wanted = [Budget("today", "day", daily or 0.0, "")]
    try:
        scope = telemetry.record_scope(client.model_name, agent)
        wanted += [b for b in budgets(settings) if b.name != "daily" and b.applies_to(scope)]
    except ConfigError:
        pass  # budgets.toml turned invalid after the call: today's spend still helps
    text = ""
    for status in statuses(storage.base_dir, settings, now_ms(), wanted):
        b = status.budget
        name = {"today": "today", "monthly": "this month"}.get(b.name, f"{b.name} ({b.window})")
        has_limit = b.name != "today" or daily
        text += f"; {name} {usd(status.spent_usd)}" + (f" of {usd(b.limit_usd)}" if has_limit else "")
    return text


def _where(as_json: bool) -> None:
    rows = describe(get_settings())
    emit(rows, as_json=as_json, human=lambda r: table(
        [(x["name"], x["value"], x["source"] + (f" (not used: {x['not_used']})" if "not_used" in x else ""))
         for x in r], ["variable", "value", "source"]
    ) or "no settings of llm-core are set")


main = make_main(cli, "llm-chat", signals=True)
