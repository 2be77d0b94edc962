"""Normalise raw report text: small pure ``str -> str`` steps composed into a pipeline.

Every step is a list of regular-expression rules applied by :class:`MappedText`,
so the same rules give both the plain ``str -> str`` function (with a doctest) and a
position map from the normalised text back to the raw text.

>>> normalize_text("２０２３年ＧＤＰ增长６．１３％")
'2023年GDP增长6.13%'
>>> mt = normalize(" 增长\\u3000８%左右")
>>> mt.text, mt.raw[mt.to_raw(2):mt.to_raw(3)]
('增长8%左右', '８')
"""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

Repl = "str | Callable[[re.Match[str]], str] | CharMap"
Rule = tuple["re.Pattern[str] | Scan", Repl]

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Chinese punctuation kept full-width (NFKC would turn it into ASCII).
KEEP_FULLWIDTH = set("，；：！？（）")
#: Sentence-final punctuation: a line ending in one of these is a finished line.
TERMINAL = "。！？!?；;：:…"


@dataclass
class MappedText:
    """A text and, for every character, its position in the raw text it came from."""

    text: str
    offsets: np.ndarray  # int32 (int64 past 2**31), len(text) + 1; offsets[i] = raw index of text[i]
    raw: str

    @classmethod
    def from_raw(cls, raw: str) -> MappedText:
        return cls(raw, np.arange(len(raw) + 1, dtype=_offset_dtype(len(raw))), raw)

    def to_raw(self, i: int) -> int:
        """Raw-text position of normalised position ``i``."""
        return int(self.offsets[min(max(i, 0), len(self.text))])

    def sub(self, rules: Sequence[Rule]) -> MappedText:
        """Apply ``rules`` in order, keeping the position map.

        Replaced characters map to the start of the text they replace.
        """
        mt = self
        for pattern, repl in rules:
            mt = mt._sub_one(pattern, repl)
        return mt

    def _sub_one(self, pattern: re.Pattern[str] | Scan, repl: Repl) -> MappedText:
        """One rule over the text. Memory stays a small multiple of the text however many
        matches there are (2.5 M line ends): the changes are kept as compact arrays, the new
        text is joined in batches and the new map written into one preallocated array."""
        text, offs = self.text, self.offsets
        if isinstance(repl, CharMap):  # same length, character for character: the map stays
            new = repl.translate(text)
            return self if new is text else MappedText(new, offs, self.raw)
        starts, ends = array("q"), array("q")
        reps: list[str] = []
        grown = 0
        if isinstance(pattern, Scan):
            changes = pattern.changes(text, repl)
        elif isinstance(repl, str) and "\\" not in repl:
            changes = ((m.start(), m.end(), repl) for m in pattern.finditer(text))
        else:
            changes = _match_changes(pattern.finditer(text), repl)
        for s, e, r in changes:
            if r == text[s:e]:
                continue
            starts.append(s)
            ends.append(e)
            reps.append(r)
            grown += len(r) - (e - s)
        if not reps:
            return self
        n = len(text) + grown
        new_offs = np.empty(n + 1, dtype=_offset_dtype(max(n, int(offs[-1]) + 1)))
        batches: list[str] = []
        batch: list[str] = []
        last = pos = 0
        for s, e, r in zip(starts, ends, reps, strict=True):
            k = s - last
            if k:
                batch.append(text[last:s])
                new_offs[pos : pos + k] = offs[last:s]
                pos += k
            if r:
                batch.append(r)
                k = len(r)
                if k == e - s or text.startswith(r, s):  # one to one, or a kept start
                    new_offs[pos : pos + k] = offs[s : s + k]
                else:
                    new_offs[pos : pos + k] = _replacement_map(text[s:e], r, offs[s:e])
                pos += k
            last = e
            if len(batch) >= 8192:
                batches.append("".join(batch))
                batch.clear()
        del starts, ends, reps
        batch.append(text[last:])
        new_offs[pos:] = offs[last:]
        batches.append("".join(batch))
        return MappedText("".join(batches), new_offs, self.raw)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-text span ``(s, e)`` of the normalised span ``[start, end)``."""
        return raw_span(self.offsets, self.text, self.raw, start, end)

    def slice(self, start: int, end: int) -> MappedText:
        """The sub-text ``[start, end)`` with its map (raw text kept whole)."""
        offs = self.offsets[start : end + 1].copy()
        return MappedText(self.text[start:end], offs, self.raw)


def _match_changes(matches: Iterator[re.Match[str]], repl: Repl) -> Iterator[tuple[int, int, str]]:
    for m in matches:
        yield m.start(), m.end(), repl(m) if callable(repl) else m.expand(repl)


class Scan:
    """A rule's pattern with a quicker way through the text, matching exactly as ``pattern``.

    ``needs``: the rule cannot match unless one of these strings is in the text (the text is
    then not scanned at all); ``needs_re``: nor unless this pattern is found; ``needs_line``:
    the rule changes nothing unless a line has at least this many characters. ``line_start``: the pattern is ``(?m)^X``; ``X`` is searched as
    ``\\nX`` in the text behind a newline, so the scan jumps from line end to line end (a
    pattern starting with ``^`` is tried at every position). ``X`` must never match a newline
    nor the empty string, and the replacement must be a plain string.
    """

    def __init__(self, pattern: str, flags: int = 0, needs: tuple[str, ...] = (), line_start: bool = False,
                 needs_re: re.Pattern[str] | None = None, needs_line: int = 0):
        self.pattern = re.compile(("^" if line_start else "") + pattern, flags | (re.M if line_start else 0))
        self._line = re.compile(r"\n(?:" + pattern + ")", flags | re.M) if line_start else None
        self.needs, self.needs_re, self.needs_line = needs, needs_re, needs_line
        self._long_line = re.compile(rf"\n[^\n]{{{needs_line}}}") if needs_line else None

    def applies(self, text: str) -> bool:
        """False when the rule cannot match ``text``."""
        if self.needs and not any(n in text for n in self.needs):
            return False
        if self.needs_re is not None and not self.needs_re.search(text):
            return False
        if self._long_line is not None:  # a line of at least needs_line characters
            return len(text) >= self.needs_line and "\n" not in text[: self.needs_line] or bool(self._long_line.search(text))
        return True

    def changes(self, text: str, repl: Repl) -> Iterator[tuple[int, int, str]]:
        if not self.applies(text):
            return iter(())
        if self._line is not None:
            assert isinstance(repl, str) and "\\" not in repl
            return ((m.start(), m.end() - 1, repl) for m in self._line.finditer("\n" + text))
        if isinstance(repl, str) and "\\" not in repl:
            return ((m.start(), m.end(), repl) for m in self.pattern.finditer(text))
        return _match_changes(self.pattern.finditer(text), repl)


class CharMap:
    """Characters of the Basic Multilingual Plane replaced by single characters: the
    text keeps its length and the position map stays as it is. Applied to the code points
    with one table look-up (numpy), in chunks so memory stays small."""

    CHUNK = 1 << 18

    def __init__(self, mapping: dict[str, str]):
        if not all(len(k) == len(v) == 1 and ord(k) < 0x10000 for k, v in mapping.items()):
            raise ValueError("a CharMap replaces one BMP character by one character")
        self.mapping = mapping
        self.table = np.arange(0x10000, dtype=np.uint32)
        for k, v in mapping.items():
            self.table[ord(k)] = ord(v)

    def then(self, other: CharMap) -> CharMap:
        """This map followed by ``other``."""
        keys = set(self.mapping) | set(other.mapping)
        both = {k: other.mapping.get(v, v) for k in keys if (v := self.mapping.get(k, k)) is not None}
        return CharMap({k: v for k, v in both.items() if k != v})

    def translate(self, text: str) -> str:
        """``text`` with the characters replaced (``text`` itself when none is)."""
        pieces: list[str] = []
        changed = False
        for pos in range(0, len(text), self.CHUNK):
            piece = text[pos : pos + self.CHUNK]
            points = np.frombuffer(piece.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            mapped = self.table[np.minimum(points, 0xFFFF)]
            mapped = np.where(points > 0xFFFF, points, mapped)
            if np.array_equal(mapped, points):
                pieces.append(piece)
                continue
            changed = True
            pieces.append(mapped.tobytes().decode("utf-32-le", "surrogatepass"))
        return "".join(pieces) if changed else text


def _offset_dtype(n: int) -> type:
    """int32 offsets (half the memory) unless the text is too long for them."""
    return np.int32 if n < 2**31 - 1 else np.int64


def _replacement_map(old: str, new: str, offs: np.ndarray) -> np.ndarray:
    """Raw offsets for ``new``, which replaces ``old`` (whose characters sit at ``offs``).

    Characters kept at the start or end keep their own offsets; a same-length middle maps one
    to one (NFKC, space → newline); a middle found inside the old one (``**x**`` → ``x``) maps to
    where it was; anything else maps to the start of the replaced middle.
    """
    n, k = len(old), len(new)
    if k == 0:
        return offs[:0].copy()
    p = 0
    while p < min(n, k) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(n, k) - p and old[n - 1 - q] == new[k - 1 - q]:
        q += 1
    mid_old, mid_new = old[p : n - q], new[p : k - q]
    if len(mid_old) == len(mid_new):
        mid = offs[p : n - q]
    elif mid_new and (i := mid_old.find(mid_new)) >= 0:
        mid = offs[p + i : p + i + len(mid_new)]
    else:
        mid = np.full(len(mid_new), offs[p] if p < n else offs[n - 1], dtype=np.int64)
    return np.concatenate([offs[:p], mid, offs[n - q :] if q else offs[:0]]).astype(np.int64)


def raw_span(offsets: np.ndarray, text: str, raw: str, start: int, end: int) -> tuple[int, int]:
    """Raw span of the normalised span ``[start, end)`` given the position map ``offsets``.

    The end runs past the raw form of the last character: when that character replaced a
    longer piece (``&amp;`` → ``&``, ``％`` → ``%``), up to the next kept character.

    >>> mt = normalize("增长&nbsp;８％左右")
    >>> s, e = mt.raw_span(0, 4)
    >>> mt.text[0:4], mt.raw[s:e]
    ('增长8%', '增长&nbsp;８％')
    """
    n = len(text)
    start, end = min(max(start, 0), n), min(max(end, 0), n)
    s = int(offsets[start])
    if end <= start:
        return s, s
    e = int(offsets[end - 1]) + 1
    nxt = int(offsets[end]) if end < len(offsets) else len(raw)
    if e < nxt and raw[e - 1] != text[end - 1] and not raw[e:nxt].isspace():
        # the last character replaced a longer raw piece: include all of it
        cut = re.search(r"\s", raw[e:nxt])
        e = e + cut.start() if cut else nxt
    return s, e


def _rules(*pairs: tuple[str, Repl], flags: int = 0) -> list[Rule]:
    return [(re.compile(p, flags), r) for p, r in pairs]


def _apply(rules: Sequence[Rule], text: str) -> str:
    return MappedText.from_raw(text).sub(rules).text


# --------------------------------------------------------------------------- steps

LINE_END_RULES = _rules((r"\r\n?", "\n"))


def normalize_line_ends(text: str) -> str:
    """CRLF and CR line ends become LF.

    >>> normalize_line_ends("一\\r\\n二\\r三")
    '一\\n二\\n三'
    """
    return _apply(LINE_END_RULES, text)


def _entity(m: re.Match[str]) -> str:
    out = html.unescape(m.group(0))
    return " " if out == "\u00a0" else out


HTML_RULES = _rules(
    (r"(?is)<(script|style|head)\b[^>]*>.*?</\1\s*>", ""),
    (r"(?s)<!--.*?-->", ""),
    (r"(?i)<(?:br|p|div|tr|li|h[1-6]|table|section|article|dd|dt)\b[^>]{0,300}>|</(?:p|div|tr|li|h[1-6]|table|section|article)\s*>", "\n"),
    (r"(?i)</?[a-z][a-z0-9]*\b[^>]{0,300}>", ""),
    (r"(?i)&(?:#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});", _entity),
)


def strip_html(text: str) -> str:
    """HTML left in scraped text (tags, entities) becomes plain text; block tags become line ends.

    >>> strip_html("<p>地区生产总值增长5%&nbsp;左右</p><script>var x;</script><p>各位代表&ldquo;</p>")
    '\\n地区生产总值增长5% 左右\\n\\n各位代表“\\n'
    """
    return _apply(HTML_RULES, text)


_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff\u00ad"
# Full-width ASCII (U+FF01-FF5E), compatibility and Kangxi radical ideographs seen in PDFs.
_NFKC_CHARS = "\uff01-\uff5e\u2e80-\u2fdf\uf900-\ufaff\u2215\u2236"


def _nfkc(c: str) -> str:
    return c if c in KEEP_FULLWIDTH else unicodedata.normalize("NFKC", c)


def _char_map(chars: str, to: Callable[[str], str]) -> CharMap:
    """Every character of the class ``[chars]`` (characters and ``a-z`` ranges, no escapes)
    replaced by ``to(c)``, one character each."""
    members: list[str] = []
    i = 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            members += [chr(c) for c in range(ord(chars[i]), ord(chars[i + 2]) + 1)]
            i += 3
        else:
            members.append(chars[i])
            i += 1
    return CharMap({c: out for c in members if (out := to(c)) != c})


# odd spaces → space, ○ → 〇, then NFKC: one character each, so one table for all three
_UNICODE_MAP = (_char_map(f"{_ODD_SPACES}\t", lambda c: " ")
                .then(_char_map("\u25cb\u25ef\u3007\uff2f", lambda c: "〇"))
                .then(_char_map(_NFKC_CHARS, _nfkc)))
UNICODE_RULES: list[Rule] = [
    (Scan(f"[{_ZERO_WIDTH}]", needs=tuple("\u200b\u200c\u200d\u2060\ufeff\u00ad")), ""),
    (re.compile(f"[{_ODD_SPACES}\t\u25cb\u25ef\u3007\uff2f{_NFKC_CHARS}]"), _UNICODE_MAP),
]


def normalize_unicode(text: str) -> str:
    """NFKC for full-width digits, letters and ASCII punctuation; odd spaces become spaces.

    Chinese clause punctuation (，；：！？（）) stays full-width; ○ becomes 〇.

    >>> normalize_unicode("２０２３年增长６．１３％，二○二一年\\u3000")
    '2023年增长6.13%，二〇二一年 '
    """
    return _apply(UNICODE_RULES, text)


_CN_DIGIT = "〇零一二三四五六七八九"
_ZERO_LOOKALIKE = "O0"  # 二OO五年, 二00五年: a Latin O or a digit 0 typed for 〇
# a year of 1900-2099 in Chinese numerals (一九九六年, 二〇〇五年; ○ and Ｏ are 〇 by now), not
# inside a longer numeral: four characters, so digits keep the length and the position map
YEAR_RULES: list[Rule] = [
    (Scan(rf"(?:一九|二[〇零{_ZERO_LOOKALIKE}])(?<![{_CN_DIGIT}十百千万]..)[{_CN_DIGIT}{_ZERO_LOOKALIKE}]{{2}}(?=年)",
          needs=("一九", "二〇", "二零", "二O", "二0")),
     lambda m: m.group(0).translate(_YEAR_DIGITS)),
]
_YEAR_DIGITS = str.maketrans({c: str(max(i - 1, 0)) for i, c in enumerate(_CN_DIGIT)} | {"O": "0"})


def year_digits(text: str) -> str:
    """Years written in Chinese numerals become digits, as the rest of the pipeline reads them.

    >>> year_digits("一九九五年全县……到二〇〇〇年，二零一五年；十九九五年不变，一九九五不变")
    '1995年全县……到2000年，2015年；十九九五年不变，一九九五不变'
    >>> year_digits("二OO五年，二00六年；二O一O年")
    '2005年，2006年；2010年'
    """
    return _apply(YEAR_RULES, text)


# a whole number written with thousands separators (10,235.6亿元, 1,052万人): every group after
# the first has three digits, and the number is not part of a comma list of figures (1,2,3)
NUMBER_RULES: list[Rule] = [
    (Scan(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])", needs=(",",)), lambda m: m.group(0).replace(",", "")),
    # a number spaced out character by character (a PDF's letter-spacing: 1 8 6 . 2亿元), three
    # single characters at least; numbers of several digits apart (236.5 8.2, 2019 2020) stay apart
    (Scan(r"\d(?<![\d.]\d)(?:[ \u3000][\d.](?![\d.])){2,}", needs=(" ", "\u3000")),
     lambda m: m.group(0).replace(" ", "").replace("\u3000", "")),
]


def thousands_separators(text: str) -> str:
    """Thousands separators and letter-spacing are removed from numbers, so figures read as one number.

    >>> thousands_separators("达到10,235.6亿元，常住人口1,052万人；2019,2020年；1,2,3；12,34")
    '达到10235.6亿元，常住人口1052万人；2019,2020年；1,2,3；12,34'
    >>> thousands_separators("完成 1 8 6 . 2 亿元，2 0 2 4 年；236.5 8.2；2019 2020；5 8")
    '完成 186.2 亿元，2024 年；236.5 8.2；2019 2020；5 8'
    """
    return _apply(NUMBER_RULES, text)

def _emphasised(m: re.Match[str]) -> str:
    return m.group(2)


# a pattern that begins with ^ or a look-behind is tried at every position of the text: these
# are written as Scan(..., line_start=True), or begin with the character they need ([ ](?<=…[ ]))
MARKUP_RULES = _rules((r"\[bookmark:[^\]\n]{0,80}\]", "")) + [
    (Scan(r"[ ]{0,3}#{1,6}[ ]+", needs=("#",), line_start=True), ""),
    # (?<![*_]..) after the mark is (?<![*_]) before it
    (Scan(r"(\*\*|__)(?<![*_]..)(?=\S)([^\n]+?)(?<=\S)\1", needs=("**", "__")), _emphasised),
    (Scan(r"[ ]*(?:[-*_][ ]*){3,}$", needs=("-", "*", "_"), line_start=True), ""),
    (re.compile(r"<!--.*?-->"), ""),
]


def strip_markup(text: str) -> str:
    """Remove Word bookmark tags and Markdown heading and emphasis marks.

    >>> strip_markup("[bookmark: OLE_LINK10]## 一、**主要目标**")
    '一、主要目标'
    """
    return _apply(MARKUP_RULES, text)


_DASH_PAGE = r"[ ]*[—–\-－·•]{1,2}[ ]*\d{1,4}[ ]*[—–\-－·•]{1,2}[ ]*"
_NTH_PAGE = r"[ ]*第[ ]*\d{1,4}[ ]*页(?:[ ,，/]*共[ ]*\d{1,4}[ ]*页)?[ ]*"
_SLASH_PAGE = r"[ ]*\d{1,4}[ ]*/[ ]*\d{1,4}[ ]*"
PAGE_RULES: list[Rule] = [
    # page numbers on their own line: — 1 —, - 2 -, ·3·, 第 3 页, 第3页 共20页
    (Scan(_DASH_PAGE + "$", line_start=True), ""),
    (Scan(_NTH_PAGE + "$", needs=("页",), line_start=True), ""),
    (Scan(_SLASH_PAGE + "$", needs=("/",), line_start=True), ""),
    # newspaper page-jump notes
    (Scan(r"[（(][ ]*(?:下转|上接|接|转)第?[ ]*[一二三四五六七八九十\d]{1,3}[ ]*(?:版|页)[ ]*[)）]",
          needs_re=re.compile(r"[版页][ ]*[)）]")), ""),
]


_PAGE_LINE = re.compile(rf"^(?:{_DASH_PAGE}|{_NTH_PAGE}|{_SLASH_PAGE})$", re.M)
_NOT_HEADER = re.compile(r"[。，,；;：:！？!?]")
_HEADER_MAX = 30


def _line_beside(text: str, a: int, b: int) -> tuple[str, str]:
    """The nearest non-blank lines before ``a`` and after ``b`` (a page-number line's ends)."""
    before = text[max(0, a - 200) : a].rstrip(" \n").rsplit("\n", 1)[-1]
    after = text[b : b + 200].lstrip(" \n").split("\n", 1)[0]
    return before.strip(), after.strip()


def running_header_rules(text: str) -> list[Rule]:
    """A rule dropping a PDF's running header or footer: a short line without clause marks or
    digits that stands next to a page number (before or after it, across blank lines) at
    least twice. Only its lines beside page numbers go (the same words as the report's title
    on page one stay). Empty when the text has none.

    >>> t = "达到108.6亿\\n— 3 —\\n\\n某县人民政府文件\\n元，增长9%；收入12\\n— 4 —\\n某县人民政府文件\\n亿元。"
    >>> from govreport.normalize import _apply
    >>> _apply(running_header_rules(t), t)
    '达到108.6亿\\n\\n元，增长9%；收入12\\n\\n亿元。'
    """
    counts: Counter[str] = Counter()
    for m in _PAGE_LINE.finditer(text):
        for line in set(_line_beside(text, m.start(), m.end())):
            if line and len(line) <= _HEADER_MAX and not _NOT_HEADER.search(line):
                counts[line] += 1
    headers = sorted((h for h, c in counts.items() if c >= 2), key=len, reverse=True)
    if not headers:
        return []
    alt = "|".join(re.escape(h) for h in headers)
    page = f"(?:{_DASH_PAGE}|{_NTH_PAGE}|{_SLASH_PAGE})"
    return [(re.compile(rf"^(?:[ ]*(?:{alt})[ ]*\n(?:[ ]*\n)*)?{page}(?:\n(?:[ ]*\n)*[ ]*(?:{alt})[ ]*)?$", re.M), "")]


def remove_page_artifacts(text: str) -> str:
    """Drop page markers and newspaper page-jump notes.

    >>> remove_page_artifacts("增长5%。\\n— 1 —\\n（下转第四版）下一段")
    '增长5%。\\n\\n下一段'
    """
    return _apply(PAGE_RULES, text)


_BOILER_LINE = (  # a whole line: searched from line starts (Scan line_start)
    r"[ ]*(?:"
    r"[【\[]?字号[:：]?[ ]*[【\[]?大[】\]]?[ ]*[【\[]?中[】\]]?[ ]*[【\[]?小[】\]]?.*"
    r"|(?:打印(?:本页|此页)?|收藏|关闭(?:窗口|本页)?|分享到[:：]?.*|返回顶部|【?(?:打印|关闭|收藏)】?)"
    r"(?:[ |]+(?:打印(?:本页|此页)?|收藏|关闭(?:窗口|本页)?|分享到[:：]?.*|返回顶部|【?(?:打印|关闭|收藏)】?))*"
    r"|(?:首页|网站首页)(?:[ >›»/|]+[^\n]{0,20}){1,6}"
    r"|(?:当前位置|您现在的位置|你的位置)[:：].*"
    r"|(?:来源|发布时间|发布日期|浏览次数|阅读次数|点击数|责任编辑|编辑)[:：][^\n]{0,60}"
    r"|(?:上一篇|下一篇)[:：][^\n]{0,80}"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:[ ]+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:版权所有|Copyright|©|ICP备|网站标识码|公网安备)[^\n]{0,120}"
    r"|(?:联系电话|联系我们|联系方式|电子邮箱|邮编|地址)[:：]?[^\n。]{0,60}"
    r")[ ]*$"
)
WEB_RULES: list[Rule] = [(Scan(_BOILER_LINE, re.IGNORECASE, line_start=True), "")]


def remove_web_boilerplate(text: str) -> str:
    """Drop lines of site navigation, toolbars, publication stamps and contact details.

    >>> remove_web_boilerplate("首页 > 政务公开 > 政府工作报告\\n字号 大 中 小\\n各位代表：\\n打印 收藏")
    '\\n\\n各位代表：\\n'
    """
    return _apply(WEB_RULES, text)


# In a body written on one very long line, spaces between Chinese text mark paragraphs.
_LONG_LINE = 1500
_PARA_SPACE = re.compile(rf"[ ](?<=[{CJK}。！？!?；;：:”」』）)][ ])[ ]*(?=[{CJK}“「『（(0-9])")


def _paragraph_break(sp: re.Match[str]) -> str:
    """A run of spaces inside a line of at least ``_LONG_LINE`` characters: newline or kept.

    Each run is its own match, so every other character keeps its own raw position.
    """
    text, s, e = sp.string, sp.start(), sp.end()
    a, b = _line_bounds(text, s)
    if b - a < _LONG_LINE:
        return sp.group(0)
    before = text[s - 1]
    after = text[e] if e < b else ""
    if before == "第" or after in "、年月日%":
        return sp.group(0)
    if before.isdigit() or (after.isdigit() and before not in TERMINAL + "”）)" and e - s < 2 and not _heading_end(text[max(a, s - 6) : s])):
        return sp.group(0)
    return "\n"


_LINE_CACHE: list = [None, 0, 0]  # text, line start, line end of the last lookup


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the line holding ``pos`` (cached: matches come in order)."""
    t, a, b = _LINE_CACHE
    if t is text and a <= pos < b:
        return a, b
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    b = len(text) if b < 0 else b
    _LINE_CACHE[:] = [text, a, b]
    return a, b


def _heading_end(before: str) -> bool:
    """Whether ``before`` ends like a heading (回顾, 安排, 目标 …)."""
    return bool(re.search(r"(?:回顾|安排|目标|任务|工作|建设|要求)$", before[-6:]))


LONG_LINE_RULES: list[Rule] = [(Scan(_PARA_SPACE.pattern, needs_line=_LONG_LINE), _paragraph_break)]


def split_long_lines(text: str) -> str:
    """In a body scraped onto one long line, turn paragraph-separating spaces into newlines.

    >>> body = "一、2020年工作回顾 过去一年，经济增长5%。" * 100
    >>> split_long_lines(body).count("\\n") >= 100
    True
    """
    return _apply(LONG_LINE_RULES, text)


SPACE_RULES = _rules(
    # spaces inside Chinese text, between Chinese and digits, and around % or units
    # (each begins with the space it removes: [ ](?<=X[ ]) is (?<=X)[ ], found much faster)
    (rf"[ ](?<=[{CJK}，、。；：“”（）][ ])[ ]*(?=[{CJK}，、。；：“”（）])", ""),
    (rf"[ ](?<=[0-9.%][ ])[ ]*(?=[{CJK}%])", ""),
    (rf"[ ](?<=[{CJK}，、：（“][ ])[ ]*(?=[0-9])", ""),
    (r"[ ](?:(?<=\d[ ])[ ]*(?=\.\d)|(?<=\d\.[ ])[ ]*(?=\d))", ""),
    (r"(?m)[ ](?:(?<![^\n][ ])[ ]*|[ ]*$)", ""),  # spaces at a line's start or end
)


def collapse_spaces(text: str) -> str:
    """Remove spaces that PDF and Word conversions put inside Chinese text and numbers.

    >>> collapse_spaces("政  府  工  作  报  告\\n城镇化率达到 98.6 %，2025 年")
    '政府工作报告\\n城镇化率达到98.6%，2025年'
    """
    return _apply(SPACE_RULES, text)


_HEADING_START = re.compile(
    r"[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．]\D|第[一二三四五六七八九十]{1,3}[部章节篇]"
)


#: Words that reports use in figures; a line ending in the first half of one is cut mid-word.
_BROKEN_WORDS = frozenset(
    "增长 下降 提高 提升 增加 减少 降低 回落 完成 实现 达到 突破 超过 控制 保持 稳定 左右 以上 以内 "
    "同比 年均 累计 预计 分别 收入 总值 产值 投资 消费 零售 总额 就业 人均 亿元 万元".split()
)
_SHORT_HEADING = re.compile(r"结束语|前言|序言|附件|说明|目录|报告|回顾|安排|目标|任务")


_CLAUSE_MARK = re.compile("[，。；：,;]")
_ALL_CJK = re.compile(f"[{CJK}]+")


# runs of line ends; a run behind sentence-final punctuation is always kept, so it is not
# matched at all (decide would keep it): \n+ where the character before is not in TERMINAL
_LINE_BREAKS = re.compile(rf"\n(?<![{TERMINAL}\n]\n)\n*")


def _join_rules(wrap_width: int | None) -> list[Rule]:
    def decide(m: re.Match[str]) -> str:
        text, s, e = m.string, m.start(), m.end()
        a0 = text.rfind("\n", 0, s) + 1
        b1 = text.find("\n", e)
        a, b = text[a0:s], text[e : b1 if b1 >= 0 else len(text)]
        if not a.strip() or not b.strip():
            return m.group(0)
        last, first = a.rstrip()[-1], b.lstrip()[0]
        if last in "，、（“《—" or (last in "0123456789." and first in "0123456789.%年月日万亿元个"):
            return ""
        if first in "，。、；：%）”》" and last not in TERMINAL:
            return ""
        if a.endswith("届") and b.startswith("人民代表大会"):
            return ""
        if last in TERMINAL or last in "”）)!" or _HEADING_START.match(b):
            return m.group(0)
        if wrap_width and wrap_width - 2 <= len(a) <= wrap_width + 2:
            return ""
        if len(a) >= 80 or (_CLAUSE_MARK.search(a) and not _HEADING_START.match(a)):
            return ""  # a paragraph, not a heading, cut off mid-sentence
        if len(a) <= 4 and _ALL_CJK.fullmatch(a) and not _SHORT_HEADING.search(a):
            return ""  # a word fragment: 增 / 长8%左右
        if last + first in _BROKEN_WORDS and not _HEADING_START.match(a):
            return ""  # a word cut in two: …增加值增 / 长8%左右
        return m.group(0)

    return [(_LINE_BREAKS, decide)]


_LONG_ENOUGH = re.compile(r"[^\n]{10,}")


def hard_wrap_width(text: str) -> int | None:
    """The line width of a hard-wrapped text (PDF, e-mail), or None.

    >>> hard_wrap_width("一二三四五六七八九十一二三四五六七八九十\\n" * 10 + "短句。")
    20
    """
    # line lengths counted without a list of the lines (2.5 M short lines would take 150 MB)
    lengths = Counter(m.end() - m.start() for m in _LONG_ENOUGH.finditer(text))
    total = sum(lengths.values())
    if total < 8:
        return None
    width, n = lengths.most_common(1)[0]
    near = sum(c for x, c in lengths.items() if abs(x - width) <= 1)
    hard = near >= 8 and near >= 0.3 * total and 16 <= width <= 120
    return width if hard else None


def join_broken_lines(text: str) -> str:
    """Rejoin lines broken inside a sentence or a number.

    >>> join_broken_lines("全年增\\n\\n长8%左右。")
    '全年增长8%左右。'
    >>> join_broken_lines("地区生产总值增长5.\\n8%，城乡居民收入\\n分别增长3.9%、\\n5.6%。\\n二、目标")
    '地区生产总值增长5.8%，城乡居民收入分别增长3.9%、5.6%。\\n二、目标'
    """
    return _apply(_join_rules(hard_wrap_width(text)), text)


BLANK_RULES = _rules((r"\n[ \n]*\n", "\n"), (r"^\n+", ""))


def squeeze_blank_lines(text: str) -> str:
    """Blank lines go; every paragraph is one line.

    >>> squeeze_blank_lines("\\n\\n一\\n\\n\\n二\\n")
    '一\\n二\\n'
    """
    return _apply(BLANK_RULES, text)


# --------------------------------------------------------------------------- pipeline


def normalize(raw: str) -> MappedText:
    """Run the whole pipeline, keeping the map back to ``raw``.

    Parameters
    ----------
    raw : the decoded text of a file.

    Returns a :class:`MappedText`: ``.text`` (normalised: line ends, HTML, full-width digits,
    page numbers, web boilerplate, spaces and broken lines), ``.raw`` and ``.raw_span(start, end)``.

    >>> mt = normalize("全年增\\n\\n长８％左右。")
    >>> mt.text, mt.raw[slice(*mt.raw_span(3, 5))]
    ('全年增长8%左右。', '长８')
    """
    mt = MappedText.from_raw(raw)
    mt = mt.sub(LINE_END_RULES)
    if "<" in mt.text or "&" in mt.text:
        mt = mt.sub(HTML_RULES)
    mt = mt.sub(UNICODE_RULES).sub(YEAR_RULES).sub(NUMBER_RULES).sub(MARKUP_RULES)
    mt = mt.sub(running_header_rules(mt.text)).sub(PAGE_RULES).sub(WEB_RULES).sub(LONG_LINE_RULES)
    mt = mt.sub(SPACE_RULES).sub(BLANK_RULES)
    mt = mt.sub(_join_rules(hard_wrap_width(mt.text)))
    return mt


def normalize_text(raw: str) -> str:
    """The normalised text only.

    >>> normalize_text("政 府 工 作 报 告\\r\\n——２０２６年１月２７日在平阴县第十九届\\r\\n人民代表大会第六次会议上")
    '政府工作报告\\n——2026年1月27日在平阴县第十九届人民代表大会第六次会议上'

    Parameters
    ----------
    raw : the decoded text of a file.
    """
    return normalize(raw).text
