"""get_client(): explicit provider, then the model's provider, then the keys present."""

from __future__ import annotations

import pytest

from llm_core.clients import get_client
from llm_core.config import reset_settings
from llm_core.errors import ConfigError, InputError
from llm_core.models.registry import get_model


@pytest.fixture
def keys(monkeypatch):
    def set_keys(*providers, **env):
        for provider in providers:
            monkeypatch.setenv(f"{provider.upper()}_API_KEY", f"sk-{provider}-test-123456789")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    return set_keys


def test_no_key_is_a_config_error_naming_the_variables(keys):
    keys()
    with pytest.raises(ConfigError) as info:
        get_client()
    message = str(info.value)
    for var in ("ANTHROPIC_API_KEY", "OPENROUTER_API_KEY", "OPENAI_API_KEY"):
        assert var in message
    assert info.value.exit_code == 4


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (("anthropic", "openrouter", "openai"), "anthropic"),
        (("openrouter", "openai"), "openrouter"),
        (("openai",), "openai"),
        (("anthropic",), "anthropic"),
    ],
)
def test_by_key_order(keys, present, expected):
    keys(*present)
    assert get_client().provider == expected


def test_default_models_are_current_cheap_ones(keys):
    keys("anthropic", "openai", "openrouter")
    assert get_client("anthropic").model_name == "claude-haiku-5-5"
    assert get_client("openai").model_name == "gpt-6-luna"
    assert get_client("openrouter").model_name == "anthropic/claude-haiku-5.5"
    assert get_client("echo").model_name == "echo"


@pytest.mark.parametrize("provider", ["anthropic", "openai", "openrouter"])
def test_default_models_are_current(provider):
    from llm_core.models.registry import default_model

    entry = get_model(default_model(provider))
    assert entry["provider"] == provider
    assert not entry["deprecated"] and not entry["retired"]


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_default_models_are_the_providers_cheapest_current_model(provider):
    from llm_core.models.registry import default_model, list_models

    entry = get_model(default_model(provider))
    current = [m for m in list_models(provider=provider) if not m["deprecated"]]
    assert entry["pricing"]["output"] <= min(m["pricing"]["output"] for m in current)


def test_the_models_provider_wins_when_its_key_is_present(keys):
    keys("anthropic", "openai")
    client = get_client(model="gpt-4.1-mini")
    assert client.provider == "openai" and client.model == "gpt-4.1-mini"


def test_an_alias_resolves_to_the_api_id(keys):
    keys("anthropic")
    client = get_client(model="claude-haiku-4.5")
    assert client.model_name == "claude-haiku-4-5"
    assert client.model == "claude-haiku-4-5-20251001"


def test_the_old_design_name_is_an_alias(keys):
    keys("anthropic")
    assert get_client(model="claude-3-5-haiku").model.startswith("claude-3-5-haiku")


def test_openrouter_serves_other_providers_models(keys):
    keys("openrouter")
    client = get_client(model="claude-haiku-4-5")
    assert client.provider == "openrouter" and client.model == "anthropic/claude-haiku-4.5"


def test_a_known_model_without_any_usable_key_names_its_variable(keys):
    keys("openai")
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY or OPENROUTER_API_KEY"):
        get_client(model="claude-haiku-4-5")


def test_explicit_provider_first_and_its_key_required(keys):
    keys("anthropic")
    assert get_client("anthropic", "claude-haiku-4-5").provider == "anthropic"
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_client("openai")
    with pytest.raises(InputError, match="unknown provider"):
        get_client("mistral")


def test_echo_needs_no_key(keys):
    keys()
    assert get_client(model="echo").provider == "echo"
    assert get_client("echo").chat("x").text == "x"
    keys(LLM_PROVIDER="anthropic")  # a default provider does not hijack the offline model
    assert get_client(model="echo").provider == "echo"


def test_llm_provider_and_llm_model_settings(keys):
    keys("anthropic", "openai", LLM_PROVIDER="openai", LLM_MODEL="gpt-4o-mini")
    client = get_client()
    assert client.provider == "openai" and client.model_name == "gpt-4o-mini"


def test_a_local_openai_compatible_server_needs_no_key(keys):
    keys(OPENAI_BASE_URL="http://localhost:11434/v1")
    client = get_client(model="llama3.2")
    assert client.provider == "openai" and client.base_url == "http://localhost:11434/v1"


def test_unknown_model_passes_through_with_a_warning(keys, capsys):
    keys("anthropic")
    client = get_client(model="claude-brand-new-7")
    assert client.model == "claude-brand-new-7" and client.provider == "anthropic"
    err = capsys.readouterr().err
    assert err.count("Warning:") == 1 and "claude-brand-new-7" in err


def test_an_unknown_slash_name_goes_to_openrouter(keys):
    keys("anthropic", "openrouter")
    assert get_client(model="someone/new-model").provider == "openrouter"


def test_top_level_import_is_lazy_and_exports_the_clients():
    import llm_core

    assert llm_core.get_client is get_client
    assert llm_core.EchoClient.__name__ == "EchoClient"
    assert llm_core.PromptCache.__name__ == "PromptCache"
    assert callable(llm_core.retry_with_backoff)
