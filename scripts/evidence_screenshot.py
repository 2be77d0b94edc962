"""Screenshot of an evidence page in headless Chromium (the README's picture).

Run after ``make``: python scripts/evidence_screenshot.py [PAGE] [OUT.png]
(default: the seed page showing the most highlight categories on its first screen →
docs/figures/05_evidence_page.png). Needs Debian's ``chromium``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import govreport
from govreport import evidence

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=10000"]


def default_page(out: Path) -> Path:
    """The report with the most highlight categories in its first 2,500 characters."""
    ind = govreport.open(out).indicators
    top = ind[ind.start < 2500]
    best = max(top.groupby(["source", "part"], sort=False),
               key=lambda kv: len({evidence.category(r) for _, r in kv[1].iterrows()}))
    return out / "evidence" / evidence.page_name(best[0][0], int(best[0][1]))


def main() -> int:
    page = Path(sys.argv[1]) if len(sys.argv) > 1 else default_page(ROOT / "data" / "processed")
    png = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "figures" / "05_evidence_page.png"
    browser = shutil.which("chromium") or sys.exit("chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900",
                        f"--screenshot={png}", page.resolve().as_uri()], check=True, capture_output=True)
    print(f"{page} -> {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
