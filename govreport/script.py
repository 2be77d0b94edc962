"""Traditional characters (繁體): detect them and convert to simplified with OpenCC.

Detection counts, on a sample of the first :data:`SAMPLE` hanzi, the characters that
OpenCC's ``t2s`` conversion changes (each distinct character converted on its own).
Simplified reports score 0–0.01 % (the five seed reports: 0.00 %), the same reports
converted with ``s2t`` score 36–37 %; a text is ``"traditional"`` when at least
:data:`THRESHOLD` (10 %) of its sampled hanzi, and at least :data:`MIN_CHANGED` of them,
change.

Conversion (:func:`to_simplified`) uses OpenCC ``t2s`` on the whole text, so phrases
are converted in context (乾隆 stays, 乾淨 → 干净). ``t2s`` is almost always
character-for-character; when it does change the length (a rare phrase rule), the
lines whose length changed are converted again character by character, so the result
always has exactly the length of the input. Positions in the converted text are
therefore positions in the original traditional text too: :mod:`govreport.corpus`
normalises the converted text and keeps the *original* text as ``Document.raw``, and
the offsets map to it exactly.

>>> detect_script("二〇二四年政府工作報告：經濟增長5%左右")
'traditional'
>>> detect_script("二〇二四年政府工作报告：经济增长5%左右")
'simplified'
>>> to_simplified("經濟發展")
'经济发展'
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Fraction of sampled hanzi that ``t2s`` must change for a text to count as traditional.
THRESHOLD = 0.10
#: ... and at least this many of them (a stray variant character is not a script).
MIN_CHANGED = 2
#: Hanzi sampled for detection (from the start of the text).
SAMPLE = 20_000



@lru_cache(maxsize=4)
def _converter(config: str = "t2s"):
    import opencc

    return opencc.OpenCC(config)


def _convert_chars(chars: set[str] | list[str]) -> dict[str, str]:
    """Each character converted on its own (one OpenCC call for all of them)."""
    order = sorted(chars)
    out = _converter().convert("\n".join(order)).split("\n")
    if len(out) != len(order):  # cannot happen (newlines pass through), but be safe
        return {c: _converter().convert(c) for c in order}
    return dict(zip(order, out, strict=True))


_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_OTHER, _HANZI, _CHANGED = 0, 1, 2


@lru_cache(maxsize=1)
def _kinds() -> np.ndarray:
    """Per BMP code point: not a hanzi, a hanzi ``t2s`` keeps, or one it changes on its own
    (about 4,200 of 28,096; one OpenCC call, ~10 ms once per process)."""
    codes = np.concatenate([np.arange(a, b) for a, b in _HAN_RANGES])
    chars = [chr(c) for c in codes.tolist()]
    conv = _convert_chars(chars)
    kinds = np.zeros(0x10000, dtype=np.uint8)
    kinds[codes] = _HANZI
    kinds[codes[np.array([conv[c] != c for c in chars])]] = _CHANGED
    return kinds


def traditional_share(text: str, sample: int = SAMPLE) -> tuple[float, int, int]:
    """``(share, changed, hanzi)``: how many of the first ``sample`` hanzi ``t2s`` changes."""
    kinds = _kinds()
    han = changed = 0
    step = max(4 * sample, 4096)  # a long text is read in chunks until the sample is full
    for pos in range(0, len(text), step):
        points = np.frombuffer(text[pos : pos + step].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        kind = kinds[np.minimum(points, 0xFFFF)]  # U+FFFF and beyond: not hanzi
        is_han = kind != _OTHER
        n = int(np.count_nonzero(is_han))
        if han + n >= sample:
            kind = kind[: np.flatnonzero(is_han)[sample - han - 1] + 1]
            n = sample - han
        han += n
        changed += int(np.count_nonzero(kind == _CHANGED))
        if han >= sample:
            break
    return (changed / han if han else 0.0), changed, han


def detect_script(text: str) -> str:
    """``"traditional"`` or ``"simplified"`` (see the module docstring for the rule)."""
    share, changed, _ = traditional_share(text)
    return "traditional" if share >= THRESHOLD and changed >= MIN_CHANGED else "simplified"


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, with exactly the same length as ``text``.

    >>> s = "立法會議員於會議上發言，乾淨整潔"
    >>> out = to_simplified(s)
    >>> out, len(out) == len(s)
    ('立法会议员于会议上发言，干净整洁', True)
    """
    if not text:
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    # rare: a phrase rule changed the length; redo the changed lines character by character
    lines_in = text.split("\n")
    lines_out = out.split("\n")
    if len(lines_in) != len(lines_out):
        lines_out = [_converter().convert(line) for line in lines_in]
    fixed = []
    for a, b in zip(lines_in, lines_out, strict=True):
        if len(a) != len(b):
            conv = _convert_chars(set(a))
            b = "".join(c2 if len(c2 := conv[c]) == 1 else c for c in a)
        fixed.append(b)
    return "\n".join(fixed)


def simplify(text: str) -> tuple[str, str]:
    """``(simplified_text, script)``: converted if traditional, else unchanged."""
    script = detect_script(text)
    return (to_simplified(text) if script == "traditional" else text), script
