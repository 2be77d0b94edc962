"""Holdout 2: a second, independent set of synthetic reports, scored against gold coded by hand.

`tests/data/holdout2/raw/` holds nine files: the State Council's report (country level, 十三五
review, 十四五 targets), a 2008 prefecture with 十一五 targets and the older statistical names,
an autonomous prefecture with an acting head and an unnamed 过去五年, a 2012 county reviewing
十一五, a county-level city whose whole text is one line, an HTML page, a Word conversion
(bookmarks, bold marks, a number broken across lines, a newspaper page-jump note), a township
with few figures, and a news article about a report (not a report). The gold was coded by
`../shared/gold/GUIDE.md` and committed (c1b5c3c) before the extractor was run on these files;
see `tests/data/holdout2/README.md`.

Measured when the holdout was added (gold of c1b5c3c, extractor at 0310068, no gold changed
after the run):
    metadata accuracy 100.0% on every field
    indicators P 93.7%  R 88.9%  F1 91.2%  (208 of 234 gold rows, 222 predicted)
    the news article was read as a report (region '市长顾建明代表市', 3 indicator rows) and gave
    no errors row -- see test_news_article_is_an_error_not_a_report.
After the rules its error list called for were generalised (a plan named in a sentence
with 到2010年 in the plan-year section, 过去的“十一五”时期 and the 五年间 that follows it,
由2005年的…增加到…, 全国/全州, 回落至, qualitative phrases about growth, the name a target
is compared with, lists of names before 促稳提质, news stories) and tested on new
constructed clauses, the score is 100%: no longer an independent figure. The thresholds stay
at the first, independent figures minus 5 points.
"""
from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from holdouts import assert_gold_matches_files, assert_scores_hold, build_holdout, needs_scorer

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout2"
NEWS = "news_changshu_2024.txt"

MEASURED_METADATA = 1.000
MEASURED_F1 = 0.912




def _flat(path: Path) -> str:
    """The file's text as gold clauses quote it: tags, ** marks and all whitespace removed."""
    s = path.read_text(encoding="utf-8")
    s = html.unescape(re.sub(r"<[^>]+>", "", s)).replace("**", "")
    return re.sub(r"\s+", "", s)



def test_holdout2_gold_is_consistent_with_its_files():
    """Every raw file but the news article is a gold report, and every gold clause is in its file."""
    raw = {p.name: _flat(p) for p in (HOLDOUT / "raw").iterdir()}
    assert_gold_matches_files(HOLDOUT, raw, not_reports=frozenset({NEWS}))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(HOLDOUT, tmp_path_factory.mktemp("holdout2_out"))


@needs_scorer
def test_holdout2_scores_do_not_regress(built):
    assert_scores_hold(HOLDOUT, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def test_news_article_is_an_error_not_a_report(built):
    with open(built / "errors.csv", encoding="utf-8-sig") as f:
        errors = [r for r in csv.DictReader(f) if Path(r["source"]).name == NEWS]
    with open(built / "reports.csv", encoding="utf-8-sig") as f:
        reports = [r for r in csv.DictReader(f) if Path(r["source"]).name == NEWS]
    assert errors, "the news article gave no errors row"
    assert not reports, f"the news article was read as a report: {reports[0].get('region')!r}"
