"""Building one telemetry record: id, time, hashes, project and git context, cost.

    record = build_record(provider="anthropic", model="claude-haiku-4-5",
                          tokens={"input": 500, "output": 200}, duration_ms=1234,
                          success=True, prompt=prompt, response=text)
    record_call(...same keywords...)        # build + store; never raises

    with AITelemetryTracker(provider="openai", model="gpt-4o-mini", prompt=p) as t:
        reply = call_the_model(p)
        t.set_response(reply.text, tokens=reply.tokens)
    # on exit: duration measured, success/error set, record stored

Labels: an explicit keyword wins over the setting (LLM_AGENT_NAME, LLM_OPERATION,
LLM_SESSION_ID, LLM_USER_ID), which wins over the default: the program's name, "chat", one
random id per process, the OS user. `metadata.project` is the git top-level folder's name,
else the working directory's; `metadata.git_branch` is read from HEAD without running git
(worktrees and submodules, where `.git` is a file, included); a detached HEAD or no repository
gives null. Detection is cached per process and working directory.

`id` is a 26-character ULID (48-bit millisecond time + 80 random bits, Crockford base32):
unique, and sorting ids sorts records by time (strictly increasing within a process).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from llm_core.config import get_settings, redact
from llm_core.errors import warn
from llm_core.models.pricing import calculate_cost
from llm_core.records import format_ms, format_timestamp, new_id_at, normalize_tokens, now_ms
from llm_core.storage.local import get_storage

__all__ = ["AITelemetryTracker", "build_record", "content_hash", "project_context", "record_call", "record_scope"]


def content_hash(content: Any) -> str | None:
    """'sha256:<hex>' of a prompt or response (text, bytes, or JSON like a message list)."""
    if content is None:
        return None
    import hashlib  # loads OpenSSL (~10 ms): paid on the first hash, not by records without texts

    if isinstance(content, str):
        data = content.encode("utf-8", "surrogatepass")
    elif isinstance(content, (bytes, bytearray)):
        data = bytes(content)
    else:
        data = orjson.dumps(content, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------- process context

_context_cache: dict[str, dict] = {}
_process: dict[str, str] = {}
_process_lock = threading.Lock()


def _find_git(start: Path) -> tuple[Path, Path] | None:
    """(top-level folder, git dir) of the repository holding `start`, or None."""
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        try:
            if dot_git.is_dir():
                return folder, dot_git
            if dot_git.is_file():
                text = dot_git.read_text("utf-8", "replace").strip()
                if text.startswith("gitdir:"):
                    gitdir = Path(text[len("gitdir:"):].strip())
                    if not gitdir.is_absolute():
                        gitdir = (folder / gitdir).resolve()
                    return folder, gitdir
        except OSError:
            return None
    return None


def _branch(gitdir: Path) -> str | None:
    try:
        head = (gitdir / "HEAD").read_text("utf-8", "replace").strip()
    except OSError:
        return None
    if head.startswith("ref:"):
        ref = head[4:].strip()
        return ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref or None
    return None  # detached HEAD: a commit, not a branch


def project_context(cwd: str | None = None) -> dict:
    """{"project", "git_branch"} for `cwd` (default: the working directory), cached."""
    if cwd is None:
        try:
            cwd = os.getcwd()
        except OSError:
            return {"project": None, "git_branch": None}
    cached = _context_cache.get(cwd)
    if cached is None:
        here = Path(cwd)
        found = _find_git(here)
        if found:
            cached = {"project": found[0].name or str(found[0]), "git_branch": _branch(found[1])}
        else:
            cached = {"project": here.name or str(here), "git_branch": None}
        _context_cache[cwd] = cached
    return cached


def _program_name() -> str:
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if argv0 in ("", "-c", "-m", "-"):
        return "python"
    path = Path(argv0)
    name = path.parent.name if path.name == "__main__.py" else path.name
    return name[:-3] if name.endswith(".py") else name or "python"


def _defaults() -> dict[str, str]:
    if not _process:
        try:
            user = getpass.getuser()
        except Exception:
            user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
        found = {"agent_name": _program_name(), "operation": "chat",
                 "session_id": os.urandom(8).hex(), "user_id": user}
        with _process_lock:  # two first calls racing must agree on one session id
            if not _process:
                _process.update(found)
    return _process


def _reset_after_fork() -> None:
    # A forked child is another process: its own session id (records.py resets the ids).
    global _process_lock
    _process_lock = threading.Lock()
    _process.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _settings():
    try:
        return get_settings()
    except Exception:
        return None


def record_scope(model: str | None, agent_name: str | None = None, metadata: dict | None = None) -> dict:
    """{"project", "agent", "model"} as a call's record will carry them (what scoped budgets match)."""
    settings = _settings()
    project = metadata["project"] if metadata and "project" in metadata else project_context()["project"]
    agent = agent_name or (settings.agent_name if settings is not None else None) or _defaults()["agent_name"]
    return {"project": project, "agent": agent, "model": model}


# ---------------------------------------------------------------- the record

def build_record(
    *,
    provider: str | None,
    model: str | None,
    tokens: dict | None,
    duration_ms: float | int | None,
    success: bool,
    prompt: Any = None,
    response: Any = None,
    error: BaseException | str | None = None,
    cost_usd: float | None = None,
    agent_name: str | None = None,
    operation: str | None = None,
    session_id: str | None = None,
    user_id: str | None = None,
    metadata: dict | None = None,
    **extra: Any,
) -> dict:
    """One telemetry record (see the module docstring). Extra keywords become top-level keys.

    `cost_usd=None` asks llm_core.models.pricing for the price of `tokens`; it stays None
    when the model's price is unknown. The prompt and response texts are included (as the
    "prompt"/"response" keys the store moves to their own files) only when LLM_STORE_PROMPTS
    / LLM_STORE_RESPONSES are on.
    """
    settings = _settings()
    defaults = _defaults()
    record_id, timestamp = _id_and_time(extra.pop("id", None), extra.pop("timestamp", None))
    norm = normalize_tokens(tokens)
    if cost_usd is None and model:
        cost_usd = _price(norm, model)
    meta = {**project_context(), "error": _error_text(error)}
    if metadata:
        meta.update(metadata)

    def label(name: str, given: str | None) -> str:
        if given:
            return given
        configured = getattr(settings, name, None) if settings is not None else None
        return configured or defaults[name]

    record = {
        "id": record_id,
        "timestamp": timestamp,
        "agent_name": label("agent_name", agent_name),
        "operation": label("operation", operation),
        "provider": provider,
        "model": model,
        "session_id": label("session_id", session_id),
        "user_id": label("user_id", user_id),
        "duration_ms": _duration(duration_ms),
        "tokens": norm,
        "cost_usd": None if cost_usd is None else float(cost_usd),
        "success": bool(success),
        "prompt_hash": content_hash(prompt),
        "response_hash": content_hash(response),
        "metadata": meta,
    }
    for key, value in extra.items():
        if key not in record:
            record[key] = value
    if settings is not None:
        if settings.store_prompts and prompt is not None:
            record["prompt"] = prompt
        if settings.store_responses and response is not None:
            record["response"] = response
    return record


def _id_and_time(record_id: Any, timestamp: Any) -> tuple[Any, str]:
    """The given id and timestamp, or a fresh ULID and now (of the same millisecond)."""
    ms = now_ms()
    if isinstance(timestamp, datetime):
        timestamp = format_timestamp(timestamp)
    elif not isinstance(timestamp, str) or not timestamp:
        timestamp = format_ms(ms)
    return record_id or new_id_at(ms), timestamp


def _duration(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return max(0, round(float(value)))
    except (TypeError, ValueError):
        return None


def _error_text(error: BaseException | str | None) -> str | None:
    if error is None:
        return None
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    with contextlib.suppress(Exception):
        text = redact(text)
    return text[:2000]


def _price(tokens: dict, model: str) -> float | None:
    try:
        return calculate_cost(tokens, model)
    except Exception:  # an unknown model is an unknown price, not a failed record
        return None


def record_call(**kwargs: Any) -> dict | None:
    """Build a record and store it (when storage is enabled). Returns the record (without
    prompt/response text), or None if it could not even be built. Never raises."""
    try:
        storage = kwargs.pop("storage", None)
        record = build_record(**kwargs)
    except Exception as e:
        _warn(f"telemetry record not built: {e}")
        return None
    _store(record, storage)
    record.pop("prompt", None)
    record.pop("response", None)
    return record


def _store(record: dict, storage=None) -> bool:
    try:
        if storage is None:
            storage = get_storage()
        stored = storage.store_telemetry(record)
    except Exception as e:
        _warn(f"telemetry not stored: {e}")
        return False
    settings = _settings()
    if settings is not None and settings.exporting:
        from llm_core.exporters import dispatch  # only imported when an exporter is configured

        dispatch(record, storage)
    return stored


def _warn(message: str) -> None:
    with contextlib.suppress(Exception):  # a closed stderr must not break the call
        warn(message, key="telemetry-" + message.split(":")[0])


class AITelemetryTracker:
    """Track one AI operation: a context manager that times it and stores its record.

        with AITelemetryTracker(provider="anthropic", model="claude-haiku-4-5",
                                operation="search", prompt=question) as t:
            answer = client.chat(question)
            t.set_response(answer.text, tokens=answer.tokens, cost_usd=answer.cost_usd)
        t.to_dict()      # the record that was stored

    An exception inside the block marks the record failed (with the error) and propagates.
    Without the `with`, call start(), ..., then send_metrics().
    """

    def __init__(self, provider: str | None = None, model: str | None = None, *,
                 auto_send: bool = True, storage=None, **fields: Any) -> None:
        self.provider = provider
        self.model = model
        self.fields = fields
        self.tokens: dict = dict(fields.pop("tokens", None) or {})
        self.success = bool(fields.pop("success", True))
        self.error = fields.pop("error", None)
        self.auto_send = auto_send
        self.storage = storage
        self.duration_ms: float | None = fields.pop("duration_ms", None)
        self._t0: float | None = None
        self._record: dict | None = None
        self.sent = False

    def start(self) -> AITelemetryTracker:
        self._t0 = time.perf_counter()
        return self

    def stop(self) -> None:
        if self._t0 is not None and self.duration_ms is None:
            self.duration_ms = (time.perf_counter() - self._t0) * 1000

    def __enter__(self) -> AITelemetryTracker:
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.stop()
        if exc is not None:
            self.set_error(exc)
        if self.auto_send:
            self.send_metrics()
        return False

    def set_tokens(self, tokens: dict | None = None, **counts: int) -> None:
        self.tokens.update(tokens or {}, **counts)
        self._record = None

    def set_response(self, response: Any, tokens: dict | None = None, **fields: Any) -> None:
        self.fields["response"] = response
        if tokens:
            self.set_tokens(tokens)
        self.fields.update(fields)
        self._record = None

    def set_error(self, error: BaseException | str) -> None:
        self.success = False
        self.error = error
        self._record = None

    def to_dict(self) -> dict:
        """The record (built once; rebuilt after a set_* call). No prompt/response text."""
        if self._record is None:
            self.stop()
            self._record = build_record(
                provider=self.provider, model=self.model, tokens=self.tokens,
                duration_ms=self.duration_ms, success=self.success, error=self.error,
                **self.fields,
            )
            # Rebuilt after a set_*: still the same operation, so the same id and time.
            self.fields.setdefault("id", self._record["id"])
            self.fields.setdefault("timestamp", self._record["timestamp"])
        return {k: v for k, v in self._record.items() if k not in ("prompt", "response")}

    def send_metrics(self) -> bool:
        """Store the record locally (when storage is enabled) and hand it to the configured
        exporters (a Pushgateway, OTLP: see llm_core.exporters); once. Never raises."""
        if self.sent:
            return False
        self.sent = True
        try:
            self.to_dict()
        except Exception as e:
            _warn(f"telemetry record not built: {e}")
            return False
        return _store(dict(self._record), self.storage)
