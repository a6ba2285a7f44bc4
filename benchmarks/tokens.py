"""How fast llm-tokens is, as whole processes, against `python -c pass` and plain tiktoken.

    python benchmarks/tokens.py            # ~1 minute
    python benchmarks/tokens.py --runs 5   # quicker, noisier

Targets (issue 3): `echo short text | llm-tokens` <= 150 ms median with tiktoken's exact count;
llm-tokens on 5 MB of text >= 2 M tokens/s. "plain tiktoken" is what a script using tiktoken
directly costs on a machine that already has tiktoken's downloaded cache (we lay that cache
out from the packaged files, so this runs offline too).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
PLAIN_TIKTOKEN = (
    "import sys, tiktoken; "
    "enc = tiktoken.get_encoding('o200k_base'); "
    "data = open(sys.argv[1], encoding='utf-8', errors='replace').read() "
    "if len(sys.argv) > 1 else sys.stdin.read(); "
    "print(len(enc.encode_ordinary(data)))"
)
SHORT = b"short text\n"


def tiktoken_cache(folder: Path) -> Path:
    """tiktoken's own download cache (file name = sha1 of the URL), filled from the package."""
    from llm_core.utils import _encodings

    folder.mkdir(parents=True, exist_ok=True)
    for name, url in URLS.items():
        raw = gzip.decompress(_encodings.source_file(name).read_bytes())
        (folder / hashlib.sha1(url.encode()).hexdigest()).write_bytes(raw)
    return folder


def corpus(path: Path, size: int = 5_000_000) -> Path:
    """5 MB of mixed text: Python sources, Markdown, prose in several scripts."""
    parts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(Path(os.__file__).parent.glob("*.py"))[:60]]
    parts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.rglob("*.md"))]
    parts.append(
        "Le cœur a ses raisons que la raison ne connaît point. Über allen Gipfeln ist Ruh.\n"
        "日本語の文章も少し混ぜておきます。中文文本也在这里。Русский текст тоже. 🙂👍🏽\n" * 200
    )
    text = "\n".join(parts)
    data = (text * (size // max(1, len(text.encode())) + 1)).encode()[:size]
    path.write_bytes(data.decode("utf-8", "ignore").encode())
    return path


def timed(cmd: list[str], runs: int, stdin: bytes | None = None, env: dict | None = None
          ) -> tuple[float, str]:
    """Median wall time (s) of `runs` runs, and the last stdout."""
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, input=stdin, capture_output=True, env=env, check=True)
        times.append(time.perf_counter() - start)
        out = result.stdout.decode().strip()
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per short measurement")
    parser.add_argument("--big-runs", type=int, default=7, help="runs per 5 MB measurement")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="llm-tokens-bench-"))
    try:
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"),
               "TIKTOKEN_CACHE_DIR": str(tiktoken_cache(work / "tiktoken"))}
        big = corpus(work / "5mb.txt")
        llm_tokens = [sys.executable, str(ROOT / "bin" / "llm-tokens")]
        plain = [sys.executable, "-c", PLAIN_TIKTOKEN]

        first, _ = timed(llm_tokens, 1, SHORT, env)  # builds the cached index
        base, _ = timed([sys.executable, "-c", "pass"], args.runs, None, env)
        short, ours = timed(llm_tokens, args.runs, SHORT, env)
        short_plain, theirs = timed(plain, args.runs, SHORT, env)
        assert ours == theirs, (ours, theirs)

        big_ours, out = timed([*llm_tokens, str(big)], args.big_runs, None, env)
        big_plain, theirs_big = timed([*plain, str(big)], args.big_runs, None, env)
        count = int(out.split()[0])
        assert count == int(theirs_big), (count, theirs_big)

        print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
              f"medians of {args.runs} (short) / {args.big_runs} (5 MB) runs")
        print(f"{'measurement':44} {'median':>9} {'vs pass':>8} {'vs tiktoken':>12}")
        rows = [
            ("python -c pass", base, None),
            ("llm-tokens, first run (builds the index)", first, None),
            ("echo short text | llm-tokens", short, short_plain),
            ("echo short text | plain tiktoken", short_plain, short_plain),
            (f"llm-tokens 5 MB ({count:,} tokens)", big_ours, big_plain),
            ("plain tiktoken 5 MB", big_plain, big_plain),
        ]
        for label, value, ref in rows:
            vs_ref = f"{value / ref:.2f}x" if ref else "-"
            print(f"{label:44} {value * 1000:7.0f}ms {value / base:7.1f}x {vs_ref:>12}")
        print(f"throughput: llm-tokens {count / big_ours / 1e6:.2f} M tokens/s, "
              f"plain tiktoken {count / big_plain / 1e6:.2f} M tokens/s")
        print(f"targets: short <= 150 ms: {'met' if short <= 0.150 else 'MISSED'}; "
              f"5 MB >= 2 M tokens/s: {'met' if count / big_ours >= 2e6 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
