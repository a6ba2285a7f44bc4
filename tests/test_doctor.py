"""llm-telemetry doctor's checks (storage/doctor.py): what needs a hand, and what --fix repairs."""

from __future__ import annotations

import os
import stat
import time

from llm_core.config import get_settings
from llm_core.records import CONVERSATIONS_DIR, STORE_MARKER
from llm_core.storage.day_summaries import summaries, summary_path
from llm_core.storage.demo import write_demo
from llm_core.storage.doctor import examine
from llm_core.storage.location import find_store
from llm_core.storage.query import Window, collect, parse_when


def status(report: dict) -> dict[str, str]:
    return {c["name"]: c["status"] for c in report["checks"]}


def demo_store():
    where = find_store(get_settings().telemetry_dir)
    write_demo(where.path, days=4, calls=400, seed=5, end_ms=int(time.time() * 1000))
    summaries(where.path)
    return where


def test_a_fresh_store_is_healthy():
    where = demo_store()
    report = examine(where, get_settings())
    assert report["problems"] == 0 and report["state"] == "marked"
    assert set(status(report).values()) == {"ok"}


def test_month_rollups_are_the_stores_own_and_dropped_with_their_month():
    where = find_store(get_settings().telemetry_dir)
    write_demo(where.path, days=40, calls=400, seed=5, end_ms=parse_when("2026-11-27T12:00:00Z"))
    collect(where.path, Window())  # builds the roll-ups of October and November (closed months)
    assert summary_path(where.path, "2026-10").is_file()
    report = examine(where, get_settings())
    assert report["problems"] == 0 and set(status(report).values()) == {"ok"}
    for day in [p for p in where.path.iterdir() if p.name.startswith("2026-10")]:
        for f in day.iterdir():
            f.unlink()
        day.rmdir()
    report = examine(where, get_settings())
    assert "2026-10 (day gone)" in report["checks"][-2]["paths"]
    examine(where, get_settings(), fix=True)
    assert not summary_path(where.path, "2026-10").exists() and summary_path(where.path, "2026-11").exists()


def test_damaged_and_orphan_summaries_are_problems_that_fix_rebuilds():
    where = demo_store()
    days = sorted(p.name for p in where.path.iterdir() if p.name.startswith("20"))
    damaged = summary_path(where.path, days[0])
    damaged.write_bytes(damaged.read_bytes()[:20])  # truncated
    orphan = summary_path(where.path, "2001-01-01")
    orphan.write_bytes(b"x")
    report = examine(where, get_settings())
    assert status(report)["summaries"] == "problem"
    assert f"{days[0]} (damaged)" in report["checks"][-2]["paths"]
    fixed = examine(where, get_settings(), fix=True)
    assert status(fixed)["summaries"] == "fixed" and fixed["problems"] == 0
    assert not orphan.exists()
    assert status(examine(where, get_settings()))["summaries"] == "ok"


def test_modes_are_reported_and_fixed_never_through_a_link(tmp_path):
    where = demo_store()
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    day = sorted(p for p in where.path.iterdir() if p.name.startswith("20"))[0]
    os.chmod(day, 0o755)
    (day / "responses.jsonl").symlink_to(outside)
    report = examine(where, get_settings())
    assert status(report)["modes"] == "problem" and status(report)["links"] == "problem"
    examine(where, get_settings(), fix=True)
    assert stat.S_IMODE(day.stat().st_mode) == 0o700
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # the link's target is not the store's


def test_an_unmarked_store_is_marked_by_fix_and_a_foreign_folder_is_reported(tmp_path):
    where = demo_store()
    (where.path / STORE_MARKER).unlink()
    assert examine(where, get_settings())["state"] == "adoptable"
    assert examine(where, get_settings(), fix=True)["problems"] == 0
    assert (where.path / STORE_MARKER).is_file()
    home = tmp_path / "home-like"
    (home / "Documents").mkdir(parents=True)
    report = examine(find_store(home), get_settings())
    assert report["state"] == "foreign" and report["problems"] == 1
    assert os.listdir(home) == ["Documents"]


def test_torn_lines_of_a_conversation_are_counted_with_the_days():
    where = demo_store()
    folder = where.path / CONVERSATIONS_DIR
    folder.mkdir(mode=0o700)
    conversation = folder / "01KB0Z6N2Y3QABCDEFGHJKMNPQ.jsonl"
    conversation.write_bytes(b'{"role": "user", "content": "hi"}\n{"role": "assist')
    conversation.chmod(0o600)
    lines = examine(where, get_settings())["checks"]
    lines = next(c for c in lines if c["name"] == "lines")
    assert lines["status"] == "note" and lines["detail"].startswith("1 unreadable line ")
    assert lines["paths"] == [f"{CONVERSATIONS_DIR}/{conversation.name}: 1"]
