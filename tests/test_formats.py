"""Each format built from a seed report reads to the same metadata and indicators as the text.

Web page (with navigation, toolbars, scripts and footer around the report), HTML saved as
``.txt``, a listing page holding two reports, a PDF (drawn with matplotlib in the Noto Sans
SC font of ``pylopdf-fonts-zh-cn``: a real, extractable text layer, with page headers and
page numbers), a Word ``.docx``, the seed in traditional characters (OpenCC ``s2t``), in
GB18030, in Big5 and in UTF-16 with a byte-order mark.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import opencc
import pandas as pd
import pytest

import govreport
from govreport.corpus import REPORT_COLUMNS
from govreport.script import detect_script, to_simplified

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED = "000_0d7a868e768d3975.txt"
SEED2 = "002_c1d287e0a781b8e6.txt"
#: TrueType (42) embedding of the CJK font: extractable text, and faster than Type 3 here.
FONTTYPE = 42
META = ["region", "level", "parent", "province", "adcode", "year", "review_year", "plan_year",
        "date", "speaker", "session", "speaker_title"]


def seed_text(name: str = SEED) -> str:
    return (RAW / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- builders


def make_html(text: str, charset: str = "utf-8", title: str = "政府工作报告_县人民政府门户网站") -> str:
    paras = "\n".join(f"<p style='text-indent:2em'>\u3000\u3000{line}</p>" for line in text.split("\n") if line.strip())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}</title>
<style>body {{ font-family: SimSun; }} .nav li {{ display: inline; }}</style>
<script>var 各位代表 = "不是正文"; document.write("广告 1 2 3");</script>
</head><body>
<div class="header"><img src="logo.png"><span>县人民政府门户网站</span></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府工作报告</div>
<div class="article">
<div class="toolbar">字号：<a>大</a> <a>中</a> <a>小</a> <a>打印</a> <a>关闭</a></div>
<!-- 评论：这是一条注释，不是正文 -->
<div class="TRS_Editor" id="zoom">
{paras}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">国务院政府工作报告</a></li>
<li><a href="/b">省政府工作报告解读</a></li></ul></div>
<div class="footer"><p>版权所有：县人民政府办公室 联系电话：0531-12345678</p>
<p>网站标识码：3701240001 鲁ICP备12345678号</p></div>
<noscript>请开启脚本</noscript>
</body></html>"""


def _width(c: str) -> float:
    return 0.55 if c.isascii() else 1.0  # digits and Latin letters are about half an em


def _wrap(text: str, width: float, indent: float = 2.0) -> list[tuple[float, str]]:
    """Typeset-like lines ``(indent_em, text)``: a paragraph's first line indented, lines filled
    to ``width`` ems (CJK text wraps anywhere)."""
    lines: list[tuple[float, str]] = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        ind, cur, w = indent, "", indent
        for c in para:
            if w + _width(c) > width:
                lines.append((ind, cur))
                ind, cur, w = 0.0, "", 0.0
            cur += c
            w += _width(c)
        lines.append((ind, cur))
    return lines


@lru_cache(maxsize=4)
def make_pdf(text: str, header: str = "平阴县人民政府", width: float = 36, per_page: int = 46) -> bytes:
    """A PDF with a real text layer: matplotlib with an embedded CJK font (Noto Sans SC), paragraphs
    with indented first lines as in a typeset report, a running header and page numbers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pylopdf_fonts_zh_cn
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    font = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    prop = FontProperties(fname=str(font), size=10)
    em = 10 / (8.27 * 72)  # one em (10 pt) as a fraction of the page width
    # the seeds carry "[bookmark: …]" anchors from their Word originals; a printed PDF does not
    lines = _wrap(re.sub(r"\[bookmark:[^\]]*\]", "", text), width)
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": FONTTYPE}), PdfPages(buf) as pdf:
        for n, page in enumerate(pages, 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.5, 0.96, header, fontproperties=prop, ha="center", parse_math=False)
            for i, (indent, line) in enumerate(page):
                fig.text(0.08 + indent * em, 0.92 - i * 0.0185, line, fontproperties=prop, parse_math=False)
            fig.text(0.5, 0.03, f"- {n} -", fontproperties=prop, ha="center", parse_math=False)
            pdf.savefig(fig)
            plt.close(fig)
    return buf.getvalue()


def make_docx(text: str, table: list[list[str]] | None = None, table_after: int = 3) -> bytes:
    import docx

    doc = docx.Document()
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        doc.add_paragraph(line)
        if table and i == table_after:
            t = doc.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
    doc.sections[0].header.paragraphs[0].text = "页眉：县人民政府办公室"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- helpers


def reports_of(corpus) -> pd.DataFrame:
    try:
        return corpus.reports
    except ImportError:  # Corpus.reports needs the indicators module
        rows = [{"source": d.source, "part": d.part, **d.meta} for d in corpus.documents]
        return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def indicator_set(corpus) -> set[tuple]:
    try:
        ind = corpus.indicators
    except ImportError:
        pytest.skip("Corpus.indicators not available (govreport.indicators missing)")
    cols = ["kind", "period", "indicator", "metric", "value"]
    return {tuple(None if pd.isna(v) else v for v in row) for row in ind[cols].itertuples(index=False)}


@lru_cache(maxsize=4)
def plain(name: str = SEED):
    return govreport.read(RAW / name)


def assert_same(corpus, name: str = SEED, indicators: bool = True, min_share: float = 1.0) -> None:
    """Same reports metadata as the plain seed, and the same indicator tuples."""
    base = plain(name)
    assert corpus.errors.query("stage != 'read' or not message.str.contains('warning')").empty, corpus.errors
    got, want = reports_of(corpus), reports_of(base)
    assert len(got) == len(want), (got, want)
    pd.testing.assert_frame_equal(got[META].reset_index(drop=True), want[META].reset_index(drop=True))
    if indicators:
        a, b = indicator_set(corpus), indicator_set(base)
        if min_share >= 1.0:
            assert a == b, (sorted(a - b, key=str)[:10], sorted(b - a, key=str)[:10])
        else:
            assert len(a & b) >= min_share * len(b), (len(a & b), len(b), sorted(b - a, key=str)[:10])


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- HTML


def test_html_page(tmp_path):
    p = write(tmp_path, "report.html", make_html(seed_text()))
    c = govreport.read(p)
    assert_same(c)
    d = c.documents[0]
    assert d.meta["format"] == "html"
    for junk in ("不是正文", "广告", "首页", "办事服务", "注释", "分享到", "相关链接", "版权所有",
                 "ICP备", "请开启脚本", "字号", "门户网站"):
        assert junk not in d.text, junk


def test_html_in_txt_and_gbk_charset(tmp_path):
    html = make_html(seed_text(), charset="gb2312")
    write(tmp_path, "a.txt", html)  # UTF-8 bytes, wrong declaration: detected as UTF-8
    write(tmp_path, "b.htm", html.encode("gb18030"))
    c = govreport.read(tmp_path)
    assert len(c.documents) == 2
    assert [d.meta["format"] for d in c.documents] == ["html", "html"]
    assert c.documents[1].meta["encoding"] == "gb18030"
    assert c.documents[0].text == c.documents[1].text
    assert "不是正文" not in c.documents[0].text


def test_html_listing_page_keeps_every_report(tmp_path):
    body = seed_text(SEED) + "\n" + seed_text(SEED2)
    c = govreport.read(write(tmp_path, "list.html", make_html(body)))
    both = govreport.read([RAW / SEED, RAW / SEED2])
    got = reports_of(c)[["region", "year"]].values.tolist()
    assert got == reports_of(both)[["region", "year"]].values.tolist()


def test_html_block_elements_become_lines():
    from govreport.formats.html import html_to_text

    text, title, warnings = html_to_text(
        "<html><head><title>T</title></head><body><div>一<span>二</span></div>三<br>四"
        "<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table><pre>a\n b</pre></body></html>"
    )
    assert [ln for ln in text.split("\n") if ln] == ["一二", "三", "四", "甲 乙", "丙", "a", "b"]
    assert title == "T" and warnings == []


# --------------------------------------------------------------------------- PDF


def test_pdf(tmp_path):
    p = write(tmp_path, "report.pdf", make_pdf(seed_text()))
    c = govreport.read(p)
    assert_same(c)
    d = c.documents[0]
    assert d.meta["format"] == "pdf"
    assert "平阴县人民政府\n" not in d.text  # page header dropped
    assert "- 2 -" not in d.text


def test_pdf_text_close_to_plain(tmp_path):
    import difflib

    c = govreport.read(write(tmp_path, "r.pdf", make_pdf(seed_text())))
    a, b = c.documents[0].text, plain().documents[0].text
    assert difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() > 0.99


def test_pdf_page_furniture():
    from govreport.formats.pdf import strip_page_furniture

    body = ["各位代表：", "现在，我代表市人民政府，", "向大会报告工作。", "一、过去一年工作回顾", "经济增长5%。"]
    pages = [["2026年政府工作报告", *body[i:], *body[:i], f"第 {i} 页 共 9 页"] for i in range(1, 6)]
    assert strip_page_furniture(pages)[2] == [*body[3:], *body[:3]]
    # a page number alone, at the bottom of fewer than three pages
    assert strip_page_furniture([["正文。", "12"]]) == [["正文。"]]


# --------------------------------------------------------------------------- Word


def test_docx(tmp_path):
    p = write(tmp_path, "report.docx", make_docx(seed_text()))
    c = govreport.read(p)
    assert_same(c)
    assert c.documents[0].meta["format"] == "docx"
    assert "页眉" not in c.documents[0].text


def test_docx_tables_in_document_order(tmp_path):
    from govreport.formats.docx import read_docx

    text = "第一段。\n第二段。\n第三段。"
    data = make_docx(text, table=[["指标", "目标"], ["地区生产总值", "增长5%"]], table_after=1)
    raw = read_docx(Path("t.docx"), data)[0]
    assert raw.text.split("\n") == ["第一段。", "第二段。", "指标 目标", "地区生产总值 增长5%", "第三段。"]


def test_doc_is_refused_with_hint(tmp_path):
    p = write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    c = govreport.read(p)
    assert c.documents == []
    msg = c.errors["message"].iloc[0]
    assert "old.doc" in msg and ".doc is not supported" in msg and "libreoffice" in msg


# --------------------------------------------------------------------------- scripts and encodings


def test_traditional(tmp_path):
    trad = opencc.OpenCC("s2t").convert(seed_text())
    assert detect_script(trad) == "traditional" and detect_script(seed_text()) == "simplified"
    c = govreport.read(write(tmp_path, "trad.txt", trad))
    assert_same(c)
    d = c.documents[0]
    assert d.meta["script"] == "traditional"
    assert reports_of(c)["script"].tolist() == ["traditional"]
    assert reports_of(plain())["script"].tolist() == ["simplified"]
    # the original traditional text is kept, and positions map into it exactly
    assert d.raw == trad
    s, e = d.raw_span(0, 20)
    assert to_simplified(d.raw[s:e]).replace(" ", "") .startswith(d.text[:5])


def test_to_simplified_keeps_length():
    trad = opencc.OpenCC("s2t").convert(seed_text(SEED2))
    assert len(to_simplified(trad)) == len(trad)


def test_gb18030(tmp_path):
    c = govreport.read(write(tmp_path, "gbk.txt", seed_text().encode("gb18030")))
    assert_same(c)
    assert c.documents[0].meta["encoding"] == "gb18030"
    assert c.documents[0].text == plain().documents[0].text


def test_big5(tmp_path):
    # s2tw (Taiwan forms) rather than s2t: s2t writes variants such as 爲 that Big5 lacks.
    # errors="replace" only here, in making the file: any character Big5 cannot hold becomes "?"
    # (none in this seed with s2tw).
    trad = opencc.OpenCC("s2tw").convert(seed_text())
    c = govreport.read(write(tmp_path, "big5.txt", trad.encode("big5", errors="replace")))
    assert_same(c)
    d = c.documents[0]
    assert d.meta["encoding"] in ("big5", "cp950", "big5hkscs")
    assert d.meta["script"] == "traditional"


def test_gbk_traditional(tmp_path):
    trad = opencc.OpenCC("s2t").convert(seed_text())
    c = govreport.read(write(tmp_path, "gbk_trad.txt", trad.encode("gb18030")))
    assert c.documents[0].meta["encoding"] == "gb18030"
    assert c.documents[0].meta["script"] == "traditional"


def test_utf16_bom(tmp_path):
    c = govreport.read(write(tmp_path, "u16.txt", seed_text().encode("utf-16")))
    assert_same(c)
    assert c.documents[0].meta["encoding"] == "utf-16"
    assert c.documents[0].text == plain().documents[0].text


def test_mixed_directory(tmp_path):
    text = seed_text()
    write(tmp_path, "a.html", make_html(text))
    write(tmp_path, "b.pdf", make_pdf(text))
    write(tmp_path, "c.docx", make_docx(text))
    write(tmp_path, "d.txt", opencc.OpenCC("s2t").convert(text))
    c = govreport.read(tmp_path, jobs=2)
    r = reports_of(c)
    assert r["format"].tolist() == ["html", "pdf", "docx", "text"]
    assert r["script"].tolist() == ["simplified"] * 3 + ["traditional"]
    assert r["adcode"].nunique() == 1 and r["year"].nunique() == 1
