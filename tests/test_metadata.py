"""Report metadata on constructed texts in the shapes real published reports take.

Region only from where the text names the reporting government; the delivery date, never a
dispatch or web date; speakers however the page spells them, and never invented.
"""

from __future__ import annotations

import pytest

import govreport
from govreport.metadata import COUNTRY, delivery_date, extract_metadata

OPENING = "各位代表：\n现在，我代表{gov}人民政府向大会报告工作，请予审议，并请政协委员提出意见。\n"
BODY = (
    "一、2025年工作回顾\n过去一年，全{c}地区生产总值增长5.2%，一般公共预算收入增长3.1%。\n"
    "二、2026年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n"
)

# words that are also (short) names of divisions, written as the ordinary words they are
LOOKALIKES = {
    "资源": "统筹用好各类资源，盘活闲置资源，提高资源配置效率。",
    "和平": "维护和平稳定的发展环境，守护和平安宁。",
    "城关": "推进城关片区改造，打通城关老街微循环。",
    "高新": "支持高新技术企业扩量提质，新认定高新企业一批。",
    "开发": "加大开发力度，推进开发区整合提升，做好土地开发。",
    "新华": "办好新华书店惠民书屋，扩大新华路商圈。",
    "长安": "建设更高水平的平安长安工程，守护百姓长安。",
    "永安": "保障群众永安居所，推进永安桥修缮。",
}


def _headless(prose: str, gov: str = "县") -> str:
    return OPENING.format(gov=gov) + BODY.format(c=gov) + (prose + "\n") * 6


def _national(prose: str = "") -> str:
    return ("各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n"
            + BODY.format(c="国").replace("地区生产总值", "国内生产总值") + (prose + "\n") * 6)


@pytest.mark.parametrize("word", sorted(LOOKALIKES))
def test_place_name_lookalike_in_prose_is_never_a_region(word):
    meta = extract_metadata(_headless(LOOKALIKES[word]))
    assert (meta.region, meta.level, meta.adcode, meta.parent) == ("", "", "", "")
    assert (meta.year, meta.review_year) == (2026, 2025)


@pytest.mark.parametrize("word", sorted(LOOKALIKES))
def test_lookalike_does_not_override_the_header(word):
    text = ("2026年平阴县政府工作报告\n——2026年1月20日在平阴县第十九届人民代表大会第六次会议上\n"
            + _headless(LOOKALIKES[word]))
    meta = extract_metadata(text)
    assert (meta.region, meta.adcode, meta.parent) == ("平阴县", "370124", "济南市")


def test_all_lookalikes_together_in_a_headless_report():
    meta = extract_metadata(_headless("".join(LOOKALIKES.values()), gov="区"))
    assert meta.region == "" and meta.adcode == ""


def test_headless_report_names_its_government_with_the_suffix():
    prose = "在中共平阴县委的坚强领导下，全县上下统筹用好各类资源，推进城关片区改造。"
    meta = extract_metadata(_headless(prose))
    assert (meta.region, meta.adcode) == ("平阴县", "370124")
    # a short name alone (平阴) is prose, not a position naming the government
    assert extract_metadata(_headless("建设美丽平阴，平阴发展迈出新步伐。")).region == ""


def test_headless_report_with_a_county_name_of_the_wrong_level_is_left_empty():
    # 我代表区人民政府: a 县 named beside it is not the reporter
    prose = "在中共平阴县委的关心支持下，双方合作不断深化。"
    assert extract_metadata(_headless(prose, gov="区")).region == ""


def test_national_report_is_the_country_even_with_resource_prose():
    text = ("2016年国务院政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n"
            "一、2015年工作回顾\n" + LOOKALIKES["资源"] * 8 + "\n二、2016年工作安排\n今年发展的主要预期目标是：国内生产总值增长6.5%。")
    meta = extract_metadata(text, title="2016年国务院政府工作报告")
    assert (meta.region, meta.level, meta.parent, meta.province, meta.adcode) == (COUNTRY, "country", "", "", "")
    assert meta.year == 2016
    # the title alone says so too
    assert extract_metadata("2019国务院政府工作报告\n" + _headless(LOOKALIKES["长安"])).level == "country"
    assert extract_metadata(_national(LOOKALIKES["资源"])).region == COUNTRY


def test_date_is_the_delivery_not_the_dispatch_line():
    text = ("2012年国务院政府工作报告\n新华社北京2012年3月15日电\n政府工作报告\n"
            "——2012年3月5日在第十一届全国人民代表大会第五次会议上\n国务院总理 张某某\n" + _national())
    meta = extract_metadata(text)
    assert meta.date == "2012-03-05" and meta.speaker == "张某某" and meta.level == "country"


def test_date_is_the_delivery_not_the_web_publication_time():
    text = ("2026年甲省人民政府工作报告\n2026年02月12日08时30分\n甲省日报【字体：大中小】\n"
            "2026年2月2日在甲省第十四届人民代表大会第四次会议上\n甲省人民政府省长周明远\n" + _headless("", gov="省"))
    meta = extract_metadata(text)
    assert (meta.date, meta.speaker, meta.speaker_title) == ("2026-02-02", "周明远", "省长")


def test_date_in_brackets_below_a_caption_and_chinese_numerals():
    caption = "政府工作报告。本报记者某某摄政府工作报告\n"
    text = caption + "（2026年1月26日在乙省第十四届人民代表大会第四次会议上）\n省长陈立新\n" + _headless("", gov="省")
    meta = extract_metadata(text)
    assert (meta.date, meta.speaker) == ("2026-01-26", "陈立新")
    cn = "政府工作报告\n——二〇二六年一月二十七日在丙市第十届人民代表大会第五次会议上\n" + _headless("", gov="市")
    assert extract_metadata(cn).date == "2026-01-27"


@pytest.mark.parametrize("line, date", [
    ("2026年1月21日", "2026-01-21"),
    ("  二〇二六年二月三日", "2026-02-03"),
    ("2025年12月28日", "2025-12-28"),  # a December session plans the year ahead
])
def test_date_from_a_bare_date_line_under_the_title(line, date):
    text = "丁县人民政府工作报告\n" + line + "\n县长 郑某某\n" + _headless("")
    meta = extract_metadata(text)
    assert (meta.date, meta.speaker, meta.plan_year) == (date, "郑某某", 2026)
    assert meta.year == int(date[:4]) and meta.review_year == 2025


@pytest.mark.parametrize("header", [
    "2026年丁县人民政府工作报告\n2026年7月15日\n",                    # not when a report is delivered
    "2026年丁县人民政府工作报告\n2024年1月21日\n",                    # another year's
    "2026年丁县人民政府工作报告\n2026年01月22日\n来源：丁县人民政府  浏览次数：128\n",  # the page's date
    "首页 > 政务公开 > 政府工作报告\n2026年丁县人民政府工作报告\n2026年01月22日\n",
    "发布时间：2026年01月22日\n2026年丁县人民政府工作报告\n",
])
def test_a_bare_date_line_that_cannot_be_the_delivery_gives_no_date(header):
    meta = extract_metadata(header + _headless(""))
    assert (meta.date, meta.year, meta.plan_year) == ("", 2026, 2026)


def test_a_date_line_after_the_first_heading_is_not_the_header():
    text = "2026年丁县人民政府工作报告\n一、2025年工作回顾\n2026年1月21日\n过去一年，经济平稳。\n二、2026年工作安排\n今年。"
    assert extract_metadata(text).date == ""


def test_a_december_session_plans_the_next_year():
    text = "丁县人民政府工作报告\n——2025年12月28日在丁县第十八届人民代表大会第五次会议上\n" + _headless("")
    meta = extract_metadata(text)
    assert (meta.date, meta.year, meta.review_year, meta.plan_year) == ("2025-12-28", 2025, 2025, 2026)


@pytest.mark.parametrize("unit, year, gov, adcode, warning", [
    ("哲里木盟", 2005, "盟", "", "哲里木盟 (152300) is in no division code list of 2005 (listed 1980–1998): adcode left empty"),
    ("思茅地区", 2005, "地区", "", "思茅地区 (532700) is in no division code list of 2005"),
    ("襄樊市", 2012, "市", "420600", "is not the name of 420600 in 2012 (the code lists name it 襄阳市): adcode 420600 kept"),
    ("襄樊市", 2008, "市", "420600", None),
    ("通辽市", 2005, "市", "150500", None),
])
def test_adcode_is_a_code_of_the_reports_year(unit, year, gov, adcode, warning):
    text = (f"{unit}人民政府工作报告\n——{year}年2月20日在{unit}第一届人民代表大会第三次会议上\n"
            + _headless("", gov=gov).replace("2025", str(year - 1)).replace("2026", str(year)))
    corpus = govreport.read_text(text)
    row = corpus.reports.iloc[0]
    assert (row.region, row.level, row.adcode, row.year) == (unit, "prefecture", adcode, year)
    messages = list(corpus.errors.message)
    if warning is None:
        assert messages == []
    else:
        assert len(messages) == 1 and "warning" in messages[0] and warning in messages[0]


def test_date_and_speaker_from_a_caption_pasted_mid_text():
    caption = "3月5日，第十四届全国人民代表大会第三次会议在北京人民大会堂开幕。国务院总理吴某某作政府工作报告。"
    body = _national().split("二、")
    text = "2026政府工作报告\n" + body[0] + caption + "\n二、" + body[1]
    meta = extract_metadata(text, title="2026政府工作报告")
    assert (meta.date, meta.speaker, meta.speaker_title, meta.level) == ("2026-03-05", "吴某某", "总理", "country")
    # the year of a title without 年 counts
    assert extract_metadata("2019政府工作报告\n" + _national().replace("2025", "某").replace("2026", "某")).year == 2019


def test_a_meeting_the_report_recounts_gives_no_date():
    prose = "3月12日，县人民代表大会常务委员会召开会议，审议通过多项决定。"
    text = "2026年政府工作报告\n" + _headless(prose)
    assert extract_metadata(text).date == ""
    assert delivery_date("政府工作报告\n新华社北京3月16日电") == ""


@pytest.mark.parametrize(
    "line, speaker, role",
    [
        ("国务院总理?许某某", "许某某", "总理"),        # a character lost as ?
        ("甲市市长 周 明远", "周明远", "市长"),          # a space inside the name
        ("甲市市长　周\u3000明", "周明", "市长"),        # ideographic spaces
        ("甲省代省长 刘某某", "刘某某", "代省长"),
        ("乙区代区长孙某", "孙某", "代区长"),
        ("自治区人民政府主席巴特尔", "巴特尔", "主席"),
    ],
)
def test_speaker_spelled_as_published(line, speaker, role):
    text = "政府工作报告\n——2026年1月20日在甲市第十届人民代表大会第五次会议上\n" + line + "\n" + _headless("", gov="市")
    meta = extract_metadata(text)
    assert (meta.speaker, meta.speaker_title) == (speaker, role)


def test_speaker_from_a_news_line_above_the_opening():
    text = ("2026年丁省政府工作报告\n——2026年2月3日在丁省第十四届人民代表大会第四次会议上\n"
            "时间：2026-02-20赵某某2月3日，丁省第十四届人民代表大会第四次会议开幕。省长赵某某作政府工作报告。"
            "本报记者钱某摄" + _headless("", gov="省"))
    meta = extract_metadata(text)
    assert (meta.speaker, meta.speaker_title, meta.date) == ("赵某某", "省长", "2026-02-03")


def test_speaker_whose_name_runs_into_zuo():
    # 市长王工 + 作政府工作报告: the name is 王工, not 王工作
    text = "2026年戊市政府工作报告\n——2026年1月9日在戊市第九届人民代表大会上\n王工作政府工作报告。\n市长王工作政府工作报告。\n" + _headless("", gov="市")
    assert extract_metadata(text).speaker == "王工"


@pytest.mark.parametrize(
    "header",
    [
        "政府工作报告\n——2026年1月9日在戊市第九届人民代表大会第三次会议上\n【字号：大中小】\n",
        "政府工作报告\n打印 关闭\n",
        "政府工作报告\n发布时间：2026-01-30\n",
        "",
    ],
)
def test_no_speaker_is_invented(header):
    meta = extract_metadata(header + _headless(LOOKALIKES["开发"], gov="市"))
    assert (meta.speaker, meta.speaker_title) == ("", "")


def test_a_speech_recounted_in_prose_names_no_speaker():
    # a township report recalling the county magistrate's report: not its own speaker
    prose = "我们认真落实县长王某某在县人代会上作的政府工作报告部署，全力推进各项工作。"
    meta = extract_metadata("2026年某镇政府工作报告\n" + _headless(prose, gov="镇"))
    assert (meta.speaker, meta.speaker_title) == ("", "")


def test_caption_about_the_report_is_not_a_second_report(tmp_path):
    text = ("2026年平阴县政府工作报告\n——2026年1月20日在平阴县第十九届人民代表大会第六次会议上\n县长王工\n"
            "王工作政府工作报告。\n" + _headless("") + "县长王工代表县人民政府作政府工作报告。\n" + _headless(""))
    (tmp_path / "pingyin.txt").write_text(text, encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert len(corpus.reports) == 1, corpus.reports[["part", "title"]]
    row = corpus.reports.iloc[0]
    assert (row.region, row.speaker, row.date) == ("平阴县", "王工", "2026-01-20")


def test_units_cached_per_place_equal_uncached_and_independent():
    """units() is cached per place name: each call gives the uncached answer, as a fresh list."""
    from govreport.metadata import _units, units

    places = ["济南市市中区", "垦利区胜坨镇", "冠县", "北京市朝阳区", "不是地名", "", "平阴县平阴县"]
    for place in places * 2:
        got = units(place)
        assert got == list(_units.__wrapped__(place)), place
        got.append("x")  # the caller's list is its own
        assert "x" not in units(place)


OLD_BODY = "一、一九九五年工作回顾\n一年来，全{c}国民生产总值增长12%。\n二、一九九六年工作安排\n"


@pytest.mark.parametrize(("header", "gov", "want"), [
    # a date line in brackets below the title: the printed form of the delivery date
    ("临安县人民政府工作报告\n（一九八八年四月十二日）\n县长 何文龙", "县",
     ("临安县", "county", "杭州市", "330124", 1988, "1988-04-12")),
    # 元月 is January
    ("政府工作报告\n——二○一○年元月十八日在巢湖市第三届人民代表大会第三次会议上\n市长 王某某", "市",
     ("巢湖市", "prefecture", "安徽省", "341400", 2010, "2010-01-18")),
    # a year typed with Latin O for 〇
    ("政府工作报告\n——二OO五年一月二十日在邹平县第十五届人民代表大会第三次会议上\n县长 孟某", "县",
     ("邹平县", "county", "滨州市", "371626", 2005, "2005-01-20")),
    # a county-level city in its first year, and a 旗 under a 盟 that no longer exists
    ("临安市人民政府工作报告\n——一九九七年三月二十日在临安市第十一届人民代表大会第一次会议上\n市长 李某某", "市",
     ("临安市", "county", "杭州市", "330185", 1997, "1997-03-20")),
    ("政府工作报告\n一九九三年三月十日在扎鲁特旗第十一届人民代表大会第一次会议上\n旗长 巴特尔", "旗",
     ("扎鲁特旗", "county", "哲里木盟", "152327", 1993, "1993-03-10")),
    # a township whose county is named only in the body (在扎鲁特旗委…领导下)
    ("鲁北镇人民政府工作报告\n——二〇一七年一月六日在鲁北镇第十七届人民代表大会第一次会议上\n镇长 包金山", "镇",
     ("鲁北镇", "township", "扎鲁特旗", "", 2017, "2017-01-06")),
])
def test_older_and_lower_level_headers(header, gov, want):
    text = govreport.normalize_text(header + "\n" + OPENING.format(gov=gov) + "在扎鲁特旗委、旗政府的领导下，"
                                    + OLD_BODY.format(c=gov))
    m = extract_metadata(text)
    assert (m.region, m.level, m.parent, m.adcode, m.year, m.date) == want
