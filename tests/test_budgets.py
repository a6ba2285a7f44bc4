"""Budgets and max_cost: refused before sending, recorded as blocked, safe across processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fake_provider import KEYS, FakeProvider

from llm_core import budget_ledger, budgets
from llm_core.clients.anthropic_client import AnthropicClient
from llm_core.config import get_settings, reset_settings
from llm_core.errors import BudgetExceeded, ExitStatus
from llm_core.storage.local import get_storage

pytestmark = pytest.mark.usefixtures("serial_builds")  # see tests/conftest.py
PROMPT = "x" * 26  # the fake counts 7 tokens in, 9 out ("You said: " + it): 16 x $250/M = $0.004
MODELS = {"models": {"pricey": {"provider": "anthropic", "api_id": "claude-haiku-5-5", "pricing": {"input": 250, "output": 250},
                                "max_output": 1000}}}


@pytest.fixture
def fake():
    with FakeProvider() as server:
        yield server


@pytest.fixture
def pricey(isolated_env, monkeypatch):
    path = isolated_env / "models.json"
    path.write_text(json.dumps(MODELS))
    monkeypatch.setenv("LLM_MODELS_FILE", str(path))
    from llm_core.models import registry

    registry.clear_cache()
    yield path
    registry.clear_cache()


def client(fake, **kwargs):
    return AnthropicClient("pricey", api_key=KEYS["anthropic"], base_url=fake.url("anthropic"),
                           sleep=lambda s: None, **kwargs)


def records():
    get_storage().flush()
    out = []
    for path in sorted(Path(get_settings().telemetry_dir).glob("*/telemetry.jsonl")):
        out += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return out


def test_third_call_is_refused_before_it_reaches_the_provider(fake, pricey, monkeypatch):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "0.01")
    reset_settings()
    c = client(fake)
    for _ in range(2):
        assert c.chat(PROMPT, max_tokens=9).cost_usd == pytest.approx(0.004)
    assert len(fake.requests) == 2
    with pytest.raises(BudgetExceeded) as info:
        c.chat(PROMPT, max_tokens=9)
    assert len(fake.requests) == 2  # the third never reached the provider
    exc = info.value
    assert exc.exit_code == ExitStatus.BUDGET_BLOCKED == 8
    assert exc.budget == "daily" and exc.limit_usd == 0.01
    assert exc.spent_usd == pytest.approx(0.008)
    assert "LLM_BUDGET_DAILY_USD" in str(exc) and "$0.008000" in str(exc)
    rows = records()
    assert [r.get("status") for r in rows] == [None, None, "blocked"]
    assert rows[-1]["cost_usd"] == 0 and rows[-1]["success"] is False
    assert "daily budget" in rows[-1]["metadata"]["error"]


def test_a_stream_is_refused_on_its_first_iteration(fake, pricey, monkeypatch):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "0.006")
    reset_settings()
    c = client(fake)
    assert "".join(c.stream(PROMPT, max_tokens=9))
    with pytest.raises(BudgetExceeded), c.stream(PROMPT, max_tokens=9) as stream:
        list(stream)
    assert len(fake.requests) == 1
    assert [r.get("status") for r in records()] == [None, "blocked"]


def test_warn_mode_sends_and_warns(fake, pricey, monkeypatch, capsys):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "0.005")
    monkeypatch.setenv("LLM_BUDGET_MODE", "warn")
    reset_settings()
    c = client(fake)
    c.chat(PROMPT, max_tokens=9)
    c.chat(PROMPT, max_tokens=9)
    assert len(fake.requests) == 2
    assert "Warning: daily budget $0.005000 would be exceeded" in capsys.readouterr().err


def test_a_terminal_gets_a_soft_warning_from_warn_at(fake, pricey, monkeypatch, capsys):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "0.02")
    monkeypatch.setenv("LLM_BUDGET_WARN_AT", "75")
    monkeypatch.setattr(budgets, "_stderr_is_terminal", lambda: True)
    reset_settings()
    c = client(fake)
    for _ in range(3):  # 0, 0.004, 0.008 spent + 0.00525 reserved of 0.02: 26%, 46%, 66%
        c.chat(PROMPT, max_tokens=9)
        assert "Warning" not in capsys.readouterr().err
    c.chat(PROMPT, max_tokens=9)  # 0.012 + 0.00525 = 86%
    assert "Warning: daily budget at 86% ($0.0120 of $0.0200; warning from 75%)" in capsys.readouterr().err
    monkeypatch.setenv("LLM_BUDGET_WARN_AT", "90")
    reset_settings()
    with pytest.raises(BudgetExceeded):  # 0.016 + 0.00525 = 106%: over, refused, not softly warned
        c.chat(PROMPT, max_tokens=9)
    assert "Warning" not in capsys.readouterr().err


def test_monthly_budget_counts_the_month(fake, pricey, monkeypatch):
    monkeypatch.setenv("LLM_BUDGET_MONTHLY_USD", "0.006")
    reset_settings()
    c = client(fake)
    c.chat(PROMPT, max_tokens=9)
    with pytest.raises(BudgetExceeded, match=r"monthly budget .* raise LLM_BUDGET_MONTHLY_USD"):
        c.chat(PROMPT, max_tokens=9)


def test_max_cost_refuses_a_call_whose_worst_case_is_above(fake, pricey):
    c = client(fake)
    # 1000 output tokens (the model's max_output) at $250/M = $0.25 worst case
    with pytest.raises(BudgetExceeded, match=r"may cost up to \$0\.25.*above --max-cost \$0\.0100"):
        c.chat(PROMPT, max_cost=0.01)
    assert fake.requests == []
    assert c.chat(PROMPT, max_tokens=9, max_cost=0.01).text
    assert [r.get("status") for r in records()] == ["blocked", None]


def test_no_budget_means_no_budget_work(fake, pricey, monkeypatch):
    sys.modules.pop("llm_core.budgets", None)
    client(fake).chat(PROMPT, max_tokens=9)
    assert "llm_core.budgets" not in sys.modules
    assert not (get_storage().base_dir / budgets.BUDGET_DIR).exists()
    sys.modules["llm_core.budgets"] = budgets


def test_state_file_is_private_and_reservations_are_settled(fake, pricey, monkeypatch):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "1")
    reset_settings()
    client(fake).chat(PROMPT, max_tokens=9)
    state_path = get_storage().base_dir / ".budget" / "state.json"
    assert state_path.stat().st_mode & 0o777 == 0o600
    state = json.loads(state_path.read_text())
    assert state["reservations"] == {}


def test_an_expired_reservation_no_longer_counts(tmp_path):
    ledger = budgets.Ledger(tmp_path / "store")
    with ledger.locked() as state:
        state["reservations"] = {"a": {"usd": 1.0, "expires": 1000, "pid": 1},
                                 "b": {"usd": 0.5, "expires": 5000, "pid": 1}}
    with ledger.locked() as state:
        assert budgets.Ledger.reserved(state, 2000) == 0.5
        assert list(state["reservations"]) == ["b"]


def test_spend_counts_only_the_slots_inside_a_window_that_cuts_a_day_file():
    from llm_core.storage._day_records import COST_SCALE, SLOT_MS

    midnight = budget_ledger.utc_midnight("2026-12-01")
    early, late = midnight // SLOT_MS + 4, midnight // SLOT_MS + 80  # 01:00 and 20:00 UTC
    state = {"files": {"2026-12-01": {"ino": 1, "offset": 9, "total": 3 * COST_SCALE,
                                      "slots": {str(early): COST_SCALE, str(late): 2 * COST_SCALE}}},
             "reservations": {}}
    assert budgets.Ledger.spend(state, midnight, midnight + 86_400_000) == 3.0
    assert budgets.Ledger.spend(state, midnight + 5 * 3_600_000, midnight + 30 * 3_600_000) == 2.0
    assert budgets.Ledger.spend(state, midnight - 3_600_000, midnight + 4_500_000) == 1.0
    assert budgets.Ledger.spend(state, midnight + 86_400_000, midnight + 2 * 86_400_000) == 0.0


def test_a_malformed_state_file_is_read_again_from_the_store(fake, pricey, monkeypatch):
    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "0.006")
    reset_settings()
    c = client(fake)
    c.chat(PROMPT, max_tokens=9)
    state_path = get_storage().base_dir / ".budget" / "state.json"
    state_path.write_text('{"files": {"x": 1}, "reservations": []}')
    with pytest.raises(BudgetExceeded):  # the $0.004 already spent is found again
        c.chat(PROMPT, max_tokens=9)


def test_window_bounds_are_local_calendar_windows():
    from datetime import datetime

    now = int(datetime(2026, 12, 16, 15, 30).timestamp() * 1000)  # a Wednesday
    day = budgets.window_bounds("day", now)
    week = budgets.window_bounds("week", now)
    month = budgets.window_bounds("month", now)
    assert day == (int(datetime(2026, 12, 16).timestamp() * 1000), int(datetime(2026, 12, 17).timestamp() * 1000))
    assert week[0] == int(datetime(2026, 12, 14).timestamp() * 1000)
    assert month == (int(datetime(2026, 12, 1).timestamp() * 1000), int(datetime(2027, 1, 1).timestamp() * 1000))


# Each racer imports, says "ready" and waits for "go" on stdin: started together, 8 processes
# of 5 calls race for the budget's ~12 calls from their first call on (40 tries, 28 or more
# refused); later calls only repeat the refusal. Fewer processes lose the race's teeth: with
# 4, a ledger without its lock passed most runs.
RACER_CALLS = 5
RACER = textwrap.dedent(f"""
    import sys
    from llm_core.clients.anthropic_client import AnthropicClient
    from llm_core.errors import BudgetExceeded
    # argv: base URL, key, and the agent name when there is one (the scoped budget's test)
    c = AnthropicClient("pricey", api_key=sys.argv[2], base_url=sys.argv[1], agent_name=(sys.argv[3:] or [None])[0])
    sent = blocked = 0
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range({RACER_CALLS}):
        try:
            c.chat("x" * 26, max_tokens=9)
            sent += 1
        except BudgetExceeded:
            blocked += 1
    print(sent, blocked)
""")


def race(args: list[list[str]], env: dict) -> list[list[str]]:
    """Start one RACER per argument list, let them all go at once; each one's (sent, blocked)."""
    procs = [subprocess.Popen([sys.executable, "-c", RACER, *a], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=os.getcwd()) for a in args]
    for p in procs:
        assert p.stdout.readline() == "ready\n"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=240)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return outs


@pytest.mark.slow
@pytest.mark.usefixtures("prebuilt_index")  # 8 processes count tokens: ~1 s each to build the index
def test_racing_processes_stay_within_the_budget(fake, pricey, isolated_env):
    from conftest import clean_environ

    env = clean_environ(isolated_env)
    env.update(LLM_BUDGET_DAILY_USD="0.05", LLM_MODELS_FILE=str(pricey))
    outs = race([[fake.url("anthropic"), KEYS["anthropic"]]] * 8, env)
    sent = sum(int(o[0]) for o in outs)
    blocked = sum(int(o[1]) for o in outs)
    assert sent + blocked == 8 * RACER_CALLS
    rows = records()
    assert len(rows) == 8 * RACER_CALLS  # nothing lost
    assert sum(r.get("status") == "blocked" for r in rows) == blocked
    error = next(r for r in rows if r.get("status") == "blocked")["metadata"]["error"]
    worst = float(re.search(r"up to \$([0-9.]+) for this call", error).group(1))
    assert worst >= 0.004  # the reservation covers the call the fake bills (7 tokens in, not 4)
    spend = sum(r["cost_usd"] for r in rows)
    assert spend <= 0.05 + 1e-9
    assert len(fake.requests) == sent
    assert sent >= 10  # the budget was used, not refused wholesale: at most 12 fit (0.048 + 0.00525)


# ---------------------------------------------------------------- budgets.toml: scoped budgets


def budget_file(isolated_env, text: str) -> Path:
    path = isolated_env / "config" / "llm-core" / "budgets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    reset_settings()
    return path


def test_a_scoped_budget_counts_and_limits_only_its_agent(fake, pricey, isolated_env):
    path = budget_file(isolated_env, """
        [[budget]]
        name = "ci-bot"
        agent = "ci-bot"
        window = "week"
        limit_usd = 0.01
    """)
    bot, other = client(fake, agent_name="ci-bot"), client(fake, agent_name="human")
    for _ in range(3):  # another agent's spend does not count for the ci-bot budget
        other.chat(PROMPT, max_tokens=9)
    bot.chat(PROMPT, max_tokens=9)
    bot.chat(PROMPT, max_tokens=9)
    sent = len(fake.requests)
    with pytest.raises(BudgetExceeded) as info:
        bot.chat(PROMPT, max_tokens=9)
    assert len(fake.requests) == sent  # never reached the provider
    exc = info.value
    assert exc.exit_code == 8 and exc.budget == "ci-bot" and exc.spent_usd == pytest.approx(0.008)
    assert str(path) in str(exc) and "ci-bot budget (agent=ci-bot)" in str(exc) and "this week" in str(exc)
    other.chat(PROMPT, max_tokens=9)  # the other agent is not limited by it
    blocked = [r for r in records() if r.get("status") == "blocked"]
    assert len(blocked) == 1 and blocked[0]["agent_name"] == "ci-bot" and blocked[0]["cost_usd"] == 0


def test_project_and_model_scopes_combine(fake, pricey, isolated_env, monkeypatch):
    budget_file(isolated_env, """
        [[budget]]
        name = "pricey-here"
        project = "here"
        model = "pricey"
        window = "day"
        limit_usd = 0.006
    """)
    c = client(fake)
    c.chat(PROMPT, max_tokens=9, metadata={"project": "elsewhere"})  # another project: not counted
    c.chat(PROMPT, max_tokens=9, metadata={"project": "here"})
    c.chat(PROMPT, max_tokens=9, metadata={"project": "elsewhere"})  # nor limited
    with pytest.raises(BudgetExceeded, match=r"pricey-here budget \(project=here model=pricey\)"):
        c.chat(PROMPT, max_tokens=9, metadata={"project": "here"})
    status = budgets.statuses(get_storage().base_dir, get_settings(), budgets.clock_ms())
    assert [(s.budget.name, round(s.spent_usd, 6)) for s in status] == [("pricey-here", 0.004)]


def test_scoped_spend_starts_from_the_day_summaries(fake, pricey, isolated_env, monkeypatch):
    """A scope new to the state is read from the summaries' (combo, slot) groups, and then only
    the records appended since; without scoped budgets the state keeps no per-scope slots."""
    from llm_core.storage import day_summaries

    monkeypatch.setenv("LLM_BUDGET_DAILY_USD", "1")
    reset_settings()
    for agent in ("a", "b", "a"):
        client(fake, agent_name=agent).chat(PROMPT, max_tokens=9)
    state_path = get_storage().base_dir / ".budget" / "state.json"
    state = json.loads(state_path.read_text())
    assert state["scopes"] == {} and all("scoped" not in e for e in state["files"].values())
    budget_file(isolated_env, """
        [[budget]]
        name = "a"
        agent = "a"
        window = "month"
        limit_usd = 1
    """)
    built = []
    real = day_summaries.day_summary
    monkeypatch.setattr(day_summaries, "day_summary", lambda *a, **k: built.append(a) or real(*a, **k))
    client(fake, agent_name="a").chat(PROMPT, max_tokens=9)
    assert built  # the new scope was read from the summaries
    state = json.loads(state_path.read_text())
    assert list(state["scopes"]) == ['[["agent","a"]]']
    now = budgets.clock_ms()
    found = {s.budget.name: s.spent_usd for s in budgets.statuses(get_storage().base_dir, get_settings(), now)}
    assert found == {"daily": pytest.approx(0.016), "a": pytest.approx(0.012)}


def test_a_reservation_counts_only_for_the_budgets_of_its_call(tmp_path):
    state = {"reservations": {"x": {"usd": 1.0, "expires": 10, "call": {"agent": "a", "project": None, "model": "m"}},
                              "y": {"usd": 2.0, "expires": 10, "call": None}}}
    assert budget_ledger.Ledger.reserved(state, 0) == 3.0
    assert budget_ledger.Ledger.reserved(state, 0, (("agent", "a"),)) == 3.0
    assert budget_ledger.Ledger.reserved(state, 0, (("agent", "b"),)) == 2.0  # labels unknown: counts


@pytest.mark.parametrize(("text", "problem"), [
    ("[[budget]]\nname = 'x'\nwindow = week\n", "is not valid TOML: Invalid value (at line 3, column 10)"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\nlimit = 1\n", "budget 1: unknown key 'limit'"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\n", "budget 1: limit_usd is missing"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\nlimit_usd = 0\n", "budget 1: limit_usd must be a number > 0"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\nlimit_usd = true\n", "limit_usd must be a number"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\nlimit_usd = nan\n", "limit_usd must be a number"),
    ("[[budget]]\nname = 'x'\nwindow = 'hour'\nlimit_usd = 1\n", "window must be day, week or month, got 'hour'"),
    ("[[budget]]\nname = 'x'\nagent = ''\nwindow = 'day'\nlimit_usd = 1\n", "agent must be a non-empty string"),
    ("[[budget]]\nname = 'x'\nmodel = 3\nwindow = 'day'\nlimit_usd = 1\n", "model must be a non-empty string"),
    ("[[budget]]\nname = 'x'\nwindow = 'day'\nlimit_usd = 1\n" * 2, "budget 2: the name 'x' is used twice"),
    ("limit_usd = 1\n", "unknown key 'limit_usd'; budgets are [[budget]] tables"),
    ("budget = 3\n", "'budget' must be [[budget]] tables"),
])
def test_a_bad_budget_file_is_a_config_error_naming_file_and_problem(isolated_env, text, problem):
    from llm_core.budget_file import load_budget_file
    from llm_core.errors import ConfigError

    path = isolated_env / "budgets.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_budget_file(path)
    message = str(info.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message
    assert info.value.exit_code == 4


def test_a_bad_budget_file_stops_the_call_before_sending(fake, pricey, isolated_env):
    from llm_core.errors import ConfigError

    budget_file(isolated_env, "[[budget]]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"name is missing|window is missing"):
        client(fake).chat(PROMPT, max_tokens=9)
    assert fake.requests == []


def test_a_project_env_may_lower_a_budget_but_never_raise_or_soften_it(isolated_env):
    from llm_core.config import load_settings

    user = isolated_env / "config" / "llm-core" / "env"
    user.parent.mkdir(parents=True)
    user.write_text("LLM_BUDGET_DAILY_USD=5\nLLM_BUDGET_MONTHLY_USD=50\n")
    user.chmod(0o600)
    work = isolated_env / "work"
    environ = {"HOME": str(isolated_env / "home"), "XDG_CONFIG_HOME": str(isolated_env / "config")}
    (work / ".env").write_text("LLM_BUDGET_DAILY_USD=500\nLLM_BUDGET_MONTHLY_USD=10\nLLM_BUDGET_MODE=warn\n")
    s = load_settings(environ, work)
    assert (s.budget_daily_usd, s.budget_monthly_usd, s.budget_mode) == (5, 10, "block")
    user.write_text("LLM_BUDGET_MODE=warn\n")
    (work / ".env").write_text("LLM_BUDGET_DAILY_USD=2\nLLM_BUDGET_MODE=block\n")
    s = load_settings(environ, work)
    assert (s.budget_daily_usd, s.budget_mode) == (2, "block")  # adding or tightening is fine
    s = load_settings({**environ, "LLM_BUDGET_DAILY_USD": "9", "LLM_BUDGET_MODE": "warn"}, work)
    assert (s.budget_daily_usd, s.budget_mode) == (9, "warn")  # the environment is the user's


@pytest.mark.usefixtures("prebuilt_index")  # 8 processes count tokens: ~1 s each to build the index
def test_racing_processes_stay_within_a_scoped_budget(fake, pricey, isolated_env):
    """6 processes of agent ci-bot race against its $0.05 weekly budget while 2 of another
    agent run beside them: ci-bot's recorded spend stays within its budget, every refusal is
    recorded, and the other agent is never refused."""
    from conftest import clean_environ

    budget_file(isolated_env, """
        [[budget]]
        name = "ci-bot"
        agent = "ci-bot"
        window = "week"
        limit_usd = 0.05
    """)
    env = clean_environ(isolated_env)
    env.update(LLM_MODELS_FILE=str(pricey))
    agents = ["ci-bot"] * 6 + ["human"] * 2
    outs = race([[fake.url("anthropic"), KEYS["anthropic"], a] for a in agents], env)
    assert [o[1] for o, a in zip(outs, agents, strict=True) if a == "human"] == ["0", "0"]
    sent = sum(int(o[0]) for o in outs)
    rows = records()
    assert len(rows) == 8 * RACER_CALLS  # nothing lost
    bot = [r for r in rows if r["agent_name"] == "ci-bot"]
    blocked = sum(int(o[1]) for o in outs)
    assert sum(r.get("status") == "blocked" for r in bot) == blocked > 0
    assert sum(r["cost_usd"] for r in bot) <= 0.05 + 1e-9
    assert len(fake.requests) == sent
    assert sum(r.get("status") != "blocked" for r in bot) >= 10  # at most 12 fit (0.048 + 0.00525)


def test_the_readme_budgets_toml_example_is_valid(isolated_env):
    from conftest import ROOT

    from llm_core.budget_file import load_budget_file

    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```toml\n(# ~/.config/llm-core/budgets.toml\n.*?)```", readme, re.S).group(1)
    path = isolated_env / "budgets.toml"
    path.write_text(example)
    found = load_budget_file(path)
    assert [(b.name, b.window, b.limit_usd, b.scope) for b in found] == [
        ("ci-bot", "week", 5.0, (("agent", "ci-bot"),)),
        ("opus-in-api", "month", 40.0, (("project", "api-gateway"), ("model", "claude-opus-4-1"))),
        ("weekly", "week", 25.0, ()),
    ]


def test_a_scoped_budget_warns_softly_and_in_warn_mode(fake, pricey, isolated_env, monkeypatch, capsys):
    budget_file(isolated_env, """
        [[budget]]
        name = "bot-day"
        agent = "bot"
        window = "day"
        limit_usd = 0.01
    """)
    monkeypatch.setattr(budgets, "_stderr_is_terminal", lambda: True)
    bot = client(fake, agent_name="bot")
    bot.chat(PROMPT, max_tokens=9)  # 0 + 0.00525 reserved of 0.01: 52%
    assert "Warning" not in capsys.readouterr().err
    bot.chat(PROMPT, max_tokens=9)  # 0.004 + 0.00525: 93%
    assert "Warning: bot-day budget (agent=bot) at 93% ($0.004000 of $0.0100; warning from 80%)" in capsys.readouterr().err
    monkeypatch.setenv("LLM_BUDGET_MODE", "warn")
    reset_settings()
    bot.chat(PROMPT, max_tokens=9)  # 0.008 + 0.00525 > 0.01: sent, with a warning
    assert "Warning: bot-day budget (agent=bot) $0.0100 would be exceeded" in capsys.readouterr().err
    assert len(fake.requests) == 3 and not any(r.get("status") == "blocked" for r in records())


@pytest.fixture(params=["America/New_York", "Asia/Kolkata", "UTC"])
def zone(request, monkeypatch):
    """The process's local time zone, for one test (local windows cut UTC day files)."""
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_only_the_day_files_a_window_can_cut_keep_their_slots(tmp_path, zone):
    """Old day files keep only their totals; the spend of every window still equals a full scan,
    and a file that a window starts in again gets its slots back (from its summary)."""
    from datetime import datetime

    from llm_core.storage import query
    from llm_core.storage.demo import write_demo

    store = tmp_path / "store"
    now = int(datetime(2026, 11, 27, 15, 0).timestamp() * 1000)  # a Friday
    write_demo(store, days=30, calls=1000, seed=5, end_ms=now)  # ~33 a day: every window has spend
    agent = (("agent", "commit-writer"),)
    wanted = [budgets.Budget(w, w, 1e6, "") for w in ("day", "week", "month")]
    wanted += [budgets.Budget(f"{w}-bot", w, 1e6, "", agent) for w in ("day", "week", "month")]
    ledger = budgets.Ledger(store)
    with ledger.locked() as state:
        found = budgets._statuses(store, state, wanted, now)
    files = json.loads((store / ".budget" / "state.json").read_text())["files"]
    assert sum(e["slots"] is not None for e in files.values()) <= 5 < len(files)
    for status in found:
        window = query.Window(status.start_ms, status.end_ms)
        filters = query.Filters(agent="commit-writer") if status.budget.scope else query.Filters()
        scanned = query.stats_report(query.collect_scan(store, window, filters), window, filters)
        assert status.spent_usd == pytest.approx(scanned["totals"]["cost_usd"], rel=1e-12), status.budget.name
    # Weeks later (a new month): the old month's start file is no window's start any more.
    later = int(datetime(2026, 12, 3, 12, 0).timestamp() * 1000)
    with ledger.locked() as state:
        budgets._statuses(store, state, wanted, later)
    files = json.loads((store / ".budget" / "state.json").read_text())["files"]
    first = min(files)
    assert files[first]["slots"] is None and files[first]["scoped"]['[["agent","commit-writer"]]']["slots"] is None
    with ledger.locked() as state:  # a window starting in it again: read back with its slots
        budgets_ = budgets.Ledger(store)
        budgets_.refresh(state, budget_ledger.utc_midnight(first), later, cut={first})
        assert state["files"][first]["slots"]


def test_a_project_env_cannot_turn_off_or_move_the_store_a_budget_counts(isolated_env, capsys):
    from llm_core.config import load_settings
    from llm_core.errors import reset_warnings

    user = isolated_env / "config" / "llm-core" / "env"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text(f"LLM_BUDGET_DAILY_USD=5\nLLM_TELEMETRY_DIR={isolated_env / 'mine'}\n")
    user.chmod(0o600)
    work = isolated_env / "work"
    work.mkdir(exist_ok=True)
    environ = {"HOME": str(isolated_env / "home"), "XDG_CONFIG_HOME": str(isolated_env / "config")}
    (work / ".env").write_text("LLM_TELEMETRY_STORAGE_ENABLED=false\nLLM_TELEMETRY_DIR=/tmp/fresh\n")
    reset_warnings()
    s = load_settings(environ, work)
    assert (s.telemetry_enabled, s.telemetry_dir) == (True, isolated_env / "mine")
    assert s.sources["LLM_TELEMETRY_DIR"] == str(user)
    err = capsys.readouterr().err
    assert f"Warning: LLM_TELEMETRY_STORAGE_ENABLED from {work / '.env'} not used: your budgets" in err
    assert "LLM_TELEMETRY_DIR from" in err
    # Without a budget of the user's, or with the user's trust, the .env decides.
    s = load_settings({**environ, "LLM_TRUST_PROJECT_ENV": "1"}, work)
    assert (s.telemetry_enabled, str(s.telemetry_dir)) == (False, "/tmp/fresh")
    user.write_text("LLM_AGENT_NAME=me\n")
    s = load_settings(environ, work)
    assert (s.telemetry_enabled, str(s.telemetry_dir)) == (False, "/tmp/fresh")
    budgets_toml = isolated_env / "config" / "llm-core" / "budgets.toml"
    budgets_toml.write_text('[[budget]]\nname = "bot"\nagent = "bot"\nwindow = "day"\nlimit_usd = 1\n')
    s = load_settings(environ, work)
    assert s.telemetry_enabled is True and "LLM_TELEMETRY_DIR" not in s.sources
