"""Rebuild raw/ from src/ (run once when the fixture was written; needs opencc-purepy for r1).

r1: traditional characters (OpenCC s2t), UTF-8.  r2: a PDF-to-text conversion (hard-wrapped
lines that break words and numbers, page numbers `— n —` and a running header between
lines), GBK bytes.  r3, r4: UTF-8 text as written.  r5: a scraped HTML page (navigation,
breadcrumb, article, a second short report in a related-reading box, footer).
Page breaks of r2 are moved down a line when they would fall inside a clause quoted by the
gold (so the gold's clauses stay substrings of the flattened text).
"""
from __future__ import annotations

import csv
import html
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC, RAW = HERE / "src", HERE / "raw"


def _gold_texts(source: str) -> list[str]:
    path = HERE / "gold_indicators.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [r["text"] for r in csv.DictReader(f) if r["source"] == source]


def traditional() -> None:
    from opencc_purepy import OpenCC

    text = (SRC / "r1_xiangfan_1999.txt").read_text(encoding="utf-8")
    (RAW / "r1_xiangfan_1999_trad.txt").write_text(OpenCC("s2t").convert(text), encoding="utf-8")


def pdf_text(width: int = 33, page_lines: int = 20) -> None:
    text = (SRC / "r2_shuyang_2003.txt").read_text(encoding="utf-8")
    lines: list[str] = []
    for para in text.splitlines():
        para = para.strip()
        while para:
            lines.append(para[:width])
            para = para[width:]
    flat = re.sub(r"\s+", "", text)
    spans = []
    for clause in _gold_texts("r2_shuyang_2003_pdf.txt"):
        i = flat.find(clause)
        if i >= 0:
            spans.append((i, i + len(clause)))
    out, offset, since_break, page = [], 0, 0, 1
    for line in lines:
        out.append(line)
        offset += len(line)
        since_break += 1
        inside = any(a < offset < b for a, b in spans)
        if since_break >= page_lines and not inside:
            out += [f"— {page} —", "", "沭阳县人民政府文件"]
            page += 1
            since_break = 0
    out.append(f"— {page} —")
    (RAW / "r2_shuyang_2003_pdf.txt").write_bytes(("\r\n".join(out) + "\r\n").encode("gbk"))


def plain() -> None:
    for name in ("r3_jilin_2011.txt", "r4_yanhe_2015.txt"):
        (RAW / name).write_text((SRC / name).read_text(encoding="utf-8"), encoding="utf-8")


def _paragraphs(text: str) -> str:
    return "\n".join(f'<p style="text-indent:2em;">{html.escape(line.strip())}</p>'
                     for line in text.splitlines() if line.strip())


def listing_page() -> None:
    first = (SRC / "r5_jiangbei_2022_body.txt").read_text(encoding="utf-8")
    second = (SRC / "r5_zhenhai_2022_summary.txt").read_text(encoding="utf-8")
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>聚焦两会｜区政府工作报告全文_宁波市江北区人民政府</title>
<script type="text/javascript" src="/static/js/common.js"></script>
</head>
<body>
<div class="header"><div class="logo">宁波市江北区人民政府</div>
<div class="links"><a href="/">首页</a>｜<a href="/zwgk/">政务公开</a>｜<a href="/bsfw/">办事服务</a>｜<a href="/hdjl/">互动交流</a>｜<a href="/sjfb/">数据发布</a>｜<a href="/zjjb/">走进江北</a></div>
<form action="/search"><input type="text" name="q" value="请输入关键字"><input type="submit" value="搜索"></form></div>
<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ztzl/">专题专栏</a> &gt; 聚焦两会</div>
<div class="main">
<h1>宁波市江北区2022年政府工作报告</h1>
<div class="meta">发布日期：2022-01-12　信息来源：区政府办公室　阅读次数：2417　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="article">
{_paragraphs(first)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>　<a href="javascript:window.print()">【打印本页】</a>　<a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related">
<h3>相关阅读</h3>
<h2>镇海区2022年政府工作报告（摘要）</h2>
<div class="meta">发布日期：2022-01-10　信息来源：镇海区人民政府</div>
{_paragraphs(second)}
</div>
</div>
<div class="footer">
<p>主办：宁波市江北区人民政府办公室　承办：宁波市江北区大数据中心</p>
<p>地址：宁波市江北区大庆南路8号　邮编：315020　联系电话：0574-87654321</p>
<p>版权所有：宁波市江北区人民政府　浙ICP备05012345号　浙公网安备33020502000123号</p>
<p>网站标识码：3302050001　建议使用1366×768分辨率浏览本网站</p>
</div>
</body>
</html>
"""
    (RAW / "r5_ningbo_lianghui_2022.html").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    RAW.mkdir(exist_ok=True)
    traditional()
    pdf_text()
    plain()
    listing_page()
