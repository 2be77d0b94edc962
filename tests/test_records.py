"""Corpora as researchers hold them: JSON Lines, JSON and DataFrames, one report per record."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import govreport
from govreport.records import apply_hints, hint_fields, text_field


def _report(unit: str = "县", gdp: str = "5.2", plan: int = 2026) -> str:
    return (
        f"各位代表：\n现在，我代表{unit}人民政府向大会报告工作，请予审议。\n一、{plan - 1}年工作回顾\n"
        f"过去一年，全{unit}地区生产总值增长{gdp}%，一般公共预算收入增长3.1%，城镇新增就业稳中有增。\n"
        f"二、{plan}年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，"
        "居民人均可支配收入与经济增长同步。\n"
    )


def _jsonl(path, records) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("field", ["content", "text", "full_text", "正文"])
def test_jsonl_text_field_by_its_name(tmp_path, field):
    _jsonl(tmp_path / "c.jsonl", [{"id": 1, "title": "2026年平阴县政府工作报告", field: _report()},
                                 {"id": 2, "title": "2026年平阴县政府工作报告", field: _report(gdp="6.1")}])
    corpus = govreport.read(tmp_path)
    assert corpus.errors.empty, corpus.errors.message.tolist()
    r = corpus.reports
    assert list(r.part) == [0, 1] and set(r.region) == {"平阴县"} and set(r.format) == {"jsonl"}
    assert list(r.record) == ["record 1, line 1", "record 2, line 2"]
    gdp = corpus.indicators.query("indicator == 'gdp' and kind == 'outcome'")
    assert sorted(gdp.value) == [5.2, 6.1]


def test_text_field_unnamed_is_the_longest_strings():
    recs = [{"a": "短", "b": _report() * 2}, {"a": "短", "b": _report()}]
    assert text_field(recs) == "b"
    assert text_field([{"a": "短", "b": "也短"}]) is None


def test_bad_record_in_the_middle_is_an_error_row_and_the_rest_is_read(tmp_path):
    _jsonl(tmp_path / "corpus.jsonl", [
        {"title": "2026年平阴县政府工作报告", "content": _report()},
        '{"title": "2026年某县政府工作报告", "content": "各位代表',      # cut off mid-string
        {"title": "2026年平阴县政府工作报告", "content": ""},               # a report without a body
        ["not", "a", "record"],
        {"title": "2026年平阴县政府工作报告", "content": "本网讯 今天天气晴。"},  # not a report
        {"title": "2025年平阴县政府工作报告", "content": _report(plan=2025)},
    ])
    corpus = govreport.read(tmp_path)
    assert list(corpus.reports.year) == [2026, 2025]
    assert list(corpus.reports.record) == ["record 1, line 1", "record 6, line 6"]
    errors = corpus.errors
    assert list(errors.source) == ["corpus.jsonl"] * 4
    msgs = list(errors.message)
    assert "record 2, line 2" in msgs[0] and "not valid JSON" in msgs[0]
    assert "record 3, line 3" in msgs[1] and "no text in field 'content'" in msgs[1]
    assert "record 4, line 4" in msgs[2] and "not a record" in msgs[2]
    assert "record 5, line 5" in msgs[3] and "not a government work report" in msgs[3]


def test_json_list_and_single_record(tmp_path):
    rec = {"标题": "2026年平阴县政府工作报告", "年份": 2026, "链接": "http://example.gov.cn/1.html", "正文": _report()}
    (tmp_path / "list.json").write_text(json.dumps([rec, {**rec, "链接": "http://example.gov.cn/2.html"}],
                                                   ensure_ascii=False), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    corpus = govreport.read(tmp_path)
    r = corpus.reports
    assert list(zip(r.source, r.part, strict=True)) == [("list.json", 0), ("list.json", 1), ("one.json", 0)]
    assert list(r.url) == ["http://example.gov.cn/1.html", "http://example.gov.cn/2.html", "http://example.gov.cn/1.html"]
    assert set(r.title) == {"2026年平阴县政府工作报告"} and set(r.format) == {"json"}


@pytest.mark.parametrize(
    "content, message",
    [
        ("[1, 2", "not valid JSON"),
        ("42", "not int"),
        ('[{"id": 1, "note": "短"}]', "no report text"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ],
)
def test_json_files_that_yield_nothing_are_error_rows(tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    (tmp_path / "good.jsonl").write_text(json.dumps({"content": _report()}, ensure_ascii=False), encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert list(corpus.reports.source) == ["good.jsonl"]
    assert list(corpus.errors.source) == ["bad.json"] and message in corpus.errors.message.iloc[0]


def test_record_fields_fill_what_the_text_leaves_empty(tmp_path):
    # the text never names its government (我代表省人民政府) nor, in a header, its year
    body = _report(unit="省").replace("一、2025年工作回顾", "一、过去一年工作回顾").replace("二、2026年工作安排", "二、今年工作安排")
    _jsonl(tmp_path / "p.jsonl", [{"province": "四川省", "year": "2026年", "url": "http://x/1", "content": body}])
    corpus = govreport.read(tmp_path)
    row = corpus.reports.iloc[0]
    assert (row.region, row.level, row.adcode, row.year, row.review_year, row.plan_year, row.url) == (
        "四川省", "province", "510000", 2026, 2025, 2026, "http://x/1")
    assert corpus.errors.empty


def test_record_fields_the_text_contradicts_are_warnings_and_the_text_is_kept(tmp_path):
    text = "2026年平阴县政府工作报告\n——2026年1月20日在平阴县第十九届人民代表大会第六次会议上\n" + _report()
    _jsonl(tmp_path / "p.jsonl", [
        {"province": "河南省", "year": 2024, "content": text},
        {"province": "山东省", "year": 2026, "content": text},   # agrees: the province holds the county
        {"region": "平阴", "year": 2026, "content": text},       # a short name agrees too
    ])
    corpus = govreport.read(tmp_path)
    assert list(corpus.reports.region) == ["平阴县"] * 3 and list(corpus.reports.year) == [2026] * 3
    e = corpus.errors
    assert list(e.part) == [0, 0] and set(e.stage) == {"metadata"}
    assert "year 2024" in e.message.iloc[0] and "region 河南省" in e.message.iloc[1]
    assert all("record 1, line 1" in m and "warning" in m for m in e.message)


def test_national_record_hint():
    meta = {"region": "", "year": 2016}
    assert apply_hints(meta, {"region": "全国"}) == [] and meta["level"] == "country"


def test_hint_fields_by_name():
    assert hint_fields(["省份", "年度", "标题", "网址", "发布日期", "内容"], "内容") == {
        "region": "省份", "year": "年度", "title": "标题", "url": "网址"}
    # a field whose name merely contains "name" is not the title
    assert hint_fields(["speaker_name", "file_name", "title", "content"], "content") == {"title": "title"}


def test_unsupported_suffix_lists_json_formats(tmp_path):
    (tmp_path / "x.xml").write_text("<a/>", encoding="utf-8")
    msg = govreport.read(tmp_path).errors.message.iloc[0]
    assert ".jsonl" in msg and ".json" in msg


# ---------------------------------------------------------------- DataFrames


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a1", "a2", "a3"],
        "content": [_report(), None, _report(gdp="6.3")],
        "prov": ["山东省", "山东省", "河南省"],
        "link": ["http://x/a1", "http://x/a2", "http://x/a3"],
        "batch": [1, 1, 2],
    }, index=[10, 11, 12])


def test_read_frame_rows_hints_and_ride_along_columns():
    corpus = govreport.read_frame(_frame(), text="content", source="my_corpus", region="prov", url="link", year=2026)
    r = corpus.reports
    assert list(r.source) == ["my_corpus", "my_corpus"] and list(r.part) == [0, 1]
    assert list(r.record) == ["row 10", "row 12"]
    assert list(r.doc_id) == ["a1", "a3"] and list(r.batch) == [1, 2] and list(r.prov) == ["山东省", "河南省"]
    assert list(r.url) == ["http://x/a1", "http://x/a3"]
    # 我代表县人民政府 names no county: the province column fills what it can, the year is given
    assert list(r.region) == ["山东省", "河南省"] and list(r.year) == [2026, 2026]
    assert corpus.errors.message.tolist() == ["my_corpus (row 11): no text in field 'content' (a report without a body)"]
    gdp = corpus.indicators.query("indicator == 'gdp' and kind == 'outcome'")
    assert sorted(gdp.value) == [5.2, 6.3]


def test_read_frame_finds_the_text_and_hint_columns():
    df = pd.DataFrame({"标题": ["2026年平阴县政府工作报告"], "正文": [_report()], "url": ["http://x/1"]})
    corpus = govreport.read_frame(df)
    row = corpus.reports.iloc[0]
    assert (row.region, row.title, row.url, row.source) == ("平阴县", "2026年平阴县政府工作报告", "http://x/1", "dataframe")


def test_read_frame_refuses_what_it_cannot_use():
    with pytest.raises(KeyError, match="no column 'body'"):
        govreport.read_frame(_frame(), text="body")
    with pytest.raises(TypeError, match="unknown hint"):
        govreport.read_frame(_frame(), text="content", province="prov")
    with pytest.raises(ValueError, match="no column holds report texts"):
        govreport.read_frame(pd.DataFrame({"a": ["短"], "b": ["也短"]}))
    with pytest.raises(TypeError, match="DataFrame"):
        govreport.read_frame([{"content": _report()}])


def test_csv_rows_that_yield_nothing_are_error_rows_naming_the_row(tmp_path):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["title", "content"])
    more = "我们坚持稳中求进工作总基调，扎实推进各项工作，全力办好民生实事。" * 6  # rows of report length
    w.writerow(["2026年平阴县政府工作报告", _report() + more])
    w.writerow(["2026年某县政府工作报告", ""])                      # no body
    w.writerow(["2026年某县政府工作报告", "各位代表", "多出的一列"])  # not two fields
    w.writerow(["2025年平阴县政府工作报告", _report(plan=2025) + more])
    (tmp_path / "rows.csv").write_text(buf.getvalue(), encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert list(corpus.reports.record) == ["row 1", "row 4"] and list(corpus.reports.year) == [2026, 2025]
    msgs = list(corpus.errors.message)
    assert len(msgs) == 2 and "(row 2): no text in column 'content'" in msgs[0]
    assert "(row 3): not 2 fields" in msgs[1]


def _csv_dump(path, header, rows) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


# a body that never names its government nor, in a header, its year (as in the JSON test above)
_BARE = _report(unit="省").replace("一、2025年工作回顾", "一、过去一年工作回顾").replace("二、2026年工作安排", "二、今年工作安排")
_MORE = "我们坚持稳中求进工作总基调，扎实推进各项工作，全力办好民生实事。" * 6  # CSV cells of report length


@pytest.mark.parametrize("header", [
    ["地区", "年份", "标题", "正文"],
    ["province", "report_year", "headline", "full_text"],
    ["地区名称", "年度", "报告标题", "内容"],
])
def test_csv_columns_are_hints_as_json_fields(tmp_path, header):
    # year, region and title columns fill what the text leaves empty, as a JSON record's fields do
    _csv_dump(tmp_path / "dump.csv", header, [["四川省", "2026", "四川省政府工作报告", _BARE + _MORE]])
    _jsonl(tmp_path / "same.jsonl", [dict(zip(header, ["四川省", "2026", "四川省政府工作报告", _BARE + _MORE],
                                                strict=True))])
    corpus = govreport.read(tmp_path)
    cols = ["region", "level", "adcode", "year", "review_year", "plan_year", "title"]
    r = corpus.reports.set_index("source")[cols]
    assert tuple(r.loc["dump.csv"]) == ("四川省", "province", "510000", 2026, 2025, 2026, "四川省政府工作报告")
    assert tuple(r.loc["dump.csv"]) == tuple(r.loc["same.jsonl"])
    assert corpus.errors.empty, corpus.errors.message.tolist()


def test_csv_columns_the_text_contradicts_are_warnings_as_for_json(tmp_path):
    text = "2026年平阴县政府工作报告\n——2026年1月20日在平阴县第十九届人民代表大会第六次会议上\n" + _report() + _MORE
    rows = [["河南省", "2024", text],   # both columns contradict the text
            ["山东省", "2026", text],   # agrees: the province holds the county
            ["平阴", "2026年", text]]  # a short name agrees too
    _csv_dump(tmp_path / "dump.csv", ["city", "year", "content"], rows)
    _jsonl(tmp_path / "same.jsonl", [{"city": c, "year": y, "content": t} for c, y, t in rows])
    corpus = govreport.read(tmp_path)
    r = corpus.reports
    assert list(r.region) == ["平阴县"] * 6 and list(r.year) == [2026] * 6  # the text is kept
    e = corpus.errors
    assert list(e.source) == ["dump.csv"] * 2 + ["same.jsonl"] * 2 and set(e.stage) == {"metadata"}
    assert "year 2024" in e.message.iloc[0] and "region 河南省" in e.message.iloc[1]
    assert all("(row 1): warning" in m for m in e.message.iloc[:2])
    assert [m.split("warning: ")[1] for m in e.message.iloc[:2]] == [m.split("warning: ")[1] for m in e.message.iloc[2:]]


def test_csv_region_name_column_is_not_the_title(tmp_path):
    # 地区名称 holds 名称 (a title header once matched anywhere in a column name): it is the region
    _csv_dump(tmp_path / "dump.csv", ["地区名称", "标题", "正文"], [["四川省", "", _BARE + _MORE]])
    row = govreport.read(tmp_path).reports.iloc[0]
    assert (row.region, row.title) == ("四川省", "")


def test_a_record_region_not_in_use_in_the_year_gives_no_adcode(tmp_path):
    _jsonl(tmp_path / "p.jsonl", [{"region": "哲里木盟", "year": 2005, "content": _BARE.replace("省", "盟")},
                                 {"region": "通辽市", "year": 2005, "content": _BARE.replace("省", "市")}])
    corpus = govreport.read(tmp_path)
    assert corpus.reports[["region", "adcode", "year"]].values.tolist() == [["哲里木盟", "", 2005], ["通辽市", "150500", 2005]]
    (message,) = corpus.errors.message
    assert "(record 1, line 1): warning: the record's region 哲里木盟 (152300) is in no division code list of 2005" in message
