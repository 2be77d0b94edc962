"""Indicator extraction throughput on one core over the seeds repeated to >= 20 M characters.

Run: python benchmarks/extract.py   (prints characters per second and peak memory)
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import govreport
from govreport.indicators import extract_indicators

TARGET_CHARS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000


def main() -> int:
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    corpus = govreport.read(raw)
    docs = corpus.documents
    seed_chars = sum(len(d.text) for d in docs)
    repeats = -(-TARGET_CHARS // seed_chars)
    extract_indicators(docs[0].text, docs[0].sections)  # build the lexicon pattern once
    t0 = time.perf_counter()
    rows = 0
    for _ in range(repeats):
        for d in docs:
            rows += len(extract_indicators(d.text, d.sections, review_year=d.meta["review_year"],
                                           plan_year=d.meta["plan_year"], source=d.source, part=d.part))
    dt = time.perf_counter() - t0
    chars = seed_chars * repeats
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"seeds: {len(docs)} reports, {seed_chars:,} characters; repeated {repeats}x = {chars:,} characters")
    print(f"indicator extraction: {chars / dt / 1e6:.2f} M characters/s on one core ({dt:.1f} s, {rows:,} rows)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
