"""China's administrative divisions, year by year, and a name resolver.

The packaged table ``govreport/data/divisions.csv.gz`` lists every
province-, prefecture- and county-level division of mainland China (plus the
province-level rows of Taiwan, Hong Kong and Macao) from 1980 on, one row per
period in which a ``code``/``name``/``level``/``parent_code`` combination held.
See ``govreport/data/divisions_SOURCES.md`` for sources and how it is built.

Government work reports name places loosely (``平阴``, ``钢城``, ``市中区``) and
the map changes (莱芜市 was merged into 济南 in 2019), so lookups are
year-aware:

>>> resolve("莱芜市", 2012).code
'371200'
>>> resolve("钢城", 2026).parent_name
'济南市'
>>> resolve("市中区") is None          # four cities have a 市中区: never guess
True
>>> resolve("市中区", context="融入济南都市圈").code
'370103'
"""

from __future__ import annotations

import gzip
import importlib.resources
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .patterns import trie_pattern

__all__ = [
    "COMMON_WORD_NAMES",
    "LEVELS",
    "Division",
    "all_names",
    "division_of",
    "find_mentions",
    "load_divisions",
    "parent_of",
    "resolve",
    "short_name",
    "code_in_use",
    "year_note",
]

#: The three levels, top down.
LEVELS: tuple[str, ...] = ("province", "prefecture", "county")

#: Names (full or short) that are also ordinary words in government prose
#: (``城区``, ``市中``心, ``共同富裕``, ``乡村振兴``, ``绿水青山`` …).  They are not
#: searched for by :func:`find_mentions` and never count as context evidence;
#: :func:`resolve` still accepts them when asked explicitly.
COMMON_WORD_NAMES: frozenset[str] = frozenset(
    """
    城区 郊区 矿区 新区 市中 城中 城东 城西 城南 城北 新城 富裕 合作 延长 振兴 新兴
    互助 会同 安定 前进 解放 红旗 乐业 安居 兴业 光明 平安 东方 中原 通道 方正 友好
    富民 大方 平和 宏伟 工农 江南 滨海 东海 南海 共和 长寿 温泉 和平 新华 向阳 长治
    太平 丰满 青山 上街 海港 复兴 运河 开放 高新 长安 同仁 团结 胜利 文明 民主
    """.split()
)

_DATA_PACKAGE = "govreport.data"
_DATA_FILE = "divisions.csv.gz"
_CURRENT = 9999  # valid_to of rows still valid

_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
_SHORT_OVERRIDES = {"神农架林区": "神农架"}

# Minority nationalities as they appear inside autonomous-area names.
# One-character names are only stripped together with 族 (回族, 苗族 …).
_ETHNIC = sorted(
    """
    蒙古 维吾尔 布依 朝鲜 土家 哈尼 哈萨克 傈僳 高山 拉祜 东乡 纳西 景颇 柯尔克孜 达斡尔
    仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 乌孜别克 俄罗斯 鄂温克 德昂 保安
    裕固 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺
    """.split(),
    key=len,
    reverse=True,
)
_ETHNIC_ONE = "回藏苗彝壮满侗瑶白傣黎佤畲水土羌怒京各"
_ETHNIC_RE = re.compile("(?:(?:" + "|".join(_ETHNIC) + ")族?|[" + _ETHNIC_ONE + "]族)$")
_AUTONOMOUS_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗")
# Tried in order; the first one leaving >= 2 characters wins.
_SUFFIXES = (
    "特别行政区",
    "达斡尔族区",
    "回族区",
    "行政区",
    "工矿区",
    "矿区",
    "工农区",
    "新区",
    "特区",
    "地区",
    "联合旗",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)


def short_name(name: str) -> str | None:
    """Return the customary short form of a division name, or ``None``.

    Administrative suffixes (省, 市, 县, 区, 旗, 盟, 地区, 特区 …) and, for autonomous
    areas, the nationality names are dropped.  A short form must keep at least
    two characters, so ``城区`` or ``东区`` have none.

    >>> short_name("平阴县"), short_name("青岛市"), short_name("市中区")
    ('平阴', '青岛', '市中')
    >>> short_name("恩施土家族苗族自治州"), short_name("广西壮族自治区")
    ('恩施', '广西')
    >>> short_name("浦东新区"), short_name("清新区"), short_name("城区") is None
    ('浦东', '清新', True)
    """
    if name in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[name]
    if name in _SHORT_OVERRIDES:
        return _SHORT_OVERRIDES[name]
    for suffix in _AUTONOMOUS_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            while True:
                m = _ETHNIC_RE.search(stem)
                if not m or m.start() < 2:
                    break
                stem = stem[: m.start()]
            if stem.endswith("族") and len(stem) >= 3:  # 东乡族自治县 -> 东乡
                stem = stem[:-1]
            return stem
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _short_forms(name: str) -> list[str]:
    """Short name plus the customary ``X州`` of autonomous prefectures (恩施州)."""
    short = short_name(name)
    if not short:
        return []
    if name.endswith("自治州") and len(short) >= 2:
        return [short, short + "州"]
    return [short]


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division as it stood in a given year.

    ``parent_code``/``parent_name`` are ``None`` for provinces; counties of the
    four municipalities (北京, 天津, 上海, 重庆) and counties administered
    directly by a province (济源市, 仙桃市 …) have the province as parent.
    ``province_code``/``province_name`` of a province are its own.
    """

    code: str
    name: str
    level: str
    parent_code: str | None
    parent_name: str | None
    province_code: str
    province_name: str

    @property
    def short_name(self) -> str | None:
        """Short form of :attr:`name` (see :func:`short_name`)."""
        return short_name(self.name)


# ---------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def _load_frame() -> pd.DataFrame:
    raw = importlib.resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_bytes()
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as fh:
        df = pd.read_csv(
            fh,
            dtype={"code": str, "name": str, "level": str, "parent_code": str},
            keep_default_na=False,
        )
    for col in ("code", "name", "level", "parent_code"):
        df[col] = df[col].astype("string")
    df["parent_code"] = df["parent_code"].mask(df["parent_code"] == "")
    df["valid_from"] = df["valid_from"].astype("int64")
    df["valid_to"] = df["valid_to"].astype("int64")
    return df


def load_divisions() -> pd.DataFrame:
    """Return the table of divisions (a fresh copy of a cached frame).

    Columns: ``code`` (6-digit string), ``name``, ``level`` (province,
    prefecture, county), ``parent_code`` (``<NA>`` for provinces),
    ``valid_from`` and ``valid_to`` (years, inclusive; 9999 = still valid).

    >>> df = load_divisions()
    >>> list(df.columns)
    ['code', 'name', 'level', 'parent_code', 'valid_from', 'valid_to']
    >>> df.query("name == '莱芜市' and level == 'prefecture'")[
    ...     ["code", "parent_code", "valid_from", "valid_to"]].to_string(index=False)
    '  code parent_code  valid_from  valid_to\\n371200      370000        1992      2017'
    """
    return _load_frame().copy()


# A row: (code, name, level, parent_code or "", valid_from, valid_to)
_Row = tuple[str, str, str, str, int, int]


class _Index:
    """Dictionaries over the table, built once."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.rows: list[_Row] = [
            (c, n, lv, p if isinstance(p, str) else "", int(f), int(t))
            for c, n, lv, p, f, t in zip(
                df["code"],
                df["name"],
                df["level"],
                df["parent_code"].fillna(""),
                df["valid_from"],
                df["valid_to"],
                strict=True,
            )
        ]
        self.by_code: dict[str, list[int]] = {}
        self.by_full: dict[str, list[int]] = {}
        self.by_short: dict[str, list[int]] = {}
        for i, (code, name, *_rest) in enumerate(self.rows):
            self.by_code.setdefault(code, []).append(i)
            self.by_full.setdefault(name, []).append(i)
            for form in _short_forms(name):
                self.by_short.setdefault(form, []).append(i)
        self.min_year = min(r[4] for r in self.rows)

    def year(self, year: int | None) -> int:
        """Normalise a year: ``None`` means today, years before the table its first.

        Years after the last snapshot need no clamping: rows still valid run
        to 9999 and rows that ended are found by :func:`_nearest`.
        """
        if year is None:
            return _CURRENT
        return max(int(year), self.min_year)

    def row_at(self, code: str, year: int) -> int | None:
        """Row of ``code`` valid in ``year``, else the nearest in time."""
        idx = self.by_code.get(code)
        if not idx:
            return None
        return _nearest(self.rows, idx, year)[0]

    def division(self, i: int, year: int) -> Division:
        code, name, level, parent, vf, vt = self.rows[i]
        y = min(max(year, vf), vt)
        parent_row = self.row_at(parent, y) if parent else None
        parent_name = self.rows[parent_row][1] if parent_row is not None else None
        prov_code, prov_name = code, name
        j, seen = parent_row, 0
        while j is not None and seen < 3:
            prov_code, prov_name = self.rows[j][0], self.rows[j][1]
            pc = self.rows[j][3]
            j = self.row_at(pc, y) if pc else None
            seen += 1
        return Division(code, name, level, parent or None, parent_name, prov_code, prov_name)


def _nearest(rows: list[_Row], idx: Iterable[int], year: int) -> list[int]:
    """Rows of ``idx`` valid in ``year``, or those closest to it in time."""
    best: list[int] = []
    best_d: int | None = None
    for i in idx:
        vf, vt = rows[i][4], rows[i][5]
        d = 0 if vf <= year <= vt else min(abs(year - vf), abs(year - vt))
        if best_d is None or d < best_d:
            best, best_d = [i], d
        elif d == best_d:
            best.append(i)
    return best


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index(_load_frame())


# ---------------------------------------------------------------- resolving


def _matches(div: Division, want: str, *, as_parent: bool) -> bool:
    """Does ``want`` (a code, full or short name) name div's parent/province?"""
    want = want.strip()
    if as_parent:
        code, name = div.parent_code, div.parent_name
    else:
        code, name = div.province_code, div.province_name
    if code is None or name is None:
        return False
    return want in (code, name) or want in _short_forms(name)


def _forms(name: str | None) -> list[str]:
    if not name:
        return []
    short = short_name(name)
    return [short] if short else [name]


def _count(text: str, forms: Sequence[str], exclude: set[str]) -> int:
    return sum(text.count(f) for f in forms if f not in exclude and f not in COMMON_WORD_NAMES)


def _settle_by_context(cands: list[Division], context: str, query: str) -> list[Division]:
    """Keep the candidates whose parent (then province) the context mentions most."""
    scored = []
    for d in cands:
        own = {query, d.name, short_name(d.name) or d.name}
        parent_n = _count(context, _forms(d.parent_name), own)
        prov_n = 0
        if d.province_code not in (d.code, d.parent_code):
            prov_n = _count(context, _forms(d.province_name), own)
        scored.append(((parent_n, prov_n), d))
    top = max(s for s, _ in scored)
    if top == (0, 0):
        return cands
    return [d for s, d in scored if s == top]


def _split_prefix(name: str, year: int) -> tuple[str, list[str]]:
    """Peel leading province/prefecture names: 山东省济南市市中区 -> (市中区, [山东省, 济南市])."""
    ix = _index()
    prefixes: list[str] = []
    rest = name
    changed = True
    while changed and len(rest) > 2:
        changed = False
        for k in range(len(rest) - 2, 1, -1):
            head = rest[:k]
            idx = ix.by_full.get(head, [])
            if any(ix.rows[i][2] != "county" for i in _nearest(ix.rows, idx, year)):
                prefixes.append(head)
                rest = rest[k:]
                changed = True
                break
    return rest, prefixes


def _candidates(name: str, year: int) -> list[list[int]]:
    """Candidate row lists in order of preference."""
    ix = _index()
    rows = ix.rows
    full = ix.by_full.get(name, [])
    short = ix.by_short.get(name, []) if len(name) >= 2 else []
    tiers = [
        [i for i in full if rows[i][4] <= year <= rows[i][5]],
        [i for i in short if rows[i][4] <= year <= rows[i][5]],
        _nearest(rows, full, year) if full else [],
        _nearest(rows, short, year) if short else [],
    ]
    return [t for t in tiers if t]


def resolve(
    name: str,
    year: int | None = None,
    *,
    context: str = "",
    parent: str | None = None,
    province: str | None = None,
) -> Division | None:
    """Find the division called ``name`` in ``year``; ``None`` unless it is unique.

    ``name`` may be a full name (平阴县), a short name of at least two
    characters (平阴), or prefixed by its province/prefecture (北京市朝阳区).
    Rows valid in ``year`` are preferred (``None``: the latest year; years outside
    the table are clamped); a name not in use that year falls back to the
    period nearest in time.  Several candidates are narrowed by ``parent`` and
    ``province`` (code, full or short name), then by ``context``, a text
    snippet in which the candidates' parent and province names are counted.
    If that does not leave exactly one, the answer is ``None``.

    >>> resolve("平阴").name, resolve("平阴").parent_name
    ('平阴县', '济南市')
    >>> [resolve("茌平", y).code for y in (2018, 2024)]
    ['371523', '371503']
    >>> resolve("市中区", 2020, parent="枣庄市").code
    '370402'
    >>> d = resolve("朝阳区", province="北京市")
    >>> d.code, d.level, d.parent_code
    ('110105', 'county', '110000')
    >>> resolve("鼓楼区", context="南京") is None, resolve("鼓楼区", context="南京市").code
    (False, '320106')
    """
    if not name or not name.strip():
        return None
    ix = _index()
    y = ix.year(year)
    query = re.sub(r"\s+", "", name)
    tiers = _candidates(query, y)
    extra_constraints: list[str] = []
    if not tiers:
        rest, prefixes = _split_prefix(query, y)
        if prefixes and rest:
            query = rest
            extra_constraints = prefixes
            tiers = _candidates(query, y)
    for tier in tiers:
        cands = list({ix.rows[i][0]: ix.division(i, y) for i in tier}.values())
        if parent is not None:
            cands = [d for d in cands if _matches(d, parent, as_parent=True)]
        if province is not None:
            cands = [d for d in cands if _matches(d, province, as_parent=False)]
        for pre in extra_constraints:
            cands = [
                d
                for d in cands
                if _matches(d, pre, as_parent=True) or _matches(d, pre, as_parent=False)
            ]
        if not cands:
            continue
        if len(cands) > 1 and context:
            cands = _settle_by_context(cands, context, query)
        return cands[0] if len(cands) == 1 else None
    return None


#: The code lists date a change by the year of the list that first shows it, which can differ by
#: a year from the report still naming the old unit (莱芜市: see divisions_SOURCES.md, "Year
#: convention"): a code or a name counts as in use within this many years of its period.
YEAR_SLACK = 1


def _held(rows: list[_Row], idx: Iterable[int], year: int) -> bool:
    return any(rows[i][4] - YEAR_SLACK <= year <= rows[i][5] + YEAR_SLACK for i in idx)


def _covered(year: int | None) -> bool:
    """Does the table say what held in ``year`` (1980 on; None: no year to check)?"""
    return year is not None and int(year) >= _index().min_year


def code_in_use(code: str, year: int | None) -> bool:
    """Is ``code`` in the division code lists of ``year`` (within :data:`YEAR_SLACK`)? True for
    years the table does not cover (before 1980, or no year).

    >>> code_in_use("152300", 1998), code_in_use("152300", 2005), code_in_use("371200", 2018)
    (True, False, True)
    """
    if not _covered(year):
        return True
    ix = _index()
    return _held(ix.rows, ix.by_code.get(str(code), []), int(year))


def year_note(div: Division, year: int | None) -> str:
    """Why ``div`` (as :func:`resolve` found it for a name) is not what a report of ``year``
    names, or ``""`` when its code and name hold that year (within :data:`YEAR_SLACK`).

    :func:`resolve` falls back to a name's nearest period; this says when that period is not
    the report's: the code is in no list of the year (abolished, or not made yet), or the code
    is, under another name (renamed: the code carried over). Years the table does not cover
    are not checked.

    >>> year_note(resolve("哲里木盟", 2005), 2005)
    '哲里木盟 (152300) is in no division code list of 2005 (listed 1980–1998)'
    >>> year_note(resolve("襄樊市", 2012), 2012)
    '襄樊市 is not the name of 420600 in 2012 (the code lists name it 襄阳市)'
    >>> year_note(resolve("莱芜市", 2018), 2018), year_note(resolve("襄樊市", 2008), 2008)
    ('', '')
    """
    if not _covered(year):
        return ""
    y = int(year)  # type: ignore[arg-type]
    ix = _index()
    idx = ix.by_code.get(div.code, [])
    if not _held(ix.rows, idx, y):
        runs: list[list[int]] = []  # the code's periods, renamings joined
        for vf, vt in sorted((ix.rows[i][4], ix.rows[i][5]) for i in idx):
            if runs and vf <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], vt)
            else:
                runs.append([vf, vt])
        spans = ", ".join(f"{vf}–{'' if vt == _CURRENT else vt}" for vf, vt in runs)
        return f"{div.name} ({div.code}) is in no division code list of {y} (listed {spans})"
    if _held(ix.rows, [i for i in idx if ix.rows[i][1] == div.name], y):
        return ""
    names = [ix.rows[i][1] for i in _nearest(ix.rows, idx, y)]
    return f"{div.name} is not the name of {div.code} in {y} (the code lists name it {'/'.join(dict.fromkeys(names))})"


def parent_of(code: str, year: int | None = None) -> Division | None:
    """The division that ``code`` belonged to in ``year`` (``None`` for provinces).

    >>> parent_of("371203", 2012).name, parent_of("370117", 2020).name
    ('莱芜市', '济南市')
    >>> parent_of("370000") is None
    True
    """
    ix = _index()
    y = ix.year(year)
    i = ix.row_at(str(code), y)
    if i is None:
        return None
    vf, vt = ix.rows[i][4], ix.rows[i][5]
    y = min(max(y, vf), vt)
    parent = ix.rows[i][3]
    if not parent:
        return None
    j = ix.row_at(parent, y)
    return ix.division(j, y) if j is not None else None


def division_of(code: str, year: int | None = None) -> Division | None:
    """The division with ``code`` in ``year`` (nearest period if not in use then).

    >>> division_of("371200", 2012).name
    '莱芜市'
    """
    ix = _index()
    y = ix.year(year)
    i = ix.row_at(str(code), y)
    return ix.division(i, y) if i is not None else None


# ---------------------------------------------------------------- mentions


@lru_cache(maxsize=64)
def _mention_matcher(
    year: int, levels: tuple[str, ...]
) -> tuple[LongestMatch, dict[str, tuple[tuple[int, ...], bool, bool]]]:
    """Matcher plus surface form -> (rows, is_short, ambiguous)."""
    ix = _index()
    rows = ix.rows
    valid = [i for i, r in enumerate(rows) if r[4] <= year <= r[5]]
    full: dict[str, list[int]] = {}
    short: dict[str, list[int]] = {}
    for i in valid:
        full.setdefault(rows[i][1], []).append(i)
        for form in _short_forms(rows[i][1]):
            short.setdefault(form, []).append(i)
    table: dict[str, tuple[tuple[int, ...], bool, bool]] = {}
    for form, idx in full.items():
        keep = tuple(i for i in idx if rows[i][2] in levels)
        if keep and form not in COMMON_WORD_NAMES:
            table[form] = (keep, False, len(idx) > 1)
    for form, idx in short.items():
        # a short form is usable only if it names exactly one division (any level)
        # and is nobody's full name
        if len(idx) != 1 or form in full or form in COMMON_WORD_NAMES:
            continue
        if rows[idx[0]][2] in levels:
            table[form] = ((idx[0],), True, False)
    return LongestMatch(table), table


def _trie_regex(words: Iterable[str], fanout: int = 10) -> re.Pattern[str]:
    """One alternation of ``words`` that prefers the longest match (see :func:`trie_pattern`)."""
    return re.compile(trie_pattern(words, fanout=fanout))


class LongestMatch:
    """Leftmost-longest, non-overlapping matches of a word list, as :func:`_trie_regex` finds
    them, without compiling a regular expression of every name (about a second per process).

    >>> LongestMatch(["钢城", "钢城区", "济南市"]).findall("钢城区和钢城在济南市")
    ['钢城区', '钢城', '济南市']
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        firsts = "".join(sorted({w[0] for w in self.words}))
        self._first = re.compile(f"[{re.escape(firsts)}]") if firsts else None

    def findall(self, text: str) -> list[str]:
        out: list[str] = []
        if self._first is None:
            return out
        words, lengths, pos = self.words, self.lengths, 0
        search = self._first.search
        while (m := search(text, pos)) is not None:
            i = m.start()
            for n in lengths:
                w = text[i : i + n]
                if len(w) == n and w in words:
                    out.append(w)
                    pos = i + n
                    break
            else:
                pos = i + 1
        return out


def find_mentions(
    text: str,
    year: int | None = None,
    levels: Sequence[str] = ("prefecture", "county"),
) -> pd.DataFrame:
    """Count mentions of division names in ``text``.

    Full names are always searched for; short names only when, in ``year``,
    they belong to a single division and are no one's full name.  Names that
    double as ordinary words (:data:`COMMON_WORD_NAMES`) are skipped.  Matches
    are leftmost-longest and do not overlap.  A full name shared by several
    divisions (市中区) credits each of them and flags the rows ``ambiguous``.

    Returns one row per division, most mentioned first, with columns ``code``,
    ``name``, ``level``, ``parent_code``, ``parent_name``, ``count``,
    ``full_count``, ``short_count`` and ``ambiguous``.

    >>> m = find_mentions("建设美丽钢城，钢城区经济稳中向好。", year=2026)
    >>> m[["code", "name", "parent_name", "count", "short_count"]].to_string(index=False)
    '  code name parent_name  count  short_count\\n370117  钢城区         济南市      2            1'
    """
    ix = _index()
    y = ix.year(year)
    pattern, table = _mention_matcher(y, tuple(levels))
    counts: Counter[str] = Counter(pattern.findall(text))
    per: dict[int, list[int]] = {}
    flags: dict[int, bool] = {}
    for form, n in counts.items():
        idx, is_short, ambiguous = table[form]
        for i in idx:
            tally = per.setdefault(i, [0, 0])
            tally[1 if is_short else 0] += n
            flags[i] = flags.get(i, False) or ambiguous
    records = []
    for i, (n_full, n_short) in per.items():
        d = ix.division(i, y)
        records.append(
            {
                "code": d.code,
                "name": d.name,
                "level": d.level,
                "parent_code": d.parent_code,
                "parent_name": d.parent_name,
                "count": n_full + n_short,
                "full_count": n_full,
                "short_count": n_short,
                "ambiguous": flags[i],
            }
        )
    columns = [
        "code",
        "name",
        "level",
        "parent_code",
        "parent_name",
        "count",
        "full_count",
        "short_count",
        "ambiguous",
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    out = out.sort_values(["count", "code"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


@lru_cache(maxsize=2)
def _all_names(include_common_words: bool) -> tuple[str, ...]:
    ix = _index()
    names = set(ix.by_full) | set(ix.by_short)
    if not include_common_words:
        names -= COMMON_WORD_NAMES
    return tuple(sorted(names, key=lambda s: (-len(s), s)))


def all_names(*, include_common_words: bool = True) -> list[str]:
    """Every full and short name in the table (all years), longest first.

    Meant for tokenizer lexicons.  With ``include_common_words=False`` the
    names in :data:`COMMON_WORD_NAMES` are left out.

    >>> names = all_names()
    >>> {"平阴县", "平阴", "莱芜市", "内蒙古"} <= set(names)
    True
    >>> "城区" in all_names(include_common_words=False)
    False
    """
    return list(_all_names(include_common_words))
