"""Fuzzing: random and mutated bytes and texts, in every format the reader takes, go through
``govreport.read`` and the indicator extraction. No exception escapes; a file that yields
no report is an ``errors`` row naming it.
"""

from __future__ import annotations

import io
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govreport

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED = RAW / "000_0d7a868e768d3975.txt"
EXTS = [".txt", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".doc", ".csv", ".md", ""]
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))


@lru_cache(maxsize=1)
def seed_files() -> dict[str, bytes]:
    """The seed as text, GB18030, HTML, .docx and PDF bytes (a short piece, to keep it fast)."""
    from test_formats import make_docx, make_html, make_pdf

    text = SEED.read_text(encoding="utf-8")[:3000]
    return {
        ".txt": text.encode(),
        ".csv": ("title,content\n报告,\"" + text.replace('"', "") + "\"\n").encode("gb18030"),
        ".html": make_html(text).encode(),
        ".docx": make_docx(text),
        ".pdf": make_pdf(text),
    }


def run(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        corpus = govreport.read(p)  # must not raise
        errors = corpus.errors
        assert list(errors.columns) == ["source", "part", "stage", "message"]
        if not corpus.documents:
            assert len(errors) >= 1
            assert (errors["source"] == name).all()
            assert errors["message"].str.contains(name, regex=False).all()
        try:
            ind = corpus.indicators
        except ImportError:
            return  # indicator extraction not available in this checkout
        assert isinstance(ind, pd.DataFrame)
        assert isinstance(corpus.reports, pd.DataFrame)


@FUZZ
@given(data=st.binary(max_size=4000), ext=st.sampled_from(EXTS))
def test_random_bytes(data, ext):
    run("fuzz" + ext, data)


@st.composite
def mutated(draw):
    ext = draw(st.sampled_from(sorted(seed_files())))
    data = bytearray(seed_files()[ext])
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 256))]
        elif op == "truncate":
            del data[i:]
        else:
            data[i:i] = data[i : i + draw(st.integers(1, 512))]
    return ext, bytes(data)


@FUZZ
@given(case=mutated())
def test_mutated_seed_bytes(case):
    ext, data = case
    run("mutant" + ext, data)


@FUZZ
@given(
    text=st.text(max_size=2000),
    cut=st.integers(0, 20000),
    enc=st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"]),
    ext=st.sampled_from([".txt", ".html", ".md", ".csv"]),
)
def test_random_and_spliced_texts(text, cut, enc, ext):
    seed = SEED.read_text(encoding="utf-8")
    spliced = seed[:cut] + text + seed[cut : cut + 3000]
    run("text" + ext, spliced.encode(enc, errors="replace"))


def test_docx_reader_on_zip_of_junk():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", b"<not xml")
    run("junk.docx", out.getvalue())
