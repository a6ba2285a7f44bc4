"""Self-hosted models: an OpenAI-compatible server on a loopback or private address serving a
model the registry does not know costs 0 (price_source "local") with no warning; a remote
unknown model keeps its unknown-price warning, once per process."""

from __future__ import annotations

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core.clients._http import is_local_address
from llm_core.clients.openai_client import OpenAIClient
from llm_core.config import reset_settings
from llm_core.storage.local import get_storage

LOCAL_MODEL = "gpt-7-local"  # the fake server takes it; the registry does not know it


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


def _records(store) -> list[dict]:
    import json

    get_storage().flush()
    return [json.loads(line) for path in sorted(store.glob("*/telemetry.jsonl"))
            for line in path.read_text().splitlines()]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:11434/v1", True), ("http://127.8.9.10/v1", True), ("http://localhost:8080", True),
        ("http://[::1]:8000/v1", True), ("http://10.1.2.3/v1", True), ("http://172.16.0.1/v1", True),
        ("http://172.31.255.254/v1", True), ("http://192.168.1.5/v1", True), ("http://gpu-box.local:8000/v1", True),
        ("http://172.32.0.1/v1", False), ("https://api.openai.com/v1", False), ("http://8.8.8.8/v1", False),
        ("http://169.254.1.1/v1", False), ("http://llm.example.com/v1", False), ("http://localhost.example.com", False),
    ],
)
def test_local_addresses(url, local):
    assert is_local_address(url) is local


def test_an_unknown_model_on_a_local_server_is_free_and_quiet(fake, isolated_env, capsys):
    client = OpenAIClient(model=LOCAL_MODEL, base_url=fake.url("openai"), api_key=KEYS["openai"])
    response = client.chat("hi")
    list(client.stream("again"))
    assert response.cost_usd == 0.0
    assert capsys.readouterr().err == ""
    records = _records(isolated_env / "telemetry")
    assert [(r["cost_usd"], r["price_source"]) for r in records] == [(0.0, "local")] * 2


def test_local_models_free_can_be_turned_off(fake, isolated_env, capsys, monkeypatch):
    monkeypatch.setenv("LLM_LOCAL_MODELS_FREE", "0")
    reset_settings()
    client = OpenAIClient(model=LOCAL_MODEL, base_url=fake.url("openai"), api_key=KEYS["openai"])
    assert client.chat("hi").cost_usd is None
    assert "is not in the registry" in capsys.readouterr().err
    record = _records(isolated_env / "telemetry")[0]
    assert record["cost_usd"] is None and "price_source" not in record


def test_a_known_model_on_a_local_server_keeps_its_price(fake, isolated_env):
    client = OpenAIClient(model="gpt-4o-mini", base_url=fake.url("openai"), api_key=KEYS["openai"])
    assert client.chat("hi").cost_usd > 0
    assert "price_source" not in _records(isolated_env / "telemetry")[0]


def test_a_remote_unknown_model_warns_once_per_process(capsys):
    for _ in range(3):
        OpenAIClient(model=LOCAL_MODEL, base_url="https://llm.example.com/v1", api_key="sk-test")
    err = capsys.readouterr().err
    assert err.count("Warning:") == 1 and "not in the registry" in err and "cost unknown" in err
