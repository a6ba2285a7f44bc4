"""llm-cost: one call, stdin counting, --compare and the --reprice filter."""

from __future__ import annotations

import io
import json
import sys

import pytest

from llm_core.cli.cost import main
from llm_core.config import reset_settings


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(data)))

    return feed


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys, *args) -> str:
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, ""), err
    return out


def test_one_call_human_and_json(capsys):
    code, out, err = run(capsys, "-m", "claude-sonnet-4-6", "--input", "1000", "--output", "100")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "claude-sonnet-4-6 (anthropic)",
        "  input    1,000 tokens  $0.003",
        "  output     100 tokens  $0.0015",
        "  total    1,100 tokens  $0.0045",
    ]
    out = ok(capsys, "-m", "gpt-4o", "-i", "200", "--cache-read", "1000", "-o", "300", "--json")
    result = json.loads(out)
    # 200*2.50 + 1000*1.25 + 300*10 = 4750 per 1M
    assert result["cost_usd"] == pytest.approx(0.00475)
    assert result["tokens"] == {"input": 200, "output": 300, "cache_read": 1000, "cache_write": 0, "total": 1500}


def test_cache_writes_with_both_ttls(capsys):
    out = ok(capsys, "-m", "claude-haiku-4-5", "-i", "10", "--cache-write", "1000",
             "--cache-write-1h", "1000", "-o", "0", "--json")
    result = json.loads(out)
    # 10*1 + 1000*1.25 + 1000*2 = 3260 per 1M
    assert result["cost_usd"] == pytest.approx(0.00326)
    assert result["tokens"]["cache_write"] == 2000 and result["tokens"]["cache_write_1h"] == 1000


def test_stdin_text_is_counted_with_the_models_tokenizer(capsys, stdin):
    stdin(b"hello world")
    result = json.loads(ok(capsys, "-m", "gpt-4o", "--output", "10", "--json"))
    assert result["tokens"]["input"] == 2 and result["input_exact"] is True
    # 2*2.50 + 10*10 = 105 per 1M
    assert result["cost_usd"] == pytest.approx(0.000105)


def test_compare_is_cheapest_first(capsys):
    out = ok(capsys, "--compare", "gpt-4o", "sonnet", "llama-3.1-70b", "-i", "5000", "-o", "500", "--json")
    rows = json.loads(out)
    assert [r["model"] for r in rows] == ["meta-llama/llama-3.1-70b-instruct", "claude-sonnet-5-5", "gpt-4o"]
    # llama: 5500*0.40 = 2200; sonnet 5.5: 5000*2 + 500*10 = 15000; gpt-4o: 12500 + 5000 = 17500
    assert [r["cost_usd"] for r in rows] == pytest.approx([0.0022, 0.015, 0.0175])


def test_compare_everything_skips_retired_and_echo(capsys):
    out = ok(capsys, "--compare", "-i", "100", "-o", "10", "--json")
    rows = json.loads(out)
    ids = {r["model"] for r in rows}
    assert "echo" not in ids and "claude-3-5-haiku" not in ids and "claude-sonnet-4-6" in ids
    costs = [r["cost_usd"] for r in rows]
    assert costs == sorted(costs)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-m", "gpt-4oo", "-i", "1"], 3, "Error: unknown model 'gpt-4oo' (did you mean gpt-4o"),
        (["-m", "gpt-4o", "-i", "-5"], 2, "-5 is not in the range 0<=x<=1000000000000"),
        (["-m", "gpt-4o", "-i", "many"], 2, "'many' is not a valid integer"),
        (["-i", "10"], 2, "give a model with -m MODEL"),
        (["gpt-4o", "-i", "1"], 2, "unexpected argument 'gpt-4o'"),
    ],
)
def test_errors(capsys, stdin, args, code, message):
    stdin(b"")
    got, out, err = run(capsys, *args)
    assert got == code and out == ""
    assert message in err


def test_empty_stdin_is_zero_tokens_as_llm_tokens_counts_it(capsys, stdin):
    # `git diff | llm-cost ...` in a clean tree: no text is 0 tokens, not a usage error.
    stdin(b"")
    out = ok(capsys, "-m", "gpt-4o", "--json")
    assert json.loads(out)["tokens"]["input"] == 0 and json.loads(out)["cost_usd"] == 0


def test_a_terminal_on_stdin_and_no_input_count_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setattr("llm_core.cli.cost.stdin_is_terminal", lambda: True)
    got, out, err = run(capsys, "-m", "gpt-4o")
    assert got == 2 and out == ""
    assert "give --input N, or the text to count on stdin" in err


def test_default_model_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("LLM_MODEL", "gpt-4o-mini")
    reset_settings()
    out = ok(capsys, "-i", "1000000", "--json")
    assert json.loads(out)["cost_usd"] == pytest.approx(0.15)


RECORDS = [
    {"id": "a", "model": "claude-sonnet-4-6", "tokens": {"input": 1000, "output": 100, "total": 1100,
                                                        "cache_read": 0, "cache_write": 0},
     "cost_usd": 0.5, "success": True},
    "not json at all",
    {"id": "b", "model": "mystery-model", "tokens": {"input": 1}, "cost_usd": 0.1},
    {"id": "c", "model": "claude-sonnet-4-20250514", "tokens": {"input": 2000, "cache_read": 10000, "output": 500},
     "cost_usd": None},
    {"id": "d", "model": "gpt-4o", "tokens": {"input": -1}, "cost_usd": 9.9},
]


def test_reprice_filters_every_line_in_order(capsys, stdin):
    lines = [r if isinstance(r, str) else json.dumps(r) for r in RECORDS]
    stdin(("\n".join(lines) + "\n").encode())
    code, out, err = run(capsys, "--reprice")
    assert code == 0
    got = out.splitlines()
    assert len(got) == len(lines)
    first = json.loads(got[0])
    assert list(first) == list(RECORDS[0]) and first["cost_usd"] == pytest.approx(0.0045)
    assert got[1] == "not json at all"
    assert json.loads(got[2])["cost_usd"] == 0.1
    # claude-sonnet-4 (retired, priced for old records): 2000*3 + 10000*0.30 + 500*15 = 16500
    assert json.loads(got[3])["cost_usd"] == pytest.approx(0.0165)
    assert json.loads(got[4])["cost_usd"] == 9.9
    assert err.count("\n") == 1 and err.startswith("Warning: 2 line(s) are not telemetry records")
    assert "(first: line 2)" in err and "1 record(s) name a model the registry does not know" in err


def test_reprice_is_quiet_when_all_is_well(capsys, stdin):
    stdin((json.dumps(RECORDS[0]) + "\n").encode())
    assert run(capsys, "--reprice")[2] == ""


def test_reprice_refuses_other_options(capsys, stdin):
    stdin(b"")
    code, _, err = run(capsys, "--reprice", "-m", "gpt-4o")
    assert code == 2 and "--reprice takes telemetry on stdin" in err
