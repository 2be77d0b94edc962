"""Report boundaries on constructed texts: captions and news lines, page repeats, title-only files."""

from __future__ import annotations

import govreport
from govreport.normalize import normalize
from govreport.split import split_reports

BODY = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
    "一、2025年工作回顾\n过去一年，全市地区生产总值增长5.1%，城镇新增就业3.2万人，"
    "居民人均可支配收入增长5.4%，粮食产量保持稳定，各项民生事业稳步推进。\n"
    "二、2026年工作安排\n今年主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长3%。\n"
    "我们要坚定信心，真抓实干，奋力完成全年目标任务。\n"
)
MORE = (
    "三、加强政府自身建设\n坚持依法行政，建设人民满意的服务型政府，"
    "持续改进作风，切实减轻基层负担，确保各项工作落到实处。\n"
)


def _parts(text: str) -> list[tuple[str, str]]:
    text = normalize(text).text
    return [(p.title, text[p.start : p.end]) for p in split_reports(text)]


def test_caption_naming_the_report_between_title_and_opening_is_not_a_new_report():
    # the caption's name runs into 作 (王工作政府工作报告), and it ends in a full stop
    text = (
        "字号：大中小\n2026年甲市政府工作报告\n——2026年1月20日在甲市第九届人民代表大会第五次会议上\n"
        "时间：2026-02-01甲市市长王工\n王工作政府工作报告。\n" + BODY
    )
    parts = _parts(text)
    assert len(parts) == 1
    assert parts[0][0] == "2026年甲市政府工作报告"
    assert "主要预期目标" in parts[0][1] and "——2026年1月20日" in parts[0][1]


def test_news_line_about_the_report_is_not_a_title():
    text = "2026年乙县政府工作报告\n县长李四在县人民代表大会上作政府工作报告\n" + BODY
    assert len(_parts(text)) == 1
    news = "本报讯 县长李四代表县人民政府作政府工作报告。报告回顾了过去一年的工作。\n"
    assert split_reports(normalize(news).text) == []


def test_a_body_paragraph_between_title_and_opening_still_separates_two_reports():
    # a listing entry (title and a long summary), then a report without a title line
    summary = ("摘要：报告回顾了过去一年全市经济社会发展情况，地区生产总值增长百分之五，"
               "提出了今年的主要目标和重点任务，涉及产业、民生、生态、改革开放等多个方面，"
               "并对加强政府自身建设作出部署，要求各级政府转变作风，提高效能，"
               "更好服务企业和群众，推动各项工作取得新成效，为实现全年目标打下坚实基础。\n")
    parts = _parts("2026年丙市政府工作报告\n" + summary + BODY)
    assert len(parts) == 2 and parts[1][1].startswith("各位代表")


def test_page_one_repeat_is_one_report():
    page1 = "2026年丁市政府工作报告\n——2026年1月9日在丁市第八届人民代表大会第三次会议上\n" + BODY
    # a scraped article whose first page is printed again before the whole article
    parts = _parts(page1 + "\n" + page1 + MORE)
    assert len(parts) == 1
    assert parts[0][1].count("各位代表") == 1 and "加强政府自身建设" in parts[0][1]
    # the same report twice in a row: one report
    assert len(_parts(page1 + MORE + "\n" + page1 + MORE)) == 1


def test_title_repeated_at_a_page_break_continues_the_report():
    title = "2026年庚市政府工作报告\n"
    page1, page2 = BODY.split("二、")
    parts = _parts(title + "——2026年1月9日在庚市第八届人民代表大会第三次会议上\n" + page1 + title + "二、" + page2 + MORE)
    assert len(parts) == 1 and "主要预期目标" in parts[0][1] and "加强政府自身建设" in parts[0][1]


def test_two_reports_with_the_same_opening_words_stay_two():
    a = "2025年戊县政府工作报告\n" + BODY.replace("2025年", "2024年").replace("2026年", "2025年")
    b = "2026年戊县政府工作报告\n" + BODY
    assert len(_parts(a + b)) == 2


def test_same_body_under_different_headers_is_two_reports():
    # template texts: two governments, one body; the headers tell them apart
    a = "2026年己县政府工作报告\n——2026年1月8日在己县第六届人民代表大会第二次会议上\n" + BODY
    b = "2026年庚县政府工作报告\n——2026年1月9日在庚县第六届人民代表大会第二次会议上\n" + BODY
    assert [t for t, _ in _parts(a + b)] == ["2026年己县政府工作报告", "2026年庚县政府工作报告"]


def test_title_only_file_is_a_report_without_region_year_or_error(tmp_path):
    (tmp_path / "only_title.txt").write_text("政府工作报告\n", encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert corpus.errors.empty
    row = corpus.reports.iloc[0]
    assert row.title == "政府工作报告"
    assert row.region == "" and row.adcode == "" and row.level == ""
    assert row[["year", "review_year", "plan_year"]].isna().all()


def test_report_without_body_is_an_error_row(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n\n", encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert len(corpus.reports) == 0
    assert list(corpus.errors.source) == ["empty.txt"]
    assert "empty" in corpus.errors.message.iloc[0]


def test_a_subdistrict_office_report_is_a_report_and_a_party_report_is_not():
    # a 街道 has no 人民政府: its report is the 办事处's, titled 街道办事处…工作报告
    office = "甲街道办事处2026年工作报告\n——2026年1月8日在甲街道居民代表会议上\n" + BODY
    parts = _parts(office + "乙街道党工委2026年工作报告\n" + BODY.replace("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n", ""))
    assert [title for title, _ in parts] == ["甲街道办事处2026年工作报告"]
    report = govreport.read_text(office).reports.iloc[0]
    assert (report["region"], report["level"], report["year"]) == ("甲街道", "township", 2026)


def test_a_report_ending_with_its_own_table_keeps_the_table_but_not_the_page_furniture():
    """Short trailing lines are page furniture (浏览次数, dates, 打印本页) — but not the rows of a
    target table that ends the report (地区生产总值增长 % 7左右): before, the table and its heading went."""
    from govreport.split import _trim_tail

    body = ("某县2016年政府工作报告\n一、2015年工作回顾\n全县地区生产总值增长7.5%，一般公共预算收入增长6%，各项事业全面进步。\n"
            "二、2016年主要预期目标\n指标单位2016年目标\n地区生产总值增长 % 7左右\n城镇新增就业人5000")
    furniture = "\n发布时间：2016-01-12\n浏览次数：1234\n【打印本页】【关闭窗口】"
    assert _trim_tail(body, 0, len(body)) == len(body)
    assert _trim_tail(body + furniture, 0, len(body + furniture)) == len(body)
