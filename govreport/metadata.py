"""Report metadata: region, level, parent, codes, years, date, session and speaker.

Read from the header (“——2026年1月27日在平阴县第十九届人民代表大会第六次会议上”,
“平阴县县长 张小帆”) and the title; when the header is missing, inferred from the body
(the unit the report keeps naming, the years it reviews and plans). A field the text
does not settle stays empty.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache

from . import divisions
from .numbers import DATE_RE, cn_to_number, parse_date

_CN = "\u4e00-\u9fff"
_OPENING = re.compile(r"各位代表[:：!！,，]?\s*现在[，,]?\s*我代表|现在[，,]\s*我代表|各位代表[:：]")
SESSION_RE = re.compile(
    r"第[一二三四五六七八九十\d]{1,3}届(?:全国)?(?:人民|居民)代表大会(?:常务委员会)?第[一二三四五六七八九十\d]{1,3}次(?:全体)?会议"
)
_PLACE_RE = re.compile(
    rf"在(?P<place>[{_CN}]{{2,24}}?)第[一二三四五六七八九十\d]{{1,3}}届(?:人民|居民)代表大会"
)
UNIT_RE = re.compile(
    rf"[{_CN}]+?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|盟|地区|区|县|旗|林区|镇|乡|街道|苏木)"
)
_TITLES = r"(?:代理|代)?(?:省长|自治区主席|(?<=政府)主席|市长|州长|盟长|专员|区长|县长|旗长|镇长|乡长|主任|总理)"
_SPEAKER_SAID = re.compile(rf"(?P<title>{_TITLES})(?P<name>[{_CN}]{{2,3}})(?=在[^。\n]{{0,30}}(?:会议|大会)上?作[^。\n]{{0,6}}报告)")
# a caption or news line: 省长某某某作政府工作报告 (also 向大会作…报告; the name may repeat when a
# speaker line ran into the caption below it: 县长王某王某作政府工作报告)
_SPEAKER_NEWS = re.compile(
    rf"(?P<title>{_TITLES})[?？]?(?P<name>[{_CN}]{{1,6}}·[{_CN}]{{1,8}}|[{_CN}]{{2,3}}?)(?:(?P=name))?"
    rf"(?:代表[{_CN}]{{0,8}}人民政府|在[^。\n]{{0,24}}?(?:会议|大会|会)上)?(?:向大会)?作[^。\n]{{0,4}}工作报告"
)
_CAPTION_LINE = re.compile(r"开幕|召开|摄|记者|新华社|^\d{1,2}月\d{1,2}日")
_WIDGET_WORDS = re.compile(r"大中小|字号|打印|关闭|分享|收藏|下载|全屏|还原|加大|减小|首页|来源|时间|日期|浏览|点击")
_SPEAKER_RE = re.compile(rf"(?P<unit>[{_CN}]*?)(?:人民政府)?(?P<title>{_TITLES})[ ;；:：,，?？]*(?P<name>[{_CN}]{{1,6}}·[{_CN}]{{1,8}}|[{_CN}]{{2,4}})$")
_LEADER = re.compile(rf"在([{_CN}]{{2,8}}?(?:市|县|区|旗))委[、，,]")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)$")
# \d{4}年… written 年(?<=(?P<y>\d{4})年)…: the same matches (only the year is used), found from 年
_REVIEW_HEAD = re.compile(r"年(?<=(?P<y>\d{4})年)(?:[^\n。]{0,24}?)(?:工作)?(?:回顾|总结)")
_PLAN_HEAD = re.compile(r"年(?<=(?P<y>\d{4})年)(?:的)?(?:政府)?(?:工作|主要|重点|经济社会发展)[^\n。]{0,12}?(?:安排|任务|目标|要求|思路)")
_LEVEL_CHAR = re.compile(r"我代表(?P<unit>[^，,。\n]{0,12}?)(?P<c>省|市|区|县|旗|州|镇|乡|街道)人民政府")


#: Region name used for the State Council's report to the National People's Congress.
COUNTRY = "中华人民共和国"
_NATIONAL = re.compile(r"在第[一二三四五六七八九十]{1,3}届全国人民代表大会")
_STATE_COUNCIL = re.compile(r"我代表国务院")
# where running prose names the reporting government itself: 中共X委, 在X委…领导下, X人民政府,
# X人民代表大会; a name counts there only with its suffix (资源, 和平, 高新 in prose never do)
_GOV_SPOT = re.compile(
    rf"(?:中共|在)(?P<a>[{_CN}]{{2,16}}?(?:省|市|区|县|旗|州|盟))委|"
    rf"(?P<b>[{_CN}]{{2,16}}?(?:省|市|区|县|旗|州|盟))(?:人民政府|人民代表大会|人大常委会|政协)"
)


# every _GOV_SPOT match ends in one of these and starts at most 19 characters before it
_GOV_ANCHOR = re.compile("委|人民政府|人民代表大会|政协")


def _gov_spots(text: str) -> Iterator[re.Match[str]]:
    """``_GOV_SPOT.finditer(text)``, run only around its anchor words: the pattern may start at
    any hanzi and is slow over a whole text. The windows hold every match and are disjoint, so
    the matches are the same, in the same order."""
    windows: list[list[int]] = []
    for m in _GOV_ANCHOR.finditer(text):
        lo, hi = max(m.start() - 24, 0), min(m.end() + 8, len(text))
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from _GOV_SPOT.finditer(text, lo, hi)


@dataclass
class Metadata:
    region: str = ""
    level: str = ""
    parent: str = ""
    province: str = ""
    adcode: str = ""
    year: int | None = None
    review_year: int | None = None
    plan_year: int | None = None
    date: str = ""
    speaker: str = ""
    title: str = ""
    session: str = ""
    speaker_title: str = ""
    notes: list[str] = field(default_factory=list)  # warnings about the reading (not a column)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # asdict without its deep copies


def header_of(text: str) -> str:
    """The text before the 各位代表 / 现在，我代表 opening (at most 400 characters)."""
    m = _OPENING.search(text[:1500])
    return text[: m.start()] if m and m.start() <= 400 else text[:300]


def units(place: str) -> list[str]:
    """Split a place name into administrative units.

    >>> units("济南市市中区"), units("垦利区胜坨镇"), units("冠县")
    (['济南市', '市中区'], ['垦利区', '胜坨镇'], ['冠县'])
    """
    return list(_units(place))


@lru_cache(maxsize=4096)  # a region's name recurs in its reports of every year; the table is fixed
def _units(place: str) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(place):
        known = next(
            (place[i:j] for j in range(len(place), i + 1, -1)
             if (d := divisions.resolve(place[i:j])) is not None and d.name == place[i:j]),
            None,
        )  # a division's full name (金乡县, not 金乡 + 县)
        m = None if known else UNIT_RE.match(place, i)
        piece = known or (m.group(0) if m else None)
        if piece is None:
            break
        out.append(piece)
        i += len(piece)
    return tuple(out)


def _clean_title(title: str) -> str:
    return re.sub(r"^[^\w【]*(?:【[^】]*】)?", "", title).strip()


def parse_speaker(segment: str) -> tuple[str, str]:
    """``(speaker, speaker_title)`` from the line(s) between the header and the opening.

    >>> parse_speaker("平阴县县长 张小帆"), parse_speaker("济南市历城区区长;曹殿军"), parse_speaker("盖红旗")
    (('张小帆', '县长'), ('曹殿军', '区长'), ('盖红旗', ''))
    """
    seg = re.sub(r"\s+", "", segment)
    m = _SPEAKER_RE.search(seg)
    if m:
        return m.group("name"), m.group("title")
    if re.fullmatch(rf"[{_CN}·]{{2,4}}", seg) and not re.search(r"政府|报告|会议|代表", seg) and not _WIDGET_WORDS.search(seg):
        return seg, ""
    return "", ""


# a line that dates a dispatch or a web page, not the delivery (新华社北京3月14日电, 发布时间, 07时41分)
_DISPATCH = re.compile(r"新华社|电$|时间|发布|来源|更新|编辑|\d{1,2}[时:：]\d{1,2}")
_DELIVERY = re.compile(rf"(?:{DATE_RE.pattern})[ ]*[在于][^\n]{{0,40}}?(?:会议|大会)")
# a header line holding only a date, in brackets or after a dash: （一九八八年四月十二日）, the
# printed form of the delivery date (a bare date line may be a web page's and is not read)
_DATE_LINE = re.compile(rf"^[ ]*(?:—{{1,2}}|[（(])[ ]*(?:{DATE_RE.pattern})[ ]*[)）]?[ ]*$", re.M)
# a header line holding only a date without brackets (2024年1月10日): read only when it fits the
# report's year and the header shows no web page (a page's own date line looks the same)
_BARE_DATE_LINE = re.compile(rf"^[ ]*(?:{DATE_RE.pattern})[ ]*$", re.M)
# where the header ends at the latest: the first section heading (一、…, 第一部分)
_FIRST_SECTION = re.compile(r"^[ ]*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]{1,3}部分)", re.M)
_CN_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_CAPTION_DATE = re.compile(
    rf"(?m)^[^\n。]{{0,20}}?(?P<m>{_CN_DAY})月(?P<d>{_CN_DAY})日[，,]?[^。\n]{{0,40}}?(?:人民代表大会|人代会)"
    rf"[^。\n]{{0,40}}?(?:开幕|召开|举行)"
)


def delivery_date(head: str, text: str = "", year: int | None = None) -> str:
    """The date the report was delivered, as ``YYYY-MM-DD`` (``""`` when the text never says).

    From the "——…年…月…日在…会议上" line, else a date in a header that names the session
    (never a dispatch line or a web page's publication time), else a dated line in brackets or
    after a dash, else (with the report's ``year``) a bare date line in the header that fits
    the year (:func:`_bare_date`), else a photo caption or news line "3月5日，…人民代表大会…开幕".

    >>> delivery_date("新华社北京3月14日电\\n政府工作报告\\n——二〇一四年三月五日在第十二届全国人民代表大会第二次会议上")
    '2014-03-05'
    >>> delivery_date("2026年02月10日07时41分\\n2026年2月3日在甲省第十四届人民代表大会第五次会议上")
    '2026-02-03'
    >>> delivery_date("政府工作报告", "正文。\\n3月5日，第九届全国人民代表大会第四次会议在北京开幕。\\n", 2020)
    '2020-03-05'
    >>> delivery_date("临安县人民政府工作报告\\n（一九八八年四月十二日）"), delivery_date("——二〇一〇年元月十八日在甲县第三届人民代表大会第三次会议上")
    ('1988-04-12', '2010-01-18')
    """
    head = head.replace("元月", "一月")  # 元月 is January
    m = _DELIVERY.search(head)
    if m:
        return parse_date(m.group(0))
    if re.search(r"会议|人民代表大会", head):
        for line in head.split("\n"):
            date = "" if _DISPATCH.search(line) else parse_date(line)
            if date:
                return date
    m = _DATE_LINE.search(head)
    if m and (date := parse_date(m.group(0))):
        return date
    if year and (date := _bare_date(head, year)):
        return date
    if year:
        for c in _CAPTION_DATE.finditer(text):
            end = text.find("\n", c.start())
            line = text[c.start() : end if end >= 0 else len(text)]
            if not re.search(r"开幕|作[^。\n]{0,6}工作报告", line):
                continue  # a meeting the report recounts, not the one it was delivered at
            date = parse_date(f"{year}年{c.group('m')}月{c.group('d')}日")
            if date:
                return date
    return ""


def _bare_date(head: str, year: int) -> str:
    """A header line holding only a date (2024年1月10日), when it can be the delivery date of a
    report of ``year``: January to March of that year, or November and December of the year
    before. Not read when the header shows a web page (来源, 发布, 浏览, 字号 …): its date line
    would be the page's.

    >>> _bare_date("2024年甲县政府工作报告\\n2024年1月10日", 2024), _bare_date("2024年甲县政府工作报告\\n2024年6月1日", 2024)
    ('2024-01-10', '')
    >>> _bare_date("甲县政府工作报告\\n2023年12月28日", 2024), _bare_date("甲县政府工作报告\\n来源：甲县政府\\n2024年1月15日", 2024)
    ('2023-12-28', '')
    """
    cut = _FIRST_SECTION.search(head)
    head = head[: cut.start()] if cut else head
    if _DISPATCH.search(head) or _WIDGET_WORDS.search(head):
        return ""
    for m in _BARE_DATE_LINE.finditer(head):
        date = parse_date(m.group(0))
        if not date:
            continue
        y, month = int(date[:4]), int(date[5:7])
        if y == year and month <= 3 or y == year - 1 and month >= 11:
            return date
    return ""


def _speaker_from_news(head: str, text: str) -> tuple[str, str]:
    """A caption or news line naming who delivered the report: 省长某某作政府工作报告, in the
    header or, in the body, on a caption line (开幕, 摄, 记者 …), never in running prose."""
    m = _SPEAKER_NEWS.search(re.sub(r"[ \u3000]+", "", head))
    if m is None:
        lines = (ln for ln in text.split("\n") if len(ln) < 200 and "工作报告" in ln and _CAPTION_LINE.search(ln))
        m = next((x for ln in lines if (x := _SPEAKER_NEWS.search(re.sub(r"[ \u3000]+", "", ln)))), None)
    return (m.group("name"), m.group("title")) if m else ("", "")


def _years(text: str) -> tuple[int | None, int | None]:
    review = next((int(m.group("y")) for m in _REVIEW_HEAD.finditer(text[:20000])), None)
    plan = next((int(m.group("y")) for m in _PLAN_HEAD.finditer(text) if not review or int(m.group("y")) > review), None)
    return review, plan


def _division_fields(meta: Metadata, div: divisions.Division) -> None:
    meta.region, meta.level, meta.adcode = div.name, div.level, div.code
    meta.province = div.province_name or (div.name if div.level == "province" else "")
    meta.parent = div.parent_name or ""
    meta.adcode, note = adcode_for_year(div, meta.year)
    if note:
        meta.notes.append(note)


def adcode_for_year(div: divisions.Division, year: int | None) -> tuple[str, str]:
    """``(adcode, warning)`` of a report of ``year`` by ``div``: its code when the code lists
    have it that year (a renamed unit keeps its code, with a warning), else empty, with a
    warning (哲里木盟 in 2005: its code 152300 ended in 1998).

    >>> adcode_for_year(divisions.resolve("哲里木盟", 2005), 2005)[0], adcode_for_year(divisions.resolve("哲里木盟", 1995), 1995)
    ('', ('152300', ''))
    """
    note = divisions.year_note(div, year)
    if not note:
        return div.code, ""
    if divisions.code_in_use(div.code, year):
        return div.code, f"{note}: adcode {div.code} kept (the code carried over)"
    return "", f"{note}: adcode left empty"


def extract_metadata(text: str, title: str = "") -> Metadata:
    """Metadata of one report from its normalised text (and its title line, if any)."""
    meta = Metadata()
    head = header_of(text)
    raw_title = title
    title = _clean_title(title or next((ln for ln in head.split("\n") if "工作报告" in ln), ""))
    meta.title = title
    session = SESSION_RE.search(head)
    meta.session = session.group(0) if session else ""
    meta.date = delivery_date(head)

    # years
    year = int(meta.date[:4]) if meta.date else None
    if year is None:
        m = re.search(r"(\d{4}|[〇○零一二三四五六七八九]{4})年|^(\d{4})(?=[^\d年])", title)
        year = int(cn_to_number(m.group(1) or m.group(2)) or 0) or None if m else None
    review, plan = _years(text)
    if year is None:
        if plan:
            year = plan
        elif review:
            year = review + 1
    meta.year = year
    if not meta.date:
        meta.date = delivery_date(head, text, year)
    meta.review_year = review if review and year and year - 2 <= review <= year else (year - 1 if year else None)
    meta.plan_year = year
    # a session in November or December plans the year ahead: year is the delivery's, plan_year the next
    if meta.date and year and int(meta.date[:4]) == year - 1:  # (year came from the plan, see _bare_date)
        meta.year = year - 1
    elif meta.date and year and plan == year + 1 and int(meta.date[5:7]) >= 11:
        meta.plan_year = plan

    # speaker: between the session line and the opening
    after = head[session.end() :] if session else head
    after = re.sub(r"^[上）)]*", "", after.split("会议上")[-1])
    lines = [ln for ln in after.split("\n") if ln.strip()]
    meta.speaker, meta.speaker_title = parse_speaker("".join(lines[-2:]) if lines else "")
    if not meta.speaker:  # 宝应县县长孙某某在县十七届人大一次会议上作报告
        said = _SPEAKER_SAID.search(head[:300])
        if said:
            meta.speaker, meta.speaker_title = said.group("name"), said.group("title")
    if not meta.speaker:  # the speaker's line may stand above the date line
        for line in head.split("\n")[:6]:
            name, role = parse_speaker(line) if _SPEAKER_RE.search(re.sub(r"\s+", "", line)) else ("", "")
            if name:
                meta.speaker, meta.speaker_title = name, role
                break
    if not meta.speaker:
        meta.speaker, meta.speaker_title = _speaker_from_news(head, text)

    # region
    place_m = _PLACE_RE.search(head)
    place_units = units(place_m.group("place")) if place_m else []
    title_core = re.sub(r"\d{4}年|[（(].*?[)）]|(?:人民政府|政府|办事处)?工作报告.*$", "", title)
    title_units = units(title_core)
    tag = re.search(r"【([^】]*?)(?:招商|政府|发布|新闻)?】", raw_title + head)
    tag_units = units(tag.group(1)) if tag else []
    chain = place_units or title_units
    if place_units and len(title_units) > len(place_units) and title_units[-1] == place_units[-1]:
        chain = title_units  # 2019年垦利区胜坨镇政府工作报告 names the parent too
    if not chain and meta.speaker_title:
        unit_m = _SPEAKER_RE.search(re.sub(r"\s+", "", "".join(lines[-2:]))) if lines else None
        chain = units(unit_m.group("unit")) if unit_m and unit_m.group("unit") else []
    level_m = _LEVEL_CHAR.search(text[:3000])
    level_char = level_m.group("c") if level_m else ""
    if not chain and level_m and level_m.group("unit"):
        chain = units(level_m.group("unit") + level_char)
    context = text[:20000]
    if (_NATIONAL.search(head) or (meta.speaker_title == "总理" and "国务院" in head)
            or _STATE_COUNCIL.search(text[:3000]) or title_core.endswith("国务院")):
        meta.region, meta.level = COUNTRY, "country"  # the State Council's report
        return meta
    if not chain:
        guess = _guess_from_body(text, meta.year, level_char)
        if guess is not None:
            _division_fields(meta, guess)
        return meta
    name = chain[-1]
    parent_hint = chain[-2] if len(chain) >= 2 else (tag_units[-1] if tag_units and tag_units[-1] != name else None)
    if _TOWNSHIP.search(name):
        meta.region, meta.level = name, "township"
        parent = None
        if parent_hint:
            parent = divisions.resolve(parent_hint, meta.year, context=context)
        if parent is None:  # 在诸暨市委、市政府的坚强领导下: the county that leads the township
            lead = _LEADER.search(text[:6000])
            parent = divisions.resolve(lead.group(1), meta.year, context=context) if lead else None
            if parent is not None and parent.level != "county":
                parent = None
        if parent is None:
            parent = _guess_from_body(text, meta.year, "", levels=("county",))
        if parent is not None:
            meta.parent = parent.name
            meta.province = parent.province_name or ""
        return meta
    div = divisions.resolve(name, meta.year, context=context, parent=parent_hint)
    if div is not None:
        _division_fields(meta, div)
    else:
        meta.region = name
    return meta


def _guess_from_body(
    text: str, year: int | None, level_char: str, levels: tuple[str, ...] = ("prefecture", "county")
) -> divisions.Division | None:
    """The division a headless report names as its own government (中共钢城区委 → 钢城区).

    Only full names (with their suffix) where prose names a government count: a common
    word that is also a place's short name (资源, 和平, 城关, 高新) never does. The name must
    suit ``level_char`` (我代表区人民政府 → a 区) and be named more often than any other.
    """
    spots = [m.group("a") or m.group("b") for m in _gov_spots(text)]
    if not spots:
        return None
    found = divisions.find_mentions("\n".join(spots), year, levels=levels)
    if found is None or len(found) == 0:
        return None
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for row in found.itertuples():
        if level_char and not str(row.name).endswith(level_char) or not row.full_count:
            continue
        counts[str(row.code)] += int(row.full_count)
        names[str(row.code)] = str(row.name)
    if not counts:
        return None
    (code, n), *rest = counts.most_common(2) + [("", 0)]
    if rest and rest[0][1] >= n:
        # the same count: one name shared by several divisions (市中区) is settled by context
        if len({names[c] for c, k in counts.items() if k == n}) == 1:
            return divisions.resolve(names[code], year, context=text[:20000])
        return None
    return divisions.division_of(code, year)
