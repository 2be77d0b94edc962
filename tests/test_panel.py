"""The panel: targets joined with outcomes across regions, years and the hierarchy."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from govreport.panel import PANEL_COLUMNS, compare, panel, region_history

REGIONS = {
    "山东省": ("province", "", "山东省", "370000"),
    "济南市": ("prefecture", "山东省", "山东省", "370100"),
    "平阴县": ("county", "济南市", "山东省", "370124"),
    "商河县": ("county", "济南市", "山东省", ""),  # no adcode: matched by name
    "济阳区": ("county", "济南市", "山东省", "370115"),
}


def make_corpus(reports: list[tuple[str, int]], rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports (region, delivery year) and indicator rows keyed by ``source``.

    Each report's source is ``"<region><year>.txt"``; it reviews ``year - 1`` and plans ``year``.
    Indicator rows need ``source``, ``kind``, ``indicator``, ``value``; the rest default to an
    annual growth figure in % for the report's plan year (targets) or review year (outcomes).
    """
    rep = []
    for region, year in reports:
        level, parent, province, adcode = REGIONS[region]
        rep.append({
            "source": f"{region}{year}.txt", "part": 0, "region": region, "level": level,
            "parent": parent, "province": province, "adcode": adcode, "year": year,
            "review_year": year - 1, "plan_year": year, "date": f"{year}-01-20", "speaker": "",
            "title": "政府工作报告",
        })
    reports_df = pd.DataFrame(rep)
    for col in ("year", "review_year", "plan_year"):
        reports_df[col] = reports_df[col].astype("Int64")
    years = {r["source"]: r["year"] for r in rep}
    ind = []
    for i, r in enumerate(rows):
        y = years[r["source"]]
        kind = r["kind"]
        d = {
            "source": r["source"], "part": 0, "kind": kind, "horizon": "annual",
            "period": str(y if kind == "target" else y - 1), "indicator": r["indicator"],
            "indicator_text": r.get("indicator_text", r["indicator"]), "metric": "growth",
            "value": np.nan, "value_high": np.nan, "unit": "%",
            "qualifier": "about" if kind == "target" else "exact", "basis": "year",
            "estimate": False, "text": "", "start": i * 10, "end": i * 10 + 8, "section": 1,
            "commitment": "",
        }
        d.update(r)
        ind.append(d)
    return reports_df, pd.DataFrame(ind)


def row(p: pd.DataFrame, region: str, indicator: str = "gdp", period: str = "2025", **kw) -> pd.Series:
    sel = p[(p["region"] == region) & (p["indicator"] == indicator) & (p["period"] == period)]
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


# ----------------------------------------------------------------------------- joins


def test_target_outcome_join_county_two_years():
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0,
             "text": "地区生产总值增长6%左右", "indicator_text": "地区生产总值"},
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "retail_sales", "value": 5.0,
             "qualifier": "at_least"},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 6.2,
             "text": "地区生产总值增长6.2%"},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "retail_sales", "value": 4.1},
            # the 2026 report's own targets have no outcome yet
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.5},
        ],
    )
    p = panel((reports, ind))
    assert list(p.columns) == PANEL_COLUMNS
    g = row(p, "平阴县")
    assert (g["target"], g["target_qualifier"], g["outcome"]) == (6.0, "about", 6.2)
    assert g["target_source"] == "平阴县2025.txt#0"
    assert g["outcome_source"] == "平阴县2026.txt#0"
    assert g["target_text"] == "地区生产总值增长6%左右"
    assert g["outcome_text"] == "地区生产总值增长6.2%"
    assert g["adcode"] == "370124" and g["level"] == "county" and g["parent"] == "济南市"
    assert g["gap"] == pytest.approx(0.2)
    assert g["met"] is True or g["met"] == True  # noqa: E712 - pandas BooleanDtype scalar
    assert not g["outcome_estimate"]
    r = row(p, "平阴县", "retail_sales")
    assert r["gap"] == pytest.approx(-0.9) and r["met"] == False  # noqa: E712
    nxt = row(p, "平阴县", period="2026")
    assert nxt["target"] == 6.5 and np.isnan(nxt["outcome"]) and pd.isna(nxt["met"])
    assert np.isnan(nxt["gap"])
    assert p["met"].dtype == "boolean" and p["met_strict"].dtype == "boolean"
    assert p["period"].map(type).eq(str).all()


def test_outcome_without_target_is_kept():
    reports, ind = make_corpus(
        [("平阴县", 2026)],
        [{"source": "平阴县2026.txt", "kind": "outcome", "indicator": "budget_revenue", "value": 3.1}],
    )
    p = panel((reports, ind))
    r = row(p, "平阴县", "budget_revenue")
    assert r["outcome"] == 3.1 and np.isnan(r["target"]) and pd.isna(r["met"]) and r["unit"] == "%"


def test_final_figure_preferred_over_preliminary():
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026), ("平阴县", 2027)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 5.8,
             "estimate": True, "text": "预计地区生产总值增长5.8%"},
            # the 2027 report restates 2025 without 预计
            {"source": "平阴县2027.txt", "kind": "outcome", "indicator": "gdp", "value": 6.1,
             "period": "2025", "text": "2025年地区生产总值增长6.1%"},
            # 2026: only a preliminary figure exists
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.5},
            {"source": "平阴县2027.txt", "kind": "outcome", "indicator": "gdp", "value": 6.3,
             "estimate": True},
        ],
    )
    p = panel((reports, ind))
    r = row(p, "平阴县", period="2025")
    assert r["outcome"] == 6.1
    assert r["outcome_estimate"] == False  # noqa: E712
    assert r["outcome_source"] == "平阴县2027.txt#0"
    assert r["outcome_preliminary"] == 5.8
    assert r["outcome_preliminary_source"] == "平阴县2026.txt#0"
    assert r["outcome_text"] == "2025年地区生产总值增长6.1%"
    assert r["gap"] == pytest.approx(0.1)
    r = row(p, "平阴县", period="2026")
    assert r["outcome"] == 6.3 and r["outcome_estimate"] == True  # noqa: E712
    assert np.isnan(r["outcome_preliminary"])


def test_first_target_by_source_order_and_numeric_before_qualitative():
    reports, ind = make_corpus(
        [("平阴县", 2026)],
        [
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "budget_revenue",
             "value": np.nan, "qualifier": "qualitative", "unit": ""},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.5},
        ],
    )
    p = panel((reports, ind))
    assert row(p, "平阴县", period="2026")["target"] == 6.0
    q = row(p, "平阴县", "budget_revenue", "2026")
    assert q["target_qualifier"] == "qualitative" and np.isnan(q["target"])


# ----------------------------------------------------------------------------- met and gap


def _one(qualifier: str, target: float, outcome: float, *, high: float = np.nan,
         indicator: str = "gdp", unit: str = "%", outcome_unit: str | None = None,
         metric: str = "growth", **kw) -> pd.Series:
    """Panel of one region with an indicators frame that carries its own region columns."""
    base = {"source": "x.txt", "part": 0, "region": "平阴县", "level": "county", "parent": "济南市",
            "province": "山东省", "adcode": "370124", "horizon": "annual", "period": "2025",
            "indicator": indicator, "metric": metric, "unit": unit, "basis": "year", "text": ""}
    ind = pd.DataFrame([
        {**base, "kind": "target", "value": target, "value_high": high, "qualifier": qualifier,
         "estimate": False},
        {**base, "source": "y.txt", "kind": "outcome", "value": outcome, "value_high": np.nan,
         "qualifier": "exact", "estimate": False,
         "unit": unit if outcome_unit is None else outcome_unit},
    ])
    p = panel(ind, **kw)
    assert len(p) == 1
    return p.iloc[0]


@pytest.mark.parametrize(
    ("qualifier", "target", "high", "outcome", "met", "met_strict", "gap"),
    [
        ("about", 6.0, np.nan, 6.3, True, True, 0.3),
        ("about", 6.0, np.nan, 5.6, True, False, -0.4),   # within 0.5 points
        ("about", 6.0, np.nan, 5.5, True, False, -0.5),   # at the edge
        ("about", 6.0, np.nan, 5.4, False, False, -0.6),
        ("at_least", 7.0, np.nan, 7.0, True, True, 0.0),
        ("at_least", 7.0, np.nan, 6.9, False, False, -0.1),
        ("exact", 5.0, np.nan, 5.0, True, True, 0.0),
        ("exact", 5.0, np.nan, 4.8, False, False, -0.2),
        ("at_most", 3.0, np.nan, 2.5, True, True, -0.5),
        ("at_most", 3.0, np.nan, 3.2, False, False, 0.2),
        ("range", 6.0, 6.5, 6.2, True, True, 0.2),
        ("range", 6.0, 6.5, 7.0, True, True, 1.0),
        ("range", 6.0, 6.5, 5.9, False, False, -0.1),
    ],
)
def test_met_and_gap_by_qualifier(qualifier, target, high, outcome, met, met_strict, gap):
    r = _one(qualifier, target, outcome, high=high)
    assert r["met"] == met
    assert r["met_strict"] == met_strict
    assert r["gap"] == pytest.approx(gap)
    assert r["target_qualifier"] == qualifier
    if qualifier == "range":
        assert r["target_high"] == high


def test_qualitative_target_gives_na():
    r = _one("qualitative", np.nan, 6.0, unit="", outcome_unit="%")
    assert pd.isna(r["met"]) and pd.isna(r["met_strict"]) and np.isnan(r["gap"])
    assert r["outcome"] == 6.0 and r["unit"] == "%"


def test_tolerance_parameter():
    assert _one("about", 6.0, 5.4, tolerance=1.0)["met"] == True  # noqa: E712
    assert _one("about", 6.0, 5.9, tolerance=0.0)["met"] == False  # noqa: E712


def test_ceilings_and_falls_turn_the_comparison_round():
    # 城镇登记失业率控制在5.5%左右 (a level, lower is better)
    assert _one("about", 5.5, 5.2, indicator="unemployment_rate", metric="level")["met"] == True  # noqa: E712
    assert _one("about", 5.5, 6.2, indicator="unemployment_rate", metric="level")["met"] == False  # noqa: E712
    # 单位地区生产总值能耗下降3%左右 → -3; a fall of 3.4% meets it
    assert _one("about", -3.0, -3.4, indicator="energy_intensity")["met"] == True  # noqa: E712
    assert _one("about", -3.0, -2.0, indicator="energy_intensity")["met"] == False  # noqa: E712


def test_outcome_in_another_unit_of_the_family_is_converted():
    r = _one("at_least", 400.0, 4_100_000.0, metric="level", unit="亿元", outcome_unit="万元")
    assert r["unit"] == "亿元" and r["outcome"] == pytest.approx(410.0)
    ind_outcome_unit = "万元"
    base = {"source": "x.txt", "part": 0, "region": "平阴县", "level": "county", "parent": "济南市",
            "province": "山东省", "adcode": "370124", "horizon": "annual", "period": "2025",
            "indicator": "gdp", "metric": "level", "basis": "year", "estimate": False}
    ind = pd.DataFrame([
        {**base, "kind": "target", "value": 400.0, "unit": "亿元", "qualifier": "at_least"},
        {**base, "source": "y.txt", "kind": "outcome", "value": 4_100_000.0, "unit": ind_outcome_unit,
         "qualifier": "exact"},
    ])
    r = panel(ind).iloc[0]
    assert r["outcome"] == pytest.approx(410.0) and r["gap"] == pytest.approx(10.0)
    assert r["met"] == True  # noqa: E712
    # an incompatible unit is not compared
    ind.loc[1, "unit"] = "万吨"
    r = panel(ind).iloc[0]
    assert np.isnan(r["gap"]) and pd.isna(r["met"])


# ----------------------------------------------------------------------------- hierarchy


def _city_and_counties() -> pd.DataFrame:
    reports, ind = make_corpus(
        [("山东省", 2026), ("济南市", 2026), ("平阴县", 2026), ("商河县", 2026), ("济阳区", 2026)],
        [
            {"source": "山东省2026.txt", "kind": "target", "indicator": "gdp", "value": 5.5},
            {"source": "济南市2026.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 7.0},
            {"source": "商河县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.5,
             "qualifier": "at_least"},
            {"source": "济阳区2026.txt", "kind": "target", "indicator": "gdp", "value": 6.0,
             "qualifier": "range", "value_high": 6.5},
            # a county target for an indicator the city does not set
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "retail_sales", "value": 6.0},
        ],
    )
    return panel((reports, ind))


def test_amplification_city_and_counties():
    p = _city_and_counties()
    assert row(p, "平阴县", period="2026")["parent_target"] == 6.0
    assert row(p, "平阴县", period="2026")["amplification"] == pytest.approx(1.0)
    assert row(p, "商河县", period="2026")["amplification"] == pytest.approx(0.5)  # matched by name
    # a 6%-6.5% range counts at its middle (it used to count at its lower bound: 0.0)
    assert row(p, "济阳区", period="2026")["amplification"] == pytest.approx(0.25)
    assert row(p, "商河县", period="2026")["amplification_strength"] == 1  # 以上 under 左右
    assert row(p, "济南市", period="2026")["amplification"] == pytest.approx(0.5)  # city vs province
    assert np.isnan(row(p, "山东省", period="2026")["parent_target"])
    assert np.isnan(row(p, "平阴县", "retail_sales", "2026")["amplification"])
    # levels are ordered province → prefecture → county
    assert list(dict.fromkeys(p["level"])) == ["province", "prefecture", "county"]


def test_parent_found_by_adcode_when_parent_name_missing():
    base = {"part": 0, "horizon": "annual", "period": "2026", "indicator": "gdp", "metric": "growth",
            "unit": "%", "basis": "year", "kind": "target", "qualifier": "about", "estimate": False}
    ind = pd.DataFrame([
        {**base, "source": "c.txt", "region": "济南市", "level": "prefecture", "parent": "山东省",
         "province": "山东省", "adcode": "370100", "value": 6.0},
        {**base, "source": "k.txt", "region": "平阴县", "level": "county", "parent": "",
         "province": "", "adcode": "370124", "value": 8.0},
    ])
    p = panel(ind)
    assert row(p, "平阴县", period="2026")["amplification"] == pytest.approx(2.0)


def test_region_matched_by_adcode_and_names_without_code():
    # the same county once with and once without its adcode is one region
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 6.0},
        ],
    )
    reports.loc[reports["source"] == "平阴县2026.txt", "adcode"] = ""
    p = panel((reports, ind))
    assert len(p) == 1 and p.iloc[0]["adcode"] == "370124" and p.iloc[0]["outcome"] == 6.0
    # two towns of one name in different counties stay apart
    ind2 = pd.DataFrame([
        {"source": s, "part": 0, "region": "城关镇", "level": "township", "parent": par,
         "province": "甘肃省", "adcode": "", "kind": "target", "horizon": "annual", "period": "2026",
         "indicator": "gdp", "metric": "growth", "value": v, "unit": "%", "qualifier": "about",
         "estimate": False}
        for s, par, v in [("a.txt", "甲县", 6.0), ("b.txt", "乙县", 7.0)]
    ])
    p2 = panel(ind2)
    assert sorted(p2["target"]) == [6.0, 7.0] and set(p2["parent"]) == {"甲县", "乙县"}


# ----------------------------------------------------------------------------- five-year


def test_five_year_horizon():
    reports, ind = make_corpus(
        [("济南市", 2026), ("平阴县", 2026), ("平阴县", 2031)],
        [
            {"source": "济南市2026.txt", "kind": "target", "indicator": "gdp", "horizon": "five_year",
             "period": "2026-2030", "basis": "average", "value": 5.0},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "horizon": "five_year",
             "period": "2026-2030", "basis": "average", "value": 5.5, "text": "年均增长5.5%左右"},
            {"source": "平阴县2031.txt", "kind": "outcome", "indicator": "gdp", "horizon": "five_year",
             "period": "2026-2030", "basis": "cumulative", "value": 31.0},
            {"source": "平阴县2031.txt", "kind": "outcome", "indicator": "gdp", "horizon": "five_year",
             "period": "2026-2030", "basis": "average", "value": 5.2, "text": "年均增长5.2%"},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
        ],
    )
    p = panel((reports, ind))
    r = row(p, "平阴县", period="2026-2030", horizon="five_year")
    assert r["target"] == 5.5 and r["basis"] == "average"
    assert r["outcome"] == 5.2  # same basis as the target, not the cumulative 31%
    assert r["outcome_source"] == "平阴县2031.txt#0"
    assert r["met"] == True and r["met_strict"] == False  # noqa: E712
    assert r["gap"] == pytest.approx(-0.3)
    assert r["amplification"] == pytest.approx(0.5)
    annual = row(p, "平阴县", period="2026", horizon="annual")
    assert annual["target"] == 6.0 and np.isnan(annual["amplification"])


# ----------------------------------------------------------------------------- inputs & helpers


def test_accepts_corpus_like_dict_and_frame():
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 6.2},
        ],
    )
    a = panel(SimpleNamespace(reports=reports, indicators=ind))
    b = panel({"reports": reports, "indicators": ind})
    c = panel(ind.merge(reports[["source", "part", "region", "level", "parent", "province", "adcode",
                                 "year", "review_year", "plan_year"]], on=["source", "part"]))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    with pytest.raises(ValueError, match="region"):
        panel(ind)
    with pytest.raises(TypeError):
        panel(42)
    empty = panel((reports, ind.iloc[:0]))
    assert list(empty.columns) == PANEL_COLUMNS and empty.empty


def test_compare_ranks_regions():
    p = _city_and_counties()
    c = compare(p, indicator="gdp", period=2026)
    assert list(c["region"]) == ["平阴县", "商河县", "济南市", "济阳区", "山东省"]
    assert list(c["rank"]) == [1, 2, 3, 3, 5]
    assert {"level", "parent", "target", "target_qualifier", "amplification"} <= set(c.columns)
    assert c.loc[0, "level"] == "county" and c.loc[0, "parent"] == "济南市"
    by_amp = compare(p, indicator="gdp", period="2026", by="amplification")
    assert list(by_amp["region"]) == ["平阴县", "商河县", "济南市", "济阳区"]
    assert compare(p, indicator="gdp", period=2030).empty
    with pytest.raises(KeyError):
        compare(p, by="nonsense")


def test_region_history():
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026), ("济南市", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "retail_sales", "value": 5.0},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 6.2},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "gdp", "value": 6.5},
            {"source": "济南市2026.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
        ],
    )
    p = panel((reports, ind))
    h = region_history(p, "平阴县")
    assert list(zip(h["indicator"], h["period"], strict=True)) == [
        ("gdp", "2025"), ("gdp", "2026"), ("retail_sales", "2025")]
    assert list(h["target"]) == [6.0, 6.5, 5.0]
    assert h.loc[0, "outcome"] == 6.2
    pd.testing.assert_frame_equal(h, region_history(p, "370124"))
    with pytest.raises(ValueError, match="平阴县"):
        region_history(p, "平阴")  # did you mean 平阴县?
    with pytest.raises(ValueError, match="unknown region"):
        region_history(p, "不存在县")
    pd.testing.assert_frame_equal(h, region_history(p, 370124))  # an int adcode


def test_package_level_names_stay_callable():
    import govreport

    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "gdp", "value": 6.0},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "gdp", "value": 6.2},
        ],
    )
    # the second lookup finds the imported submodule, which must still call panel()
    first = govreport.panel((reports, ind))
    second = govreport.panel((reports, ind))
    pd.testing.assert_frame_equal(first, second)
    assert govreport.compare(first, period=2025)["region"].tolist() == ["平阴县"]
    assert len(govreport.region_history(first, "平阴县")) == 1


# --------------------------------------------------------------------------- issue 14


def test_definitions_are_never_paired():
    # a surveyed target (5.5%以内) and a registered outcome (2.8%) are different statistics
    reports, ind = make_corpus(
        [("平阴县", 2025), ("平阴县", 2026)],
        [
            {"source": "平阴县2025.txt", "kind": "target", "indicator": "unemployment_rate",
             "indicator_text": "城镇调查失业率", "metric": "level", "value": 5.5, "qualifier": "at_most"},
            {"source": "平阴县2026.txt", "kind": "outcome", "indicator": "unemployment_rate",
             "indicator_text": "城镇登记失业率", "metric": "level", "value": 2.8},
        ],
    )
    p = panel((reports, ind))
    un = p[p["indicator"] == "unemployment_rate"]
    assert sorted(un["definition"]) == ["registered", "surveyed"]
    surveyed = un[un["definition"] == "surveyed"].iloc[0]
    assert surveyed["target"] == 5.5 and np.isnan(surveyed["outcome"]) and pd.isna(surveyed["met"])
    registered = un[un["definition"] == "registered"].iloc[0]
    assert np.isnan(registered["target"]) and registered["outcome"] == 2.8
    # ranking mixed definitions is refused; naming one works
    with pytest.raises(ValueError, match="mix definitions"):
        compare(p, indicator="unemployment_rate", period=2025, metric="level", by="outcome")
    c = compare(p, indicator="unemployment_rate", period=2025, metric="level", by="outcome",
                definition="registered")
    assert c["outcome"].tolist() == [2.8]


def test_amplification_is_signed_by_direction():
    # a county CPI ceiling of 2.5% under its city's 3%: the county asks more (+0.5)
    reports, ind = make_corpus(
        [("济南市", 2026), ("平阴县", 2026), ("商河县", 2026)],
        [
            {"source": "济南市2026.txt", "kind": "target", "indicator": "cpi", "value": 3.0,
             "text": "全市居民消费价格涨幅3%左右"},
            {"source": "平阴县2026.txt", "kind": "target", "indicator": "cpi", "value": 2.5},
            {"source": "商河县2026.txt", "kind": "target", "indicator": "cpi", "value": 3.0,
             "qualifier": "at_most"},
        ],
    )
    p = panel((reports, ind))
    assert row(p, "平阴县", "cpi", "2026")["amplification"] == pytest.approx(0.5)
    # 3%以内 under 3%左右: the same figure, bound more firmly
    shang = row(p, "商河县", "cpi", "2026")
    assert shang["amplification"] == pytest.approx(0.0)
    assert shang["amplification_strength"] == 1 and shang["parent_qualifier"] == "about"
    # the parent's figure is cited with its own report and clause
    city = row(p, "济南市", "cpi", "2026")
    assert shang["parent_source"] == city["target_source"] and shang["parent_source"].startswith("济南市2026.txt")
    assert shang["parent_text"] == city["target_text"] != ""
    assert city["parent_source"] == "" and city["parent_text"] == ""


def test_period_is_typed_and_int_or_str_is_accepted():
    p = _city_and_counties()
    assert str(p["period_start"].dtype) == "Int64" and str(p["period_end"].dtype) == "Int64"
    assert len(p[p["period_start"] == 2026]) == len(p[p["period"] == "2026"]) > 0
    pd.testing.assert_frame_equal(compare(p, period=2026), compare(p, period="2026"))


def test_unknown_indicator_names_close_matches():
    p = _city_and_counties()
    with pytest.raises(ValueError, match="did you mean gdp"):
        compare(p, indicator="GDP")
    with pytest.raises(ValueError, match="gdp"):
        compare(p, indicator="地区生产总值")
    with pytest.raises(ValueError, match="metric"):
        compare(p, indicator="gdp", metric="grwoth")


def test_indicators_carry_report_columns(seed_corpus):
    ind = seed_corpus.indicators
    assert {"region", "level", "year", "adcode", "province", "definition", "period_start",
            "period_end"} <= set(ind.columns)
    assert str(ind["period_start"].dtype) == "Int64" and str(ind["year"].dtype) == "Int64"
    merged = ind[["source", "part"]].merge(seed_corpus.reports[["source", "part", "region", "year"]],
                                           on=["source", "part"], how="left")
    assert ind["region"].tolist() == merged["region"].tolist() and ind["region"].ne("").all()
    five = ind[ind["horizon"] == "five_year"]
    assert ((five["period_end"] - five["period_start"]) == 4).all()


def test_read_of_a_missing_path_raises(tmp_path):
    import govreport

    with pytest.raises(FileNotFoundError, match="nonexistent"):
        govreport.read(tmp_path / "nonexistent_dir")
    # a directory with no readable file keeps the error row
    (tmp_path / "empty").mkdir()
    assert len(govreport.read(tmp_path / "empty").errors) == 1


def test_per_distinct_equals_a_call_per_row():
    """The panel's per-row work runs once per distinct value combination: same values, NaN/None included."""
    from govreport.panel import _norm_period, _per_distinct

    period = pd.Series(["2026", None, "2026-2030", "2026 至 2030", np.nan, "2026", 2027.0, None], dtype=object)
    horizon = pd.Series(["annual", "annual", "five_year", "five_year", "annual", "annual", "annual", "annual"])
    kind = pd.Series(["target", "outcome", "target", "target", "target", "target", "outcome", "target"])
    plan = pd.Series([2026.0, np.nan, 2026.0, 2026.0, 2025.0, 2026.0, np.nan, np.nan])
    review = pd.Series([2025.0, 2024.0, np.nan, 2025.0, np.nan, 2025.0, 2026.0, 2025.0])
    want = [_norm_period(*row) for row in zip(period, horizon, kind, plan, review, strict=True)]
    got = _per_distinct(_norm_period, period, horizon, kind, plan, review)
    assert got.tolist() == want == ["2026", "2024", "2026-2030", "2026-2030", "2025", "2026", "2027", ""]
    assert _per_distinct(str, pd.Series([], dtype=object)).tolist() == []


def test_region_keys_fill_a_missing_adcode_only_when_the_name_has_one():
    from govreport.panel import _region_keys

    ind = pd.DataFrame({"region": ["甲县", "甲县", "乙县", "乙县", "乙县", "丙县"],
                        "parent": ["某市"] * 6, "province": ["某省"] * 6,
                        "adcode": ["110101", "", "110102", "110103", "", ""]})
    out = _region_keys(ind.copy())
    assert out["adcode"].tolist() == ["110101", "110101", "110102", "110103", "", ""]
    assert out["_rkey"].tolist() == ["code:110101", "code:110101", "code:110102", "code:110103",
                                     "name:乙县|某市|某省", "name:丙县|某市|某省"]


def test_build_reads_only_the_panel_columns_and_gives_the_same_panel(seed_corpus, tmp_path):
    """Stage 2 reads a column subset of the stored tables: the same panel as from the full tables."""
    from govreport.build import _panel
    from govreport.panel import INDICATOR_INPUT_COLUMNS, REPORT_INPUT_COLUMNS
    from govreport.store import DatasetWriter

    reports, indicators = seed_corpus.reports, seed_corpus.indicators
    # a row that is neither target nor outcome, and one without an indicator, are left out early
    extra = indicators.head(2).assign(kind=["mention", "target"], indicator=["gdp", " "])
    indicators = pd.concat([extra, indicators], ignore_index=True)
    asked: dict[str, list[str] | None] = {}

    class Tables(DatasetWriter):
        def read(self, name, columns=None):
            asked[name] = columns
            return super().read(name, columns)

        def batches(self, name, columns=None, batch_rows=50_000):
            asked[f"{name} batches"] = columns
            return super().batches(name, columns, batch_rows)

    tables = Tables(tmp_path)
    tables.add({"reports": reports, "indicators": indicators})
    tables.close()
    with _panel(tables) as pieces:
        got = pd.concat(list(pieces), ignore_index=True)
    assert set(asked["reports"]) == set(REPORT_INPUT_COLUMNS)
    columns = asked["indicators batches"]
    assert "region" not in columns and set(columns) < set(INDICATOR_INPUT_COLUMNS)
    assert "indicators" not in asked  # read by batches only
    assert len(got) > 0
    stored = tables.read("indicators")  # as the build stored them (the same panel as in memory)
    pd.testing.assert_frame_equal(got, panel((seed_corpus.reports, seed_corpus.indicators)))
    pd.testing.assert_frame_equal(got, panel((reports, stored)))


def test_clean_str_shares_equal_strings_and_keeps_values():
    from govreport.panel import _clean_str

    s = pd.Series([" 甲县", "甲县", None, np.nan, "乙县 ", "", "2026"], dtype=object)
    got = _clean_str(s)
    assert got.dtype == object and got.tolist() == ["甲县", "甲县", "", "", "乙县", "", "2026"]
    assert got.iloc[0] is got.iloc[1]
    want = s.astype("string").fillna("").str.strip().astype(object)
    assert got.tolist() == want.tolist()
