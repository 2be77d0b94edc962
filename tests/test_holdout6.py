"""Holdout 6: a sixth independent set of constructed reports, scored against gold coded by hand.

`tests/data/holdout6/raw/` holds four reports in styles the other fixtures lack: 江西省 1987
(first year of “七五”, every figure in Chinese numerals: 二百四十六亿元, 百分之七点九,
二十三亿四千万元; 国民生产总值 and 国民收入; the plan's goals restated in a review section),
商丘地区 1994 (a 地区行政公署 report delivered by the 行署专员; compound figures 98亿6千万元;
“八五”前三年 and 到1995年 goals), 长阳土家族自治县 2008 (full-width digits, 、-lists with 分别,
“十一五”规划实施两年来) and 仙居县 2024 (a table flattened into text lines: 指标名称 单位 完成值
增长（%）, cells split by tabs or spaces, repeated in prose). The gold was coded by
`../shared/gold/GUIDE.md` and committed (0fb3f6e) before the extractor was run on these files;
see `tests/data/holdout6/README.md`.

Measured when the holdout was added (gold of 0fb3f6e, extractor at main 50a8963; no gold row
changed after the run):
    metadata accuracy 100% (all ten fields)
    indicators P 87.5%  R 84.4%  F1 85.9%  (119 of 141 gold rows, 136 predicted)
The thresholds below are these figures minus 5 points.
After the rules its error list called for were generalised (到YYYY年 past the plan year in a
review: the plan's goal; 达到三十亿元 in Chinese numerals is an amount, not a threshold; 厂 and
工业园 subjects are sub-units; a figure ranked 为全省之首 in the province's own report is a
sub-area's; 使 before a name) and tested on new constructed clauses: P 100% R 93.6% F1 96.7%.
Left: the flattened table's rows (9 gold rows of r4); rewriting them as sentences in
normalisation would put words into the text that the raw file does not hold (the evidence
spans must map back), so they need a table reader in the extractor.
"""
from __future__ import annotations

import csv
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

from govreport.indicators import extract_indicators

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout6"

MEASURED_METADATA = 1.0
MEASURED_F1 = 0.859


def _flat(path: Path) -> str:
    """The file's text as gold clauses quote it (whitespace removed)."""
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8"))


def test_holdout6_gold_is_consistent_with_its_files():
    """Every raw file is a gold report, every gold row names a coded report, every clause is in its file."""
    raw = {p.name: _flat(p) for p in (HOLDOUT / "raw").iterdir()}
    assert_gold_matches_files(HOLDOUT, raw)


def test_holdout6_r3_is_full_width_and_r4_holds_a_flattened_table():
    """r3's body has full-width digits only; r4's table rows are cells split by tabs or spaces."""
    r3 = (HOLDOUT / "raw" / "r3_changyang_2008.txt").read_text(encoding="utf-8")
    body = r3.split("\n", 3)[3]
    assert "４２．６亿元" in body and not re.search(r"[0-9]", body)
    assert (HOLDOUT / "src" / "r3_changyang_2008.txt").read_text(encoding="utf-8").count("42.6亿元") == 1
    r4 = (HOLDOUT / "raw" / "r4_xianju_2024.txt").read_text(encoding="utf-8")
    assert "规上工业增加值\t亿元\t96.3\t9.1" in r4 and "出口总额    亿元    186.2    -3.5" in r4


def test_holdout6_ranked_inside_own_region_is_a_sub_area():
    """…增长6.1%，为全省之首 in a province's report is a sub-area's figure; in a prefecture's report
    (居全省第一) the figure is the prefecture's own."""
    clause = "吉安地区克服旱情，粮食产量增长百分之六点一，为全省之首。全省粮食总产量增长百分之二点三。"
    province = extract_indicators(clause, section="review", review_year=1986, plan_year=1987, region="江西省")
    assert sorted(province["value"]) == [2.3]
    city = extract_indicators("全市粮食总产量增长6.1%，居全省第一。", section="review", review_year=1986,
                              plan_year=1987, region="吉安市")
    assert list(city["value"]) == [6.1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(HOLDOUT, tmp_path_factory.mktemp("holdout6_out"))


@needs_scorer
def test_holdout6_scores_do_not_regress(built):
    assert_scores_hold(HOLDOUT, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def test_holdout6_every_report_is_read(built):
    """All four reports come out as reports (the 行政公署 report too), none as errors."""
    assert_every_report_read(HOLDOUT, built)


def test_holdout6_keeps_goals_national_and_firm_figures_apart(built):
    """The 七五 goals restated in 江西省's review are targets, not outcomes; this year's national
    plan (7%), the 九江 works' output and the 开发区/工业园 outputs yield no rows."""
    with open(built / "indicators.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    r1 = [r for r in rows if r["source"].endswith("r1_jiangxi_1987.txt")]
    assert not [r for r in r1 if r["kind"] == "outcome" and r["horizon"] == "five_year"]
    assert not [r for r in r1 if r["kind"] == "target" and r["horizon"] == "annual" and float(r["value"] or 0) == 7]
    assert not [r for r in r1 if r["value"] in ("12", "12.0", "19", "19.0")]
    assert not [r for r in rows if r["source"].endswith("r3_changyang_2008.txt") and r["value"] in ("6.8", "41", "41.0")]
    assert not [r for r in rows if r["source"].endswith("r4_xianju_2024.txt") and r["value"] in ("218", "218.0", "10.7")]
