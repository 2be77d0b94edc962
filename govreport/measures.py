"""The build's text tables — attention, sectors, sector_shares, tokens_summary — in one lean
pass over each report (what :func:`govreport.attention.text_measures` runs).

Per report: tokenise once (:meth:`Tokenizer._columns_array`, one backend call), drop
punctuation, match the packaged dictionaries (:class:`govreport.attention._Matcher`) and count
with Counter and numpy; no per-token DataFrame. The four tables are built once per batch from
lists and arrays. They equal the tables of the public functions (:func:`govreport.tokens` →
:func:`~govreport.attention.matches` → :func:`~govreport.attention.attention`,
:func:`~govreport.attention.sectors`, :func:`~govreport.attention.sector_shares`,
:func:`~govreport.attention.term_frequency`), which tests/test_measures.py checks.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from .tokens import _documents, is_punct, run_ends, section_index, sentence_bounds

__all__ = ["text_measures"]

SECTOR_KINDS = ("review", "five_year_review", "tasks", "targets", "five_year_plan")
PLAN_YEAR_KINDS = ("tasks", "targets")


class _WordLike(dict):
    """token → True unless it is punctuation (memoised :func:`is_punct`)."""

    def __missing__(self, token: str) -> bool:
        if len(self) >= 1_000_000:
            self.clear()
        self[token] = out = not is_punct(token)
        return out


_word_like = _WordLike()
_ALNUM_BMP: np.ndarray | None = None  # str.isalnum of every code point below U+10000


def _word_mask(text: str, words: list[str], starts: np.ndarray) -> np.ndarray:
    """``not is_punct(w)`` for each token ``w = text[start:...]``: a token opening with a
    letter, digit or Han character is a word; only the others (punctuation, mostly) are looked up."""
    global _ALNUM_BMP
    if _ALNUM_BMP is None:
        _ALNUM_BMP = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
    first = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[starts]
    keep = _ALNUM_BMP[np.minimum(first, 0xFFFF)] & (first <= 0xFFFF)
    other = np.flatnonzero(~keep)
    if len(other):
        looked = [words[k] for k in other.tolist()]
        keep[other] = np.fromiter(map(_word_like.__getitem__, looked), dtype=bool, count=len(looked))
    return keep


class _Batch:
    """Columns of the four tables, filled report by report."""

    def __init__(self, n_areas: int) -> None:
        self.n_areas = n_areas
        self.reports: list[tuple[str, int]] = []
        self.n_tokens: list[int] = []
        self.area_counts: list[np.ndarray] = []
        # sectors
        self.sec_doc: list[np.ndarray] = []
        self.sec_kind: list[np.ndarray] = []
        self.sec_sentence: list[np.ndarray] = []
        self.sec_area: list[np.ndarray] = []
        self.sec_score: list[np.ndarray] = []
        self.sec_top: list[np.ndarray] = []
        self.sec_start: list[np.ndarray] = []
        self.sec_end: list[np.ndarray] = []
        # sector shares: reports with plan-year text, their total, their top rows
        self.share_doc: list[int] = []
        self.share_total: list[int] = []
        self.top_doc: list[np.ndarray] = []
        self.top_area: list[np.ndarray] = []
        self.top_w: list[np.ndarray] = []
        self.top_wc: list[np.ndarray] = []
        # tokens summary
        self.tf_doc: list[int] = []
        self.tf_token: list[str] = []
        self.tf_count: list[int] = []
        self.tf_n_tokens: list[int] = []
        self.tf_n_chars: list[int] = []


def _kind_codes(kinds: np.ndarray, wanted: tuple[str, ...]) -> np.ndarray:
    """Code of each section kind: its index in ``wanted``, or -1."""
    code = {k: i for i, k in enumerate(wanted)}
    return np.array([code.get(k, -1) for k in kinds], dtype=np.int64)


def _report(batch: _Batch, doc_no: int, doc: Any, tokenizer: Any, matcher: Any, areas: list[str],
            area_no: dict[str, int], top_terms: int) -> None:
    """Add one report's rows to ``batch``."""
    text = doc.text
    words, starts = tokenizer._columns_array(text)
    keep = _word_mask(text, words, starts)
    position = np.flatnonzero(keep)
    toks = list(compress(words, keep))
    tok_start = starts[position]
    sec_starts, sec_ends, kinds = section_index(doc.sections)
    # the kind of the section each token starts in, as a code ("other" outside every section)
    kind_list = list(dict.fromkeys(kinds.tolist()))
    kind_code = _kind_codes(kinds, tuple(kind_list))
    i = np.searchsorted(sec_starts, tok_start, side="right") - 1
    inside = (i >= 0) & (tok_start < sec_ends[np.clip(i, 0, None)] if len(sec_ends) else False)
    tok_kind = kind_code[np.where(inside, i, len(kinds) - 1)]
    run_end = run_ends(position, tok_kind)

    found = matcher.run(toks, run_end)
    n_areas = len(areas)
    match_tok = np.fromiter(map(itemgetter(0), found), dtype=np.int64, count=len(found))
    match_area = np.fromiter(map(area_no.__getitem__, map(itemgetter(3), found)), dtype=np.int64,
                             count=len(found))
    batch.reports.append((doc.source, doc.part))
    batch.n_tokens.append(len(toks))
    batch.area_counts.append(np.bincount(match_area, minlength=n_areas))

    # sectors: sentences of the review and task sections, scored per area
    sent_start, sent_end = sentence_bounds(text)
    j = np.searchsorted(sec_starts, sent_start, side="right") - 1
    inside = (j >= 0) & (sent_start < sec_ends[np.clip(j, 0, None)] if len(sec_ends) else False)
    sent_kind_idx = np.where(inside, j, len(kinds) - 1)
    sent_code = _kind_codes(kinds, SECTOR_KINDS)[sent_kind_idx]
    selected = sent_code >= 0
    match_sent = np.maximum(np.searchsorted(sent_start, tok_start[match_tok], "right") - 1, 0)
    if len(sent_start):
        chosen = selected[match_sent]
        key = np.unique(match_sent[chosen] * n_areas + match_area[chosen], return_counts=True)
        m_sent, m_area, m_score = key[0] // n_areas, key[0] % n_areas, key[1]
    else:
        m_sent = m_area = m_score = np.zeros(0, dtype=np.int64)
    order = np.lexsort((m_area, -m_score, m_sent))
    m_sent, m_area, m_score = m_sent[order], m_area[order], m_score[order]
    first = np.flatnonzero(np.diff(m_sent, prepend=-1)) if len(m_sent) else np.zeros(0, dtype=np.int64)
    best = np.repeat(np.maximum.reduceat(m_score, first), np.diff(first, append=len(m_sent))) if len(first) else m_score
    m_top = m_score == best
    plain = np.flatnonzero(selected)
    plain = plain[~np.isin(plain, m_sent)]
    sent = np.concatenate([m_sent, plain])
    row_order = np.argsort(sent, kind="stable")
    sent = sent[row_order]
    area = np.concatenate([m_area, np.full(len(plain), -1, dtype=np.int64)])[row_order]
    score = np.concatenate([m_score, np.zeros(len(plain), dtype=np.int64)])[row_order]
    top = np.concatenate([m_top, np.zeros(len(plain), dtype=bool)])[row_order]
    code = sent_code[sent]
    chars = (sent_end - sent_start)[sent]
    batch.sec_doc.append(np.full(len(sent), doc_no, dtype=np.int64))
    batch.sec_kind.append(code)
    batch.sec_sentence.append(sent)
    batch.sec_area.append(area)
    batch.sec_score.append(score)
    batch.sec_top.append(top)
    batch.sec_start.append(sent_start[sent])
    batch.sec_end.append(sent_end[sent])

    # sector shares: plan-year sentences; a sentence's top areas share it equally
    plan = np.isin(code, [SECTOR_KINDS.index(k) for k in PLAN_YEAR_KINDS])
    if plan.any():
        plan_sent = np.unique(sent[plan])
        batch.share_doc.append(doc_no)
        batch.share_total.append(int((sent_end - sent_start)[plan_sent].sum()))
        t = plan & top & (area >= 0)
        t_sent = sent[t]
        n_top = np.bincount(t_sent, minlength=len(sent_start))[t_sent]
        w = 1.0 / n_top.astype(np.float64)
        batch.top_doc.append(np.full(len(t_sent), doc_no, dtype=np.int64))
        batch.top_area.append(area[t])
        batch.top_w.append(w)
        batch.top_wc.append(w * chars[t])

    # tokens summary: the report's most frequent tokens (count down, then token)
    if toks:
        counts = Counter(toks)
        items = list(counts.items())
        if len(items) > top_terms:  # only the counts that can make the top (ties included)
            vals = np.fromiter(counts.values(), dtype=np.int64, count=len(items))
            floor = np.partition(vals, len(vals) - top_terms)[len(vals) - top_terms]
            items = list(compress(items, (vals >= floor).tolist()))
        items.sort(key=itemgetter(0))
        items.sort(key=itemgetter(1), reverse=True)  # stable: ties stay in token order
        ranked = items[:top_terms]
        n = len(ranked)
        batch.tf_doc += [doc_no] * n
        batch.tf_token += [w for w, _ in ranked]
        batch.tf_count += [c for _, c in ranked]
        batch.tf_n_tokens += [len(toks)] * n
        batch.tf_n_chars += [len("".join(toks))] * n


def _kahan_sums(group: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per-group sums in row order with Kahan compensation (pandas' ``group_sum``)."""
    total = [0.0] * n_groups
    comp = [0.0] * n_groups
    for g, v in zip(group.tolist(), values.tolist(), strict=True):
        y = v - comp[g]
        t = total[g] + y
        comp[g] = t - total[g] - y
        total[g] = t
    return np.array(total, dtype=np.float64)


def _group_sums(key: np.ndarray, values: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sums of ``values`` per distinct ``key`` (sorted), summed exactly as pandas' groupby sum.

    pandas adds a group's values with ``np.add.reduceat`` when the rows come in key order,
    and with Kahan summation otherwise; the last bits of a sum of thirds depend on which.
    """
    groups, group = np.unique(key, return_inverse=True)
    if len(key) and (np.diff(key) >= 0).all():
        starts = np.flatnonzero(np.diff(key, prepend=key[0] - 1))
        return groups, [np.add.reduceat(v, starts) for v in values]
    return groups, [_kahan_sums(group, v, len(groups)) for v in values]


def _region_year(corpus: Any, docs: list[Any]) -> tuple[pd.Series, pd.Series]:
    """``region`` and ``year`` of each document, from the corpus's reports table."""
    rep = corpus.reports
    row = {k: i for i, k in enumerate(zip(rep["source"], rep["part"], strict=True))}
    at = np.array([row[(d.source, d.part)] for d in docs], dtype=np.int64)
    return (rep["region"].take(at).reset_index(drop=True),
            rep["year"].take(at).reset_index(drop=True))


@lru_cache(maxsize=2)
def _areas(backend: str) -> tuple[list[str], dict[str, int], list[int | None]]:
    """The packaged areas in dictionary order, each one's number and its ``since`` year."""
    from .attention import _packaged_matcher

    dicts, _, since = _packaged_matcher(backend)
    areas = list(dict.fromkeys(dicts["area"]))
    return areas, {a: i for i, a in enumerate(areas)}, [since.get(a) for a in areas]


def _before(year: pd.Series, since: Any) -> np.ndarray:
    """``(year < since).fillna(False)`` as a bool array (both Int64; missing is not before)."""
    if not isinstance(year.dtype, pd.Int64Dtype):
        return (year < since).fillna(False).astype(bool).to_numpy()
    y, s = year.array, pd.array(since, dtype="Int64")
    known = ~(y.isna() | s.isna())
    return known & (y.to_numpy(dtype=np.int64, na_value=0) < s.to_numpy(dtype=np.int64, na_value=0))


def text_measures(corpus: Any, *, backend: str = "rjieba", top_terms: int = 50) -> dict[str, pd.DataFrame]:
    """The build's text tables of ``corpus`` (see :func:`govreport.attention.text_measures`)."""
    from .attention import _packaged_matcher, _text_measures_reference

    _, matcher, since = _packaged_matcher(backend)
    areas, area_no, since_of_area = _areas(backend)
    docs = _documents(corpus)
    batch = _Batch(len(areas))
    for doc_no, doc in enumerate(docs):
        _report(batch, doc_no, doc, matcher.tokenizer, matcher, areas, area_no, top_terms)
    if not batch.tf_doc or not batch.share_doc or not sum(map(len, batch.sec_doc)):
        # an empty table: the reference gives its columns their usual (empty) types
        return _text_measures_reference(corpus, backend=backend, top_terms=top_terms)

    source = np.array([s for s, _ in batch.reports], dtype=object)
    part = np.array([p for _, p in batch.reports], dtype=np.int64)
    region, year = _region_year(corpus, docs)
    area_names = np.array(areas, dtype=object)
    n_areas, n_docs = len(areas), len(docs)

    # attention: every report × every area
    count = np.concatenate(batch.area_counts).astype(np.int64)
    n_tokens = np.repeat(np.array(batch.n_tokens, dtype=np.int64), n_areas)
    doc_of = np.repeat(np.arange(n_docs), n_areas)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = count / np.where(n_tokens > 0, n_tokens, np.nan) * 1e3
    year_a = year.take(doc_of).reset_index(drop=True)
    since_a = pd.array(since_of_area * n_docs, dtype="Int64")
    att = pd.DataFrame({
        "source": source[doc_of], "part": part[doc_of],
        "region": region.take(doc_of).reset_index(drop=True), "year": year_a,
        "section": "all", "area": np.tile(area_names, n_docs), "count": count,
        "n_tokens": n_tokens, "share_per_1k_tokens": share, "since": since_a,
        "before_since": _before(year_a, since_a),
    })

    # sectors
    sec_doc = np.concatenate(batch.sec_doc)
    sec_area = np.concatenate(batch.sec_area)
    sectors = pd.DataFrame({
        "source": source[sec_doc], "part": part[sec_doc],
        "section": np.array(SECTOR_KINDS, dtype=object)[np.concatenate(batch.sec_kind)],
        "sentence": np.concatenate(batch.sec_sentence),
        "area": pd.array(np.where(sec_area >= 0, area_names[sec_area], None), dtype="string"),
        "score": np.concatenate(batch.sec_score), "top": np.concatenate(batch.sec_top),
        "chars": np.concatenate(batch.sec_end) - np.concatenate(batch.sec_start),
        "start": np.concatenate(batch.sec_start), "end": np.concatenate(batch.sec_end),
    })
    sectors.attrs["areas"] = areas

    # sector shares: per report with plan-year text × area; groups summed as pandas would,
    # in the order of (source, part, area)
    share_doc = np.array(batch.share_doc, dtype=np.int64)
    top_doc = np.concatenate(batch.top_doc)
    top_area = np.concatenate(batch.top_area)
    doc_rank = np.empty(n_docs, dtype=np.int64)
    doc_rank[sorted(range(n_docs), key=lambda d: batch.reports[d])] = np.arange(n_docs)
    area_rank = np.empty(n_areas, dtype=np.int64)
    area_rank[sorted(range(n_areas), key=lambda a: areas[a])] = np.arange(n_areas)
    groups, (w_sum, wc_sum) = _group_sums(doc_rank[top_doc] * n_areas + area_rank[top_area],
                                          [np.concatenate(batch.top_w), np.concatenate(batch.top_wc)])
    slot = {g: k for k, g in enumerate(groups.tolist())}
    n_share = len(share_doc)
    sh_doc = np.repeat(share_doc, n_areas)
    sh_area = np.tile(np.arange(n_areas), n_share)
    at = np.array([slot.get(g, -1) for g in (doc_rank[sh_doc] * n_areas + area_rank[sh_area]).tolist()],
                  dtype=np.int64)
    found = at >= 0
    n_sent = np.where(found, w_sum[np.clip(at, 0, None)] if len(w_sum) else 0.0, 0.0)
    chars = np.where(found, wc_sum[np.clip(at, 0, None)] if len(wc_sum) else 0.0, 0.0)
    total = np.repeat(np.array(batch.share_total, dtype=np.int64), n_areas)
    shares = pd.DataFrame({
        "source": source[sh_doc], "part": part[sh_doc],
        "region": region.take(sh_doc).reset_index(drop=True),
        "year": year.take(sh_doc).reset_index(drop=True),
        "area": pd.array(area_names[sh_area], dtype="string"),
        "n_sentences": pd.array(n_sent, dtype="Float64"), "chars": pd.array(chars, dtype="Float64"),
        "total_chars": total,
        # as shares["chars"] / shares["total_chars"].where(shares["total_chars"] > 0) divides
        "share": pd.array(chars, dtype="Float64") / np.where(total > 0, total, np.nan),
    })

    # tokens summary
    tf_doc = np.array(batch.tf_doc, dtype=np.int64)
    tf_count = np.array(batch.tf_count, dtype=np.int64)
    tf_tokens = np.array(batch.tf_n_tokens, dtype=np.int64)
    tf_chars = np.array(batch.tf_n_chars, dtype=np.int64)
    summary = pd.DataFrame({
        "source": source[tf_doc], "part": part[tf_doc], "token": np.array(batch.tf_token, dtype=object),
        "count": tf_count, "n_tokens": tf_tokens, "n_chars": tf_chars,
        "rate_per_10k_chars": tf_count / tf_chars * 1e4,
        "rate_per_1k_tokens": tf_count / tf_tokens * 1e3,
    })
    return {"attention": att, "sectors": sectors, "sector_shares": shares, "tokens_summary": summary}
