"""Tokens: a govreport-owned word segmenter and the one-token-per-row table.

:class:`Tokenizer` wraps a *private* segmenter instance — ``rjieba.Jieba()`` (default,
fast) or ``jieba.Tokenizer()`` (the reference) — so jieba's global tokenizer ``jieba.dt``
is never touched: user dictionaries loaded into jieba do not change our tokens, and ours
do not change theirs.

How a text is cut, in order:

1. **Protected spans.** Lexicon and user words that contain a character other than a
   common Han character (``PM2.5``, ``5G基站``, ``人工智能+``, ``12345热线``) are found by
   a longest-match regular expression and kept whole.
2. **Numbers** are one token: ``2025``, ``5.8%``, ``1451.6``, ``1,234.5``, ``0.5‰``.
   A percent or per-mille sign attaches to its number; any other unit is a separate
   token (``1451.6亿元`` → ``1451.6`` / ``亿元``; ``2025年`` → ``2025`` / ``年``; ``3个百分点``
   → ``3`` / ``个百分点``). A minus sign is a separate (punctuation) token.
3. **Latin words** (a run of ASCII letters and digits holding a letter: ``GDP``, ``C919``)
   are one token.
4. **Runs of Han characters** (U+4E00–U+9FD5, jieba's range) go to the backend, with the
   HMM for unknown words. Both backends load the same user words, so they cut the same way.
5. Anything else is one token per character; whitespace is dropped.

User words loaded into the backend: the policy lexicon (``data/policy_lexicon.txt``, at its
frequency), the terms of the attention dictionaries (``data/dictionaries/*.txt``) and region
names from :func:`govreport.divisions.all_names` (common-word names left out; skipped if
the division table is unavailable). A word the backend already knows keeps its own
frequency; new dictionary terms get frequency 100000 (so they win), new region names 10000
(a word, but one that does not override ordinary words around it).

**Nesting rule.** A word that *contains* a dictionary term (or a user word; terms of two
or more characters) without being one would hide that term — ``大气污染`` hides ``污染``,
``生态环境`` hides ``生态``. Such words are not loaded from the lexicon or the division
table, and are taken out of the backend's own dictionary (their frequency set to 0 in our
private instance), so the text is cut ``大气`` / ``污染``: a dictionary term is a token
wherever it occurs, unless a longer term covers it (``绿色发展`` stays whole when it is a
term) or, rarely, the best segmentation path joins its characters to their neighbours.
The words of jieba's dictionary that the rule takes out for the packaged terms are stored in
``data/nesting_words.txt`` (``scripts/nesting_words.py``), so start-up need not scan them.

>>> tok = get_tokenizer()
>>> tok.tokenize("培育新质生产力，增长5.8%，达1451.6亿元。")
['培育', '新质生产力', '，', '增长', '5.8%', '，', '达', '1451.6', '亿元', '。']
>>> tok.tokenize_spans("PM2.5浓度")
[('PM2.5', 0, 5), ('浓度', 5, 7)]
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .patterns import trie_pattern

__all__ = [
    "Tokenizer", "get_tokenizer", "tokens", "stopwords", "is_punct", "sentence_spans",
    "lexicon_terms", "TOKEN_COLUMNS", "BACKENDS",
]

BACKENDS = ("rjieba", "jieba")
TOKEN_COLUMNS = ["source", "part", "section", "sentence", "position", "start", "token"]
USER_WORD_FREQ = 100_000
REGION_WORD_FREQ = 10_000

_HAN = "\u4e00-\u9fd5"
_PIECES = re.compile(
    rf"(?P<han>[{_HAN}]+)"
    r"|(?P<word>[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)"
    r"|(?P<num>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?[%‰]?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)
_ONLY_HAN = re.compile(rf"[{_HAN}]+")
# 。！？!? (more of them, closing quotes or brackets) or line breaks; one leading character class
# lets the regex engine skip to candidates quickly
_SENT_END = re.compile(r"[。！？!?\n](?:(?<=\n)\n*|[。！？!?]*[”’」』）)\"']*)")

# The fast path of Tokenizer._columns: text between Han runs goes into the backend call as it
# is when each of its characters is a token of its own there and here ("safe"), else as one
# placeholder character that stands for its pieces, cut by _PIECES.
_PLACEHOLDER = "\x00"
# not safe: whitespace, the backends' word characters (ASCII letters, digits, +#&._%-), any
# Han range a backend may know, surrogates, the placeholder
_UNSAFE = r"\s\x00A-Za-z0-9+#&._%\-\u3400-\u4dff\u9fd6-\u9fff\uf900-\ufaff\ud800-\udfff\U00020000-\U0010ffff"
_UNSAFE_CHAR = re.compile(f"[{_UNSAFE}]")
# from an unsafe character to the end of its run of non-Han characters
_UNSAFE_TO_RUN_END = re.compile(f"[{_UNSAFE}][^{_HAN}]*+")
_PART_CACHE_SIZE = 100_000
_part_pieces: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}


def _safe_char(ch: str) -> bool:
    """True for a character outside the Han runs that every backend cuts as one token, as
    _PIECES does (tests/test_tokens.py checks every code point of the BMP on both backends).

    >>> _safe_char("，"), _safe_char("5"), _safe_char(" "), _safe_char("㐀")
    (True, False, False, False)
    """
    return not _UNSAFE_CHAR.match(ch) and not _ONLY_HAN.match(ch)


def _pieces_of(part: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The tokens of a run of non-Han characters and their offsets in it (cached)."""
    out = _part_pieces.get(part)
    if out is None:
        found = [(m.group(), m.start()) for m in _PIECES.finditer(part) if m.lastgroup != "space"]
        out = (tuple(w for w, _ in found), tuple(o for _, o in found))
        if len(part) <= 64:  # short runs recur (a number, a line break); long ones are not kept
            if len(_part_pieces) >= _PART_CACHE_SIZE:
                _part_pieces.clear()
            _part_pieces[part] = out
    return out


def _plan(text: str, pos: int, end: int, cut_parts: list[str],
          specials: list[tuple[int, int, tuple[str, ...], tuple[int, ...]]]) -> None:
    """Add ``text[pos:end]`` to the backend call (see Tokenizer._columns_array).

    Each run of non-Han characters holding an unsafe one becomes a placeholder; every
    character is looked at a bounded number of times.
    """
    last = pos  # text[pos:last] is planned
    for m in _UNSAFE_TO_RUN_END.finditer(text, pos, end):
        a, b = m.span()
        while a > last and not ("\u4e00" <= text[a - 1] <= "\u9fd5"):
            a -= 1
        cut_parts.append(text[last:a])
        cut_parts.append(_PLACEHOLDER)
        specials.append((a, b - a, *_pieces_of(text[a:b])))
        last = b
    cut_parts.append(text[last:end])


# ---------------------------------------------------------------------------
# data files


def _data_lines(*parts: str) -> list[str]:
    path = resources.files("govreport").joinpath("data", *parts)
    if not path.is_file():
        return []
    return path.read_text(encoding="utf-8").splitlines()


@lru_cache(maxsize=1)
def lexicon_terms() -> tuple[tuple[str, int], ...]:
    """The policy lexicon as ``(term, freq)`` pairs, in file order.

    >>> terms = dict(lexicon_terms())
    >>> "新质生产力" in terms and "专精特新" in terms
    True
    """
    out: dict[str, int] = {}
    for line in _data_lines("policy_lexicon.txt"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        term = fields[0].strip()
        try:
            freq = int(fields[1]) if len(fields) > 1 else USER_WORD_FREQ
        except ValueError:
            freq = USER_WORD_FREQ
        if term and term not in out:
            out[term] = freq
    return tuple(out.items())


@lru_cache(maxsize=1)
def _dictionary_terms() -> tuple[str, ...]:
    """Every term of the packaged attention dictionaries (all areas, file order)."""
    folder = resources.files("govreport").joinpath("data", "dictionaries")
    if not folder.is_dir():
        return ()
    seen: dict[str, None] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".txt"):
            continue
        for line in entry.read_text(encoding="utf-8").splitlines():
            t = line.strip()
            if t and not t.startswith("#"):
                seen.setdefault(t, None)
    return tuple(seen)


@lru_cache(maxsize=2)
def _region_names() -> tuple[str, ...]:
    try:
        from .divisions import all_names

        return tuple(n for n in all_names(include_common_words=False) if len(n) >= 2)
    except Exception:  # noqa: BLE001 - region names are optional
        return ()


NESTING_WORDS_FILE = "nesting_words.txt"


def _backend_dictionary_path() -> Path:
    """jieba's ``dict.txt``, found without importing jieba (slow to import)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@lru_cache(maxsize=1)
def _backend_dictionary() -> tuple[str, ...]:
    """Words of jieba's default dictionary (rjieba ships the same ``dict.txt``)."""
    words = []
    with _backend_dictionary_path().open("r", encoding="utf-8") as fh:
        for line in fh:
            w = line.split(" ", 1)[0].strip()
            if w:
                words.append(w)
    return tuple(words)


def _terms_key(terms: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(sorted(set(terms))).encode()).hexdigest()


@lru_cache(maxsize=1)
def _dictionary_key() -> str:
    return hashlib.sha256(_backend_dictionary_path().read_bytes()).hexdigest()


def _compute_nesting_words(terms: tuple[str, ...]) -> tuple[str, ...]:
    nested = [t for t in terms if len(t) >= 2]
    if not nested:
        return ()
    inner = re.compile(trie_pattern(nested))
    own = set(terms)
    return tuple(w for w in _backend_dictionary() if w not in own and inner.search(w))


def _nesting_words_file_text(terms: tuple[str, ...]) -> str:
    """The text of ``data/nesting_words.txt`` for ``terms`` (scripts/nesting_words.py)."""
    head = [
        "# Words of jieba's dictionary (dict.txt) that contain one of the packaged attention",
        "# dictionary terms without being one: the nesting rule of govreport/tokens.py takes them",
        "# out of the segmenter. Generated by scripts/nesting_words.py; used only while both keys",
        "# below match (else computed at start-up); tests/test_tokens.py fails when it is stale.",
        f"# terms: {_terms_key(terms)}",
        f"# dictionary: {_dictionary_key()}",
    ]
    return "\n".join([*head, *_compute_nesting_words(terms)]) + "\n"


def _stored_nesting_words(terms: tuple[str, ...]) -> tuple[str, ...] | None:
    """The words of ``data/nesting_words.txt`` if it was made for these terms and dict.txt."""
    lines = _data_lines(NESTING_WORDS_FILE)
    keys = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# ") and ": " in line)
    if keys.get("terms") != _terms_key(terms):
        return None
    try:
        if keys.get("dictionary") != _dictionary_key():
            return None
    except (ImportError, OSError):
        return None
    return tuple(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=8)
def _nesting_words(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Words of the backend dictionary that contain one of ``terms`` without being one."""
    stored = _stored_nesting_words(terms)
    return stored if stored is not None else _compute_nesting_words(terms)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The packaged stopword list (``data/stopwords.txt``).

    >>> "的" in stopwords(), "新质生产力" in stopwords()
    (True, False)
    """
    return frozenset(
        t for line in _data_lines("stopwords.txt") if (t := line.strip()) and not t.startswith("#")
    )


def is_punct(token: str) -> bool:
    """True for a token with no letter, digit or Han character.

    >>> is_punct("，"), is_punct("%"), is_punct("5.8%"), is_punct("绿色")
    (True, True, False, False)
    """
    return not any(ch.isalnum() for ch in token)


_punct = lru_cache(maxsize=65536)(is_punct)


# ---------------------------------------------------------------------------
# longest-match regex over a word list


# ---------------------------------------------------------------------------
# the tokenizer


class Tokenizer:
    """A word segmenter owned by govreport (never jieba's global ``jieba.dt``).

    ``backend`` is ``"rjieba"`` (default; Rust port of jieba) or ``"jieba"`` (a private
    ``jieba.Tokenizer()`` instance). ``user_words`` are added on top of the policy
    lexicon, the dictionary terms and the region names. The backend is built on first
    use; :attr:`startup_seconds` records how long that took.

    >>> t = Tokenizer("jieba", user_words=["双招双引工作法"])
    >>> t.tokenize("推行双招双引工作法")
    ['推行', '双招双引工作法']
    >>> round(t.startup_seconds) >= 0
    True
    """

    def __init__(
        self,
        backend: str = "rjieba",
        *,
        user_words: Iterable[str] = (),
        dictionary_terms: Iterable[str] | None = None,
        regions: bool = True,
        hmm: bool = True,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
        self.backend = backend
        self.user_words = tuple(dict.fromkeys(w.strip() for w in user_words if w and w.strip()))
        self.dictionary_terms = None if dictionary_terms is None else tuple(
            dict.fromkeys(t.strip() for t in dictionary_terms if t and t.strip()))
        self.regions = regions
        self.hmm = hmm
        self.startup_seconds: float | None = None
        self._cut: Any = None
        self._protect: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        state = "loaded" if self._cut is not None else "not loaded"
        return f"<Tokenizer {self.backend}, {len(self.user_words)} extra words, {state}>"

    # -- start-up ---------------------------------------------------------
    def _load(self) -> None:
        t0 = time.perf_counter()
        if self.backend == "rjieba":
            import rjieba

            seg = rjieba.Jieba()
            has_word = seg.has_word

            def add(w: str, f: int) -> None:
                seg.add_word(w, f, "n")

            def drop(w: str) -> None:
                seg.add_word(w, 0, "n")

            hmm = self.hmm
            cut = lambda s: seg.cut(s, hmm)  # noqa: E731
        else:
            import jieba

            seg = jieba.Tokenizer()
            logger = jieba.default_logger
            level = logger.level
            logger.setLevel(logging.WARNING)  # silence "Building prefix dict ..." for ours
            try:
                seg.initialize()
            finally:
                logger.setLevel(level)

            def has_word(w: str) -> bool:
                return seg.FREQ.get(w, 0) > 0

            def add(w: str, f: int) -> None:
                seg.add_word(w, f, "n")

            def drop(w: str) -> None:  # as jieba-rs add_word(w, 0): the word leaves the DAG
                seg.total -= seg.FREQ.get(w, 0)
                seg.FREQ[w] = 0

            hmm = self.hmm
            cut = lambda s: seg.lcut(s, HMM=hmm)  # noqa: E731

        base = _dictionary_terms() if self.dictionary_terms is None else self.dictionary_terms
        terms = dict.fromkeys((*base, *self.user_words))
        nested = [t for t in terms if len(t) >= 2]
        inner = re.compile(trie_pattern(nested)) if nested else None
        words: dict[str, int] = dict.fromkeys(terms, USER_WORD_FREQ)
        extra = [*lexicon_terms()]
        if self.regions:
            extra += [(w, REGION_WORD_FREQ) for w in _region_names()]
        for w, f in extra:
            # nesting rule: a lexicon word or region name holding a dictionary term is not
            # loaded, so the dictionary term inside it stays a token of its own
            if w not in words and not (inner and inner.search(w)):
                words[w] = f
        protected = []
        for w, f in words.items():
            if not _ONLY_HAN.fullmatch(w):
                protected.append(w)
            elif not has_word(w):  # words the backend knows keep their own frequency
                add(w, f)
        # the same rule for the backend's own dictionary: 大气污染 → 大气 / 污染
        for w in _nesting_words(tuple(terms)):
            if w not in words:
                drop(w)
        self._protect = re.compile(trie_pattern(protected, ascii_guard=True)) if protected else None
        self._cut = cut
        self.startup_seconds = time.perf_counter() - t0

    def load(self) -> Tokenizer:
        """Build the backend now (otherwise done on first use). Returns ``self``."""
        if self._cut is None:
            self._load()
        return self

    # -- cutting ----------------------------------------------------------
    def _segment(self, text: str, pos: int, end: int, words: list[str], starts: list[int]) -> None:
        cut = self._cut
        for m in _PIECES.finditer(text, pos, end):
            kind = m.lastgroup
            if kind == "han":
                ws = cut(m.group())
                words += ws
                starts += accumulate(map(len, ws[:-1]), initial=m.start())
            elif kind != "space":
                words.append(m.group())
                starts.append(m.start())

    def _columns_per_run(self, text: str) -> tuple[list[str], list[int]]:
        """:meth:`_columns` calling the backend once per run of Han characters (the reference)."""
        if self._cut is None:
            self._load()
        words: list[str] = []
        starts: list[int] = []
        pos = 0
        if self._protect is not None:
            for m in self._protect.finditer(text):
                self._segment(text, pos, m.start(), words, starts)
                words.append(m.group())
                starts.append(m.start())
                pos = m.end()
        self._segment(text, pos, len(text), words, starts)
        return words, starts

    def _columns(self, text: str) -> tuple[list[str], list[int]]:
        """Tokens and their start offsets (the fast path behind :meth:`tokenize_spans`)."""
        words, starts = self._columns_array(text)
        return words, starts.tolist()

    def _columns_array(self, text: str) -> tuple[list[str], np.ndarray]:
        """Tokens and their start offsets (int64 array).

        One backend call per text: the Han runs go to the backend together with the
        punctuation between them that every backend cuts one character a token (so each run
        is still cut on its own); every other piece (numbers, Latin words, whitespace,
        protected words) stands in the call as one placeholder character and is cut here.
        The tokens are those of :meth:`_columns_per_run` (tests/test_tokens.py).
        """
        if self._cut is None:
            self._load()
        if _PLACEHOLDER in text:
            words, start_list = self._columns_per_run(text)
            return words, np.array(start_list, dtype=np.int64)
        cut_parts: list[str] = []
        specials: list[tuple[int, int, tuple[str, ...], tuple[int, ...]]] = []
        pos = 0
        if self._protect is not None:
            for m in self._protect.finditer(text):
                _plan(text, pos, m.start(), cut_parts, specials)
                cut_parts.append(_PLACEHOLDER)
                specials.append((m.start(), m.end() - m.start(), (m.group(),), (0,)))
                pos = m.end()
        _plan(text, pos, len(text), cut_parts, specials)
        flat = self._cut("".join(cut_parts)) if cut_parts else []
        n = len(flat)
        lens = np.fromiter(map(len, flat), dtype=np.int64, count=n)
        offsets = np.cumsum(lens) - lens  # in the joined string, = in the text before a placeholder
        if not specials:
            return flat, offsets
        # each placeholder gives way to its piece's tokens; offsets after it shift by its length
        words: list[str] = []
        holders: list[int] = []
        index = flat.index
        prev = 0
        for sp in specials:
            j = index(_PLACEHOLDER, prev)
            words += flat[prev:j]
            words += sp[2]
            holders.append(j)
            prev = j + 1
        words += flat[prev:]
        at, length, toks, offs = zip(*specials, strict=True)
        held = np.array(holders, dtype=np.int64)
        shifts = np.zeros(len(held) + 1, dtype=np.int64)
        shifts[1:] = np.array(at, dtype=np.int64) + np.array(length, dtype=np.int64) - offsets[held] - 1
        starts = offsets + np.repeat(shifts, np.diff(held, prepend=-1, append=n - 1))
        keep = np.ones(n, dtype=bool)
        keep[held] = False
        n_toks = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        inserted = np.repeat(np.array(at, dtype=np.int64), n_toks) + np.fromiter(
            chain.from_iterable(offs), dtype=np.int64, count=int(n_toks.sum()))
        return words, np.insert(starts[keep], np.repeat(held - np.arange(len(held)), n_toks), inserted)

    def tokenize_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Tokens with their character offsets ``(token, start, end)`` in ``text``.

        Whitespace is not a token; punctuation is.

        >>> get_tokenizer().tokenize_spans("GDP增长5%")
        [('GDP', 0, 3), ('增长', 3, 5), ('5%', 5, 7)]
        """
        words, starts = self._columns(text)
        return [(w, s, s + len(w)) for w, s in zip(words, starts, strict=True)]

    def tokenize(self, text: str) -> list[str]:
        """The tokens of ``text`` (no whitespace tokens).

        >>> get_tokenizer().tokenize("推进专精特新企业发展")
        ['推进', '专精特新企业', '发展']
        """
        return self._columns(text)[0]


@lru_cache(maxsize=16)
def _cached_tokenizer(
    backend: str, user_words: tuple[str, ...], dictionary_terms: tuple[str, ...] | None
) -> Tokenizer:
    return Tokenizer(backend, user_words=user_words, dictionary_terms=dictionary_terms)


def get_tokenizer(
    backend: str = "rjieba",
    user_words: Iterable[str] = (),
    dictionary_terms: Iterable[str] | None = None,
) -> Tokenizer:
    """The shared, lazily built :class:`Tokenizer` for these arguments.

    ``dictionary_terms``: the terms kept whole by the nesting rule; None for the terms of
    the packaged dictionaries.

    >>> get_tokenizer() is get_tokenizer("rjieba")
    True
    """
    terms = None if dictionary_terms is None else tuple(sorted(set(dictionary_terms)))
    return _cached_tokenizer(backend, tuple(sorted(set(user_words))), terms)


# ---------------------------------------------------------------------------
# sentences and the token table


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``(start, end)``, trimmed of whitespace.

    A sentence ends at 。！？!? (with any closing quotes or brackets) or at a line break.

    >>> t = "一是稳增长。二是“促消费！”\\n三是防风险"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['一是稳增长。', '二是“促消费！”', '三是防风险']
    """
    starts, ends = sentence_bounds(text)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


@lru_cache(maxsize=1)
def _space_table() -> np.ndarray:
    """``str.isspace`` of every code point up to U+3000 (the last whitespace character)."""
    return np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)


def sentence_bounds(text: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sentence_spans` as two int64 arrays, starts and ends (vectorised).

    >>> [a.tolist() for a in sentence_bounds(" 一是稳增长。\\n\\n 二是 ")]
    [[1, 10], [7, 12]]
    """
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    solid = np.flatnonzero(~((cp <= 0x3000) & _space_table()[np.minimum(cp, 0x3000)]))
    ends = np.fromiter((m.end() for m in _SENT_END.finditer(text)), dtype=np.int64)
    bounds = np.append(ends, len(text))
    first = np.searchsorted(solid, np.append(0, ends))  # first non-space at or after the start
    last = np.searchsorted(solid, bounds) - 1  # last non-space before the end
    ok = first <= last
    return solid[first[ok]].astype(np.int64), solid[last[ok]].astype(np.int64) + 1


def run_ends(position: np.ndarray, section: np.ndarray) -> np.ndarray:
    """For each token, the index where its run of adjacent tokens of one section ends.

    A run breaks where positions skip (dropped punctuation) or the section changes; a
    dictionary term never spans a break.
    """
    n = len(position)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    brk = np.ones(n, dtype=bool)
    brk[1:] = (position[1:] != position[:-1] + 1) | (section[1:] != section[:-1])
    starts = np.flatnonzero(brk)
    ends = np.append(starts[1:], n)
    return np.repeat(ends, ends - starts)


def section_index(sections: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted ``(starts, ends, kinds)`` arrays of sections (objects with start, end, kind)."""
    secs = sorted(((s.start, s.end, s.kind) for s in sections), key=lambda x: (x[0], x[1]))
    return (
        np.array([x[0] for x in secs], dtype=np.int64),
        np.array([x[1] for x in secs], dtype=np.int64),
        np.array([x[2] for x in secs] + ["other"], dtype=object),
    )


def section_kinds(index: tuple[np.ndarray, np.ndarray, np.ndarray], offsets: Any) -> np.ndarray:
    """Kind of the section holding each offset (``"other"`` outside every section).

    >>> from govreport.sections import Section
    >>> ix = section_index([Section(0, "回顾", "review", 10, 50), Section(1, "安排", "tasks", 50, 90)])
    >>> section_kinds(ix, [0, 10, 49, 50, 95]).tolist()
    ['other', 'review', 'review', 'tasks', 'other']
    """
    starts, ends, kinds = index
    offsets = np.asarray(offsets, dtype=np.int64)
    i = np.searchsorted(starts, offsets, side="right") - 1
    inside = (i >= 0) & (offsets < ends[np.clip(i, 0, None)] if len(ends) else False)
    return kinds[np.where(inside, i, len(kinds) - 1)]


def sentence_numbers(text: str, offsets: Any) -> np.ndarray:
    """0-based number of the sentence (:func:`sentence_spans`) holding each offset."""
    starts = np.array([s for s, _ in sentence_spans(text)], dtype=np.int64)
    return np.maximum(np.searchsorted(starts, np.asarray(offsets, dtype=np.int64), "right") - 1, 0)


def _doc_columns(
    text: str,
    sections: Sequence[tuple[int, int, str]],
    backend: str,
    user_words: tuple[str, ...],
    dictionary_terms: tuple[str, ...] | None,
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of one report: token, start, sentence number, section kind."""
    from types import SimpleNamespace

    toks, start_list = get_tokenizer(backend, user_words, dictionary_terms)._columns(text)
    starts = np.array(start_list, dtype=np.int64)
    index = section_index([SimpleNamespace(start=s, end=e, kind=k) for s, e, k in sections])
    return toks, starts, sentence_numbers(text, starts), section_kinds(index, starts)


def _doc_job(args: tuple) -> tuple:
    return _doc_columns(*args)


def _documents(corpus_or_docs: Any) -> list[Any]:
    if hasattr(corpus_or_docs, "documents"):
        return list(corpus_or_docs.documents)
    if hasattr(corpus_or_docs, "text") and hasattr(corpus_or_docs, "source"):
        return [corpus_or_docs]
    return list(corpus_or_docs)


def tokens(
    corpus_or_docs: Any,
    *,
    backend: str = "rjieba",
    n_jobs: int = 1,
    drop_stopwords: bool = False,
    drop_punct: bool = True,
    user_words: Iterable[str] = (),
    dictionary_terms: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per token (the tidytext shape) for a :class:`~govreport.Corpus` or documents.

    Columns: ``source``, ``part``, ``section`` (the *kind* of the section the token starts
    in: review, five_year_review, five_year_plan, targets, tasks, government or other),
    ``sentence`` (0-based number within the report, see :func:`sentence_spans`),
    ``position`` (0-based index of the token among the report's tokens *before*
    punctuation or stopwords are dropped, so adjacent tokens have consecutive positions),
    ``start`` (character offset in the normalised text ``Document.text``), ``token``.

    ``n_jobs`` > 1 tokenises reports in that many processes; the table is identical.
    ``user_words`` and ``dictionary_terms`` go to :func:`get_tokenizer`.

    >>> import govreport
    >>> c = govreport.read_text("政府工作报告\\n各位代表：\\n今年培育新质生产力，增长5.8%。", "x.txt")
    >>> df = tokens(c)
    >>> list(df.columns)
    ['source', 'part', 'section', 'sentence', 'position', 'start', 'token']
    >>> df[df.sentence == 2][["position", "start", "token"]].values.tolist()
    [[4, 13, '今年'], [5, 15, '培育'], [6, 17, '新质生产力'], [8, 23, '增长'], [9, 25, '5.8%']]

    Parameters
    ----------
    corpus_or_docs : a :class:`~govreport.Corpus`, or a list of its documents.
    backend : ``"rjieba"`` (default, fast) or ``"jieba"``; both use the same dictionaries.
    n_jobs : processes to tokenise in.
    drop_stopwords : drop the packaged stopwords (``govreport/data/stopwords.txt``).
    drop_punct : drop punctuation tokens (default True).
    user_words : extra words to keep whole.
    dictionary_terms : the terms kept whole by the nesting rule (default: the packaged
        attention dictionaries).
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    docs = _documents(corpus_or_docs)
    uw = tuple(sorted(set(user_words)))
    dt = None if dictionary_terms is None else tuple(sorted(set(dictionary_terms)))
    jobs = [
        (d.text, tuple((s.start, s.end, s.kind) for s in d.sections), backend, uw, dt)
        for d in docs
    ]
    if n_jobs > 1 and len(jobs) > 1:
        get_tokenizer(backend, uw, dt).load()  # forked workers inherit the loaded tokenizer
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            results = list(pool.map(_doc_job, jobs, chunksize=max(1, len(jobs) // (4 * n_jobs))))
    else:
        results = [_doc_job(j) for j in jobs]

    stop = stopwords() if drop_stopwords else frozenset()
    parts = []
    for d, (toks, starts, sent_no, kinds) in zip(docs, results, strict=True):
        drop = {w for w in set(toks) if (drop_punct and _punct(w)) or w in stop}
        keep = np.fromiter((w not in drop for w in toks), dtype=bool, count=len(toks))
        position = np.flatnonzero(keep)
        n = len(position)
        parts.append({
            "source": np.full(n, d.source, dtype=object),
            "part": np.full(n, d.part, dtype=np.int64),
            "section": kinds[keep],
            "sentence": sent_no[keep],
            "position": position.astype(np.int64),
            "start": starts[keep],
            "token": np.array(toks, dtype=object)[keep] if n else np.array([], dtype=object),
        })
    if parts:
        cols = {c: np.concatenate([p[c] for p in parts]) for c in TOKEN_COLUMNS}
    else:
        cols = {c: np.array([], dtype=object if c in ("source", "section", "token") else np.int64)
                for c in TOKEN_COLUMNS}
    df = pd.DataFrame(cols, columns=TOKEN_COLUMNS)
    return df
