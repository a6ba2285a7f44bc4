"""One Settings object, read from the environment and an optional `.env` file.

This is the only module that reads `os.environ`. The environment wins over `.env`
(the file in the working directory). Invalid values raise ConfigError naming the
variable and what it accepts.

    LLM_TELEMETRY_STORAGE_ENABLED  true      record calls in the local store
    LLM_TELEMETRY_DIR              .llm-telemetry  relative: found like .git (storage/location.py)
    LLM_STORE_PROMPTS              false     also keep full prompts (prompts.jsonl)
    LLM_STORE_RESPONSES            false     also keep full responses (responses.jsonl)
    LLM_RETENTION_DAYS             30        day folders older than this are removed (1-36500)
    LLM_STORAGE_MAX_SIZE_MB        100       size cap of the store (> 0, at most 1e9)
    LLM_COMPRESS_AFTER_DAYS        7         gzip day files older than this (0 = never; 0-3650)
    LLM_TELEMETRY_FSYNC            false     fsync every telemetry write
    LLM_TIMEOUT                    600       seconds per attempt, all of it: connect (at most
                                             5 s), wait, and the whole body or stream (> 0, <= 86400)
    LLM_STREAM_IDLE_TIMEOUT        (LLM_TIMEOUT)  longest silence between reads, seconds (> 0, <= 86400)
    LLM_MAX_RESPONSE_MB            16        largest answer or error body read, MB (> 0, <= 1e6)
    LLM_MAX_RETRIES                2         retries of a failed request (0-100)
    LLM_MAX_RETRY_WAIT             (unset)   longest server-requested wait (retry-after) in
                                             seconds; asked for more: give up at once (0-4294967)
    LLM_MODEL, LLM_PROVIDER                  default model and provider for llm-chat
    LLM_AGENT_NAME, LLM_OPERATION, LLM_SESSION_ID, LLM_USER_ID   telemetry labels
    LLM_MODELS_FILE                          user model file (else $XDG_CONFIG_HOME/llm-core/models.json)
    LLM_OPENROUTER_REFERER, LLM_OPENROUTER_TITLE   OpenRouter attribution headers
    LLM_DEBUG                      false     show tracebacks
    LLM_LOCAL_MODELS_FREE          true      unknown models on a loopback/private OpenAI-compatible server cost 0
    ANTHROPIC_API_KEY, OPENAI_API_KEY, OPENROUTER_API_KEY
    ANTHROPIC_BASE_URL, OPENAI_BASE_URL, OPENROUTER_BASE_URL

    A retry waits what the server asks (retry-after-ms, retry-after) up to its SDK's ceiling
    (llm_core.utils.retry.RETRY_POLICIES), else min(0.5 * 2**n, 8) s less up to 25 %:
    provider              server wait honoured   above the ceiling
    anthropic             0 < wait <= 4294967 s  waits 4294967 s (time.sleep's limit)
    openai, openrouter    0 < wait <= 120 s      no retry: the error is raised at once
    LLM_MAX_RETRY_WAIT lowers both: a longer wait is given up at once ("retry after N s", 429: exit 5).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from llm_core.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_MASKED_KEY = re.compile(r"[\w-]*\*{4,}[\w-]*")
_FALSE = {"0", "false", "no", "off", ""}

# The ranges of the numeric settings (documented in the table above and the README).
MAX_RETENTION_DAYS = 36_500
MAX_SIZE_MB = 1e9  # a petabyte
MAX_TIMEOUT = 86_400.0  # a day, in seconds
MAX_RETRIES = 100
MAX_RETRY_WAIT = 4_294_967.0  # seconds: the most time.sleep takes (the Anthropic SDK's ceiling)
MAX_RESPONSE_MB = 1e6

DEFAULT_OPENROUTER_REFERER = "https://github.com/degree-analytics/llm-cli-tools-core"
DEFAULT_OPENROUTER_TITLE = "llm-core"


@dataclass(frozen=True)
class Settings:
    telemetry_enabled: bool = True
    telemetry_dir: Path = Path(".llm-telemetry")
    store_prompts: bool = False
    store_responses: bool = False
    retention_days: int = 30
    max_size_mb: float = 100.0
    compress_after_days: int = 7
    fsync: bool = False
    timeout: float = 600.0
    max_retries: int = 2
    max_retry_wait: float | None = None
    stream_idle_timeout: float | None = None
    max_response_mb: float = 16.0
    default_model: str | None = None
    default_provider: str | None = None
    agent_name: str | None = None
    operation: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    models_file: Path | None = None
    config_dir: Path = Path("~/.config/llm-core")
    cache_dir: Path = Path("~/.cache/llm-core")
    debug: bool = False
    local_models_free: bool = True
    # Test hook, deliberately not in the table above: pins "now" for llm-telemetry reports.
    telemetry_now: str | None = None
    # Test hook, likewise: pins "today" (YYYY-MM-DD) for the model registry's retirements and price ages.
    models_today: str | None = None
    openrouter_referer: str = DEFAULT_OPENROUTER_REFERER
    openrouter_title: str = DEFAULT_OPENROUTER_TITLE
    anthropic_base_url: str | None = None
    openai_base_url: str | None = None
    openrouter_base_url: str | None = None
    # Secrets never appear in repr() and so never in a traceback's locals or a log line.
    anthropic_api_key: str | None = field(default=None, repr=False)
    openai_api_key: str | None = field(default=None, repr=False)
    openrouter_api_key: str | None = field(default=None, repr=False)

    @property
    def user_models_file(self) -> Path:
        return self.models_file or self.config_dir / "models.json"

    def secrets(self) -> list[str]:
        keys = (self.anthropic_api_key, self.openai_api_key, self.openrouter_api_key)
        return [k for k in keys if k]


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def _number(env: dict[str, str], name: str, default, kind=int, minimum=0, allow_zero=True,
            maximum=None):
    """An LLM_* number within [minimum (or above it, without allow_zero), maximum]: anything
    else (text, nan, inf, too large) is a ConfigError naming the range."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    noun = "a whole number" if kind is int else "a number"
    bound = f">= {minimum}" if allow_zero else f"> {minimum}"
    if maximum is not None:
        top = f"{int(maximum):,}" if maximum == int(maximum) else str(maximum)
        bound = f"from {minimum} to {top}" if allow_zero else f"{bound} and <= {top}"
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be {noun} {bound}, got {raw!r}") from None
    if not (value >= minimum and (allow_zero or value != minimum)) or (
        maximum is not None and not value <= maximum
    ):
        raise ConfigError(f"{name} must be {noun} {bound}, got {raw!r}")
    return value


def _text(env: dict[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _read_dotenv(cwd: Path) -> dict[str, str]:
    path = cwd / ".env"
    if not path.is_file():
        return {}
    from dotenv import dotenv_values  # only paid for when a .env exists

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(environ: dict[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Build Settings from `environ` (default os.environ) over `cwd/.env`."""
    env = {**_read_dotenv(cwd or Path.cwd()), **(os.environ if environ is None else environ)}
    home = Path(env.get("HOME") or Path.home())
    config_home = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    cache_home = Path(env.get("XDG_CACHE_HOME") or home / ".cache")
    models_file = _text(env, "LLM_MODELS_FILE")
    return Settings(
        telemetry_enabled=_bool(env, "LLM_TELEMETRY_STORAGE_ENABLED", True),
        telemetry_dir=Path(_text(env, "LLM_TELEMETRY_DIR") or ".llm-telemetry").expanduser(),
        store_prompts=_bool(env, "LLM_STORE_PROMPTS", False),
        store_responses=_bool(env, "LLM_STORE_RESPONSES", False),
        retention_days=_number(env, "LLM_RETENTION_DAYS", 30, int, 1, maximum=MAX_RETENTION_DAYS),
        max_size_mb=_number(env, "LLM_STORAGE_MAX_SIZE_MB", 100.0, float, 0, allow_zero=False,
                            maximum=MAX_SIZE_MB),
        compress_after_days=_number(env, "LLM_COMPRESS_AFTER_DAYS", 7, int, 0, maximum=3650),
        fsync=_bool(env, "LLM_TELEMETRY_FSYNC", False),
        timeout=_number(env, "LLM_TIMEOUT", 600.0, float, 0, allow_zero=False, maximum=MAX_TIMEOUT),
        max_retries=_number(env, "LLM_MAX_RETRIES", 2, int, 0, maximum=MAX_RETRIES),
        max_retry_wait=_number(env, "LLM_MAX_RETRY_WAIT", None, float, 0, maximum=MAX_RETRY_WAIT),
        stream_idle_timeout=_number(env, "LLM_STREAM_IDLE_TIMEOUT", None, float, 0, allow_zero=False,
                                    maximum=MAX_TIMEOUT),
        max_response_mb=_number(env, "LLM_MAX_RESPONSE_MB", 16.0, float, 0, allow_zero=False,
                                maximum=MAX_RESPONSE_MB),
        default_model=_text(env, "LLM_MODEL"),
        default_provider=_text(env, "LLM_PROVIDER"),
        agent_name=_text(env, "LLM_AGENT_NAME"),
        operation=_text(env, "LLM_OPERATION"),
        session_id=_text(env, "LLM_SESSION_ID"),
        user_id=_text(env, "LLM_USER_ID"),
        models_file=Path(models_file).expanduser() if models_file else None,
        config_dir=config_home / "llm-core",
        cache_dir=cache_home / "llm-core",
        debug=_bool(env, "LLM_DEBUG", False),
        local_models_free=_bool(env, "LLM_LOCAL_MODELS_FREE", True),
        telemetry_now=_text(env, "LLM_TELEMETRY_NOW"),
        models_today=_text(env, "LLM_MODELS_TODAY"),
        openrouter_referer=_text(env, "LLM_OPENROUTER_REFERER") or DEFAULT_OPENROUTER_REFERER,
        openrouter_title=_text(env, "LLM_OPENROUTER_TITLE") or DEFAULT_OPENROUTER_TITLE,
        anthropic_base_url=_text(env, "ANTHROPIC_BASE_URL"),
        openai_base_url=_text(env, "OPENAI_BASE_URL"),
        openrouter_base_url=_text(env, "OPENROUTER_BASE_URL"),
        anthropic_api_key=_text(env, "ANTHROPIC_API_KEY"),
        openai_api_key=_text(env, "OPENAI_API_KEY"),
        openrouter_api_key=_text(env, "OPENROUTER_API_KEY"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide Settings, read once. `reset_settings()` forgets them (tests)."""
    return load_settings()


def reset_settings() -> None:
    get_settings.cache_clear()


def debug_requested() -> bool:
    """LLM_DEBUG without validating the rest (used while reporting a config error)."""
    return os.environ.get("LLM_DEBUG", "").strip().lower() in _TRUE


def redact(text: str, secrets: list[str] | None = None) -> str:
    """Replace every known API key in `text` with '***'. Last line of defence for messages."""
    if secrets is None:
        try:
            secrets = get_settings().secrets()
        except ConfigError:
            secrets = [
                v for k in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY")
                if (v := os.environ.get(k, "").strip())
            ]
    for secret in secrets:
        if len(secret) >= 8:
            text = text.replace(secret, "***")
    # Providers echo a masked key ("Incorrect API key provided: sk-proj-****7890"): drop it too.
    return _MASKED_KEY.sub("***", text)
