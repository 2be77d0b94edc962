"""Sections of a report: where the review, the five-year plan, the targets and the tasks are.

Headings appear as 一、 / （一） / (一) / 1. / Markdown ``##`` (already stripped), as
unmarked short lines (“2026年工作安排”), or inline in a body written on one line.
The top level is the heading style of the first heading that names a kind.

Kinds: ``review`` (past year), ``five_year_review``, ``five_year_plan``, ``targets``
(the passage stating the plan year's main targets), ``tasks`` (plan-year work),
``government`` (政府自身建设) and ``other``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_CN_NUM = "一二三四五六七八九十"
# marker styles, from the usual top level down
_MARKERS = [
    ("cn", re.compile(rf"(?P<n>[{_CN_NUM}]{{1,3}})、")),
    ("paren", re.compile(rf"[（(](?P<n>[{_CN_NUM}]{{1,3}})[）)]")),
    ("arabic", re.compile(r"(?P<n>\d{1,2})[.．、](?!\d)")),
]
_FIVE = r"(?:[“\"‘]?十[一二三四五六]五[”\"’]?|[“\"‘][六七八九十]五[”\"’])"  # 六五 … 十五 only in quotes
_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("government", re.compile(r"政府自身建设|自身建设|人民满意的?(?:服务型)?政府|服务型政府建设|法治政府建设|政府建设")),
    ("five_year_review", re.compile(rf"(?:{_FIVE}|过去五年|五年来)[^\n]{{0,12}}(?:回顾|成就|总结|完成情况|执行情况)")),
    ("review", re.compile(r"回顾|工作总结|过去一年|完成情况")),
    ("five_year_plan", re.compile(rf"{_FIVE}[^\n]{{0,10}}(?:时期|规划|计划(?!执行|完成|实施)|目标|任务)|今后五年|未来五年|第[一二三四五六七八九十]{{1,3}}个五年(?:规划|计划)")),
    ("tasks", re.compile(r"工作安排|目标任务|目标和任务|发展目标|重点工作|主要任务|重点任务|工作任务|总体要求|总体思路|目标要求|为民实事|民生实事|\d{4}年(?:的)?(?:政府)?工作(?!报告|[^\n]{0,14}(?:回顾|总结|情况))|今年工作|工作建议|工作的建议|新的一年")),
]
_TARGET_LIST = re.compile(  # a heading may break inside it (主要预期目标\n是：)
    r"(?:主要|经济社会发展的?|发展的?|今年的?)(?:预期)?目标\s*(?:是|为|安排为|建议为|确定为)?\s*[:：]"
    r"|预期目标\s*(?:是|为|安排为)?\s*[:：，,]|主要目标(?:任务)?\s*(?:是|为)[:：，,]?|预期增长|(?:主要计划|(?:计划|发展)的主要)指标\s*(?:是|为|安排为)?\s*[:：]"
)


_TARGET_END = re.compile(r"(?:为实现|为完成|围绕|根据|实现)上述(?:目标|思路)|重点(?:做好|抓好)|做好以下|要实现上述")


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    kind: str
    start: int
    end: int


@lru_cache(maxsize=16384)
def heading_kind(heading: str) -> str | None:
    """The kind a heading names, or None.

    >>> heading_kind("一、“十四五”时期及2025年工作回顾"), heading_kind("“十五五”时期主要目标任务")
    ('review', 'five_year_plan')
    >>> heading_kind("2026年工作安排"), heading_kind("四、全面加强政府自身建设")
    ('tasks', 'government')
    """
    hits = [(m.start(), i, kind) for i, (kind, rule) in enumerate(_KIND_RULES) if (m := rule.search(heading))]
    if not hits:
        return None
    kind = min(hits)[2]  # the kind named first (inline headings run into their body)
    if kind == "five_year_review" and re.search(r"\d{4}年", heading[:24]):
        return "review"  # “十四五”时期及2025年工作回顾: both; horizon is decided clause by clause
    return kind


# a line (searched as \n + line in \n + text: the scan jumps from line to line) that starts
# with a marker (the first style whose marker matches) or is at most 40 characters long
_LINE_CANDIDATE = re.compile(
    r"\n(?:" + "|".join(f"(?P<{style}>{pat.pattern})".replace("(?P<n>", "(?:") for style, pat in _MARKERS)
    + r"|(?P<short>[^\n]{1,40})(?![^\n]))"
)
_PLAIN_END = re.compile(r"[。；;，,！!？?：:的和与及、]$")
# 一、 after a full stop (the stop is matched, not looked behind: the scan then jumps to stops)
_INLINE_HEAD = re.compile(rf"[。！!？?；;:：][ ]*(?P<h>[{_CN_NUM}]{{1,3}}、)")


def _candidates(text: str) -> list[tuple[int, str, str]]:
    """(position, style, heading text) of every heading-like place."""
    out: list[tuple[int, str, str]] = []
    for m in _LINE_CANDIDATE.finditer("\n" + text):
        pos, style = m.start(), m.lastgroup or ""  # m.start() in "\n" + text is the line start in text
        if style == "short":
            line = m.group("short")
            if line.strip() and not _PLAIN_END.search(line) and "工作报告" not in line and heading_kind(line):
                out.append((pos, "plain", line))
        else:
            end = text.find("\n", pos)
            out.append((pos, style, _heading_text(text[pos : end if end >= 0 else len(text)])))
    # inline headings in one-line bodies: 一、 after a full stop
    for m in _INLINE_HEAD.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.start())
        if (line_end if line_end >= 0 else len(text)) - line_start > 400:  # a body written on one line
            out.append((m.start("h"), "cn", _heading_text(text[m.start("h") : m.start("h") + 40])))
    out.sort()
    return out


def _heading_text(line: str) -> str:
    return re.split(r"[。！!？?]", line, maxsplit=1)[0][:40]


def _number(heading: str) -> int | None:
    m = re.match(rf"[（(]?([{_CN_NUM}]{{1,3}}|\d{{1,2}})", heading)
    if not m:
        return None
    s = m.group(1)
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM.index(s[1]) + 1
    if len(s) == 2 and s[1] == "十":
        return (_CN_NUM.index(s[0]) + 1) * 10
    if len(s) == 3:
        return (_CN_NUM.index(s[0]) + 1) * 10 + _CN_NUM.index(s[2]) + 1
    return _CN_NUM.index(s[0]) + 1


def find_sections(text: str, plan_year: int | None = None) -> list[Section]:
    """Top-level sections of a report covering the whole text, with the targets passage split out."""
    cands = _candidates(text)
    named = Counter(style for _, style, h in cands if heading_kind(h))
    # numbered 一、 headings that name two kinds or more outrank stray unmarked lines
    order = ("cn", "plain", "paren", "arabic") if named["cn"] >= 2 else ("plain", "cn", "paren", "arabic")
    top_style = next((s for s in order if named[s]), None)
    heads: list[tuple[int, str]] = []
    if top_style is not None:
        expected = 1
        for pos, style, h in cands:
            if style != top_style:
                continue
            if style == "plain":
                heads.append((pos, h))
                continue
            n = _number(h)
            if n == expected or (n is not None and n == expected + 1 and (heads or n == 2)):
                heads.append((pos, h))
                expected = n + 1
            elif n == 1 and heads and heading_kind(h):
                continue
    sections: list[Section] = []
    bounds = [(0, "")] + heads if not heads or heads[0][0] > 0 else heads
    kind_prev = "other"
    seen_review = False
    for i, (pos, h) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        kind = heading_kind(h) if h else None
        if kind == "tasks" and plan_year and f"{plan_year - 1}年" in h[:16] and f"{plan_year}年" not in h:
            kind = "review"  # 一、关于1985年的工作 in a 1986 report: the year under review
        if kind is None and h and plan_year and f"{plan_year}年" in h[:16]:
            kind = "tasks"  # 三、2017年…: a heading naming the plan year opens plan-year work
        if kind is None and h:
            kind = _opening_kind(text[pos + len(h) : pos + len(h) + 120], plan_year)
        if kind is None:
            kind = kind_prev if h and seen_review else "other"
        if kind == "other" and i == 0 and end - pos > 1500 and re.search(r"工作回顾|过去一年|一年来", text[pos : pos + 400]):
            kind = "review"  # a review that starts without a numbered heading
        if kind in ("review", "five_year_review"):
            seen_review = True
        sections.append(Section(i, h, kind, pos, end))
        kind_prev = kind
    return _split_targets(text, sections, plan_year)


def _opening_kind(opening: str, plan_year: int | None) -> str | None:
    """The kind a section's first sentences name when its heading names none
    (一、一年接着一年干… / 2025年是“十四五”收官之年。一年来…).

    >>> _opening_kind("2025年是“十四五”收官之年。一年来，我们…", 2026), _opening_kind("“十五五”时期是关键时期", 2026)
    ('review', 'five_year_plan')
    """
    first = re.split(r"[。！？!?]", opening.lstrip(), maxsplit=2)
    head = "。".join(first[:2])
    if re.search(r"一年来|过去一年|刚刚过去的|收官之年", head):
        return "review"
    plan = re.match(r"[“\"‘]?(十[一二三四五六]五)[”\"’]?时期|[“\"‘]([六七八九十]五)[”\"’]时期", head)
    if plan and plan_year:
        from .indicators import _FIVE_NAME

        a, b = _FIVE_NAME.get(plan.group(1) or plan.group(2), (0, 0))
        return "five_year_plan" if b >= plan_year else "five_year_review"
    if plan_year and re.match(rf"(?:{plan_year}年|今年)是", head):
        return "tasks"
    return None


def _target_match(text: str, sec: Section, i: int, plan_year: int | None, alone: bool) -> re.Match[str] | None:
    if sec.kind in ("tasks", "other") and not (sec.kind == "other" and i == 0):
        return _TARGET_LIST.search(text, sec.start, sec.end)
    if (sec.kind in ("review", "five_year_plan") or alone) and plan_year:
        # a plan-year list inside a review, a five-year plan section, or an unheaded text
        for m in _TARGET_LIST.finditer(text, sec.start, sec.end):
            near = text[max(sec.start, m.start() - 16) : m.start()]
            if re.search(rf"{plan_year}年|今年", near):
                return m
            # in a plan section: a list not named for the plan, after a paragraph on this year
            if (sec.kind == "five_year_plan" and not re.search(r"十[一二三四五六]五|[六七八九]五[”\"’]|五年|规划|计划|(?:19|20)\d\d年", near)
                    and re.search(rf"{plan_year}年|今年", text[max(sec.start, m.start() - 600) : m.start()])):
                return m
    return None


def _list_end(text: str, start: int, limit: int) -> int:
    """End of a target list: its paragraph, and following lines while the list goes on
    (a line ending in ：/；/， followed by one that is not a heading)."""
    pos = start
    while True:
        nl = text.find("\n", pos, limit)
        if nl < 0:
            return limit
        nxt = text[nl + 1 : nl + 12]
        if text[nl - 1 : nl] in "：:；;，," and text[nl - 1 : nl] and not re.match(rf"[{_CN_NUM}]{{1,3}}、|[（(][{_CN_NUM}]", nxt):
            pos = nl + 1
            continue
        return nl


def _split_targets(text: str, sections: list[Section], plan_year: int | None) -> list[Section]:
    """Cut the plan year's main-target passage out of its section as a ``targets`` section."""
    for i, sec in enumerate(sections):
        alone = len(sections) == 1
        m = _target_match(text, sec, i, plan_year, alone)
        if not m:
            continue
        para_start = max(text.rfind("\n", sec.start, m.start()) + 1, sec.start)
        sentence_start = max(text.rfind(c, para_start, m.start()) for c in "。！？!?；;") + 1
        para_start = max(para_start, sentence_start)  # the sentence that opens the target list
        limit = min(sec.end, m.end() + 1500)
        stop = _TARGET_END.search(text, m.end(), limit)
        para_end = min(stop.start() if stop else limit, _list_end(text, m.end(), limit))
        pieces = []
        if para_start > sec.start:  # in a text without headings, what precedes the targets is the review
            pieces.append(Section(0, sec.heading, "review" if alone and sec.kind == "other" else sec.kind, sec.start, para_start))
        pieces.append(Section(0, "主要预期目标", "targets", para_start, para_end))
        if text[para_end : sec.end].strip():
            pieces.append(Section(0, sec.heading, "tasks", para_end, sec.end))
        out = sections[:i] + pieces + sections[i + 1 :]
        return [Section(n, s.heading, s.kind, s.start, s.end) for n, s in enumerate(out)]
    return sections
