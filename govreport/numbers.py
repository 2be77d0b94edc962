"""Chinese numerals to numbers: dates (二〇二一年一月十二日) and amounts (百分之五, 三千万).

``cn2an`` converts pure numerals only; it is never run over running prose.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "〇零一二两三四五六七八九十百千万亿点"
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_DIGIT_BY_DIGIT = re.compile(r"[〇零一二两三四五六七八九]{2,}")


@lru_cache(maxsize=4096)  # figures repeat (5%, 一, 三千): each is converted once per process
def cn_to_number(s: str) -> float | None:
    """A pure Chinese (or mixed Arabic) numeral to a number; None if it is not one.

    >>> cn_to_number("三千"), cn_to_number("十二"), cn_to_number("1.2万"), cn_to_number("百分之五")
    (3000, 12, 12000, 5)
    """
    s = s.strip().replace("○", "〇")
    if s.startswith("百分之"):
        s = s[3:]
    if not s:
        return None
    if _ARABIC.fullmatch(s):
        v = float(s)
        return int(v) if v.is_integer() else v
    if _DIGIT_BY_DIGIT.fullmatch(s):  # digit by digit: 二〇二一
        return int("".join(str(_DIGITS[c]) for c in s))
    v = plain_cn_int(s)
    if v is not None:
        return v
    import cn2an  # imported when first needed: it takes ~0.5 s, and most numerals never need it

    try:
        v = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return int(v) if float(v).is_integer() else float(v)


_NONZERO = "一二三四五六七八九"
_TENS = re.compile(f"([{_NONZERO}])?十([{_NONZERO}])?")
_ONE_UNIT = re.compile(f"([{_NONZERO}两])([百千万亿])")
_UNIT = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def plain_cn_int(s: str) -> int | None:
    """The common short numerals read without cn2an (a month, a day, 三千, 五万), else None.

    A digit, a number below 100 (十二, 二十, 三十一) or one digit with one unit (三千, 两亿).
    Every value given is the one cn2an gives (tests/test_numbers.py checks every string of
    up to three numeral characters), so cn2an is imported only for the rarer forms.

    >>> plain_cn_int("十二"), plain_cn_int("三十一"), plain_cn_int("五万"), plain_cn_int("二百五")
    (12, 31, 50000, None)
    """
    if len(s) == 1 and s in _NONZERO:
        return _DIGITS[s]
    m = _TENS.fullmatch(s)
    if m:
        return _DIGITS[m.group(1) or "一"] * 10 + (_DIGITS[m.group(2)] if m.group(2) else 0)
    m = _ONE_UNIT.fullmatch(s)
    if m:
        return _DIGITS[m.group(1)] * _UNIT[m.group(2)]
    return None


_YEAR = r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})"
_MD = r"(?P<{0}>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})"
DATE_RE = re.compile(_YEAR + r"[ ]*年[ ]*" + _MD.format("m") + r"[ ]*月[ ]*" + _MD.format("d") + r"[ ]*日")


def parse_date(text: str) -> str:
    """The first full date in ``text`` as ``YYYY-MM-DD``, or ``""``.

    >>> parse_date("——二〇二一年一月十二日在青岛市第十六届人民代表大会")
    '2021-01-12'
    >>> parse_date("2026年2月4日在济南市市中区")
    '2026-02-04'
    """
    m = DATE_RE.search(text)
    if not m:
        return ""
    y, mo, d = (cn_to_number(m.group(k)) for k in "ymd")
    if not (y and mo and d) or not (1 <= mo <= 12 and 1 <= d <= 31 and 1949 <= y <= 2100):
        return ""
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
