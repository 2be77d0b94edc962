"""Chinese numerals to numbers: dates (二〇二一年一月十二日) and amounts (百分之五, 三千万).

``cn2an`` converts pure numerals only; it is never run over running prose.
"""

from __future__ import annotations

import re
from decimal import Decimal
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
    v = cn_numeral(s)
    if v is not UNREAD:  # a whole number is an int, as cn2an's value is made one below (十五点零 → 15)
        return v if v is None or isinstance(v, int) else int(v) if v.is_integer() else v
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


UNREAD = object()  # cn_numeral's answer for a form it leaves to cn2an
_N0, _N19 = "[零〇]", "[一二两三四五六七八九]"
_UNIT_VALUE = {"十": 10, **_UNIT}
_ARABIC_UNIT = re.compile(r"[0-9]+(?:\.[0-9]+)?[十百千万亿]")
_DECIMAL = re.compile("[零〇一二两三四五六七八九]{0,16}")
_INTEGER: re.Pattern[str] | None = None


def _integer_pattern() -> re.Pattern[str]:
    """cn2an's pattern of a well-formed integer ("normal" mode, our numeral characters only)."""
    global _INTEGER
    if _INTEGER is None:
        n10_99 = f"{_N19}?十{_N19}?"
        n10_99_one = f"{_N19}十{_N19}?"
        n1_99 = f"(?:{n10_99}|{_N19})"
        n100_999 = f"(?:{_N19}百(?:{_N0}{_N19})?|{_N19}百{n10_99_one})"
        n1_999 = f"(?:{n100_999}|{n1_99})"
        n1000_9999 = f"(?:{_N19}千(?:{_N0}{n1_99})?|{_N19}千{n100_999})"
        n1_9999 = f"(?:{n1000_9999}|{n1_999})"
        n1e4 = f"(?:{n1_9999}万(?:{_N0}{n1_999})?|{n1_9999}万{n1000_9999})"
        n1_1e8 = f"(?:{n1e4}|{n1_9999})"
        n1e8 = f"(?:{n1_1e8}亿(?:{_N0}{n1_1e8})?|{n1_1e8}亿{n1e4})"
        _INTEGER = re.compile(f"{_N0}|{n1e8}|{n1_1e8}")
    return _INTEGER


_NUM_CLASS, _UNIT_CLASS = "零〇一二两三四五六七八九", "十百千万亿"
_ZERO_BEFORE_THOUSAND = re.compile(f"(万)零(?=[{_NUM_CLASS}]千)")
_BIG_UNIT_MISSING_ZERO = re.compile(f"([万亿])([{_NUM_CLASS}][十百])")
_THOUSAND_MISSING_ZERO = re.compile(f"(千)([{_NUM_CLASS}]?十)")
_UNIT_MISSING_ONE = re.compile("(百)(十)")


def _as_cn2an_normalises(s: str) -> str:
    """The rewrites cn2an makes before it checks an integer (十万零一千, 一千十 …)."""
    s = _ZERO_BEFORE_THOUSAND.sub(r"\1", s)
    s = _BIG_UNIT_MISSING_ZERO.sub(r"\1零\2", s)
    s = _THOUSAND_MISSING_ZERO.sub(r"\1零\2", s)
    s = _UNIT_MISSING_ONE.sub(r"\1一\2", s)
    return s.replace("零十", "零一十")


def _integer_value(s: str) -> int:
    """cn2an's reading of a well-formed integer (its ``__integer_convert``)."""
    out, unit, big = 0, 1, 1
    last = len(s) - 1
    for i, c in enumerate(reversed(s)):
        if c in _DIGITS:
            out += _DIGITS[c] * unit
            continue
        unit = _UNIT_VALUE[c]
        if unit % 10_000 == 0:
            if unit > big:
                big = unit
            else:
                big = unit = unit * big
        if unit < big:
            unit *= big
        if i == last:
            out += unit
    return out


def cn_numeral(s: str) -> int | float | None | object:
    """cn2an's value ("smart" mode) of a well-formed numeral (三百二十, 三万二千五百, 六点五,
    8千), None for a lone unit (千), else :data:`UNREAD` (left to cn2an).

    tests/test_numbers.py checks it against cn2an on every string of up to four numeral
    characters and on the written forms of many numbers.

    >>> cn_numeral("三万二千五百"), cn_numeral("六点五"), cn_numeral("8千"), cn_numeral("千")
    (32500, 6.5, 8000, None)
    """
    if len(s) == 1 and s in "百千万亿":
        return None
    if _ARABIC_UNIT.fullmatch(s):
        return int(Decimal(s[:-1]) * _UNIT_VALUE[s[-1]])
    whole, dot, decimals = s.partition("点")
    if "点" in decimals or (dot and not _DECIMAL.fullmatch(decimals)):
        return UNREAD
    whole = _as_cn2an_normalises(whole.replace("零十", "零一十").replace("零百", "零一百"))
    if not whole or not _integer_pattern().fullmatch(whole):
        return UNREAD
    out = _integer_value(whole)
    if not dot:
        return out
    fraction = 0
    for i in range(len(decimals) - 1, -1, -1):
        fraction += _DIGITS[decimals[i]] * 10 ** -(i + 1)
    return round(out + round(fraction, len(decimals)), len(decimals))


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
