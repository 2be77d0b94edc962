"""Policy attention: term frequencies, distinctive terms, dictionaries, policy areas.

Everything here counts **tokens** from :func:`govreport.tokens.tokens`, never substrings,
so numerators and denominators are measured in the same units.

* :func:`load_dictionaries` — the packaged policy-area dictionaries (one file per area in
  ``govreport/data/dictionaries``) plus your own.
* :func:`term_frequency` — counts and rates per group (region × year by default).
* :func:`distinctive_terms` — weighted log-odds with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008) or TF-IDF.
* :func:`attention` — region × year × area: matched terms over tokens or characters.
* :func:`sectors` / :func:`sector_shares` — sentences scored against the areas, and the
  share of plan-year text per area.

**How terms are matched.** The text is tokenised once, the same way whatever dictionaries
are in use: the packaged terms are the tokenizer's dictionary terms (each is a user word, and
words that contain a term without being one are not — the nesting rule of
:mod:`govreport.tokens`: ``大气污染`` is cut ``大气`` / ``污染``), so a packaged term is one
token wherever it occurs. Each area is matched on its own, so an area's count never depends on
the other dictionaries loaded beside it (and ``n_tokens`` never depends on any): the nesting
rule is applied again with the area's own terms (a token containing one of them without being
one is cut around it, ``绿色低碳`` → ``绿色`` / ``低碳`` for an area listing ``绿色`` alone), and a
term is matched as a whole sequence of tokens, the area's longest term first, left to right, without overlaps,
inside a run of adjacent tokens of one section (punctuation breaks a run). So ``绿色发展`` counts once — as ``绿色发展`` — and not also as
``绿色``; ``生态安全`` (risk) is not also ``生态`` (environment). A term listed under two areas
counts for both. A token that merely *contains* a term (``生态环境`` from jieba's own
dictionary, when ``生态环境`` is not itself a term) does not match: that is the price of
counting words, not substrings; :func:`matches` lists exactly what was counted.

**Denominators.** ``n_tokens`` counts word tokens — every token that is not punctuation
(stopwords included). ``n_chars`` counts the characters of those tokens, i.e. Han
characters, letters and digits of the text, without punctuation and whitespace. Rates are
per 1,000 tokens or per 10,000 such characters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from .tokens import (
    _documents,
    get_tokenizer,
    run_ends,
    section_index,
    section_kinds,
    sentence_spans,
    tokens,
)

__all__ = [
    "load_dictionaries", "term_frequency", "distinctive_terms", "attention", "matches",
    "sectors", "sector_shares", "SECTION_KINDS", "DICTIONARY_COLUMNS",
]

DICTIONARY_COLUMNS = ["area", "term", "label_zh", "label_en", "source", "version", "extended", "since"]
SECTION_KINDS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "review": ("review", "five_year_review"),
    "tasks": ("tasks", "targets", "five_year_plan"),
}
PLAN_YEAR_KINDS = ("tasks", "targets")
MATCH_COLUMNS = ["source", "part", "section", "sentence", "position", "start", "term", "area"]

_HEADER = re.compile(r"^#\s?([a-z_]+):\s*(.*)$")


# ---------------------------------------------------------------------------
# dictionaries


def _parse_dictionary(text: str, default_area: str, default_source: str = "") -> list[dict]:
    """Rows of one dictionary file (see :func:`load_dictionaries` for the format)."""
    meta: dict[str, str] = {}
    key: str | None = None
    extended = False
    terms: list[tuple[str, bool]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = _HEADER.match(line)
            if m:
                key = m.group(1)
                if key == "extended":
                    extended = True
                    key = None
                elif key == "category":
                    key = None
                else:
                    meta[key] = m.group(2).strip()
            elif key is not None and raw.startswith("#  "):  # continuation line
                meta[key] = (meta[key] + " " + line.lstrip("#").strip()).strip()
            else:
                key = None
            continue
        key = None
        terms.append((line, extended))
    area = meta.get("area") or default_area
    seen: set[str] = set()
    rows = []
    for term, ext in terms:
        if term in seen:
            continue
        seen.add(term)
        rows.append({
            "area": area, "term": term, "label_zh": meta.get("label_zh", area),
            "label_en": meta.get("label_en", area), "source": meta.get("source", default_source),
            "version": meta.get("version", ""), "extended": ext, "since": _year(meta.get("since")),
        })
    return rows


def _year(value: Any) -> int | None:
    """The year a dictionary's area starts (``# since: 2023``), or None."""
    m = re.search(r"\d{4}", "" if value is None or value is pd.NA else str(value))
    return int(m.group(0)) if m else None


def load_dictionaries(
    extra: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """The policy-area dictionaries: one row per (area, term).

    Columns ``area, term, label_zh, label_en, source, version, extended, since`` (``extended``
    is True for terms after a ``# extended:`` line, e.g. the environment terms beyond the 15 of
    Chen & Chen 2018 — keep ``~extended`` rows to reproduce that list; ``since`` (Int64) is the
    year the area's vocabulary starts, from a ``# since:`` header — 新质生产力 was first put
    forward in September 2023 — and :func:`attention` marks reports before it).

    ``extra`` adds user dictionaries: a path or paths to files in the packaged format
    (``# area:``, ``# label_zh:``, ``# label_en:``, ``# source:``, ``# version:`` header
    lines, then one term per line; the area defaults to the file name), or a mapping
    ``{area: [terms]}``. Terms of an area that already exists are added to it.

    >>> d = load_dictionaries()
    >>> {"environment", "innovation", "digital"} <= set(d.area)
    True
    >>> d[(d.area == "environment") & ~d.extended].term.tolist()[:5]
    ['环境保护', '环保', '污染', '能耗', '减排']
    >>> mine = load_dictionaries({"tourism": ["全域旅游", "文旅融合"]})
    >>> mine[mine.area == "tourism"][["term", "source"]].values.tolist()
    [['全域旅游', 'user'], ['文旅融合', 'user']]
    """
    rows: list[dict] = []
    folder = resources.files("govreport").joinpath("data", "dictionaries")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".txt"):
                rows += _parse_dictionary(entry.read_text(encoding="utf-8"), entry.name[:-4])
    rows += _extra_rows(extra)
    df = pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)
    df = df.drop_duplicates(["area", "term"], keep="first").reset_index(drop=True)
    df["extended"] = df["extended"].astype(bool)
    df["since"] = df["since"].astype("Int64")
    return df


def _extra_rows(extra: Any) -> list[dict]:
    if extra is None:
        return []
    if isinstance(extra, pd.DataFrame):
        out = []
        for r in extra.to_dict("records"):
            out.append({
                "area": r["area"], "term": str(r["term"]).strip(),
                "label_zh": r.get("label_zh", r["area"]), "label_en": r.get("label_en", r["area"]),
                "source": r.get("source", "user"), "version": r.get("version", ""),
                "extended": bool(r.get("extended", False)), "since": _year(r.get("since")),
            })
        return out
    if isinstance(extra, Mapping):
        out = []
        for area, terms in extra.items():
            if isinstance(terms, str):
                terms = [terms]
            for t in terms:
                if str(t).strip():
                    out.append({"area": str(area), "term": str(t).strip(), "label_zh": str(area),
                                "label_en": str(area), "source": "user", "version": "",
                                "extended": False, "since": None})
        return out
    paths = [extra] if isinstance(extra, str | os.PathLike) else list(extra)
    out = []
    for p in paths:
        p = os.fspath(p)
        with open(p, encoding="utf-8-sig") as fh:
            out += _parse_dictionary(fh.read(), os.path.splitext(os.path.basename(p))[0], p)
    return out


def _dictionaries(dictionaries: Any) -> pd.DataFrame:
    """None → packaged; a DataFrame → as is; a mapping / path(s) → only those."""
    if dictionaries is None:
        return load_dictionaries()
    if isinstance(dictionaries, pd.DataFrame):
        if not {"area", "term"} <= set(dictionaries.columns):
            raise ValueError("a dictionary DataFrame needs the columns 'area' and 'term'")
        return dictionaries
    return pd.DataFrame(_extra_rows(dictionaries), columns=DICTIONARY_COLUMNS)


# ---------------------------------------------------------------------------
# matching


class _Matcher:
    """Per area, longest-first, non-overlapping matching of token sequences.

    The tokenisation is always the packaged one (whatever dictionaries are in use), and each
    area is matched on its own: an area's count never depends on the other dictionaries
    loaded beside it, and ``n_tokens`` never depends on any of them.
    """

    SEEN_LIMIT = 500_000  # distinct words remembered (then forgotten, to bound memory)

    def __init__(self, dicts: pd.DataFrame, backend: str) -> None:
        self.dictionary_terms = None  # the packaged tokenizer of govreport.tokens()
        self.tokenizer = get_tokenizer(backend)
        self.by_area: dict[str, _TermMatcher] = {}
        for area, g in dicts.groupby(dicts["area"].astype(str), sort=False):
            self.by_area[area] = _TermMatcher(list(dict.fromkeys(str(t) for t in g["term"])), self.tokenizer)
        self._first = frozenset().union(*(tm.first for tm in self.by_area.values()))
        self._forget()

    def _forget(self) -> None:
        self._seen: set[str] = set()  # words sorted into each area's plain / nested
        self._wanted: set[str] = set(self._first)  # words some area looks at
        for tm in self.by_area.values():
            tm._nested.clear()
            tm._cuts.clear()

    def run(self, toks: list[str], run_end: np.ndarray) -> list[tuple[int, int, str, str, int]]:
        """``(index, length, term, area, offset)`` of every match in ``toks``, area by area.

        ``offset``: where the match starts inside token ``index`` (0 unless the token was cut).
        """
        distinct = set(toks)
        new = distinct - self._seen
        if new:  # each distinct word is looked at once per process
            if len(self._seen) + len(new) > self.SEEN_LIMIT:
                self._forget()
                new = distinct
            for tm in self.by_area.values():
                tm.classify(new)
                self._wanted |= tm._nested.intersection(new)
            self._seen |= new
        # where the words the areas look at occur (shared by the areas)
        wanted = self._wanted.intersection(distinct)
        index: dict[str, list[int]] = {w: [] for w in wanted}
        hits = np.flatnonzero(np.fromiter(map(wanted.__contains__, toks), dtype=bool, count=len(toks)))
        for i in hits.tolist():
            index[toks[i]].append(i)
        found = [(i, L, term, area, off) for area, tm in self.by_area.items()
                 for i, L, term, off in tm.run_cut(toks, run_end, index, classified=True)]
        return sorted(found, key=itemgetter(0, 4))  # text order; areas in dictionary order


class _TermMatcher:
    """Longest-first, non-overlapping matching of one area's terms.

    The nesting rule is applied per area: a token that contains one of the area's terms
    without being one is cut around it (``绿色低碳`` → ``绿色`` / ``低碳`` for an area listing
    ``绿色`` but not ``绿色低碳``), so the area counts what it would count alone.
    """

    def __init__(self, terms: list[str], tokenizer: Any) -> None:
        self.terms = set(terms)
        ordered = sorted(self.terms, key=len, reverse=True)
        self._inner = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._cuts: dict[str, list[str]] = {}
        self.keys: dict[tuple[str, ...], str] = {}
        for t in terms:
            key = tuple(p for w in tokenizer.tokenize(t) for p in self.cut(w))
            if key:
                self.keys.setdefault(key, t)
        self.maxlen = max((len(k) for k in self.keys), default=1)
        self.single = {k[0]: t for k, t in self.keys.items() if len(k) == 1}
        self.multi_first = {k[0] for k in self.keys if len(k) > 1}
        self.first = frozenset(self.single) | self.multi_first
        self._nested: set[str] = set()  # words seen that hold a term of the area (cut around it)

    def cut(self, w: str) -> list[str]:
        """``w``, or its pieces around the area's terms inside it."""
        if w in self.terms or self._inner is None:
            return [w]
        pieces = self._cuts.get(w)
        if pieces is None:
            pieces, last = [], 0
            for m in self._inner.finditer(w):
                if m.start() > last:
                    pieces.append(w[last : m.start()])
                pieces.append(m.group(0))
                last = m.end()
            if last < len(w):
                pieces.append(w[last:])
            self._cuts[w] = pieces
        return pieces

    def classify(self, words: Iterable[str]) -> None:
        """Remember which of ``words`` hold a term of the area without being one (nested)."""
        inner, terms, nested = self._inner, self.terms, self._nested
        if inner is not None:
            nested.update(w for w in words if w not in terms and inner.search(w))

    def run_cut(self, toks: list[str], run_end: np.ndarray, index: dict[str, list[int]] | None = None,
                classified: bool = False) -> list[tuple[int, int, str, int]]:
        """``(token index, length in pieces, term, offset in the token)`` after cutting tokens.

        ``index``: where each word occurs (:func:`_word_index`); with ``classified``, the words
        of ``toks`` are already sorted by :meth:`classify` and ``index`` need only hold the
        area's first words and nested words.
        """
        index = _word_index(toks) if index is None else index
        if not classified:
            self.classify(index.keys() - self._nested)
        to_cut = self._nested.intersection(index)
        if not to_cut:
            starts = sorted(i for w in self.first.intersection(index) for i in index[w])
            return [(i, L, t, 0) for i, L, t in self.run(toks, run_end, starts)]
        # cut those tokens into pieces; pieces[first[i]] is the first piece of token i
        n = len(toks)
        lens = np.ones(n, dtype=np.int64)
        for w in to_cut:
            lens[index[w]] = len(self.cut(w))
        first = np.concatenate(([0], np.cumsum(lens)))
        pieces: list[str] = []
        offs = np.zeros(int(first[-1]), dtype=np.int64)
        cut_starts: list[int] = []
        prev = 0
        for i in sorted(i for w in to_cut for i in index[w]):
            pieces += toks[prev:i]
            o = 0
            for p in self.cut(toks[i]):
                if p in self.first:
                    cut_starts.append(len(pieces))
                offs[len(pieces)] = o
                pieces.append(p)
                o += len(p)
            prev = i + 1
        pieces += toks[prev:]
        orig = np.repeat(np.arange(n), lens)
        ends = first[np.asarray(run_end, dtype=np.int64)[orig]]
        plain = self.first.intersection(index) - to_cut
        starts = sorted([int(first[i]) for w in plain for i in index[w]] + cut_starts)
        return [(int(orig[j]), L, t, int(offs[j])) for j, L, t in self.run(pieces, ends, starts)]

    def run(self, toks: list[str], run_end: np.ndarray, starts: list[int] | None = None
            ) -> list[tuple[int, int, str]]:
        """``(index, length, term)`` of every match in ``toks``.

        Left to right, longest first, no overlaps; only the tokens that can start a term
        (``starts``, in order; by default found here) are visited.
        """
        if starts is None:
            index = _word_index(toks)
            starts = sorted(i for w in self.first.intersection(index) for i in index[w])
        out = []
        keys, single, multi_first, maxlen = self.keys, self.single, self.multi_first, self.maxlen
        nxt = 0
        for i in starts:
            if i < nxt:
                continue
            w = toks[i]
            if w in multi_first:
                for L in range(min(maxlen, int(run_end[i]) - i), 1, -1):
                    term = keys.get(tuple(toks[i : i + L]))
                    if term is not None:
                        out.append((i, L, term))
                        nxt = i + L
                        break
                else:
                    if w in single:
                        out.append((i, 1, single[w]))
                    nxt = i + 1
            else:
                out.append((i, 1, single[w]))
                nxt = i + 1
        return out


def _word_index(toks: list[str]) -> dict[str, list[int]]:
    """Each distinct token and the positions where it occurs."""
    index: dict[str, list[int]] = {}
    for i, w in enumerate(toks):
        lst = index.get(w)
        if lst is None:
            index[w] = [i]
        else:
            lst.append(i)
    return index


def _match_tokens(tok: pd.DataFrame, matcher: _Matcher) -> pd.DataFrame:
    rows: dict[str, list] = {c: [] for c in MATCH_COLUMNS}
    for (source, part), g in tok.groupby(["source", "part"], sort=False):
        toks = g["token"].tolist()
        pos = g["position"].to_numpy()
        sec = g["section"].to_numpy()
        sent = g["sentence"].to_numpy()
        start = g["start"].to_numpy()
        for i, _L, term, area, off in matcher.run(toks, run_ends(pos, sec)):
            rows["source"].append(source)
            rows["part"].append(part)
            rows["section"].append(sec[i])
            rows["sentence"].append(int(sent[i]))
            rows["position"].append(int(pos[i]))
            rows["start"].append(int(start[i]) + off)
            rows["term"].append(term)
            rows["area"].append(area)
    df = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    for c in ("part", "sentence", "position", "start"):
        df[c] = df[c].astype("int64")
    return df


def _matched(corpus: Any, dictionaries: Any, backend: str, n_jobs: int):
    dicts = _dictionaries(dictionaries)
    matcher = _Matcher(dicts, backend)
    tok = tokens(corpus, backend=backend, n_jobs=n_jobs, dictionary_terms=matcher.dictionary_terms)
    return dicts, tok, _match_tokens(tok, matcher)


def matches(
    corpus: Any, dictionaries: Any = None, *, backend: str = "rjieba", n_jobs: int = 1
) -> pd.DataFrame:
    """Every dictionary match: source, part, section, sentence, position, start, term, area.

    ``dictionaries``: None for the packaged ones, a DataFrame from :func:`load_dictionaries`
    (filter it to choose areas or terms), or a mapping / path(s) of your own (only those).

    >>> import govreport
    >>> c = govreport.read_text("政府工作报告\\n各位代表：\\n推动绿色发展，建设绿色工厂。", "x.txt")
    >>> matches(c, {"env": ["绿色", "绿色发展"]})[["sentence", "term", "area"]].values.tolist()
    [[2, '绿色发展', 'env'], [2, '绿色', 'env']]
    """
    return _matched(corpus, dictionaries, backend, n_jobs)[2]


# ---------------------------------------------------------------------------
# helpers for report metadata


def _reports_frame(reports: Any) -> pd.DataFrame | None:
    if reports is None:
        return None
    if hasattr(reports, "reports") and hasattr(reports, "documents"):
        return reports.reports
    return reports


def _with_columns(df: pd.DataFrame, cols: Iterable[str], reports: Any) -> pd.DataFrame:
    missing = [c for c in dict.fromkeys(cols) if c not in df.columns]
    if not missing:
        return df
    rep = _reports_frame(reports)
    if rep is None:
        raise ValueError(f"columns {missing} are not in the tokens table: pass reports= "
                         "(a Corpus or its reports table) to join them by source and part")
    absent = [c for c in missing if c not in rep.columns]
    if absent:
        raise ValueError(f"columns {absent} are neither in the tokens nor in the reports table")
    return df.merge(rep[["source", "part", *missing]], on=["source", "part"], how="left",
                    validate="many_to_one")


def _as_tokens(tokens_df: Any, reports: Any) -> tuple[pd.DataFrame, Any]:
    if hasattr(tokens_df, "documents"):
        return tokens(tokens_df), reports if reports is not None else tokens_df
    return tokens_df, reports


# ---------------------------------------------------------------------------
# term frequency


def term_frequency(
    tokens_df: Any, by: str | Iterable[str] = ("region", "year"), reports: Any = None
) -> pd.DataFrame:
    """Counts and rates of each token per group.

    ``tokens_df`` is a table from :func:`govreport.tokens` (or a Corpus, tokenised with the
    defaults). Grouping columns not in it (``region``, ``year``, ``level`` …) are joined
    from ``reports`` (a Corpus or its ``reports`` table) by source and part.

    Columns: the ``by`` columns, ``token``, ``count``, ``n_tokens`` and ``n_chars`` (rows of
    the group in the table and their characters — so they follow whatever the table
    dropped), ``rate_per_10k_chars``, ``rate_per_1k_tokens``. Sorted by group, then count
    (descending), then token.

    >>> tok = pd.DataFrame({"source": "a", "part": 0, "token": ["绿色", "发展", "绿色", "城市"]})
    >>> term_frequency(tok, by="source")[["token", "count", "n_tokens", "rate_per_1k_tokens"]]
      token  count  n_tokens  rate_per_1k_tokens
    0    绿色      2         4               500.0
    1    发展      1         4               250.0
    2    城市      1         4               250.0
    """
    tokens_df, reports = _as_tokens(tokens_df, reports)
    by = [by] if isinstance(by, str) else list(by)
    df = _with_columns(tokens_df, by, reports)
    df = df.assign(_chars=df["token"].str.len())
    den = df.groupby(by, dropna=False, sort=True).agg(n_tokens=("token", "size"),
                                                       n_chars=("_chars", "sum")).reset_index()
    cnt = df.groupby([*by, "token"], dropna=False, sort=True).size().rename("count").reset_index()
    out = cnt.merge(den, on=by, how="left")
    out["n_chars"] = out["n_chars"].astype("int64")
    out["rate_per_10k_chars"] = out["count"] / out["n_chars"] * 1e4
    out["rate_per_1k_tokens"] = out["count"] / out["n_tokens"] * 1e3
    out = out.sort_values([*by, "count", "token"], ascending=[True] * len(by) + [False, True],
                          kind="stable", na_position="last")
    return out.reset_index(drop=True)[[*by, "token", "count", "n_tokens", "n_chars",
                                      "rate_per_10k_chars", "rate_per_1k_tokens"]]


# ---------------------------------------------------------------------------
# distinctive terms


Selector = Any  # a value, a list/tuple/set of values, or a callable Series -> bool mask


def _mask(df: pd.DataFrame, spec: Mapping[str, Selector]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, sel in spec.items():
        s = df[col]
        if callable(sel):
            m = sel(s)
        elif isinstance(sel, list | tuple | set | frozenset):
            m = s.isin(list(sel))
        else:
            m = s == sel
        mask &= pd.Series(m, index=df.index).fillna(False).astype(bool)
    return mask


def _label(spec: Mapping[str, Selector]) -> str:
    parts = []
    for col, sel in spec.items():
        if callable(sel):
            parts.append(f"{col}=<{getattr(sel, '__name__', 'selected')}>")
        elif isinstance(sel, list | tuple | set | frozenset):
            parts.append(f"{col} in {sorted(sel, key=str)}")
        else:
            parts.append(f"{col}={sel}")
    return ", ".join(parts)


def _log_odds(focus: pd.Series, other: pd.Series, background: pd.Series, prior: float) -> pd.DataFrame:
    vocab = focus.index.union(other.index)
    yi = focus.reindex(vocab, fill_value=0).astype(float)
    yj = other.reindex(vocab, fill_value=0).astype(float)
    alpha_all = background.astype(float) * prior
    a0 = float(alpha_all.sum())
    a = alpha_all.reindex(vocab).astype(float)
    ni, nj = float(yi.sum()), float(yj.sum())
    delta = (np.log((yi + a) / (ni + a0 - yi - a)) - np.log((yj + a) / (nj + a0 - yj - a)))
    var = 1.0 / (yi + a) + 1.0 / (yj + a)
    return pd.DataFrame({"token": vocab, "count": yi.astype("int64").to_numpy(),
                         "count_other": yj.astype("int64").to_numpy(),
                         "log_odds": delta.to_numpy(), "z": (delta / np.sqrt(var)).to_numpy()})


def _tfidf(focus: pd.Series, idf: pd.Series) -> pd.DataFrame:
    n = float(focus.sum())
    tf = focus / n if n else focus.astype(float)
    idf_f = idf.reindex(focus.index).astype(float)
    return pd.DataFrame({"token": focus.index, "count": focus.astype("int64").to_numpy(),
                         "tf": tf.to_numpy(), "idf": idf_f.to_numpy(),
                         "tfidf": (tf * idf_f).to_numpy()})


def distinctive_terms(
    tokens_df: Any,
    group: str | Mapping[str, Selector],
    against: Mapping[str, Selector] | None = None,
    method: str = "log_odds",
    prior: float = 1.0,
    reports: Any = None,
) -> pd.DataFrame:
    """Terms that distinguish one group of reports from others.

    ``group`` is either a column name — each of its values is compared with all other rows
    (``group="region"``: every region against the rest) — or a mapping ``{column: selector}``
    choosing the focus rows, a selector being a value, a list of values or a callable on the
    column (``{"year": 2026}``). ``against`` (a mapping of the same kind) chooses the
    comparison rows; by default, all rows not in the focus group (``against={"year": lambda
    y: y < 2026}``: 2026 against earlier years). Columns missing from the tokens table are
    joined from ``reports`` (a Corpus or its reports table).

    ``method="log_odds"``: the weighted log-odds ratio with an informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16-22). The prior for token *w* is
    α_w = ``prior`` × (count of *w* in the whole table), α₀ = Σα_w;
    δ_w = log[(y_iw+α_w)/(n_i+α₀−y_iw−α_w)] − log[(y_jw+α_w)/(n_j+α₀−y_jw−α_w)],
    Var ≈ 1/(y_iw+α_w) + 1/(y_jw+α_w), and ``z = δ/√Var``. A larger ``prior`` shrinks rare
    terms' differences more. Columns: group, token, count, count_other, log_odds, z —
    sorted by z, highest (most distinctive of the group) first.

    ``method="tfidf"``: tf = count in the group / tokens of the group; idf = ln(N / df) where
    the documents are the reports (source, part) among the compared rows. Columns: group,
    token, count, tf, idf, tfidf — sorted by tfidf.

    >>> tok = pd.DataFrame({"source": ["a"] * 6 + ["b"] * 6, "part": 0,
    ...                     "token": ["海洋"] * 3 + ["发展"] * 3 + ["发展"] * 5 + ["海洋"]})
    >>> r = distinctive_terms(tok, group="source")
    >>> r[r.group == "a"][["token", "count", "count_other"]].values.tolist()
    [['海洋', 3, 1], ['发展', 3, 5]]
    >>> bool(r.iloc[0].z > 0)
    True

    Parameters
    ----------
    tokens_df : a table from :func:`govreport.tokens` (or a Corpus).
    group, against, method, prior, reports : as described above.
    """
    if method not in ("log_odds", "tfidf"):
        raise ValueError("method must be 'log_odds' or 'tfidf'")
    if method == "log_odds" and not prior > 0:
        raise ValueError("prior must be > 0 (it scales the corpus counts into the Dirichlet prior)")
    tokens_df, reports = _as_tokens(tokens_df, reports)
    cols = [group] if isinstance(group, str) else list(group)
    cols += list(against or {})
    df = _with_columns(tokens_df, cols, reports)
    background = df.groupby("token", sort=True).size()

    comparisons: list[tuple[Any, pd.Series, pd.Series]] = []
    if isinstance(group, str):
        against_mask = _mask(df, against) if against else pd.Series(True, index=df.index)
        for value in sorted(df[group].dropna().unique(), key=lambda v: (str(type(v)), v)):
            focus = df[group] == value
            comparisons.append((value, focus, against_mask & ~focus))
    else:
        focus = _mask(df, group)
        other = _mask(df, against) & ~focus if against else ~focus
        comparisons.append((_label(group), focus, other))

    frames = []
    for label, focus_m, other_m in comparisons:
        fc = df.loc[focus_m].groupby("token", sort=True).size()
        oc = df.loc[other_m].groupby("token", sort=True).size()
        if method == "log_odds":
            res = _log_odds(fc, oc, background, prior)
            key, extra = "z", ["count_other", "log_odds", "z"]
        else:
            docs = df.loc[focus_m | other_m]
            n_docs = docs[["source", "part"]].drop_duplicates().shape[0]
            dfreq = docs.drop_duplicates(["source", "part", "token"]).groupby("token").size()
            idf = np.log(n_docs / dfreq)
            res = _tfidf(fc, idf)
            key, extra = "tfidf", ["tf", "idf", "tfidf"]
        res.insert(0, "group", label)
        res = res.sort_values([key, "token"], ascending=[False, True], kind="stable")
        frames.append(res[["group", "token", "count", *extra]])
    if not frames:
        return pd.DataFrame(columns=["group", "token", "count"])
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------
# attention


def attention(
    corpus: Any,
    dictionaries: Any = None,
    section: str = "all",
    denominator: str = "tokens",
    *,
    backend: str = "rjieba",
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Policy attention: matched dictionary terms per report and area.

    One row per report × area (every area, zeros included): ``source, part, region, year,
    section, area, count`` and then, for ``denominator="tokens"``, ``n_tokens`` and
    ``share_per_1k_tokens`` (count / n_tokens × 1,000), or for ``denominator="chars"``,
    ``n_chars`` and ``share_per_10k_chars`` (count / n_chars × 10,000). The share is NaN
    where the selected sections hold no tokens. ``since`` is the first year of the area's
    vocabulary (a dictionary's ``# since:`` header, e.g. 新质生产力 from 2023) and
    ``before_since`` is True for reports of an earlier year: their count measures the words,
    not the later concept. Each area is counted on its own (see the module docstring).

    ``section``: ``"all"`` (whole report), ``"review"`` (sections of kind review and
    five_year_review) or ``"tasks"`` (tasks, targets and five_year_plan). Numerator and
    denominator are counted over the same sections.

    ``dictionaries``: None (the packaged areas), a DataFrame from :func:`load_dictionaries`,
    or a mapping / path(s) (only those areas). Matching is by whole tokens, longest term
    first, so nested terms count once; denominators are defined in the module docstring.

    >>> import govreport
    >>> c = govreport.read_text("政府工作报告\\n各位代表：\\n推动绿色发展，建设绿色工厂。", "x.txt")
    >>> a = attention(c, {"env": ["绿色", "绿色发展"]})
    >>> a[["area", "count", "n_tokens", "share_per_1k_tokens"]].values.tolist()
    [['env', 2, 8, 250.0]]
    >>> attention(c, {"env": ["绿色"]}, denominator="chars")[["count", "n_chars"]].values.tolist()
    [[2, 22]]

    Parameters
    ----------
    corpus : a :class:`~govreport.Corpus` (or a list of its documents).
    dictionaries : None, a DataFrame from :func:`load_dictionaries`, or a mapping / path(s).
    section : ``"all"``, ``"review"`` or ``"tasks"``.
    denominator : ``"tokens"`` or ``"chars"``.
    backend : tokenizer backend (``"rjieba"`` or ``"jieba"``).
    n_jobs : processes to tokenise in.
    """
    if section not in SECTION_KINDS:
        raise ValueError(f"section must be one of {list(SECTION_KINDS)}")
    if denominator not in ("tokens", "chars"):
        raise ValueError("denominator must be 'tokens' or 'chars'")
    dicts, tok, m = _matched(corpus, dictionaries, backend, n_jobs)
    return _attention_table(corpus, dicts, tok, m, section, denominator)


def _attention_table(corpus: Any, dicts: pd.DataFrame, tok: pd.DataFrame, m: pd.DataFrame,
                     section: str, denominator: str) -> pd.DataFrame:
    """:func:`attention` from a tokens table and its matches."""
    kinds = SECTION_KINDS[section]
    if kinds is not None:
        tok = tok[tok["section"].isin(kinds)]
        m = m[m["section"].isin(kinds)]
    keys = ["source", "part"]
    if denominator == "tokens":
        den_col, share_col, scale = "n_tokens", "share_per_1k_tokens", 1e3
        den = tok.groupby(keys).size().rename(den_col)
    else:
        den_col, share_col, scale = "n_chars", "share_per_10k_chars", 1e4
        den = tok["token"].str.len().groupby([tok["source"], tok["part"]]).sum().rename(den_col)
    areas = list(dict.fromkeys(dicts["area"]))
    reps = _report_keys(corpus)
    if not reps:  # an empty corpus: an empty table with the usual columns
        return pd.DataFrame({"source": pd.Series(dtype=str), "part": pd.Series(dtype="int64"),
                             "region": pd.Series(dtype=str), "year": pd.Series(dtype="Int64"),
                             "section": pd.Series(dtype=str), "area": pd.Series(dtype=str),
                             "count": pd.Series(dtype="int64"), den_col: pd.Series(dtype="int64"),
                             share_col: pd.Series(dtype=float), "since": pd.Series(dtype="Int64"),
                             "before_since": pd.Series(dtype=bool)})
    grid = pd.DataFrame(
        [(s, p, a) for s, p in reps for a in areas], columns=["source", "part", "area"]
    )
    cnt = m.groupby(["source", "part", "area"]).size().rename("count").reset_index()
    out = grid.merge(cnt, on=["source", "part", "area"], how="left")
    out = out.merge(den.reset_index(), on=keys, how="left")
    out["count"] = out["count"].fillna(0).astype("int64")
    out[den_col] = out[den_col].fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["count"] / out[den_col].where(out[den_col] > 0) * scale
    out[share_col] = share.astype(float)
    meta = _meta(corpus, ["region", "year"])
    out = out.merge(meta, on=keys, how="left")
    out["section"] = section
    out = _mark_before_since(out, dicts)
    return out[["source", "part", "region", "year", "section", "area", "count", den_col,
                share_col, "since", "before_since"]].reset_index(drop=True)


def _mark_before_since(out: pd.DataFrame, dicts: pd.DataFrame) -> pd.DataFrame:
    """``since`` (the area's first year, Int64) and ``before_since`` (the report predates it)."""
    since = (dicts.groupby(dicts["area"].astype(str))["since"].min() if "since" in dicts
             else pd.Series(dtype="Int64"))
    out["since"] = out["area"].astype(str).map(since).astype("Int64")
    year = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["before_since"] = (year < out["since"]).fillna(False).astype(bool)
    return out


def _report_keys(corpus: Any) -> list[tuple[str, int]]:
    if hasattr(corpus, "documents"):
        docs = corpus.documents
    elif hasattr(corpus, "text") and hasattr(corpus, "source"):
        docs = [corpus]
    else:
        docs = list(corpus)
    return [(d.source, d.part) for d in docs]


def _meta(corpus: Any, cols: list[str]) -> pd.DataFrame:
    if hasattr(corpus, "reports") and hasattr(corpus, "documents"):
        rep = corpus.reports
        return rep[["source", "part", *[c for c in cols if c in rep.columns]]]
    docs = [corpus] if hasattr(corpus, "text") else list(corpus)
    rows = [{"source": d.source, "part": d.part, **{c: d.meta.get(c) for c in cols}} for d in docs]
    df = pd.DataFrame(rows, columns=["source", "part", *cols])
    if "year" in df:
        df["year"] = df["year"].astype("Int64")
    return df


# ---------------------------------------------------------------------------
# sectors


SECTOR_COLUMNS = ["source", "part", "section", "sentence", "area", "score", "top", "chars", "text"]


def sectors(
    corpus: Any,
    dictionaries: Any = None,
    *,
    sections: str | Iterable[str] = ("review", "tasks"),
    backend: str = "rjieba",
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Sentences of the review and tasks sections scored against the policy areas.

    One row per sentence and matched area: ``source, part, section`` (kind of the section the
    sentence starts in), ``sentence`` (number as in :func:`govreport.tokens`), ``area``,
    ``score`` (matched term occurrences of the area in the sentence, longest-first as in
    :func:`attention`), ``top`` (the area has the sentence's highest score; ties are all
    top), ``chars`` (length of the sentence) and ``text``. A sentence that matches no area
    appears once, with ``area`` <NA>, ``score`` 0 and ``top`` False, so the table covers
    all the text of those sections.

    ``sections``: names from :data:`SECTION_KINDS` (``"review"``, ``"tasks"``) or section kinds.

    >>> import govreport
    >>> c = govreport.read_text("政府工作报告\\n各位代表：\\n二、2026年工作安排\\n"
    ...     "发展智慧农业和高标准农田。治理大气污染。召开会议。", "x.txt")
    >>> s = sectors(c, {"agri": ["智慧农业", "高标准农田"], "env": ["污染"]})
    >>> s[["sentence", "area", "score", "top"]].values.tolist()
    [[2, <NA>, 0, False], [3, 'agri', 2, True], [4, 'env', 1, True], [5, <NA>, 0, False]]

    Parameters
    ----------
    corpus : a :class:`~govreport.Corpus` (or a list of its documents).
    dictionaries : None (the packaged areas), a DataFrame from :func:`load_dictionaries`, or a
        mapping / path(s) of your own.
    sections : which sections' sentences to score.
    backend : tokenizer backend (``"rjieba"`` or ``"jieba"``).
    n_jobs : processes to tokenise in.
    """
    names = [sections] if isinstance(sections, str) else list(sections)
    kinds: list[str] = []
    for name in names:
        k = SECTION_KINDS.get(name, (name,))
        kinds += list(k) if k is not None else []
    all_kinds = SECTION_KINDS.get(names[0], ()) is None if len(names) == 1 else False
    dicts, _tok, m = _matched(corpus, dictionaries, backend, n_jobs)
    return _sectors_table(corpus, dicts, m, kinds, all_kinds)


def _sectors_table(corpus: Any, dicts: pd.DataFrame, m: pd.DataFrame, kinds: list[str],
                   all_kinds: bool, with_text: bool = True) -> pd.DataFrame:
    """:func:`sectors` from the matches of a tokens table.

    ``with_text=False`` (the build's table): the sentence's ``start`` and ``end`` in the
    report's normalised text instead of a copy of it.
    """
    areas = list(dict.fromkeys(dicts["area"]))
    order = {a: i for i, a in enumerate(areas)}
    scores: dict[tuple[str, int, int], dict[str, int]] = {}
    for s, p, sent, area in zip(m["source"], m["part"], m["sentence"], m["area"], strict=True):
        d = scores.setdefault((s, p, int(sent)), {})
        d[area] = d.get(area, 0) + 1
    rows = []
    for doc in _documents(corpus):
        spans = sentence_spans(doc.text)
        if not spans:
            continue
        kinds_at = section_kinds(section_index(doc.sections), [s for s, _ in spans])
        for n, ((a, b), kind) in enumerate(zip(spans, kinds_at, strict=True)):
            if not all_kinds and kind not in kinds:
                continue
            where = (doc.text[a:b],) if with_text else (a, b)
            sc = scores.get((doc.source, doc.part, n))
            if not sc:
                rows.append((doc.source, doc.part, kind, n, pd.NA, 0, False, b - a, *where))
                continue
            best = max(sc.values())
            for area, v in sorted(sc.items(), key=lambda kv: (-kv[1], order.get(kv[0], 0))):
                rows.append((doc.source, doc.part, kind, n, area, v, v == best, b - a, *where))
    columns = SECTOR_COLUMNS if with_text else [*SECTOR_COLUMNS[:-1], "start", "end"]
    df = pd.DataFrame(rows, columns=columns)
    if not with_text:
        df[["start", "end"]] = df[["start", "end"]].astype("int64")
    df["area"] = df["area"].astype("string")
    for c in ("part", "sentence", "score", "chars"):
        df[c] = df[c].astype("int64")
    df["top"] = df["top"].astype(bool)
    df.attrs["areas"] = areas
    return df


def sector_shares(
    sectors_df: pd.DataFrame,
    reports: Any = None,
    *,
    kinds: Iterable[str] = PLAN_YEAR_KINDS,
) -> pd.DataFrame:
    """Per report, the share of plan-year text whose sentences belong to each area.

    A sentence belongs to the area(s) with its top score; a tie splits the sentence equally.
    Plan-year text is the sentences of sections of the given ``kinds`` (tasks and targets).
    Columns: ``source, part`` (+ ``region, year`` when ``reports`` — a Corpus or its reports
    table — is given), ``area``, ``n_sentences`` (fractional with ties), ``chars``,
    ``total_chars`` (all plan-year sentences of the report, matched or not) and ``share`` =
    chars / total_chars. Shares sum to the share of text matched by any area (≤ 1).

    >>> s = pd.DataFrame({"source": "a", "part": 0, "section": "tasks", "sentence": [0, 1, 1, 2],
    ...     "area": pd.array(["agri", "agri", "env", pd.NA], dtype="string"),
    ...     "score": [2, 1, 1, 0], "top": [True, True, True, False], "chars": [10, 20, 20, 10],
    ...     "text": ""})
    >>> sector_shares(s)[["area", "n_sentences", "chars", "share"]].values.tolist()
    [['agri', 1.5, 20.0, 0.5], ['env', 0.5, 10.0, 0.25]]
    """
    kinds = tuple(kinds)
    df = sectors_df[sectors_df["section"].isin(kinds)]
    keys = ["source", "part"]
    sent_keys = [*keys, "sentence"]
    total = df.drop_duplicates(sent_keys).groupby(keys)["chars"].sum().rename("total_chars")
    top = df[df["top"] & df["area"].notna()].copy()
    top["w"] = 1.0 / top.groupby(sent_keys)["area"].transform("size")
    top["wc"] = top["w"] * top["chars"]
    agg = top.groupby([*keys, "area"]).agg(n_sentences=("w", "sum"), chars=("wc", "sum"))
    areas = sectors_df.attrs.get("areas") or sorted(sectors_df["area"].dropna().unique())
    reps = total.index.tolist()
    grid = pd.DataFrame([(s, p, a) for s, p in reps for a in areas], columns=[*keys, "area"])
    grid["area"] = grid["area"].astype("string")
    out = grid.merge(agg.reset_index().astype({"area": "string"}), on=[*keys, "area"], how="left")
    out[["n_sentences", "chars"]] = out[["n_sentences", "chars"]].fillna(0.0)
    out = out.merge(total.reset_index(), on=keys, how="left")
    out["total_chars"] = out["total_chars"].astype("int64")
    out["share"] = out["chars"] / out["total_chars"].where(out["total_chars"] > 0)
    cols = [*keys, "area", "n_sentences", "chars", "total_chars", "share"]
    rep = _reports_frame(reports)
    if rep is not None:
        out = out.merge(rep[["source", "part", "region", "year"]], on=keys, how="left")
        cols = [*keys, "region", "year", *cols[2:]]
    return out[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------
# every text measure of a build, from one tokenisation

TOP_TERMS = 50


def text_measures(corpus: Any, *, backend: str = "rjieba", top_terms: int = TOP_TERMS) -> dict[str, pd.DataFrame]:
    """The build's text tables from one tokenisation of ``corpus`` (packaged dictionaries).

    ``attention`` (as :func:`attention`), ``sectors`` (as :func:`sectors`, with each sentence's
    ``start`` and ``end`` instead of its text, which would copy the corpus), ``sector_shares``
    and ``tokens_summary`` (each report's ``top_terms`` most frequent tokens, as
    :func:`term_frequency` by source and part). Every table is computed report by report,
    so a corpus's tables are its reports' tables one after another. The work is done by
    :mod:`govreport.measures` (counts, no token table); :func:`_text_measures_reference`
    composes the same tables from the public functions.
    """
    from .measures import text_measures as lean

    return lean(corpus, backend=backend, top_terms=top_terms)


def _text_measures_reference(corpus: Any, *, backend: str = "rjieba", top_terms: int = TOP_TERMS
                             ) -> dict[str, pd.DataFrame]:
    """:func:`text_measures` from the token table and the public functions (the reference)."""
    dicts, matcher, _since = _packaged_matcher(backend)
    tok = tokens(corpus, backend=backend, dictionary_terms=matcher.dictionary_terms)
    m = _match_tokens(tok, matcher)
    sec = _sectors_table(corpus, dicts, m, ["review", "five_year_review", "tasks", "targets",
                                            "five_year_plan"], False, with_text=False)
    tf = term_frequency(tok, by=["source", "part"], reports=corpus.reports)
    top = tf.sort_values(["source", "part", "count"], ascending=[True, True, False]).groupby(
        ["source", "part"], sort=False).head(top_terms).reset_index(drop=True)
    return {
        "attention": _attention_table(corpus, dicts, tok, m, "all", "tokens"),
        "sectors": sec,
        # these two are sorted by source: back to the order of the reports, as one by one
        "sector_shares": _in_report_order(sector_shares(sec, corpus.reports), corpus),
        "tokens_summary": _in_report_order(top, corpus),
    }


@lru_cache(maxsize=2)
def _packaged_matcher(backend: str) -> tuple[pd.DataFrame, _Matcher, dict[str, Any]]:
    """The packaged dictionaries, their matcher and each area's ``since``, built once per process."""
    dicts = load_dictionaries()
    since = dicts.groupby(dicts["area"].astype(str))["since"].min()
    return dicts, _Matcher(dicts, backend), {a: (None if pd.isna(v) else int(v)) for a, v in since.items()}


def _in_report_order(df: pd.DataFrame, corpus: Any) -> pd.DataFrame:
    """Rows in the order of the corpus's reports (stable within a report)."""
    if len(df) < 2:
        return df
    order = {(d.source, d.part): i for i, d in enumerate(_documents(corpus))}
    key = np.fromiter((order.get(k, len(order)) for k in zip(df["source"], df["part"], strict=True)),
                      dtype=np.int64, count=len(df))
    if (np.diff(key) >= 0).all():
        return df
    return df.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)
