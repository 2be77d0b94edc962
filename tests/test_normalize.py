"""Each normalisation rule on text constructed for it, and the map back to the raw text."""

import pytest

from govreport.normalize import (
    collapse_spaces,
    join_broken_lines,
    normalize,
    normalize_line_ends,
    normalize_text,
    normalize_unicode,
    remove_page_artifacts,
    remove_web_boilerplate,
    split_long_lines,
    strip_markup,
)


@pytest.mark.parametrize(
    "func, raw, expected",
    [
        (normalize_line_ends, "甲\r\n乙\r丙\n", "甲\n乙\n丙\n"),
        (normalize_unicode, "ＧＤＰ增长６．５％", "GDP增长6.5%"),
        (normalize_unicode, "二○二五年\u3000增长", "二〇二五年 增长"),
        (normalize_unicode, "收入\u00a0增长\u200b５％", "收入 增长5%"),
        (normalize_unicode, "目标：增长，（一）", "目标：增长，（一）"),
        (strip_markup, "[bookmark: _Toc123]一、工作回顾", "一、工作回顾"),
        (strip_markup, "## 二、目标任务", "二、目标任务"),
        (strip_markup, "发展的**主要预期目标**为", "发展的主要预期目标为"),
        (remove_page_artifacts, "增长。\n- 2 -\n下一页", "增长。\n\n下一页"),
        (remove_page_artifacts, "增长。\n— 12 —\n", "增长。\n\n"),
        (remove_page_artifacts, "全年增长（下转第四版）8%", "全年增长8%"),
        (remove_web_boilerplate, "字号 大 中 小\n正文", "\n正文"),
        (remove_web_boilerplate, "打印 收藏 关闭窗口\n正文", "\n正文"),
        (remove_web_boilerplate, "当前位置：首页 > 政务公开\n正文", "\n正文"),
        (collapse_spaces, "2025 年 地区生产总值增长 5.8 %", "2025年地区生产总值增长5.8%"),
        (collapse_spaces, "政 府 工 作 报 告", "政府工作报告"),
        (join_broken_lines, "规模以上工业增加值增\n\n长 8%左右。", "规模以上工业增加值增长 8%左右。"),
        (join_broken_lines, "人均可支配收入分别增长3.9%、\n5.6%。", "人均可支配收入分别增长3.9%、5.6%。"),
        (join_broken_lines, "——2026年3月1日在某某县第九届\n人民代表大会第二次会议上", "——2026年3月1日在某某县第九届人民代表大会第二次会议上"),
        (join_broken_lines, "二、2026年工作安排\n各位代表！新的一年", "二、2026年工作安排\n各位代表！新的一年"),
    ],
)
def test_rule(func, raw, expected):
    assert func(raw) == expected


def test_pipeline_joins_word_broken_over_blank_line():
    assert normalize_text("规模以上工业增加值增\n\n长 8%左右，") == "规模以上工业增加值增长8%左右，"


def test_hard_wrapped_pdf_lines_are_joined():
    line = "全县地区生产总值增长百分之六左右，一般公共预算收入增长"
    text = "\n".join([line[:20], line[20:] + "五个百分点以上。"] + ["这是一行二十个字的普通文本内容测试用的。"[:20]] * 10)
    out = normalize_text(text)
    assert "收入增长五个百分点" in out or line in out


def test_one_line_body_spaces_become_paragraphs():
    body = "各位代表: 现在,我代表县人民政府向大会报告工作。 一、2025年工作回顾 过去一年,全县地区生产总值增长6%。" * 40
    out = split_long_lines(body)
    assert "\n一、2025年工作回顾\n过去一年" in out


def test_positions_map_back_to_raw():
    raw = "［bookmark: x］\r\n地区生产总值增长 ５．８％"
    mt = normalize(raw)
    i = mt.text.index("5.8")
    assert raw[mt.to_raw(i)] == "５"
    j = mt.text.index("增长")
    assert raw[mt.to_raw(j) : mt.to_raw(j) + 2] == "增长"


def test_running_header_beside_page_numbers_is_dropped():
    """A PDF's running header (the same short line next to each page number) goes where it
    stands beside a page number, so a figure broken over the page is read whole; the same
    words as a title on page one stay. Before, 沭阳县人民政府文件 sat inside 108.6亿…元."""
    raw = ("沭阳县人民政府文件\n政府工作报告\n全县地区生产总值达到108.6亿\n— 3 —\n\n沭阳县人民政府文件\n"
           "元，增长9.2%；一般公共预算收入12.\n- 4 -\n沭阳县人民政府文件\n3亿元。\n")
    out = normalize_text(raw)
    assert "达到108.6亿元，增长9.2%" in out and "收入12.3亿元" in out
    assert out.startswith("沭阳县人民政府文件\n政府工作报告")
    assert out.count("沭阳县人民政府文件") == 1


def test_running_footer_before_page_number_and_a_line_seen_once_stay_apart():
    """A footer line before the page number goes too; a short line next to one page number
    only (a heading) stays."""
    raw = ("收入达到12\n某县人民政府\n第 1 页\n亿元，增长8%；投资达到30\n某县人民政府\n第 2 页\n"
           "亿元。\n二、今年目标\n第 3 页\n增长6%。")
    out = normalize_text(raw)
    assert "12亿元，增长8%" in out and "30亿元" in out and "某县人民政府" not in out
    assert "二、今年目标" in out
