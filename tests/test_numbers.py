"""Chinese numerals: the fast path for common forms agrees with cn2an."""


def test_plain_numerals_read_without_cn2an_agree_with_cn2an():
    """Every string of up to three numeral characters that the fast path reads has
    cn2an's value, and the common forms (months, days, 三千) are read by it."""
    import itertools

    import cn2an

    from govreport.numbers import plain_cn_int

    alphabet = "〇零一二两三四五六七八九十百千万亿"
    read = 0
    for k in (1, 2, 3):
        for chars in itertools.product(alphabet, repeat=k):
            s = "".join(chars)
            v = plain_cn_int(s)
            if v is None:
                continue
            read += 1
            assert v == cn2an.cn2an(s, "smart"), s
    assert read > 100
    assert [plain_cn_int(s) for s in ("五", "十", "十二", "二十", "三十一", "三千", "两亿")] == \
        [5, 10, 12, 20, 31, 3000, 200_000_000]
    assert plain_cn_int("二百五") is None and plain_cn_int("一点五") is None
