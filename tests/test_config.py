from pathlib import Path

import pytest

from llm_core.config import Settings, load_settings, redact
from llm_core.errors import ConfigError


def test_defaults_match_the_documented_ones(tmp_path):
    s = load_settings({"HOME": str(tmp_path)}, cwd=tmp_path)
    assert s.telemetry_enabled is True
    assert s.telemetry_dir == Path(".llm-telemetry")
    assert (s.store_prompts, s.store_responses) == (False, False)
    assert s.retention_days == 30
    assert s.max_size_mb == 100
    assert s.max_retries == 2
    assert s.config_dir == tmp_path / ".config" / "llm-core"
    assert s.user_models_file == tmp_path / ".config" / "llm-core" / "models.json"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LLM_RETENTION_DAYS", "abc", "LLM_RETENTION_DAYS must be a whole number from 1 to 36,500, got 'abc'"),
        ("LLM_RETENTION_DAYS", "0", "LLM_RETENTION_DAYS must be a whole number from 1 to 36,500, got '0'"),
        ("LLM_STORAGE_MAX_SIZE_MB", "-5", "LLM_STORAGE_MAX_SIZE_MB must be a number > 0 and <= 1,000,000,000, got '-5'"),
        ("LLM_STORE_PROMPTS", "maybe", "LLM_STORE_PROMPTS must be true or false"),
        ("LLM_TIMEOUT", "nan", "LLM_TIMEOUT must be a number > 0 and <= 86,400, got 'nan'"),
        ("LLM_MAX_RETRIES", "-1", "LLM_MAX_RETRIES must be a whole number from 0 to 100"),
        # Numbers Python reads but the store cannot use (once accepted, then a crash, exit 1).
        ("LLM_RETENTION_DAYS", "99999999999999999999", "from 1 to 36,500, got '99999999999999999999'"),
        ("LLM_STORAGE_MAX_SIZE_MB", "inf", "LLM_STORAGE_MAX_SIZE_MB must be a number > 0 and <= 1,000,000,000"),
        ("LLM_STORAGE_MAX_SIZE_MB", "nan", "got 'nan'"),
        ("LLM_TIMEOUT", "1e400", "LLM_TIMEOUT must be a number > 0 and <= 86,400, got '1e400'"),
        ("LLM_MAX_RETRIES", "1000000", "LLM_MAX_RETRIES must be a whole number from 0 to 100"),
        ("LLM_MAX_RETRY_WAIT", "inf", "LLM_MAX_RETRY_WAIT must be a number from 0 to 4,294,967"),
        ("LLM_STREAM_IDLE_TIMEOUT", "1e400", "LLM_STREAM_IDLE_TIMEOUT must be a number > 0 and <= 86,400"),
        ("LLM_MAX_RESPONSE_MB", "nan", "LLM_MAX_RESPONSE_MB must be a number > 0 and <= 1,000,000"),
    ],
)
def test_invalid_values_name_the_variable_and_what_it_accepts(tmp_path, name, value, expected):
    with pytest.raises(ConfigError) as info:
        load_settings({name: value}, cwd=tmp_path)
    assert expected in str(info.value)
    assert info.value.exit_code == 4


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "on"])
def test_booleans_accept_common_spellings(tmp_path, raw):
    assert load_settings({"LLM_STORE_PROMPTS": raw}, cwd=tmp_path).store_prompts is True


def test_dotenv_is_read_and_the_environment_wins(tmp_path):
    (tmp_path / ".env").write_text("LLM_RETENTION_DAYS=7\nLLM_TELEMETRY_DIR=from-dotenv\n")
    s = load_settings({"LLM_TELEMETRY_DIR": "from-env"}, cwd=tmp_path)
    assert s.retention_days == 7
    assert s.telemetry_dir == Path("from-env")


def test_api_keys_never_appear_in_repr(tmp_path):
    s = load_settings({"ANTHROPIC_API_KEY": "sk-ant-secret-value-123"}, cwd=tmp_path)
    assert s.anthropic_api_key == "sk-ant-secret-value-123"
    assert "sk-ant-secret" not in repr(s)
    assert isinstance(s, Settings)


def test_redact_replaces_keys(tmp_path):
    assert redact("bad key sk-abcdefgh123 given", ["sk-abcdefgh123"]) == "bad key *** given"


def test_redact_removes_masked_keys_that_providers_echo():
    message = "Incorrect API key provided: sk-proj-********************7890. You can find..."
    assert redact(message, []) == "Incorrect API key provided: ***. You can find..."


def _numeric_variables() -> list[str]:
    import inspect
    import re

    from llm_core import config

    return re.findall(r'_number\(env, "(LLM_\w+)"', inspect.getsource(config.load_settings))


def test_every_numeric_variable_has_a_range():
    names = _numeric_variables()
    assert {"LLM_RETENTION_DAYS", "LLM_STORAGE_MAX_SIZE_MB", "LLM_TIMEOUT", "LLM_MAX_RETRIES"} <= set(names)
    for name in names:
        for value in ("inf", "-inf", "nan", "-1", "1e400", "99999999999999999999", "abc"):
            with pytest.raises(ConfigError, match=rf"^{name} must be .*(to|<=) [\d,.]+, got") as info:
                load_settings({name: value}, cwd=Path("."))
            assert info.value.exit_code == 4, (name, value)
