"""Benchmark of the build's text measures (govreport.measures): start-up and chars/s.

Run: ``python benchmarks/measures.py [FOLDER] [--batch 8] [--reference]``
(FOLDER defaults to data/raw). Files are read first (not timed), then cut into batches of
``--batch`` files as a build's worker does; the first batch pays the one-time start-up
(tokenizer and matcher), the rest are timed warm, on one core. ``--reference`` also times
the tables composed from the public functions (token table, pandas), for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from govreport.corpus import Corpus
from govreport.pipeline import read_documents

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", nargs="?", default=str(RAW))
    ap.add_argument("--batch", type=int, default=8, help="files per batch (as a build)")
    ap.add_argument("--reference", action="store_true", help="also time the reference path")
    args = ap.parse_args()

    paths = sorted(str(p) for p in Path(args.folder).rglob("*") if p.is_file() and "." in p.name)
    docs = [read_documents(p)[0] for p in paths]
    batches = [Corpus([d for ds in docs[i : i + args.batch] for d in ds])
               for i in range(0, len(paths), args.batch)]
    batches = [b for b in batches if len(b)]
    for b in batches:
        b.reports  # noqa: B018  (built before the measures in a build too)
    n_chars = sum(len(d.text) for b in batches for d in b.documents)
    print(f"{args.folder}: {len(paths)} files, {sum(map(len, batches))} reports, {n_chars:,} characters, "
          f"{len(batches)} batches of {args.batch} files")
    if not batches:
        return

    import govreport  # noqa: F401  (registers govreport.attention)

    attention = sys.modules["govreport.attention"]
    t0 = time.perf_counter()
    attention._packaged_matcher("rjieba")
    print(f"start-up (tokenizer and matcher, once per process): {time.perf_counter() - t0:.2f} s")

    def timed(fn) -> tuple[float, float]:  # warm: every batch once, start-up already paid
        fn(batches[0])
        t, cpu = time.perf_counter(), time.process_time()
        for b in batches:
            fn(b)
        return time.perf_counter() - t, time.process_time() - cpu

    def show(label: str, t: float, cpu: float) -> None:  # CPU time: steadier on a shared machine
        print(f"{label}: {t:.2f} s wall, {cpu:.2f} s CPU = {n_chars / cpu / 1e6:.2f} M chars/s "
              "(one core, warm, CPU time)")

    show("text measures", *timed(attention.text_measures))
    if args.reference:
        show("reference (token table + pandas)", *timed(attention._text_measures_reference))


if __name__ == "__main__":
    main()
