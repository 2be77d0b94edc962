"""Indicator extraction throughput on one core over the seeds repeated to >= 20 M characters.

Run: python benchmarks/extract.py [N_CHARS]   (prints characters per second and peak memory)
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import govreport
from govreport.indicators import extract_corpus


def main() -> int:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    seeds = govreport.read(raw)
    seed_chars = sum(len(d.text) for d in seeds.documents)
    repeats = -(-target // seed_chars)
    corpus = govreport.Corpus(seeds.documents * repeats)
    extract_corpus(seeds)  # build the lexicon pattern once (start-up cost, not throughput)
    t0 = time.perf_counter()
    table = extract_corpus(corpus)
    dt = time.perf_counter() - t0
    chars = seed_chars * repeats
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"seeds: {len(seeds)} reports, {seed_chars:,} characters; repeated {repeats}x = {chars:,} characters")
    print(f"indicator extraction: {chars / dt / 1e6:.2f} M characters/s on one core ({dt:.1f} s, {len(table):,} rows)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
