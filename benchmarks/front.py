"""Throughput of the front of the per-file stage on one core: read → simplify → normalise →
split → metadata → sections (:func:`govreport.pipeline.read_documents`), then the batch glue
without text measures (reports, sections and indicator tables, batches of 8 files).

Run: python benchmarks/front.py [CORPUS_DIR] [--profile N]   (default data/raw).
Prints characters per second (normalised characters, per CPU second of this process) for each
part; the first pass over the corpus warms caches and is not counted. ``--profile N`` prints
the top N functions of the front by cumulative time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from govreport.pipeline import process_batch, read_documents
from govreport.read import iter_files

ROOT = Path(__file__).resolve().parents[1]


def _front(files: list[Path]) -> int:
    n = 0
    for f in files:
        docs, _ = read_documents(f)
        n += sum(len(d.text) for d in docs)
    return n


def _batches(files: list[Path]) -> int:
    n = 0
    for i in range(0, len(files), 8):
        res = process_batch([str(f) for f in files[i : i + 8]], measures=False)
        n += sum(f.n_chars for f in res.files)
    return n


def main() -> int:
    args = sys.argv[1:]
    top = 0
    if "--profile" in args:
        i = args.index("--profile")
        top = int(args[i + 1])
        del args[i : i + 2]
    root = Path(args[0]) if args else ROOT / "data" / "raw"
    files = list(iter_files([root]))
    _front(files[:20])  # warm: lazy loads (OpenCC, divisions) are start-up, not throughput
    if top:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.runcall(_front, files)
        pstats.Stats(pr).sort_stats("cumulative").print_stats(top)
    for name, run in (("read→sections", _front), ("batches without measures", _batches)):
        c0, t0 = time.process_time(), time.perf_counter()
        n = run(files)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        print(f"{name}: {len(files)} files, {n / 1e6:.2f} M chars in {cpu:.2f} s CPU ({wall:.2f} s wall) "
              f"= {n / cpu / 1e6:.2f} M chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
