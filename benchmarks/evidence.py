"""Evidence-page speed: milliseconds to render the largest report, and a whole corpus's pages.

Run: python benchmarks/evidence.py [PATH ...]   (default: ../shared/real/raw when present,
else data/raw). Prints the largest report's size, its render time (median of 5), the page size,
and the time to write every page and the index. Optionally, with Chromium on PATH, the time the
browser takes to load and lay out that page (one run, from a file:// URL).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport import evidence

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    paths = sys.argv[1:] or [str(p) for p in (ROOT.parent / "shared" / "real" / "raw", ROOT / "data" / "raw")
                             if p.is_dir()][:1]
    corpus = govreport.read(paths)
    ind = corpus.indicators
    panel = govreport.panel(corpus)
    big = max(corpus.documents, key=lambda d: len(d.text))
    rows = ind[(ind.source == big.source) & (ind.part == big.part)]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        page = evidence.render(big, rows, page=True)
        times.append(time.perf_counter() - t0)
    print(f"corpus: {paths} — {len(corpus)} reports, {len(ind)} indicator rows")
    print(f"largest report: {big.source} part {big.part}: {len(big.text):,} characters, {len(rows)} rows")
    print(f"render: {statistics.median(times) * 1000:.1f} ms per page (median of 5); page {len(page) / 1024:.0f} KiB")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        evidence.write_pages(corpus, tmp, panel=panel)
        dt = time.perf_counter() - t0
        print(f"write_pages: {len(corpus)} pages + index in {dt:.2f} s ({dt / len(corpus) * 1000:.1f} ms per page)")
        browser = shutil.which("chromium")
        if browser:
            url = (Path(tmp) / evidence.page_name(big.source, big.part)).as_uri()
            with tempfile.TemporaryDirectory() as profile:
                t0 = time.perf_counter()
                subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                "--no-first-run", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                                "--dump-dom", url], capture_output=True, timeout=120)
                print(f"chromium: start, load and lay out the largest page in {time.perf_counter() - t0:.2f} s "
                      "(one run, browser start-up included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
