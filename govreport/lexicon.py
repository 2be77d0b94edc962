"""The indicator lexicon: canonical keys, Chinese names, variants, English labels, units.

The packaged table is ``govreport/data/indicators.csv`` (sources in its header). Extend it
without editing code, from a file of the same columns or with a call:

>>> add_indicators([{"key": "tourism_revenue", "name_zh": "旅游总收入", "variants": "旅游总收入|旅游收入"}])
>>> "tourism_revenue" in set(indicator_lexicon()["key"])
True
>>> reset_indicators()
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import pandas as pd

from .patterns import first_chars, literal_prefixes, trie_pattern

COLUMNS = ["key", "name_zh", "label_en", "default_unit", "type", "canonical", "variants"]
_extra: list[pd.DataFrame] = []


def _read(text: str) -> pd.DataFrame:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    df = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    return _complete(df)


def _complete(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "key" not in df or "variants" not in df and "name_zh" not in df:
        raise ValueError("an indicator table needs the columns 'key' and 'variants' (or 'name_zh')")
    for col in COLUMNS:
        if col not in df:
            df[col] = ""
    df["variants"] = [v or n for v, n in zip(df["variants"], df["name_zh"], strict=True)]
    df["type"] = df["type"].replace("", "stock")
    df["canonical"] = df["canonical"].replace("", "0")
    return df[COLUMNS]


@lru_cache(maxsize=1)
def _packaged() -> pd.DataFrame:
    text = resources.files("govreport").joinpath("data/indicators.csv").read_text(encoding="utf-8")
    return _read(text)


def indicator_lexicon() -> pd.DataFrame:
    """The lexicon in use: the packaged table plus whatever was added (later rows win).

    Columns: ``key, name_zh, label_en, default_unit, type, canonical, variants``
    (``govreport/data/indicators.csv``; sources in its header).

    >>> lex = indicator_lexicon()
    >>> lex.set_index("key").loc["gdp", "name_zh"]
    '地区生产总值'
    """
    df = pd.concat([_packaged(), *_extra], ignore_index=True)
    return df.drop_duplicates("key", keep="last").reset_index(drop=True)


def add_indicators(table: pd.DataFrame | list[dict] | str | os.PathLike[str]) -> None:
    """Add or replace indicators from a DataFrame, a list of dicts, or a CSV file path.

    Parameters
    ----------
    table : rows with the columns of ``govreport/data/indicators.csv`` (``key`` and ``variants``
        or ``name_zh`` at least; a variant may be a regular expression): a DataFrame, a list of
        dicts or the path of a CSV file. A key that exists is replaced. Undo with
        ``govreport.lexicon.reset_indicators()``.

    >>> add_indicators([{"key": "tourism_revenue", "name_zh": "旅游总收入"}])
    >>> "tourism_revenue" in set(indicator_lexicon()["key"])
    True
    >>> from govreport.lexicon import reset_indicators; reset_indicators()
    """
    if isinstance(table, str | os.PathLike):
        with open(table, encoding="utf-8-sig") as fh:
            df = _read(fh.read())
    else:
        df = _complete(pd.DataFrame(table).astype(str))
    _extra.append(df)
    compiled_lexicon.cache_clear()


def reset_indicators() -> None:
    """Forget added indicators."""
    _extra.clear()
    compiled_lexicon.cache_clear()


def split_variants(variants: str) -> list[str]:
    """Split on top-level ``|`` only (a regex variant may contain its own alternation).

    >>> split_variants("研发投入强度|研发经费(?:投入|支出)?占比")
    ['研发投入强度', '研发经费(?:投入|支出)?占比']
    """
    out, depth, cur = [], 0, ""
    for ch in variants:
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    out.append(cur)
    return [v.strip() for v in out if v.strip()]


def _is_regex(v: str) -> bool:
    return bool(re.search(r"[\\()\[\]{}?*+.^$]", v))


@lru_cache(maxsize=1)
def compiled_lexicon() -> tuple[re.Pattern[str], dict[str, str], dict[str, dict]]:
    """(pattern, group-or-text → key, key → row) for the lexicon in use.

    Regex variants are tried first, each in its own group ``r<i>``; literal variants form one
    trie in group ``lit`` (longest match wins) and are looked up by their text.
    """
    lex = indicator_lexicon()
    lookup: dict[str, str] = {}
    regex_parts: list[str] = []
    literals: list[str] = []
    for row in lex.itertuples():
        for v in split_variants(str(row.variants)):
            if _is_regex(v):
                lookup[f"r{len(regex_parts)}"] = row.key
                regex_parts.append(f"(?P<r{len(regex_parts)}>{v})")
            else:
                lookup[v] = row.key
                literals.append(v)
    # a look-ahead on the possible first characters lets the engine skip most positions fast
    first = {v[0] for v in literals}
    guarded = []
    for part in regex_parts:
        starts = first_chars(part)  # else every literal character of the variant (a safe superset)
        first |= starts if starts else set(re.sub(r"\(\?P<\w+>|\\.|[()\[\]{}?*+|^$:!=<>,.\d]", "", part))
        # each regex variant is tried only where it can start
        guarded.append(f"(?=[{''.join(re.escape(ch) for ch in sorted(starts))}]){part}" if starts else part)
    guard = "[" + "".join(re.escape(ch) for ch in sorted(first)) + "]"
    # one class test skips every regex variant where none can start
    starts_all = set().union(*(first_chars(p) or set() for p in regex_parts)) if regex_parts else set()
    if regex_parts and all(first_chars(p) for p in regex_parts):
        regex_alt = "(?=[" + "".join(re.escape(ch) for ch in sorted(starts_all)) + "])(?:" + "|".join(guarded) + ")"
        alternatives = f"{regex_alt}|(?P<lit>{trie_pattern(literals)})"
    else:
        alternatives = "|".join([*guarded, f"(?P<lit>{trie_pattern(literals)})"])
    pattern = re.compile(f"(?={guard})(?:{alternatives})")
    info = {row.key: row._asdict() for row in lex.itertuples()}
    _CANDIDATES.clear()
    _CANDIDATES[pattern] = _candidate_pattern(literals, regex_parts)
    return pattern, lookup, info


_CANDIDATES: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _candidate_pattern(literals: list[str], regex_parts: list[str]) -> re.Pattern[str] | None:
    """A trie of the literal variants and of the few strings every regex variant starts with:
    it matches wherever the lexicon pattern can, and the regex engine scans a trie fast (its
    first characters are a set it skips by). None when a regex variant's start is unknown."""
    starts: set[str] = set()
    for part in regex_parts:
        found = literal_prefixes(part) if first_chars(part) else None  # first_chars: never empty
        if not found:
            return None
        starts |= found
    return re.compile(trie_pattern([*literals, *sorted(starts)]))


def lexicon_matches(text: str) -> Iterable[re.Match[str]]:
    """The matches of the lexicon pattern in ``text``, the same as ``pattern.finditer(text)``.

    The pattern is tried only where the candidate trie matches (it matches wherever the
    pattern can), which skips the text about twice as fast as the pattern's own scan.
    """
    pattern = compiled_lexicon()[0]
    candidates = _CANDIDATES.get(pattern)
    if candidates is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    while (c := candidates.search(text, pos)) is not None:
        m = pattern.match(text, c.start())
        if m is None:
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()  # never empty: every variant has a first character
