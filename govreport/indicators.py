"""Targets and outcomes: every figure a report states for a lexicon indicator, with its clause.

How a figure is read (GUIDE.md sections 2 and 3):

1. Indicator names are found with one regular expression built from the lexicon.
2. The *subject phrase* is the run of names joined by 、/和/及/与 in front of a predicate
   (“一般公共预算收入、固定资产投资保持合理增长”); with 分别 the i-th name takes the
   i-th figure.
3. The *predicate* runs to the next name or the end of the clause; it may continue over a
   comma when the next piece starts with a verb (“完成1451.6亿元，增长5%”).
4. Each figure gets metric (growth / level / change), value, unit, qualifier; the section
   and the passage it stands in give kind, horizon, period and basis; 预计 reaches to the
   next ；/。.

>>> rows = extract_indicators("主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长3%以上。",
...                           section="targets", plan_year=2026)
>>> rows[["kind", "period", "indicator", "metric", "value", "qualifier"]].values.tolist()
[['target', '2026', 'gdp', 'growth', 5.0, 'about'], ['target', '2026', 'budget_revenue', 'growth', 3.0, 'at_least']]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from .lexicon import compiled_lexicon, lexicon_matches
from .numbers import cn_to_number

COLUMNS = [
    "source", "part", "kind", "horizon", "period", "indicator", "indicator_text", "metric", "value",
    "value_high", "unit", "qualifier", "basis", "estimate", "text", "start", "end", "section",
    "commitment",
]

_CN_DIGIT = "零〇一二两三四五六七八九"
NUM = rf"(?:\d[千百](?=亿|万)|\d+(?:\.\d+)?|[{_CN_DIGIT}十百千]+(?:万(?![元人吨户家亩美斤公])[{_CN_DIGIT}十百千]*)?(?:点[{_CN_DIGIT}]+)?)"
UNITS = [
    "个百分点", "百分点", "%", "‰", "倍",
    "万亿元", "亿元", "万元", "元", "万亿美元", "亿美元", "万美元", "美元",
    "微克/立方米", "岁", "万人次", "万人", "人", "亿户", "万吨标准煤", "吨标准煤", "千克标准煤", "亿吨", "万吨", "吨", "亿公斤", "万公斤", "公斤", "万亿斤", "亿斤", "万斤", "斤", "万户", "户", "万家", "家", "万亩", "亩",
]
# 个 (jobs) only where the figure ends: not 4个万亿元台阶
UNIT = (r"(?:万亿|亿|万)[多余](?:元|美元|人次|人|吨|斤|公斤|户|家)|"  # 3亿多元, 1万余人: more than 3亿元, 1万人
        + "|".join(re.escape(u) for u in UNITS) + r"|万?个(?=[，,。；;、）)\s]|以上|左右|以内|$)"
        + r"|(?<=[一二两三四五六七八九])成(?=[，,。；;、）)\s]|以上|左右|多|$)")  # 增长一成: tenths (unit 成)
_PRE = r"(?:回落至|回落到|下降至|下降到|降至|降到|减少到|减少至|上升到|上升至|增长到|约为|约|大约|近|接近|超过|超|突破|迈上|迈过|跨过|跨入|跨上|跃上|站上|登上|连跨|跨越|不低于|不少于|不超过|不高于|高于|低于|控制在|保持在|稳定在|达到|达|增至|升至|提高到|提高至|提升至|提升到|增加到|增长到|跃升至|攀升至|上升至)"
_POST = r"(?:左右|上下|以上|以内|以下|多)"
VALUE_RE = re.compile(
    rf"(?:(?P<pre>{_PRE})(?:\d{{4}}年(?:末|底)?的)?)?(?P<pct>百分之)?"
    # 2亿3000万元, 一亿二千五百万元: the 亿 part of a figure written in two magnitudes
    rf"(?:(?P<yi>\d+|[{_CN_DIGIT}十百千]+)亿零?(?=[\d{_CN_DIGIT}]))?(?P<num>{NUM})(?P<mid>多|余)?(?:(?P<unit>{UNIT})(?![次]))?"
    rf"(?:(?P<post1>{_POST}))?"
    rf"(?:[ ]*(?P<dash>[-—–~～至到])[ ]*(?P<pre2>{_PRE})?(?P<sign2>[-−－﹣负])?(?:百分之)?(?P<num2>{NUM})(?P<unit2>{UNIT})?(?:(?P<post2>{_POST}))?)?"
)
_THRESHOLD = re.compile(
    rf"(?:跨入|跨过|跨上|迈入|迈上|突破|超过|(?<![通经越])过|跃上|站上|跨越|达到?|保持在|稳定在)"
    rf"(?P<mag>(?P<digits>\d+)?(?(digits)|[{_CN_DIGIT}]?)[十百千万]+)亿(?P<unit>元|斤)?(?:级)?"
    # 跨越7万亿、8万亿、9万亿三个大台阶: the last of a list of magnitudes
    # (only before 台阶/大关 …: 突破9千亿元、3万亿元 are two figures)
    r"(?:(?:(?(digits)[、和](?P<last>\d+[十百千万]+)亿(?:元|斤)?|(?!)))*(?P<tail>[^，。；;,\n]{0,8}?)(?:行列|大关|台阶|规模)"
    # a bare magnitude (突破万亿元) also before 、, 以上 or the window's end; 8万亿元、 is a figure
    r"|(?(digits)(?=[，,。；;])|(?=以上|[，,。；;、]|$)))"
)


_REACH_VERB = re.compile(r"达|保持在|稳定在")


def _may_hold_threshold(text: str, start: int, end: int) -> bool:
    """False where ``_THRESHOLD`` has no match in ``text[start:end]``: every match holds 亿."""
    return text.find("亿", start, end) >= 0


_GROWTH_VERB = re.compile(r"增长|增速|增幅|涨幅|上涨|增加|提高|提升|增收|增产|下降|回落|减少|降低|降幅|减幅|下滑|扩大|微降|下跌|减产")
_NEG_VERB = re.compile(r"下降|回落|减少|降低|降幅|减幅|下滑|微降|下跌|减产")
_MINUS = re.compile(r"(?<![\d.%])[-−－﹣负]$")  # a sign right before the figure, not a range dash
# 较“十三五”末, 比“八五”末: compared with a plan's end (六五 … 十五 only in quotes)
_THAN_PLAN = r"[较比](?:[“\"‘]?十[一二三四五六]五[”\"’]?|[“\"‘][六七八九十]五[”\"’])"
_OLD_AVERAGE = r"(?<![上去今当本同])年(?:平均|递增)"  # 年平均增长, 年递增: older wording of 年均
# 扣除价格因素实际增长…, 在大灾之年仍比上年增产…: words between a level and its growth
_ADVERBIAL = r"扣除价格因素(?:后)?|在[^，,。；;\d]{1,12}?(?:之年|的?情况下|的?形势下)仍?"
_CONTINUE = re.compile(
    r"^(?:首次|历史性地?|成功|力争|争取|努力|确保|到\d{4}年|\d{4}年|去年|又|预计|全年|同比|平均每年|每年|实际|稳步|[5五]年|按(?:可比|同)口径(?:计算)?|同口径|可比口径|比上年|较上年|年均|分别|可比|"
    r"按可比价格?计算|" + _ADVERBIAL + r"|累计|总量|" + _THAN_PLAN + r"末?|[较比]\d{4}年度?末?)*[，,]?"
    r"(?:增长|增速|增幅|涨幅|上涨|下降|回落|减少|降低|提高|提升|增加|增产|减产|净增|达到|达|突破|超过|完成|实现|增至|年均|同比|分别|可比|"
    r"比上年|较上年|预计|较|跨入|跨过|跨上|迈入|迈上|[由从](?!于))"
    r"|^(?:力争|争取|努力)(?=\d)"  # 增长6.5%，力争7%: the aim beyond the target, as 力争达到7%
)
_STOP = re.compile(r"占|比重|其中|带动|拉动|排名|位列|居全|位居|是[“\"‘]?十|相当于|高于全|低于全|快于|慢于|列全|"
                   r"(?:年度?)?计划的|任务的|为全国|全国平均|改善")
_QUAL = re.compile(
    r"保持合理增长|合理增长|稳定增长|稳步增长|平稳增长|较快增长|持续增长|协调增长|同步增长|实现增长|保持增长|"
    r"[与和同]经济(?:增长|发展)(?:基本|保持)*同步|增长[和与]经济(?:增长|发展)(?:基本|保持)*同步|基本同步|"
    r"实现正增长|正增长|高于全国平均水平|保持在全国平均水平以上|高于经济增速|不低于经济增速|稳量提质|提质增效|"
    r"保持合理水平|总体稳定|翻一番|回稳向好|稳居全国上游|稳居全国前列|接近发达经济体水平|达到全国平均水平|"
    r"(?:高于|快于)[^，,。；;、]{0,10}?(?:增速|经济增长)|(?:保持)?两位数增长|增长两位数|"
    r"稳中有升|稳中有增|稳中向好|稳中提质|促稳提质|稳规模优结构|保持稳定|稳定在合理区间|保持在合理区间|"
    r"稳步提高|稳步提升|持续提高|持续提升|不断提升|不断提高|大幅提升|明显提升|显著提升|进一步提高|"
    r"持续下降|稳步下降|明显下降|持续降低|持续减少|只增不减|降低|下降|减少|提高|提升|增收"
)
_LEVEL_QUAL = re.compile(r"保持稳定|稳定在合理区间|保持在合理区间|保持合理水平|总体稳定|稳居|接近发达|达到全国平均水平")
_BINDING = re.compile(
    r"完成[^，。；;\n]{0,16}?(?:节能减排|节能降耗|能耗|节能)[^，。；;\n]{0,12}?(?:约束性)?(?:指标|目标|任务)"
    r"|(?:节能减排|节能降耗)(?:工作)?完成[^，。；;\n]{0,16}?(?:指标|目标|任务)"
    r"|(?:节能减排|节能降耗)[^，。；;\n]{0,12}?等约束性指标完成[^，。；;\n]{0,16}?(?:指标|目标|任务)"
    r"|(?:能耗|节能)[^，。；;\n]{0,16}?完成[^，。；;\n]{0,12}?下达[^，。；;\n]{0,8}?(?:目标|任务)"
)
# a list of names that ends 等约束性指标完成…目标: each is a qualitative target of keeping its level
_LISTED_TARGET = re.compile(r"(?:[、和及与][^，,。；;\d、和及与等]{1,16})*等(?:约束性|预期性|主要)?(?:指标|目标)(?:均|全面)?(?:完成|达到|实现|控制在)[^，,。；;]{0,16}?(?:目标|任务|要求)")
_BOUND_TARGET = re.compile(r"约束性(?:指标|目标)|完成[^，。；;]{0,12}?下达的?[^，。；;]{0,6}?(?:目标|任务)")
_ESTIMATE = re.compile(r"预计|初步核算|预估|初步统计|初步测算")
_HARD = re.compile(r"确保|必须|坚决")
_SOFT = re.compile(r"力争|争取|努力")
_CONNECT = "、和及与"
_PREFIX_OK = re.compile(
    r"(?:^|[，,；;。：:、（(“\s]|[，,；;。：:、]年|\d{1,2}[.．、)）]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]是|[①-⑳]|全[国省市县区镇乡州盟旗]?|全[国省市县区镇乡州盟旗]全?年|全街道(?:全?年)?|实现|完成|预计|力争|确保|争取|其中|累计|拥有|各类|年度|全年|当年|年内|"
    r"五年|城乡|和|及|与|达到|努力|(?<!即)使|推动|促进|保持|力促|时期|期间|我国|本级|地方|每年|年均|全疆|去年|提出|明确|包括|\d{4}年|\d+家|[我本](?:[省市县区镇乡州盟旗]|街道)|[县镇乡市]域|居民|五年来|过去五年|全社会|今年|年末|年底|末|辖区|前[一二三四五]年)$"
)
_RATIO = re.compile(r"(?:(?:在|占)[^，,。；;]{0,12}?)?(?:中)?的?(?:比率|之比|比重|比例|占比)")
_RATIO_SPAN = 1 + 12 + 1 + 1 + 2  # the longest match of _RATIO


def _may_be_ratio(text: str, pos: int) -> bool:
    """False where ``_RATIO`` cannot match at ``pos``: every match holds 比 within _RATIO_SPAN."""
    return text.find("比", pos, pos + _RATIO_SPAN) >= 0
_SUBAREA_WORDS = r"(?:开发区|园区|工业园|科技园|工业城|高新区|经开区|示范区|片区|产业园|集聚区|新城|港区|经济圈)(?:[（(][^）)]{0,8}[）)])?"
_DOMAIN = re.compile(r"([县镇乡市])域$")  # 县域经济总量: the county's own economy when the report is a county's
# a sub-area named after the whole region in the name's own piece (全县工业园区实现…)
_PLACE_AFTER_WHOLE = re.compile(
    rf"(?:全|我|本)(?:县|市|区|镇|乡|州|盟|旗|街道)[^，,；;。、]{{0,12}}?{_SUBAREA_WORDS}[^，,；;。、]{{0,8}}$")
_SUBAREA_HEAD = re.compile(  # a clause about a sub-area: 开发区实现…
    rf"[^，,。；;]{{0,24}}?{_SUBAREA_WORDS}[^，,。；;]{{0,8}}?(?:实现|完成|新入驻|新引进|引进|累计|拥有)")
# 开发区新进区项目46个，完成…: the next piece leaves the sub-area subject out (not 以开发区为载体，完成…,
# where the sub-area is no subject)
_SUBAREA_SUBJECT = re.compile(
    rf"(?![以把在依围坚推加通立聚抓强突做打建全])[^，,。；;]{{0,24}}?{_SUBAREA_WORDS}[^，,。；;]{{0,20}}[，,](?:实现|完成)")
_SYNC_REF = re.compile(r"的?增长(?:基本|保持|相)*同步")
_NEW_ENTITIES = re.compile(r"(?:新增|新登记|新发展|引进|培育|新型|新注册)$")
_SUBAREA = re.compile(
    r"(?<!全)(?:园区|工业园|科技园|(?<![全工])厂|开发区|高新区|经开区|片区|新区|示范区|功能区|试验区|保税区|度假区|城(?![乡镇市区])|港区|街道|镇|乡|村|社区|企业|行业|板块|商圈|景区|项目|集团|公司|"
    r"民营|外资企业|高新技术|制造业|民间|重点|城区|农村(?!居民)|平台|基地)[^，,。；;、]{0,6}$"
)
_FIVE_NAME = {"六五": (1981, 1985), "七五": (1986, 1990), "八五": (1991, 1995), "九五": (1996, 2000), "十五": (2001, 2005), "十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
              "十四五": (2021, 2025), "十五五": (2026, 2030), "十六五": (2031, 2035)}
# 六五 … 九五 (1981-2000) and 十五 (2001-2005) only in quotes (not 九五折, 十五年)
_PLAN = r"(?:十[一二三四五六]五|(?<=[“\"‘])[六七八九十]五(?=[”\"’]))"
_FIVE_RE = re.compile(_PLAN)
_FIVE_PARA = re.compile(rf"^[—\-－ ]*(?:[“\"‘]?{_PLAN}[”\"’]?(?:(?:计划|规划)(?:实施|执行)?)?(?:时期|期间|以来|[两二三四]年来|的?(?:前|头)[两二三四]年)|这?五年来|过去的?五年|五年[^\n，。]{0,6}[，,]|五年间|这五年)")
# a sentence opening with the plan that starts in the plan year (“九五”期间，…; 今后五年，…); not
# with one year of it (今后五年的第一年，…)
_PLAN_LEAD = re.compile(rf"[ —]*(?:[“\"‘]?({_PLAN})[”\"’]?(?:时期|期间)|(?:今后|未来)五年(?=[，,的]))(?!的?(?:第[一二三四五]|头一|首)年)")
_THIS_YEAR = re.compile(r"今年|明年|当年")


@lru_cache(maxsize=4)
def _this_year_at(text: str) -> list[int]:
    """Where :data:`_THIS_YEAR` matches in ``text``."""
    return [m.start() for m in _THIS_YEAR.finditer(text)]


def _holds_this_year(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` names this year (今年, 明年, 当年)."""
    at = _this_year_at(text)
    k = bisect_left(at, a)
    return k < len(at) and at[k] + 2 <= b
_YEAR_PARA = re.compile(r"^(?:一年来|过去一年|这一年|刚刚过去的|\d{4}年[，,是])")
_END_VERB = re.compile(r"(?<![通经越])过|达到|达|增至|升至|提高到|提高至|提升至|提升到|增加到|跃升至|攀升至|上升至|突破|超过|稳定在|控制在|保持在|跨入|跨过|迈入|由")
_BY_YEAR = re.compile(r"到(\d{4})年")
_CUM_WORD = re.compile(r"累计|" + _THAN_PLAN + r"末|[较比]\d{4}年")
_SENT_END = "。！？!?\n"
_CLAUSE_END = "；;" + _SENT_END
_PIECE_END = "，,：:" + _CLAUSE_END


@dataclass
class Context:
    """The report's years, which date its figures."""

    review_year: int | None
    plan_year: int | None


@lru_cache(maxsize=256)
def _five_period(year: int | None, name: str | None = None, *, ending: bool = True) -> str:
    """The five-year period a passage speaks of.

    A named plan (十四五) is its plan period; unnamed five years (过去五年, 今后五年) are the
    five years ending with the review year or starting with the plan year, which is the plan
    period in 2020, 2025 … and a government term otherwise.

    >>> _five_period(2025), _five_period(2022), _five_period(2026, ending=False), _five_period(None, "十三五")
    ('2021-2025', '2018-2022', '2026-2030', '2016-2020')
    """
    if name and name in _FIVE_NAME:
        a, b = _FIVE_NAME[name]
        return f"{a}-{b}"
    if not year:
        return ""
    return f"{year - 4}-{year}" if ending else f"{year}-{year + 4}"


@lru_cache(maxsize=4096)
def _to_float(num: str) -> float | None:
    v = cn_to_number(num)
    return None if v is None else float(v)


@lru_cache(maxsize=4)
def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


# the mark sets the rules ask for: one table pass per text finds them all
_MARK_SETS = (_SENT_END, _CLAUSE_END, _PIECE_END, "，,", "，,：:", "、和及与", "，,、", "\n", "，,；;。！？!?\n")
_MARK_BIT = {chars: 1 << b for b, chars in enumerate(_MARK_SETS)}
_MARK_TABLE = np.zeros(0x10001, dtype=np.uint16)  # code point (astral ones at 0x10000) → sets it is in
for _chars, _bit in _MARK_BIT.items():
    for _c in _chars:
        _MARK_TABLE[ord(_c)] |= _bit


@lru_cache(maxsize=4)
def _mark_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every character of a known mark set in ``text``, and the sets each is in."""
    flags = _MARK_TABLE[np.minimum(_codepoints(text), 0x10000)]
    pos = np.flatnonzero(flags)
    return pos, flags[pos]


@lru_cache(maxsize=32)
def _marks(text: str, chars: str) -> list[int]:
    """Sorted positions of ``chars`` in ``text`` (cached: one vectorised pass per text and set)."""
    bit = _MARK_BIT.get(chars)
    if bit is not None:
        pos, codes = _mark_codes(text)
        return pos[(codes & bit) != 0].tolist()
    cp = _codepoints(text)
    mask = np.zeros(len(cp), dtype=bool)
    for c in set(chars):  # a few equality passes beat np.isin for a handful of marks
        mask |= cp == ord(c)
    return np.flatnonzero(mask).tolist()


def _mark_before(text: str, pos: int, chars: str) -> int:
    """Position of the last of ``chars`` before ``pos``, or -1."""
    ms = _marks(text, chars)
    k = bisect_left(ms, pos) - 1
    return ms[k] if k >= 0 else -1


def _mark_after(text: str, pos: int, chars: str, limit: int | None = None) -> int:
    """Position of the first of ``chars`` at or after ``pos`` (and before ``limit``), or -1."""
    ms = _marks(text, chars)
    k = bisect_left(ms, pos)
    if k < len(ms) and (limit is None or ms[k] < limit):
        return ms[k]
    return -1


def _clause_bounds(text: str, pos: int, ends: str = _CLAUSE_END) -> tuple[int, int]:
    """(after the last of ``ends`` before ``pos``, the first at or after it or the text's end)."""
    ms = _marks(text, ends)
    k = bisect_left(ms, pos)  # ms[k - 1] < pos <= ms[k]
    return (ms[k - 1] + 1 if k > 0 else 0), (ms[k] if k < len(ms) else len(text))


@dataclass
class Mention:
    key: str
    start: int
    end: int
    text: str
    context: str = ""
    subject: int = -1  # where the subject a bare name leaves out stands (_ELIDED), else -1


def key_of(m: Mention, level: str = "") -> Mention | None:
    """Resolve anaphoric names: 总产量 after 粮食 in the same sentence is grain output;
    a bare 财政收入 is the general public budget revenue in the national report."""
    if m.key == "fiscal_revenue" and level == "country":
        return Mention("budget_revenue", m.start, m.end, m.text)
    if m.key != "total_output_anaphor":
        return m
    return Mention("grain_output", m.start, m.end, m.text) if "粮食" in m.context else None


_GRAIN = re.compile("粮食")
_TOTAL_WORDS = ("总量", "总额", "总数")  # the total_anaphor names
_TOTAL_REACHES = re.compile(r"(?:首次|已)?(?:达到?|突破|超过?|接近|近|为|增至|稳定在)")
_DIGIT = re.compile(r"\d")


def find_mentions(text: str) -> list[Mention]:
    _, lookup, _ = compiled_lexicon()
    out = []
    for m in lexicon_matches(text):
        key = lookup[m.group(0)] if m.lastgroup == "lit" else lookup[m.lastgroup]
        ctx = ""
        if key == "total_output_anaphor":
            a = _mark_before(text, m.start(), _SENT_END) + 1
            ctx = "粮食" if _first_hit(text, _GRAIN, a, m.start()) else ""  # no copy of the sentence
        if key == "total_anaphor":  # …增长4.6%，总量突破1900亿元: the total of the name before it
            a = _mark_before(text, m.start(), _SENT_END) + 1
            prev = out[-1] if out and out[-1].start >= a and out[-1].text not in _TOTAL_WORDS else None
            if prev is None and out and m.start() == a:
                prev = _heading_name(text, out[-1], a)
            if prev is None or not _TOTAL_REACHES.match(text[m.end() : m.end() + 4]):
                continue
            if m.start() == prev.end and prev is out[-1]:  # GDP总量达到…: one name, 总量 its end
                out[-1] = replace(prev, end=m.end(), text=prev.text + m.group(0))
                continue
            key = prev.key
        out.append(Mention(key, m.start(), m.end(), m.group(0), ctx))
    return _with_elided(text, out)


def _heading_name(text: str, last: Mention, sent_a: int) -> Mention | None:
    """The name a short sentence without figures opens with (经营主体持续壮大。总量达…): the
    heading of the sentence after it, which a total (总量) at its start refers to."""
    head_a = _mark_before(text, sent_a - 1, _SENT_END) + 1
    if (sent_a - 1 - head_a <= 16 and head_a <= last.start <= head_a + 3 and last.text not in _TOTAL_WORDS
            and not _DIGIT.search(text, head_a, sent_a)):
        return last
    return None


# a list whose later item leaves out the subject its first item named (粮食播种面积稳定在…、产量突破…;
# 规模以上工业企业达…家、增加值增长…): the bare name is that subject's indicator; not when the
# subject is a part of the whole (粮食加工企业…，产量…; 服务业集聚区…，增加值…)
_PART_OF_SUBJECT = r"(?![^，,。；;、]{0,4}?(?:企业|公司|集团|项目|集聚区|园区|功能区|示范区|主产区|基地|平台|加工|局))"
_ELIDED = (
    ("grain_output", re.compile(
        rf"(?P<subj>粮食){_PART_OF_SUBJECT}(?:(?:作物)?(?:总?播种面积|种植面积|生产)[^，,。；;、]{{0,20}}?|[^\d，,。；;、]{{1,10}}?)"
        r"[、，,](?:实现|全年|(?:\d{4}|去|今)年)?"
        r"(?P<name>(?:年度|全年|当年)?(?:总产量|年产量|产量|总产(?![值量])))")),
    ("industrial_value_added", re.compile(
        r"(?P<subj>规模以上|规上)工业企业?(?:数量?|总数)?"
        r"(?:达到?|突破|超过|增至|发展到|增加到)?[^，,。；;、\d]{0,6}?(?:[\d.]+万?[家户个])?[^，,。；;、\d]{0,6}?"
        r"[、，,](?:实现|完成)?(?P<name>增加值)")),
    # 规模以上工业(企业完成工业)总产值…亿元(，增长…%)，(实现)增加值…: the output's subject goes on
    ("industrial_value_added", re.compile(
        r"(?P<subj>规模以上|规上)工业(?:企业)?(?:完成|实现)?(?:工业)?总?产值[\d.]+[万亿]?元"
        r"(?:[，,]?(?:同比|比上年)?增长[\d.]+%)?[、，,](?:实现|完成)?(?P<name>增加值)")),
    # 新增规模以上工业企业18家，总数达到156家，实现产值420亿元: the output of all of them (the total's)
    ("industrial_output", re.compile(
        r"(?:规模以上|规上)工业企业\d+家[，,](?P<subj>总数)(?:达到|达|增至|为)?\d+家[，,](?:实现|完成)?(?:工业)?总?(?P<name>产值)(?!规模)")),
    ("services_value_added", re.compile(
        rf"(?P<subj>服务业|第三产业){_PART_OF_SUBJECT}[^，,。；;、\d]{{0,10}}?[，,、](?:实现|完成)?(?P<name>增加值)")),
    # 居民人均可支配收入…，其中城镇、农村居民分别增长…: the urban and rural incomes, their head left out
    ("disposable_income_urban", re.compile(
        r"(?P<subj>人均可支配收入|居民收入)[^。；;]{0,30}?[，,]其中(?P<name>城镇(?:常住)?(?:居民)?)"
        r"(?=(?<=居民)(?:人均)?(?:分别)?(?:增长|达到?|为|\d)|[、和]农村(?:常住)?居民)")),
    ("disposable_income_rural", re.compile(
        r"(?P<subj>人均可支配收入|居民收入)[^。；;]{0,30}?[，,]其中(?:城镇(?:常住)?(?:居民)?[^，,。；;]{0,12}?[、和，,])?"
        r"(?P<name>农村(?:常住)?居民)(?=(?:人均)?(?:分别)?(?:增长|达到?|为|\d))")),
    # 研究与试验发展经费从…增加到…，占国内生产总值的比重从a%提高到b%: the ratio is R&D intensity
    ("rd_intensity", re.compile(
        r"(?P<subj>研究与(?:试验|实验)(?:发展|开发)|研发|R&D)(?:[（(]R&D[)）])?经费(?:支出|投入)?[^。；;]{0,40}?[，,]"
        r"(?P<name>占(?:全[国省市区县])?(?:国内|地区)?生产总值(?:[（(]GDP[)）])?的?(?:比重|比例))")),
)


def _with_elided(text: str, found: list[Mention]) -> list[Mention]:
    """``found`` with the bare names of :data:`_ELIDED` lists and :func:`_shared_head_items` added.

    A bare name replaces the names found inside it (生产总值 in 占国内生产总值的比重); one that a
    found name overlaps or that has another name between it and its subject is not taken.
    """
    extra, inside = [], set()
    starts, ends = [f.start for f in found], [f.end for f in found]
    for key, pattern in _ELIDED:
        for em in pattern.finditer(text):
            a, b = em.span("name")
            k, k_end = bisect_left(starts, a), bisect_left(starts, b)
            within = range(k, k_end)
            if any(ends[i] > b for i in within) or (k > 0 and ends[k - 1] > a):
                continue  # a found name overlaps it
            if bisect_left(starts, em.start() + (key == "industrial_value_added")) < k:
                continue  # another name stands between (not the 规上 output the subject opens): the bare name may be its
            if "总数" not in em.group(0) and _NEW_ENTITIES.search(text, max(0, em.start() - 3), em.start()):
                continue  # 新增规上工业企业12家、增加值…: the new firms' figure (not after 总数…家)
            inside.update(within)
            extra.append(Mention(key, a, b, em.group("name"), subject=em.start("subj")))
    extra += _shared_head_items(text, found)
    if not extra:
        return found
    kept = [f for i, f in enumerate(found) if i not in inside]
    return sorted(kept + extra, key=lambda f: f.start)


_ITEM = re.compile(rf"[{_CONNECT}]([^\d，,。；;：:{_CONNECT}]{{2,10}}?)(?=[，,]?分别|[{_CONNECT}]|年均|增长|下降|提高|降低|减少|达到|保持|完成|实现|\d)")


def _shared_head_items(text: str, found: list[Mention]) -> list[Mention]:
    """单位国内生产总值用水量、能耗、二氧化碳排放量: items after a name that leave out its head
    (单位国内生产总值) are the names the head and the item make (单位国内生产总值能耗)."""
    pattern, lookup, _ = compiled_lexicon()
    starts = {f.start for f in found}
    out = []
    for f in found:
        j = f.end
        while j < len(text) and text[j] in _CONNECT and (item := _ITEM.match(text, j)):
            a, b = item.span(1)
            if a in starts:
                break  # a name of its own: the run goes on from there as today
            name = item.group(1)
            for k in range(len(f.text) - 2, 1, -1):  # the longest head first
                whole = pattern.fullmatch(f.text[:k] + name)
                if whole:
                    key = lookup[whole.group(0)] if whole.lastgroup == "lit" else lookup[whole.lastgroup]
                    out.append(Mention(key, a, b, name))
                    break
            else:
                break
            j = b
    return out


_NEXT_ITEM = re.compile(
    rf"[{_CONNECT}]([^\d，,。；;：:{_CONNECT}]{{1,16}}?)"
    rf"(?=[，,]?分别|年均|增长|下降|提高|达到|保持|完成|实现|持续|稳|促|不断|进一步|平稳|较快|基本|力争|与|和经济|同步|[{_CONNECT}]|\d|$)"
)


def _subject_items(text: str, mentions: list[Mention], idx: int, clause_start: int) -> tuple[int, int, int]:
    """(item index, item count, phrase end) of mention ``idx`` in its run of 、/和-joined names."""
    m = mentions[idx]
    # items before: walk back over connectors and nouns in the same clause piece
    n_before = 0
    # a connector right before it (never a piece mark, so the piece starts before it)
    if m.start > 0 and text[m.start - 1] in _CONNECT:  # names before it, back to one that carries a figure
        piece_a = max(clause_start, _mark_before(text, m.start, "，,：:") + 1)
        joins = _marks(text, _CONNECT)  # found by bisect: no copy of the piece (linear on long runs)
        lo, k = bisect_left(joins, piece_a), bisect_left(joins, m.start) - 1
        while k >= lo and n_before < 64:  # a bounded walk back
            seg_a = joins[k - 1] + 1 if k - 1 >= lo else piece_a
            if _DIGIT.search(text, seg_a, joins[k]):
                break
            n_before += 1
            k -= 1
    count_after, j = _items_after(text, m.end)
    return n_before, n_before + 1 + count_after, j


@lru_cache(maxsize=4)
def _item_runs(text: str) -> dict[int, tuple[int, int]]:
    """Per text, the walks of :func:`_items_after` done so far (a later name of a run starts
    where an earlier walk passed: each run is walked once, not once per name)."""
    return {}


def _items_after(text: str, pos: int) -> tuple[int, int]:
    """(count, end) of the names / nouns joined by connectors from ``pos`` up to the predicate."""
    known = _item_runs(text)
    passed: list[int] = []
    j = pos
    while j not in known:
        if not (j < len(text) and text[j] in _CONNECT and not text.startswith("经济增长", j + 1)):
            known[j] = (0, j)
            break
        nxt = _NEXT_ITEM.match(text, j)
        if not nxt or _GROWTH_VERB.match(nxt.group(1)):
            known[j] = (0, j)
            break
        passed.append(j)
        j = nxt.end()
    count, end = known[j]
    for k, p in enumerate(reversed(passed), 1):
        known[p] = (count + k, end)
    return known[pos]




# a piece that refers back to the names before it: 分别…, or 实际增长9.8%和8.5% after two names
_BACK_LIST = re.compile(r"(?:预计)?分别|(?:实际|名义)?(?:增长|下降)[\d.]+%[和、][\d.]+%")
_YEAR_WORD = re.compile(r"\d{4}年")


def _predicate_window(text: str, start: int, clause_end: int, next_mention: int, *,
                      several: bool = False) -> tuple[int, int]:
    """End of the predicate: the clause end, the next name, and comma pieces that continue it.

    A piece opening with 分别 continues it only for several names (城乡居民…，分别增长…);
    after a single name it refers back over several pieces (see :func:`_respectively_rows`).
    """
    limit = min(clause_end, next_mention, start + 80)
    pos = start
    end = pos
    while pos < limit:
        nxt = _mark_after(text, pos, "，,", limit)
        nxt = limit if nxt < 0 else nxt
        end = nxt
        if nxt >= limit:
            break
        rest = text[nxt + 1 : limit]
        if not several and _BACK_LIST.match(rest):
            break
        if not _CONTINUE.match(rest):
            # one descriptive piece (进入全省前十强) may sit between a level and its 年均增长
            nxt2 = _mark_after(text, nxt + 1, "，,", limit)
            skipped = _YEAR_WORD.sub("", text[nxt + 1 : nxt2]) if nxt2 > 0 else "1"
            rest2 = text[nxt2 + 1 : limit]
            # ... or a share of the plan done (412亿元，为年度计划的103.2%，增长8.6%)
            if (nxt2 > 0 and (not _DIGIT.search(skipped) or _PLAN_SHARE_PIECE.fullmatch(skipped)) and _CONTINUE.match(rest2)
                    and (several or not _BACK_LIST.match(rest2))):
                pos = nxt2 + 1
                continue
            break
        pos = nxt + 1
    return start, end


@dataclass(slots=True)
class Value:
    value: float | None
    high: float | None
    unit: str
    qualifier: str
    metric: str
    start: int
    end: int
    threshold: bool = False
    joiner: str = ""
    pre: str = ""  # the verb or mark written before the number (达到, 突破 …)  # what joins it to the figure before it in a list (、, 和 …)


_POST_QUAL = {"左右": "about", "上下": "about", "以上": "at_least", "多": "at_least", "以内": "at_most", "以下": "at_most"}
_PRE_QUAL = {
    **dict.fromkeys(("约", "约为", "大约", "近", "接近"), "about"),
    **dict.fromkeys(("超过", "超", "突破", "不低于", "不少于", "高于", "迈上", "迈过", "跨过", "跨入", "跨上", "跃上",
                     "站上", "登上", "连跨", "跨越"), "at_least"),
    **dict.fromkeys(("不超过", "不高于", "低于"), "at_most"),
}


def _qualifier(pre: str | None, post: str | None) -> str:
    """The qualifier the words after a figure (左右, 以上 …) or, failing them, before it (约, 超过 …) give."""
    return _POST_QUAL.get(post) or _PRE_QUAL.get(pre, "exact")


_MAG = {"十": 10, "百": 100, "千": 1000}


def _magnitude(mag: str, unit: str = "元") -> tuple[float | None, str]:
    """千 → (1000, 亿元) for 千亿; 万 → (1, 万亿元) for 万亿; 两百 → 200; ``unit`` after 亿.

    >>> _magnitude("千"), _magnitude("万"), _magnitude("两百"), _magnitude("万", "斤")
    ((1000.0, '亿元'), (1.0, '万亿元'), (200.0, '亿元'), (1.0, '万亿斤'))
    """
    if mag.endswith("万"):
        lead = mag[:-1]
        n = cn_to_number(lead) if lead else 1
        return (float(n), "万亿" + unit) if n else (None, "")
    if mag[-1] in _MAG:
        lead = mag[:-1]
        k = cn_to_number(lead) if lead else 1
        return (float(k * _MAG[mag[-1]]), "亿" + unit) if k else (None, "")
    return None, ""


_FROM = re.compile(r"[由从](?:\d{4}年(?:末|底)?的?|不到|不足|超过|[^，,。；;\d]{1,5}?的?)?\s*$")  # 由2005年的98.5亿元增加到…
_LIST_CONT = re.compile(  # a growth in parentheses after a level (412亿元（增长22.1%）) goes on too
    r"[、，, 和及与]*(?:[（(](?=按?(?:同|可比)口径|同比|比上年|较上年|增长|下降|增速|增幅))?(?:首次|历史性地?|成功|力争|争取|努力|确保|到\d{4}年|\d{4}年|[5五]年|预计|全年|同比|按(?:可比|同)口径(?:计算)?|同口径|可比口径|比上年|较上年|年均|平均每年|每年|实际|稳步|分别|可比|累计|按可比价格?计算|" + _ADVERBIAL + r"|" + _THAN_PLAN + r"末?的?|[较比]\d{4}年度?末?的?|[较比]上年)*"
    r"(?:(?:增加|提高|提升|增长|上升|扩大|跃升|攀升|下降|减少|降低)(?:到|至)(?:\d{4}年(?:末|底)?的?)?|"
    r"增长了?|增速为?|增幅为?|涨幅为?|上涨|下降了?|回落|减少|降低|提高了?|提升了?|增加|增产|减产|净增|达到|达|突破|超过|完成|实现|增至|升至|为|到)?"
    r"(?:[、，, ]*(?:增长|下降|提高))?"
)


_RANK = ("居全", "位居", "列全", "排名", "位列")
_RANK_ITEM = re.compile(r"[^、，,；;。\d]*、")
_OF_PLACES = re.compile(r"(?:以上)?的[县市区镇乡村企项园家个]")
_COMMA = re.compile(r"[，,]")
_YEARS_GAINED = re.compile(r"(?:提高|延长|增加)了?$")
_BASE_VALUE = re.compile(r"[较比](?:[“\"‘]?十[一二三四五六]五[”\"’]?末|\d{4}年(?:末|底)?|上年)的$")  # 较“十三五”末的9323.1亿元
_PLAN_SHARE = re.compile(r"[\d.]+%[，,]")
_PLAN_SHARE_PIECE = re.compile(r"(?:为|是|完成|达到?|占)[^，,。；;\d]{0,10}?(?:计划|预算|目标任务|任务)的[\d.]+%")
_OF_PLAN = re.compile(r"(?:年初|年度|全年|当年|省|市|县|上级)?(?:下达|确定|安排)?的?(?:计划|预算|目标任务|目标|任务)的$")
_LEVEL_CHANGE = re.compile(r"(?:增加|净增|减少|增产|减产|新增|增量|净流入|流入|流出|[多少])(?:了|超过?|近|约)?$")
_LIST_JOIN = re.compile(r"[ 、和及]+(?:分别)?|分别")
_AND = re.compile("[和及与]")


def parse_values(text: str, start: int, end: int, ind_type: str) -> list[list[Value]]:
    """Value lists in a predicate window: each list is one verb's figures (分别 lists have several)."""
    lists: list[list[Value]] = []
    current: list[Value] = []
    last_end = start
    window = text[start:end]
    stop = _STOP.search(window)
    while stop:
        if stop.group(0) in _RANK:
            # a rank between 、 items (达到5.53万亿元、稳居全国前十强、增长4.8%) does not end the predicate
            item = _RANK_ITEM.match(window, stop.start())
        elif stop.group(0).endswith(("计划的", "任务的")):
            # nor does a share of the plan done (412亿元，为年度计划的103.2%，增长8.6%); its figure is skipped below
            item = _PLAN_SHARE.match(window, stop.end())
        else:
            break
        if not item:
            break
        stop = _STOP.search(window, item.end())
    if stop:
        end = start + stop.start()
    for tm in _THRESHOLD.finditer(text, start, end) if _may_hold_threshold(text, start, end) else ():
        if tm.group("mag")[0] in _CN_DIGIT and _REACH_VERB.match(tm.group(0)):
            continue  # 达到三十亿元: an amount in Chinese numerals, not a threshold like 达到千亿
        v, unit = _magnitude(tm.group("last") or tm.group("mag"), tm.group("unit") or "元")
        if v is None:
            continue
        lists.append([Value(float(v), None, unit, "at_least", "level", tm.start(), tm.end(), threshold=True)])
    for vm in VALUE_RE.finditer(text, start, end):
        vm_start, vm_end = vm.span()
        if lists and any(v.start <= vm_start < v.end for lst in lists for v in lst):
            continue
        pre, pct, num, mid, unit1, post1, dash, num2, unit2, post2 = vm.group(
            "pre", "pct", "num", "mid", "unit", "post1", "dash", "num2", "unit2", "post2")
        unit = unit1 or ""
        if len(unit) > 2 and ("多" in unit or "余" in unit):  # 3亿多元, 1万余人: 3亿元 and more
            unit, mid = unit.replace("多", "", 1).replace("余", "", 1), mid or "多"
        if pct:
            unit = "%"
        if not unit and num2 and unit2:
            unit = unit2  # 5—6%, 1.2—1.5万人: the unit follows the upper bound
        if not unit:
            continue  # a bare number (a year, a count) is not a figure
        value = _to_float(num)
        if value is None or _OF_PLACES.match(text, vm_end, vm_end + 4):
            continue
        yi = vm.group("yi")
        if yi and unit.startswith("万") and (hundred_millions := _to_float(yi)) is not None:
            value, unit = round(hundred_millions + value / 10_000, 10), "亿" + unit[1:]  # 1亿2500万元 = 1.25亿元
        if unit == "%" and _OF_PLAN.search(text[max(start, vm_start - 16) : vm_start]):
            last_end = vm_end
            continue  # 为年度计划的103.2%: how much of the plan was done, not the indicator's figure
        for lst in lists:  # a threshold (跨过千亿级大关) between two figures is part of the predicate
            if lst[0].threshold and last_end <= lst[0].start < vm_start:
                last_end = max(last_end, lst[0].end)
        between = text[last_end:vm_start]
        before = text[start:vm_start]
        tail = between[max(between.rfind("，"), between.rfind(",")) + 1 :]  # the last comma piece
        if (last_end > start and not _LIST_CONT.fullmatch(tail)
                and not (_DIGIT.search(tail) is None and _LIST_CONT.fullmatch(tail.split("、")[-1]))):
            break  # a new subject begins (失业人员再就业…): its figures are not ours
        # a figure joined by 、/和 to the one before, in the same unit and with no verb of its own
        listed = bool(current) and not pre and current[-1].unit == unit and bool(_LIST_JOIN.fullmatch(between))
        verb = None
        for vb in _GROWTH_VERB.finditer(before):
            verb = vb
        if unit in ("个百分点", "百分点"):
            unit = "个百分点"
            metric = "change"
        elif unit == "岁" and _YEARS_GAINED.search(before):
            metric = "change"  # years gained (预期寿命提高1岁) are not the level
        elif listed:
            metric = current[-1].metric  # 分别下降16%、13.5%、18%: a list goes on in the metric it began with
        elif unit in ("%", "‰", "倍", "成"):
            recent = verb is not None and verb.end() >= len(before) - 8
            if ind_type in ("rate",) and unit != "倍":
                metric = "growth" if recent and pre in (None, "超", "超过", "近", "接近", "约") else "level"
            else:
                metric = "growth"
        else:
            metric = "level"
            if (_LEVEL_CHANGE.search(before, max(0, len(before) - 8))  # anchored at the end, 6 characters at most
                    or _BASE_VALUE.search(before, max(0, len(before) - 12))):
                last_end = vm_end
                continue  # a change in level (增加2.31万元) or the base it is measured from is not the level
        # a fall (下降2.5%, 负增长2.5%) or a sign (增长-2.5%, −2.5%); both at once stay a fall
        fall = metric in ("growth", "change") and verb is not None and verb.end() >= len(before) - 12 and (
            bool(_NEG_VERB.match(verb.group(0))) or before[verb.start() - 1 : verb.start()] == "负")
        if listed and metric in ("growth", "change"):
            fall = current[-1].value is not None and current[-1].value < 0  # the list's verb covers it
        signed = bool(_MINUS.search(before, max(0, len(before) - 3)))  # one character at the end
        if fall or signed:
            value = -value
        high = None
        qual = _qualifier(pre, post1 or post2)
        if mid and qual == "exact":
            qual = "at_least"  # 9100余人, 8000多万元
        if num2 and (unit2 or not unit1 or unit1 in ("%",)):
            h = _to_float(num2)
            sign2 = vm.group("sign2")
            if h is not None and (unit2 or unit) and (not sign2 or value < 0):
                # low to high (value ≤ value_high): 下降1%—2% and 增长-1%至-2% are -2 to -1,
                # 增长-1%至2% is -1 to 2; a sign on the upper figure alone (5%--6%) is no range
                if value < 0 and (fall or sign2) and h > abs(value):
                    value, high = -h, value
                elif value < 0 and signed and not sign2 and h > 0:
                    high = h
                elif value >= 0 and h > value:
                    high = h
            if high is not None:
                qual = "range"
                unit = unit2 or unit
        v = Value(value, high, unit, qual, metric, vm_start, vm_end, pre=pre or "")
        # a new list starts unless the figure follows the previous one over 、/和/及
        if current and _LIST_JOIN.fullmatch(between) and current[-1].metric == metric:
            v.joiner = between
            current.append(v)
        else:
            if current:
                lists.append(current)
            current = [v]
        last_end = vm_end
    if current:
        lists.append(current)
    # 由X增至Y (突破Z, 达到W): only the last level counts
    out = []
    for lst in lists:
        if len(lst) >= 2 and lst[0].pre in ("超过", "超", "突破", "不低于", "高于") and all(
                not v.pre and v.qualifier == "exact" for v in lst[1:]):
            for v in lst[1:]:  # 分别超过8万元、4.5万元: the mark covers the list
                v.qualifier = lst[0].qualifier
        if len(lst) == 2 and lst[0].metric == lst[1].metric == "level" and _FROM.search(text, max(start, lst[0].start - 12), lst[0].start):
            lst = lst[1:]
        if (len(lst) >= 2 and lst[-1].qualifier != "exact" and all(v.qualifier == "exact" for v in lst[:-1])
                and (_AND.search(lst[-1].joiner) or len({v.unit for v in lst}) > 1
                     or (lst[-1].qualifier == "about" and "分别" in text[max(start, lst[0].start - 8) : lst[0].start]))):
            for v in lst[:-1]:  # 5%和6%左右, 55亿元、3000万美元以上: the mark covers all; 8.5%、9%以上 does not
                v.qualifier = lst[-1].qualifier
        out.append(lst)
    if len(out) < 2:
        return out
    out.sort(key=lambda lst: lst[0].start)
    singles = [lst for lst in out if len(lst) == 1 and lst[0].metric == "level"]
    if len(singles) >= 2 and _FROM.search(text, max(start, singles[0][0].start - 12), singles[0][0].start):
        keep = singles[-1]
        out = [lst for lst in out if not (len(lst) == 1 and lst[0].metric == "level") or lst is keep]
    return out


_UNIT_OK = {
    "money": {"万亿元", "亿元", "万元", "元", "万亿美元", "亿美元", "万美元", "美元"},
    "persons": {"亿人", "万人", "人", "万个", "个"},  # jobs: 新增就业岗位5000个
    "tonnes": {"亿吨", "万吨", "吨", "亿公斤", "万公斤", "公斤", "万亿斤", "亿斤", "万斤", "斤"},
    "entities": {"亿户", "万户", "户", "万家", "家"},
    "concentration": {"微克/立方米"},
    "years": {"岁"},
    "energy": {"吨标准煤", "千克标准煤"},  # per 万元 of GDP: 万元GDP能耗0.52吨标准煤
}
_KEY_UNITS = {
    "new_urban_jobs": "persons", "population": "persons", "grain_output": "tonnes",
    "market_entities": "entities", "pm25": "concentration", "life_expectancy": "years",
    "energy_intensity": "energy",
}


def _unit_fits(key: str, unit: str, metric: str) -> bool:
    if metric != "level" or unit in ("%", "‰"):
        return True
    kind = _KEY_UNITS.get(key, "money")
    return unit in _UNIT_OK[kind]


_CUE_FIRST = r"[ “\"‘十五一过这刚今去各在0-9—]"
_CUE = re.compile(
    "(?=" + _CUE_FIRST + r")(?:^|(?<=[。！!？?\n])|(?<=回顾))[ —]*(?:各位代表[，,!！:：]?)?(?:(?P<five>(?:过去的|刚刚过去的|在)?[“\"‘]?(?P<plan>十[一二三四五六]五|(?<=[“\"‘])[六七八九十]五(?=[”\"’]))[”\"’]?(?:(?:计划|规划)(?:实施|执行)?)?(?:时期|期间|以来|[两二三四]年来|的?(?:前|头)[两二三四]年)(?:的[一二三四五]年)?[，,是]|这?五年来|过去的?五年|这五年|五年[^\n，。]{0,6}[，,]|[二三四]年来)"
    r"|(?P<year>今年[，,]|去年|一年来|过去一年|这一年|(?:刚刚)?过去的一年|刚刚过去的\d{4}年|\d{4}年[，,是]|\d{4}年工作|今年以来))"
)


# where a cue can start: after a sentence end or 回顾, before one of its first characters (a
# pattern of literal alternatives, which the regex engine skips to fast)
_CUE_AFTER = re.compile(rf"(?:。|！|!|？|\?|\n|回顾)(?={_CUE_FIRST})")


def _cue_matches(text: str) -> Iterator[re.Match[str]]:
    """``_CUE.finditer(text)``: the cue tried at the start and where ``_CUE_AFTER`` ends only."""
    end = 0
    m = _CUE.match(text)
    if m:
        yield m
        end = m.end()
    for c in _CUE_AFTER.finditer(text):
        if c.end() >= end and (m := _CUE.match(text, c.end())):
            yield m
            end = m.end()


def period_cues(text: str) -> tuple[list[int], list[tuple[bool, str | None]], list[str]]:
    """Sentence-initial cues that a passage speaks of the past five years or the past year
    (positions, (five-year?, plan named), the cue's words)."""
    pos, cue, words = [], [], []
    for m in _cue_matches(text):
        five, plan = m.group("five") is not None, m.group("plan")
        if five and plan is None and cue and cue[-1][0]:
            plan = cue[-1][1]  # 五年来 right after “十一五”时期 speaks of that plan
        pos.append(m.start())
        cue.append((five, plan))
        words.append(m.group(0))
    return pos, cue, words


_LOOK_BACK = re.compile(r"五年来|过去的?五年|这五年|五年间|过去一年|一年来|这一年|刚刚过去|去年")


_PLAN_DRAFT = re.compile(r"第([六七八九]|十[一二三四五六]?)个五年(?:规划|计划)|(十[一二三四五六]五|(?<=[“\"‘])[六七八九十]五)[”\"’]?(?:规划|计划)纲要")


def _plan_paragraph(text: str, pos: int, ctx: Context) -> str:
    """The period of a plan still to come that the paragraph presents (…编制了“十五五”规划纲要（草案）…
    提出地区生产总值年均增长5%左右): its figures are that plan's goals, wherever the paragraph stands."""
    if not ctx.review_year:
        return ""
    starts, found = _hits(text, _PLAN_DRAFT)
    if not found:
        return ""
    line = _mark_before(text, pos, "\n") + 1
    for pm in found[bisect_left(starts, line) : bisect_left(starts, pos)]:
        name = pm.group(2) or (pm.group(1) + "五")
        a, b = _FIVE_NAME.get(name, (0, 0))
        if a > ctx.review_year:
            return f"{a}-{b}"
    return ""


def _looking_back(pos: int, sec_start: int, ctx: Context, cues: tuple) -> tuple[str, str] | None:
    """(horizon, period) when a plan or task passage looks back (过去一年，…; 五年来，…;
    “十五”时期… in the plan year after it): its figures are outcomes, not targets."""
    k = bisect_right(cues[0], pos) - 1
    if k < 0 or cues[0][k] < sec_start or not ctx.review_year:
        return None
    (five, plan), words = cues[1][k], cues[2][k]
    if five and plan:
        a, b = _FIVE_NAME.get(plan, (0, 9999))
        return ("five_year", f"{a}-{b}") if b <= ctx.review_year else None
    if not _LOOK_BACK.search(words) and f"{ctx.review_year}年" not in words:
        return None
    return ("five_year", _five_period(ctx.review_year)) if five else ("annual", str(ctx.review_year))


_FIVE_WORD = re.compile(r"年均|平均每年|" + _OLD_AVERAGE + r"|(?<![\d.])5年(?!前|内)|五年来|(?<![十一二三四六七八九])五年(?!规划|计划|行动|前|内)|累计|[较比](?:[“\"‘]?十[一二三四五]五[”\"’]?|[“\"‘][六七八九十]五[”\"’])末")
_GOES_ON = re.compile(r"年均|平均每年|" + _OLD_AVERAGE + r"|累计|[较比][“\"‘]?十[一二三四五六]五|[较比]\d{4}年")
_PIECE_MARKS = "，,；;。！？!?\n"


def _own_pieces(text: str, pos: int) -> str:
    """The comma piece holding ``pos``, with the next piece when it goes on with 年均/累计."""
    a, b = _clause_bounds(text, pos, _PIECE_MARKS)
    for _ in range(2):
        if not (text[b : b + 1] in ("，", ",") and _GOES_ON.match(text, b + 1)):
            break
        c = _mark_after(text, b + 1, _PIECE_MARKS)
        b = len(text) if c < 0 else c
    return text[max(a, pos - 600) : min(b, pos + 600)]  # bounded: text without commas stays linear


def _plan_drafts(text: str) -> list[re.Match[str]]:
    """``_PLAN_DRAFT.finditer(text)``, tried only around each 规划 and 计划: every match holds one
    (six characters in at most, ending four after it) and no two overlap, so these are the same matches."""
    found: dict[int, re.Match[str]] = {}
    for i in sorted([*_found_at(text, "规划"), *_found_at(text, "计划")]):
        for m in _PLAN_DRAFT.finditer(text, max(0, i - 6), i + 4):
            found.setdefault(m.start(), m)
    return [found[k] for k in sorted(found)]


def _found_at(text: str, sub: str) -> Iterator[int]:
    """Every position of ``sub`` in ``text`` (str.find: faster than a regex scan for a rare word)."""
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


def _matches_at(text: str, pattern: re.Pattern[str], starts: Iterable[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches are never empty, given every
    position where one can start (a superset, any order): tried in order, each after the last match."""
    out: list[re.Match[str]] = []
    end = 0
    for p in sorted(set(starts)):
        if p >= end and (m := pattern.match(text, p)):
            out.append(m)
            end = m.end()
    return out


def _estimates(text: str) -> list[re.Match[str]]:
    """``_ESTIMATE.finditer(text)``: every one of its words starts with 预 or 初."""
    return _matches_at(text, _ESTIMATE, [*_found_at(text, "预"), *_found_at(text, "初")])


_SCANS = {_PLAN_DRAFT: _plan_drafts, _ESTIMATE: _estimates}  # faster ways to every match of a pattern


@lru_cache(maxsize=32)
def _hits(text: str, pattern: re.Pattern[str]) -> tuple[list[int], list[re.Match[str]]]:
    """Every match of ``pattern`` in ``text`` (cached: one pass per text and pattern)."""
    scan = _SCANS.get(pattern)
    found = scan(text) if scan is not None else list(pattern.finditer(text))
    return [m.start() for m in found], found


def _first_hit(text: str, pattern: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
    """The first match inside ``text[a:b]``, found without copying the slice (linear overall).

    Same as ``pattern.search(text[a:b])`` for patterns that never span a sentence end.
    """
    starts, found = _hits(text, pattern)
    k = bisect_left(starts, a)
    return found[k] if k < len(found) and found[k].end() <= b else None


_OLDER_YEAR = re.compile(r"[较比由从](\d{4})年")
@lru_cache(maxsize=8)
def _older_years(text: str, latest: int) -> tuple[list[int], list[int]]:
    """Starts and ends of the :data:`_OLDER_YEAR` matches in ``text`` naming a year up to ``latest``."""
    found = [m.span() for m in _OLDER_YEAR.finditer(text) if int(m.group(1)) <= latest]
    return [a for a, _ in found], [b for _, b in found]


def _older_year_within(text: str, a: int, b: int, latest: int) -> bool:
    """Whether ``text[a:b]`` holds 由/从/较/比 and a year up to ``latest`` (matches never overlap,
    so the first one starting at ``a`` or later ends first)."""
    starts, ends = _older_years(text, latest)
    k = bisect_left(starts, a)
    return k < len(starts) and ends[k] <= b


_FROM_TO = re.compile(r"[由从][^，,。；;]{0,12}?(?:增加|提高|提升|增长|上升|下降|减少|降低|扩大|跃升|攀升)(?:到|至)")
_ON_LAST_YEAR = re.compile(r"[比较]上年|同比")
_REACHED = re.compile(r"达到|达|突破|超过")


@lru_cache(maxsize=64)
def _plan_end_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"{name}[”\"’]?末")


@lru_cache(maxsize=64)
def _year_cue_re(year: int) -> re.Pattern[str]:
    return re.compile(rf"[ —]*{year}年[，,]")


def _last_by_year(text: str, a: int, b: int) -> re.Match[str] | None:
    """The last 到YYYY年 in ``text[a:b]`` (a sentence up to a figure): the year the figure is for."""
    found = None
    for m in _BY_YEAR.finditer(text, a, b):
        found = m
    return found


#: The horizon of a goal for a year past the plan under way (到2035年…): refused, not coded (GUIDE
#: knows one-year and five-year-plan figures only), and said so in the errors table.
BEYOND = "beyond_plan"


def _horizon_for(text: str, pos: int, ctx: Context, sec_start: int, sec_kind: str,
                 cues: tuple[list[int], list] | None = None) -> tuple[str, str]:
    """(horizon, period) of a figure from its section and the passage it stands in."""
    if sec_kind == "targets" or sec_kind == "tasks":
        # 按照“十一五”规划确定的目标，到2010年…: a five-year goal restated in the plan-year section
        sent_a = _mark_before(text, pos, _SENT_END) + 1
        by_year = _last_by_year(text, sent_a, pos)
        first_name = _first_hit(text, _FIVE_RE, sent_a, pos)
        named = [first_name.group(0)] if first_name else []
        ends_plan = bool(named and by_year and _FIVE_NAME.get(named[0], (0, 0))[1] == int(by_year.group(1)))
        plan_end = bool(named and _first_hit(text, _plan_end_re(named[0]), sent_a, pos))  # 确保“十一五”末…
        if plan_end:
            return "five_year", _five_period(None, named[0])
        # “九五”期间，…年均增长12% (a plan starting this year), 今后五年，…: the five years ahead
        lead = _PLAN_LEAD.match(text, sent_a)
        if lead and _holds_this_year(text, lead.end(), pos):
            lead = None  # 今后五年，…；今年…: the figure is this year's
        if lead and ctx.plan_year and (lead.group(1) is None or _FIVE_NAME.get(lead.group(1), (0, 0))[0] == ctx.plan_year):
            return "five_year", _five_period(ctx.plan_year, lead.group(1), ending=False)
        if by_year and ctx.plan_year and int(by_year.group(1)) > ctx.plan_year + 4 and not ends_plan:
            return BEYOND, by_year.group(1)  # 到2035年…: a long-range goal, past any plan under way
        if by_year and ctx.plan_year and (int(by_year.group(1)) > ctx.plan_year or ends_plan):
            end = int(by_year.group(1))
            return "five_year", _five_period(None, named[0]) if named else f"{end - 4}-{end}"
        return "annual", str(ctx.plan_year or "")
    if sec_kind == "five_year_plan":
        # the plan the section is about: the first it names that has not ended by the plan year
        named = [n for n in _FIVE_RE.findall(text[sec_start : sec_start + 200])
                 if not ctx.plan_year or _FIVE_NAME.get(n, (0, 9999))[1] >= ctx.plan_year]
        period = _five_period(ctx.plan_year, named[0] if named else None, ending=False)
        far = _last_by_year(text, _mark_before(text, pos, _SENT_END) + 1, pos)
        if far and period and int(far.group(1)) > int(period[-4:]):
            return BEYOND, far.group(1)  # 到2035年… in a section on the plan: the long-range goals
        return "five_year", period
    # review: paragraph cue, then sentence cue
    line_end = _mark_before(text, pos, "\n")
    para_start = line_end + 1 if line_end >= sec_start else 0
    para = text[para_start : para_start + 30]
    sent_a = _mark_before(text, pos, _SENT_END) + 1
    review_period = _five_period(ctx.review_year)
    five = sec_kind == "five_year_review"
    mark = _FIVE_PARA.search(para) or _FIVE_PARA.search(text[sent_a : sent_a + 30])
    cue_five, cue_plan = None, None
    if cues is not None:
        k = bisect_right(cues[0], pos) - 1
        if (k >= 0 and sec_kind == "five_year_review" and ctx.review_year
                and _year_cue_re(ctx.review_year).fullmatch(cues[2][k])
                and not text.startswith("是", cues[0][k] + len(cues[2][k]))
                and _REACHED.search(_own_pieces(text, pos))):
            # 2007年，…达到… in a review of five years: the level the period ended on; not
            # 2021年，是…之年。…达到…, a passage on that one year
            k -= 1
        if k >= 0 and cues[0][k] > sec_start + 12:
            cue_five, cue_plan = cues[1][k]
    if (mark and sec_kind == "review" and cue_five is False and ctx.review_year and k >= 0
            and cues[0][k] > para_start and _year_cue_re(ctx.review_year).fullmatch(cues[2][k])):
        mark = None  # “八五”时期…。1995年，…: a sentence on the review year inside a five-year paragraph
    if mark:
        five = True
        names = _FIVE_RE.findall(mark.group(0)) or ([cue_plan] if cue_five and cue_plan else [])
        if names:
            review_period = _five_period(None, names[0])
    elif cue_five is not None:
        five = cue_five
        if cue_five and cue_plan:
            review_period = _five_period(None, cue_plan)
    elif _YEAR_PARA.search(para):
        five = False
    own = _own_pieces(text, pos)  # 年均, 累计 … in the figure's own comma piece (or the piece it runs on into)
    if _FIVE_WORD.search(own) or (ctx.review_year and any(int(y) <= ctx.review_year - 3
                                                            for y in _OLDER_YEAR.findall(own))):
        five = True
    elif (ctx.review_year and _FROM_TO.search(own)
          and _older_year_within(text, sent_a, pos, ctx.review_year - 3)):
        five = True  # …由2002年7703元增加到2007年13786元，农村居民人均纯收入由2476元增加到4140元: the same span
    elif _ON_LAST_YEAR.search(own):
        five = False  # one year's figure inside a five-year review (2007年…比上年下降3.27%)
    if five:
        return "five_year", review_period
    return "annual", str(ctx.review_year or "")


def _goal_ahead(text: str, pos: int, ctx: Context) -> tuple[str, str] | None:
    """(horizon, period) of a goal restated in a review (按照“八五”计划，到1995年，…要达到130亿元):
    a figure after 到YYYY年 for a year past the plan year is that plan's goal, not an outcome."""
    if not ctx.review_year:
        return None
    sent_a = _mark_before(text, pos, _SENT_END) + 1
    by_year = _last_by_year(text, sent_a, pos)
    plan_year = ctx.plan_year or ctx.review_year + 1
    if by_year is None or not plan_year < int(by_year.group(1)) <= plan_year + 4:
        return None  # a later year is no goal of the plan under way: left as it was read
    end = int(by_year.group(1))
    named = _first_hit(text, _FIVE_RE, sent_a, pos)
    if named and _FIVE_NAME.get(named.group(0), (0, 0))[1] == end:
        return "five_year", _five_period(None, named.group(0))
    return "five_year", f"{end - 4}-{end}"


_GDP_LEVEL_OPENS = re.compile(r"(?:全[省市县区旗])?(?:地区|国内)?生产总值[\d.]+万?亿元[，,]")


def _after_gdp_level(text: str, pos: int) -> bool:
    """Whether the name at ``pos`` opens its comma piece in a sentence that opens with a bare GDP
    level (生产总值6.66万亿元，财政总收入7019亿元: not 累计完成…, 实现…)."""
    sent_a = _mark_before(text, pos, _SENT_END) + 1
    return (sent_a < pos and text[pos - 1] in "，," and _mark_after(text, sent_a, _CLAUSE_END) > pos
            and bool(_GDP_LEVEL_OPENS.match(text, sent_a, pos)))


_HELD = re.compile(r"稳定在|保持在|控制在")
_EACH_YEAR = re.compile(r"年均|每年|" + _OLD_AVERAGE)
_TOTAL = re.compile(r"总量")
_NEW_PERSONS = re.compile(r"(?:超过|突破|超)[\d.]+万?人")


def _basis(horizon: str, metric: str, key_type: str, qual: str, predicate: str, piece: str) -> str:
    """Basis of a five-year figure from its predicate (年均, 达到 …) and its comma piece (累计 …)."""
    if horizon == "annual":
        return "year"
    if qual == "qualitative":
        return "cumulative"
    held = metric == "level" and _HELD.search(predicate)
    own = predicate.split("、")[-1] if metric == "level" else predicate  # 年均增长5%、迈上3万亿元台阶
    if _EACH_YEAR.search(own) or (_EACH_YEAR.search(piece) and not held and own == predicate):
        return "average" if not held else "end"
    if metric in ("growth", "change"):
        return "cumulative"
    if key_type == "stock" and _TOTAL.search(piece) and _END_VERB.search(predicate):
        return "end"  # 累计净增…、总量达474万户: the total reached
    if _CUM_WORD.search(piece) or (key_type == "flow" and _NEW_PERSONS.search(predicate)):
        return "cumulative"  # new jobs are summed over the period: 新增就业超过6400万人
    if _END_VERB.search(predicate):
        return "end"
    return "cumulative" if key_type == "flow" else "end"


def extract_indicators(
    text: str,
    sections: Iterable | None = None,
    *,
    section: str | None = None,
    review_year: int | None = None,
    plan_year: int | None = None,
    source: str = "",
    part: int = 0,
    region: str = "",
    level: str = "",
) -> pd.DataFrame:
    """Indicator rows of one report text.

    ``sections`` is the report's list of :class:`govreport.sections.Section`; without it the
    whole text is read as one section of kind ``section`` (default ``review``).

    Parameters
    ----------
    text : the normalised text of one report (:func:`govreport.normalize_text`).
    sections : its sections, or None.
    section : the section kind when ``sections`` is None.
    review_year, plan_year : the years the report reviews and plans (they date the figures).
    source, part, region, level : copied into the rows (and ``region``/``level`` help tell the
        whole region from its sub-areas).

    >>> extract_indicators("全年地区生产总值增长6%左右。", section="targets", plan_year=2026)[
    ...     ["kind", "period", "indicator", "value", "qualifier"]].values.tolist()
    [['target', '2026', 'gdp', 6.0, 'about']]
    """
    rows = extract_rows(text, sections, section=section, review_year=review_year, plan_year=plan_year,
                        source=source, part=part, region=region, level=level)
    return _frame(rows)


_COLUMN_DTYPE = {"value": float, "value_high": float, "estimate": bool, "part": np.int64, "start": np.int64,
                 "end": np.int64}


def _frame(rows: list[dict]) -> pd.DataFrame:
    """One frame from the rows: a typed array per column (pandas infers the text columns)."""
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame({c: np.array([r[c] for r in rows], dtype=_COLUMN_DTYPE.get(c, object)) for c in COLUMNS},
                        copy=False)


_FLAT = re.compile(r"[^，,。；;\d]{0,6}?(基本)?持平")
_EMPTY = re.compile("")
_GROWTH_WORD = re.compile(r"增长|增速")
_DEDUP = ("kind", "horizon", "period", "indicator", "metric", "value", "value_high", "unit", "qualifier", "basis")


def extract_rows(
    text: str,
    sections: Iterable | None = None,
    *,
    section: str | None = None,
    review_year: int | None = None,
    plan_year: int | None = None,
    source: str = "",
    part: int = 0,
    region: str = "",
    level: str = "",
    errors: list[dict] | None = None,
) -> list[dict]:
    """Indicator rows of one report as dicts (the columns of :data:`COLUMNS`).

    Rows that break an invariant (:func:`invariant_violation`) are not returned; each is
    recorded in ``errors`` (when given) with the file, part and the refused row.
    """
    if sections is None:
        from .sections import Section

        sections = [Section(0, "", section or "review", 0, len(text))]
    secs = sorted(sections, key=lambda s: s.start)
    starts = [s.start for s in secs]
    _, _, info = compiled_lexicon()
    ctx = Context(review_year, plan_year)
    mentions = find_mentions(text)
    m_starts = [mm.start for mm in mentions]
    cues = period_cues(text)
    rows: list[dict] = []
    stated: dict[int, set[str]] = {}  # per 其中, the keys its sentence stated before it
    for i, m in enumerate(mentions):
        k = bisect_right(starts, m.start) - 1
        if k < 0:
            continue
        sec = secs[k]
        if sec.kind in ("government",) or (sec.kind == "other" and k == 0 and len(secs) > 1):
            continue
        kind = "target" if sec.kind in ("targets", "tasks", "five_year_plan") else "outcome"
        clause_a, clause_b = _clause_bounds(text, m.start)
        if not _whole_region(text, m, clause_a, region) or (
                m.subject >= 0 and not _whole_region(text, Mention(m.key, m.subject, m.subject, ""), clause_a, region)):
            continue  # an elided name stands for the whole region only when its subject does
        if _national_figure(text, m.start, clause_a, level) or _ranked_inside(text, m.start, region):
            continue
        resolved = key_of(m, level)
        if resolved is None or _component_of_stated(text, mentions, i, resolved.key, level, region, stated):
            continue
        m = resolved
        item, n_items, phrase_end = _subject_items(text, mentions, i, clause_a)
        k_next = bisect_left(m_starts, phrase_end, i + 1)  # the next name, without copying the list
        while k_next < len(mentions) and _compared_with(text, mentions[k_next]):
            k_next += 1  # 收入增速高于经济增速、突破3万元: the name compared with does not end the predicate
        nxt = m_starts[k_next] if k_next < len(m_starts) else len(text)
        row_info = info.get(m.key, {})
        key_type = row_info.get("type", "stock")
        several = n_items > 1 or key_type == "pair"
        w_start, w_end = _predicate_window(text, phrase_end, clause_b, nxt, several=several)
        lists = parse_values(text, w_start, w_end, key_type)
        window = text[w_start:w_end]
        keys = _keys_of(m, key_type, window, lists)
        horizon, period = _horizon_for(text, m.start, ctx, sec.start, sec.kind, cues)
        back = _looking_back(m.start, sec.start, ctx, cues) if sec.kind in ("tasks", "five_year_plan") else None
        if back:
            kind, (horizon, period) = "outcome", back
        elif kind == "outcome" and (ahead := _plan_paragraph(text, m.start, ctx)):
            kind, horizon, period = "target", "five_year", ahead
        elif kind == "outcome" and (goal := _goal_ahead(text, m.start, ctx)):
            kind, (horizon, period) = "target", goal
        if kind == "target" and horizon == "annual" and not plan_year:
            continue
        # 预计 covers the figures after it up to the next ；/。 (GUIDE.md section 2)
        estimate = bool(_first_hit(text, _ESTIMATE, clause_a, m.start))
        scope_a = max(clause_a, m.start - 20)  # the commitment words in text[scope_a:w_end]
        commitment = _commitment(text, scope_a, w_end)
        base = {"source": source, "part": part, "kind": kind, "horizon": horizon, "period": period,
                "indicator_text": m.text, "estimate": estimate, "section": sec.kind, "commitment": commitment}
        produced = False
        level_rows = []
        # 外资外贸促稳提质: one predicate for both; 城乡居民收入分别增长7.5%: one figure for both
        shared = m.key == "trade_fdi_pair" or (key_type == "pair" and "分别" in window)
        piece_a = max(clause_a, _mark_before(text, m.start, "，,") + 1, m.start - 600) if lists and horizon != "annual" else 0
        for lst in lists:
            for j, key in enumerate(keys):
                v = _figure_for(lst, j, len(keys), item, n_items, shared)
                if v is None or not _unit_fits(key, v.unit, v.metric):
                    continue
                if horizon == "annual":
                    basis = "year"  # what _basis gives every annual figure, without its pieces
                else:
                    v_piece = max(phrase_end, _mark_before(text, v.start, "，,") + 1)
                    basis = _basis(horizon, v.metric, info.get(key, {}).get("type", key_type), v.qualifier,
                                   text[v_piece : v.end], text[piece_a : m.end] + text[v_piece : v.end])
                    if (basis == "cumulative" and v.metric == "level" and v.start == phrase_end
                            and _after_gdp_level(text, m.start)):
                        basis = "end"  # 生产总值6.66万亿元，…社会消费品零售总额2.9万亿元: the levels the period ended on
                est = estimate or bool(_first_hit(text, _ESTIMATE, m.start, v.start))
                # the nearest commitment word before the figure (增长6.5%，力争7%: only 7% is an aim)
                row_commitment = _commitment(text, scope_a, v.end) if commitment else ""
                row = {**base, "commitment": row_commitment, "estimate": est, "indicator": key, "metric": v.metric,
                       "value": v.value, "value_high": v.high,
                       "unit": v.unit, "qualifier": v.qualifier, "basis": basis,
                       "start": min(m.start, v.start), "end": v.end, "threshold": v.threshold}
                level_rows.append(row)
                produced = True
        # a threshold (突破万亿大关) next to an exact level of the same indicator adds nothing
        for row in level_rows:
            if row["threshold"] and any(
                r is not row and not r["threshold"] and r["indicator"] == row["indicator"] and r["metric"] == "level"
                for r in level_rows
            ):
                continue
            rows.append(row)
        if len(keys) == 1 and n_items == 1:
            rows.extend(_respectively_rows(text, m, keys[0], key_type, (clause_a, w_end, clause_b), horizon, base, info))
        flat = _FLAT.match(window) if "持平" in window else None
        if not produced and flat and len(keys) == 1:  # 居民消费价格与上年持平: growth 0
            rows.append({**base, "indicator": keys[0], "metric": "growth", "value": 0.0, "value_high": np.nan,
                         "unit": "%", "qualifier": "about" if flat.group(1) else "exact",
                         "basis": "cumulative" if horizon == "five_year" else "year",
                         "start": m.start, "end": w_start + flat.end(), "threshold": False})
            produced = True
        if not produced and sec.kind in ("targets", "five_year_plan"):
            # the qualitative phrase may run past a name it compares with (…增长与国内生产总值增长基本同步)
            piece_end = _mark_after(text, w_start, _PIECE_END)
            window = text[w_start : piece_end if piece_end >= 0 else w_end]
            qm = _QUAL.search(window[:30]) if window else None
            if qm is None and m.text.endswith("增收"):
                qm = _EMPTY.match(window)
            listed = False
            if qm is None and m.key == "energy_intensity" and _BOUND_TARGET.search(text, m.end, min(w_end, m.end + 40)):
                qm = _EMPTY.match(window)  # 万元GDP能耗、…等约束性指标达到要求: a binding target
            elif qm is None and _LISTED_TARGET.match(text, m.end, min(clause_b, m.end + 400)):
                qm, listed = _EMPTY.match(window), True  # 城镇新增就业、城镇登记失业率等约束性指标完成…目标
            if qm and not _DIGIT.search(window, 0, qm.start()):
                about_change = _GROWTH_WORD.search(window[: qm.start()] + window[qm.end() : qm.end() + 2])
                metric = "level" if (_LEVEL_QUAL.search(qm.group(0)) or listed) and not about_change else "growth"
                for key in keys:
                    rows.append({**base, "indicator": key, "metric": metric, "value": np.nan, "value_high": np.nan,
                                 "unit": "", "qualifier": "qualitative",
                                 "basis": "cumulative" if horizon == "five_year" else "year",
                                 "start": m.start, "end": w_start + qm.end(), "threshold": False})
    rows.extend(_binding_rows(text, secs, ctx, source, part, rows))
    out, seen = [], set()
    for row in rows:  # the same figure stated twice is one row
        value, high = row["value"], row["value_high"]
        sig = (row["kind"], row["horizon"], row["period"], row["indicator"], row["metric"],
               None if value != value else value, None if high != high else high,  # NaN as None (_nan_safe)
               row["unit"], row["qualifier"], row["basis"])
        if sig in seen:
            continue
        seen.add(sig)
        row["text"] = _evidence(text, row["start"], row["end"])
        row.pop("threshold", None)
        problem = invariant_violation(row, review_year, plan_year)
        if problem:  # refused, and said so in the errors table
            if errors is not None:
                errors.append({"source": source, "part": part, "stage": "indicators",
                               "message": f"refused row ({problem}): {_describe(row)}"})
            continue
        out.append(row)
    return out


_PERIOD = re.compile(r"(\d{4})(?:-(\d{4}))?")


@lru_cache(maxsize=256)
def _period_bounds(period: str) -> tuple[int, int] | None:
    m = _PERIOD.fullmatch(str(period or ""))
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or m.group(1))


def invariant_violation(row: dict, review_year: int | None, plan_year: int | None) -> str:
    """Why a row cannot be right, or ``""``: an outcome is never for a period ending after
    the review year, except a five-year plan under way (“十二五”前三年 in a review of 2013:
    2011-2015, begun by the review year); a target is never for a period that ended before
    the plan year; a goal for a year past the plan under way (到2035年) is not coded.

    >>> invariant_violation({"kind": "outcome", "period": "2026-2030"}, 2025, 2026)
    'an outcome for 2026-2030, which ends after the review year 2025'
    >>> invariant_violation({"kind": "target", "period": "2025"}, 2025, 2026)
    'a target for 2025, which ended before the plan year 2026'
    >>> invariant_violation({"kind": "target", "period": "2026-2030"}, 2025, 2026)
    ''
    >>> invariant_violation({"kind": "outcome", "period": "2011-2015"}, 2013, 2014)
    ''
    >>> invariant_violation({"kind": "outcome", "period": "2022-2026"}, 2025, 2026)
    'an outcome for 2022-2026, which ends after the review year 2025'
    >>> invariant_violation({"kind": "target", "horizon": BEYOND, "period": "2035"}, 2025, 2026)
    'a goal for 2035, past the plan under way'
    """
    bounds = _period_bounds(row.get("period", ""))
    if bounds is None:
        return ""
    if row.get("horizon") == BEYOND:
        return f"a goal for {row['period']}, past the plan under way"
    start, end = bounds
    under_way = end - start == 4 and start % 5 == 1 and start < int(review_year or 0)  # a plan's first years, reviewed
    if row.get("kind") == "outcome" and review_year and end > int(review_year) and not under_way:
        return f"an outcome for {row['period']}, which ends after the review year {review_year}"
    if row.get("kind") == "target" and plan_year and end < int(plan_year):
        return f"a target for {row['period']}, which ended before the plan year {plan_year}"
    return ""


def _describe(row: dict) -> str:
    value = "" if _nan_safe(row.get("value")) is None else f" {row['value']:g}{row.get('unit', '')}"
    return (f"{row['kind']} {row['horizon']} {row['period']} {row['indicator']} {row['metric']}{value}"
            f" {row['qualifier']} at {row['start']}-{row['end']} «{row.get('text', '')}»")


_PREFIX_SPAN = 1000  # real clauses hold a name at most ~450 characters in


_WHOLE = re.compile(r"全(?:国|省|市|县|区|镇|乡|州|盟|旗|街道)|[我本](?:省|市|县|区|镇|乡|州|盟|旗|街道)|[县镇乡市]域")
_EXCEPT = re.compile(r"扣除[^，,。；;]{0,12}后[，,]?$")


_LEAD_MARKS = frozenset("，,；;。：:、（(“ ")  # one of these last is a lead-in (_PREFIX_OK's first class)


def _whole_region(text: str, m: Mention, clause_a: int, region: str) -> bool:
    """Whether a name stands for the whole region, not a sub-area, sub-group or component.

    The words just before it must be a whole-region lead-in (全县, 实现, 其中 …) or
    punctuation: 海洋生产总值, 第一产业固定资产投资, 民营企业实现税收收入 are not.
    """
    prefix = text[max(clause_a, m.start - _PREFIX_SPAN) : m.start]  # bounded: linear on clause-less text
    if region:  # the report's own name (平阴县, 平阴) is a whole-region lead-in
        prefix = prefix.replace(region, "")
        if len(region) > 2:
            prefix = prefix.replace(region[:-1], "")
    # _PREFIX_OK is anchored at the end and looks at nothing before its match: six characters decide
    if prefix[-1:] not in _LEAD_MARKS and not _PREFIX_OK.search(prefix[-6:]):
        return False
    domain = _DOMAIN.search(prefix)
    if domain and region and not region.endswith(domain.group(1)):
        return False  # 镇域经济总量 in a county's report: a town's economy
    # _SUBAREA is anchored at the end (a dozen characters at most): its tail is enough
    if _SUBAREA.search(prefix[-40:]) and not _WHOLE.search(prefix):
        return False
    if ((_SUBAREA_HEAD.match(prefix) or _SUBAREA_SUBJECT.match(prefix) or _EXCEPT.search(prefix))
            and not _WHOLE.search(prefix)):
        return False  # 开发区实现生产总值502亿元，规上工业产值…: the clause is about a sub-area
    if _PLACE_AFTER_WHOLE.search(prefix):
        return False  # 全县工业园区实现…, 我镇工业园区…: the region's park, not the region
    if m.key == "market_entities" and _NEW_ENTITIES.search(prefix):
        return False  # 新增市场主体 is a flow of new entities, not the stock
    if prefix.endswith("人均") or (m.key == "population" and text.startswith("城镇化", m.end)):
        return False
    if m.key == "trade" and text.startswith("加工", m.end):
        return False  # 进出口加工总值: processing trade, a component of trade
    if m.key == "exports" and text.startswith(("收购", "供货", "交货"), m.end):
        return False  # 外贸出口收购额, 出口供货额, 出口交货值: goods bought or delivered for export, not exports
    if m.key == "exports" and prefix.endswith("、") and _product_item_before(text, m.start - 1):
        return False  # 猕猴桃综合产值增长8.5%、出口增长53.6%: the product's exports
    if (_may_be_ratio(text, m.end) and _RATIO.match(text, m.end)) or prefix.endswith("占"):
        return False  # 物流费用与GDP的比率, 服务业增加值在生产总值中的比重: a ratio, not the indicator
    if prefix[-1:] in ("与", "和", "同") and _SYNC_REF.match(text, m.end):
        return False  # the name a target is compared with: 收入增长与国内生产总值增长基本同步
    return True


_RANK_INSIDE = r"(?:为|居|列|位居|位列)全{}(?:之首|首位|第[一二三四五六七八九十\d]{{1,2}}位?)"


def _ranked_inside(text: str, pos: int, region: str) -> bool:
    """Whether the figure's sentence ranks it inside the reporting region itself (吉安地区…粮食产量增长6.1%，
    为全省之首 in a province's report; …居全县第一 in a county's): a sub-area's figure."""
    if len(region) < 2 or region[-1] not in "省市县区旗州盟":
        return False
    end = _mark_after(text, pos, _PIECE_MARKS, pos + 60)  # the figure's comma piece and the next one
    if end >= 0 and text[end] in "，,":
        end = _mark_after(text, end + 1, _PIECE_MARKS, end + 60)
    return re.search(_RANK_INSIDE.format(region[-1]), text[pos : end if end >= 0 else pos + 60]) is not None


_BACKGROUND = re.compile(r"在[^，,。；;]{0,24}$")
_BACKGROUND_END = re.compile(r"[^，,。；;]{0,30}?的?大?(?:背景|情况|形势)下")


def _national_figure(text: str, pos: int, clause_a: int, level: str) -> bool:
    """A name right after 全国 in a local report (level known and not ``country``), or in a
    background piece of any report (在全国国内生产总值增长7.8%的大背景下，…): the country's
    figure, not the region's."""
    if not text.endswith(("全国", "全国的"), max(0, pos - 3), pos):
        return False
    if level and level != "country":
        return True
    lead = pos - (3 if text[pos - 1] == "的" else 2)
    return bool(_BACKGROUND.search(text, max(clause_a, lead - 24), lead)) and bool(_BACKGROUND_END.match(text, pos))


def _component_of_stated(text: str, mentions: list[Mention], idx: int, key: str, level: str, region: str,
                         stated: dict[int, set[str]]) -> bool:
    """A name after 其中 that the sentence already stated before the 其中 is a component
    (固定资产投资增长25%，其中城镇固定资产投资9.8亿元): GUIDE.md codes no components. A name
    inside a longer one (农业总产值 in 工农业总产值…，其中…农业总产值) was not stated.
    ``stated`` keeps, per 其中, the keys stated before it (each sentence read once)."""
    m = mentions[idx]
    sent_a = _mark_before(text, m.start, _SENT_END) + 1
    among_at = _among_positions(text)
    k = bisect_left(among_at, m.start - 1) - 1  # the last 其中 ending at or before the name
    if k < 0 or among_at[k] < sent_a:
        return False
    among = among_at[k]
    if among not in stated:
        keys = stated[among] = set()
        for j in range(bisect_left(mentions, sent_a, key=lambda mm: mm.start), len(mentions)):
            prev = mentions[j]
            if prev.start >= among:
                break
            if (prev.end <= among and (r := key_of(prev, level)) is not None
                    and _whole_region(text, prev, _clause_bounds(text, prev.start)[0], region)):
                keys.add(r.key)
    return key in stated[among]


@lru_cache(maxsize=4)
def _among_positions(text: str) -> list[int]:
    """Where 其中 stands in ``text``."""
    return list(_found_at(text, "其中"))


_PRODUCT_ITEM = re.compile(r"[^\d，,；;。：:、]{1,12}?(?:综合)?(?:产值|产量|销量|销售额|种植面积)[^，,；;。：:、]*\d")


def _product_item_before(text: str, join: int) -> bool:
    """Whether the 、-item ending at ``join`` states a product's output (猕猴桃综合产值增长8.5%)
    and names no indicator: the bare name after it (出口) is that product's."""
    a = _mark_before(text, join, "，,；;。：:、") + 1
    return bool(_PRODUCT_ITEM.match(text, a, join)) and compiled_lexicon()[0].search(text, a, join) is None


_COMPARED = re.compile(r"(?:增速|增长|增幅)?[、，,]")


def _compared_with(text: str, m: Mention) -> bool:
    """Whether a name is only what a rate is compared with (…增速高于经济增速、…), its item ending there."""
    return text[max(0, m.start - 2) : m.start] in ("高于", "低于", "快于", "慢于", "跑赢") and bool(
        _COMPARED.match(text, m.end))


_PAIRS = {"disposable_income_pair": ["disposable_income_urban", "disposable_income_rural"],
          "sector_triplet": ["primary_value_added", "secondary_value_added", "services_value_added"],
          "investment_pair": ["domestic_investment", "foreign_investment"],
          "budget_pair": ["budget_revenue", "budget_expenditure"]}
# one figure (or none) for the whole pair: the combined statistic (城乡居民收入增长8%), or no row
# where there is none (内外资增长8%, 一般公共预算收支平衡); other pairs keep their own key
_PAIR_ALONE = {"disposable_income_pair": ["disposable_income"], "investment_pair": [], "budget_pair": []}


def _keys_of(m: Mention, key_type: str, window: str, lists: list[list[Value]]) -> list[str]:
    """The indicator keys a name stands for: 城乡居民收入 is two with 分别 or two figures, else one."""
    if key_type != "pair":
        return [m.key]
    if m.key == "trade_fdi_pair":
        return ["foreign_investment", "trade"] if m.text.startswith("外资") else ["trade", "foreign_investment"]
    if "分别" in window or any(len(lst) >= 2 for lst in lists):
        return _PAIRS.get(m.key, [m.key])
    return _PAIR_ALONE.get(m.key, [m.key])


def _figure_for(lst: list[Value], j: int, n_keys: int, item: int, n_items: int, shared: bool) -> Value | None:
    """The figure of a value list that belongs to key ``j`` of a name (or item ``item`` of a run of names)."""
    if n_keys > 1:
        if len(lst) == n_keys:
            return lst[j]
        return lst[0] if len(lst) == 1 and shared else None
    if n_items > 1:
        if len(lst) == n_items:
            return lst[item]
        # one growth rate for several names is each one's; one level is their sum, not either
        return lst[0] if len(lst) == 1 and lst[0].metric != "level" else None
    if len(lst) >= 2 and all(v.metric == "level" for v in lst):
        # 突破3万亿元、达3.6万亿元; 接连突破8万亿元、9万亿元: the last, most precise figure
        last = lst[-1]
        if last.qualifier == "exact" and not last.pre and lst[0].qualifier == "at_least":
            last = Value(last.value, last.high, last.unit, "at_least", last.metric, last.start, last.end, pre=lst[0].pre)
        return last
    return lst[0]


def _nan_safe(v):
    return None if isinstance(v, float) and v != v else v


_RESPECTIVELY = re.compile(r"[，,](?:预计)?分别|[，,](?=(?:实际|名义)?(?:增长|下降)[\d.]+%[和、][\d.]+%)")


def _respectively_marks(text: str) -> list[re.Match[str]]:
    """``_RESPECTIVELY.finditer(text)``: each match is a comma one or three characters before
    分别 (预计分别) or 增长/下降 (实际增长), so only those commas are tried."""
    words = [*_found_at(text, "分别"), *_found_at(text, "增长"), *_found_at(text, "下降")]
    return _matches_at(text, _RESPECTIVELY, [p - d for p in words for d in (1, 3) if p >= d])


_SCANS[_RESPECTIVELY] = _respectively_marks


def _commitment(text: str, a: int, b: int) -> str:
    """``hard`` (确保, 必须 …) or ``soft`` (力争, 争取 …): the last such word in ``text[a:b]``, else ``""``."""
    last, kind = -1, ""
    for pattern, name in ((_HARD, "hard"), (_SOFT, "soft")):
        for m in pattern.finditer(text, a, b):
            if m.start() > last:
                last, kind = m.start(), name
    return kind


_LEAD_IN_SPAN = 8


def _lead_in(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` may stand before a piece's name: short, no figure, no other name."""
    return b - a <= _LEAD_IN_SPAN and not _DIGIT.search(text, a, b) and next(lexicon_matches(text[a:b]), None) is None


def _respectively_rows(text: str, m: Mention, key: str, key_type: str, bounds: tuple[int, int, int],
                       horizon: str, base: dict, info: dict) -> list[dict]:
    """“A超过12.6万户，B达到1455家，分别较“十三五”末增长17.8%和54.5%”: A takes the first figure.

    A later comma piece opening with 分别 and holding N figures refers back to the N pieces
    before it; the name at the head of the i-th of those pieces (after a short lead-in such as
    全年完成 or 其中) takes the i-th figure.
    """
    clause_a, w_end, clause_b = bounds
    r = _first_hit(text, _RESPECTIVELY, w_end, clause_b)
    if r is None:
        return []
    piece_end = _mark_after(text, r.end(), "，,", clause_b)
    piece_end = clause_b if piece_end < 0 else piece_end
    lists = [lst for lst in parse_values(text, r.end(), piece_end, key_type) if len(lst) >= 2]
    if not lists:
        return []
    n = len(lists[0])
    ms = _marks(text, "，,、")
    lo, hi = bisect_left(ms, clause_a), bisect_left(ms, r.start())
    first = max(lo, hi - 64 - n)  # the pieces before 分别, a bounded look back
    heads = [clause_a if first == lo else ms[first - 1] + 1] + [c + 1 for c in ms[first:hi]]
    ends = heads[1:] + [r.start() + 1]
    # a piece without a figure (扣除价格因素, 按可比价格计算) is not one of the N
    pieces = [(h, e) for h, e in zip(heads, ends, strict=True) if _DIGIT.search(text, h, e - 1)][-n:]
    if len(pieces) < n:
        return []
    # the piece whose head is the name, or a short lead-in before it (全年完成…, 其中…)
    i = next((j for j, (h, e) in enumerate(pieces) if h <= m.start < e), -1)
    if i < 0 or not _lead_in(text, pieces[i][0], m.start):
        return []
    out = []
    for lst in lists:
        v = lst[i]
        if not _unit_fits(key, v.unit, v.metric):
            continue
        basis = _basis(horizon, v.metric, info.get(key, {}).get("type", key_type), v.qualifier,
                       text[r.start() : v.end], text[r.start() : v.end])
        out.append({**base, "indicator": key, "metric": v.metric, "value": v.value, "value_high": v.high,
                    "unit": v.unit, "qualifier": v.qualifier, "basis": basis,
                    "start": m.start, "end": v.end, "threshold": False})
    return out


def _binding_rows(text: str, secs: list, ctx: Context, source: str, part: int, rows: list[dict]) -> list[dict]:
    """完成…节能减排约束性指标: a qualitative energy-intensity target."""
    out = []
    have = {(r["indicator"], r["horizon"]) for r in rows if r["kind"] == "target"}
    for sec in secs:
        if sec.kind not in ("targets", "five_year_plan"):
            continue
        for bm in _BINDING.finditer(text, sec.start, sec.end):
            horizon = "five_year" if sec.kind == "five_year_plan" else "annual"
            if ("energy_intensity", horizon) in have:
                continue
            period = _horizon_for(text, bm.start(), ctx, sec.start, sec.kind)[1]
            out.append({"source": source, "part": part, "kind": "target", "horizon": horizon, "period": period,
                        "indicator": "energy_intensity", "indicator_text": bm.group(0), "metric": "growth",
                        "value": np.nan, "value_high": np.nan, "unit": "", "qualifier": "qualitative",
                        "basis": "cumulative" if horizon == "five_year" else "year", "estimate": False,
                        "start": bm.start(), "end": bm.end(), "section": sec.kind, "commitment": "", "threshold": False})
            have.add(("energy_intensity", horizon))
    return out


_SPACES = re.compile(r"\s+")


def _evidence(text: str, start: int, end: int) -> str:
    """The clause around ``[start, end)``, whitespace removed."""
    ms = _marks(text, _PIECE_END)
    k, j = bisect_left(ms, start), bisect_left(ms, end)
    a, b = (ms[k - 1] + 1 if k > 0 else 0), (ms[j] if j < len(ms) else len(text))
    return _SPACES.sub("", text[a:b])


def extract_corpus(corpus) -> pd.DataFrame:
    """Indicator rows of every report in a corpus."""
    rows: list[dict] = []
    for d in corpus.documents:
        meta = d.meta
        try:
            rows += extract_rows(
                d.text, d.sections, review_year=meta.get("review_year"), plan_year=meta.get("plan_year"),
                source=d.source, part=d.part, region=meta.get("region") or "", level=meta.get("level") or "",
                errors=corpus._errors,
            )
        except Exception as err:  # noqa: BLE001 - one bad report never stops a corpus
            corpus._errors.append({"source": d.source, "part": d.part, "stage": "indicators",
                                   "message": f"{type(err).__name__}: {err}"})
            continue
    return _frame(rows)


_STD = {
    "元": (1, "yuan"), "万元": (1e4, "yuan"), "亿元": (1e8, "yuan"), "万亿元": (1e12, "yuan"),
    "美元": (1, "usd"), "万美元": (1e4, "usd"), "亿美元": (1e8, "usd"), "万亿美元": (1e12, "usd"),
    "人": (1, "persons"), "万人": (1e4, "persons"), "万人次": (1e4, "person-times"),
    "吨": (1, "tonnes"), "万吨": (1e4, "tonnes"), "斤": (0.0005, "tonnes"), "万斤": (5, "tonnes"), "公斤": (0.001, "tonnes"), "万公斤": (10, "tonnes"), "亿公斤": (1e5, "tonnes"),
    "亿斤": (5e4, "tonnes"), "万亿斤": (5e8, "tonnes"), "亿吨": (1e8, "tonnes"), "户": (1, "households"), "万户": (1e4, "households"), "亿户": (1e8, "households"),
    "家": (1, "entities"), "万家": (1e4, "entities"), "%": (1, "percent"), "‰": (0.1, "percent"), "成": (10, "percent"),
    "个百分点": (1, "percentage points"), "倍": (1, "times"), "亩": (1, "mu"), "万亩": (1e4, "mu"),
    "亿人": (1e8, "persons"), "千克标准煤": (0.001, "tce"), "吨标准煤": (1, "tce"), "万吨标准煤": (1e4, "tce"),
}


def standardize_units(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``value_std`` and ``unit_std`` so 亿元 and 万元 figures compare.

    >>> df = pd.DataFrame({"value": [1.2, 3000.0, 5.0, 520.0], "unit": ["万亿元", "万元", "%", "千克标准煤"]})
    >>> standardize_units(df)[["value_std", "unit_std"]].values.tolist()
    [[1200000000000.0, 'yuan'], [30000000.0, 'yuan'], [5.0, 'percent'], [0.52, 'tce']]
    """
    out = df.copy()
    factors = out["unit"].map(lambda u: _STD.get(u, (np.nan, ""))[0])
    out["value_std"] = out["value"].astype(float) * factors.astype(float)
    out["unit_std"] = out["unit"].map(lambda u: _STD.get(u, (np.nan, ""))[1])
    return out
