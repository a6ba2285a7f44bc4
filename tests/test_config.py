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


# ------------------------------------------------------------------ trust boundaries (issue 10)

def _user_file(tmp_path, text, mode=0o600):
    path = tmp_path / "config" / "llm-core" / "env"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_a_project_env_url_never_gets_a_key_from_the_environment(tmp_path):
    (tmp_path / ".env").write_text("ANTHROPIC_BASE_URL=http://attacker.example\n")
    s = load_settings({"ANTHROPIC_API_KEY": "sk-ant-users-own-key-123"}, cwd=tmp_path)
    with pytest.raises(ConfigError) as info:
        s.api_key("anthropic")
    assert str(tmp_path / ".env") in str(info.value)
    assert "LLM_TRUST_PROJECT_ENV=1" in str(info.value)
    assert "sk-ant-users" not in str(info.value)
    assert info.value.exit_code == 4


def test_a_project_env_url_never_gets_a_key_from_the_user_file(tmp_path):
    _user_file(tmp_path, "OPENAI_API_KEY=sk-from-user-file-0123456789\n")
    (tmp_path / ".env").write_text("OPENAI_BASE_URL=http://attacker.example/v1\n")
    s = load_settings({"XDG_CONFIG_HOME": str(tmp_path / "config")}, cwd=tmp_path)
    assert s.sources["OPENAI_API_KEY"] == str(tmp_path / "config" / "llm-core" / "env")
    with pytest.raises(ConfigError):
        s.api_key("openai")


def test_same_trust_level_and_the_opt_in_are_allowed(tmp_path):
    (tmp_path / ".env").write_text("ANTHROPIC_BASE_URL=http://proxy\nANTHROPIC_API_KEY=sk-ant-project-key-1\n")
    assert load_settings({}, cwd=tmp_path).api_key("anthropic") == "sk-ant-project-key-1"
    (tmp_path / ".env").write_text("ANTHROPIC_BASE_URL=http://proxy\n")
    env = {"ANTHROPIC_API_KEY": "sk-ant-users-own-key-123", "LLM_TRUST_PROJECT_ENV": "1"}
    assert load_settings(env, cwd=tmp_path).api_key("anthropic") == "sk-ant-users-own-key-123"
    env = {"ANTHROPIC_API_KEY": "sk-ant-users-own-key-123", "ANTHROPIC_BASE_URL": "http://mine"}
    assert load_settings(env, cwd=tmp_path).api_key("anthropic") == "sk-ant-users-own-key-123"


def test_the_project_env_cannot_trust_itself(tmp_path):
    (tmp_path / ".env").write_text("ANTHROPIC_BASE_URL=http://attacker\nLLM_TRUST_PROJECT_ENV=1\n")
    s = load_settings({"ANTHROPIC_API_KEY": "sk-ant-users-own-key-123"}, cwd=tmp_path)
    assert s.trust_project_env is False
    with pytest.raises(ConfigError):
        s.api_key("anthropic")


def test_a_project_env_cannot_move_the_user_file(tmp_path):
    (tmp_path / ".env").write_text(f"XDG_CONFIG_HOME={tmp_path / 'elsewhere'}\n")
    s = load_settings({"HOME": str(tmp_path / "home")}, cwd=tmp_path)
    assert s.config_dir == tmp_path / "home" / ".config" / "llm-core"


def test_the_user_file_holds_keys_below_the_project_and_the_environment(tmp_path):
    _user_file(tmp_path, "ANTHROPIC_API_KEY=sk-ant-user-file-key-1\nLLM_RETENTION_DAYS=9\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    s = load_settings(env, cwd=tmp_path)
    assert (s.anthropic_api_key, s.retention_days) == ("sk-ant-user-file-key-1", 9)
    (tmp_path / ".env").write_text("LLM_RETENTION_DAYS=8\n")
    assert load_settings(env, cwd=tmp_path).retention_days == 8
    assert load_settings({**env, "LLM_RETENTION_DAYS": "7"}, cwd=tmp_path).retention_days == 7


def test_a_user_file_others_may_read_is_refused(tmp_path):
    path = _user_file(tmp_path, "ANTHROPIC_API_KEY=sk-ant-user-file-key-1\n", mode=0o644)
    with pytest.raises(ConfigError) as info:
        load_settings({"XDG_CONFIG_HOME": str(tmp_path / "config")}, cwd=tmp_path)
    assert f"chmod 600 {path}" in str(info.value)


def test_describe_names_each_source_and_masks_keys(tmp_path):
    from llm_core.config import describe

    (tmp_path / ".env").write_text("LLM_AGENT_NAME=bot\n")
    s = load_settings({"ANTHROPIC_API_KEY": "sk-ant-0123456789abcdef"}, cwd=tmp_path)
    rows = {r["name"]: r for r in describe(s)}
    assert rows["LLM_AGENT_NAME"] == {"name": "LLM_AGENT_NAME", "value": "bot", "source": str(tmp_path / ".env")}
    assert rows["ANTHROPIC_API_KEY"] == {"name": "ANTHROPIC_API_KEY", "value": "****cdef", "source": "environment"}


# ------------------------------------------------------------------ unreadable files (issue 10, 4)

def test_a_dotenv_that_is_not_utf8_is_a_config_error_naming_it(tmp_path):
    (tmp_path / ".env").write_bytes(b"LLM_AGENT_NAME=caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_settings({}, cwd=tmp_path)
    assert f"{tmp_path / '.env'} is not UTF-8" in str(info.value)


def test_an_unreadable_dotenv_is_a_config_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LLM_AGENT_NAME=x\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as info:
        load_settings({}, cwd=tmp_path)
    assert str(info.value) == f"cannot read {tmp_path / '.env'}: Permission denied"


# ------------------------------------------------------------------ redaction of fragments (issue 10, 3)

@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        ("Incorrect API key provided: sk-proj-SECRETKEYOPE...7777.",
         "sk-proj-SECRETKEYOPENAI0123456789abcdef7777", "Incorrect API key provided: ***...7777."),
        ("bad key sk-1234 given", "sk-1234", "bad key *** given"),
        ("tail 0123456789abcdef only", "sk-ant-test-0123456789abcdef", "tail *** only"),
        ("7-char run sk-ant- stays", "sk-ant-test-0123456789abcdef", "7-char run sk-ant- stays"),
        ("a one-letter key x is no secret", "x", "a one-letter key x is no secret"),
    ],
)
def test_redact_masks_every_8_character_run_of_a_key_and_short_keys_whole(text, secret, expected):
    assert redact(text, [secret]) == expected


def test_warnings_are_redacted_too(tmp_path, monkeypatch, capsys):
    from llm_core.errors import warn

    monkeypatch.setenv("OPENAI_API_KEY", "sk-1234")
    warn("the server said: key sk-1234 unknown")
    assert capsys.readouterr().err == "Warning: the server said: key *** unknown\n"


def test_redact_falls_back_to_the_keys_read_when_the_settings_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-dotenv-key-abcdefgh\nLLM_RETENTION_DAYS=abc\n")
    with pytest.raises(ConfigError):
        load_settings()
    from llm_core.config import reset_settings

    reset_settings()
    assert redact("echo sk-dotenv-key-abcdefgh") == "echo ***"


def test_settings_behave_as_an_immutable_record_that_hides_keys():
    """Settings is a plain class (a 47-field dataclass cost 4 ms of every command's start):
    what the dataclass gave still holds."""
    s = Settings(telemetry_dir=Path("t"), anthropic_api_key="sk-ant-secret-value-1234")
    assert s.timeout == 600.0 and s.sources == {} and s.shown == {}
    assert "sk-ant" not in repr(s) and "telemetry_dir=PosixPath('t')" in repr(s)
    with pytest.raises(AttributeError):
        s.timeout = 1.0
    with pytest.raises(TypeError, match="no_such_setting"):
        Settings(no_such_setting=1)
    assert Settings().sources is not Settings().sources  # not one shared dict
    assert Settings(sources={"A": "env"}) == Settings() and hash(Settings(shown={"A": "1"})) == hash(Settings())
    assert Settings(timeout=1.0) != Settings()
