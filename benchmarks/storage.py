"""How much does storing a telemetry record cost?

Prints, in one run:
  - caller side: µs per `store_telemetry` call (median and p99), what an LLM call pays;
  - end to end: records/s from one process until every record is on disk (store + flush);
  - the same line appended with a plain open-append-close per record, and with a locked
    append per record (portalocker), for scale;
and the ratios. Targets on a 2-core machine: caller side <= 5 µs median, end to end >= 50,000
records/s.

    python benchmarks/storage.py [--records 200000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

from llm_core.config import load_settings
from llm_core.storage.local import LocalStorage
from llm_core.telemetry import build_record


def sample_record() -> dict:
    return build_record(
        provider="anthropic", model="claude-haiku-4-5", tokens={"input": 500, "output": 200},
        duration_ms=1234, success=True, prompt="Write a commit message", response="Fix the bug",
        cost_usd=0.0015, agent_name="bench", operation="chat",
    )


def settings_for(folder: str, **env: str):
    return load_settings({"LLM_TELEMETRY_DIR": folder, "HOME": folder, **env}, cwd=Path(folder))


def caller_side(n: int, folder: str, record: dict | None = None) -> list[float]:
    """µs per store_telemetry(record) (default: a whole record, as the clients make it)."""
    storage = LocalStorage(settings=settings_for(folder))
    record = sample_record() if record is None else record
    storage.store_telemetry(record)  # first record of the day is written synchronously
    storage.flush()
    clock = time.perf_counter_ns
    samples = []
    for _ in range(n):
        t0 = clock()
        storage.store_telemetry(record)
        samples.append((clock() - t0) / 1000)
    storage.flush()
    return samples


def plain_dict() -> dict:
    """A record as the design's seed shows it: a plain dict, no id, no timestamp."""
    return {"provider": "anthropic", "model": "claude-haiku-4-5", "agent_name": "bench",
            "operation": "chat", "tokens": {"input": 500, "output": 200, "total": 700},
            "duration_ms": 1234, "success": True, "cost_usd": 0.0015}


def end_to_end(n: int, folder: str, **env: str) -> float:
    storage = LocalStorage(settings=settings_for(folder, **env))
    record = sample_record()
    t0 = time.perf_counter()
    for _ in range(n):
        storage.store_telemetry(record)
    storage.flush()
    return n / (time.perf_counter() - t0)


def plain_append(n: int, folder: str) -> float:
    path = os.path.join(folder, "plain.jsonl")
    line = orjson.dumps(sample_record(), option=orjson.OPT_APPEND_NEWLINE)
    t0 = time.perf_counter()
    for _ in range(n):
        with open(path, "ab") as f:
            f.write(line)
    return n / (time.perf_counter() - t0)


def locked_append(n: int, folder: str) -> float:
    import portalocker

    path = os.path.join(folder, "locked.jsonl")
    line = orjson.dumps(sample_record(), option=orjson.OPT_APPEND_NEWLINE)
    t0 = time.perf_counter()
    for _ in range(n):
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        portalocker.lock(fd, portalocker.LOCK_EX)
        os.write(fd, line)
        portalocker.unlock(fd)
        os.close(fd)
    return n / (time.perf_counter() - t0)


def record_call_cost(n: int, folder: str) -> float:
    """Median µs of build_record + store_telemetry with a given price (what a client pays)."""
    from llm_core.telemetry import record_call

    storage = LocalStorage(settings=settings_for(folder))
    kw = dict(provider="anthropic", model="claude-haiku-4-5", tokens={"input": 500, "output": 200},
              duration_ms=1234, success=True, prompt="Write a commit message", response="Fix the bug",
              cost_usd=0.0015, storage=storage)
    record_call(**kw)
    clock = time.perf_counter_ns
    samples = []
    for _ in range(n):
        t0 = clock()
        record_call(**kw)
        samples.append((clock() - t0) / 1000)
    storage.flush()
    return statistics.median(samples)


def count_lines(folder: str) -> int:
    return sum(p.read_bytes().count(b"\n") for p in Path(folder).rglob("telemetry.jsonl"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    n = parser.parse_args().records
    small = max(1, n // 10)
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {k: os.path.join(tmp, k) for k in ("caller", "dict", "e2e", "fsync", "plain", "locked", "call")}
        for d in dirs.values():
            os.makedirs(d)
        samples = caller_side(n, dirs["caller"])
        dict_samples = caller_side(small, dirs["dict"], plain_dict())  # the store adds id and timestamp
        e2e = end_to_end(n, dirs["e2e"])
        e2e_fsync = end_to_end(small, dirs["fsync"], LLM_TELEMETRY_FSYNC="true")
        plain = plain_append(small, dirs["plain"])
        locked = locked_append(small, dirs["locked"])
        call_us = record_call_cost(small, dirs["call"])
        assert count_lines(dirs["e2e"]) == n, "records lost in the end-to-end run"
        assert count_lines(dirs["caller"]) == n + 1, "records lost in the caller-side run"
        assert count_lines(dirs["dict"]) == small + 1, "records lost in the plain-dict run"

    median = statistics.median(samples)
    p99 = sorted(samples)[int(len(samples) * 0.99)]
    plain_us = 1e6 / plain
    dict_median = statistics.median(dict_samples)
    locked_us = 1e6 / locked
    print(f"records: {n:,} (plain/locked baselines: {small:,})")
    print(f"caller side store_telemetry: median {median:.2f} µs, p99 {p99:.2f} µs   (target <= 5 µs)")
    print(f"caller side, plain dict (no id/timestamp): median {dict_median:.2f} µs   (target <= 1.0x plain append)")
    print(f"end to end (store + flush):  {e2e:,.0f} records/s = {1e6 / e2e:.2f} µs/record   (target >= 50,000/s)")
    print(f"end to end with LLM_TELEMETRY_FSYNC=true: {e2e_fsync:,.0f} records/s (one fsync per batch)")
    print(f"record_call (build + store): median {call_us:.2f} µs   (ids, hashes, labels; price given)")
    print(f"plain open-append-close:     {plain:,.0f} records/s = {plain_us:.2f} µs/record")
    print(f"locked append per record:    {locked:,.0f} records/s = {locked_us:.2f} µs/record")
    print(f"ratio caller median / plain append:  {median / plain_us:.3f}  ({plain_us / median:.1f}x cheaper)")
    print(f"ratio plain-dict median / plain append: {dict_median / plain_us:.3f}   (target <= 1.0)")
    print(f"ratio plain-dict / prebuilt record:     {dict_median / median:.2f}x")
    print(f"ratio end to end / plain append:     {e2e / plain:.2f}x the throughput")
    print(f"ratio end to end / locked append:    {e2e / locked:.2f}x the throughput")


if __name__ == "__main__":
    main()
