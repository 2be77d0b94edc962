"""Indicator rules that need more than one clause: the report's level, invariants, own keys."""

import pytest

from govreport.indicators import extract_indicators


def _rows(text, **kw):
    kw.setdefault("section", "review")
    return extract_indicators(text, review_year=2025, plan_year=2026, **kw)


def test_bare_fiscal_revenue_is_budget_revenue_only_in_the_national_report():
    text = "全国财政收入8.6万亿元，增长9%。"
    national = _rows(text, level="country")
    assert set(zip(national.indicator, national.metric, national.value, strict=True)) == {
        ("budget_revenue", "level", 8.6), ("budget_revenue", "growth", 9.0)}
    local = _rows("全市财政收入86亿元，增长9%。", level="prefecture")
    assert "budget_revenue" not in set(local.indicator)
    assert set(local.indicator) == {"fiscal_revenue"}  # kept under the library's own key


def test_an_outcome_for_a_period_after_the_review_year_is_refused_and_recorded():
    from govreport.indicators import extract_rows

    errors: list[dict] = []
    text = "地区生产总值增长5.2%。“十五五”时期，全市地区生产总值年均增长6%。"
    rows = extract_rows(text, section="review", review_year=2025, plan_year=2026, source="a.txt", part=2,
                        errors=errors)
    assert [(r["kind"], r["period"], r["value"]) for r in rows] == [("outcome", "2025", 5.2)]
    assert len(errors) == 1
    err = errors[0]
    assert (err["source"], err["part"], err["stage"]) == ("a.txt", 2, "indicators")
    assert "ends after the review year 2025" in err["message"]
    assert "outcome five_year 2026-2030 gdp growth 6%" in err["message"] and "年均增长6%" in err["message"]


def test_a_target_for_a_period_that_ended_before_the_plan_year_is_refused_and_recorded():
    from govreport.indicators import extract_rows

    errors: list[dict] = []
    text = "确保“十三五”末全县生产总值达到300亿元。全县生产总值增长6%左右。"
    rows = extract_rows(text, section="targets", review_year=2025, plan_year=2026, source="b.txt", errors=errors)
    assert [(r["kind"], r["period"], r["value"]) for r in rows] == [("target", "2026", 6.0)]
    assert len(errors) == 1 and "ended before the plan year 2026" in errors[0]["message"]
    assert "target five_year 2016-2020 gdp level 300亿元" in errors[0]["message"]


def test_invariants_hold_on_every_row_of_a_corpus_and_refusals_reach_the_errors_table():
    import govreport
    from govreport.indicators import invariant_violation

    text = ("2026年某某市政府工作报告\n各位代表：\n一、2025年工作回顾\n全市地区生产总值增长5.2%。"
            "“十五五”时期，全市地区生产总值年均增长6%。\n二、2026年工作安排\n"
            "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n")
    corpus = govreport.read_text(text, "c.txt")
    reports = corpus.reports.set_index(["source", "part"])
    for row in corpus.indicators.to_dict("records"):
        rep = reports.loc[(row["source"], row["part"])]
        assert invariant_violation(row, rep["review_year"], rep["plan_year"]) == ""
    refused = corpus.errors.query("stage == 'indicators'")
    assert len(refused) == 1 and refused.iloc[0]["source"] == "c.txt"
    assert "2026-2030" in refused.iloc[0]["message"]


# environmental and other targets under the library's own keys (GUIDE.md does not score them)
OWN_KEYS = [
    ("targets", "细颗粒物（PM2.5）平均浓度下降到28微克/立方米。", ("pm25", "level", 28.0, "微克/立方米", "exact")),
    ("targets", "PM2.5浓度控制在32微克/立方米以内。", ("pm25", "level", 32.0, "微克/立方米", "at_most")),
    ("targets", "空气质量优良天数比例达到90%以上。", ("air_quality_days", "level", 90.0, "%", "at_least")),
    ("targets", "单位地区生产总值二氧化碳排放降低3.5%。", ("carbon_intensity", "growth", -3.5, "%", "exact")),
    ("targets", "单位GDP二氧化碳排放下降4%左右。", ("carbon_intensity", "growth", -4.0, "%", "about")),
    ("targets", "主要污染物排放总量持续减少。", ("major_pollutants", "growth", None, "", "qualitative")),
    ("targets", "主要污染物排放量下降2%。", ("major_pollutants", "growth", -2.0, "%", "exact")),
    ("review", "全县森林覆盖率达到41.5%。", ("forest_coverage", "level", 41.5, "%", "exact")),
    ("targets", "单位地区生产总值用水量下降3%。", ("water_intensity", "growth", -3.0, "%", "exact")),
    ("targets", "万元GDP用水量降低5%以上。", ("water_intensity", "growth", -5.0, "%", "at_least")),
    ("review", "居民人均预期寿命达到79.6岁。", ("life_expectancy", "level", 79.6, "岁", "exact")),
    # years gained are a change, not the level (提高0.8岁 is no life expectancy of 0.8)
    ("targets", "全市人均预期寿命提高0.8岁。", ("life_expectancy", "change", 0.8, "岁", "exact")),
    ("targets", "人均预期寿命再延长1岁以上。", ("life_expectancy", "change", 1.0, "岁", "at_least")),
]


@pytest.mark.parametrize("section, clause, expected", OWN_KEYS, ids=[c[2][0] + str(i) for i, c in enumerate(OWN_KEYS)])
def test_own_keys_for_environmental_and_other_targets(section, clause, expected):
    df = _rows(clause, section=section)
    got = [(r.indicator, r.metric, None if r.value != r.value else r.value, r.unit, r.qualifier)
           for r in df.itertuples()]
    assert got == [expected]


def test_older_price_targets_have_keys_of_their_own_not_cpi():
    """商品零售价格 (retail prices) and 物价涨幅 (no index named) were the price targets of older
    reports; they are not GUIDE's CPI (居民消费价格), so they keep keys of their own."""
    import govreport

    text = ("某县1997年政府工作报告\n\n一、1996年工作回顾\n\n全年商品零售价格总指数上涨8.6%，居民消费价格上涨9.1%。\n\n"
            "二、1997年工作安排\n\n主要预期目标是：物价上涨幅度控制在10%以内。\n")
    rows = govreport.read_text(text).indicators.set_index("indicator_text")
    assert rows.loc["商品零售价格总指数", ["kind", "indicator", "value"]].tolist() == ["outcome", "retail_price_index", 8.6]
    assert rows.loc["物价上涨幅度", ["kind", "indicator", "value", "qualifier"]].tolist() == [
        "target", "price_level", 10.0, "at_most"]
    assert rows.loc["居民消费价格", ["indicator", "value"]].tolist() == ["cpi", 9.1]


def test_a_long_range_goal_past_the_plan_is_refused_and_recorded():
    """到2035年… in the plan's section is not a five-year target (GUIDE codes one-year and
    plan-period figures only): no row, and the errors table says why."""
    import govreport

    text = ("某区2021年政府工作报告\n\n一、2020年工作回顾\n\n全区地区生产总值增长3.1%。\n\n"
            "二、“十四五”时期主要目标\n\n到2035年，全区地区生产总值达到1000亿元。“十四五”时期，地区生产总值年均增长6%左右。\n\n"
            "三、2021年工作安排\n\n2021年主要预期目标：地区生产总值增长7%以上。\n")
    corpus = govreport.read_text(text)
    rows = corpus.indicators
    assert 1000 not in rows["value"].tolist()
    five = rows[rows["horizon"] == "five_year"]
    assert five[["period", "metric", "value"]].values.tolist() == [["2021-2025", "growth", 6.0]]
    refused = corpus.errors["message"].tolist()
    assert any("a goal for 2035, past the plan under way" in m and "1000" in m for m in refused)


def test_commitment_is_the_word_nearest_before_each_figure():
    """确保增长6.5%，力争7%: 6.5 is hard, 7 soft; a target followed by 努力争取更好结果 has no word before it."""
    import govreport

    text = ("某县2019年政府工作报告\n\n一、2018年工作回顾\n\n地区生产总值增长6%。\n\n二、2019年工作安排\n\n"
            "主要预期目标是：地区生产总值确保增长6.5%，力争7%；一般公共预算收入增长5%左右，在实际工作中努力争取更好结果；"
            "力争规上工业增加值增长8%。\n")
    rows = govreport.read_text(text).indicators
    got = {(r.indicator, r.value): r.commitment for r in rows[rows["kind"] == "target"].itertuples()}
    assert got == {("gdp", 6.5): "hard", ("gdp", 7.0): "soft", ("budget_revenue", 5.0): "",
                   ("industrial_value_added", 8.0): "soft"}


def test_a_domain_word_counts_as_the_whole_region_only_for_its_own_level():
    """县域经济总量 is a county's own economy; in a town's report it is the county's, and 镇域 in a
    county's report a town's: neither is the report's region."""
    import govreport

    body = "\n\n一、2015年工作回顾\n\n镇域经济总量突破30亿元。县域经济总量达到320亿元，增长8%。\n\n二、2016年工作安排\n\n主要预期目标：地区生产总值增长8%。\n"
    town = govreport.read_text("某镇2016年政府工作报告" + body).indicators
    county = govreport.read_text("某县2016年政府工作报告" + body).indicators
    assert town[town["kind"] == "outcome"]["value"].tolist() == [30.0]
    assert county[county["kind"] == "outcome"]["value"].tolist() == [320.0, 8.0]
