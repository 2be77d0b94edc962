"""Holdout 5: a fifth independent set of constructed reports, scored against gold coded by hand.

`tests/data/holdout5/raw/` holds five files, six reports, of every level and decade: 襄樊市 1999
in traditional characters (“九五”计划实施三年来, 到2000年 goals, 扣除价格因素实际增长, last
year's national GDP as background), 沭阳县 2003 as a GBK PDF-to-text conversion (hard-wrapped
lines, page numbers and a running header; 过去五年 1998–2002 and 今后五年 2003–2007 of a
congress term; 工业实现增加值, 到位县外资金, 城市化水平), 吉林省 2011 (十一五 review, 十二五
goals, 2011 list, a 名词解释 annex), 晏河乡 2015 (a 乡 with figures in 万元) and a scraped HTML
page holding 宁波市江北区 2022 (过去五年 2017–2021, a 2021 passage opened by 2021年，是…之年)
and a short 镇海区 2022 summary. The gold was coded by `../shared/gold/GUIDE.md` and
committed (d49b385; 6f7e312 on main after rebase) before the extractor was run on these files; see
`tests/data/holdout5/README.md`.

Measured when the holdout was added (gold of d49b385 = 6f7e312, extractor at 77ed9ce; no gold row
changed after the run):
    metadata accuracy 100% (all ten fields)
    indicators P 93.7%  R 88.1%  F1 90.8%  (223 of 253 gold rows, 238 predicted)
The thresholds below are these figures minus 5 points.
After the rules its error list called for were generalised (工业企业完成/实现增加值,
地方级财政收入, 利用省外资金, 城市化水平, 扣除价格因素 and 在…之年/情况下 between a level and
its growth, “九五”计划实施三年来 / 规划实施以来 as plan cues, 全国 figures in a local report or
a background piece, a sub-area subject left out in the next piece, 2021年，是… passages in a
five-year review, 稳中提质) and tested on new constructed clauses: F1 100% (no longer
independent).
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
    read_gold,
)

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "data" / "holdout5"

MEASURED_METADATA = 1.0
MEASURED_F1 = 0.908


def _flat(path: Path) -> str:
    """The file's text as gold clauses quote it (whitespace removed); r2 is GBK bytes."""
    data = path.read_bytes()
    text = data.decode("gbk") if "_pdf" in path.name else data.decode("utf-8")
    return re.sub(r"\s+", "", text)


def test_holdout5_gold_is_consistent_with_its_files():
    """Every raw file is a gold report, every gold row names a coded report, every clause is in its file."""
    raw = {p.name: _flat(p) for p in (HOLDOUT / "raw").iterdir()}
    assert_gold_matches_files(HOLDOUT, raw)
    parts = {(r["source"], r["part"]) for r in read_gold(HOLDOUT, "gold_reports.csv")}
    assert ("r5_ningbo_lianghui_2022.html", "1") in parts  # the page's second, short report


def test_holdout5_pdf_text_is_gbk_and_broken_like_a_conversion():
    """r2 is not UTF-8, its lines break numbers, and page numbers stand between its lines."""
    data = (HOLDOUT / "raw" / "r2_shuyang_2003_pdf.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    lines = data.decode("gbk").splitlines()
    assert "— 2 —" in lines
    assert any(re.search(r"\d$", a) and re.match(r"[\d.]", b) for a, b in zip(lines, lines[1:], strict=False))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(HOLDOUT, tmp_path_factory.mktemp("holdout5_out"))


@needs_scorer
def test_holdout5_scores_do_not_regress(built):
    assert_scores_hold(HOLDOUT, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def test_holdout5_every_report_is_read(built):
    """All six reports (two of them on one HTML page) come out as reports, none as errors."""
    assert_every_report_read(HOLDOUT, built)


def test_holdout5_keeps_national_and_glossary_figures_out(built):
    """Last year's national GDP growth (襄樊市) and the 名词解释 annex (吉林省) yield no rows."""
    with open(built / "indicators.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert not [r for r in rows if r["source"].endswith("r1_xiangfan_1999_trad.txt") and r["value"] in ("7.8",)]
    assert not [r for r in rows if r["source"].endswith("r3_jilin_2011.txt") and r["value"] in ("2.2", "770", "3")
                and r["indicator"] not in ("gdp_per_capita",)]
