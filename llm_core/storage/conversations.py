"""Saved conversations: `conversations/ID.jsonl` in the store, one JSON line per turn.

    {"timestamp": "...", "model": "claude-haiku-4-5", "provider": "anthropic",
     "system": "Be brief" | null, "messages": [{"role": "user", ...}, {"role": "assistant", ...}],
     "tokens": {...}, "cost_usd": 0.0002}

A conversation is kept only for calls that ask for it (llm-chat -c/--cid/--save-conversation):
its text is the user's data and lives nowhere else. Each turn is appended as one whole line
under the store's lock (LocalStorage.append_to), so a process killed between or during turns
leaves every earlier turn readable (a torn last line is skipped by the tolerant reader and the
next append starts on a fresh line).

    convs = Conversations(get_storage())
    cid = convs.new_id(); convs.append(cid, turn); convs.messages(cid); convs.latest()
"""

from __future__ import annotations

import os
from typing import Any

import orjson

from llm_core.errors import InputError, warn
from llm_core.records import (
    CONVERSATIONS_DIR,
    ReadStats,
    is_conversation_name,
    is_day_name,
    new_id,
    now_timestamp,
    read_jsonl,
)


def check_id(cid: str) -> str:
    """The conversation id, or InputError (exit 3) for one that could not be a file name."""
    if not isinstance(cid, str) or not is_conversation_name(cid + ".jsonl"):
        raise InputError(f"'{cid}' is not a conversation id (letters, digits, '-' and '_')")
    return cid


class Conversations:
    """The saved conversations of one LocalStorage."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self.folder = storage.base_dir / CONVERSATIONS_DIR

    def new_id(self) -> str:
        return new_id()

    def path(self, cid: str):
        return self.folder / f"{check_id(cid)}.jsonl"

    def exists(self, cid: str) -> bool:
        return self.path(cid).is_file()

    def ids(self) -> list[str]:
        """Every conversation id, the most recently written last."""
        try:
            entries = [e for e in os.scandir(self.folder)
                       if e.name.endswith(".jsonl") and e.is_file(follow_symlinks=False)]
        except (FileNotFoundError, NotADirectoryError):
            return []
        entries.sort(key=lambda e: (e.stat(follow_symlinks=False).st_mtime_ns, e.name))
        return [e.name[: -len(".jsonl")] for e in entries if is_conversation_name(e.name)]

    def latest(self) -> str | None:
        ids = self.ids()
        return ids[-1] if ids else None

    def turns(self, cid: str) -> list[dict]:
        """The turns of conversation `cid` (InputError when there is none)."""
        path = self.path(cid)
        if not path.is_file():
            raise InputError(f"no conversation '{cid}' in {self.storage.base_dir}")
        stats = ReadStats()
        turns = [t for t in read_jsonl(path, stats=stats, warn=False) if isinstance(t.get("messages"), list)]
        if stats.skipped:
            warn(f"{path}: skipped {stats.skipped} torn line(s) (an interrupted write)", key="conv-torn")
        return turns

    def append(self, cid: str, turn: dict, earlier: list[dict] = ()) -> None:
        """Append one turn as one whole line, under the store's lock. `earlier`: the turns this
        one continues; when pruning removed the file while the call ran, they are written
        again before it, so the file is never the tail of a conversation (never a half one)."""
        line = orjson.dumps({"timestamp": now_timestamp(), **turn}) + b"\n"
        first = b"".join(orjson.dumps(t) + b"\n" for t in earlier)
        self.storage.append_to(CONVERSATIONS_DIR, f"{check_id(cid)}.jsonl", line, when_new=first)

    def summary(self, cid: str) -> dict:
        """{id, first_line, turns, cost_usd, model, updated} of one conversation."""
        turns = self.turns(cid)
        costs = [t.get("cost_usd") for t in turns]
        first = next((message_text(m) for t in turns for m in t["messages"] if m.get("role") == "user"), "")
        return {
            "id": cid, "first_line": (first.strip().splitlines() or [""])[0],
            "turns": len(turns),
            "cost_usd": None if any(c is None for c in costs) else round(sum(costs), 10),
            "model": turns[-1].get("model") if turns else None,
            "updated": turns[-1].get("timestamp") if turns else None,
        }


def last_turn_day(fd: int, size: int, chunk: int = 1 << 16) -> str | None:
    """The UTC day (YYYY-MM-DD) of the last whole turn of the conversation file open at `fd`
    (`size` bytes), read backwards from its end; None when no line has a timestamp. A torn
    last line (no newline: a writer was killed) is not a turn."""
    pos, buf, ended = size, b"", False
    while pos > 0:
        start = max(0, pos - chunk)
        os.lseek(fd, start, os.SEEK_SET)
        buf = os.read(fd, pos - start) + buf
        pos = start
        if not ended:
            cut = buf.rfind(b"\n")
            if cut < 0:
                continue  # still inside the (torn) last line
            buf, ended = buf[:cut], True
        lines = buf.split(b"\n")
        # While there is more before it, the first piece may be the end of a longer line.
        for line in reversed(lines[1:] if pos else lines):
            day = _turn_day(line)
            if day:
                return day
        buf = lines[0]
    return None


def _turn_day(line: bytes) -> str | None:
    try:
        ts = orjson.loads(line).get("timestamp")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return ts[:10] if isinstance(ts, str) and is_day_name(ts[:10]) else None


def message_text(message: dict) -> str:
    """The text of one message (a string, or the text blocks of a list)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


def history(turns: list[dict]) -> list[dict]:
    """The messages of every turn, in order: what the next request resends."""
    return [m for t in turns for m in t["messages"]]


def fit_context(turns: list[dict], budget: int, count: Any, media: Any = None) -> tuple[list[dict], int]:
    """Drop the oldest turns until count(text of the rest) + media(their messages) <= budget;
    `media` estimates the images and PDFs of a list of messages (utils/image_tokens.py).
    Returns (the turns kept, how many were dropped)."""
    sizes = [count("\n".join(message_text(m) for m in t["messages"])) + (media(t["messages"]) if media else 0)
             for t in turns]
    dropped = 0
    total = sum(sizes)
    while dropped < len(turns) and total > budget:
        total -= sizes[dropped]
        dropped += 1
    return turns[dropped:], dropped
