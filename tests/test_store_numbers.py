"""Numbers that cannot break reports, and summaries that are checked, not trusted.

Absurd usages and costs are stored (a billed call is never lost) and summed exactly; negative,
non-numeric and implausible values are damage, counted as `invalid_values` and left out of
every sum. Damaged summary files are rebuilt, never read. A fuzz test checks every report
against a full scan written here with the json module and its own sums.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest

from llm_core.cli.telemetry import main
from llm_core.config import load_settings, reset_settings
from llm_core.storage import query
from llm_core.storage import totals as summary_json
from llm_core.storage._day_summary_file import read_summary, section_one_end
from llm_core.storage.collect import collect, collect_scan
from llm_core.storage.day_summaries import summaries, summary_path
from llm_core.storage.local import LocalStorage
from llm_core.storage.windows import ALL_TIME, Filters, Window
from llm_core.telemetry import build_record

NOW = "2026-11-27T12:00:00Z"
COMMANDS = ("stats", "costs", "models", "agents", "projects", "performance", "patterns")
REPORTS = [
    query.stats_report, query.models_report, query.agents_report, query.projects_report,
    query.performance_report, query.patterns_report,
    *[lambda c, w, f, by=by: query.costs_report(c, w, f, by=by) for by in query.BREAKDOWNS],
]


@pytest.fixture
def store(isolated_env, monkeypatch) -> Path:
    monkeypatch.setenv("LLM_TELEMETRY_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    query.reset_local_cache()
    reset_settings()
    yield Path(os.environ["LLM_TELEMETRY_DIR"])
    monkeypatch.undo()
    time.tzset()
    query.reset_local_cache()


def _storage(store: Path) -> LocalStorage:
    return LocalStorage(settings=load_settings({"LLM_TELEMETRY_DIR": str(store), "HOME": str(store)}, cwd=store))


def _json_report(capsys, *args: str) -> dict:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)  # exact integers of any size


# ---------------------------------------------------------------- absurd numbers

def test_absurd_usage_and_costs_are_stored_and_every_report_exits_0(store, capsys):
    storage = _storage(store)
    calls = [
        dict(tokens={"input": 1e20, "output": 5}, cost_usd=0.5),
        dict(tokens={"input": 10**30, "output": 1e300}, cost_usd=2e7),
        dict(tokens={"input": 3, "output": 4}, cost_usd=1e300),
        dict(tokens={"input": 3, "output": 4}, cost_usd=-5),
        dict(tokens={"input": 3, "output": 4}, cost_usd=float("nan")),
        dict(tokens={"input": 19 * 10**18, "output": 1}, cost_usd=9.3e6),
    ]
    for kw in calls:
        record = build_record(provider="p", model="m", duration_ms=10, success=True,
                              timestamp=datetime(2026, 11, 27, 10, tzinfo=timezone.utc), **kw)
        assert storage.store_telemetry(record) is True
    storage.flush()
    lines = (store / "2026-11-27" / "telemetry.jsonl").read_bytes().splitlines()
    assert len(lines) == len(calls)  # every billed call is on disk
    saved = [orjson.loads(line) for line in lines]
    assert saved[0]["tokens"]["input"] == 1e20 and saved[0]["converted_values"] == ["tokens.input", "tokens.total"]
    assert saved[1]["tokens"]["output"] == 1e300
    # The independent sum: tokens as the file holds them, costs that are plausible (>= 0,
    # < 1e15 USD) in 1e-12 USD; -5 and 1e300 are damage; NaN was written as null (unknown).
    inputs = sum(int(r["tokens"]["input"]) for r in saved)
    totals = sum(int(r["tokens"]["total"]) for r in saved)
    cost_units = round(0.5 * 10**12) + round(2e7 * 10**12) + round(9.3e6 * 10**12)
    for name in COMMANDS:
        report = _json_report(capsys, name, "all") if name == "stats" else _json_report(capsys, name, "--days", "3")
        assert report["invalid_values"] == 2, name
    stats = _json_report(capsys, "stats", "all")
    assert stats["totals"]["tokens"]["input"] == inputs
    assert stats["totals"]["tokens"]["total"] == totals
    assert stats["totals"]["cost_usd"] == cost_units / 10**12
    assert stats["totals"]["unknown_cost_calls"] == 3
    code = main(["costs", "--days", "3"])
    out = capsys.readouterr().out
    assert code == 0 and "2 calls with an invalid count, cost or latency" in out
    # The same through summary.json (storage/totals.py).
    entry = summary_json.refresh(storage, warn=False)["days"]["2026-11-27"]
    assert entry["invalid_values"] == 2 and entry["tokens"]["input"] == inputs


def test_negative_and_wrong_typed_numbers_are_damage_not_sums(tmp_path):
    store = tmp_path / "s"
    (store / "2026-11-27").mkdir(parents=True)
    base = {"timestamp": "2026-11-27T10:00:00.000Z", "model": "m", "duration_ms": 5, "cost_usd": 1.0,
            "tokens": {"input": 10, "output": 10, "total": 20}}
    odd = [
        {"cost_usd": -5}, {"cost_usd": "3"}, {"cost_usd": True}, {"duration_ms": -1},
        {"duration_ms": 1e16}, {"tokens": {"input": -10, "output": 10, "total": 20}},
        {"tokens": {"input": 10.9, "output": "7", "total": 20}}, {"tokens": [1, 2]},
        {"tokens": {"input": 10, "output": 10, "total": -20}},
    ]
    with open(store / "2026-11-27" / "telemetry.jsonl", "wb") as f:
        f.write(orjson.dumps(base) + b"\n")
        for change in odd:
            f.write(orjson.dumps({**base, **change}) + b"\n")
    for window in (ALL_TIME, Window(query.parse_when("2026-11-27T09:07:00Z"), None)):
        col = collect(store, window)
        assert col.combos == collect_scan(store, window).combos
        t = query.stats_report(col, window)["totals"]
        assert t["calls"] == 10 and t["invalid_values"] == 9
        assert t["cost_usd"] == 7.0 and t["unknown_cost_calls"] == 3
        assert t["tokens"]["input"] == 10 * 7 + 10  # 10.9 -> 10; -10 and [1, 2] add nothing
        assert t["tokens"]["output"] == 10 * 7 + 10  # "7" adds nothing
        assert t["tokens"]["total"] == 20 * 8  # -20 adds nothing
        assert query.performance_report(col, window)["overall"]["timed_calls"] == 8


# ---------------------------------------------------------------- summaries checked

def _damaged_store(tmp_path: Path) -> Path:
    store = tmp_path / "s"
    rng = random.Random(5)
    for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
        (store / day).mkdir(parents=True)
        with open(store / day / "telemetry.jsonl", "wb") as f:
            for k in range(300):
                sec = rng.randrange(86_400)
                f.write(orjson.dumps({
                    "timestamp": f"{day}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{k % 1000:03d}Z",
                    "model": rng.choice(["m1", "m2", "m3"]), "agent_name": rng.choice(["a", "b"]),
                    "duration_ms": rng.choice([rng.randrange(5000), rng.random() * 900]),
                    "cost_usd": rng.random() / 50, "success": rng.random() > 0.1,
                    "tokens": {"input": rng.randrange(900), "output": rng.randrange(300)},
                }) + b"\n")
    return store


WINDOWS = [
    (ALL_TIME, Filters()),
    (ALL_TIME, Filters(model="m2")),
    (Window(query.parse_when("2026-11-25T06:00:00Z"), query.parse_when("2026-11-27T18:15:00Z")), Filters()),
    (Window(query.parse_when("2026-11-26T06:07:00Z"), None), Filters(agent="a")),
]


def _all_reports(col, window, filters) -> list[dict]:
    return [report(col, window, filters) for report in REPORTS]


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "stale-copy"])
def test_a_damaged_summary_is_rebuilt_never_read(tmp_path, store, damage):
    src = _damaged_store(tmp_path)
    summaries(src)  # the summaries exist and are current
    rng = random.Random(damage)
    for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
        path = summary_path(src, day)
        data = bytearray(path.read_bytes())
        if damage == "flip":  # the binary sections: latencies (section 1) and groups (section 2)
            end1 = section_one_end(bytes(data))
            start1 = end1 - read_summary(path).meta["s1"]
            for at in range(start1 + 5, end1, 56):
                data[at] ^= 1 << rng.randrange(8)
            data[(end1 + len(data)) // 2] ^= 1 << rng.randrange(8)
        elif damage == "truncate":
            data = data[:rng.randrange(8, len(data) - 1)]
        elif damage == "empty":
            data = bytearray()
        else:  # another day's summary in its place: current-looking, but not this file's
            data = bytearray(summary_path(src, "2026-11-25" if day != "2026-11-25" else "2026-11-26").read_bytes())
        path.write_bytes(bytes(data))
        os.utime(path, ns=(1, 1))
    for window, filters in WINDOWS:
        expected = _all_reports(collect_scan(src, window, filters), window, filters)
        assert _all_reports(collect(src, window, filters), window, filters) == expected
    for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
        s = read_summary(summary_path(src, day))
        assert s is not None and s.rows()  # rebuilt and saved whole


def test_a_summary_written_by_the_previous_format_is_rebuilt(tmp_path):
    src = _damaged_store(tmp_path)
    summaries(src)
    path = summary_path(src, "2026-11-26")
    data = path.read_bytes()
    path.write_bytes(b"LLMTSUM3" + data[8:])
    assert read_summary(path) is None
    assert _all_reports(collect(src, ALL_TIME), ALL_TIME, Filters()) == _all_reports(
        collect_scan(src, ALL_TIME), ALL_TIME, Filters())


# ---------------------------------------------------------------- fuzz

def _fuzz_value(rng: random.Random, kind: str):
    """A number field's value: mostly sane, often absurd or wrong."""
    roll = rng.random()
    if roll < 0.55:
        return rng.randrange(5000) if kind != "cost" else rng.random() / 10
    return rng.choice([
        None, -rng.randrange(1, 99), -0.5, 1e20, 1e300, 10**19, 2**64 - 1, 10**25, 123456789012345678901234,
        "12", True, [1], {"n": 1}, 3.75, 0, 0.0, 1e15, 9.3e6, 2e7, -1e300,
    ])


def _fuzz_record(rng: random.Random, day: str) -> dict:
    sec = rng.randrange(86_400)
    rec: dict = {
        "timestamp": f"{day}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{rng.randrange(1000):03d}Z",
        "model": rng.choice(["m1", "m2", None, "", 7, "ü"]), "provider": rng.choice(["p", "q", None]),
        "agent_name": rng.choice(["a", "b", None]), "operation": rng.choice(["op", None]),
        "success": rng.choice([True, True, True, False, None, "no"]),
        "cost_usd": _fuzz_value(rng, "cost"), "duration_ms": _fuzz_value(rng, "dur"),
        "metadata": rng.choice([{"project": rng.choice(["x", "y", None])}, None, "z", {"deep": _nested(300)}]),
    }
    roll = rng.random()
    if roll < 0.8:
        rec["tokens"] = {k: _fuzz_value(rng, "tok") for k in rng.sample(
            ["input", "output", "cache_read", "cache_write", "total"], rng.randrange(1, 6))}
    elif roll < 0.9:
        rec["tokens"] = rng.choice([None, [1, 2], "many", 5])
    if rng.random() < 0.05:
        rec["timestamp"] = rng.choice([None, 17, "yesterday", f"{day[:5]}13-45T10:00:00.000Z", f"{day}T25:00:00.000Z"])
    for key in rng.sample(list(rec), rng.randrange(3)):
        if key != "timestamp":
            del rec[key]
    return rec


def _nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def _fuzz_line(rng: random.Random, day: str) -> bytes:
    roll = rng.random()
    if roll < 0.85:
        return json.dumps(_fuzz_record(rng, day)).encode()  # big ints exactly, as any writer might
    return rng.choice([
        b'{"timestamp": "' + day.encode() + b'T10:00:00.000Z", "cost_usd": NaN}',
        b'{"timestamp": "' + day.encode() + b'T10:00:00.000Z", "cost_usd": Infinity}',
        b'{"timestamp": "' + day.encode() + b'T10:00:00.000Z", "model": "\xff\xfe"}',
        b'{"torn": ', b"[1, 2]", b'"text"', b"", b"   ", b"null", b"{}", b"\x00\x01",
        b'{"timestamp": "' + day.encode() + b'T10:00:00.000Z", "tokens": {"input": 1e400}}',
    ])


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class Scan:
    """The reference: every record read with the json module, its own rules, its own sums."""

    def __init__(self, store: Path) -> None:
        self.records: list[tuple] = []
        self.bad = 0
        for day in sorted(os.listdir(store)):
            path = store / day / "telemetry.jsonl"
            if not path.is_file():
                continue
            for line in path.read_bytes().split(b"\n")[:-1]:
                if not line.strip():
                    continue
                got = self._record(line)
                if got is None:
                    self.bad += 1
                else:
                    self.records.append(got)

    @staticmethod
    def _load(line: bytes):
        try:
            return json.loads(line.decode("utf-8"), parse_constant=_reject_constant,
                              parse_int=Scan._int, parse_float=Scan._float)
        except (ValueError, RecursionError):
            return None

    @staticmethod
    def _int(text: str):
        value = int(text)  # beyond 64 bits, a reader gets the nearest float (orjson's rule)
        return value if -(2**63) <= value < 2**64 else float(value)

    @staticmethod
    def _float(text: str) -> float:
        value = float(text)
        if math.isinf(value):
            raise ValueError("out of range")
        return value

    def _record(self, line: bytes):
        obj = self._load(line)
        if type(obj) is not dict or type(obj.get("timestamp")) is not str:
            return None
        try:
            ts = datetime.strptime(obj["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
        meta = obj.get("metadata")

        def text(v):
            return None if v is None or v == "" else str(v)

        dims = (text(meta.get("project") if type(meta) is dict else None), text(obj.get("agent_name")),
                text(obj.get("operation")), text(obj.get("model")), text(obj.get("provider")),
                obj.get("success") is not False)
        bad = False

        def count(v):
            nonlocal bad
            if v is None:
                return 0
            if type(v) in (int, float) and v >= 0:
                return int(v)
            bad = True
            return 0

        tok = obj.get("tokens")
        if type(tok) is dict:
            parts = [count(tok.get(k)) for k in ("input", "output", "cache_read", "cache_write")]
            total = count(tok["total"]) if tok.get("total") is not None else sum(parts)
        else:
            bad |= tok is not None
            parts, total = [0, 0, 0, 0], 0
        cost, units = obj.get("cost_usd"), None
        if type(cost) in (int, float) and 0 <= cost < 1e15:
            units = cost * 10**12 if type(cost) is int else round(cost * 10**12)
        else:
            bad |= cost is not None
        d = obj.get("duration_ms")
        if type(d) in (int, float) and 0 <= d < 1e15:
            d = float(d)
        else:
            bad |= d is not None
            d = None
        ms = int(ts.timestamp() * 1000)
        return ms, dims, parts, total, units, d, bad

    def select(self, window: Window, filters: Filters) -> list[tuple]:
        return [r for r in self.records if window.contains(r[0]) and filters.match(r[1])]


def _expected_metrics(recs: list[tuple]) -> dict:
    cost = sum(r[4] for r in recs if r[4] is not None)
    durs = [r[5] for r in recs if r[5] is not None]
    calls = len(recs)
    ok = sum(1 for r in recs if r[1][5])
    return {
        "calls": calls, "successes": ok, "failures": calls - ok,
        "error_rate": round((calls - ok) / calls, 6) if calls else 0.0,
        "tokens": {"input": sum(r[2][0] for r in recs), "output": sum(r[2][1] for r in recs),
                   "cache_read": sum(r[2][2] for r in recs), "cache_write": sum(r[2][3] for r in recs),
                   "total": sum(r[3] for r in recs)},
        "cost_usd": cost / 10**12, "unknown_cost_calls": sum(1 for r in recs if r[4] is None),
        "invalid_values": sum(1 for r in recs if r[6]),
        "avg_ms": round(sum(round(d * 1000) for d in durs) / 1000 / len(durs), 3) if durs else None,
    }


def _nearest_rank(values: list[float], p: float):
    if not values:
        return None
    v = sorted(values)[max(1, math.ceil(p / 100 * len(values))) - 1]
    return int(v) if v.is_integer() else v


def test_fuzz_every_report_equals_an_independent_scan(store):
    rng = random.Random(20261127)
    days = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    for day in days:
        (store / day).mkdir(parents=True)
        with open(store / day / "telemetry.jsonl", "wb") as f:
            f.write(b"\n".join(_fuzz_line(rng, day) for _ in range(400)) + b"\n")
    # A later append of more of the same, so summaries are also extended, not only built.
    summaries(store)
    with open(store / days[-1] / "telemetry.jsonl", "ab") as f:
        f.write(b"\n".join(_fuzz_line(rng, days[-1]) for _ in range(200)) + b"\n")
    scan = Scan(store)
    assert scan.bad > 20 and sum(r[6] for r in scan.records) > 100  # the fuzz does reach damage
    windows = [(ALL_TIME, Filters()), (ALL_TIME, Filters(model="m1")),
               (Window(query.parse_when("2026-11-25T03:07:00Z"), query.parse_when("2026-11-27T20:00:00Z")),
                Filters(agent="a")),
               (Window(query.parse_when("2026-11-25T00:00:00Z"), query.parse_when("2026-11-26T00:00:00Z")),
                Filters())]
    for window, filters in windows:
        col = collect(store, window, filters)
        recs = scan.select(window, filters)
        assert col.corrupt_lines == scan.bad
        stats = query.stats_report(col, window, filters)
        expected = _expected_metrics(recs)
        assert {k: stats["totals"][k] for k in expected} == expected
        assert stats["invalid_values"] == sum(1 for r in recs if r[6])
        durs = [r[5] for r in recs if r[5] is not None]
        assert [stats["latency_ms"][k] for k in ("p50", "p95", "p99")] == [
            _nearest_rank(durs, p) for p in (50, 95, 99)]
        for entry in query.models_report(col, window, filters, top=100)["models"]:
            mine = [r for r in recs if (r[1][3], r[1][4]) == (entry["model"], entry["provider"])]
            assert {k: entry[k] for k in _expected_metrics(mine)} == _expected_metrics(mine)
        for entry in query.projects_report(col, window, filters)["projects"]:
            mine = [r for r in recs if r[1][0] == entry["project"]]
            assert {k: entry[k] for k in _expected_metrics(mine)} == _expected_metrics(mine)
        for entry in query.agents_report(col, window, filters)["agents"]:
            mine = [r for r in recs if (r[1][1], r[1][2]) == (entry["agent"], entry["operation"])]
            assert {k: entry[k] for k in _expected_metrics(mine)} == _expected_metrics(mine)
        costs = query.costs_report(col, window, filters, by="day")
        for entry in costs["breakdown"]:
            mine = [r for r in recs if datetime.fromtimestamp(r[0] / 1000, timezone.utc).date().isoformat()
                    == entry["key"]]
            assert entry["cost_usd"] == sum(r[4] for r in mine if r[4] is not None) / 10**12
        for entry in query.performance_report(col, window, filters)["by_model"]:
            durs = [r[5] for r in recs if r[1][3] == entry["model"] and r[5] is not None]
            assert [entry[k] for k in ("p50", "p95", "p99")] == [_nearest_rank(durs, p) for p in (50, 95, 99)]
        hours = [0] * 24
        for r in recs:
            hours[datetime.fromtimestamp(r[0] / 1000, timezone.utc).hour] += 1
        assert query.patterns_report(col, window, filters)["by_hour"] == hours
        # and the summaries' path equals the library's own scan, report by report
        assert _all_reports(col, window, filters) == _all_reports(collect_scan(store, window, filters), window, filters)
