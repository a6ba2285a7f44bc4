from __future__ import annotations

import copy

import pytest

from llm_core.errors import InputError
from llm_core.utils.cache import MAX_BREAKPOINTS, PromptCache, min_cacheable_tokens

LONG = "All work and no play makes Jack a dull boy. " * 500  # several thousand tokens
SHORT = "Be brief."


def marked(system, messages):
    found = []
    if isinstance(system, list):
        found += [("system", b["text"][:10]) for b in system if "cache_control" in b]
    for i, m in enumerate(messages):
        if isinstance(m["content"], list):
            found += [(i, b["text"][:10]) for b in m["content"] if "cache_control" in b]
    return found


@pytest.mark.parametrize(
    ("model", "minimum"),
    [
        ("claude-sonnet-4-5", 1024),
        ("claude-opus-4-1", 1024),
        ("claude-haiku-4-5", 4096),
        ("claude-opus-4-6", 4096),
        ("claude-3-5-haiku", 2048),
        ("claude-3-haiku-20240307", 2048),
        (None, 1024),
    ],
)
def test_minimum_cacheable_length_per_model(model, minimum):
    assert min_cacheable_tokens(model) == minimum


def test_long_system_prompt_is_marked_and_inputs_untouched():
    messages = [{"role": "user", "content": "question"}]
    before = copy.deepcopy(messages)
    system, out = PromptCache().apply(LONG, messages, model="claude-sonnet-4-5")
    assert system == [{"type": "text", "text": LONG, "cache_control": {"type": "ephemeral"}}]
    assert out == [{"role": "user", "content": "question"}]
    assert messages == before


def test_short_prefixes_are_not_marked():
    system, out = PromptCache().apply(SHORT, [{"role": "user", "content": "hi"}], model="claude-sonnet-4-5")
    assert system == SHORT and out == [{"role": "user", "content": "hi"}]


def test_the_same_text_is_too_short_for_haiku_4_5():
    text = "word " * 1500  # ~1,500 tokens: enough for Sonnet (1,024), not for Haiku 4.5 (4,096)
    assert PromptCache().apply(text, [{"role": "user", "content": "q"}], model="claude-sonnet-4-5")[0] != text
    assert PromptCache().apply(text, [{"role": "user", "content": "q"}], model="claude-haiku-4-5")[0] == text


def test_history_and_a_long_leading_block_of_the_last_message():
    messages = [
        {"role": "user", "content": LONG},
        {"role": "assistant", "content": "noted"},
        {"role": "user", "content": [{"type": "text", "text": "DOC " + LONG}, {"type": "text", "text": "what now?"}]},
    ]
    system, out = PromptCache(ttl="1h").apply(SHORT, messages, model="claude-sonnet-4-5")
    assert marked(system, out) == [(1, "noted"), (2, "DOC All wo")]
    assert out[1]["content"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    assert "cache_control" not in out[2]["content"][1]  # the changing question is never marked


def test_at_most_four_breakpoints_counting_existing_ones():
    pre = [{"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}]
    messages = [{"role": "user", "content": pre * 3}, {"role": "assistant", "content": LONG},
                {"role": "user", "content": [{"type": "text", "text": LONG}, {"type": "text", "text": "q"}]}]
    system, out = PromptCache().apply(LONG, messages, model="claude-sonnet-4-5")
    total = len(marked(system, out))
    assert total == MAX_BREAKPOINTS
    assert isinstance(system, list) and "cache_control" in system[-1]  # the system prompt first


def test_get_cached_messages_with_a_system_message():
    messages = [{"role": "system", "content": LONG}, {"role": "user", "content": "hi"}]
    out = PromptCache(min_tokens=10).get_cached_messages(messages, model="claude-sonnet-4-5")
    assert out[0]["role"] == "system" and out[0]["content"][0]["cache_control"]["type"] == "ephemeral"
    assert out[1] == {"role": "user", "content": "hi"}


def test_bad_ttl():
    with pytest.raises(InputError):
        PromptCache(ttl="2h")
