"""llm-telemetry conversations: the conversations saved by llm-chat (list, or show one)."""

from __future__ import annotations

import click

from llm_core.cli._common import debug_option, emit, fmt_usd, json_option, table
from llm_core.cli.telemetry import CONTEXT
from llm_core.errors import ExitStatus, UsageError
from llm_core.storage.conversations import Conversations, message_text
from llm_core.storage.local import get_storage


@click.command(context_settings=CONTEXT)
@click.argument("action", required=False, type=click.Choice(["show"]))
@click.argument("cid", required=False, metavar="[ID]")
@json_option
@debug_option
def conversations(action, cid, as_json):
    """List the conversations llm-chat saved (--save-conversation, -c, --cid), or show one.

    The list has each conversation's id, first line, turns and cost, the most recent last;
    `show ID` prints its turns (--json: the turns as stored, with their messages, model,
    system prompt, tokens and cost).

    \b
    Examples:
      llm-telemetry conversations
      llm-telemetry conversations show 01KB0Z6N2Y3Q --json | jq '.[].messages'
      llm-chat --cid "$(llm-telemetry conversations --json | jq -r '.[-1].id')" "go on"
    """
    convs = Conversations(get_storage())
    if action is None:
        if cid is not None:
            raise UsageError("expected `conversations` or `conversations show ID`")
        emit([convs.summary(c) for c in convs.ids()], as_json=as_json, human=_list)
        return ExitStatus.OK
    if cid is None:
        raise UsageError("conversations show: expected a conversation id")
    emit(convs.turns(cid), as_json=as_json, human=_turns)
    return ExitStatus.OK


def _list(rows: list[dict]) -> str:
    if not rows:
        return "(no saved conversations)"
    return table([(r["id"], _cut(r["first_line"]), r["turns"], fmt_usd(r["cost_usd"])) for r in rows],
                 headers=("id", "first line", "turns", "cost"), align=("left", "left", "right", "right"))


def _cut(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _turns(turns: list[dict]) -> str:
    out = []
    for i, turn in enumerate(turns, 1):
        # A hand-edited or damaged turn may lack its time or model: "?", not "None".
        out.append(f"--- turn {i}  {turn.get('timestamp') or '?'}  {turn.get('model') or '?'}  "
                   f"{fmt_usd(turn.get('cost_usd'))}")
        if turn.get("system") and (i == 1 or turn["system"] != turns[i - 2].get("system")):
            out.append(f"system: {message_text({'content': turn['system']})}")
        out += [f"{m.get('role')}: {message_text(m)}" for m in turn["messages"]]
    return "\n".join(out)
