"""Tests for govreport.attention with constructed sentences."""

from __future__ import annotations

import pandas as pd
import pytest

import govreport
from govreport.attention import (
    attention,
    distinctive_terms,
    load_dictionaries,
    matches,
    sector_shares,
    sectors,
    term_frequency,
)
from govreport.tokens import get_tokenizer

TEXT = ("政府工作报告\n各位代表：\n一、2025年工作回顾\n推动绿色发展，绿色低碳转型取得成效。"
        "空气质量持续改善。\n二、2026年工作安排\n大力发展数字经济和人工智能。"
        "推进高标准农田建设，发展智慧农业。加强污染防治。")


@pytest.fixture(scope="module")
def corpus():
    return govreport.read_text(TEXT, "c.txt")


def test_each_dictionary_loads():
    d = load_dictionaries()
    areas = set(d.area)
    assert len(areas) >= 11
    for area, g in d.groupby("area"):
        assert len(g) >= 20, area
        assert g.label_zh.iloc[0] and g.label_en.iloc[0] and g.source.iloc[0] and g.version.iloc[0]
    env = d[d.area == "environment"]
    assert env[~env.extended].term.tolist()[-2:] == ["PM10", "PM2.5"]
    assert not d.duplicated(["area", "term"]).any()


def test_dictionary_terms_are_tokens():
    tok = get_tokenizer()
    d = load_dictionaries()
    split = [t for t in d.term if tok.tokenize(t) != [t]]
    assert not split, split[:10]


def test_user_dictionary_file(tmp_path, corpus):
    p = tmp_path / "mine.txt"
    p.write_text("# area: mine\n# label_zh: 我的\n# version: 0.1\n智慧农业\n数字经济\n", encoding="utf-8")
    d = load_dictionaries(p)
    assert d[d.area == "mine"].term.tolist() == ["智慧农业", "数字经济"]
    a = attention(corpus, p)
    assert a["count"].tolist() == [2]


def test_longest_first(corpus):
    m = matches(corpus, {"env": ["绿色", "绿色发展"]})
    assert m.term.tolist().count("绿色发展") == 1
    # 绿色 only where no longer term covers it (绿色低碳转型 → 绿色 / 低碳 / 转型)
    assert m.term.tolist().count("绿色") == 1
    c = govreport.read_text("政府工作报告\n各位代表：\n坚持绿色发展。", "g.txt")
    assert attention(c, {"env": ["绿色", "绿色发展"]})["count"].tolist() == [1]
    assert attention(c, {"env": ["绿色"]})["count"].tolist() == [1]


def test_both_denominators(corpus):
    t = attention(corpus, denominator="tokens")
    c = attention(corpus, denominator="chars")
    assert {"n_tokens", "share_per_1k_tokens"} <= set(t.columns)
    assert {"n_chars", "share_per_10k_chars"} <= set(c.columns)
    assert (t["count"].to_numpy() == c["count"].to_numpy()).all()
    tok = govreport.tokens(corpus)
    assert t.n_tokens.iloc[0] == len(tok)
    assert c.n_chars.iloc[0] == tok.token.str.len().sum()
    row = t[t.area == "environment"].iloc[0]
    assert row.share_per_1k_tokens == pytest.approx(row["count"] / row.n_tokens * 1000)


def test_sections(corpus):
    d = {"env": ["绿色发展", "污染防治"], "digi": ["数字经济"]}
    rev = attention(corpus, d, section="review").set_index("area")["count"]
    tasks = attention(corpus, d, section="tasks").set_index("area")["count"]
    assert rev.to_dict() == {"env": 1, "digi": 0}
    assert tasks.to_dict() == {"env": 1, "digi": 1}


def test_determinism(corpus):
    assert attention(corpus).equals(attention(corpus))
    assert sectors(corpus).equals(sectors(corpus))
    s = sectors(corpus)
    assert sector_shares(s, corpus).equals(sector_shares(s, corpus))


def test_sectors_and_shares(corpus):
    s = sectors(corpus, {"agri": ["高标准农田", "智慧农业"], "digi": ["数字经济", "人工智能"]})
    tasks = s[s.section == "tasks"]
    top = tasks[tasks.top]
    assert set(top.area) == {"agri", "digi"}
    sh = sector_shares(s, corpus)
    assert set(sh.area) == {"agri", "digi"}
    assert sh.share.sum() <= 1 + 1e-9
    assert (sh.share > 0).all()


def _toy():
    rows = []
    for src, words in {"a": ["海洋"] * 8 + ["发展"] * 12, "b": ["海洋"] * 2 + ["发展"] * 18}.items():
        rows += [{"source": src, "part": 0, "token": w} for w in words]
    return pd.DataFrame(rows)


def test_log_odds_prior():
    tok = _toy()
    small = distinctive_terms(tok, group={"source": "a"}, prior=0.1)
    large = distinctive_terms(tok, group={"source": "a"}, prior=10.0)
    z_small = small.set_index("token").z["海洋"]
    z_large = large.set_index("token").z["海洋"]
    assert z_small > 0 and z_large > 0
    assert z_large < z_small
    assert small.set_index("token").z["发展"] < 0


def test_log_odds_by_column_and_tfidf():
    tok = _toy()
    r = distinctive_terms(tok, group="source")
    assert r[r.group == "b"].iloc[0].token == "发展"
    t = distinctive_terms(tok, group="source", method="tfidf")
    assert set(t.columns) == {"group", "token", "count", "tf", "idf", "tfidf"}


def test_term_frequency_joins_reports(corpus):
    tok = govreport.tokens(corpus)
    tf = term_frequency(tok, reports=corpus)
    assert {"region", "year", "token", "count", "rate_per_10k_chars", "rate_per_1k_tokens"} <= set(tf.columns)
    assert tf.n_tokens.iloc[0] == len(tok)
    with pytest.raises(ValueError):
        term_frequency(tok)
    assert term_frequency(corpus).equals(tf)


# --------------------------------------------------------------------------- issue 14, item 7


def test_each_area_counts_the_same_alone_and_with_the_others(seed_corpus):
    # an area's count and the denominator never depend on the other dictionaries loaded
    d = load_dictionaries()
    every = attention(seed_corpus, d).set_index(["source", "part", "area"])
    for area in ("environment", "innovation", "new_productive_forces"):
        alone = attention(seed_corpus, d[d.area == area]).set_index(["source", "part", "area"])
        both = every.loc[alone.index]
        assert alone["count"].tolist() == both["count"].tolist(), area
        assert alone["n_tokens"].tolist() == both["n_tokens"].tolist(), area
    # adding an area of your own leaves the packaged areas as they were
    mine = load_dictionaries({"tourism": ["全域旅游", "旅游", "景区"]})
    with_mine = attention(seed_corpus, mine).set_index(["source", "part", "area"])
    assert with_mine.loc[every.index, "count"].tolist() == every["count"].tolist()
    assert with_mine.loc[every.index, "n_tokens"].tolist() == every["n_tokens"].tolist()


def test_overlapping_terms_of_two_areas_count_in_each():
    c = govreport.read_text("政府工作报告\n各位代表：\n推动绿色低碳发展。", "o.txt")
    alone = attention(c, {"a": ["绿色"]}).set_index("area")["count"]
    both = attention(c, {"a": ["绿色"], "b": ["绿色低碳"]}).set_index("area")["count"]
    assert alone["a"] == both["a"] == 1 and both["b"] == 1


def test_reports_before_an_area_existed_are_marked():
    d = load_dictionaries()
    assert d.loc[d.area == "new_productive_forces", "since"].eq(2023).all()
    assert d.loc[d.area == "environment", "since"].isna().all()
    text = "{y}年政府工作报告\n——{y}年1月20日在某县第一届人民代表大会第一次会议上\n各位代表：\n加快发展新质生产力，推进污染防治。"
    c2019 = govreport.read_text(text.format(y=2019), "a2019.txt")
    c2026 = govreport.read_text(text.format(y=2026), "a2026.txt")
    a19 = attention(c2019).set_index("area")
    a26 = attention(c2026).set_index("area")
    assert a19.loc["new_productive_forces", "before_since"] and a19.loc["new_productive_forces", "count"] >= 1
    assert not a26.loc["new_productive_forces", "before_since"]
    assert not a19.loc["environment", "before_since"]  # no start year: never marked
