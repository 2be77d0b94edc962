"""Sections: every heading style, and reports with no headings at all."""

import pytest

import govreport
from govreport.indicators import extract_indicators
from govreport.normalize import normalize_text
from govreport.sections import find_sections

BODY = {
    "review": "过去一年，全县地区生产总值增长6.1%，一般公共预算收入增长5%。",
    "targets": "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，固定资产投资增长8%。",
    "tasks": "重点做好以下工作：加快项目建设，扩大有效投资。",
    "government": "我们要加强法治政府建设，提高行政效能。",
}


def _kinds(text, plan_year=2024):
    return [s.kind for s in find_sections(normalize_text(text), plan_year)]


@pytest.mark.parametrize(
    "h1, h2, h3",
    [
        ("一、2023年工作回顾", "二、2024年工作安排", "三、全面加强政府自身建设"),
        ("## 一、2023年工作回顾", "## 二、2024年工作安排", "## 三、全面加强政府自身建设"),
        ("2023年工作回顾", "2024年工作安排", "全面加强政府自身建设"),
    ],
)
def test_heading_styles(h1, h2, h3):
    text = (f"各位代表：\n现在，我代表县人民政府报告工作。\n{h1}\n{BODY['review']}\n{h2}\n{BODY['targets']}\n"
            f"{BODY['tasks']}\n{h3}\n{BODY['government']}\n")
    assert _kinds(text) == ["other", "review", "tasks", "targets", "tasks", "government"]


def test_sub_headings_do_not_start_top_sections():
    text = ("各位代表：\n现在，我代表县人民政府报告工作。\n一、2023年工作回顾\n（一）产业发展\n" + BODY["review"]
            + "\n（二）民生改善\n就业稳定。\n二、2024年工作安排\n" + BODY["targets"] + "\n1.加快项目建设。\n")
    assert _kinds(text) == ["other", "review", "tasks", "targets", "tasks"]


def test_inline_headings_in_a_one_line_body():
    body = ("各位代表:现在,我代表区人民政府向大会报告工作。一、2020年工作回顾2020年,全区地区生产总值增长3.5%。"
            + "经济运行稳中向好。" * 40 + "二、2021年工作安排今年经济社会发展的主要预期目标是:地区生产总值增长6%左右。"
            + "三、加强政府自身建设我们要勤政廉政。")
    assert _kinds(body, 2021) == ["other", "review", "targets", "government"]


def test_five_year_sections():
    text = ("各位代表：\n现在，我代表市人民政府报告工作。\n一、“十四五”时期工作回顾\n五年来，全市地区生产总值年均增长5.5%。\n"
            "二、“十五五”时期主要目标任务\n地区生产总值年均增长5%左右。\n三、2026年工作安排\n" + BODY["targets"] + "\n")
    assert _kinds(text, 2026) == ["other", "five_year_review", "five_year_plan", "tasks", "targets"]


def test_report_without_headings_still_has_review_and_targets():
    text = ("2024年某某县政府工作报告\n各位代表：现在，我代表县人民政府向大会报告工作。" + BODY["review"] + BODY["targets"]
            + "全面加强政府自身建设。")
    corpus = govreport.read_text(text, "flat.txt")
    assert list(corpus.sections.kind) == ["review", "targets"]
    got = set(zip(corpus.indicators.kind, corpus.indicators.period, corpus.indicators.value, strict=True))
    assert ("outcome", "2023", 6.1) in got and ("target", "2024", 6.0) in got


def test_heading_naming_the_plan_year_opens_tasks():
    text = ("各位代表：\n现在，我代表市人民政府报告工作。\n一、2016年主要经济指标完成情况\n" + BODY["review"]
            + "\n二、2017年目标任务\n全市经济社会发展的主要预期目标是：\n（1）地区生产总值增长8%左右；\n（2）固定资产投资增长10%。\n")
    assert _kinds(text, 2017) == ["other", "review", "tasks", "targets"]


def test_title_lines_are_not_headings():
    text = ("• 【政府工作报告】2022年某市政府工作报告\n——2022年1月12日在某市第十七届人民代表大会第六次会议上\n"
            "各位代表：现在，我代表市人民政府向大会报告工作。\n2021年，全市地区生产总值增长8%。\n"
            "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右。\n")
    kinds = _kinds(text, 2022)
    assert "tasks" not in kinds[:1] and kinds[-1] == "targets"


def test_plan_year_list_inside_a_five_year_plan_section():
    # one heading for the plan's goals and this year's work; the list heading breaks across lines
    text = ("各位代表：\n现在，我代表省人民政府报告工作。\n一、“十四五”时期工作回顾\n五年来，全省地区生产总值年均增长5.5%。\n"
            "二、“十五五”时期主要目标和2026年重点工作\n“十五五”时期全省地区生产总值年均增长5%左右。\n"
            "今年经济社会发展的主要预期目标\n是：地区生产总值增长5%左右；城镇新增就业30万人以上。\n1.扩大有效投资。\n")
    kinds = _kinds(text, 2026)
    assert kinds == ["other", "five_year_review", "five_year_plan", "targets", "tasks"]
    norm = normalize_text(text)
    rows = extract_indicators(norm, find_sections(norm, 2026), review_year=2025, plan_year=2026)
    got = set(zip(rows.kind, rows.horizon, rows.period, rows.value, strict=True))
    assert ("target", "annual", "2026", 5.0) in got and ("target", "five_year", "2026-2030", 5.0) in got


def test_numbered_headings_outrank_a_broken_unmarked_line():
    # a line cut after 的 is not a heading; two 一、-style headings naming kinds set the top level
    text = ("各位代表：\n一、2025年工作回顾\n全省地区生产总值增长5%。\n二、“十五五”时期的主要目标\n“十五五”时期经济社会发展的\n"
            "主要目标是：地区生产总值年均增长5%左右。\n三、2026年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n")
    assert _kinds(text, 2026) == ["other", "review", "five_year_plan", "tasks", "targets"]


def test_unnamed_list_in_a_plan_section_after_a_paragraph_on_this_year():
    text = ("各位代表：\n一、2025年工作回顾\n全省地区生产总值增长5%。\n二、“十五五”时期目标任务和2026年工作安排\n"
            "“十五五”时期全省地区生产总值年均增长5%左右。\n今年是“十五五”开局之年，政府工作的总体要求是：稳中求进。\n"
            "全省经济社会发展的主要预期目标是：地区生产总值增长4.5%左右。\n（一）扩大有效需求。\n")
    assert _kinds(text, 2026) == ["other", "review", "five_year_plan", "targets", "tasks"]


def test_headings_without_kind_words_take_the_kind_of_their_opening():
    text = ("各位代表：\n一、实干笃行，全县发展再上台阶\n2025年是“十四五”收官之年。一年来，全县地区生产总值增长5%。\n"
            "二、锚定目标，奋力开创新局面\n“十五五”时期是关键时期。全县地区生产总值年均增长5%左右。\n"
            "三、聚焦重点，确保开好局起好步\n2026年是“十五五”开局之年。今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n"
            "（一）扩大有效投资。\n四、全面加强政府自身建设\n我们要勤政廉政。\n")
    kinds = ["other", "review", "five_year_plan", "tasks", "targets", "tasks", "government"]
    assert _kinds(text, 2026) == kinds


@pytest.mark.parametrize(("headings", "lead", "kinds"), [
    # 1980s-1990s headings: 关于…的工作 for the review year, plans named 七五/九五 with 计划, 计划指标 lists
    (("一、关于1985年的工作", "二、关于“七五”计划", "三、1986年国民经济和社会发展计划"), "今年全县国民经济发展的主要指标是：",
     ["review", "five_year_plan", "tasks", "targets"]),
    (("一、“八五”期间和1995年工作回顾", "二、国民经济和社会发展第九个五年计划纲要", "三、1996年的主要任务"), "今年的主要计划指标是：",
     ["review", "five_year_plan", "tasks", "targets"]),
])
def test_older_headings_and_target_lists(headings, lead, kinds):
    text = normalize_text(
        f"{headings[0]}\n{BODY['review']}\n{headings[1]}\n“九五”期间，全县生产总值年均增长10%。\n"
        f"{headings[2]}\n{lead}国民生产总值增长8%，地方财政收入增长6%。\n{BODY['tasks']}\n")
    got = [s.kind for s in find_sections(text, plan_year=1986 if "1986" in headings[2] else 1996)]
    assert [k for k in got if k != "other"][:4] == kinds
