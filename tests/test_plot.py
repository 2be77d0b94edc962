"""Every chart renders, with Chinese and no missing glyphs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402
import warnings  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from govreport import plot as gp  # noqa: E402

MISSING = re.compile(r"missing from (current )?font|Glyph .* missing", re.IGNORECASE)

# every character the charts print, plus what briefings typically say
SAMPLE = "平阴县商河县济阳区济南市山东省地区生产总值增长目标与实际完成未完成左右以上以内区间定性年份−≈≥≤％·：（）"


@pytest.fixture
def no_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    bad = [str(w.message) for w in caught if MISSING.search(str(w.message))]
    assert not bad, bad


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def comparison() -> pd.DataFrame:
    return pd.DataFrame({
        "region": ["平阴县", "商河县", "济南市", "济阳区", "长清区"],
        "level": ["county", "county", "prefecture", "county", "county"],
        "parent": ["济南市", "济南市", "山东省", "济南市", "济南市"],
        "unit": "%",
        "target": [7.0, 6.5, 6.0, 6.0, np.nan],
        "target_high": [np.nan, np.nan, np.nan, 6.5, np.nan],
        "target_qualifier": ["at_least", "about", "about", "range", "qualitative"],
        "outcome": [6.1, 6.6, 5.8, -0.4, 5.0],
        "met": pd.array([False, True, True, False, pd.NA], dtype="boolean"),
    })


def history() -> pd.DataFrame:
    rows = []
    for region, base in [("平阴县", 7.0), ("商河县", 6.0), ("济南市", 5.5)]:
        for i, year in enumerate(["2023", "2024", "2025", "2026"]):
            rows.append({"region": region, "period": year, "unit": "%", "target": base - 0.2 * i,
                         "outcome": np.nan if year == "2026" else base - 0.3 * i + 0.1})
    return pd.DataFrame(rows)


def attention() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    areas = ["科技创新", "乡村振兴", "民生保障", "生态环境", "营商环境"]
    rows = []
    for region in ["济南市", "平阴县", "商河县"]:
        shares = rng.dirichlet(np.ones(len(areas)))
        rows += [{"region": region, "area": a, "share": s} for a, s in zip(areas, shares, strict=True)]
    return pd.DataFrame(rows)


def test_cjk_font_registered():
    assert gp.CJK_FONT
    assert matplotlib.rcParams["font.sans-serif"][0] == gp.CJK_FONT
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    path = font_manager.findfont(font_manager.FontProperties(family=gp.CJK_FONT), fallback_to_default=False)
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    cmap = font.get_charmap()
    missing = [ch for ch in SAMPLE if ord(ch) not in cmap]
    assert not missing, missing


def _check(path):
    assert path.exists() and path.stat().st_size > 5_000
    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_targets_vs_outcomes(tmp_path, no_missing_glyphs):
    ax = gp.targets_vs_outcomes(comparison(), title="2025年地区生产总值增长：目标与实际")
    assert isinstance(ax, plt.Axes)
    labels = [t.get_text() for t in ax.texts]
    assert "7%以上" in labels and "6.5%左右" in labels and "6–6.5%" in labels and "-0.4%" in labels
    assert [t.get_text() for t in ax.get_yticklabels()] == ["平阴县", "商河县", "济南市", "济阳区", "长清区"]
    _check(gp.save(ax.figure, tmp_path / "tvo.png", "half-a4"))


def test_targets_vs_outcomes_on_given_axes(tmp_path, no_missing_glyphs):
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    assert gp.targets_vs_outcomes(comparison(), ax=a) is a
    assert gp.targets_by_region(comparison(), ax=b) is b
    _check(gp.save(fig, tmp_path / "sub" / "dir" / "two.png", (10, 4), title="两图"))


def test_targets_by_region(tmp_path, no_missing_glyphs):
    ax = gp.targets_by_region(comparison(), title="2026年地区生产总值增长目标")
    labels = [t.get_text() for t in ax.texts]
    assert {"7%以上", "6%左右", "定性"} <= set(labels)
    assert "目标" in ax.get_xlabel()
    _check(gp.save(ax, tmp_path / "bars.png", "slide"))


def test_indicator_over_time(tmp_path, no_missing_glyphs):
    ax = gp.indicator_over_time(history(), title="地区生产总值增长率")
    styles = {line.get_linestyle() for line in ax.get_lines()}
    assert {"--", "-"} <= styles
    assert {t.get_text() for t in ax.texts} == {"平阴县", "商河县", "济南市"}
    _check(gp.save(ax.figure, tmp_path / "lines.png", "a4"))
    # five-year periods are categories
    five = pd.DataFrame({"region": "平阴县", "period": ["2016-2020", "2021-2025"],
                         "target": [7.5, 6.0], "outcome": [6.8, 5.9]})
    ax = gp.indicator_over_time(five)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016-2020", "2021-2025"]


def test_attention_heatmap(tmp_path, no_missing_glyphs):
    ax = gp.attention_heatmap(attention(), title="政策注意力")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["济南市", "平阴县", "商河县"]
    assert ax.texts and all(t.get_text().endswith("%") for t in ax.texts)
    _check(gp.save(ax.figure, tmp_path / "heat.png", "half-a4"))


def test_save_formats_title_source(tmp_path, no_missing_glyphs):
    ax = gp.targets_by_region(comparison())
    fig = ax.figure
    for ext in ("png", "svg", "pdf"):
        p = gp.save(fig, tmp_path / f"out.{ext}", "half-a4", title="层层加码", source="资料来源：测试")
        assert p.exists() and p.stat().st_size > 1_000
    # saving again replaces the title and the source note instead of stacking them
    assert sum(t.get_gid() == "govreport-title" for t in fig.texts) == 1
    assert sum(t.get_gid() == "govreport-source" for t in fig.texts) == 1
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    # a CFF (.otf) font embedded as Type 42 draws no glyphs in PDF viewers: save() uses Type 3
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        pdf = gp.save(fig, tmp_path / "t42.pdf", "half-a4").read_bytes()
    if gp._PDF_RC:
        assert b"/Type3" in pdf and b"FontFile2" not in pdf
    assert b"<svg" in (tmp_path / "out.svg").read_bytes()[:500]
    assert tuple(fig.get_size_inches()) == pytest.approx(gp.SIZES["half-a4"])
    with pytest.raises(ValueError):
        gp.save(fig, tmp_path / "out.jpg")
    with pytest.raises(ValueError):
        gp.save(fig, tmp_path / "out.png", size="poster")


def test_missing_glyph_check_is_live(tmp_path):
    """The warning the fixtures look for is what matplotlib says about a glyph it lacks."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("\U0001F600")  # an emoji no CJK text font has
        fig.savefig(tmp_path / "emoji.png")
    assert any(MISSING.search(str(w.message)) for w in caught)


# --------------------------------------------------------------------------- issue 14, item 12

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_one_region_legend_clears_the_axis_label():
    ax = gp.targets_vs_outcomes(comparison().iloc[:1])
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(r)
    w, h = fig.bbox.width, fig.bbox.height
    assert legend.x0 >= 0 and legend.y0 >= 0 and legend.x1 <= w and legend.y1 <= h  # on the canvas
    assert not _overlap(legend, ax.xaxis.label.get_window_extent(r))
    for t in ax.get_xticklabels():
        assert not _overlap(legend, t.get_window_extent(r))


def test_rows_follow_year_then_value():
    rows = pd.DataFrame({
        "region": ["甲县", "乙县", "丙县", "丁县"], "period": ["2020", "2026", "2026", "2023"],
        "target": [8.0, 5.0, 6.0, 7.0], "outcome": [7.5, np.nan, np.nan, 6.0], "unit": "%",
        "target_qualifier": "about",
    })
    ax = gp.targets_vs_outcomes(rows)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["丙县", "乙县", "丁县", "甲县"]
    # one period: by target, highest first; order=None keeps the given order
    one = comparison()
    ax = gp.targets_vs_outcomes(one.iloc[[3, 0, 1]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["平阴县", "商河县", "济阳区"]
    ax = gp.targets_vs_outcomes(one.iloc[[3, 0, 1]], order=None)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["济阳区", "平阴县", "商河县"]


def test_preliminary_outcomes_are_marked():
    rows = comparison().iloc[:2].assign(outcome_estimate=[True, False])
    ax = gp.targets_vs_outcomes(rows)
    labels = [t.get_text() for t in ax.texts]
    assert "6.1%（预计）" in labels and "6.6%" in labels
    assert any(h.get_label() == "预计数（空心）" for h in ax.get_legend().legend_handles)


def test_rate_axis_starts_at_zero():
    one = pd.DataFrame({"region": ["平阴县"], "target": [5.65], "outcome": [5.05], "unit": "%",
                        "target_qualifier": "about", "met": [False]})
    lo, hi = gp.targets_vs_outcomes(one).get_xlim()
    assert lo == 0 and hi > 5.65
    lo, _ = gp.targets_vs_outcomes(one, zero=False).get_xlim()
    assert lo > 4


def test_english_labels_on_request(tmp_path):
    rows = pd.DataFrame({"region": ["地区生产总值", "社会消费品零售总额"], "target": [6.0, 5.0],
                         "target_qualifier": ["about", "at_least"], "outcome": [5.8, 4.1],
                         "met": [True, False], "unit": "%", "outcome_estimate": [True, False]})
    ax = gp.targets_vs_outcomes(rows, lang="en", title="Targets and outcomes, 2025")
    texts = [t.get_text() for t in [*ax.texts, *ax.get_yticklabels(), ax.xaxis.label,
                                    *ax.get_legend().get_texts()]]
    assert not [t for t in texts if _CJK.search(t)], texts
    assert "GDP" in texts and "about 6%" in texts and "5.8% (prelim.)" in texts
    ax = gp.targets_by_region(comparison(), lang="en")
    assert not [t.get_text() for t in [*ax.texts, *ax.get_legend().get_texts()] if _CJK.search(t.get_text())]
    ax = gp.indicator_over_time(history(), lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["Outcome", "Target"]
    p = gp.save(ax, tmp_path / "en.png", lang="en")
    assert p.exists() and ax.figure.texts[-1].get_text().startswith("Source:")
    with pytest.raises(ValueError, match="lang"):
        gp.targets_vs_outcomes(rows, lang="fr")
