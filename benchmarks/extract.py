"""Indicator extraction throughput on one core, measured the way the build runs it.

A build worker reads a batch of files (up to ``govreport.build.BATCH_BYTES`` of text and
``BATCH_FILES`` files) and ``Corpus.indicators`` calls
:func:`govreport.indicators.extract_corpus` on the batch: every report's rows, then one
DataFrame. This script times exactly that call, batch by batch, over distinct texts of
>= N characters (the one-time lexicon compilation is done before the clock starts).

The base reports are the seeds (data/raw), the real reports in ../shared/real/raw when
present, and the reports under ``--corpus DIR`` when given (e.g. a synthetic corpus). Each
copy gets its own numbered first line (第N稿) and its sections shifted to match, so no two
texts are equal and no per-text cache is hit by a repeated document; the script checks that every text
is distinct before timing.

Run: python benchmarks/extract.py [N_CHARS] [--corpus DIR]   (prints characters per CPU
second of this one process, the wall-clock rate, rows and peak memory).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import resource
import sys
import time
from pathlib import Path

import govreport
from govreport.build import BATCH_BYTES, BATCH_FILES
from govreport.corpus import Corpus
from govreport.indicators import extract_corpus

ROOT = Path(__file__).resolve().parents[1]


def _base_documents(extra: str | None) -> list:
    docs = list(govreport.read(ROOT / "data" / "raw").documents)
    real = ROOT.parent / "shared" / "real" / "raw"
    if real.is_dir():
        docs += govreport.read(real).documents
    if extra:
        docs += govreport.read(extra).documents
    return docs


def _copy(doc, k: int):
    """The k-th distinct copy of a report: a first line of its own, sections shifted."""
    head = f"第{k}稿\n"
    sections = [dataclasses.replace(s, start=s.start + len(head), end=s.end + len(head)) for s in doc.sections]
    return dataclasses.replace(doc, text=head + doc.text, sections=sections)


def _batches(docs: list) -> list[list]:
    """Consecutive reports grouped as the build groups files: by bytes of text and by count."""
    out: list[list] = [[]]
    size = 0
    for d in docs:
        n = len(d.text.encode())
        if out[-1] and (len(out[-1]) >= BATCH_FILES or size + n > BATCH_BYTES):
            out.append([])
            size = 0
        out[-1].append(d)
        size += n
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n_chars", nargs="?", type=int, default=20_000_000)
    ap.add_argument("--corpus", help="a directory of reports added to the base reports")
    args = ap.parse_args()
    base = _base_documents(args.corpus)
    base_chars = sum(len(d.text) for d in base)
    copies: list = []
    n = 0
    while n < args.n_chars:  # every copy numbered: distinct even where base texts repeat
        d = _copy(base[len(copies) % len(base)], len(copies))
        copies.append(d)
        n += len(d.text)
    assert len({hashlib.sha1(d.text.encode()).hexdigest() for d in copies}) == len(copies), "texts repeat"
    chars = sum(len(d.text) for d in copies)
    batches = _batches(copies)
    extract_corpus(Corpus([_copy(base[0], -1)]))  # compile the lexicon once (start-up, not throughput)
    cpu = wall = 0.0
    n_rows = 0
    for batch in batches:
        corpus = Corpus(batch)
        t0, c0 = time.perf_counter(), time.process_time()
        n_rows += len(extract_corpus(corpus))
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"base: {len(base)} reports, {base_chars:,} characters; {len(copies):,} distinct texts = {chars:,} "
          f"characters in {len(batches)} batches (as the build: <= {BATCH_BYTES:,} bytes, {BATCH_FILES} files)")
    print(f"extract_corpus: {chars / cpu / 1e6:.2f} M characters per CPU second on one core "
          f"({cpu:.2f} s CPU, {n_rows:,} rows); {chars / wall / 1e6:.2f} M/s by the wall clock ({wall:.2f} s)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
