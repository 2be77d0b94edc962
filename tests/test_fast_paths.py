"""Fast implementations of the front (script detection, decoding checks, normalisation) give
the same results as the plain reference implementations kept here, on constructed text."""

from __future__ import annotations

import random
import re

import pytest

from govreport.read import utf16_without_bom
from govreport.script import _convert_chars, _converter, traditional_share

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _traditional_share_reference(text: str, sample: int) -> tuple[float, int, int]:
    han: list[str] = []
    for m in _HAN.finditer(text):
        han.append(m.group(0))
        if len(han) >= sample:
            break
    if not han:
        return 0.0, 0, 0
    conv = _convert_chars(set(han))
    changed = sum(1 for c in han if conv[c] != c)
    return changed / len(han), changed, len(han)


_SIMPLIFIED = "二〇二四年政府工作报告各位代表现在我代表县人民政府向大会报告工作经济发展稳中有进地区生产总值增长"


def _texts() -> list[str]:
    rnd = random.Random(7)
    base = _SIMPLIFIED * 3 + "，2025年增长5.5%左右。\n"
    traditional = _converter("s2t").convert(base)
    odd = "😀\uffff\ud800abc 　\u3400\u4dbf\uf900\ufaff\u9fff"
    texts = ["", "abc", odd, base, traditional, traditional + odd + base]
    for _ in range(20):
        pieces = [base, traditional, odd, "x" * rnd.randint(0, 50)]
        texts.append("".join(rnd.choice(pieces)[: rnd.randint(0, 120)] for _ in range(rnd.randint(1, 300))))
    return texts


@pytest.mark.parametrize("sample", [1, 2, 7, 100, 20_000])
def test_traditional_share_matches_reference(sample):
    for text in _texts():
        assert traditional_share(text, sample) == _traditional_share_reference(text, sample)


def test_traditional_share_long_text_reads_only_the_sample():
    text = _converter("s2t").convert(_SIMPLIFIED) * 2000 + _SIMPLIFIED * 2000
    assert traditional_share(text, 500) == _traditional_share_reference(text, 500)
    share, changed, han = traditional_share(text)
    assert han == 20_000 and share > 0.2


def _utf16_reference(data: bytes) -> str | None:
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    nuls = [i for i, b in enumerate(head) if b == 0]
    if len(nuls) < 2:
        return None
    odd = sum(i % 2 for i in nuls)
    if odd >= 0.9 * len(nuls):
        enc = "utf-16-le"
    elif odd <= 0.1 * len(nuls):
        enc = "utf-16-be"
    else:
        return None
    try:
        text = head.decode(enc)
    except UnicodeDecodeError:
        return None
    texty = len(re.findall(r"[\x20-\x7e\s\u00a0-\u00ff\u2000-\u2bff\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]", text))
    return enc if texty >= 0.95 * len(text) else None


def test_utf16_without_bom_matches_reference():
    rnd = random.Random(3)
    text = "2025年地区生产总值增长5%左右。\n一二三\n"
    cases = [b"", b"\x00", b"\x00\x00\x01", text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be"),
             (text * 900).encode("utf-16-le") + b"\x00", b"\x00\x01" * 50, bytes(range(256)) * 40]
    cases += [bytes(rnd.choice(b"\x00\x00ab\x4e") for _ in range(rnd.randint(0, 9000))) for _ in range(30)]
    for data in cases:
        assert utf16_without_bom(data) == _utf16_reference(data)
