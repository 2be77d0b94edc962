"""Split a normalised text into reports, recognised by their shape.

A report begins at a title line (…政府工作报告, possibly behind a bullet or a
【site tag】) or, when it has no title, at its 各位代表 opening. Text before the first
report and web leftovers after the last one are dropped.

>>> text = "首页\\n• 2021年甲县政府工作报告\\n各位代表：\\n一、2020年工作回顾\\n增长5%。\\n"
>>> text += "• 2021年乙县政府工作报告\\n各位代表：\\n过去一年，增长6%。\\n联系我们\\n"
>>> [(p.title, text[p.start:p.end].count("各位代表")) for p in split_reports(text)]
[('2021年甲县政府工作报告', 1), ('2021年乙县政府工作报告', 1)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TITLE = re.compile(
    r"(?m)^[ \t•·●○■□◆◇▪\-*>#]*(?:【[^】\n]{0,20}】)?[ ]*"
    r"(?P<title>[^\n。；;！!？?]{0,40}?(?:政府|(?:街道|办事处)[^\n。；;！!？?党]{0,10}?)工作报告(?:[（(](?:摘要|全文|节选|摘登|文字实录)[)）])?)"
    r"[ ]*(?:[—-]{1,2}[^\n]{0,60})?$"
)
_NOT_TITLE = re.compile(r"作|听取|审议|解读|图解|关于|学习|讨论|热议|一图读懂|起草")
_OPENING = re.compile(r"(?m)^(?:各位代表[:：!！,，]\n?)?现在[，,]?我代表")
_REPORT_SHAPE = re.compile(r"各位代表|工作回顾|主要预期目标|政府工作报告|(?:街道|办事处)[^\n。党]{0,10}?工作报告|过去一年|今年工作|工作安排|主要目标")
_HEADER = re.compile(r"代表大会|工作报告")
_FIRST_PERSON = re.compile(r"各位代表|我代表|向大会报告")
_NEWS = re.compile(r"本报讯|记者|通讯员|责任编辑|新华社|据悉|报告指出|报告提出|报告回顾|作政府工作报告|作《政府工作报告》")
_CAPTION = re.compile(r"作[^。\n]{0,4}工作报告|摄$|摄[（(]|记者|开幕|新华社|电$")
_WEB_MARKER = re.compile(
    r"点我投稿|我要投稿|联系我们|版权所有|免责声明|用户协议|服务条款|隐私政策|ICP备|共\s*\d+\s*页|上一篇|下一篇|"
    r"相关阅读|相关新闻|扫一扫|关注我们|网站地图|热线|友情链接"
)
_TABLE_ROW = re.compile(r"\d")  # a short trailing line with a figure may be a row of a table


def _names_an_indicator(line: str) -> bool:
    from .lexicon import lexicon_matches

    return next(lexicon_matches(line), None) is not None


_WEB_WORDS = re.compile(r"本协议|用户|本站|网站|投稿|版权|侵权|服务条款|违约责任|账号|注册|转载|园区网|咨询")


@dataclass(frozen=True)
class Part:
    """A report's span ``[start, end)`` in the normalised text, and its title line."""

    start: int
    end: int
    title: str = ""


def _title_lines(text: str) -> Iterator[re.Match[str]]:
    """``_TITLE.finditer(text)``, tried only on the lines that hold 工作报告 (a title line holds
    it: 政府工作报告, or a 街道's 街道办事处2023年工作报告; a match never runs past its line)."""
    pos = text.find("工作报告")
    while pos >= 0:
        m = _TITLE.match(text, text.rfind("\n", 0, pos) + 1)
        if m:
            yield m
        end = text.find("\n", pos)
        pos = text.find("工作报告", end) if end >= 0 else -1


def _title_starts(text: str) -> list[tuple[int, str]]:
    out = []
    for m in _title_lines(text):
        title = m.group("title").strip(" ：:")
        if _NOT_TITLE.search(title.replace("工作报告", "")):
            continue
        out.append((m.start(), title))
    return out


def _trim_tail(text: str, start: int, end: int) -> int:
    """End of the report body: web markers and short or web-worded trailing lines go."""
    body = text[start:end]
    half = len(body) // 2
    for m in _WEB_MARKER.finditer(body):
        line_start = body.rfind("\n", 0, m.start()) + 1
        line_end = body.find("\n", m.end())
        line = body[line_start : line_end if line_end >= 0 else len(body)]
        if m.start() >= half and len(line) < 80:
            body = body[:line_start]
            break
    body = body.rstrip("\n")
    end = len(body)  # trailing lines go from the end, while another line is left
    while (cut := body.rfind("\n", 0, end)) >= 0:
        last = body[cut + 1 : end].strip()
        if _TABLE_ROW.search(last) and _names_an_indicator(last) and not _WEB_WORDS.search(last):
            break  # a row of the report's own table (地区生产总值增长 % 7左右): the body goes on to here
        if not last or len(last) < 30 and not re.search(r"[。！!]$", last) or _WEB_WORDS.search(last):
            end = cut
            continue
        break
    return start + end


def _is_header(gap: str) -> bool:
    """Whether the text between a title line and an opening is only a header.

    Short lines (date and session line, speaker, a caption or news line about the
    report) and no report body: no paragraph, no numbered heading.

    >>> _is_header("2026年甲市政府工作报告\\n——2026年1月5日在甲市第九届人民代表大会上\\n市长王某作政府工作报告。\\n")
    True
    >>> _is_header("2026年甲市政府工作报告\\n一、过去一年工作回顾\\n全市经济增长5%。\\n")
    False
    """
    lines = [ln.strip() for ln in gap.split("\n")[1:] if ln.strip()]
    return (
        len(gap) < 600
        and all(len(ln) < 60 or len(ln) < 200 and _CAPTION.search(ln) for ln in lines)
        and not any(re.match(r"[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分", ln) for ln in lines)
    )


def is_report(text: str) -> bool:
    """Whether a text has the shape of a government work report.

    >>> is_report("各位代表：现在，我代表市人民政府向大会报告工作。一、过去一年工作回顾……")
    True
    >>> is_report("本报讯 记者昨日从市统计局获悉，全市经济运行平稳。")
    False
    >>> is_report("本报讯 市长代表市人民政府作政府工作报告。报告回顾了过去一年的工作，提出主要预期目标。")
    False
    """
    if _NEWS.search(text[:3000]) and not _FIRST_PERSON.search(text):
        return False  # a news story about a report, not the report
    hits = {m.group(0) for m in _REPORT_SHAPE.finditer(text)}
    return len(hits) >= 2 or ("各位代表" in hits and len(text) > 200)


def split_reports(text: str) -> list[Part]:
    """Spans of the reports a text holds, in order (an empty list: no report found)."""
    starts = _title_starts(text)
    titled = {pos for pos, _ in starts}
    # reports without a title line start at their opening (现在，我代表…)
    for m in _OPENING.finditer(text):
        before = [p for p in titled if p <= m.start()]
        if not before or not re.search(r"各位代表|现在[，,]?我代表", text[max(before) : m.start()]):
            starts.append((m.start(), ""))
    starts.sort()
    # a headless report (the text before the first start is itself report-shaped), or a header
    # (date and session line, speaker) standing above an opening without a title line
    if starts and starts[0][0] > 0:
        head = text[: starts[0][0]]
        if is_report(head) or (not starts[0][1] and len(head) < 400 and _HEADER.search(head)):
            starts.insert(0, (0, ""))
    if not starts:
        return [Part(0, _trim_tail(text, 0, len(text)))] if is_report(text) else []
    # title lines close together (title, subtitle, date) belong to one report; so does an
    # opening below a title when only header lines (date, speaker, a photo caption) separate them
    merged: list[tuple[int, str]] = []
    for pos, title in starts:
        gap = text[merged[-1][0] : pos] if merged else ""
        if merged and (
            pos - merged[-1][0] < 200 and not re.search(r"[。!！]", gap)
            or not title and _is_header(gap) and (merged[-1][1] or not _FIRST_PERSON.search(gap))
        ):
            if not merged[-1][1]:
                merged[-1] = (merged[-1][0], title)
            continue
        merged.append((pos, title))
    parts = []
    for i, (pos, title) in enumerate(merged):
        end = merged[i + 1][0] if i + 1 < len(merged) else len(text)
        end = _trim_tail(text, pos, end)
        chunk = text[pos:end]
        if title or is_report(chunk):
            parts.append(Part(pos, end, title))
    return _drop_repeats(text, _join_running_titles(text, parts))


def _join_running_titles(text: str, parts: list[Part]) -> list[Part]:
    """A report's title repeated at a page break (a running header) continues that report.

    The repeat has no opening (各位代表, 我代表) and no session line of its own; a copy of
    the whole report has both and is left to :func:`_drop_repeats`.
    """
    out: list[Part] = []
    for p in parts:
        chunk = text[p.start : p.end]
        if (out and p.title and re.sub(r"\s+", "", p.title) == re.sub(r"\s+", "", out[-1].title)
                and not _FIRST_PERSON.search(chunk) and not re.search(r"人民代表大会", chunk[:300])):
            out[-1] = Part(out[-1].start, p.end, out[-1].title)
        else:
            out.append(p)
    return out


_KEY_CHARS = 400


def _header_and_body(text: str, part: Part) -> tuple[str, str]:
    """A report's header (below its title line) and the first characters of its body (from
    its opening), whitespace removed."""
    chunk = text[part.start : part.end]
    m = _OPENING.search(chunk) or re.search(r"各位代表", chunk)
    at = m.start() if m else 0
    head = chunk[:at].split("\n", 1)[1] if part.title and "\n" in chunk[:at] else ("" if part.title else chunk[:at])
    squash = re.compile(r"\s+")
    return squash.sub("", head), squash.sub("", chunk[at:])[:_KEY_CHARS]


def _drop_repeats(text: str, parts: list[Part]) -> list[Part]:
    """One report per body: a page printed twice (a page-1 repeat) is not a second report.

    Parts whose bodies begin alike (the first 400 characters, or all of the shorter one)
    and whose headers agree (one holds the other; a missing header agrees) are copies;
    the longest copy is kept, with the first title among them.
    """
    if len(parts) < 2:
        return parts
    heads, keys = zip(*(_header_and_body(text, p) for p in parts), strict=True)
    heads, keys = list(heads), list(keys)

    def same(i: int, k: int) -> bool:
        a, b = keys[i], keys[k]
        return (min(len(a), len(b)) >= 100 and (a.startswith(b) or b.startswith(a))
                and (heads[i] in heads[k] or heads[k] in heads[i]))

    keep: list[int] = []
    for i in range(len(parts)):
        twin = next((k for k in keep if same(i, k)), None)
        if twin is None:
            keep.append(i)
            continue
        first, this = parts[twin], parts[i]
        if this.end - this.start > first.end - first.start:
            keep[keep.index(twin)] = i
            parts[i] = Part(this.start, this.end, this.title or first.title)
            keys[i] = max(keys[i], keys[twin], key=len)
            heads[i] = max(heads[i], heads[twin], key=len)
    return [parts[i] for i in sorted(keep)]
