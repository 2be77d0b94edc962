"""Fast implementations of the front (script detection, decoding checks, normalisation) give
the same results as the plain reference implementations kept here, on constructed text."""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

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
            if name == "PAGE_RULES":  # running headers have no reference form: the same rule, built from the text
                mt = mt.sub(N.running_header_rules(mt.text))
            mt = mt.sub(_reference(name))
            if name == "UNICODE_RULES":  # the year and number rules have no reference form: the same objects
                mt = mt.sub(N.YEAR_RULES).sub(N.NUMBER_RULES)
        mt = mt.sub(N.BLANK_RULES)
        return mt.sub(_join_reference(N.hard_wrap_width(mt.text)))

    for text in _constructed(13) + ["", "\n", "a" * 3000, "增 长" * 800 + "\n" + "一 二" * 800]:
        assert _same(N.normalize(text), reference(text)), text


# --------------------------------------------------------------------------- sections, metadata, split


def _candidates_reference(text: str) -> list[tuple[int, str, str]]:
    from govreport.sections import _CN_NUM, _MARKERS, _heading_text, heading_kind

    out = []
    for m in re.finditer(r"(?m)^[^\n]*", text):
        line = m.group(0)
        if not line.strip():
            continue
        for style, pat in _MARKERS:
            if pat.match(line):
                out.append((m.start(), style, _heading_text(line)))
                break
        else:
            if (len(line) <= 40 and not re.search(r"[。；;，,！!？?：:的和与及、]$", line) and "工作报告" not in line
                    and heading_kind(line)):
                out.append((m.start(), "plain", line))
    for m in re.finditer(rf"(?<=[。！!？?；;:：])[ ]*(?P<h>[{_CN_NUM}]{{1,3}}、)", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.start())
        if (line_end if line_end >= 0 else len(text)) - line_start > 400:
            out.append((m.start("h"), "cn", _heading_text(text[m.start("h") : m.start("h") + 40])))
    out.sort()
    return out


def _years_reference(text: str) -> tuple[int | None, int | None]:
    review_head = re.compile(r"(?P<y>\d{4})年(?:[^\n。]{0,24}?)(?:工作)?(?:回顾|总结)")
    plan_head = re.compile(r"(?P<y>\d{4})年(?:的)?(?:政府)?(?:工作|主要|重点|经济社会发展)[^\n。]{0,12}?(?:安排|任务|目标|要求|思路)")
    review = next((int(m.group("y")) for m in review_head.finditer(text[:20000])), None)
    plan = next((int(m.group("y")) for m in plan_head.finditer(text) if not review or int(m.group("y")) > review), None)
    return review, plan


def _trim_tail_reference(text: str, start: int, end: int) -> int:
    from govreport.split import _WEB_MARKER, _WEB_WORDS

    body = text[start:end]
    half = len(body) // 2
    for m in _WEB_MARKER.finditer(body):
        line_start = body.rfind("\n", 0, m.start()) + 1
        line_end = body.find("\n", m.end())
        line = body[line_start : line_end if line_end >= 0 else len(body)]
        if m.start() >= half and len(line) < 80:
            body = body[:line_start]
            break
    lines = body.rstrip("\n").split("\n")
    while len(lines) > 1:
        last = lines[-1].strip()
        if not last or len(last) < 30 and not re.search(r"[。！!]$", last) or _WEB_WORDS.search(last):
            lines.pop()
            continue
        break
    return start + len("\n".join(lines))


_REPORT_PIECES = [
    "一、", "（二）", "(三)", "3.", "12、", "1.5", "十二、", "四、", "2024年工作回顾", "2025年工作安排", "2025年主要目标",
    "12024年工作总结", "2023年的政府工作任务", "。", "：", "；", " ", "\n", "\n\n", "各位代表：", "增长5%", "政府工作报告",
    "联系我们", "版权所有", "今年工作", "本站", "x" * 50, "发展" * 250,
]


def _report_texts(seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["", "\n", "一、回顾\n"] + [
        "".join(rnd.choice(_REPORT_PIECES) for _ in range(rnd.randint(0, 120))) for _ in range(300)
    ]


def test_section_candidates_match_reference():
    from govreport.sections import _candidates

    for text in _report_texts(21):
        assert _candidates(text) == _candidates_reference(text), text


def test_years_match_reference():
    from govreport.metadata import _years

    for text in _report_texts(22):
        assert _years(text) == _years_reference(text), text


def test_trim_tail_matches_reference():
    from govreport.split import _trim_tail

    for text in _report_texts(23):
        for start, end in ((0, len(text)), (len(text) // 3, len(text)), (0, len(text) // 2)):
            assert _trim_tail(text, start, end) == _trim_tail_reference(text, start, end), text


# --------------------------------------------------------------------------- report columns and flags


def _add_report_columns_reference(indicators, reports):
    """The merge the look-up replaced (report columns only)."""
    import pandas as pd

    from govreport.enrich import REPORT_KEYS

    ind = indicators.copy()
    keep = [c for c in REPORT_KEYS if c in reports]
    rep = reports[["source", "part", *keep]].drop_duplicates(["source", "part"])
    rep = rep.assign(part=pd.to_numeric(rep["part"], errors="coerce").astype("Int64"))
    ind = ind.drop(columns=[c for c in keep if c in ind])
    ind["_part"] = pd.to_numeric(ind["part"], errors="coerce").astype("Int64")
    ind = ind.merge(rep.rename(columns={"part": "_part"}), on=["source", "_part"], how="left").drop(columns="_part")
    ind["year"] = pd.to_numeric(ind["year"], errors="coerce").astype("Int64")
    for c in ("adcode", "region", "level", "parent", "province"):
        ind[c] = ind[c].astype("string").fillna("").astype(object)
    return ind


def test_report_columns_match_the_merge():
    import pandas as pd

    from govreport.enrich import REPORT_KEYS, add_report_columns

    ind = pd.DataFrame({"source": ["a.txt", "a.txt", "b.txt", "c.txt", "a.txt"], "part": [0, 1, 0, 0, 0],
                        "period": ["2026", "2021-2025", "", None, "2025"], "indicator": "gdp",
                        "indicator_text": "地区生产总值", "region": "stale"})
    rep = pd.DataFrame({"source": ["a.txt", "a.txt", "b.txt", "a.txt"], "part": [0, 1, 0, 0],
                        "region": ["甲县", "乙县", None, "重复"], "level": "county", "parent": ["", "丙市", "丁市", ""],
                        "province": "山东省", "adcode": ["370124", "", None, "1"], "year": [2026, None, 2025, 1]})
    rep["year"] = rep["year"].astype("Int64")
    for i, r in ((ind, rep), (ind.assign(part=ind["part"].astype(str)), rep), (ind, rep.assign(adcode=[1, 2, None, 3]))):
        got = add_report_columns(i, r)
        want = _add_report_columns_reference(i, r)
        for c in REPORT_KEYS:
            pd.testing.assert_series_equal(got[c], want[c], check_exact=True)
        assert got["region"].tolist()[:4] == ["甲县", "乙县", "", ""]


def test_rows_of_is_itertuples():
    import pandas as pd

    from govreport.plausible import rows_of

    df = pd.DataFrame({"a": ["x", None], "b": pd.array([1, None], dtype="Int64"), "c": [1.5, float("nan")],
                       "d": [True, False], "e": pd.Series([{"k": 1}, 2], dtype=object)})
    got, want = list(rows_of(df)), list(df.itertuples(index=False))
    assert [r._fields for r in got] == [r._fields for r in want]
    assert [tuple(map(str, r)) for r in got] == [tuple(map(str, r)) for r in want]  # Int64: int, not np.int64
    assert [r.b for r in rows_of(df, ["b"])] == [1, pd.NA] and len(list(rows_of(df, []))) == 2


def test_title_starts_match_reference():
    from govreport.split import _NOT_TITLE, _TITLE, _title_starts

    def reference(text: str) -> list[tuple[int, str]]:
        out = []
        for m in _TITLE.finditer(text):
            title = m.group("title").strip(" ：:")
            if not _NOT_TITLE.search(title.replace("工作报告", "")):
                out.append((m.start(), title))
        return out

    pieces = [*_REPORT_PIECES, "政府工作报告", "2026年甲县政府工作报告", "• 【某网】", "——2026年1月", "（摘要）", "关于", "。"]
    rnd = random.Random(24)
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60)))
        assert _title_starts(text) == reference(text), text


def test_body_chars_counts_as_the_whitespace_pattern():
    from govreport.plausible import body_chars

    for text in ["", " \n\t\u3000\u00a0\x1c\x85\u2028", *_report_texts(25)[:50]]:
        for title in ("", "政府工作报告"):
            rest = text.replace(title, "", 1) if title else text.split("\n", 1)[-1]
            assert body_chars(text, title) == len(re.sub(r"\s", "", rest))


def test_gov_spots_match_the_whole_text_scan():
    from govreport.metadata import _GOV_SPOT, _gov_spots

    pieces = ["中共", "在", "甲乙", "丙丁戊", "钢城区", "某某市", "省", "县", "委", "人民政府", "人民代表大会", "人大常委会",
              "政协", "的领导下", "，", "。", "\n", "一" * 20, "12", "区委、区政府"]
    rnd = random.Random(26)
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 80)))
        got = [(m.span(), m.group("a"), m.group("b")) for m in _gov_spots(text)]
        assert got == [(m.span(), m.group("a"), m.group("b")) for m in _GOV_SPOT.finditer(text)], text


def _add_report_columns_setitem_reference(indicators, reports):
    """add_report_columns as it was: column by column onto a copy (the frame is now built once)."""
    import pandas as pd

    from govreport.enrich import REPORT_KEYS, _after, _report_rows, definition_of, period_bounds

    ind = indicators.copy()
    cols = list(ind.columns)
    if reports is not None and len(reports.columns) and {"source", "part"} <= set(ind.columns):
        keep = [c for c in REPORT_KEYS if c in reports]
        rows = _report_rows(ind, reports)
        ind = ind.drop(columns=[c for c in keep if c in ind]).reset_index(drop=True)
        for c in keep:
            ind[c] = pd.Series(_report_column_reference(reports[c], rows, c))
        cols = _after(cols, "part", [c for c in keep if c not in cols])
    if "period" in ind:
        bounds = [period_bounds(p) for p in ind["period"].tolist()]
        ind["period_start"] = pd.array([b[0] for b in bounds], dtype="Int64")
        ind["period_end"] = pd.array([b[1] for b in bounds], dtype="Int64")
        cols = _after(cols, "period", [c for c in ("period_start", "period_end") if c not in cols])
    if "indicator" in ind:
        texts = ind["indicator_text"].tolist() if "indicator_text" in ind else [""] * len(ind)
        ind["definition"] = [definition_of(str(k), str(t)) for k, t in zip(ind["indicator"].tolist(), texts, strict=True)]
        cols = _after(cols, "indicator_text" if "indicator_text" in cols else "indicator",
                      [] if "definition" in cols else ["definition"])
    return ind[cols + [c for c in ind.columns if c not in cols]]


def _report_column_reference(values, rows, name):
    import pandas as pd

    value = pd.Series(values.array.take(rows, allow_fill=True))
    if name == "year":
        return pd.to_numeric(value, errors="coerce").astype("Int64")
    if name in ("adcode", "region", "level", "parent", "province"):
        return value.astype("string").fillna("").astype(object)
    return value


def _definition_reference(indicator: str, indicator_text: str) -> str:
    from govreport.enrich import definitions

    rules = definitions()
    for pattern, definition in rules.loc[rules["indicator"] == indicator, ["pattern", "definition"]].itertuples(index=False):
        if not pattern or re.search(pattern, indicator_text or ""):
            return definition
    return ""


def test_report_columns_frame_built_once_matches_setitem():
    import pandas as pd

    from govreport.enrich import add_report_columns, definition_of, definitions

    ind = pd.DataFrame({"source": ["a.txt", "a.txt", "b.txt", "c.txt", "a.txt"], "part": [0, 1, 0, 0, 0],
                        "kind": "target", "period": ["2026", "2021-2025", "", None, "2025"],
                        "indicator": ["gdp", "unemployment_rate", "unemployment_rate", "disposable_income_rural", "x"],
                        "indicator_text": ["地区生产总值", "城镇登记失业率", "城镇调查失业率", "农民人均纯收入", None],
                        "value": [5.0, 3.5, None, 1.0, 2.0], "region": "stale"}, index=[3, 4, 5, 6, 7])
    rep = pd.DataFrame({"source": ["a.txt", "a.txt", "b.txt"], "part": [0, 1, 0], "region": ["甲县", "乙县", None],
                        "level": "county", "parent": ["", "丙市", "丁市"], "province": "山东省",
                        "adcode": ["370124", "", None], "year": pd.array([2026, None, 2025], dtype="Int64")})
    cases = [(ind, rep), (ind, None), (ind.drop(columns=["region", "indicator_text"]), rep), (ind.iloc[:0], rep),
             (ind.drop(columns=["period", "indicator"]), rep), (ind, rep.assign(adcode=[1, 2, None]))]
    for i, r in cases:
        got, want = add_report_columns(i, r), _add_report_columns_setitem_reference(i, r)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    texts = ["城镇登记失业率", "城镇调查失业率", "农村居民人均可支配收入", "农民人均纯收入", "全体居民", "", "地区生产总值"]
    for key in [*dict.fromkeys(definitions()["indicator"]), "gdp", "nothing"]:
        for text in texts:
            assert definition_of(key, text) == _definition_reference(key, text)


def test_reports_from_columns_match_rows():
    import pandas as pd

    from govreport.corpus import read

    corpus = read(Path(__file__).resolve().parents[1] / "data" / "raw", corrections=None)
    docs = corpus.documents
    assert len(docs) > 3 and all(d.meta for d in docs)
    docs[1].meta["year"], docs[2].meta["plan_year"] = 1850, None  # a flag, a missing year
    pd.testing.assert_frame_equal(corpus.reports, corpus._reports_from_rows(), check_exact=True)
    assert "year_out_of_range" in corpus.reports["flags"].iloc[1]
    del docs[0].meta["url"]  # a report without some metadata: the rows path (NaN for the missing key)
    corpus.__dict__.pop("reports")
    pd.testing.assert_frame_equal(corpus.reports, corpus._reports_from_rows(), check_exact=True)


def _indicator_flags_reference(df, texts=None):
    """plausible.indicator_flags as it was: one row object per indicator row."""
    import numpy as np
    import pandas as pd

    from govreport.indicators import standardize_units
    from govreport.plausible import (
        _NEG_SIGN,
        FIRST_YEAR,
        TARGET_HORIZON,
        _join,
        _range_for,
        next_year,
        rows_of,
    )

    def period_years(row):
        start, end = getattr(row, "period_start", None), getattr(row, "period_end", None)
        if start is None or pd.isna(start):
            years = [int(y) for y in re.findall(r"(?<!\d)-?\d{1,4}", str(getattr(row, "period", "") or ""))]
            if not years:
                return None, None
            start, end = years[0], years[-1]
        return int(start), int(end if end is not None and not pd.isna(end) else start)

    if df.empty:
        return pd.Series([], index=df.index, dtype=object)
    std = standardize_units(df)
    ny = next_year()
    value_std, unit_std = std["value_std"].to_numpy(), std["unit_std"].to_numpy()
    out = []
    names = [c for c in ("source", "part", "value", "value_high", "indicator", "metric", "horizon", "kind",
                         "start", "end", "period", "period_start", "period_end") if c in df.columns]
    for i, row in enumerate(rows_of(df, names)):
        f = []
        factor = value_std[i] / row.value if row.value else 1.0
        bounds = _range_for(str(row.indicator), str(row.metric), str(row.horizon), unit_std[i] or "")
        for v in (row.value, row.value_high):
            if bounds and v is not None and not pd.isna(v):
                x = v * factor if np.isfinite(factor) else v
                if not bounds[0] <= x <= bounds[1]:
                    f.append("value_out_of_range")
        start, end = period_years(row)
        limit = ny + (TARGET_HORIZON if row.kind == "target" else 0)
        if (start is not None and start < FIRST_YEAR) or (end is not None and not FIRST_YEAR <= end <= limit):
            f.append("year_out_of_range")
        text = (texts or {}).get((row.source, row.part))
        if text is not None and row.value is not None and not pd.isna(row.value) and row.value < 0:
            if _NEG_SIGN.search(text, max(int(row.start), 0), int(row.end)):
                f.append("double_negative")
        out.append(f)
    return pd.Series(_join(out), index=df.index, dtype=object)


def test_indicator_flags_match_row_reference():
    import pandas as pd

    from govreport.corpus import read
    from govreport.plausible import indicator_flags

    corpus = read(Path(__file__).resolve().parents[1] / "data" / "raw", corrections=None)
    texts = {(d.source, d.part): d.text for d in corpus.documents}
    ind = corpus.indicators.drop(columns="flags")
    rng = random.Random(7)
    edited = ind.copy()
    rows = rng.sample(range(len(ind)), 40)
    for i in rows[:10]:  # negative values (double negatives where the text says 下降), absurd ones
        edited.loc[i, "value"] = -abs(edited.loc[i, "value"] or 1.0)
    for i in rows[10:20]:
        edited.loc[i, "value"], edited.loc[i, "value_high"] = 1e9, float("nan")
    for i in rows[20:30]:  # periods without bounds, years out of range
        edited.loc[i, "period_start"], edited.loc[i, "period"] = pd.NA, "1890-2100"
    edited.loc[rows[30], "period_end"] = pd.NA
    for df in (ind, edited, edited.iloc[::3], edited.iloc[:0], edited.drop(columns=["period_start", "period_end"])):
        pd.testing.assert_series_equal(indicator_flags(df, texts), _indicator_flags_reference(df, texts))
        pd.testing.assert_series_equal(indicator_flags(df), _indicator_flags_reference(df))
    assert {"value_out_of_range", "year_out_of_range"} <= set(";".join(indicator_flags(edited, texts)).split(";"))
    # a five-year period read from its text (no bounds): 2021-2025 ends in 2025, not in year -2025
    bare = ind.drop(columns=["period_start", "period_end"])
    assert (indicator_flags(bare, texts) == indicator_flags(ind, texts)).all()
    assert (ind["period"].str.contains("-") & (indicator_flags(ind, texts) == "")).any()
