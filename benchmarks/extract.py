"""Indicator extraction throughput on one core, over distinct texts of >= 20 M characters.

The base reports are the seeds (data/raw) and, when present, the real reports in
../shared/real/raw. Each copy gets its own first line (第N稿) and its sections shifted to
match, so no two texts are equal and no per-text cache is ever hit by a repeated document;
the script checks that every text is distinct before timing.

Run: python benchmarks/extract.py [N_CHARS]   (prints characters per second and peak memory).
The rate is per CPU second of this one process (the wall-clock rate is printed too; it is lower
when other processes share the core).
"""

from __future__ import annotations

import dataclasses
import hashlib
import resource
import sys
import time
from pathlib import Path

import govreport
from govreport.indicators import _codepoints, _marks, extract_rows

ROOT = Path(__file__).resolve().parents[1]


def _base_documents() -> list:
    docs = list(govreport.read(ROOT / "data" / "raw").documents)
    real = ROOT.parent / "shared" / "real" / "raw"
    if real.is_dir():
        docs += govreport.read(real).documents
    return docs


def _copy(doc, k: int) -> tuple[str, list, dict]:
    """The k-th distinct copy of a report: a first line of its own, sections shifted."""
    head = f"第{k}稿\n"
    sections = [dataclasses.replace(s, start=s.start + len(head), end=s.end + len(head)) for s in doc.sections]
    return head + doc.text, sections, doc.meta


def main() -> int:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
    base = _base_documents()
    base_chars = sum(len(d.text) for d in base)
    copies = []
    k = 0
    while sum(len(t) for t, _, _ in copies) < target:
        copies += [_copy(d, k) for d in base]
        k += 1
    texts = {hashlib.sha1(t.encode()).hexdigest() for t, _, _ in copies}
    assert len(texts) == len(copies), "texts repeat: caches would be hit"
    chars = sum(len(t) for t, _, _ in copies)
    extract_rows(*_copy(base[0], -1)[:2])  # build the lexicon pattern once (start-up, not throughput)
    _codepoints.cache_clear()
    _marks.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    n_rows = 0
    for text, sections, meta in copies:
        n_rows += len(extract_rows(text, sections, review_year=meta.get("review_year"),
                                   plan_year=meta.get("plan_year"), region=meta.get("region") or "",
                                   level=meta.get("level") or ""))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    hits = _codepoints.cache_info().hits
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"base: {len(base)} reports, {base_chars:,} characters; {len(copies):,} distinct texts = {chars:,} characters")
    print(f"indicator extraction: {chars / cpu / 1e6:.2f} M characters per CPU second on one core "
          f"({cpu:.1f} s CPU, {n_rows:,} rows); {chars / dt / 1e6:.2f} M/s by the wall clock ({dt:.1f} s)")
    print(f"text cache hits across documents: none (each text is new; {hits:,} hits within a text)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
