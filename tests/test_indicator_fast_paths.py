"""The indicator extractor's fast paths give what the plain ways give: lexicon matches found
through the candidate trie, mark positions from the one-pass table, the typed frame."""

import re

import numpy as np
import pandas as pd
import pytest

from govreport import indicators as ind
from govreport.lexicon import (
    _CANDIDATES,
    add_indicators,
    compiled_lexicon,
    indicator_lexicon,
    lexicon_matches,
    reset_indicators,
    split_variants,
)
from govreport.patterns import literal_prefixes

# constructed text: names, near-names and regex variants next to each other and run together
CONSTRUCTED = (
    "全县地区生产总值增长8.6%；规上工业增加值增长7.6%，规模以上工业企业实现产值320亿元。"
    "参与核算的规上服务业营收增长9%，服务业企业营业收入增长4%。经济增长5.5%，经济增速回落。"
    "细颗粒物（PM2.5）平均浓度30微克/立方米，PM2.5浓度下降，空气质量优良天数比例92%。"
    "一、二、三产业增加值分别增长3%、6%和7%；单位地区生产总值二氧化碳排放下降3%。"
    "研究与试验发展（R&D）经费支出占地区生产总值比重2.5%，全社会研发经费投入占比3%。"
    "税收收入同比增长5%，税收增长；规规上上工业经经济济增增长。\n地区生产总值地区生产总值"
)


def _spans(matches):
    return [(m.start(), m.end(), m.lastgroup, m.group(0)) for m in matches]


def test_lexicon_matches_are_the_lexicon_patterns_own(seed_corpus):
    pattern = compiled_lexicon()[0]
    assert _CANDIDATES.get(pattern) is not None  # the fast path is the one tested
    texts = [CONSTRUCTED, CONSTRUCTED[7:], *(d.text for d in seed_corpus.documents)]
    for text in texts:
        assert _spans(lexicon_matches(text)) == _spans(pattern.finditer(text))
    groups = {m.lastgroup for m in lexicon_matches(CONSTRUCTED)}
    assert "lit" in groups and len(groups) >= 10  # literal names and most regex variants


def test_lexicon_matches_follow_an_added_indicator():
    try:
        add_indicators([{"key": "tourism_revenue", "variants": r"旅游(?:总)?收入|游客(?:接待)?人次"}])
        pattern = compiled_lexicon()[0]
        text = "旅游总收入增长12%，游客接待人次突破500万。旅游收入"
        assert _spans(lexicon_matches(text)) == _spans(pattern.finditer(text))
        assert [m.group(0) for m in lexicon_matches(text)] == ["旅游总收入", "游客接待人次", "旅游收入"]
    finally:
        reset_indicators()


def test_literal_prefixes_start_every_match_of_each_regex_variant(seed_corpus):
    variants = [v for vs in indicator_lexicon()["variants"] for v in split_variants(str(vs))
                if re.search(r"[\\()\[\]{}?*+.^$]", v)]
    assert variants
    texts = [CONSTRUCTED, *(d.text for d in seed_corpus.documents)]
    for v in variants:
        prefixes = literal_prefixes(v)
        assert prefixes, v
        for text in texts:
            for m in re.finditer(v, text):
                assert any(m.group(0).startswith(p) or p.startswith(m.group(0)) for p in prefixes), (v, m)
    assert literal_prefixes(r"a*b") == {"aaa", "aab", "ab", "b"}
    assert literal_prefixes(r"(?:a?)*b") is None and literal_prefixes(r"(?i)ab") is None
    assert literal_prefixes(r"[^a]b") is None and literal_prefixes(r"x{0,2}y", 2) == {"xx", "xy", "y"}


@pytest.mark.parametrize("chars", [*ind._MARK_SETS, "（）", "\n"])
def test_mark_positions_from_the_table_are_the_characters_positions(seed_corpus, chars):
    for text in [CONSTRUCTED + "𠀀，。\n", *(d.text for d in seed_corpus.documents[:4])]:
        assert ind._marks(text, chars) == [i for i, c in enumerate(text) if c in chars]


def test_the_typed_frame_equals_the_frame_pandas_infers(seed_corpus):
    rows = [r for d in seed_corpus.documents[:5] for r in ind.extract_rows(
        d.text, d.sections, review_year=d.meta.get("review_year"), plan_year=d.meta.get("plan_year"),
        source=d.source, part=d.part)]
    assert rows and any(r["value_high"] is None for r in rows) and any(r["value"] != r["value"] for r in rows)
    plain = pd.DataFrame(rows, columns=ind.COLUMNS).astype(
        {"value": float, "value_high": float, "estimate": bool, "part": int})
    pd.testing.assert_frame_equal(ind._frame(rows), plain, check_exact=True)
    assert ind._frame([]).columns.tolist() == ind.COLUMNS
    assert np.isnan(ind._frame(rows)["value_high"]).any()


# plan drafts and cues run together, at the text's start, after 回顾 and after every sentence mark
DRAFTS_AND_CUES = (
    "一年来，全县地区生产总值增长5%。回顾过去五年，\n 五年来，。。“十四五”时期，“十五”时期，回顾一年来，"
    "2025年，规划。编制第十五个五年规划纲要，十五五规划纲要和“十五五”规划纲要（草案）、十四五”规划纲要，"
    "规划规划纲要第十四个五年规划！今年以来，这一年？去年!各位代表，过去的一年\n2024年工作，十六五规划"
)


def test_plan_drafts_are_the_patterns_own_matches(seed_corpus):
    for text in [DRAFTS_AND_CUES, DRAFTS_AND_CUES[3:], *(d.text for d in seed_corpus.documents)]:
        fast = [(m.span(), m.groups()) for m in ind._plan_drafts(text)]
        assert fast == [(m.span(), m.groups()) for m in ind._PLAN_DRAFT.finditer(text)]
    assert len(ind._plan_drafts(DRAFTS_AND_CUES)) >= 5


def test_period_cues_are_the_cue_patterns_own_matches(seed_corpus):
    for text in [DRAFTS_AND_CUES, DRAFTS_AND_CUES[1:], "回顾一年来", *(d.text for d in seed_corpus.documents)]:
        fast = [(m.span(), m.group(0)) for m in ind._cue_matches(text)]
        assert fast == [(m.span(), m.group(0)) for m in ind._CUE.finditer(text)]
    assert len(list(ind._cue_matches(DRAFTS_AND_CUES))) >= 8


# windows around ratios and thresholds: at the longest, cut short, and near misses
RATIOS_AND_THRESHOLDS = (
    "服务业增加值在全市地区生产总值中的比重达到55%，物流费用与GDP的比率，研发经费投入占比3%，"
    "全县规上工业增加值占比达到40%，一般公共预算收入的比重为12%。全年税收收入的比例超过70%。规上工业增加值比率为30%。"
    "占一二三四五六七八九十一二中的比例，在一二三四五六七八九十一二三中的比重，之比，比重。"
    "地区生产总值突破千亿元大关，跨上两万亿台阶，迈入5千亿级城市行列，达到万亿元，突破千万元。"
)


def test_ratio_matches_hold_a_bi_within_the_ratio_span(seed_corpus):
    """_whole_region tries _RATIO only where 比 is within _RATIO_SPAN characters: every match is."""
    longest = "在一二三四五六七八九十一二中的比重"
    assert ind._RATIO.match(longest).end() == ind._RATIO_SPAN == len(longest)
    n = 0
    for text in [RATIOS_AND_THRESHOLDS, *(d.text for d in seed_corpus.documents)]:
        for p in range(len(text)):
            m = ind._RATIO.match(text, p)
            if m:
                n += 1
                assert m.end() - p <= ind._RATIO_SPAN and "比" in m.group(0)
    assert n >= 4


def test_rows_are_the_same_with_every_ratio_and_threshold_tried(seed_corpus, monkeypatch):
    """The 比/亿 guards only skip what cannot match: rows equal those of always trying the patterns."""
    docs = [(RATIOS_AND_THRESHOLDS, None, 2025, 2026), *((d.text, d.sections, d.meta.get("review_year"),
                                                         d.meta.get("plan_year")) for d in seed_corpus.documents)]

    def rows():
        return [ind.extract_rows(t, s, review_year=r, plan_year=p) for t, s, r, p in docs]

    fast = rows()
    assert any(r["indicator"] for rs in fast for r in rs)
    monkeypatch.setattr(ind, "_may_be_ratio", lambda text, pos: True)
    monkeypatch.setattr(ind, "_may_hold_threshold", lambda text, start, end: True)
    plain = rows()
    assert pd.DataFrame([r for rs in fast for r in rs]).equals(pd.DataFrame([r for rs in plain for r in rs]))


def test_threshold_and_ratio_guards_on_constructed_windows():
    text = RATIOS_AND_THRESHOLDS
    found = list(ind._THRESHOLD.finditer(text))
    assert len(found) >= 3 and all("亿" in m.group(0) for m in found)
    assert not ind._may_hold_threshold(text, 0, text.index("突破"))
    assert not ind._may_be_ratio("增长8%，达到5%", 0) and ind._may_be_ratio("在全市中的比重", 0)


# 分别/预计 pieces at the text's start and end, near misses and runs
ESTIMATES_AND_RESPECTIVELY = (
    "分别增长5%。，预计分别增长3%和4%，预计全年增长6%，初步核算，初步统计，初步测算，预估，预算，初心，"
    "城乡居民收入，实际增长5.5%和6.1%，名义下降1.2%、3%，增长5%和，下降，分别，,分别,实际增长8%、9%；预计"
    "，分别"
)


@pytest.mark.parametrize("pattern", [ind._ESTIMATE, ind._RESPECTIVELY], ids=["estimate", "respectively"])
def test_estimate_and_respectively_scans_are_the_patterns_own_matches(seed_corpus, pattern):
    scan = ind._SCANS[pattern]
    texts = [ESTIMATES_AND_RESPECTIVELY, ESTIMATES_AND_RESPECTIVELY[1:], ESTIMATES_AND_RESPECTIVELY[2:], "",
             *(d.text for d in seed_corpus.documents)]
    for text in texts:
        assert [(m.span(), m.group(0)) for m in scan(text)] == [(m.span(), m.group(0)) for m in pattern.finditer(text)]
    assert len(scan(ESTIMATES_AND_RESPECTIVELY)) >= 5
