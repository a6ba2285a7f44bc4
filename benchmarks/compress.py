"""Measure gzip (the standard library, what old days are compressed with) against zstd (the
`zstandard` package, if installed) on a store's day files: size, compression and decompression
speed, against the cost of parsing the same lines.

    python benchmarks/make_store.py /tmp/llm-bench-store --days 30 --calls 1000000
    python benchmarks/compress.py --store /tmp/llm-bench-store --days 20

Prints ratios: plain bytes / compressed bytes, and times relative to gzip level 6 and to an
orjson parse of the same lines; then how much more history the default 100 MB cap holds.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from llm_core.records import gunzip, gzip_bytes, read_day_file  # noqa: E402
from llm_core.storage.day_summaries import day_files  # noqa: E402


def _timed(fn, data):
    start = time.perf_counter()
    out = fn(data)
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/llm-bench-store"))
    parser.add_argument("--days", type=int, default=20, help="how many day files to measure (the newest)")
    args = parser.parse_args(argv)
    files = [p for _, p in day_files(args.store)][-args.days:]
    if not files:
        print(f"no day files in {args.store}", file=sys.stderr)
        return 2
    data = [read_day_file(p) for p in files]
    plain = sum(map(len, data))
    start = time.perf_counter()
    for d in data:
        for line in d.splitlines():
            orjson.loads(line)
    t_parse = time.perf_counter() - start

    codecs = {f"gzip -{lv}": (lambda d, lv=lv: gzip_bytes(d, None, lv), gunzip) for lv in (1, 6, 9)}
    try:
        import zstandard

        for lv in (3, 9, 19):
            codecs[f"zstd -{lv}"] = (zstandard.ZstdCompressor(level=lv).compress,
                                     zstandard.ZstdDecompressor().decompress)
    except ImportError:
        print("zstandard is not installed: gzip only")
    print(f"{len(files)} day files, {plain / 1e6:.1f} MB plain; orjson parse of the lines: 1.00\n")
    print(f"{'codec':<10} {'plain/packed':>12} {'pack time':>10} {'unpack time':>12}   (times / parse time)")
    results = {}
    for name, (pack, unpack) in codecs.items():
        t_pack = t_unpack = 0.0
        packed = 0
        for d in data:
            t, blob = _timed(pack, d)
            t_pack += t
            packed += len(blob)
            t, back = _timed(unpack, blob)
            t_unpack += t
            assert back == d
        results[name] = (plain / packed, t_pack, t_unpack)
        print(f"{name:<10} {plain / packed:12.2f} {t_pack / t_parse:10.2f} {t_unpack / t_parse:12.2f}")
    ratio = results["gzip -6"][0]
    print(f"\ngzip -6 (what llm-core writes): the default 100 MB cap holds {ratio:.1f}x the days "
          f"(7 plain days aside); zlib {zlib.ZLIB_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
