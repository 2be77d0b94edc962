"""Holdout 3: a third independent set of synthetic reports, scored against gold coded by hand.

`tests/data/holdout3/raw/` holds eight files, ten reports, in styles the earlier holdouts lack:
a 2026 provincial report (十四五 review, 十五五 main targets, 2026 targets), a 2005 prefecture
(Chinese-numeral date, 十五 review, 十五 goals restated with 到2005年), a real PDF drawn with
matplotlib (running header, page numbers, hard-wrapped lines), a .docx whose main targets are
also in a table, a Big5 file in traditional characters, review figures as numbered items
(`1. …；2. …`), a scraped listing page with three reports (one a two-line teaser), and a 旗
report with 预计 clauses, ranges and traps. The gold was coded by `../shared/gold/GUIDE.md` and
committed (0fb9cc3) before the extractor was run on these files; see
`tests/data/holdout3/README.md`.

Measured when the holdout was added (gold of 0fb9cc3, extractor at 7388ad2 with the shared
working tree as it was; no gold row changed after the run):
    metadata accuracy 97.0% (date 90%, speaker 80%, every other field 100%)
    indicators P 88.1%  R 78.1%  F1 82.8%  (193 of 247 gold rows, 219 predicted)
The thresholds below are these figures minus 5 points.
After the rules its error list called for were generalised (item numbers before a name,
title lines that are not headings, a heading naming the plan year, a header above an opening
without a title, 城乡常住居民, 完成…下达的…目标 for energy, 到2005年 with the plan ending
then, 城市化率, 科技新城 as a sub-area, 作报告 speakers, 预期增长 in a teaser) and tested on
new constructed clauses: F1 99.2% (the four extra rows are the k4 table targets, which the
gold leaves out by choice). No longer an independent figure.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from holdouts import (
    assert_every_report_read,
    assert_gold_matches_files,
    assert_scores_hold,
    build_holdout,
    needs_scorer,
)

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout3"

MEASURED_METADATA = 0.970
MEASURED_F1 = 0.828




def _flat(path: Path) -> str:
    """The file's text as gold clauses quote it: all whitespace removed (PDF: header/page marks too)."""
    if path.suffix == ".pdf":
        pdfplumber = pytest.importorskip("pdfplumber")
        with pdfplumber.open(path) as pdf:
            s = "\n".join(p.extract_text() or "" for p in pdf.pages)
        s = re.sub(r"\s+", "", s)
        return re.sub(r"—\d+—沛县人民政府工作报告", "", s)
    if path.suffix == ".docx":
        docx = pytest.importorskip("docx")
        s = "\n".join(p.text for p in docx.Document(path).paragraphs)
    elif "big5" in path.name:
        s = path.read_bytes().decode("big5")
    else:
        s = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", "", s)



def test_holdout3_gold_is_consistent_with_its_files():
    """Every raw file is a gold report, and every gold clause is in its file."""
    raw = {p.name: _flat(p) for p in (HOLDOUT / "raw").iterdir()}
    assert_gold_matches_files(HOLDOUT, raw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(HOLDOUT, tmp_path_factory.mktemp("holdout3_out"))


@needs_scorer
def test_holdout3_scores_do_not_regress(built):
    assert_scores_hold(HOLDOUT, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def test_holdout3_every_report_is_read(built):
    """All ten reports (three of them in one listing page) come out as reports, none as errors."""
    assert_every_report_read(HOLDOUT, built)
