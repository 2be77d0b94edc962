"""Hostile and broken input: each file is refused or bounded, recorded in ``errors`` naming
the file, finishes within a time bound, and the other files of the batch are still read.

Issue 13's cases are here by number (item 1 … item 11); every one makes its hostile input in
the test and runs under :func:`within` (a SIGALRM timeout plus an elapsed-time bound).

Reading never writes: readers get bytes and return text (checked below by comparing the
directory before and after), so no input can make govreport write outside its output
directory.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest

import govreport

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED = RAW / "000_0d7a868e768d3975.txt"


@contextlib.contextmanager
def within(seconds: float, what: str = ""):
    """Fail (and interrupt the work) if the block runs longer than ``seconds``."""

    def alarm(signum, frame):
        raise TimeoutError(f"{what or 'block'} still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    t0 = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - t0 < seconds, what


def batch(tmp_path: Path, name: str, data: bytes | None = None, bound: float = 10.0):
    """Put a hostile file next to a good seed, read the directory within ``bound`` seconds."""
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    if data is not None:
        (tmp_path / name).write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    t0 = time.monotonic()
    corpus = govreport.read(tmp_path)
    elapsed = time.monotonic() - t0
    assert elapsed < bound, f"{name}: {elapsed:.1f} s"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # reading wrote nothing
    assert [d.source for d in corpus.documents if d.source == "good.txt"] == ["good.txt"]
    errs = corpus.errors[corpus.errors["source"] == name]
    return corpus, errs


def refused(corpus, errs, name: str, *words: str) -> str:
    assert not [d for d in corpus.documents if d.source == name], f"{name} was read"
    assert len(errs) >= 1, corpus.errors
    msg = " | ".join(errs["message"])
    assert name in msg
    for w in words:
        assert w in msg, msg
    return msg


# --------------------------------------------------------------------------- zip bombs


def _docx_bytes(extra: dict[str, bytes] | None = None, document: bytes | None = None, level: int = 9) -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and document is not None:
                data = document
            zf.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def test_zip_bomb_ratio(tmp_path):
    data = _docx_bytes({"word/media/bomb.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(data) < 1024 * 1024
    c, errs = batch(tmp_path, "bomb.docx", data)
    refused(c, errs, "bomb.docx", "zip bomb")


def test_zip_bomb_total_size(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        with zf.open("word/media/big.bin", "w", force_zip64=True) as fh:
            chunk = os.urandom(1024) * 1024  # compresses to ~1 %, so not caught by the ratio alone
            for _ in range(210):
                fh.write(chunk)
    c, errs = batch(tmp_path, "big.docx", out.getvalue(), bound=15)
    refused(c, errs, "big.docx", "MB")


def test_zip_too_many_members(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        for i in range(6000):
            zf.writestr(f"x/{i}", b"")
    c, errs = batch(tmp_path, "many.docx", out.getvalue())
    refused(c, errs, "many.docx", "members")


def test_broken_docx(tmp_path):
    data = _docx_bytes()
    c, errs = batch(tmp_path, "broken.docx", data[: len(data) // 2])
    refused(c, errs, "broken.docx")


# --------------------------------------------------------------------------- billion laughs

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n"
)


def test_billion_laughs_docx(tmp_path):
    doc = (LAUGHS + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>").encode()
    c, errs = batch(tmp_path, "laughs.docx", _docx_bytes(document=doc), bound=5)
    refused(c, errs, "laughs.docx", "entities")


@pytest.mark.parametrize("name", ["laughs.html", "laughs.xhtml", "laughs.txt"])
def test_billion_laughs_html(tmp_path, name):
    page = LAUGHS.replace('<?xml version="1.0"?>\n', "") + "<html><body><p>&lol9;</p></body></html>"
    c, errs = batch(tmp_path, name, page.encode(), bound=5)
    for d in c.documents:
        assert "lollollol" not in d.text  # entities never expanded
    assert not [d for d in c.documents if d.source == name]
    assert len(errs) == 1 and name in errs["message"].iloc[0]


# --------------------------------------------------------------------------- deep nesting


def test_deeply_nested_html(tmp_path):
    n = 100_000
    page = "<html><body>" + "<div>" * n + "深" + "</div>" * n + "</body></html>"
    c, errs = batch(tmp_path, "deep.html", page.encode(), bound=10)
    refused(c, errs, "deep.html")


def test_deeply_nested_html_after_report(tmp_path):
    """A report followed by pathological nesting: the report is read, with a warning."""
    n = 100_000
    page = ("<html><body><div>" + SEED.read_text(encoding="utf-8").replace("\n", "<br>") + "</div>"
            + "<div>" * n + "深" + "</div>" * n + "</body></html>")
    c, errs = batch(tmp_path, "deep.html", page.encode(), bound=15)
    assert [d.source for d in c.documents].count("deep.html") == 1
    assert errs["message"].str.contains("nested deeper").any()


# --------------------------------------------------------------------------- PDF


def _seed_pdf() -> bytes:
    from test_formats import make_pdf, seed_text

    return make_pdf(seed_text())


def test_truncated_pdf(tmp_path):
    data = _seed_pdf()
    c, errs = batch(tmp_path, "cut.pdf", data[: len(data) // 3], bound=30)
    # pdfminer may recover the pages before the cut or refuse the file; either is recorded
    if not [d for d in c.documents if d.source == "cut.pdf"]:
        refused(c, errs, "cut.pdf")


@pytest.mark.parametrize("body", [
    b"%PDF-1.4\n" + b"\0\xff" * 5000,
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n"  # a page tree that contains itself
    b"xref\n0 3\n0000000000 65535 f \ntrailer << /Root 1 0 R /Size 3 >>\nstartxref\n9999\n%%EOF",
    b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer << /Size 1 /Prev 9 >>\nstartxref\n9\n%%EOF",  # xref loop
    b"%PDF-1.4\n" + b"[" * 200_000,  # nesting
], ids=["garbage", "page-tree-loop", "xref-loop", "nesting"])
def test_malformed_pdf(tmp_path, body):
    c, errs = batch(tmp_path, "bad.pdf", body, bound=30)
    refused(c, errs, "bad.pdf")


def test_pdf_parser_loop_is_interrupted(tmp_path, monkeypatch):
    """A parser stuck inside a page is stopped by the per-file time limit."""
    import pdfplumber.page

    from govreport.formats import pdf as pdfmod

    def spin(self, *a, **k):
        while True:
            pass

    monkeypatch.setattr(pdfplumber.page.Page, "extract_text_lines", spin)
    monkeypatch.setattr(pdfmod, "TIME_LIMIT", 1.0)
    monkeypatch.setattr(pdfmod.extract_pages, "__defaults__", (pdfmod.MAX_PAGES, 1.0))
    c, errs = batch(tmp_path, "loop.pdf", _seed_pdf(), bound=10)
    refused(c, errs, "loop.pdf", "limit")


def test_scanned_pdf(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with PdfPages(buf) as pdf:
        for _ in range(2):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.figimage(np.random.default_rng(0).random((200, 150)))
            pdf.savefig(fig)
            plt.close(fig)
    c, errs = batch(tmp_path, "scan.pdf", buf.getvalue())
    refused(c, errs, "scan.pdf", "no text layer (scanned?)")


# --------------------------------------------------------------------------- size, truncation, links


def test_huge_file_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no disk used
    read_bytes = Path.read_bytes

    def guarded(self):
        assert self.name != "huge.txt", "the oversized file was read"
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    c, errs = batch(tmp_path, "huge.txt", None, bound=5)
    refused(c, errs, "huge.txt", "MB limit")


def test_truncated_mid_character(tmp_path):
    data = SEED.read_bytes()
    cut = len(data) - 200
    while (data[cut] & 0xC0) == 0x80 or data[cut] < 0x80:  # find a lead byte of a multibyte char
        cut -= 1
    c, errs = batch(tmp_path, "cut.txt", data[: cut + 1])  # lead byte kept, continuation cut
    assert [d.source for d in c.documents].count("cut.txt") == 1
    assert errs["message"].str.contains("middle of a UTF-8 character").all()
    assert "cut.txt" in errs["message"].iloc[0]


def test_symlink_loop(tmp_path):
    os.symlink(tmp_path, tmp_path / "loop")
    os.symlink(tmp_path / "self", tmp_path / "self")  # a link to itself
    c, _ = batch(tmp_path, "loop", None, bound=5)
    errs = c.errors
    assert set(errs["source"]) == {"loop", "self"}
    assert errs["message"].str.contains("not followed").all()
    assert [d.source for d in c.documents] == ["good.txt"]


def test_doc_binary_and_renamed(tmp_path):
    c, errs = batch(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    refused(c, errs, "image.txt", "binary")



# --------------------------------------------------------------------------- item 2: signs


@pytest.mark.parametrize("clause", [
    "地区生产总值增长-2.5%。", "地区生产总值增长－2.5%。", "地区生产总值增长−2.5%。",
    "地区生产总值负增长2.5%。", "地区生产总值下降2.5%。", "地区生产总值增长负2.5%。",
])
def test_sign_of_a_fall(clause):
    from govreport.indicators import extract_indicators
    from govreport.normalize import normalize_text

    with within(10, clause):
        rows = extract_indicators(normalize_text(clause), section="review", review_year=2025)
    assert rows[["indicator", "metric", "value"]].values.tolist() == [["gdp", "growth", -2.5]]


def test_double_negative_is_not_flipped_back():
    from govreport.indicators import extract_indicators

    rows = extract_indicators("地区生产总值下降-2.5%。", section="review", review_year=2025)
    assert rows["value"].tolist() == [-2.5]  # a fall, as the writer meant; never +2.5


def test_range_dash_is_not_a_sign():
    from govreport.indicators import extract_indicators

    rows = extract_indicators("地区生产总值增长5-6%。", section="review", review_year=2025)
    assert rows[["value", "value_high"]].values.tolist() == [[5.0, 6.0]]


# --------------------------------------------------------------------------- item 4: no hang


@pytest.mark.parametrize("piece", [
    "全市地区生产总值增长5%，一般公共预算收入年均增长3%以上，城乡居民收入分别增长6%和7%，",  # commas only
    "全市地区生产总值增长5%全市一般公共预算收入年均增长3%以上全市城乡居民收入分别增长6%和7%",  # no marks
])
@pytest.mark.parametrize("section", ["targets", "review", "five_year_review"])
def test_long_run_without_sentence_end_is_linear(piece, section):
    """200 KB with no 。！？ or line end: was quadratic (55-90 s here at 200 KB, minutes at 5 MB)."""
    from govreport.indicators import extract_indicators

    text = piece * (200 * 1024 // len(piece.encode()))
    with within(30, f"{section}: 200 KB without a sentence end"):
        rows = extract_indicators(text, section=section, review_year=2025, plan_year=2026)
    assert set(rows["indicator"]) >= {"gdp"}
