"""Keywords in context, the document-term matrix and corpus.subset (issue 14, item 11)."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from scipy import sparse

import govreport
from govreport.script import to_simplified


def test_kwic_hits_carry_their_context_and_raw_span(seed_corpus):
    k = govreport.kwic(seed_corpus, "新质生产力", window=20)
    assert len(k) > 0 and (k["keyword"] == "新质生产力").all()
    assert k["left"].str.len().le(20).all() and k["right"].str.len().le(20).all()
    for r in k.itertuples():
        doc = seed_corpus.document(r.source, r.part)
        assert doc.text[r.start : r.end] == "新质生产力"
        assert doc.text[r.start - len(r.left) : r.start] == r.left
        raw = doc.raw[r.raw_start : r.raw_end]
        assert re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", raw))) == "新质生产力"
    # regex and several words
    both = govreport.kwic(seed_corpus, ["新质生产力", "数字经济"])
    assert set(both["keyword"]) == {"新质生产力", "数字经济"}
    rx = govreport.kwic(seed_corpus, r"数字(经济|政府)", regex=True)
    assert set(rx["keyword"]) <= {"数字经济", "数字政府"} and len(rx) >= (both["keyword"] == "数字经济").sum()
    with pytest.raises(ValueError):
        govreport.kwic(seed_corpus, "")


def test_dtm_is_sparse_with_a_vocabulary(seed_corpus):
    tok = govreport.tokens(seed_corpus)
    m = govreport.dtm(tok)
    assert sparse.issparse(m.matrix) and m.shape == (len(seed_corpus), len(m.vocabulary))
    assert m.matrix.sum() == len(tok)
    # one cell checked against the tokens table
    j = m.vocabulary.index("发展")
    first = m.docs.iloc[0]
    n = ((tok["source"] == first["source"]) & (tok["part"] == first["part"]) & (tok["token"] == "发展")).sum()
    assert m.matrix[0, j] == n
    df = govreport.dtm(tok, by="source", min_count=5, drop_stopwords=True, as_frame=True)
    assert "的" not in df.columns and (df.sum(axis=0) >= 5).all()
    assert np.array_equal(df.to_numpy().sum(axis=1) > 0, np.ones(len(df), dtype=bool))


def test_subset_by_metadata(seed_corpus):
    rep = seed_corpus.reports
    sd = seed_corpus.subset(level="county", province="山东省", year=2026)
    want = rep[(rep.level == "county") & (rep.province == "山东省") & (rep.year == 2026)]
    assert len(sd) == len(want) > 0
    assert sorted(sd.reports["region"]) == sorted(want["region"])
    assert len(seed_corpus.subset(year="2026")) == len(seed_corpus.subset(year=2026))
    assert len(seed_corpus.subset(year=[2019, 2020])) == rep.year.isin([2019, 2020]).sum()
    assert len(seed_corpus.subset(year=lambda y: y >= 2024)) == (rep.year >= 2024).sum()
    # the subset's tables follow
    assert set(sd.indicators["source"]) <= set(want["source"])
    with pytest.raises(ValueError, match="山东省"):
        seed_corpus.subset(province="山东")
    with pytest.raises(ValueError, match="report column"):
        seed_corpus.subset(county="平阴县")
