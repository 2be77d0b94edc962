"""Fast implementations of the front (script detection, decoding checks, normalisation) give
the same results as the plain reference implementations kept here, on constructed text."""

from __future__ import annotations

import importlib
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


# --------------------------------------------------------------------------- normalisation
# The rules as they were written before the fast scans (Scan, CharMap, [ ](?<=X[ ])), applied
# match by match: the fast rules must give the same text and the same map to the raw text.

N = importlib.import_module("govreport.normalize")  # the package exports a function of that name


def _nfkc_reference(m: re.Match[str]) -> str:
    import unicodedata

    c = m.group(0)
    return c if c in N.KEEP_FULLWIDTH else unicodedata.normalize("NFKC", c)


_CJK = N.CJK
_REFERENCE_RULES = {
    "UNICODE_RULES": [
        (f"[{N._ZERO_WIDTH}]", ""), (f"[{N._ODD_SPACES}\t]", " "), (r"[\u25cb\u25ef\u3007\uff2f]", "〇"),
        (r"[\uff01-\uff5e\u2e80-\u2fdf\uf900-\ufaff\u2215\u2236]", _nfkc_reference),
    ],
    "MARKUP_RULES": [
        (r"\[bookmark:[^\]\n]{0,80}\]", ""), (r"(?m)^[ ]{0,3}#{1,6}[ ]+", ""),
        (r"(?<![*_])(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1", r"\2"), (r"(?m)^[ ]*(?:[-*_][ ]*){3,}$", ""),
        (r"<!--.*?-->", ""),
    ],
    "PAGE_RULES": [
        (r"(?m)^[ ]*[—–\-－·•]{1,2}[ ]*\d{1,4}[ ]*[—–\-－·•]{1,2}[ ]*$", ""),
        (r"(?m)^[ ]*第[ ]*\d{1,4}[ ]*页(?:[ ,，/]*共[ ]*\d{1,4}[ ]*页)?[ ]*$", ""),
        (r"(?m)^[ ]*\d{1,4}[ ]*/[ ]*\d{1,4}[ ]*$", ""),
        (r"[（(][ ]*(?:下转|上接|接|转)第?[ ]*[一二三四五六七八九十\d]{1,3}[ ]*(?:版|页)[ ]*[)）]", ""),
    ],
    "WEB_RULES": [("(?mi)^" + N._BOILER_LINE, "")],
    "LONG_LINE_RULES": [(rf"(?<=[{_CJK}。！？!?；;：:”」』）)])[ ]+(?=[{_CJK}“「『（(0-9])", N._paragraph_break)],
    "SPACE_RULES": [
        (rf"(?<=[{_CJK}，、。；：“”（）])[ ]+(?=[{_CJK}，、。；：“”（）])", ""),
        (rf"(?<=[0-9.%])[ ]+(?=[{_CJK}%])", ""),
        (rf"(?<=[{_CJK}，、：（“])[ ]+(?=[0-9])", ""),
        (r"(?<=\d)[ ]+(?=\.\d)|(?<=\d\.)[ ]+(?=\d)", ""),
        (r"(?m)^[ ]+|[ ]+$", ""),
    ],
}


def _reference(name: str) -> list:
    return [(re.compile(p), r) for p, r in _REFERENCE_RULES[name]]


def _join_reference(wrap_width):
    pattern, decide = N._join_rules(wrap_width)[0]
    return [(re.compile(r"\n+"), decide)]


_PIECES = list("  \n\n\n 　\t增长年页第版转（()）-—–－·•*_#/.%0123456789，。；：“”、！？!?;:abc\u200b\u00a0○Ｏ２％ＡＢ⺀豈") + [
    "  ", "**", "__", "---", "\n\n", "# ", "## ", "第3页", "- 2 -", "3/20", "（下转第四版）", "字号 大 中 小",
    "首页 > 新闻", "来源：新华社", "2024-01-02", "版权所有", "联系电话：123", "<!--x-->", "[bookmark: a]",
    "一、2020年工作回顾", "增\n长", "5.\n8%", "届\n人民代表大会", "\n二、目标", "。\n", "，\n",
    "5 ", " .5", ". ", "5.", " 5", "— 1 —", "·3·", "** x**", "**x**", "__a__", "***", "_", " %", "% ", "增 ",
]


def _constructed(seed: int, n: int = 400) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        t = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 160)))
        if i % 40 == 0:  # one long line: the paragraph rule applies
            t = (t.replace("\n", " ") + "。一二三 ") * 40
        out.append(t)
    return out


def _same(a, b) -> bool:
    return a.text == b.text and a.offsets.dtype == b.offsets.dtype and (a.offsets == b.offsets).all()


@pytest.mark.parametrize("name", sorted(_REFERENCE_RULES))
def test_fast_rules_match_reference_rules(name):
    for text in _constructed(11):
        mt = N.MappedText.from_raw(text)
        assert _same(mt.sub(getattr(N, name)), mt.sub(_reference(name))), (name, text)


def test_fast_line_joining_matches_reference():
    for text in _constructed(12):
        for width in (None, 20):
            mt = N.MappedText.from_raw(text)
            assert _same(mt.sub(N._join_rules(width)), mt.sub(_join_reference(width))), text


def test_fast_normalize_matches_reference_pipeline():
    def reference(raw: str):
        mt = N.MappedText.from_raw(raw).sub(N.LINE_END_RULES)
        if "<" in mt.text or "&" in mt.text:
            mt = mt.sub(N.HTML_RULES)
        for name in ("UNICODE_RULES", "MARKUP_RULES", "PAGE_RULES", "WEB_RULES", "LONG_LINE_RULES", "SPACE_RULES"):
            mt = mt.sub(_reference(name))
        mt = mt.sub(N.BLANK_RULES)
        return mt.sub(_join_reference(N.hard_wrap_width(mt.text)))

    for text in _constructed(13) + ["", "\n", "a" * 3000, "增 长" * 800 + "\n" + "一 二" * 800]:
        assert _same(N.normalize(text), reference(text)), text
