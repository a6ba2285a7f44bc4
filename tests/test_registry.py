"""The registry: bundled data consistency, lookups, overrides, synced prices, selection."""

from __future__ import annotations

import datetime as dt
import json
import re

import orjson
import pytest

from llm_core.config import reset_settings
from llm_core.errors import ConfigError, InputError, UnknownModelError
from llm_core.models import registry
from llm_core.models.registry import (
    DATA_FILE,
    SPEED_TIERS,
    get_model,
    list_models,
)
from llm_core.models.select import explain_no_fit, rank_models, select_model

BUNDLED = orjson.loads(DATA_FILE.read_bytes())
ENTRIES = BUNDLED["models"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Published exceptions to Anthropic's usual cache multipliers (read 0.1x input).
CACHE_READ_EXCEPTIONS = {"claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1", "claude-mythos-5-1"}
# Claude Haiku 3 predates the multipliers: $0.30 5m writes, $0.50 1h writes, $0.03 reads.
HAIKU_3 = {"input": 0.25, "output": 1.25, "cache_read": 0.03, "cache_write": 0.30, "cache_write_1h": 0.50}


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.clear_cache()
    yield
    registry.clear_cache()


def write_user_file(tmp_path, monkeypatch, data) -> None:
    path = tmp_path / "my-models.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("LLM_MODELS_FILE", str(path))
    reset_settings()


# ---------------------------------------------------------------- bundled data

def test_every_name_resolves_to_exactly_one_model():
    owner: dict[str, str] = {}
    for entry in ENTRIES:
        for name in {entry["id"], entry["api_id"], *entry["aliases"]}:
            key = name.lower()
            assert owner.get(key, entry["id"]) == entry["id"], f"{name} names {owner[key]} and {entry['id']}"
            owner[key] = entry["id"]
    for name, model_id in owner.items():
        assert get_model(name)["id"] == model_id


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_entry_is_consistent(entry):
    assert entry["provider"] in {"anthropic", "openai", "openrouter", "echo"}
    assert entry["speed"] in SPEED_TIERS
    assert entry["tokenizer"] in {None, "o200k_base", "cl100k_base", "claude"}
    assert isinstance(entry["context_window"], int) and entry["context_window"] > 0
    assert isinstance(entry["max_output"], int) and 0 < entry["max_output"] <= entry["context_window"]
    pricing = entry["pricing"]
    assert {"input", "output"} <= set(pricing)
    tiers = [pricing] + ([pricing["long_context"]] if "long_context" in pricing else [])
    for tier in tiers:
        for key, value in tier.items():
            if key not in ("threshold", "long_context"):
                assert isinstance(value, (int, float)) and value >= 0, (key, value)
        if tier.get("input"):
            if "cache_read" in tier:
                assert tier["cache_read"] < tier["input"]
            if "cache_write" in tier and entry["provider"] in ("anthropic", "openai"):
                assert tier["cache_write"] >= tier["input"]
        if "cache_write_1h" in tier:
            assert tier["cache_write_1h"] >= tier["cache_write"]
    if "long_context" in pricing:
        tier = pricing["long_context"]
        assert 0 < tier["threshold"] < entry["context_window"]
        assert tier["input"] >= pricing["input"] and tier["output"] >= pricing["output"]
    if entry["retirement_date"]:
        assert DATE.match(entry["retirement_date"])
        assert entry["deprecated"] is True
    if entry["replacement"]:
        assert get_model(entry["replacement"])["provider"] == entry["provider"]
    assert set(entry["capabilities"]) <= {
        "vision", "function_calling", "reasoning", "prompt_caching", "json_schema", "pdf", "offline",
    }


def test_anthropic_cache_prices_follow_the_published_multipliers():
    for entry in ENTRIES:
        if entry["provider"] != "anthropic":
            continue
        p = entry["pricing"]
        if entry["id"] == "claude-3-haiku":
            assert p == HAIKU_3
            continue
        assert p["cache_write"] == pytest.approx(1.25 * p["input"]), entry["id"]
        assert p["cache_write_1h"] == pytest.approx(2 * p["input"]), entry["id"]
        if entry["id"] in CACHE_READ_EXCEPTIONS:
            assert p["cache_read"] < 0.1 * p["input"] and "cache" in entry["notes"]
        else:
            assert p["cache_read"] == pytest.approx(0.1 * p["input"]), entry["id"]


def test_prices_checked_recorded_for_every_provider():
    checked = BUNDLED["prices_checked"]
    for provider in {e["provider"] for e in ENTRIES}:
        assert DATE.match(checked[provider]), provider
        assert provider in BUNDLED["sources"] or provider == "echo"


def test_coverage_required_by_the_issue():
    ids = {e["id"] for e in ENTRIES}
    assert {"gpt-4.1", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini", "gpt-4-turbo", "gpt-3.5-turbo"} <= ids
    assert any(i.startswith("gpt-5.") for i in ids)
    assert sum(e["provider"] == "openrouter" for e in ENTRIES) >= 20
    assert "meta-llama/llama-3.1-8b-instruct:free" in ids
    assert get_model("meta-llama/llama-3.1-8b-instruct:free")["pricing"]["input"] == 0
    echo = get_model("echo")
    assert echo["provider"] == "echo" and echo["pricing"] == {"input": 0.0, "output": 0.0}


@pytest.mark.parametrize(
    "name, api_id, input_price, output_price",
    [
        ("claude-3-5-haiku", "claude-3-5-haiku-20241022", 0.80, 4.0),
        ("claude-sonnet-4", "claude-sonnet-4-20250514", 3.0, 15.0),
        ("claude-opus-4", "claude-opus-4-20250514", 15.0, 75.0),
    ],
)
def test_design_names_resolve_with_their_own_prices_and_are_marked_retired(name, api_id, input_price, output_price):
    entry = get_model(name)
    assert entry["api_id"] == api_id
    assert (entry["pricing"]["input"], entry["pricing"]["output"]) == (input_price, output_price)
    assert entry["deprecated"] and entry["retired"] and entry["replacement"]


# ---------------------------------------------------------------- lookups

def test_aliases_api_ids_and_case_resolve():
    assert get_model("llama-3.1-70b")["id"] == "meta-llama/llama-3.1-70b-instruct"
    assert get_model("claude-sonnet-4-5-20250929")["id"] == "claude-sonnet-4-5"
    assert get_model("  GPT-4o ")["id"] == "gpt-4o"


def test_unknown_model_suggests_close_matches():
    with pytest.raises(UnknownModelError) as info:
        get_model("claude-sonet-4-6")
    assert info.value.exit_code == 3
    assert "claude-sonnet-4-6" in info.value.suggestions


def test_get_model_returns_a_copy():
    entry = get_model("gpt-4o")
    entry["pricing"]["input"] = 999
    entry["aliases"].append("mine")
    assert get_model("gpt-4o")["pricing"]["input"] == 2.5
    with pytest.raises(UnknownModelError):
        get_model("mine")


def test_retired_follows_the_retirement_date(monkeypatch):
    monkeypatch.setattr(registry, "_today", lambda: "2026-11-29")
    assert get_model("claude-sonnet-4-5")["retired"] is False
    monkeypatch.setattr(registry, "_today", lambda: "2026-11-30")
    assert get_model("claude-sonnet-4-5")["retired"] is True


def test_list_models_filters_and_sorts():
    anthropic = list_models(provider="anthropic")
    assert anthropic and all(e["provider"] == "anthropic" for e in anthropic)
    assert [e["id"] for e in anthropic] == sorted(e["id"] for e in anthropic)
    vision = list_models(capability="vision")
    assert vision and all("vision" in e["capabilities"] for e in vision)
    assert all(not e["retired"] for e in list_models(include_retired=False))


def test_model_registry_is_the_merged_mapping():
    from llm_core.models.registry import MODEL_REGISTRY

    assert MODEL_REGISTRY["gpt-4o"]["provider"] == "openai"
    assert len(MODEL_REGISTRY) == len(ENTRIES)


def test_package_model_registry_sees_a_user_file_added_later(tmp_path, monkeypatch):
    import llm_core

    assert "llama3-local" not in llm_core.MODEL_REGISTRY
    write_user_file(tmp_path, monkeypatch, {"models": {
        "llama3-local": {"provider": "openai", "pricing": {"input": 0, "output": 0}},
    }})
    assert llm_core.MODEL_REGISTRY["llama3-local"]["price_source"] == "user"
    assert llm_core.MODEL_REGISTRY is registry.MODEL_REGISTRY
    monkeypatch.delenv("LLM_MODELS_FILE")
    reset_settings()
    assert "llama3-local" not in llm_core.MODEL_REGISTRY


# ---------------------------------------------------------------- user file and synced prices

def test_user_file_adds_and_overrides(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, {"models": {
        "llama3-local": {"provider": "openai", "api_id": "llama3", "context_window": 8192,
                         "max_output": 2048, "pricing": {"input": 0, "output": 0}, "aliases": ["l3"]},
        "sonnet": {"pricing": {"input": 2.7}},
    }})
    local = get_model("l3")
    assert (local["id"], local["api_id"], local["price_source"]) == ("llama3-local", "llama3", "user")
    sonnet = get_model("claude-sonnet-5-5")
    assert sonnet["pricing"]["input"] == 2.7 and sonnet["pricing"]["output"] == 10.0
    assert sonnet["price_source"] == "user"


def test_missing_file_named_by_the_variable_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LLM_MODELS_FILE", str(tmp_path / "nope.json"))
    reset_settings()
    with pytest.raises(ConfigError, match=r"LLM_MODELS_FILE names .*nope\.json, which does not exist"):
        get_model("gpt-4o")


def test_user_file_in_the_config_dir_is_used_without_the_variable(isolated_env):
    path = isolated_env / "config" / "llm-core" / "models.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"id": "mine", "provider": "openrouter", "pricing": {"input": 1, "output": 2}}]))
    assert get_model("mine")["pricing"] == {"input": 1, "output": 2}


def test_user_file_changes_are_picked_up(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, {"models": {"gpt-4o": {"pricing": {"input": 2.0}}}})
    assert get_model("gpt-4o")["pricing"]["input"] == 2.0
    path = tmp_path / "my-models.json"
    path.write_text(json.dumps({"models": {"gpt-4o": {"pricing": {"input": 1.75, "output": 7.0}}}}))
    assert get_model("gpt-4o")["pricing"]["input"] == 1.75


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"models": {"x": {"pricing": {"input": -1, "output": 1}, "provider": "openai"}}}), "pricing.input"),
        (json.dumps({"models": {"x": {"pricing": {"input": 1, "output": 1}}}}), "needs a \"provider\""),
        (json.dumps({"models": {"gpt-4o": {"context_window": "big"}}}), "context_window"),
        (json.dumps({"models": {"gpt-4o": {"speed": "warp"}}}), "speed"),
    ],
)
def test_bad_user_file_is_a_config_error(tmp_path, monkeypatch, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    monkeypatch.setenv("LLM_MODELS_FILE", str(path))
    reset_settings()
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        get_model("gpt-4o")
    assert info.value.exit_code == 4 and str(path) in str(info.value)


def write_synced(isolated_env, models, fetched_at="2026-11-20T08:00:00Z"):
    path = isolated_env / "cache" / "llm-core" / "openrouter-models.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetched_at": fetched_at, "models": models}))


def test_synced_prices_beat_bundled_and_lose_to_the_user_file(isolated_env, tmp_path, monkeypatch):
    write_synced(isolated_env, {
        "meta-llama/llama-3.1-70b-instruct": {"context_window": 131072,
                                              "pricing": {"input": 0.35, "output": 0.45}},
        "acme/new-model": {"name": "Acme New", "context_window": 32000, "max_output": 4000,
                           "pricing": {"input": 1.0, "output": 2.0}},
        "google/gemini-2.5-pro": {"pricing": {"input": 1.25, "output": 10.0}},
    })
    llama = get_model("llama-3.1-70b")
    assert llama["pricing"] == {"input": 0.35, "output": 0.45}
    assert (llama["price_source"], llama["prices_checked"]) == ("synced", "2026-11-20")
    assert get_model("acme/new-model")["provider"] == "openrouter"
    # Same base prices: the long-prompt tier the list cannot express is kept.
    assert "long_context" in get_model("google/gemini-2.5-pro")["pricing"]
    assert registry.registry_info()["synced_at"] == "2026-11-20T08:00:00Z"
    write_user_file(tmp_path, monkeypatch, {"models": {"llama-3.1-70b": {"pricing": {"input": 0.1}}}})
    assert get_model("llama-3.1-70b")["pricing"]["input"] == 0.1


def test_damaged_sync_file_is_ignored(isolated_env):
    path = isolated_env / "cache" / "llm-core" / "openrouter-models.json"
    path.parent.mkdir(parents=True)
    path.write_text("{oops")
    assert get_model("llama-3.1-70b")["pricing"]["input"] == 0.4


# ---------------------------------------------------------------- selection

LOCAL = {"models": {
    "local-a": {"provider": "local", "context_window": 8000, "max_output": 2000, "speed": "slow",
                "pricing": {"input": 1.0, "output": 1.0}, "capabilities": ["function_calling"]},
    "local-b": {"provider": "local", "context_window": 8000, "max_output": 2000, "speed": "fast",
                "pricing": {"input": 1.0, "output": 1.0}, "capabilities": ["function_calling", "vision"]},
    "local-c": {"provider": "local", "context_window": 100000, "max_output": 2000, "speed": "fastest",
                "pricing": {"input": 5.0, "output": 5.0}, "capabilities": ["vision"]},
    "local-d": {"provider": "local", "context_window": 8000, "max_output": 2000, "speed": "fast",
                "pricing": {"input": 1.0, "output": 1.0}, "capabilities": []},
    "local-old": {"provider": "local", "context_window": 8000, "max_output": 2000, "speed": "fastest",
                  "pricing": {"input": 0.0, "output": 0.0}, "retirement_date": "2020-01-01"},
}}


def test_cheapest_fit_wins_with_deterministic_ties(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, LOCAL)
    # a, b and d cost the same: faster tier first (b, d), then id (b < d); a is slower; old is retired.
    assert [e["id"] for e, _ in rank_models(provider="local")] == ["local-b", "local-d", "local-a", "local-c"]
    assert select_model({"provider": "local"}) == "local-b"


def test_requirements_filter(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, LOCAL)
    assert select_model({"provider": "local", "min_context": 50_000}) == "local-c"
    assert select_model({"provider": "local", "capabilities": ["function_calling", "vision"]}) == "local-b"
    assert select_model({"provider": "local", "capabilities": "vision", "speed_priority": True}) == "local-c"
    # 1000 in + 500 out at $1/M = $0.0015; at $5/M = $0.0075
    ranked = rank_models({"provider": "local", "budget_per_call": 0.002})
    assert {e["id"] for e, _ in ranked} == {"local-a", "local-b", "local-d"}
    assert ranked[0][1] == pytest.approx(0.0015)
    assert select_model({"provider": "local", "input_tokens": 7000, "output_tokens": 900}) == "local-b"
    assert select_model({"provider": "local", "input_tokens": 7500, "output_tokens": 900}) == "local-c"


def test_unknown_context_window_only_fails_an_explicit_minimum(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, {"models": {"bare": {"provider": "local", "pricing": {"input": 0, "output": 0}}}})
    assert select_model({"provider": "local"}) == "bare"
    with pytest.raises(InputError):
        select_model({"provider": "local", "min_context": 1000})


def test_speed_priority_picks_the_fastest_tier(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, LOCAL)
    assert select_model({"provider": "local", "speed_priority": True}) == "local-c"


def test_nothing_fits_is_a_clear_input_error(tmp_path, monkeypatch):
    write_user_file(tmp_path, monkeypatch, LOCAL)
    with pytest.raises(InputError) as info:
        select_model({"provider": "local", "budget_per_call": 0.0001})
    message = str(info.value)
    assert "no model fits budget $0.0001 per call" in message
    assert "local-b at $0.0015 for 1,000 input + 500 output tokens" in message
    assert info.value.exit_code == 3
    assert explain_no_fit({"provider": "local", "budget_per_call": 0.0001}) == message


def test_retired_and_echo_are_never_selected():
    for entry, _cost in rank_models():
        assert not entry["retired"] and entry["provider"] != "echo"
    assert select_model({"provider": "echo"}) == "echo"


def test_bundled_selection_respects_capabilities_and_budget():
    model = select_model({"budget_per_call": 0.01, "capabilities": ["vision", "reasoning"], "min_context": 500_000})
    entry = get_model(model)
    assert {"vision", "reasoning"} <= set(entry["capabilities"]) and entry["context_window"] >= 500_000
    ranked = rank_models({"capabilities": ["vision", "reasoning"], "min_context": 500_000})
    assert ranked[0][0]["id"] == model
    order = [(entry["deprecated"], cost) for entry, cost in ranked]
    assert order == sorted(order)  # current models first, each group cheapest first


@pytest.mark.parametrize("req", [{"budget": 1}, {"min_context": -5}, {"input_tokens": 1.5}, {"budget_per_call": "x"}])
def test_bad_requirements(req):
    with pytest.raises(InputError):
        select_model(req)


def test_today_is_utc_unless_pinned(monkeypatch):
    assert registry._today() == dt.datetime.now(dt.timezone.utc).date().isoformat()
    monkeypatch.setenv("LLM_MODELS_TODAY", "2026-12-12")
    reset_settings()
    assert registry._today() == "2026-12-12"
    assert get_model("gpt-5")["retired"] is True
    monkeypatch.setenv("LLM_MODELS_TODAY", "soon")
    reset_settings()
    with pytest.raises(ConfigError, match="LLM_MODELS_TODAY"):
        get_model("gpt-5")


def test_selection_prefers_current_models_over_deprecated_cheaper_ones():
    chosen = get_model(select_model({"provider": "openai"}))
    assert not chosen["deprecated"]
    cheaper_deprecated = [e for e, _cost in rank_models(provider="openai")
                          if e["deprecated"] and e["pricing"]["output"] < chosen["pricing"]["output"]]
    assert cheaper_deprecated, "the data must hold a cheaper deprecated model for this test to mean something"
    # A deprecated model is still chosen when it is the only one that fits.
    only = cheaper_deprecated[0]
    budget = rank_models(provider="openai", capabilities=only["capabilities"])
    assert any(e["id"] == only["id"] for e, _ in budget)
