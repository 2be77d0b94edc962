"""Decades: constructed reports of older decades and lower levels, scored against gold coded by hand.

`tests/data/decades/raw/` holds four reports (see `tests/data/decades/README.md`): 临安县 1986
(“六五” review, “七五” plan, 国民生产总值, 社会商品零售总额), 邹平县 1996 (Chinese-numeral years,
“八五” review, “九五” goals, 出口创汇, 亿公斤, 增长一成), 巢湖市 2006 (a prefecture that existed
1999-2010, one-line title with 二○○六年) and 鲁北镇 2017 (a township under a 旗, figures in 万元).

Measured with the extractor at 7fed221: metadata 100%, indicators F1 77.0%;
after the rules written for it (plan names before 十五, years in Chinese numerals, older
indicator names, 增产/减产, 成, 公斤): F1 100%. The thresholds are the latter minus 5 points.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from holdouts import assert_gold_matches_files, assert_scores_hold, build_holdout, needs_scorer

ROOT = Path(__file__).resolve().parents[1]
DECADES = ROOT / "tests" / "data" / "decades"

MEASURED_METADATA = 1.0
MEASURED_F1 = 1.0



def test_decades_gold_is_consistent_with_its_files():
    """Every raw file is a gold report and every gold clause is in its report."""
    raw = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in (DECADES / "raw").iterdir()}
    assert_gold_matches_files(DECADES, raw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_holdout(DECADES, tmp_path_factory.mktemp("decades_out"))


@needs_scorer
def test_decades_scores_do_not_regress(built):
    assert_scores_hold(DECADES, built, metadata=MEASURED_METADATA, f1=MEASURED_F1)


def _indicators(built: Path) -> list[dict]:
    with open(built / "indicators.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_older_plans_are_five_year_periods(built):
    """“九五” goals of a 1996 report are 1996-2000 targets, “六五” figures of a 1986 report 1981-1985 outcomes."""
    rows = _indicators(built)
    zouping = {(r["kind"], r["period"], r["metric"], r["value"], r["basis"]) for r in rows
               if r["source"] == "d1_zouping_1996.txt" and r["indicator"] == "gdp"}
    assert ("target", "1996-2000", "growth", "15.0", "average") in zouping
    assert ("target", "1996-2000", "level", "85.0", "end") in zouping
    linan = {(r["kind"], r["period"], r["metric"], r["value"]) for r in rows
             if r["source"] == "d4_linan_1986.txt" and r["indicator"] == "gdp"}
    assert ("outcome", "1981-1985", "growth", "14.7") in linan


def test_gnp_and_living_income_keep_their_definitions(built):
    """国民生产总值 is gdp marked gnp; 城镇居民人均生活费收入 is urban income marked living_expense;
    工农业总产值 is no section-3 indicator."""
    rows = _indicators(built)
    gnp = {r["definition"] for r in rows if r["indicator_text"] in ("国民生产总值", "人均国民生产总值")}
    assert gnp == {"gnp"}
    living = {r["definition"] for r in rows if r["indicator_text"] == "城镇居民人均生活费收入"}
    assert living == {"living_expense"}
    assert not [r for r in rows if "工农业" in r["indicator_text"]]
