"""The telemetry record and the store's layout: the low-level pieces everything else shares.

    .llm-telemetry/                 LLM_TELEMETRY_DIR (0700)
    ├── 2026-11-27/                 one folder per UTC day of the record's timestamp
    │   ├── telemetry.jsonl         TELEMETRY_FILE, one JSON object per line (0600)
    │   ├── prompts.jsonl           PROMPTS_FILE   {"id", "timestamp", "prompt"}
    │   └── responses.jsonl         RESPONSES_FILE {"id", "timestamp", "response"}
    ├── 2026-10-02/                 an older day: its files gzip-compressed (storage/compress.py)
    │   └── telemetry.jsonl.gz      the same lines; a plain telemetry.jsonl may sit beside it
    ├── conversations/ID.jsonl      CONVERSATIONS_DIR: saved conversations, one turn a line (storage/conversations.py)
    ├── .summaries/2026-11-27.sum   SUMMARY_DIR: the per-day summaries (storage/day_summaries.py)
    ├── .summaries/settled.cache    SETTLED_CACHE: settled days merged (storage/store_cache.py)
    ├── .budget/                    BUDGET_DIR: budget state and reservations (llm_core/budgets.py)
    ├── summary.json                TOTALS_FILE: per-day totals (storage/totals.py)
    ├── .last-prune                 PRUNE_MARKER: the UTC day pruning last ran
    ├── .llm-core-store             STORE_MARKER: "this folder is a store" (storage/location.py)
    └── .gitignore                  GITIGNORE: "*", so a store inside a repository is never committed

Nothing else belongs to the store: other files are never counted, changed or removed, and a
symbolic link inside the store is never followed (`day_names` skips linked day folders).

Here: the file names (`DAY_FILES`, `is_own_root_name`), the one day-folder test
(`is_day_name`) and lister (`day_names`),
record ids (`new_id`, a ULID), timestamps (`now_timestamp`, `format_timestamp`,
`parse_timestamp`, `as_day`, `utc_today`), `normalize_tokens`, the torn-line-tolerant JSONL
reader (`read_jsonl`, `parse_lines`, `ReadStats`, `skipped_lines_message`) and `atomic_write`.
The one reader of a day file, plain or compressed (`read_day_file`, `day_file_stat`,
`day_file_parts`, `gzip_bytes`, `gzip_source`), is llm_core/dayfiles.py.

This module imports nothing of llm-core's but llm_core.errors and llm_core.dayfiles (a leaf),
so any module may use it.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from llm_core.dayfiles import GZ_SUFFIX, read_day_file
from llm_core.errors import InputError, warn

__all__ = [
    "BUDGET_DIR", "CONVERSATIONS_DIR", "DAY_FILES", "DIR_MODE", "FILE_MODE", "GITIGNORE", "PROMPTS_FILE", "PRUNE_MARKER", "RESPONSES_FILE",
    "SETTLED_CACHE", "STORE_MARKER", "SUMMARY_DIR", "TELEMETRY_FILE", "TOKEN_KEYS", "TOTALS_FILE",
    "ReadStats", "as_day", "atomic_write", "compress_temp_name",
    "day_names", "dumps_record", "format_ms", "format_timestamp",
    "is_conversation_name", "is_day_name", "is_own_root_name", "new_id", "new_id_at",
    "normalize_tokens", "now_ms", "now_timestamp", "parse_lines", "parse_timestamp",
    "read_jsonl", "replacing", "skipped_lines_message", "utc_today",
]

TELEMETRY_FILE = "telemetry.jsonl"
PROMPTS_FILE = "prompts.jsonl"
RESPONSES_FILE = "responses.jsonl"
TOTALS_FILE = "summary.json"
SUMMARY_DIR = ".summaries"
SETTLED_CACHE = "settled.cache"  # in SUMMARY_DIR
CONVERSATIONS_DIR = "conversations"
BUDGET_DIR = ".budget"
PRUNE_MARKER = ".last-prune"
STORE_MARKER = ".llm-core-store"
GITIGNORE = ".gitignore"
DAY_FILES = (TELEMETRY_FILE, PROMPTS_FILE, RESPONSES_FILE)
_ROOT_FILES = frozenset((TOTALS_FILE, PRUNE_MARKER, STORE_MARKER, GITIGNORE, SUMMARY_DIR, BUDGET_DIR,
                         CONVERSATIONS_DIR))
DIR_MODE = 0o700
FILE_MODE = 0o600

TOKEN_KEYS = ("input", "output", "total", "cache_read", "cache_write")


# ---------------------------------------------------------------- day folders

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII).fullmatch


def is_day_name(name: str) -> bool:
    """True for a real calendar day written YYYY-MM-DD (the name of a day folder)."""
    if not _DAY_RE(name):
        return False
    try:
        date.fromisoformat(name)
    except ValueError:
        return False
    return True


def compress_temp_name(name: str) -> str:
    """The temp file a compression of day file `name` writes before its rename: .NAME.gz.tmp."""
    return f".{name}{GZ_SUFFIX}.tmp"


_CONVERSATION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}", re.ASCII).fullmatch


def is_conversation_name(name: str) -> bool:
    """True for ID.jsonl, a saved conversation's file in conversations/ (ID: letters, digits,
    '-' and '_', at most 64, as storage/conversations.py makes them)."""
    return name.endswith(".jsonl") and _CONVERSATION_ID(name[:-6]) is not None


def is_own_root_name(name: str) -> bool:
    """True for a name the store itself puts in its root: a day folder, summary.json (and its
    temp files), .last-prune, .summaries, the marker, .gitignore."""
    return (name in _ROOT_FILES or is_day_name(name)
            or (name.startswith(".summary.") and name.endswith(".tmp")))


def day_names(base: str | os.PathLike) -> list[str]:
    """The day folders of the store at `base`, oldest first (none when it does not exist).

    A day folder that is a symbolic link is not one: it is skipped, with one warning naming it
    (the store never reads, writes or deletes through a link)."""
    try:
        entries = list(os.scandir(base))
    except (FileNotFoundError, NotADirectoryError):
        return []
    days, links = [], []
    for e in entries:
        if is_day_name(e.name):
            if e.is_dir(follow_symlinks=False):
                days.append(e.name)
            elif e.is_symlink():
                links.append(e.path)
    if links:
        with contextlib.suppress(Exception):  # a closed stderr must not turn this into a crash
            warn(f"ignoring {', '.join(sorted(links))}: a day folder that is a symbolic link "
                 "(the store never follows links; see `llm-telemetry doctor`)", key="linked-day")
    return sorted(days)


# ---------------------------------------------------------------- timestamps

def now_ms() -> int:
    return time.time_ns() // 1_000_000


_second: tuple[int, str] = (-1, "")  # the last second formatted: most calls share it


def format_ms(ms: int) -> str:
    """Epoch milliseconds in the record's timestamp format: '2026-11-27T10:30:45.123Z'."""
    global _second
    sec, milli = divmod(ms, 1000)
    cached = _second
    if cached[0] != sec:
        cached = _second = (sec, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)))
    return f"{cached[1]}.{milli:03d}Z"


def now_timestamp() -> str:
    """Now, UTC, milliseconds: '2026-11-27T10:30:45.123Z'."""
    return format_ms(now_ms())


def format_timestamp(value: datetime) -> str:
    """A datetime (naive = UTC) in the record's timestamp format."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return format_ms(int(value.timestamp() * 1000))


def utc_today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


def as_day(value: date | datetime | str) -> str:
    """'YYYY-MM-DD' for a date, a datetime or such a string (InputError otherwise)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(f"not a date (expected YYYY-MM-DD): {value!r}") from None


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MS = datetime(1970, 1, 1, 0, 0, 0, 1000) - datetime(1970, 1, 1)
_hour_ms: dict[str, int | None] = {}


def _hour_base(prefix: str) -> int | None:
    """Epoch ms of 'YYYY-MM-DDTHH' (UTC), cached: a store has few distinct hours."""
    if len(_hour_ms) > 200_000:
        _hour_ms.clear()
    # By hand, not strptime: its first call imports _strptime (~7 ms), paid at a command's exit.
    fields = (prefix[0:4], prefix[5:7], prefix[8:10], prefix[11:13])
    base = None
    if prefix[4:5] == prefix[7:8] == "-" and prefix[10:11] == "T" and all(
            f.isascii() and f.isdigit() for f in fields):
        with contextlib.suppress(ValueError):
            base = (datetime(*map(int, fields)) - datetime(1970, 1, 1)) // _ONE_MS
    _hour_ms[prefix] = base
    return base


def parse_timestamp(value: Any) -> int | None:
    """Milliseconds since the epoch of an ISO 8601 timestamp (no zone = UTC), or None."""
    if not isinstance(value, str):
        return None
    # The record's own format, 'YYYY-MM-DDTHH:MM:SS.mmmZ', without a datetime per call.
    if len(value) == 24 and value[23] == "Z" and value[19] == "." and value[13] == ":" and value[16] == ":":
        prefix = value[:13]
        base = _hour_ms[prefix] if prefix in _hour_ms else _hour_base(prefix)
        if base is not None:
            try:
                minute, ms = int(value[14:16]), int(value[17:19] + value[20:23])
            except ValueError:
                return None
            if 0 <= minute < 60 and 0 <= ms < 60_000:
                return base + minute * 60_000 + ms
    try:
        dt = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return (dt - _EPOCH) // _ONE_MS


# ---------------------------------------------------------------- ids

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]  # 10 bits -> 2 characters
_id_lock = threading.Lock()
_last_ms = 0
_last_rand = 0
_head: tuple[int, int, str] = (-1, -1, "")  # (ms, high 40 random bits, their 18 characters)


def _base32(value: int, chars: int) -> str:
    """`value` as `chars` Crockford base32 digits, most significant first."""
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(5 * chars - 5, -1, -5))


def new_id_at(ms: int) -> str:
    """A ULID for the millisecond `ms`: sortable, strictly increasing within a process.

    The first 18 characters (time, high half of the randomness) change once per millisecond
    and are kept; each id then costs four table look-ups for its low 40 bits."""
    global _last_ms, _last_rand, _head
    with _id_lock:
        if ms <= _last_ms:
            ms = _last_ms  # same (or a stepped-back) millisecond: keep order by counting up
            rand = _last_rand + 1
            if rand >> 80:
                ms += 1
                rand = int.from_bytes(os.urandom(10), "big") >> 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 1  # headroom for the counter
        _last_ms, _last_rand = ms, rand
        high = rand >> 40
        head = _head
        if head[0] != ms or head[1] != high:
            head = _head = (ms, high, _base32(ms, 10) + _base32(high, 8))
    low, pairs = rand & 0xFF_FFFF_FFFF, _PAIRS
    return head[2] + pairs[low >> 30] + pairs[(low >> 20) & 1023] + pairs[(low >> 10) & 1023] + pairs[low & 1023]


def new_id() -> str:
    """A fresh ULID for a record (26 characters: 48-bit ms time + 80 random bits, base32)."""
    return new_id_at(now_ms())


def _reset_ids_after_fork() -> None:
    # A forked child counting on from the parent's last id would collide with the parent's next.
    global _id_lock, _last_ms, _last_rand, _head
    _id_lock = threading.Lock()
    _last_ms = _last_rand = 0
    _head = (-1, -1, "")


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_ids_after_fork)


# ---------------------------------------------------------------- tokens

def normalize_tokens(tokens: dict | None, *, recount_total: bool = False) -> dict:
    """{input, output, total, cache_read, cache_write} ints >= 0, then any extra keys.

    Missing or None counts are 0. `total` is kept when given, else (or with `recount_total`)
    it is input + cache_read + cache_write + output. Extra numeric counts (reasoning,
    cache_write_1h ...) become ints >= 0; other extra values are kept as they are.
    """
    tokens = dict(tokens or {})
    i, o, cr, cw = (_count(tokens.pop(k, 0)) for k in ("input", "output", "cache_read", "cache_write"))
    total = tokens.pop("total", None)
    out = {"input": i, "output": o,
           "total": _count(total) if total is not None and not recount_total else i + cr + cw + o,
           "cache_read": cr, "cache_write": cw}
    for key, value in tokens.items():
        out[key] = _count(value) if isinstance(value, (int, float)) else value
    return out


def _count(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 0
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0


# ---------------------------------------------------------------- reading JSONL

def skipped_lines_message(count: int, where: str, reason: str = "torn or not JSON") -> str:
    """The one wording of "some lines could not be read": 'skipped 2 unreadable lines (...) in X'."""
    return f"skipped {count} unreadable line{'s' if count != 1 else ''} ({reason}) in {where}"


class ReadStats:
    """What a read saw: whole records, skipped (torn or garbage) lines, and where."""

    __slots__ = ("damaged", "files", "records", "skipped")

    def __init__(self, records: int = 0, skipped: int = 0, files: int = 0,
                 damaged: list[str] | None = None) -> None:
        self.records = records
        self.skipped = skipped
        self.files = files
        self.damaged = damaged if damaged is not None else []

    def __repr__(self) -> str:
        return f"ReadStats(records={self.records}, skipped={self.skipped}, files={self.files})"

    def warn(self) -> None:
        """One warning line (per process) when anything was skipped."""
        if self.skipped:
            where = ", ".join(self.damaged[:3]) + (" ..." if len(self.damaged) > 3 else "")
            with contextlib.suppress(Exception):  # a closed stderr must not turn this into a crash
                warn(skipped_lines_message(self.skipped, where), key="skipped-lines")


def parse_lines(data: bytes, stats: ReadStats | None = None, source: str = "") -> Iterator[dict]:
    """Yield every line of `data` that is a JSON object; count the others in `stats`."""
    skipped = 0
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            skipped += 1
            continue
        if isinstance(obj, dict):
            if stats is not None:
                stats.records += 1
            yield obj
        else:
            skipped += 1
    if stats is not None and skipped:
        stats.skipped += skipped
        if source and source not in stats.damaged:
            stats.damaged.append(source)


def read_jsonl(path: str | Path, stats: ReadStats | None = None, warn: bool = True) -> Iterator[dict]:
    """Yield the JSON objects of the file at `path` (and of its compressed form, `path`.gz, see
    read_day_file), skipping torn and garbage lines.

    A missing file yields nothing. Skipped lines are counted in `stats` (pass a ReadStats to
    aggregate over many files); with `warn` (and no `stats` of the caller's) one warning line
    goes to stderr per process.

        stats = ReadStats()
        for day in day_names(store):
            for record in read_jsonl(store / day / TELEMETRY_FILE, stats):
                ...
        stats.warn()
    """
    own = stats is None
    if own:
        stats = ReadStats()
    try:
        data = read_day_file(path)
    except FileNotFoundError:
        return
    stats.files += 1
    yield from parse_lines(data, stats, str(path))
    if own and warn:
        stats.warn()


# ---------------------------------------------------------------- writing

_MAX_DEPTH = 200  # orjson refuses nesting deeper than 254


def dumps_record(record: Any, default: Any = None, option: int = 0) -> bytes:
    """orjson.dumps for a record that must not be lost over its numbers or its shape.

    orjson refuses integers beyond 64 bits (a provider usage of 1e20 tokens becomes one) and
    nesting deeper than 254. Then the record is written anyway: each such integer as the float
    orjson would read it back as (or, beyond a float's range, as a decimal string), anything
    nested deeper than 200 levels as a short string, and the paths of what was converted listed
    under "converted_values", so the billed call is kept and the change is visible."""
    try:
        return orjson.dumps(record, default=default, option=option)
    except orjson.JSONEncodeError:
        converted: list[str] = []
        fixed = _representable(record, "", converted, 0)
        if type(fixed) is dict and converted:
            fixed["converted_values"] = converted
        return orjson.dumps(fixed, default=default, option=option)


def _representable(value: Any, path: str, converted: list[str], depth: int) -> Any:
    if type(value) is int and not -(2**63) <= value < 2**64:
        converted.append(path)
        try:
            return float(value)
        except OverflowError:
            return str(value)
    if isinstance(value, (dict, list, tuple)):
        if depth >= _MAX_DEPTH:
            converted.append(path)
            return "(nested too deep)"
        if isinstance(value, dict):
            return {k: _representable(v, f"{path}.{k}" if path else str(k), converted, depth + 1)
                    for k, v in value.items()}
        return [_representable(v, f"{path}[{n}]", converted, depth + 1) for n, v in enumerate(value)]
    return value


def atomic_write(path: str | os.PathLike, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace the file at `path` with `data` in one step (a private temp file, then rename).

    Readers see the old file or the new one, never a part; concurrent writers each rename a
    whole file and the last one wins. The parent folder is created when missing. Raises OSError.
    """
    path = Path(path)
    if not path.parent.is_dir():
        os.makedirs(path.parent, DIR_MODE, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def replacing(path: str | os.PathLike, mode: int = FILE_MODE) -> Iterator[Path]:
    """A temporary file's path, put at `path` when the block succeeds: renamed over it, so a
    reader sees the old file or the new one; or, when `path` is not a regular file (a FIFO,
    /dev/stdout), copied into it, since a rename would replace the pipe or device itself.
    Raises OSError (also when no temporary file can be made beside `path`)."""
    import shutil  # here for start-up: only commands that write an output file need it
    import stat
    import tempfile

    path = Path(path)
    try:
        into = not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        into = False
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=None if into else path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if into:
            with open(tmp, "rb") as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            os.chmod(tmp, mode)
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
