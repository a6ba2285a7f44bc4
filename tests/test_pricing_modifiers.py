"""Prices that depend on how a call was served (issue 11 item 6): Anthropic inference_geo "us"
at 1.1x on Claude 4.6 and later, OpenAI service_tier priority/flex prices; the rules are data
(models.json pricing_modifiers, citing the pages), applied from what the response reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.clients.openai_client import OpenAIClient
from llm_core.models.pricing import calculate_cost, cost_breakdown, geo_multiplier, tier_pricing
from llm_core.models.registry import get_model

DATA = json.loads((Path(__file__).parents[1] / "llm_core/models/models.json").read_text())
MODIFIERS = DATA["pricing_modifiers"]
CALL = {"input": 1000, "output": 500}


def test_opus_4_6_us_inference_is_billed_at_1_1x():
    """The issue's example: we recorded $0.0175, the bill is $0.01925."""
    assert calculate_cost(CALL, "claude-opus-4-6") == 0.0175
    assert calculate_cost(CALL, "claude-opus-4-6", inference_geo="us") == 0.01925
    assert calculate_cost(CALL, "claude-opus-4-6", inference_geo="global") == 0.0175


@pytest.mark.parametrize("model", ["claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-8", "claude-sonnet-5"])
def test_every_token_kind_costs_1_1x_on_4_6_and_later(model):
    tokens = {"input": 1000, "output": 500, "cache_read": 2000, "cache_write": 300, "cache_write_1h": 100}
    base = cost_breakdown(tokens, model)
    us = cost_breakdown(tokens, model, inference_geo="us")
    assert all(us[k] == pytest.approx(base[k] * 1.1) for k in base)


@pytest.mark.parametrize("model", ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5"])
def test_older_models_and_other_providers_are_unchanged(model):
    assert geo_multiplier(get_model(model), "us") == 1.0
    assert calculate_cost(CALL, model, inference_geo="us") == calculate_cost(CALL, model)


@pytest.mark.parametrize(("model", "tier", "cost"), [
    ("gpt-5", None, 0.00625),            # 1.25 in, 10 out
    ("gpt-5", "default", 0.00625),
    ("gpt-5", "priority", 0.0125),       # 2.50 in, 20 out
    ("gpt-5", "flex", 0.003125),         # Batch rates: half
    ("gpt-4.1", "priority", 0.0105),     # 3.50 in, 14 out: not simply 2x
    ("gpt-4.1", "flex", 0.006),          # no flex prices for gpt-4.1: standard
    ("o3", "flex", 0.003),
    ("claude-opus-4-6", "priority", 0.0175),  # Anthropic's priority tier is not per-token priced
])
def test_service_tier_prices(model, tier, cost):
    assert calculate_cost(CALL, model, service_tier=tier) == pytest.approx(cost)


def test_flex_cached_input_keeps_its_discount():
    tokens = {"input": 0, "output": 0, "cache_read": 1_000_000}
    assert calculate_cost(tokens, "gpt-5", service_tier="flex") == pytest.approx(0.0625)


def test_the_rules_are_data_and_cite_their_pages():
    for rule in (MODIFIERS["inference_geo"], MODIFIERS["service_tiers"]):
        assert rule["rule"] and rule["checked"]
        assert all(source.startswith("https://") for source in rule["sources"])
    ids = {m["id"] for m in DATA["models"]}
    family = MODIFIERS["inference_geo"]["families"][0]
    assert family["multipliers"] == {"us": 1.1}
    assert set(family["models"]) <= ids and "claude-opus-4-5" not in family["models"]
    assert set(MODIFIERS["service_tiers"]["prices"]) <= ids
    assert tier_pricing(get_model("gpt-4o-mini"), "priority")["output"] == 1.0


def _records():
    from llm_core.config import get_settings
    from llm_core.storage.local import get_storage

    get_storage().flush()
    paths = sorted(Path(get_settings().telemetry_dir).glob("*/telemetry.jsonl"))
    return [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]


def test_the_record_keeps_how_the_call_was_served_and_reprice_uses_it(capsysbinary, monkeypatch):
    import io
    import sys

    from llm_core.cli import cost

    with FakeProvider() as fake:
        client = AnthropicClient("claude-opus-4-6", api_key=KEYS["anthropic"], base_url=fake.url("anthropic"))
        client.chat("hello there", inference_geo="us")
        OpenAIClient("gpt-5", api_key=KEYS["openai"], base_url=fake.url("openai")).chat("hi", service_tier="priority")
    geo, tier = _records()[-2:]
    assert (geo["inference_geo"], geo["service_tier"], tier["service_tier"]) == ("us", "standard", "priority")
    lines = [json.dumps({**geo, "cost_usd": 0}), json.dumps({**tier, "cost_usd": 0})]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    assert cost.main(["--reprice"]) == 0
    repriced = [json.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert [r["cost_usd"] for r in repriced] == [geo["cost_usd"], tier["cost_usd"]]
    assert geo["cost_usd"] == pytest.approx(calculate_cost(geo["tokens"], "claude-opus-4-6") * 1.1)


def test_cost_recorded_from_what_the_response_reports():
    """Over the wire: Anthropic usage.inference_geo, OpenAI service_tier, streamed and not."""
    with FakeProvider() as fake:
        client = AnthropicClient("claude-opus-4-6", api_key=KEYS["anthropic"], base_url=fake.url("anthropic"))
        plain = client.chat("hello there")
        us = client.chat("hello there", inference_geo="us")
        assert (plain.inference_geo, us.inference_geo) == (None, "us")
        assert us.cost_usd == pytest.approx(plain.cost_usd * 1.1)
        with client.stream("hello there", inference_geo="us") as stream:
            "".join(stream)
        assert stream.response.cost_usd == pytest.approx(plain.cost_usd * 1.1)
        client = OpenAIClient("gpt-5", api_key=KEYS["openai"], base_url=fake.url("openai"))
        plain = client.chat("hello there")
        priority = client.chat("hello there", service_tier="priority")
        assert (plain.service_tier, priority.service_tier) == (None, "priority")
        assert priority.cost_usd == pytest.approx(plain.cost_usd * 2)
        with client.stream("hello there", service_tier="flex") as stream:
            "".join(stream)
        assert stream.response.service_tier == "flex"
        assert stream.response.cost_usd == pytest.approx(plain.cost_usd / 2)
