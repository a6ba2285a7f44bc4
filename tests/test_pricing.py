"""calculate_cost and the usage normalizers, checked against figures computed by hand.

Prices used below (USD per 1M tokens, from the bundled registry):
  claude-sonnet-4-6  input 3, output 15, cache read 0.30, 5m write 3.75, 1h write 6
  gpt-4o             input 2.50, output 10, cached input 1.25
  gpt-5.4            input 2.50, output 15, cached 0.25; prompts > 272k: 5 / 22.50 / 0.50
  claude-haiku-5-5   input 0.10, output 0.50, ...; prompts > 100k: 0.50 / 2.50 / 0.05 / 0.625 / 1.00
"""

from __future__ import annotations

import pytest

from llm_core.errors import InputError
from llm_core.models.pricing import (
    calculate_cost,
    cost_breakdown,
    usage_from_anthropic,
    usage_from_openai,
)


def test_anthropic_call_with_cache_reads_and_both_write_ttls():
    tokens = {"input": 1000, "output": 500, "cache_read": 2000, "cache_write": 300, "cache_write_1h": 100}
    # 1000*3 + 500*15 + 2000*0.30 + 200*3.75 + 100*6 = 3000 + 7500 + 600 + 750 + 600 = 12450
    assert calculate_cost(tokens, "claude-sonnet-4-6") == pytest.approx(0.01245, abs=1e-12)


def test_breakdown_adds_up_to_the_total():
    tokens = {"input": 1000, "output": 500, "cache_read": 2000, "cache_write": 300, "cache_write_1h": 100}
    parts = cost_breakdown(tokens, "claude-sonnet-4-6")
    assert parts == pytest.approx(
        {"input": 0.003, "output": 0.0075, "cache_read": 0.0006, "cache_write": 0.00135, "total": 0.01245}
    )


def test_usage_from_anthropic_keeps_input_exclusive_of_cache():
    usage = {
        "input_tokens": 40,
        "output_tokens": 250,
        "cache_read_input_tokens": 10_000,
        "cache_creation_input_tokens": 2_000,
        "cache_creation": {"ephemeral_5m_input_tokens": 1_500, "ephemeral_1h_input_tokens": 500},
    }
    tokens = usage_from_anthropic(usage)
    assert tokens == {
        "input": 40, "output": 250, "cache_read": 10_000, "cache_write": 2_000,
        "cache_write_1h": 500, "total": 12_290,
    }
    # 40*3 + 250*15 + 10000*0.30 + 1500*3.75 + 500*6 = 120 + 3750 + 3000 + 5625 + 3000 = 15495
    assert calculate_cost(tokens, "claude-sonnet-4-6") == pytest.approx(0.015495, abs=1e-12)


def test_usage_from_anthropic_accepts_sdk_objects_and_missing_fields():
    class Usage:
        input_tokens = 12
        output_tokens = 3

    assert usage_from_anthropic(Usage()) == {
        "input": 12, "output": 3, "total": 15, "cache_read": 0, "cache_write": 0,
    }


def test_openai_prompt_tokens_include_cached_tokens():
    usage = {
        "prompt_tokens": 1200,
        "completion_tokens": 300,
        "total_tokens": 1500,
        "prompt_tokens_details": {"cached_tokens": 1000},
        "completion_tokens_details": {"reasoning_tokens": 200},
    }
    tokens = usage_from_openai(usage)
    assert tokens == {
        "input": 200, "output": 300, "cache_read": 1000, "cache_write": 0, "total": 1500, "reasoning": 200,
    }
    # 200*2.50 + 1000*1.25 + 300*10 (reasoning included in output) = 500 + 1250 + 3000 = 4750
    cost = calculate_cost(tokens, "gpt-4o")
    assert cost == pytest.approx(0.00475, abs=1e-12)
    # Billing all 1200 prompt tokens at the full input price would give 0.006: we must not.
    assert cost != pytest.approx(0.006)


def test_openai_responses_api_shape():
    usage = {
        "input_tokens": 5000,
        "output_tokens": 800,
        "input_tokens_details": {"cached_tokens": 4000},
        "output_tokens_details": {"reasoning_tokens": 512},
    }
    assert usage_from_openai(usage) == {
        "input": 1000, "output": 800, "cache_read": 4000, "cache_write": 0, "total": 5800, "reasoning": 512,
    }


def test_openrouter_cache_writes_come_out_of_prompt_tokens():
    usage = {
        "prompt_tokens": 3000,
        "completion_tokens": 100,
        "prompt_tokens_details": {"cached_tokens": 1000, "cache_write_tokens": 1500},
    }
    tokens = usage_from_openai(usage)
    assert (tokens["input"], tokens["cache_read"], tokens["cache_write"]) == (500, 1000, 1500)
    # anthropic/claude-sonnet-4.6 via OpenRouter: 500*3 + 1000*0.30 + 1500*3.75 + 100*15
    # = 1500 + 300 + 5625 + 1500 = 8925
    assert calculate_cost(tokens, "anthropic/claude-sonnet-4.6") == pytest.approx(0.008925, abs=1e-12)


def test_long_prompt_tier_applies_above_the_threshold_only():
    at_threshold = {"input": 272_000, "output": 1000}
    # 272000*2.50 + 1000*15 = 680000 + 15000
    assert calculate_cost(at_threshold, "gpt-5.4") == pytest.approx(0.695, abs=1e-12)
    above = {"input": 300_000, "output": 1000}
    # 300000*5 + 1000*22.50 = 1500000 + 22500
    assert calculate_cost(above, "gpt-5.4") == pytest.approx(1.5225, abs=1e-12)


def test_long_prompt_tier_counts_cache_reads_and_writes_in_the_prompt():
    tokens = {"input": 1, "cache_read": 100_000, "output": 10}
    # prompt = 100001 > 100000: 1*0.50 + 100000*0.05 + 10*2.50 = 0.5 + 5000 + 25
    assert calculate_cost(tokens, "claude-haiku-5-5") == pytest.approx(0.0050255, abs=1e-12)
    below = {"input": 0, "cache_read": 100_000, "output": 10}
    # 100000*0.01 + 10*0.50 = 1000 + 5
    assert calculate_cost(below, "claude-haiku-5-5") == pytest.approx(0.001005, abs=1e-12)


def test_missing_cache_price_falls_back_to_the_input_price():
    # gpt-4-turbo has no cached-input price: cached tokens cost full input (10 per 1M).
    assert calculate_cost({"cache_read": 1000}, "gpt-4-turbo") == pytest.approx(0.01)


def test_unknown_model_or_price_is_none_and_echo_is_free():
    assert calculate_cost({"input": 10}, "no-such-model") is None
    assert calculate_cost({"input": 10}, {"id": "x", "pricing": {"input": 1.0}}) is None
    assert calculate_cost({"input": 10, "output": 10}, "echo") == 0.0


def test_aliases_and_entries_price_the_same():
    from llm_core.models.registry import get_model

    tokens = {"input": 1234, "output": 567}
    assert calculate_cost(tokens, "llama-3.1-70b") == calculate_cost(
        tokens, get_model("meta-llama/llama-3.1-70b-instruct")
    )
    # 1234*0.40 + 567*0.40 = 720.4
    assert calculate_cost(tokens, "llama-3.1-70b") == pytest.approx(0.0007204, abs=1e-12)


@pytest.mark.parametrize("bad", [-1, "12", float("nan"), True])
def test_bad_token_counts_are_input_errors(bad):
    with pytest.raises(InputError):
        calculate_cost({"input": bad}, "gpt-4o")
