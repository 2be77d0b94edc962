"""Hostile inputs: time and memory figures for issue 13's pathological files (prints them).

    python benchmarks/hostile.py            # 200 KB / 1 MB / 5 MB without a sentence end; 10 MB of short lines
    python benchmarks/hostile.py --quick    # smaller sizes

Each case runs in its own process so that its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PIECE = "全市地区生产总值增长5%，一般公共预算收入年均增长3%以上，城乡居民收入分别增长6%和7%，"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def case_no_sentence_end(kb: int) -> str:
    from govreport.indicators import extract_indicators

    text = PIECE * (kb * 1024 // len(PIECE.encode()))
    t0 = time.perf_counter()
    rows = extract_indicators(text, section="review", review_year=2025, plan_year=2026)
    dt = time.perf_counter() - t0
    return f"{kb:>6} KB without 。！？ or a line end: indicators {dt:6.1f} s ({len(rows)} rows), peak {_rss_mb():.0f} MB"


def case_short_lines(mb: int, stage: str) -> str:
    import tracemalloc

    from govreport.normalize import normalize
    from govreport.pipeline import process

    text = "增\n" * (mb * 1_000_000 // 4)  # 4 bytes a line in UTF-8
    if stage == "normalize":
        base = _rss_mb()
        t0 = time.perf_counter()
        normalize(text)
        dt = time.perf_counter() - t0
        rss = _rss_mb()
        sample = text[: len(text) // mb]  # tracemalloc slows allocation down: measured on 1 MB
        tracemalloc.start()
        normalize(sample)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        return (f"{mb:>4} MB of {len(text) // 2:,} short lines: normalise {dt:6.1f} s, process peak {rss:.0f} MB "
                f"(from {base:.0f} MB); traced peak on 1 MB of them {peak:.1f} MB ({peak:.1f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "lines.txt"
        p.write_text(text, encoding="utf-8")
        del text
        base = _rss_mb()
        t0 = time.perf_counter()
        res = process(str(p), max_bytes=50 * 2**20, time_limit=None)
        dt = time.perf_counter() - t0
    return (f"{mb:>4} MB of short lines, whole per-file pass: {dt:6.1f} s, {res.n_reports} reports, "
            f"process peak {_rss_mb():.0f} MB (from {base:.0f} MB)")


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--case":
        kind, arg = argv[1], argv[2]
        print(case_no_sentence_end(int(arg)) if kind == "run" else case_short_lines(int(arg), kind), flush=True)
        return
    quick = "--quick" in argv
    cases = [("run", kb) for kb in ((100, 400) if quick else (200, 1000, 5000))]
    cases += [("normalize", 2 if quick else 10), ("process", 2 if quick else 10)]
    for kind, arg in cases:
        out = subprocess.run([sys.executable, __file__, "--case", kind, str(arg)], capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
