"""What llm-core adds to an LLM call, measured against the local fake provider.

    python benchmarks/chat.py [--calls 300] [--runs 20]

1. Per call: `get_client().chat()` (request building, retries wrapper, parsing, cost, one
   telemetry record written by the store) minus a raw `httpx` POST of the same body and
   headers on a kept-alive connection. Target: <= 1 ms median.
2. Per process: `llm-chat --no-stream "hi"` start to exit, against `python -c pass`.
   Target: <= 250 ms.

The fake server runs in its own process so it does not share the GIL with the measurements.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from startup import enter_clean_env  # noqa: E402  (benchmarks/startup.py)


def start_fake() -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fake_provider.py")],
        stdout=subprocess.PIPE, text=True,
    )
    port = int(proc.stdout.readline())
    return proc, port


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def per_call(port: int, calls: int) -> tuple[float, float]:
    import httpx
    from fake_provider import KEYS

    from llm_core.clients import get_client
    from llm_core.storage.local import get_storage

    base = f"http://127.0.0.1:{port}"
    client = get_client("anthropic", "claude-haiku-4-5", api_key=KEYS["anthropic"], base_url=base)
    from llm_core.clients.response import Call

    call = client._prepare("Write a commit message for: fix typo", None, stream=False)
    url, headers, body = client._url(call), client._headers(call), client._body(call)
    raw = httpx.Client(timeout=30)
    for _ in range(20):  # warm both connections and caches
        raw.post(url, headers=headers, json=body).json()
        client.chat("Write a commit message for: fix typo")
    raw_times, ours = [], []
    for _ in range(calls):  # interleaved so drift hits both alike
        t = time.perf_counter()
        raw.post(url, headers=headers, json=body).json()
        raw_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        client.chat("Write a commit message for: fix typo")
        ours.append(time.perf_counter() - t)
    get_storage().flush()
    assert isinstance(call, Call)
    return median_ms(raw_times), median_ms(ours)


def per_process(port: int, runs: int, env: dict[str, str]) -> tuple[float, float]:
    env = {
        **env,
        "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ANTHROPIC_API_KEY": "sk-ant-test-0123456789abcdef",
    }

    def timed(cmd: list[str]) -> float:
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False)
            samples.append(time.perf_counter() - t)
            if done.returncode != 0:
                raise SystemExit(f"{cmd} failed: {done.stderr.decode()}")
        return median_ms(samples)

    timed([str(ROOT / "bin" / "llm-chat"), "--no-stream", "hi"])  # warm the page cache
    python = timed([sys.executable, "-c", "pass"])
    chat = timed([str(ROOT / "bin" / "llm-chat"), "--no-stream", "hi"])
    return python, chat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = enter_clean_env(tmp)
        fake, port = start_fake()
        try:
            raw, ours = per_call(port, args.calls)
            python, chat = per_process(port, args.runs, env)
        finally:
            fake.terminate()
            fake.wait()
        records = sum(1 for p in Path(tmp, "telemetry").glob("*/telemetry.jsonl") for _ in p.open())
    overhead = ours - raw
    print(f"per call ({args.calls} calls, medians): raw httpx POST {raw:.3f} ms, "
          f"get_client().chat() {ours:.3f} ms")
    print(f"  overhead {overhead:.3f} ms per call (target <= 1 ms): "
          f"{'OK' if overhead <= 1 else 'OVER'}; ratio {ours / raw:.2f}x; {records} telemetry records written")
    print(f"per process ({args.runs} runs, medians): python -c pass {python:.0f} ms, "
          f"llm-chat --no-stream {chat:.0f} ms (target <= 250 ms): {'OK' if chat <= 250 else 'OVER'}; "
          f"ratio {chat / python:.1f}x python's own start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
