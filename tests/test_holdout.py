"""Holdout: synthetic reports in styles the seeds lack, scored against gold coded by hand.

`tests/data/holdout/raw/` holds eight files (nine reports): a province, a prefecture with a
十二五 review and 十三五 goals, a 直辖市 district, a PDF conversion with hard-wrapped lines
and page markers, a full-width/CRLF/markdown county, a traditional-character county, a CSV
export of two web pages, and a GB18030 township. The gold (`gold_reports.csv`,
`gold_indicators.csv`) was coded by `../shared/gold/GUIDE.md` before the extractor was run on
these files; see `tests/data/holdout/README.md`.

Measured when the holdout was added (gold of commit 8eade6d, extractor at 562dc91):
    metadata accuracy 100.0% on every field (mean 100.0%)
    indicators P 95.7%  R 91.4%  F1 93.5%  (224 of 245 gold rows, 234 predicted)
Caveat: 562dc91 (township parent from 在诸暨市委…) was written from this holdout's h8 file
while it was still uncommitted in the shared working tree; with the extractor just before it
(77fe4fa) metadata is parent 88.9%, province 88.9% (h8 missing both), mean 97.8%, and the
indicator scores are the same. The independent metadata figure is therefore 97.8%.
After the rules its error list called for were generalised (unnamed 过去五年 = the five
years to the review year, 同口径增长, a threshold in the next clause piece, 分别 after
、-joined figures, energy-saving targets without 约束性, 以上 after 、 not spread) and tested
on new constructed clauses, the score is 100% / F1 100% — no longer an independent measure,
so the threshold stays at the first, independent figure minus 5 points.
"""
from __future__ import annotations

import re
from pathlib import Path

from holdouts import assert_gold_matches_files, assert_scores_hold, build_holdout, needs_scorer

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout"

MEASURED_METADATA = 1.000
MEASURED_F1 = 0.935




def _raw_text(path: Path) -> str:
    b = path.read_bytes()
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("gb18030")


def test_holdout_gold_is_consistent_with_its_files():
    """Every gold report names a raw file, and every gold clause is in its file."""
    raw = {p.name: re.sub(r"\s+", "", _raw_text(p)) for p in (HOLDOUT / "raw").iterdir()}
    assert_gold_matches_files(HOLDOUT, raw)


@needs_scorer
def test_holdout_scores_do_not_regress(tmp_path):
    assert_scores_hold(HOLDOUT, build_holdout(HOLDOUT, tmp_path), metadata=MEASURED_METADATA, f1=MEASURED_F1)
