"""Holdout 4: a fourth independent set of synthetic reports, scored against gold coded by hand.

`tests/data/holdout4/raw/` holds nine files, eleven reports, in styles the earlier holdouts lack:
重庆市 2021 (a 直辖市: 十三五 review, 十四五 goals, 2021 targets), 甘肃省 2010 in older wording
(农民人均纯收入, 万元生产总值能耗, 十一五 first four years, a 十一五 goal restated), a 2015 county
(正安县) whose review is one long `、`-joined sentence with 占比 traps and 按可比价格计算/同比,
阿克苏市 2019 with figures in Chinese numerals and a 预计 reaching over six figures, 宜宾市 2018
(过去五年 with 累计/较“十二五”末/翻一番; targets with 力争/确保/争取, ranges, 不低于, 不超过),
a Markdown report (慈溪市 2023) whose pipe table repeats its target sentence, a CSV
(`标题,发布日期,正文`) with three county reports, a 街道 report (猎德街道) and a 区 report
(萧山区) full of sub-area figures. The gold was coded by `../shared/gold/GUIDE.md` and committed
(ea12d06) before the extractor was run on these files; see `tests/data/holdout4/README.md`.

Measured when the holdout was added (gold of ea12d06, extractor at 1f84c82 with the shared
working tree as it was; no gold row changed after the run):
    metadata accuracy 93.6% (region, level, parent, adcode, date 90.9%; speaker 81.8%; others 100%)
    indicators P 95.5%  R 94.0%  F1 94.8%  (300 of 319 gold rows, 314 predicted)
The thresholds below are these figures minus 5 points.
After the rules its error list called for were generalised (Chinese numerals with 万,
由2015年的…提高到2020年的…, “十一五”以来的四年 / 四年来, 确保“十一五”末…, a descriptive piece
with a year before 达到, cumulative words only from the figure's own piece, 辖区 and 前四年
lead-ins, 城 sub-areas, 城镇居民和农村居民…, 居民代表大会 headers of 街道, speakers with ·)
and tested on new constructed clauses: F1 99.4%, metadata 100% (no longer independent).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from holdouts import (
    assert_every_report_read,
    assert_scores_hold,
    build_holdout,
    needs_scorer,
    read_gold,
)

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout4"

MEASURED_METADATA = 0.936
MEASURED_F1 = 0.948




def _flat_parts(path: Path) -> dict[str, str]:
    """Each report's text as gold clauses quote it (whitespace removed), keyed by part."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as f:
            cells = [row["正文"] for row in csv.DictReader(f)]
    else:
        cells = [path.read_text(encoding="utf-8")]
    return {str(i): re.sub(r"\s+", "", s) for i, s in enumerate(cells)}



def test_holdout4_gold_is_consistent_with_its_files():
    """Every raw file is a gold report, every part exists, and every gold clause is in its part."""
    raw = {p.name: _flat_parts(p) for p in (HOLDOUT / "raw").iterdir()}
    reports, rows = read_gold(HOLDOUT, "gold_reports.csv"), read_gold(HOLDOUT, "gold_indicators.csv")
    assert {r["source"] for r in reports} == set(raw)
    parts = {(r["source"], r["part"]) for r in reports}
    assert parts == {(s, p) for s, ps in raw.items() for p in ps}
    for r in rows:
        assert (r["source"], r["part"]) in parts
        assert r["text"] in raw[r["source"]][r["part"]], r["text"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(HOLDOUT, tmp_path_factory.mktemp("holdout4_out"))


@needs_scorer
def test_holdout4_scores_do_not_regress(built):
    assert_scores_hold(HOLDOUT, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def test_holdout4_every_report_is_read(built):
    """All eleven reports (three of them rows of one CSV) come out as reports, none as errors."""
    assert_every_report_read(HOLDOUT, built)
