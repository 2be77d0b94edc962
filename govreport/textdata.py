"""Text-as-data helpers familiar from quanteda and cntext: keywords in context, a
document-term matrix, and choosing reports by their metadata.

* :func:`kwic` — every occurrence of a word or pattern with its context and its span in the
  normalised and in the raw text (so each hit can be cited);
* :func:`dtm` — a document-term matrix (``scipy.sparse`` + vocabulary, or a DataFrame) from
  the tokens table;
* :func:`subset` (also ``corpus.subset(...)``) — the reports whose metadata match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .tokens import _documents, section_index, section_kinds

__all__ = ["kwic", "dtm", "DocumentTermMatrix", "subset", "KWIC_COLUMNS"]

KWIC_COLUMNS = ["source", "part", "region", "year", "section", "start", "end", "left", "keyword",
                "right", "raw_start", "raw_end"]


def kwic(corpus: Any, pattern: str | Iterable[str], window: int = 20, *, regex: bool = False) -> pd.DataFrame:
    """Keywords in context: one row per occurrence of ``pattern`` in the reports.

    Parameters
    ----------
    corpus : a :class:`~govreport.Corpus` (or a list of its documents).
    pattern : a word (``"新质生产力"``), a list of words, or with ``regex=True`` a regular
        expression (``r"数字(经济|政府)"``).
    window : characters of context on each side.
    regex : treat ``pattern`` as a regular expression.

    Columns: ``source, part, region, year, section`` (kind of the section the hit is in),
    ``start, end`` (span in the normalised text), ``left, keyword, right`` and
    ``raw_start, raw_end`` (the span in the file as read, for citing:
    ``doc.raw[raw_start:raw_end]``). Sorted by report and position.

    >>> import govreport
    >>> c = govreport.read_text("政府工作报告\\n各位代表：\\n加快发展新质生产力，培育新质生产力。", "k.txt")
    >>> kwic(c, "新质生产力", window=4)[["left", "keyword", "right", "start"]].values.tolist()
    [['加快发展', '新质生产力', '，培育新', 17], ['力，培育', '新质生产力', '。', 25]]
    """
    if isinstance(pattern, str):
        words = [pattern]
    else:
        words = [str(p) for p in pattern]
    words = [w for w in words if w]
    if not words:
        raise ValueError("kwic() needs a non-empty pattern")
    if regex:
        rx = re.compile("|".join(f"(?:{w})" for w in words))
    else:
        rx = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    rows = []
    for d in _documents(corpus):
        text = d.text
        hits = [m for m in rx.finditer(text) if m.end() > m.start()]
        kinds = section_kinds(section_index(getattr(d, "sections", [])), [m.start() for m in hits])
        for m, kind in zip(hits, kinds, strict=True):
            s, e = m.span()
            rs, re_ = d.raw_span(s, e) if hasattr(d, "raw_span") else (None, None)
            rows.append((d.source, d.part, d.meta.get("region", ""), d.meta.get("year"), kind, s, e,
                         text[max(0, s - window) : s], m.group(0), text[e : e + window], rs, re_))
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    for c in ("year", "raw_start", "raw_end"):
        df[c] = df[c].astype("Int64")
    for c in ("part", "start", "end"):
        df[c] = df[c].astype("int64")
    return df


@dataclass
class DocumentTermMatrix:
    """A sparse document-term matrix: ``matrix`` (documents × terms, ``scipy.sparse.csr_matrix``
    of counts), ``vocabulary`` (the terms, column order) and ``docs`` (one row per matrix row:
    the grouping columns)."""

    matrix: Any
    vocabulary: list[str]
    docs: pd.DataFrame

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def to_frame(self) -> pd.DataFrame:
        """A dense DataFrame: one row per document (index = grouping columns), one column per term."""
        index = pd.MultiIndex.from_frame(self.docs) if self.docs.shape[1] > 1 else pd.Index(self.docs.iloc[:, 0])
        return pd.DataFrame(self.matrix.toarray(), index=index, columns=self.vocabulary)


def dtm(
    tokens_df: Any,
    by: str | Iterable[str] = ("source", "part"),
    *,
    min_count: int = 1,
    drop_stopwords: bool = False,
    as_frame: bool = False,
) -> DocumentTermMatrix | pd.DataFrame:
    """A document-term matrix of token counts.

    Parameters
    ----------
    tokens_df : a table from :func:`govreport.tokens` (or a Corpus, tokenised with the defaults).
    by : the columns that make a document (default: each report, ``source`` and ``part``).
    min_count : keep terms seen at least this often in all documents together.
    drop_stopwords : drop the packaged stopwords and punctuation first.
    as_frame : return a dense DataFrame instead of a :class:`DocumentTermMatrix`.

    Returns a :class:`DocumentTermMatrix` — ``.matrix`` (``scipy.sparse.csr_matrix``, documents ×
    terms), ``.vocabulary`` (list of terms), ``.docs`` (grouping columns per row) — or, with
    ``as_frame=True``, a DataFrame of counts.

    >>> tok = pd.DataFrame({"source": ["a", "a", "a", "b"], "part": 0,
    ...                     "token": ["绿色", "发展", "绿色", "发展"]})
    >>> m = dtm(tok)
    >>> m.vocabulary, m.matrix.toarray().tolist()
    (['发展', '绿色'], [[1, 2], [1, 0]])
    >>> dtm(tok, as_frame=True).loc[("a", 0), "绿色"]
    np.int64(2)
    """
    from scipy import sparse

    if hasattr(tokens_df, "documents"):
        from .tokens import tokens

        tokens_df = tokens(tokens_df)
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, "token"] if c not in tokens_df.columns]
    if missing:
        raise ValueError(f"the tokens table has no column(s) {missing}")
    tok = tokens_df
    if drop_stopwords:
        from .tokens import is_punct, stopwords

        stop = stopwords()
        tok = tok[~tok["token"].isin(stop) & ~tok["token"].map(is_punct)]
    counts = tok.groupby("token").size()
    vocab = sorted(counts.index[counts >= min_count])
    tok = tok[tok["token"].isin(set(vocab))]
    docs = tokens_df[by].drop_duplicates().sort_values(by, kind="stable").reset_index(drop=True)
    row_of = pd.MultiIndex.from_frame(docs) if len(by) > 1 else pd.Index(docs[by[0]])
    rows = row_of.get_indexer(pd.MultiIndex.from_frame(tok[by]) if len(by) > 1 else pd.Index(tok[by[0]]))
    cols = pd.Index(vocab).get_indexer(tok["token"])
    mat = sparse.csr_matrix((np.ones(len(tok), dtype=np.int64), (rows, cols)), shape=(len(docs), len(vocab)))
    mat.sum_duplicates()
    out = DocumentTermMatrix(mat, list(vocab), docs)
    return out.to_frame() if as_frame else out


def subset(corpus: Any, **filters: Any) -> Any:
    """The reports of ``corpus`` whose metadata match every filter, as a new Corpus.

    Parameters
    ----------
    corpus : a :class:`~govreport.Corpus`.
    **filters : a column of ``corpus.reports`` and a value, a list of values, or a callable
        on the column: ``level="county"``, ``province="山东省"``, ``year=2026`` (int or str),
        ``year=[2025, 2026]``, ``year=lambda y: y >= 2020``.

    An unknown column, or a value that no report has, raises ``ValueError`` naming close
    matches (``province="山东"`` → ``山东省``).

    >>> import govreport
    >>> c = govreport.read_text("2026年平阴县政府工作报告\\n各位代表：\\n全县地区生产总值增长5%左右。", "p.txt")
    >>> len(subset(c, year=2026)), len(c.subset(year="2026", level="county"))
    (1, 1)
    """
    from .corpus import Corpus
    from .panel import _unknown

    rep = corpus.reports
    mask = pd.Series(True, index=rep.index)
    for col, want in filters.items():
        if col not in rep.columns:
            raise _unknown("report column", col, list(rep.columns))
        s = rep[col]
        if callable(want):
            m = pd.Series(want(s), index=rep.index).fillna(False).astype(bool)
        else:
            values = list(want) if isinstance(want, list | tuple | set | frozenset) else [want]
            have = {str(v) for v in s.dropna()}
            for v in values:
                if str(v) not in have:
                    raise _unknown(f"{col}", v, sorted(have))
            m = s.astype("string").isin([str(v) for v in values]).fillna(False).astype(bool)
        mask &= m
    keep = set(zip(rep.loc[mask, "source"], rep.loc[mask, "part"], strict=True))
    docs = [d for d in corpus.documents if (d.source, d.part) in keep]
    errors = [e for e in corpus._errors if (e.get("source"), e.get("part")) in keep]
    out = Corpus(docs, errors)
    out.corrections = getattr(corpus, "corrections", None)
    return out
