"""Chinese numerals: the fast path for common forms agrees with cn2an."""


def _strings(alphabet: str, longest: int):
    """Every string of 1 to ``longest`` characters of ``alphabet``."""
    import itertools

    for k in range(1, longest + 1):
        for chars in itertools.product(alphabet, repeat=k):
            yield "".join(chars)


def test_plain_numerals_read_without_cn2an_agree_with_cn2an():
    """Every string of up to three numeral characters that the fast path reads has
    cn2an's value, and the common forms (months, days, 三千) are read by it."""
    import cn2an

    from govreport.numbers import plain_cn_int

    read = 0
    for s in _strings("〇零一二两三四五六七八九十百千万亿", 3):
        v = plain_cn_int(s)
        if v is None:
            continue
        read += 1
        assert v == cn2an.cn2an(s, "smart"), s
    assert read > 100
    assert [plain_cn_int(s) for s in ("五", "十", "十二", "二十", "三十一", "三千", "两亿")] == \
        [5, 10, 12, 20, 31, 3000, 200_000_000]
    assert plain_cn_int("二百五") is None and plain_cn_int("一点五") is None


def _cn2an_or_none(s: str):
    import cn2an

    try:
        return cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def test_numerals_read_without_cn2an_agree_with_cn2an_up_to_four_characters():
    """Every string of up to four numeral characters (with 点 and an Arabic digit) that
    cn_numeral reads has cn2an's value (or cn2an refuses it too)."""
    from govreport.numbers import UNREAD, cn_numeral

    read = 0
    for s in _strings("〇零一二两三四五六七八九十百千万亿点8", 4):
        v = cn_numeral(s)
        if v is UNREAD:
            continue
        read += 1
        want = _cn2an_or_none(s)
        assert v == want and type(v) is type(want), (s, v, want)
    assert read > 2000


def test_numerals_read_without_cn2an_agree_with_cn2an_on_written_numbers():
    """The written forms of many numbers (as cn2an writes them, with 两 and 〇 variants,
    decimals and Arabic figures with a unit) read as cn2an reads them; the common forms
    of the 2 M corpus and the real set need no cn2an."""
    import random

    import cn2an

    from govreport.numbers import UNREAD, cn_numeral, cn_to_number

    rng = random.Random(12)
    numbers = [*range(0, 3000), *(rng.randrange(10**k) for k in range(4, 17) for _ in range(300))]
    forms = []
    for n in numbers:
        w = cn2an.an2cn(n, "low")
        forms += [w, w.replace("二", "两"), w.replace("零", "〇")]
        forms.append(w + "点" + cn2an.an2cn(rng.randrange(1, 1000), "direct"))
    forms += [f"{rng.randrange(1000)}{u}" for u in "十百千万亿" for _ in range(50)]
    forms += [f"{rng.randrange(1000)}.{rng.randrange(100)}{u}" for u in "十百千万亿" for _ in range(50)]
    read = 0
    for s in forms:
        v = cn_numeral(s)
        if v is UNREAD:
            continue
        read += 1
        want = _cn2an_or_none(s)
        assert v == want, (s, v, want)
    assert read > 0.9 * len(forms)
    for s in ("三百二十", "六点五", "八千五百", "三万二千五百", "一万五千八百", "两", "8千", "千", "一千零十"):
        assert cn_numeral(s) is not UNREAD, s
    assert cn_to_number("两") == 2 and cn_to_number("千") is None


def test_whole_numbers_are_ints_whichever_path_reads_them():
    """cn_numeral keeps cn2an's float for 十五点零; cn_to_number gives a whole number as an
    int, as it did when cn2an read every such numeral (its value made an int when whole)."""
    from govreport.numbers import UNREAD, cn_numeral, cn_to_number

    for s in ("十五点零", "一点零", "两点〇", "三百点零零", "四千万点零", "五点五", "六点五零", "三百二十"):
        assert cn_numeral(s) is not UNREAD, s  # read without cn2an
        want = _cn2an_or_none(s)
        want = int(want) if float(want).is_integer() else float(want)
        got = cn_to_number(s)
        assert got == want and type(got) is type(want), (s, got, want)
