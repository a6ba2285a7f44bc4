"""Against the real Pushgateway and Prometheus (Debian's packages, started on loopback).

Three processes make 50 calls each with LLM_PROMETHEUS_PUSHGATEWAY set; every call pushes
the store's cumulative metrics in the background. Prometheus, scraping the Pushgateway,
must then answer sum(llm_calls_total), the token sums and sum(llm_cost_usd_total) with
exactly what `llm-telemetry stats all --json` says.
"""

from __future__ import annotations

import base64
import json
import math
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, clean_environ
from fake_provider import KEYS, FakeProvider
from metrics_servers import NodeExporter, Prometheus, Pushgateway, dead_url
from prometheus_client.parser import text_string_to_metric_families

# Their processes count tokens: each would build the encodings' index first (~1 s of CPU).
pytestmark = pytest.mark.usefixtures("prebuilt_index")

CALLS = 50
# Each process: 50 calls, alternating two priced Anthropic models and the free echo model.
WORKER = """
import sys
from llm_core.clients import get_client
from llm_core.clients.anthropic_client import AnthropicClient
n, base, key, agent = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
clients = [AnthropicClient("claude-haiku-4-5", api_key=key, base_url=base),
           AnthropicClient("claude-sonnet-4-5", api_key=key, base_url=base),
           get_client("echo")]
for i in range(n):
    clients[i % 3].chat(f"call {i} from {agent}: " + "word " * (i % 7), agent_name=agent)
"""


def _env(tmp_path, **extra):
    env = clean_environ(tmp_path)
    env.update(extra)
    return env


def _stats(env, cwd) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), "stats", "all", "--json"],
                         env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["totals"]


def _wait_for(prom: Prometheus, promql: str, expected: float, timeout: float = 30.0,
              rel: float = 0.0) -> float | None:
    """PromQL's answer once it is `expected` (within `rel`: a sum of two stores' float costs
    may be added in another order), or the last answer after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        got = prom.query(promql)
        if got is not None and math.isclose(got, expected, rel_tol=rel, abs_tol=0.0):
            return got
        time.sleep(0.25)
    return got


@pytest.fixture(scope="module")
def servers():
    """One Pushgateway and Prometheus for the tests of this file (in one worker, they come
    first: marked slow): Prometheus scrapes a new target only some 5 s after it starts, so a
    pair per test cost each one those seconds. The tests' queries select their own project."""
    with Pushgateway() as pg, Prometheus(scrape=pg.address) as prom:
        yield pg, prom


@pytest.mark.slow
def test_three_processes_push_the_stores_exact_totals(servers, tmp_path):
    pg, prom = servers
    env = _env(tmp_path, LLM_PROMETHEUS_PUSHGATEWAY=pg.url)
    work = tmp_path / "work"
    with FakeProvider() as fake:
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(CALLS), fake.url("anthropic"),
                                   KEYS["anthropic"], f"agent-{i}"],
                                  env=env, cwd=work, stderr=subprocess.PIPE, text=True)
                 for i in range(3)]
        errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert errors == ["", "", ""]  # no warning: every push went through

    totals = _stats(_env(tmp_path), work)
    assert totals["calls"] == 3 * CALLS
    assert totals["cost_usd"] > 0
    expected = {
        'sum(llm_calls_total{project="work"})': totals["calls"],
        'sum(llm_call_errors_total{project="work"})': totals["failures"],
        'sum(llm_cost_usd_total{project="work"})': totals["cost_usd"],
        **{f'sum(llm_tokens_total{{project="work",type="{t}"}})': totals["tokens"][t]
           for t in ("input", "output", "cache_read", "cache_write")},
        'sum(llm_call_duration_seconds_count{project="work"})': totals["calls"],
    }
    for promql, value in expected.items():
        assert _wait_for(prom, promql, value) == value, promql
    assert prom.query('count(llm_calls_total{job="llm-core",agent="agent-1"})') == 3  # 3 models
    # The histogram has the counters' labels: each label set's _count is that set's calls.
    same = "on(job, instance, store, provider, model, agent, operation, project)"
    work_only = '{project="work"}'
    assert prom.query(f"count(llm_call_duration_seconds_count{work_only} == {same} llm_calls_total)") == 9
    assert prom.query(f"count(llm_calls_total{work_only})") == 9  # 3 agents x 3 models
    for i in range(3):
        assert prom.query(f'sum(llm_call_duration_seconds_count{{agent="agent-{i}"}})') == CALLS
        assert prom.query(f'sum(llm_call_duration_seconds_bucket{{agent="agent-{i}",le="+Inf"}})') == CALLS

    # A second push (on demand) changes nothing.
    cli = [sys.executable, str(ROOT / "bin" / "llm-telemetry"), "push", "--gateway", pg.url, "--json"]
    before = pg.metrics_text()
    pushed = subprocess.run(cli, env=_env(tmp_path), cwd=work, capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stderr
    keys = [g["grouping_key"] for g in json.loads(pushed.stdout)["groups"]]
    assert [(sorted(k), k["project"]) for k in keys] == [(["instance", "project", "store"], "work")]
    assert prom.query(f"count(count by (instance, project, store) (llm_calls_total{work_only}))") == 1  # one group
    prom.wait_for_scrape()
    for promql, value in expected.items():
        assert prom.query(promql) == value, promql
    assert _llm_lines(pg.metrics_text()) == _llm_lines(before)


@pytest.mark.slow
def test_two_stores_of_one_project_on_one_host_add_up(servers, tmp_path):
    """Two checkouts of project "api" on this host, each with its own store, both pushing
    after every call: PromQL's sums are the two stores' totals together, and pushing both
    again on demand lands in the same two groups and changes nothing."""
    pg, prom = servers
    sides = []
    with FakeProvider() as fake:
        for side, n in (("a", 8), ("b", 5)):
            work = tmp_path / side / "api"
            work.mkdir(parents=True)
            env = _env(tmp_path, LLM_TELEMETRY_DIR=str(work / ".llm-telemetry"))
            proc = subprocess.run([sys.executable, "-c", WORKER, str(n), fake.url("anthropic"),
                                   KEYS["anthropic"], f"agent-{side}"],
                                  env={**env, "LLM_PROMETHEUS_PUSHGATEWAY": pg.url}, cwd=work,
                                  capture_output=True, text=True, timeout=120)
            assert (proc.returncode, proc.stderr) == (0, "")
            sides.append((work, env, _stats(env, work)))
    both = [totals for _, _, totals in sides]
    assert [t["calls"] for t in both] == [8, 5]
    expected = {
        'sum(llm_calls_total{project="api"})': both[0]["calls"] + both[1]["calls"],
        'sum(llm_cost_usd_total{project="api"})': both[0]["cost_usd"] + both[1]["cost_usd"],
        **{f'sum(llm_tokens_total{{project="api",type="{t}"}})': both[0]["tokens"][t] + both[1]["tokens"][t]
           for t in ("input", "output")},
    }
    for promql, value in expected.items():
        assert _wait_for(prom, promql, value, rel=1e-12) == pytest.approx(value, rel=1e-12), promql
    assert prom.query('count(count by (instance, store) (llm_calls_total{project="api"}))') == 2

    before = pg.metrics_text()
    for work, env, _ in sides:
        cli = [sys.executable, str(ROOT / "bin" / "llm-telemetry"), "push", "--gateway", pg.url, "--json"]
        pushed = subprocess.run(cli, env=env, cwd=work, capture_output=True, text=True)
        assert pushed.returncode == 0, pushed.stderr
        store = str((work / ".llm-telemetry").resolve())
        assert [(g["grouping_key"]["project"], g["grouping_key"]["store"])
                for g in json.loads(pushed.stdout)["groups"]] == [("api", store)]
    prom.wait_for_scrape()
    for promql, value in expected.items():
        assert prom.query(promql) == pytest.approx(value, rel=1e-12), promql
    assert prom.query('count(count by (instance, store) (llm_calls_total{project="api"}))') == 2
    assert _llm_lines(pg.metrics_text()) == _llm_lines(before)

    # docs/teams.md's DELETE of one store's group leaves the other's.
    store = base64.urlsafe_b64encode(str((sides[0][0] / ".llm-telemetry").resolve()).encode()).decode()
    url = f"{pg.url}/metrics/job/llm-core/instance/{socket.gethostname()}/project/api/store@base64/{store}"
    with urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=5) as r:
        assert r.status == 202
    assert _wait_for(prom, 'sum(llm_calls_total{project="api"})', both[1]["calls"]) == both[1]["calls"]


def _llm_lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.startswith("llm_"))


def test_a_dead_pushgateway_is_one_warning_and_the_calls_go_on(tmp_path):
    env = _env(tmp_path, LLM_PROMETHEUS_PUSHGATEWAY=dead_url())
    code = ("from llm_core.clients import get_client\n"
            "c = get_client('echo')\n"
            "for i in range(20): c.chat(f'hello {i}')\n"
            "print('done')\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path / "work",
                          capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0 and proc.stdout == "done\n"
    warnings = proc.stderr.splitlines()
    assert len(warnings) == 1, proc.stderr
    assert warnings[0].startswith("Warning: metrics not pushed to http://127.0.0.1:")
    assert "Connection refused" in warnings[0]
    assert _stats(_env(tmp_path), tmp_path / "work")["calls"] == 20  # the calls were recorded
    assert elapsed < 20


def test_node_exporter_reads_each_stores_textfile_as_the_guide_writes_them(tmp_path):
    """docs/teams.md: `cd /srv/api && llm-telemetry metrics --output DIR/llm-api.prom` per
    store, node_exporter's textfile collector reading DIR: every series arrives, no error."""
    textfiles = tmp_path / "textfile"
    textfiles.mkdir()
    env = _env(tmp_path)
    del env["LLM_TELEMETRY_DIR"]  # the default, .llm-telemetry in each project
    code = "from llm_core.clients import get_client\nc = get_client('echo')\nfor i in range(N): c.chat(f'hi {i}')\n"
    calls = {"api": 7, "web": 5}
    for project, n in calls.items():
        work = tmp_path / project
        work.mkdir()
        subprocess.run([sys.executable, "-c", code.replace("N", str(n))], env=env, cwd=work, check=True)
        subprocess.run([sys.executable, str(ROOT / "bin" / "llm-telemetry"), "metrics", "--output",
                        str(textfiles / f"llm-{project}.prom")], env=env, cwd=work, check=True)
    with NodeExporter(textfiles) as ne:
        text = ne.metrics_text()
    assert "was collected before" not in ne.log()
    samples = [(s.name, s.labels, s.value) for family in text_string_to_metric_families(text)
               for s in family.samples]
    assert ("node_textfile_scrape_error", {}, 0.0) in samples
    for project, n in calls.items():
        def total(name, project=project):
            return sum(v for m, ls, v in samples if m == name and ls.get("project") == project)
        assert total("llm_calls_total") == n
        assert total("llm_call_duration_seconds_count") == n
