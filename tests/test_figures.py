"""The build's charts: every one drawn, the same in forked processes, bounded on large corpora."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import govreport  # noqa: E402
from govreport import figures  # noqa: E402


def _tables(corpus) -> dict[str, pd.DataFrame]:
    return {"reports": corpus.reports, "attention": govreport.attention(corpus), "panel": govreport.panel(corpus)}


def test_every_chart_is_drawn_and_forked_drawing_gives_the_same_files(seed_corpus, tmp_path):
    tables = _tables(seed_corpus)
    one = figures.build_figures(None, tables, tmp_path / "one", docs_dir=tmp_path / "docs")
    two = figures.build_figures(None, tables, tmp_path / "two", jobs=2)
    assert [p.name for p in one] == [p.name for p in two] == [
        f"{stem}{ext}" for stem in figures.FIGURE_NAMES for ext in (".png", ".svg")]
    for a, b in zip(one, two, strict=True):
        if a.suffix == ".svg":  # reproducible SVG: the same bytes whichever process drew it
            assert a.read_bytes() == b.read_bytes(), a.name
        assert b.stat().st_size > 10_000
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [f"{s}.png" for s in figures.DOCS_FIGURES]


def test_charts_show_at_most_max_rows(seed_corpus, monkeypatch):
    from govreport import plot

    tables = _tables(seed_corpus)
    monkeypatch.setattr(figures, "MAX_ROWS", 2)
    fig, title, _ = figures._attention(plot, None, tables, tables["reports"])
    assert len(fig.axes[0].get_yticklabels()) == 2
    assert f"{len(tables['reports'])}份报告中最近的2份" in title
    fig, title, _ = figures._gdp_targets(plot, tables["panel"])
    assert len(fig.axes[0].get_yticklabels()) == 2 and "目标最高的2个" in title


def test_charts_drawn_in_two_parts_are_the_charts_drawn_at_once(seed_corpus, tmp_path):
    """A build draws the heatmap before its panel exists, the other charts after: same files."""
    tables = _tables(seed_corpus)
    whole = figures.build_figures(None, tables, tmp_path / "whole")
    no_panel = {k: v for k, v in tables.items() if k != "panel"}  # and no corpus to compute it from
    first = figures.start_figures(None, no_panel, tmp_path / "parts", stems=figures.WITHOUT_PANEL, jobs=2)()
    rest = [s for s in figures.FIGURE_NAMES if s not in figures.WITHOUT_PANEL]
    later = figures.start_figures(None, tables, tmp_path / "parts", stems=rest, jobs=2,
                                  docs_dir=tmp_path / "docs")()
    assert [p.name for p in first] == ["04_attention_heatmap.png", "04_attention_heatmap.svg"]
    assert sorted(p.name for p in first + later) == sorted(p.name for p in whole)
    for p in whole:
        assert (tmp_path / "parts" / p.name).read_bytes() == p.read_bytes(), p.name
    # the README's copies include the chart drawn first
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [f"{s}.png" for s in figures.DOCS_FIGURES]
