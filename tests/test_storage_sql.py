"""SQL over the store (llm_core.storage.sql): the calls view answers what the reports answer,
over plain and gzip-compressed days alike, skips damage as they do, and never writes."""

from __future__ import annotations

import gzip
import random
import shutil
import sys
from pathlib import Path

import orjson
import pytest

from llm_core.errors import ConfigError, InputError
from llm_core.storage import query
from llm_core.storage.query import Filters, Window
from llm_core.storage.sql import CALLS_COLUMNS, SqlRefused, store_files
from llm_core.storage.sql import query as sql

pytest.importorskip("duckdb")

NOW = query.parse_when("2026-11-27T12:00:00Z")


def _odd(rng: random.Random, day: str, n: int) -> list[bytes]:
    """Records with the awkward values real stores have, as lines."""
    out = []
    for k in range(n):
        sec = rng.randrange(86_400)
        rec = {
            "id": f"{day}-{k}",
            "timestamp": f"{day}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{rng.randrange(1000):03d}Z",
            "model": rng.choice(["m1", "m2", None]), "agent_name": rng.choice(["a", "b", None]),
            "provider": "openai", "duration_ms": rng.choice([rng.randrange(1, 5000), 250.5, None]),
            "cost_usd": rng.choice([rng.random() / 100, None, "free", 1e300]),
            "success": rng.choice([True, True, False, None, "no"]),
            "tokens": rng.choice([{"input": 7, "output": 3}, {"input": 1, "output": 2, "total": 9},
                                  {"input": "x"}, None]),
            "metadata": rng.choice([{"project": "p", "team": "red"}, None]),
        }
        out.append(orjson.dumps(rec))
    return out


@pytest.fixture
def store(tmp_path, demo_store) -> Path:
    """A seeded demo store, a day of odd records, garbage lines and a torn last line."""
    root = demo_store(tmp_path / "store", days=6, calls=3000, seed=11, end_ms=NOW)
    rng = random.Random(5)
    with open(root / "2026-11-25" / "telemetry.jsonl", "ab") as f:
        f.write(b"\n".join(_odd(rng, "2026-11-25", 200)) + b"\nnot json\n[1,2]\n{\"no\": \"time\"}\n"
                b"{\"timestamp\": \"nope\"}\n{\"timestamp\": 12}\n")
    with open(root / "2026-11-27" / "telemetry.jsonl", "ab") as f:
        f.write(b'{"id": "torn", "timestamp": "2026-11-27T11:')
    return root


def _gzip_days(store: Path, days: list[str]) -> None:
    for day in days:
        plain = store / day / "telemetry.jsonl"
        with open(plain, "rb") as src, gzip.open(str(plain) + ".gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        plain.unlink()


def _costs_by(store: Path, by: str) -> dict:
    window = Window()
    rep = query.costs_report(query.collect_scan(store, window, Filters()), window, Filters(), by=by)
    return {b["key"]: (b["cost_usd"], b["calls"], b["unknown_cost_calls"]) for b in rep["breakdown"]}


def test_cost_by_model_equals_the_report(store):
    got = sql(store, "SELECT model, sum(cost_usd), count(*), count(*) FILTER (cost_usd IS NULL) "
                     "FROM calls GROUP BY 1")
    assert got.columns[0] == "model"
    assert {m: (float(c or 0), n, u) for m, c, n, u in got.rows} == _costs_by(store, "model")  # exactly


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Los_Angeles"])
def test_counts_by_local_day_equal_the_report(store, tz, zone):
    tz(zone)
    got = sql(store, "SELECT timestamp::DATE AS day, sum(cost_usd), count(*), "
                     "count(*) FILTER (cost_usd IS NULL) FROM calls GROUP BY 1 ORDER BY 1")
    assert {d.isoformat(): (float(c or 0), n, u) for d, c, n, u in got.rows} == _costs_by(store, "day")


def test_totals_equal_the_stats_report(store):
    window = Window()
    stats = query.stats_report(query.collect_scan(store, window, Filters()), window)["totals"]
    row = sql(store, "SELECT count(*), count(*) FILTER (NOT success), sum(tokens_input), sum(tokens_output), "
                     "sum(tokens_cache_read), sum(tokens_cache_write), sum(tokens_total) FROM calls").rows[0]
    tokens = stats["tokens"]
    assert row == (stats["calls"], stats["failures"], tokens["input"], tokens["output"],
                   tokens["cache_read"], tokens["cache_write"], tokens["total"])
    assert stats["calls"] > 3000  # the odd records are in, the 6 damaged lines are not


def test_compressed_days_read_like_plain_ones(store, tmp_path):
    plain = sql(store, "SELECT * FROM calls ORDER BY id, timestamp").rows
    mixed = tmp_path / "mixed"
    shutil.copytree(store, mixed)
    _gzip_days(mixed, ["2026-11-22", "2026-11-25"])
    assert any(f.endswith(".gz") for f in store_files(mixed))
    assert sql(mixed, "SELECT * FROM calls ORDER BY id, timestamp").rows == plain


def test_the_view_has_the_documented_columns_and_types(store):
    described = sql(store, "DESCRIBE calls").rows
    assert [(r[0], r[1]) for r in described] == [
        (name, {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}.get(kind, kind)) for name, kind, _ in CALLS_COLUMNS]


def test_flattened_fields_and_own_metadata(store):
    rows = sql(store, "SELECT metadata_project, metadata->>'team', tokens_total FROM calls "
                      "WHERE id = '2026-11-25-0' OR metadata->>'team' = 'red' LIMIT 1").rows
    assert rows == [("p", "red", rows[0][2])]
    assert sql(store, "SELECT count(*) FROM calls WHERE metadata->>'team' = 'red'").rows[0][0] > 10


def test_a_timestamp_without_a_zone_is_utc(tmp_path, tz):
    tz("Asia/Kolkata")
    (tmp_path / "s" / "2026-11-01").mkdir(parents=True)
    (tmp_path / "s" / "2026-11-01" / "telemetry.jsonl").write_text(
        '{"id": "a", "timestamp": "2026-11-01T20:00:00"}\n{"id": "b", "timestamp": "2026-11-01T20:00:00+00:00"}\n')
    rows = sql(tmp_path / "s", "SELECT id, timestamp::DATE, epoch(timestamp) FROM calls ORDER BY id").rows
    assert rows[0][1:] == rows[1][1:]
    assert rows[0][1].isoformat() == "2026-11-02"  # 20:00 UTC is 01:30 next day in Kolkata


def test_prompts_and_responses_views_exist_when_their_files_do(store):
    with pytest.raises(InputError, match="prompts"):
        sql(store, "SELECT * FROM prompts")
    day = store / "2026-11-27"
    (day / "prompts.jsonl").write_text('{"id": "a", "timestamp": "2026-11-27T10:00:00.000Z", "prompt": "hi"}\n'
                                      '{"id": "b", "timestamp": "2026-11-27T10:00:01.000Z", '
                                      '"prompt": [{"role": "user", "content": "yo"}]}\n{"id": "c", "tim')
    (day / "responses.jsonl").write_text('{"id": "a", "timestamp": "2026-11-27T10:00:00.000Z", "response": "hello"}\n')
    assert sql(store, "SELECT id, prompt FROM prompts ORDER BY id").rows == [
        ("a", "hi"), ("b", '[{"role":"user","content":"yo"}]')]
    assert sql(store, "SELECT id, response FROM responses").rows == [("a", "hello")]


def test_an_empty_or_missing_store(tmp_path):
    assert sql(tmp_path / "nothing", "SELECT count(*), sum(cost_usd) FROM calls").rows == [(0, None)]


@pytest.mark.parametrize("statement", [
    "INSERT INTO calls VALUES (1)",
    "COPY (SELECT * FROM calls) TO 'out.csv'",
    "ATTACH 'other.db'",
    "PRAGMA version",
    "SET threads = 1",
    "CREATE TABLE t AS SELECT * FROM calls",
    "INSTALL httpfs",
    "LOAD json",
    "EXPORT DATABASE 'dump'",
    "CALL pragma_version()",
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP VIEW calls",
])
def test_statements_that_write_are_refused(store, statement):
    before = sorted(p.name for p in store.rglob("*"))
    with pytest.raises(SqlRefused) as e:
        sql(store, statement)
    assert e.value.exit_code == 2
    assert sorted(p.name for p in store.rglob("*")) == before
    assert not Path("out.csv").exists() and not Path("other.db").exists()


def test_files_outside_the_store_cannot_be_read(store, tmp_path):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    with pytest.raises(InputError, match="disabled by configuration"):
        sql(store, f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')")


def test_bad_sql_is_bad_input(store):
    with pytest.raises(InputError, match="syntax error") as e:
        sql(store, "SELEC 1")
    assert e.value.exit_code == 3
    with pytest.raises(InputError, match="nope"):
        sql(store, "SELECT nope FROM calls")


def test_without_duckdb_the_error_names_the_extra(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(ConfigError, match=r"'sql' extra .*llm-cli-tools-core\[sql\]") as e:
        sql(store, "SELECT 1")
    assert e.value.exit_code == 4
