"""Evidence-page speed: milliseconds to render the largest report, and a whole corpus's pages.

Run: python benchmarks/evidence.py [PATH ...]   (default: ../shared/real/raw when present,
else data/raw). Prints the largest report's size, its render time (median of 5), the page size,
and the time to write every page and the index, and the same for a synthetic report of about a
million characters (the largest repeated 30 times). With Chromium on PATH, also the time the
browser takes to load and lay out both pages from a file:// URL (one run each, less the time
an empty page takes).
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


def synthetic(doc, rows, k: int):
    """One report made of ``k`` copies of ``doc``'s raw text, with its rows in every copy."""
    import pandas as pd

    from govreport.corpus import Document
    from govreport.normalize import normalize

    mt = normalize("\n".join([doc.raw] * k))
    out, pos = [], 0
    for _ in range(k):
        at = mt.text.find(doc.text[:200], pos)
        if at < 0:
            break
        shifted = rows.assign(start=rows.start + at, end=rows.end + at)
        ok = [mt.text[s:e] == doc.text[s - at : e - at] for s, e in zip(shifted.start, shifted.end, strict=True)]
        out.append(shifted[ok])
        pos = at + len(doc.text)
    return Document("synthetic", 0, mt.text, mt.raw, mt.offsets), pd.concat(out, ignore_index=True)


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
    big_doc, big_rows = synthetic(big, rows, 30)
    t0 = time.perf_counter()
    page = evidence.render(big_doc, big_rows, page=True)
    dt = time.perf_counter() - t0
    print(f"synthetic report (the largest, 30 times): {len(big_doc.text):,} characters, {len(big_rows)} rows: "
          f"{dt * 1000:.0f} ms, page {len(page) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        evidence.write_pages(corpus, tmp, panel=panel)
        dt = time.perf_counter() - t0
        print(f"write_pages: {len(corpus)} pages + index in {dt:.2f} s ({dt / len(corpus) * 1000:.1f} ms per page)")
        browser = shutil.which("chromium")
        if browser:
            empty = Path(tmp) / "empty.html"
            empty.write_text("<!doctype html><title>x</title>", encoding="utf-8")
            synth = Path(tmp) / "synthetic.html"
            synth.write_text(evidence.render(big_doc, big_rows, page=True, font_url="fonts/" + evidence.FONT_FILE),
                             encoding="utf-8")
            base = _browse(browser, empty)
            for name, p in (("largest", Path(tmp) / evidence.page_name(big.source, big.part)), ("synthetic", synth)):
                print(f"chromium, {name} page: {_browse(browser, p) - base:.2f} s to load, lay out and draw "
                      f"(beyond the {base:.2f} s an empty page takes)")
    return 0


def _browse(browser: str, page: Path) -> float:
    """Seconds for headless Chromium to open ``page``, wait for its font and dump the DOM."""
    with tempfile.TemporaryDirectory() as profile:
        t0 = time.perf_counter()
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--dump-dom", page.as_uri()], capture_output=True, timeout=300)
        return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
