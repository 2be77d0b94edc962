"""One regular expression for a long word list: a trie, so the longest word wins.

Used for the indicator lexicon, the division names and the tokenizer's protected terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

ALNUM = "A-Za-z0-9"


def trie_pattern(words: Iterable[str], *, ascii_guard: bool = False, fanout: int | None = None) -> str:
    """A regex source matching any of ``words``, the longest where several start at one place.

    ``ascii_guard``: a word starting (ending) with an ASCII letter or digit does not match
    inside a longer Latin word or number. ``fanout``: wide branch points are split into
    code-point ranges guarded by a look-ahead, so the engine tests about ``fanout`` branches
    per position instead of thousands (worth it for thousands of words).

    >>> re.match(trie_pattern(["生产总值", "地区生产总值", "地区"]), "地区生产总值增长").group(0)
    '地区生产总值'
    >>> re.findall(trie_pattern(["5G", "5G基站", "绿色"], ascii_guard=True), "5G基站和绿色5G，15G")
    ['5G基站', '绿色', '5G']
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def group(branches: list[tuple[str, str]]) -> str:
        if fanout is None or len(branches) <= fanout:
            alts = [b for _, b in branches]
            return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        size = -(-len(branches) // fanout)
        parts = []
        for k in range(0, len(branches), size):
            chunk = branches[k : k + size]
            lo, hi = chunk[0][0], chunk[-1][0]
            guard = re.escape(lo) if lo == hi else f"[{re.escape(lo)}-{re.escape(hi)}]"
            parts.append(f"(?={guard})" + group(chunk))
        return "(?:" + "|".join(parts) + ")"

    def build(node: dict[str, Any]) -> str:
        branches = [(ch, re.escape(ch) + build(sub)) for ch, sub in sorted(node.items()) if ch]
        end = ""
        if "" in node and ascii_guard and node[""][-1].isascii() and node[""][-1].isalnum():
            end = f"(?![{ALNUM}])"
        if not branches:
            return end
        alt = group(branches)
        return f"(?:{alt}|{end})" if "" in node else alt

    body = build(trie)
    if not body:
        return r"(?!x)x"
    return rf"(?:(?![{ALNUM}])|(?<![{ALNUM}.])){body}" if ascii_guard else body
