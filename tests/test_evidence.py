"""Evidence pages: every indicator row highlighted exactly once, at the raw text of its span.

Run on every report of the seeds and of ``../shared/real`` (skipped when absent). Each row's
one highlight must hold exactly ``doc.raw[raw_span(start, end)]``, and that raw text,
normalised, must be the row's normalised span: so the test also guards the raw-span mapping.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import evidence
from govreport.normalize import year_digits
from govreport.script import to_simplified

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real" / "raw"


def canon(s: str) -> str:
    """What normalisation may change: NFKC, script, whitespace, years in Chinese numerals."""
    return re.sub(r"\s+", "", year_digits(to_simplified(unicodedata.normalize("NFKC", s))))


def check_corpus(corpus) -> int:
    """Assert the one-highlight rule on every report; return the number of rows checked."""
    ind = corpus.indicators
    checked = 0
    for d in corpus.documents:
        rows = ind[(ind["source"] == d.source) & (ind["part"] == d.part)]
        marks = evidence.highlights(evidence.render(d, rows, page=True))
        assert set(marks) == {str(i) for i in rows.index}, (d.source, d.part)
        for idx, r in rows.iterrows():
            s, e = d.raw_span(int(r.start), int(r.end))
            got = marks[str(idx)]
            assert len(got) == 1, (d.source, idx, got)
            assert got[0] == d.raw[s:e], (d.source, idx, got[0], d.raw[s:e])
            assert canon(got[0]) == canon(d.text[r.start : r.end]), (d.source, idx, got[0], r.text)
            checked += 1
    return checked


def test_every_seed_row_has_one_highlight_at_its_raw_span(seed_corpus):
    assert check_corpus(seed_corpus) == len(seed_corpus.indicators) > 300


@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (the real reports live outside the repository)")
def test_every_real_row_has_one_highlight_at_its_raw_span():
    corpus = govreport.read(REAL)
    assert check_corpus(corpus) == len(corpus.indicators) > 500


@pytest.mark.parametrize("name", sorted(p.parent.name for p in (ROOT / "tests" / "data").glob("holdout*/raw")))
def test_every_holdout_row_has_one_highlight(name):
    """Holdouts hold PDF, Word, HTML, Big5, GB18030 and CSV files: raw text of every kind."""
    corpus = govreport.read(ROOT / "tests" / "data" / name / "raw")
    assert check_corpus(corpus) == len(corpus.indicators) > 100


TEXT = ("政府工作报告\n各位代表：\n一、2025年工作回顾\n全年地区生产总值增长6.1%。"
        "固定资产投资、社会消费品零售总额分别增长4.5%、7.2%。\n"
        "二、2026年主要目标\n地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。\n")


def test_crossing_spans_each_get_one_highlight_on_an_overlay():
    corpus = govreport.read_text(TEXT)
    doc = corpus.document("<text>")
    ind = corpus.indicators
    spans = sorted(zip(ind.start, ind.end, strict=True))
    crossing = [(a, b) for a, b in zip(spans, spans[1:], strict=False) if a[0] < b[0] < a[1] < b[1]]
    assert crossing, f"the constructed 分别 clause should give crossing spans: {spans}"
    page = evidence.render(doc, ind, page=True)
    assert 'class="gr-ov"' in page
    assert check_corpus(corpus) == len(ind)


def test_layers_nest_what_nests_and_separate_what_crosses():
    spans = [evidence._Span(0, 10, "", ""), evidence._Span(2, 5, "", ""), evidence._Span(4, 12, "", ""),
             evidence._Span(12, 14, "", ""), evidence._Span(6, 11, "", "")]
    evidence._assign_layers(spans)
    layers = [s.layer for s in spans]
    assert layers[0] == layers[1] == layers[3] == 0  # (2, 5) nests in (0, 10); (12, 14) follows
    assert layers[2] == 1  # (4, 12) crosses (0, 10) and (2, 5)
    assert layers[4] == 1  # (6, 11) crosses (0, 10) but nests in (4, 12)


def test_categories_and_tooltip():
    corpus = govreport.read_text(TEXT)
    ind = corpus.indicators
    cats = {evidence.category(r) for _, r in ind.iterrows()}
    assert {"target", "outcome"} <= cats
    page = evidence.render(corpus.document("<text>"), ind)
    gdp = ind[(ind.indicator == "gdp") & (ind.kind == "target")].index[0]
    tag = re.search(rf'<mark id="r{gdp}"[^>]*>', page).group(0)
    assert 'class="gr-m gr-target"' in tag and "gdp" in tag and "6" in tag and "about" in tag


def test_raw_text_is_escaped_and_headings_marked():
    corpus = govreport.read_text(TEXT.replace("6%左右，", "6%左右（<暂定&>），"))
    page = evidence.render(corpus.document("<text>"), corpus.indicators, page=True)
    assert "<暂定&>" not in page and "（&lt;暂定&amp;&gt;）" in page
    assert re.search(r'<span class="gr-h"[^>]*>二、2026年主要目标</span>', page)


def test_a_row_outside_the_text_is_listed_not_drawn(seed_corpus):
    doc = seed_corpus.documents[0]
    rows = seed_corpus.indicators.iloc[:2].copy()
    rows.loc[rows.index[1], ["start", "end"]] = [10**7, 10**7 + 5]
    page = evidence.render(doc, rows)
    assert len(evidence.highlights(page)) == 1 and "span not in the text" in page


def test_show_a_row_and_a_frame_in_jupyter(seed_corpus):
    ind = seed_corpus.indicators
    row = ind.iloc[5]
    one = govreport.show(row, seed_corpus)
    html = one._repr_html_()
    assert list(evidence.highlights(html)) == [str(row.name)]
    doc = seed_corpus.document(row.source, row.part)
    assert len(html) < len(evidence.render(doc, ind))  # a window around the row, not the report
    frame = ind[ind.source == row.source].head(3)
    assert set(evidence.highlights(govreport.show(frame, seed_corpus)._repr_html_())) == {str(i) for i in frame.index}
    with pytest.raises(ValueError, match="columns"):
        govreport.show(pd.DataFrame({"x": [1]}), seed_corpus)


def test_document_repr_html_highlights_all_its_rows(seed_corpus):
    d = seed_corpus.documents[0]
    doc = seed_corpus.document(d.source, d.part)
    html = doc._repr_html_()
    n = ((seed_corpus.indicators.source == d.source) & (seed_corpus.indicators.part == d.part)).sum()
    assert len(evidence.highlights(html)) == n > 0
    ids = re.findall(r'<mark id="([^"]+)"', html)
    assert len(set(ids)) == len(ids) and set(re.findall(r'<mark id="([^"]+)"', doc._repr_html_())).isdisjoint(ids)


def test_pages_and_index_are_self_contained_and_link_the_panel(seed_corpus, tmp_path):
    panel = govreport.panel(seed_corpus)
    paths = evidence.write_pages(seed_corpus, tmp_path, panel=panel)
    assert len(paths) == len(seed_corpus.documents) + 1
    font = tmp_path / "fonts" / evidence.FONT_FILE
    assert font.is_file() and font.stat().st_size > 1_000_000
    for p in paths:
        page = p.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page), p
        assert "http://" not in page and "https://" not in page
        assert f'url("fonts/{evidence.FONT_FILE}")' in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    links = evidence.panel_links(panel, seed_corpus.indicators)
    ind = seed_corpus.indicators
    for side in ("target", "outcome"):
        has = panel[f"{side}_source"].fillna("") != ""
        assert links.loc[has, side].notna().all(), side  # every panel side found its row
        for i in panel.index[has]:
            idx = int(links.at[i, side])
            r = ind.loc[idx]
            assert r.text == panel.at[i, f"{side}_text"] and r.kind == side
            href = f'{evidence.page_name(r.source, int(r.part))}#r{idx}'
            assert f'href="{href}"' in index
            page = (tmp_path / evidence.page_name(r.source, int(r.part))).read_text(encoding="utf-8")
            assert f'<mark id="r{idx}"' in page


def test_one_failing_page_is_an_error_row_not_a_stop(seed_corpus, tmp_path, monkeypatch):
    corpus = govreport.read(ROOT / "data" / "raw")
    bad = corpus.documents[0]
    real = evidence.render

    def render(doc, *a, **k):
        if doc is bad:
            raise RuntimeError("boom")
        return real(doc, *a, **k)

    monkeypatch.setattr(evidence, "render", render)
    paths = evidence.write_pages(corpus, tmp_path)
    assert len(paths) == len(corpus.documents)  # the others and the index
    err = corpus.errors
    assert ((err.stage == "evidence") & (err.source == bad.source) & err.message.str.contains("boom")).any()


def test_stale_pages_are_removed(seed_corpus, tmp_path):
    (tmp_path / "gone.txt__0.html").write_text("old", encoding="utf-8")
    evidence.write_pages(seed_corpus, tmp_path)
    assert not (tmp_path / "gone.txt__0.html").exists()


def test_build_writes_the_pages_and_index(tmp_path):
    from govreport.build import build

    out = tmp_path / "out"
    build(ROOT / "data" / "raw", out, jobs=1, quiet=True, figures=False)
    built = govreport.open(out)
    ind, reports = built.indicators, built.reports
    ev = out / "evidence"
    assert (ev / "index.html").is_file() and (ev / "fonts" / evidence.FONT_FILE).is_file()
    assert "evidence" not in built.names()
    index = (ev / "index.html").read_text(encoding="utf-8")
    for rep in reports.itertuples():
        name = evidence.page_name(rep.source, rep.part)
        assert f'href="{name}"' in index
        marks = evidence.highlights((ev / name).read_text(encoding="utf-8"))
        rows = ind[(ind.source == rep.source) & (ind.part == rep.part)]
        assert set(marks) == {str(i) for i in rows.index} and all(len(v) == 1 for v in marks.values())
    doc = built.document(reports.source[0], int(reports.part[0]))
    assert len(evidence.highlights(doc._repr_html_())) == ((ind.source == doc.source) & (ind.part == doc.part)).sum()


def test_pages_written_in_two_processes_are_the_same(seed_corpus, tmp_path):
    reports, ind = seed_corpus.reports, seed_corpus.indicators
    one, _ = evidence.write_evidence(tmp_path / "one", reports, ind, jobs=1)
    two, errors = evidence.write_evidence(tmp_path / "two", reports, ind, jobs=2)
    assert errors == [] and sorted(p.name for p in one) == sorted(p.name for p in two)
    for p in one:
        assert p.read_bytes() == (tmp_path / "two" / p.name).read_bytes(), p.name


def test_large_builds_write_pages_on_demand(tmp_path, monkeypatch):
    """Past AUTO_MAX_REPORTS no pages by default; `govreport evidence OUT SOURCE` writes chosen ones."""
    from govreport.build import build
    from govreport.cli import main

    monkeypatch.setattr(evidence, "AUTO_MAX_REPORTS", 3)
    out = tmp_path / "out"
    build(ROOT / "data" / "raw", out, jobs=1, quiet=True, figures=False)
    assert not (out / "evidence").exists()
    built = govreport.open(out)
    reports = built.reports
    one = reports.source[0]
    assert main(["evidence", str(out), one, "--jobs", "1"]) == 0
    ev = out / "evidence"
    pages = sorted(p.name for p in ev.glob("*.html") if p.name != "index.html")
    want = reports[reports.source == one]
    assert pages == sorted(evidence.page_name(s, int(p)) for s, p in zip(want.source, want.part, strict=True))
    index = (ev / "index.html").read_text(encoding="utf-8")
    assert all(f"{s}</a> #{p}<" in index or f"<td>{s} #{p}<" in index  # every report listed
               for s, p in zip(reports.source, reports.part, strict=True))
    assert all(f'href="{p}"' in index for p in pages)
    page = (ev / pages[0]).read_text(encoding="utf-8")
    assert f'href="{evidence.CSS_FILE}"' in page and (ev / evidence.CSS_FILE).is_file()
    rows = built.indicators[(built.indicators.source == one) & (built.indicators.part == int(want.part.iloc[0]))]
    assert set(evidence.highlights(page)) == {str(i) for i in rows.index}
    assert main(["evidence", str(out)]) == 0  # every page; the first kept
    assert len(list(ev.glob("*.html"))) == len(reports) + 1
    assert main(["evidence", str(out), "no-such-report.txt"]) == 2
    build(ROOT / "data" / "raw", tmp_path / "forced", jobs=1, quiet=True, figures=False, evidence=True)
    assert (tmp_path / "forced" / "evidence" / "index.html").is_file()


def test_reading_back_with_the_builds_metadata_gives_the_same_documents(seed_corpus):
    """Evidence pages read each report again with the reports row as its metadata (no
    second extraction): text, offsets and sections are those of a full read."""
    from govreport.pipeline import read_documents

    reports = seed_corpus.reports
    document = evidence.documents_from_files(reports)
    for path in reports["path"].unique():
        full, _ = read_documents(path)
        for d in full:
            again = document(d.source, d.part)
            assert again.text == d.text and list(again.offsets) == list(d.offsets)
            assert [(s.start, s.end, s.kind, s.heading) for s in again.sections] == \
                   [(s.start, s.end, s.kind, s.heading) for s in d.sections]
            assert again.meta["plan_year"] == d.meta["plan_year"]
