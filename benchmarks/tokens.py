"""Benchmark of govreport.tokens: start-up cost, tokens per second, n_jobs=2 equality.

Run: ``python benchmarks/tokens.py [--repeat N] [--backend rjieba|jieba]``.
The seed reports in data/raw are repeated until the corpus has at least 2 M characters.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import govreport
from govreport.corpus import Corpus
from govreport.tokens import get_tokenizer, tokens

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backend", default="rjieba", choices=["rjieba", "jieba"])
    ap.add_argument("--min-chars", type=int, default=2_000_000)
    args = ap.parse_args()

    seeds = govreport.read(RAW)
    n_seed = sum(len(d.text) for d in seeds.documents)
    repeat = -(-args.min_chars // n_seed)
    corpus = Corpus(seeds.documents * repeat)
    n_chars = n_seed * repeat
    print(f"corpus: {len(seeds)} seed reports x {repeat} = {len(corpus)} reports, {n_chars:,} characters")

    t0 = time.perf_counter()
    tok = get_tokenizer(args.backend).load()
    print(f"start-up ({args.backend}: dictionary, lexicon, region names): "
          f"{time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    one = tokens(corpus, backend=args.backend)
    t1 = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw = sum(len(tok.tokenize(d.text)) for d in corpus.documents)
    t_raw = time.perf_counter() - t0
    t0 = time.perf_counter()
    two = tokens(corpus, backend=args.backend, n_jobs=2)
    t2 = time.perf_counter() - t0

    print(f"tokenize() only, 1 process: {raw / t_raw:,.0f} tokens/s, {n_chars / t_raw:,.0f} chars/s")
    print(f"tokens(), n_jobs=1: {len(one):,} rows in {t1:.2f} s = {len(one) / t1:,.0f} tokens/s, "
          f"{n_chars / t1:,.0f} chars/s")
    print(f"tokens(), n_jobs=2: {len(two):,} rows in {t2:.2f} s = {len(two) / t2:,.0f} tokens/s, "
          f"{n_chars / t2:,.0f} chars/s")
    same = one.equals(two)
    print(f"n_jobs=2 output identical to n_jobs=1: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
