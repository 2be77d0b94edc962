"""The build's lean text measures (govreport.measures) equal the tables composed from the
public functions (tokens → matches → attention / sectors / sector_shares / term_frequency)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import govreport
from govreport.corpus import Corpus
from govreport.measures import _group_sums, text_measures

attention_module = sys.modules["govreport.attention"]

# three areas tie in one sentence (agriculture, environment, innovation: a third each), a
# nested word (绿色低碳 holds 绿色), numbers, Latin words, protected words, odd characters
CONSTRUCTED = (
    "2026年某县政府工作报告\n——2026年1月20日在某县第一届人民代表大会第一次会议上\n各位代表：\n"
    "一、2025年工作回顾\n全县地区生产总值增长5.8%，粮食产量稳定，治理污染，推进科技创新。\n"
    "推动绿色低碳发展，PM2.5浓度下降，5G基站新建120个，GDP达到1,234.5亿元。\n"
    "二、2026年工作安排\n发展农业、治理污染、鼓励研发。发展农业、治理污染、鼓励研发。\n"
    "培育新质生产力，推进人工智能+行动，优化营商环境！防范化解风险？扩大内需。\n"
    "保障粮食安全，加强生态保护，建设数字乡村……㐀龥鿕鿖\u3000全角ＡＢＣ１２３——“引号”\n"
    "（三）其他\n召开会议。\n"
)
NO_PLAN = "政府工作报告\n各位代表：\n一、2025年工作回顾\n治理污染，发展农业。\n"


def _reference(corpus: Corpus) -> dict[str, pd.DataFrame]:
    return attention_module._text_measures_reference(corpus)


def _assert_same(corpus: Corpus) -> None:
    new, ref = text_measures(corpus), _reference(corpus)
    assert list(new) == list(ref)
    for name in ref:
        pd.testing.assert_frame_equal(new[name], ref[name], check_exact=True, obj=name)
        assert new[name].attrs == ref[name].attrs, name


def test_equal_to_reference_on_the_seeds(seed_corpus):
    _assert_same(seed_corpus)
    for doc in seed_corpus.documents[:4]:  # one report alone (a build's file)
        _assert_same(Corpus([doc]))


def test_equal_to_reference_on_constructed_text():
    docs = [
        *govreport.read_text(CONSTRUCTED, "b.txt").documents,
        *govreport.read_text(NO_PLAN, "a.txt").documents,
        *govreport.read_text(CONSTRUCTED.replace("农业", "农村"), "c.txt").documents,
    ]
    _assert_same(Corpus(docs))
    for doc in docs:
        _assert_same(Corpus([doc]))
    shares = text_measures(Corpus(docs[:1]))["sector_shares"].set_index("area")
    assert shares.loc["innovation", "n_sentences"] == pytest.approx(2 / 3)  # three-way ties


def test_every_token_ranked_when_top_terms_exceeds_the_vocabulary():
    corpus = govreport.read_text(CONSTRUCTED, "b.txt")
    new = text_measures(corpus, top_terms=10_000)["tokens_summary"]
    ref = attention_module._text_measures_reference(corpus, top_terms=10_000)["tokens_summary"]
    pd.testing.assert_frame_equal(new, ref, check_exact=True)
    assert new["count"].sum() == new["n_tokens"].iloc[0]  # all of them


def test_token_counts_equal_the_token_table(seed_corpus):
    # n_tokens and the top tokens come from counts, not from the per-token table
    tok = govreport.tokens(seed_corpus)
    out = text_measures(seed_corpus)
    per_report = tok.groupby(["source", "part"], sort=False).size()
    att = out["attention"].drop_duplicates(["source", "part"]).set_index(["source", "part"])
    assert att["n_tokens"].to_dict() == per_report.to_dict()
    summary = out["tokens_summary"]
    for (source, part), g in tok.groupby(["source", "part"]):
        counts = g["token"].value_counts()
        mine = summary[(summary.source == source) & (summary.part == part)]
        assert mine["count"].tolist() == sorted(counts.to_numpy(), reverse=True)[: len(mine)]
        assert (counts[mine["token"]].to_numpy() == mine["count"].to_numpy()).all()


@pytest.mark.parametrize("in_order", [True, False])
def test_group_sums_add_up_as_pandas(in_order):
    # thirds and fifths: the last bits depend on how pandas adds them
    rng = np.random.default_rng(7)
    n = 400
    key = np.sort(rng.integers(0, 12, n)) if in_order else rng.integers(0, 12, n)
    w = 1.0 / rng.integers(1, 6, n)
    wc = w * rng.integers(1, 300, n)
    groups, (s_w, s_wc) = _group_sums(key, [w, wc])
    ref = pd.DataFrame({"k": key, "w": w, "wc": wc}).groupby("k").agg(a=("w", "sum"), b=("wc", "sum"))
    assert groups.tolist() == ref.index.tolist()
    assert s_w.tolist() == ref["a"].tolist() and s_wc.tolist() == ref["b"].tolist()
    one = np.zeros(n, dtype=np.int64)  # a single group
    _, (s1,) = _group_sums(one, [wc])
    assert s1.tolist() == pd.DataFrame({"k": one, "v": wc}).groupby("k")["v"].sum().tolist()


def test_word_mask_is_not_punct_per_token(seed_corpus):
    """The word mask (a code-point table for a token's first character, a look-up for the
    rest) is ``not is_punct`` of every token, on the seeds and on odd characters: Greek and
    superscript letters or digits, astral Han, surrogates, multi-character punctuation."""
    from govreport.measures import _word_mask
    from govreport.tokens import get_tokenizer, is_punct

    tok = get_tokenizer()
    odd = CONSTRUCTED + "α²Ⅳ…—“”\U00020000字\U0001F600，①（一）\ud800 5G基站人工智能+.5％‰"
    for text in [odd, *(d.text for d in seed_corpus.documents)]:
        words, starts = tok._columns_array(text)
        assert _word_mask(text, words, starts).tolist() == [not is_punct(w) for w in words]
    words = ["……", "——", "a", "，", "α", "\U0001F600", "\U00020000"]  # tokens at their offsets
    text = "".join(words)
    starts = np.cumsum([0] + [len(w) for w in words[:-1]])
    assert _word_mask(text, words, starts).tolist() == [not is_punct(w) for w in words]


def test_before_since_equals_the_pandas_comparison():
    """_before (numpy on Int64 values and masks) is ``(year < since).fillna(False)``, with
    missing years or areas without a ``since`` (and a non-Int64 year column)."""
    from govreport.measures import _before

    year = pd.Series(pd.array([2019, None, 2024, 2025, None, 2010], dtype="Int64"))
    since = pd.array([2020, 2020, None, 2025, None, 2030], dtype="Int64")
    want = (year < since).fillna(False).astype(bool).to_numpy()
    assert _before(year, since).tolist() == want.tolist() == [True, False, False, False, False, True]
    as_float = year.astype("float64")
    assert _before(as_float, since).tolist() == (as_float < since).fillna(False).astype(bool).to_numpy().tolist()
