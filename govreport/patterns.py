"""One regular expression for a long word list: a trie, so the longest word wins.

Used for the indicator lexicon, the division names and the tokenizer's protected terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # the standard library's regex parser (private, but stable across 3.11–3.13)
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover
    _C = _P = None

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

    if not ascii_guard:
        body = build(trie)
        return body if body else r"(?!x)x"
    # a word starting with an ASCII letter or digit needs no letter, digit or dot before it:
    # checked right after that first character (a look-behind over it), so every branch still
    # opens with its character and the engine skips ahead to where one can start
    branches = [(ch, re.escape(ch) + (f"(?<![{ALNUM}.].)" if ch.isascii() and ch.isalnum() else "") + build(sub))
                for ch, sub in sorted(trie.items()) if ch]
    return group(branches) if branches else r"(?!x)x"


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with, or None when unknown.

    >>> sorted(first_chars(r"(?:参与核算的?)?规(?:模以)?上服务业"))
    ['参', '规']
    >>> first_chars(r"\\d+") is None
    True
    """
    if _P is None:
        return None

    def seq(items) -> tuple[set[str], bool]:
        out: set[str] = set()
        for op, av in items:
            chars, nullable = one(op, av)
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def one(op, av) -> tuple[set[str], bool]:
        if op is _C.LITERAL:
            return {chr(av)}, False
        if op is _C.SUBPATTERN:
            return seq(av[-1])
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            chars, nullable = seq(av[2])
            return chars, nullable or av[0] == 0
        if op is _C.BRANCH:
            out: set[str] = set()
            nullable = False
            for branch in av[1]:
                chars, n = seq(branch)
                out |= chars
                nullable |= n
            return out, nullable
        if op is _C.IN:
            out = set()
            for o, a in av:
                if o is _C.LITERAL:
                    out.add(chr(a))
                elif o is _C.RANGE and a[1] - a[0] < 500:
                    out |= {chr(x) for x in range(a[0], a[1] + 1)}
                else:
                    raise ValueError
            return out, False
        raise ValueError(op)

    try:
        chars, nullable = seq(_P.parse(pattern))
    except (ValueError, TypeError, AttributeError, re.error):
        return None
    return None if nullable or not chars else chars


def literal_prefixes(pattern: str, k: int = 3, limit: int = 64) -> set[str] | None:
    """Strings of at most ``k`` characters, one of which starts every match of ``pattern``;
    None when that cannot be told (character categories, ``.``, flags, a loop whose body can
    match nothing, more than ``limit`` strings). Look-arounds and anchors are skipped: they only narrow the matches,
    so the set may be wider than needed but never misses a match.

    >>> sorted(literal_prefixes(r"(?:参与核算的?)?规(?:模以)?上服务业", 2))
    ['参与', '规上', '规模']
    >>> sorted(literal_prefixes(r"[（(]?PM2\\.5", 2)), literal_prefixes(r"\\d+家")
    (['(P', 'PM', '（P'], None)
    """
    if _P is None:
        return None

    def seq(items, partials: set[str]) -> set[str]:
        for op, av in items:
            if all(len(p) >= k for p in partials):
                break
            partials = one(op, av, partials)
            if len(partials) > limit:
                raise ValueError
        return partials

    def one(op, av, partials: set[str]) -> set[str]:
        done = {p for p in partials if len(p) >= k}
        open_ = partials - done
        if op is _C.LITERAL:
            return done | {p + chr(av) for p in open_}
        if op is _C.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is _C.LITERAL:
                    chars.add(chr(a))
                elif o is _C.RANGE and a[1] - a[0] < limit:
                    chars |= {chr(x) for x in range(a[0], a[1] + 1)}
                else:  # a negated class, a category
                    raise ValueError
            return done | {p + c for p in open_ for c in chars}
        if op is _C.SUBPATTERN:
            if av[1] or av[2]:  # inline flags (?i: …)
                raise ValueError
            return done | seq(av[-1], open_)
        if op is _C.BRANCH:
            out = set(done)
            for branch in av[1]:
                out |= seq(branch, open_)
            return out
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            lo, hi, body = av
            if "" in seq(body, {""}):  # a body that can match nothing: not followed
                raise ValueError
            out, cur, most = set(done), open_, min(hi, k)
            for i in range(most + 1):  # each pass adds a character: k passes decide
                out |= cur if i >= lo else {p for p in cur if len(p) >= k}
                if i < most:
                    cur = seq(body, cur)
            return out
        if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            return partials  # no characters
        raise ValueError(op)

    try:
        parsed = _P.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        found = {p[:k] for p in seq(parsed, {""})}
    except (ValueError, TypeError, AttributeError, re.error):
        return None
    return None if "" in found else found
