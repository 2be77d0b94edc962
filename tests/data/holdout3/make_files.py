"""Build the three non-plain-text holdout-3 files from their sources in src/.

    python tests/data/holdout3/make_files.py

k3: a PDF drawn with matplotlib (Noto Sans SC from pylopdf-fonts-zh-cn), running header and page
numbers, paragraphs wrapped at 32 characters, page breaks only between paragraphs.
k4: a .docx (python-docx) with a table of main targets where the source has [TABLE].
k5: traditional characters (OpenCC s2tw) encoded as Big5.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC, RAW = HERE / "src", HERE / "raw"


def _paragraphs(name: str) -> list[str]:
    text = (SRC / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n") if p.strip()]


def make_pdf() -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pylopdf_fonts_zh_cn
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"))
    paras = _paragraphs("k3_peixian_2024.txt")
    width, per_page = 32, 34
    blocks = []
    for i, p in enumerate(paras):
        lines = [p[k:k + width] for k in range(0, len(p), width)] if i > 2 else [p]
        blocks.append(lines)
    pages, cur = [], []
    for b in blocks:
        if cur and len(cur) + len(b) + 1 > per_page:
            pages.append(cur)
            cur = []
        cur.extend(b + [""])
    if cur:
        pages.append(cur)
    meta = {"Title": "沛县人民政府工作报告", "Author": "沛县人民政府办公室", "CreationDate": None}
    with PdfPages(RAW / "k3_peixian_2024.pdf", metadata=meta) as pdf:
        for n, lines in enumerate(pages, 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.5, 0.965, "沛县人民政府工作报告", ha="center", fontproperties=font, fontsize=9, color="0.4")
            fig.add_artist(plt.Line2D([0.1, 0.9], [0.958, 0.958], color="0.6", lw=0.5))
            y = 0.92
            for ln in lines:
                if ln:
                    size = 16 if n == 1 and ln == lines[0] else 12
                    fig.text(0.1 if size == 12 else 0.5, y, ln, ha="left" if size == 12 else "center",
                             fontproperties=font, fontsize=size)
                y -= 0.025
            fig.text(0.5, 0.03, f"— {n} —", ha="center", fontproperties=font, fontsize=10)
            pdf.savefig(fig)
            plt.close(fig)


def make_docx() -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paras = _paragraphs("k4_yuhang_2025.txt")
    d = docx.Document()
    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run(paras[0])
    r.bold = True
    for p in paras[1:]:
        if p == "[TABLE]":
            d.add_paragraph("表1　2025年全区经济社会发展主要预期指标")
            rows = [("指标", "2025年目标"), ("地区生产总值增长", "6%左右"),
                    ("一般公共预算收入增长", "5%"), ("规上工业增加值增长", "8%"),
                    ("固定资产投资增长", "4%"), ("社会消费品零售总额增长", "5%"),
                    ("城镇调查失业率", "5%以内"), ("居民人均可支配收入增长", "与经济增长同步")]
            tab = d.add_table(rows=len(rows), cols=2)
            tab.style = "Table Grid"
            for i, (a, b) in enumerate(rows):
                tab.cell(i, 0).text, tab.cell(i, 1).text = a, b
            continue
        if p.startswith(("一、", "二、")):
            d.add_heading(p, level=1)
        else:
            d.add_paragraph(p)
    d.core_properties.author = "余杭区人民政府办公室"
    d.save(RAW / "k4_yuhang_2025.docx")


def make_big5() -> None:
    import opencc

    text = (SRC / "k5_meizhou_2020.txt").read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2tw").convert(text)
    (RAW / "k5_meizhou_2020_big5.txt").write_bytes(trad.encode("big5"))


if __name__ == "__main__":
    make_pdf()
    make_docx()
    make_big5()
