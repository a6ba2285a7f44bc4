"""One Settings object, read from the environment, a project `.env` and a user file.

This is the only module that reads `os.environ`. Three sources, the first that sets a
variable wins: the environment, the project's `.env` (in the working directory), the user's
file `$XDG_CONFIG_HOME/llm-core/env` (for keys; it must be private: mode 0600). Invalid
values, an unreadable or non-UTF-8 file raise ConfigError naming the variable or file.
Beside it: setting_values.py turns text into values (flags, bounded numbers, choices), and
redaction.py masks keys in text (`redact()` here gives it the keys in use).

Trust: the environment and the user file are the user's; a `.env` is whoever wrote the
repository. A `.env` may set labels and options, but a destination (`*_BASE_URL`) from a `.env`
is never sent a key from the user's own sources: `Settings.api_key()` refuses (ConfigError)
unless LLM_TRUST_PROJECT_ENV=1 is set by the user (environment or user file, never a `.env`).
Nor may a `.env` loosen the user's budgets: it may lower a limit, never raise it or set warn,
and while the user has a budget it may not turn the store off or move it (with a warning).
Nor may it set LLM_MODELS_FILE (prices and names of models), unless trusted.
The test hooks that pin the clock (LLM_TELEMETRY_NOW, LLM_MODELS_TODAY) are read from the
environment only, never from a file.
`Settings.sources` says where each variable came from (`llm-chat --where`).

    LLM_TELEMETRY_STORAGE_ENABLED  true      record calls in the local store
    LLM_TELEMETRY_DIR              .llm-telemetry  relative: found like .git (storage/location.py)
    LLM_STORE_PROMPTS              false     also keep full prompts (prompts.jsonl)
    LLM_STORE_RESPONSES            false     also keep full responses (responses.jsonl)
    LLM_RETENTION_DAYS             30        days and conversations older than this are removed (1-36500)
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
    LLM_TRUST_PROJECT_ENV          false     let a project .env's *_BASE_URL get your key
    LLM_PROMETHEUS_PUSHGATEWAY               push the store's metrics here after every call
    OTEL_EXPORTER_OTLP_ENDPOINT              export every call over OTLP/HTTP (the otel extra)
    LLM_TELEMETRY_DIRS                       several stores for the reports (os.pathsep-separated)
    LLM_BUDGET_DAILY_USD           (unset)   spend limit per local day, USD (> 0, <= 1e9; llm_core/budgets.py)
    LLM_BUDGET_MONTHLY_USD         (unset)   spend limit per local calendar month, USD (> 0, <= 1e9)
    LLM_BUDGET_MODE                block     block: refuse a call over a budget (exit 8); warn: only warn
                                             Scoped budgets: $XDG_CONFIG_HOME/llm-core/budgets.toml
                                             (llm_core/budget_file.py). A project .env may lower a
                                             budget of the user file, never raise it or set warn.
    LLM_BUDGET_WARN_AT             80        percent of a budget whose crossing warns on a terminal (0-100)
    LLM_SHOW_USAGE                 false     llm-chat prints a usage line on stderr (as --usage)
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
import stat
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from llm_core import errors
from llm_core.errors import ConfigError, warn
from llm_core.redaction import mask, mask_key
from llm_core.setting_values import TRUE, as_bool, as_choice, as_number, as_paths, as_text

# The ranges of the numeric settings (documented in the table above and the README).
MAX_RETENTION_DAYS = 36_500
MAX_SIZE_MB = 1e9  # a petabyte
MAX_TIMEOUT = 86_400.0  # a day, in seconds
MAX_RETRIES = 100
MAX_RETRY_WAIT = 4_294_967.0  # seconds: the most time.sleep takes (the Anthropic SDK's ceiling)
MAX_RESPONSE_MB = 1e6
MAX_BUDGET_USD = 1e9
BUDGET_MODES = ("block", "warn")

DEFAULT_OPENROUTER_REFERER = "https://github.com/degree-analytics/llm-cli-tools-core"
DEFAULT_OPENROUTER_TITLE = "llm-core"
PROVIDERS = ("anthropic", "openai", "openrouter")
KEY_NAMES = tuple(f"{p.upper()}_API_KEY" for p in PROVIDERS)
ENVIRONMENT = "environment"  # the source name of a variable set in the process environment


class Settings:
    """Every setting, read once (`load_settings`); immutable, built by keyword.

    A plain class, not a frozen dataclass: generating one with this many fields costs ~4 ms
    at import, 5% of a short command's start-up. It behaves the same: keyword construction
    with these defaults, no assignment, keys left out of repr(), eq and hash ignoring
    `sources` and `shown`."""

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
    budget_daily_usd: float | None = None
    budget_monthly_usd: float | None = None
    budget_mode: str = "block"
    budget_file: Path | None = None  # the user's budgets.toml, when it exists (budget_file.py)
    budget_warn_at: float = 80.0
    show_usage: bool = False
    # Test hook, deliberately not in the table above: pins "now" for llm-telemetry reports.
    telemetry_now: str | None = None
    # Test hook, likewise: pins "today" (YYYY-MM-DD) for the model registry's retirements and price ages.
    models_today: str | None = None
    openrouter_referer: str = DEFAULT_OPENROUTER_REFERER
    openrouter_title: str = DEFAULT_OPENROUTER_TITLE
    anthropic_base_url: str | None = None
    openai_base_url: str | None = None
    openrouter_base_url: str | None = None
    prometheus_pushgateway: str | None = None
    otlp_endpoint: str | None = None
    telemetry_dirs: tuple[Path, ...] = ()
    # Secrets never appear in repr() and so never in a traceback's locals or a log line.
    anthropic_api_key: str | None = None
    openai_api_key: str | None = None
    openrouter_api_key: str | None = None
    # Where each variable came from: ENVIRONMENT or a file's path (see the module docstring).
    sources: dict[str, str]  # {} unless given; not shown, not compared
    # Our variables as set, keys masked: what `llm-chat --where` shows.
    shown: dict[str, str]  # likewise
    trust_project_env: bool = False

    def __init__(self, **values) -> None:
        for name, value in values.items():
            if name not in _FIELDS:
                raise TypeError(f"Settings() got an unexpected keyword argument {name!r}")
            object.__setattr__(self, name, value)
        for name in _PER_INSTANCE:
            if name not in values:
                object.__setattr__(self, name, {})

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"Settings are read-only: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Settings are read-only: cannot delete {name!r}")

    def _compared(self) -> tuple:
        return tuple(getattr(self, name) for name in _COMPARED)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _SHOWN)
        return f"Settings({shown})"

    def api_key(self, provider: str) -> str | None:
        """The key to send to `provider`'s base URL; refuses a project `.env`'s URL with a key
        of the user's own (the `.env` attack), naming the file. The one way clients get a key."""
        key = getattr(self, f"{provider}_api_key", None)
        url_name, key_name = f"{provider.upper()}_BASE_URL", f"{provider.upper()}_API_KEY"
        url_from, key_from = self.sources.get(url_name), self.sources.get(key_name)
        if key and _is_project(url_from) and not _is_project(key_from) and not self.trust_project_env:
            where = "your environment" if key_from == ENVIRONMENT else key_from
            raise ConfigError(
                f"{url_from} sets {url_name}: refusing to send it {key_name} from {where}. "
                f"Put the key for that server in the same file, or trust this .env with "
                "LLM_TRUST_PROJECT_ENV=1 in your environment"
            )
        return key

    @property
    def user_models_file(self) -> Path:
        return self.models_file or self.config_dir / "models.json"

    @property
    def exporting(self) -> bool:
        """Whether any call exporter (Pushgateway, OTLP) is configured."""
        return bool(self.prometheus_pushgateway or self.otlp_endpoint)

    @property
    def budgets_set(self) -> bool:
        """Whether any budget applies: when not, a call does no budget work at all."""
        return (self.budget_daily_usd is not None or self.budget_monthly_usd is not None
                or self.budget_file is not None)

    def secrets(self) -> list[str]:
        keys = (self.anthropic_api_key, self.openai_api_key, self.openrouter_api_key)
        return [k for k in keys if k]


_FIELDS = frozenset(Settings.__annotations__)
_PER_INSTANCE = ("sources", "shown")
_COMPARED = tuple(name for name in Settings.__annotations__ if name not in _PER_INSTANCE)
_SHOWN = tuple(name for name in _COMPARED if not name.endswith("_api_key"))


_PROJECT_FILE = ".env"
_OURS = ("LLM_", "ANTHROPIC_", "OPENAI_", "OPENROUTER_")
# Test hooks that move the clock: from the environment only. A .env pinning "now" years ahead
# would make the whole store look past its retention, and the next call's prune remove it.
_ENVIRONMENT_ONLY = ("LLM_TELEMETRY_NOW", "LLM_MODELS_TODAY")
# Secrets read by the last load, even one that then failed: redact() still knows them.
_seen_secrets: list[str] = []


def _is_project(source: str | None) -> bool:
    return source is not None and Path(source).name == _PROJECT_FILE


def _read_env_file(path: Path, private: bool = False) -> dict[str, str]:
    """The variables of a dotenv file; {} when there is none. ConfigError (naming the file)
    when it cannot be read, is not UTF-8, or (`private`) others may read it."""
    try:
        if not path.is_file():
            return {}
        mode = path.stat().st_mode
        if private and os.name == "posix" and mode & 0o077:
            raise ConfigError(
                f"{path} may be read by others (mode {stat.S_IMODE(mode):04o}); "
                f"it holds API keys: run chmod 600 {path}"
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path} is not UTF-8 text (byte {e.start}); fix or remove it") from None
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None
    import io

    from dotenv import dotenv_values  # only paid for when a file exists

    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {k: v for k, v in values.items() if v is not None}


def _layers(environ: Mapping[str, str], cwd: Path, user_file: Path) -> tuple[dict, dict, dict]:
    """(merged variables, variable -> source, the user file's values a project .env replaced):
    environment over project .env over user file."""
    env: dict[str, str] = {}
    sources: dict[str, str] = {}
    project = cwd / _PROJECT_FILE
    user = _read_env_file(user_file, private=True)
    for source, values in ((str(user_file), user), (str(project), _read_env_file(project)),
                           (ENVIRONMENT, environ)):
        for name, value in values.items():
            if source != ENVIRONMENT and name in _ENVIRONMENT_ONLY:
                continue
            env[name] = value
            sources[name] = source
    _seen_secrets[:] = [v for k in KEY_NAMES if (v := env.get(k, "").strip())]
    shadowed = {k: v for k, v in user.items() if _is_project(sources[k])}
    return env, sources, shadowed


_BUDGET_LIMITS = ("LLM_BUDGET_DAILY_USD", "LLM_BUDGET_MONTHLY_USD")


def _budget_limit(env: dict, shadowed: dict, name: str) -> float | None:
    """A budget limit; one from a project .env only counts where it is stricter than the
    user file's (a repository may add or lower a budget, never raise it)."""
    value = as_number(env, name, None, float, 0, allow_zero=False, maximum=MAX_BUDGET_USD)
    user = as_number(shadowed, name, None, float, 0, allow_zero=False, maximum=MAX_BUDGET_USD)
    return value if user is None or value is None else min(value, user)


_STORE_SETTINGS = ("LLM_TELEMETRY_STORAGE_ENABLED", "LLM_TELEMETRY_DIR")


def _budget_store(env: dict, sources: dict, shadowed: dict, has_budget_file: bool, trusted: bool,
                  user_file: Path) -> dict:
    """`env` with the store settings a budget depends on: while the user has a budget (their
    environment, their env file or budgets.toml), a project .env may not turn the store off or
    move it (the budget counts the calls recorded there) unless LLM_TRUST_PROJECT_ENV=1."""
    overridden = [n for n in _STORE_SETTINGS if _is_project(sources.get(n))]
    if not overridden or trusted:
        return env
    budgeted = (any(n in env and not _is_project(sources[n]) for n in _BUDGET_LIMITS)
                or any(n in shadowed for n in _BUDGET_LIMITS) or has_budget_file)
    if not budgeted:
        return env
    return _not_from_project(env, sources, shadowed, overridden, user_file,
                             "your budgets count the store it would turn off or move")


# Never from a project .env unless trusted: a file of zero prices (or of names pointing at
# other models) would lift every budget and falsify the recorded costs.
_USER_ONLY = ("LLM_MODELS_FILE",)


def _not_from_project(env: dict, sources: dict, shadowed: dict, names: list[str], user_file: Path,
                      why: str) -> dict:
    """`env` with each of `names` a project .env set put back to the user file's value (else
    unset), with one warning each."""
    env = dict(env)
    for name in names:
        where = sources[name]
        if name in shadowed:
            env[name], sources[name] = shadowed[name], str(user_file)
        else:
            env.pop(name, None)
            sources.pop(name, None)
        warn(f"{name} from {where} not used: {why} (LLM_TRUST_PROJECT_ENV=1 allows it)",
             key=f"project-env-{name}")
    return env


def _budget_mode(env: dict, sources: dict, shadowed: dict) -> str:
    """LLM_BUDGET_MODE; a project .env may turn warn into block, never block into warn."""
    name = "LLM_BUDGET_MODE"
    mode = as_choice(env, name, "block", BUDGET_MODES)
    if mode == "warn" and _is_project(sources.get(name)):
        return as_choice(shadowed, name, "block", BUDGET_MODES)
    return mode


def user_env_file(environ: Mapping[str, str] | None = None) -> Path:
    """The user's own settings file: $XDG_CONFIG_HOME/llm-core/env."""
    environ = os.environ if environ is None else environ
    home = Path(environ.get("HOME") or Path.home())
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "llm-core" / "env"


def load_settings(environ: dict[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Build Settings from `environ` (default os.environ) over `cwd/.env` over the user file."""
    real = os.environ if environ is None else environ
    # Where files live comes from the real environment only: a .env cannot move them.
    home = Path(real.get("HOME") or Path.home())
    config_home = Path(real.get("XDG_CONFIG_HOME") or home / ".config")
    cache_home = Path(real.get("XDG_CACHE_HOME") or home / ".cache")
    user_file = user_env_file(real)
    env, sources, shadowed = _layers(real, cwd or Path.cwd(), user_file)
    budget_file = config_home / "llm-core" / "budgets.toml"
    if not budget_file.is_file():
        budget_file = None
    trust_name = "LLM_TRUST_PROJECT_ENV"
    trusted = {k: v for k, v in env.items() if k == trust_name and not _is_project(sources[k])}
    trust_project_env = as_bool(trusted, trust_name, False)
    env = _budget_store(env, sources, shadowed, budget_file is not None, trust_project_env, user_file)
    if not trust_project_env:
        env = _not_from_project(env, sources, shadowed, [n for n in _USER_ONLY if _is_project(sources.get(n))],
                                user_file, "a repository cannot set your models and prices")
    models_file = as_text(env, "LLM_MODELS_FILE")
    return Settings(
        telemetry_enabled=as_bool(env, "LLM_TELEMETRY_STORAGE_ENABLED", True),
        telemetry_dir=Path(as_text(env, "LLM_TELEMETRY_DIR") or ".llm-telemetry").expanduser(),
        store_prompts=as_bool(env, "LLM_STORE_PROMPTS", False),
        store_responses=as_bool(env, "LLM_STORE_RESPONSES", False),
        retention_days=as_number(env, "LLM_RETENTION_DAYS", 30, int, 1, maximum=MAX_RETENTION_DAYS),
        max_size_mb=as_number(env, "LLM_STORAGE_MAX_SIZE_MB", 100.0, float, 0, allow_zero=False,
                              maximum=MAX_SIZE_MB),
        compress_after_days=as_number(env, "LLM_COMPRESS_AFTER_DAYS", 7, int, 0, maximum=3650),
        fsync=as_bool(env, "LLM_TELEMETRY_FSYNC", False),
        timeout=as_number(env, "LLM_TIMEOUT", 600.0, float, 0, allow_zero=False, maximum=MAX_TIMEOUT),
        max_retries=as_number(env, "LLM_MAX_RETRIES", 2, int, 0, maximum=MAX_RETRIES),
        max_retry_wait=as_number(env, "LLM_MAX_RETRY_WAIT", None, float, 0, maximum=MAX_RETRY_WAIT),
        stream_idle_timeout=as_number(env, "LLM_STREAM_IDLE_TIMEOUT", None, float, 0, allow_zero=False,
                                      maximum=MAX_TIMEOUT),
        max_response_mb=as_number(env, "LLM_MAX_RESPONSE_MB", 16.0, float, 0, allow_zero=False,
                                  maximum=MAX_RESPONSE_MB),
        default_model=as_text(env, "LLM_MODEL"),
        default_provider=as_text(env, "LLM_PROVIDER"),
        agent_name=as_text(env, "LLM_AGENT_NAME"),
        operation=as_text(env, "LLM_OPERATION"),
        session_id=as_text(env, "LLM_SESSION_ID"),
        user_id=as_text(env, "LLM_USER_ID"),
        models_file=Path(models_file).expanduser() if models_file else None,
        config_dir=config_home / "llm-core",
        cache_dir=cache_home / "llm-core",
        debug=as_bool(env, "LLM_DEBUG", False),
        local_models_free=as_bool(env, "LLM_LOCAL_MODELS_FREE", True),
        budget_daily_usd=_budget_limit(env, shadowed, _BUDGET_LIMITS[0]),
        budget_monthly_usd=_budget_limit(env, shadowed, _BUDGET_LIMITS[1]),
        budget_mode=_budget_mode(env, sources, shadowed),
        budget_file=budget_file,
        budget_warn_at=as_number(env, "LLM_BUDGET_WARN_AT", 80.0, float, 0, maximum=100),
        show_usage=as_bool(env, "LLM_SHOW_USAGE", False),
        telemetry_now=as_text(env, "LLM_TELEMETRY_NOW"),
        models_today=as_text(env, "LLM_MODELS_TODAY"),
        openrouter_referer=as_text(env, "LLM_OPENROUTER_REFERER") or DEFAULT_OPENROUTER_REFERER,
        openrouter_title=as_text(env, "LLM_OPENROUTER_TITLE") or DEFAULT_OPENROUTER_TITLE,
        anthropic_base_url=as_text(env, "ANTHROPIC_BASE_URL"),
        openai_base_url=as_text(env, "OPENAI_BASE_URL"),
        openrouter_base_url=as_text(env, "OPENROUTER_BASE_URL"),
        prometheus_pushgateway=as_text(env, "LLM_PROMETHEUS_PUSHGATEWAY"),
        otlp_endpoint=as_text(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
        telemetry_dirs=as_paths(env, "LLM_TELEMETRY_DIRS"),
        anthropic_api_key=as_text(env, "ANTHROPIC_API_KEY"),
        openai_api_key=as_text(env, "OPENAI_API_KEY"),
        openrouter_api_key=as_text(env, "OPENROUTER_API_KEY"),
        sources=sources,
        shown={k: mask_key(v) if k in KEY_NAMES else v for k, v in env.items() if k.startswith(_OURS)},
        trust_project_env=trust_project_env,
    )


def describe(settings: Settings) -> list[dict[str, str]]:
    """Every variable of ours that is set: name, value (keys masked), source, and `not_used`
    (why) for one a .env set that is not in effect. For --where."""
    rows = []
    for name, value in sorted(settings.shown.items()):
        row = {"name": name, "value": value, "source": settings.sources[name]}
        why = _not_in_effect(settings, name, value)
        if why:
            row["not_used"] = why
        rows.append(row)
    return rows


def _not_in_effect(settings: Settings, name: str, value: str) -> str | None:
    """Why a variable a project .env set is not in effect (the rest it may not set were
    dropped while loading, with a warning); None when it is."""
    if not _is_project(settings.sources[name]):
        return None
    if name == "LLM_TRUST_PROJECT_ENV":
        return "a .env cannot trust itself"
    if name == "LLM_BUDGET_MODE" and value.strip().lower() != settings.budget_mode:
        return "a .env cannot loosen your budgets"
    return None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide Settings, read once. `reset_settings()` forgets them (tests)."""
    return load_settings()


def reset_settings() -> None:
    get_settings.cache_clear()


def debug_requested() -> bool:
    """LLM_DEBUG without validating the rest (used while reporting a config error)."""
    return os.environ.get("LLM_DEBUG", "").strip().lower() in TRUE


def redact(text: str, secrets: list[str] | None = None) -> str:
    """Mask API keys in `text` (redaction.mask): the keys of the settings when `secrets` is
    None, or, while the settings cannot be read, those last seen and the environment's. The
    one path of Error lines, warnings and the records' error field."""
    if secrets is None:
        try:
            secrets = get_settings().secrets()
        except Exception:  # reporting a config error must not fail on the config again
            environ = [v for k in KEY_NAMES if (v := os.environ.get(k, "").strip())]
            secrets = [*_seen_secrets, *environ]
    return mask(text, secrets)


# warn() lives below config in the import graph; it masks keys through this function.
errors.set_redactor(redact)
