"""The briefing charts of ``govreport build``: PNG and SVG in ``<out>/figures``.

:func:`build_figures` draws, from the tables the build has just written:

1. ``01_gdp_targets`` — the GDP growth target of every region for the latest plan year
   (2026 on the seeds);
2. ``02_targets_vs_outcomes`` — GDP growth target against outcome for the regions whose
   consecutive reports give both; when no region has both, each region's latest target
   against the outcome of the year before, and the title says so;
3. ``03_peer_comparison`` — regions of one prefecture reporting in the same year (the parent
   with the most of them: 济南市's 平阴县, 钢城区 and 市中区 in 2026 on the seeds), side by
   side on that year's targets and the previous year's outcomes, one panel per indicator;
4. ``04_attention_heatmap`` — regions × policy areas, dictionary terms per 1,000 tokens.

File names are fixed, so a rebuild replaces the same files. A chart whose data are missing
is skipped. A chart has at most :data:`MAX_ROWS` rows (its title says when it shows the first
of more), so a large corpus gives charts of the same size, drawn as fast. PNGs are 200 dpi.
Figures are drawn on Agg canvases without pyplot, so nothing is left open and the caller's
backend is untouched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["build_figures", "start_figures", "preload", "FIGURE_NAMES", "DOCS_FIGURES", "WITHOUT_PANEL"]

#: Stems of the chart files, in drawing order.
FIGURE_NAMES = ("01_gdp_targets", "02_targets_vs_outcomes", "03_peer_comparison",
                "04_attention_heatmap")
#: The PNGs copied to ``docs_dir`` for the README.
DOCS_FIGURES = ("02_targets_vs_outcomes", "03_peer_comparison", "04_attention_heatmap")

SOURCE = "资料来源：各地政府工作报告；govreport 自动抽取"
_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2, "township": 3}
_INK = "#26323d"
_MUTED = "#7a8590"
_GREY = "#a8b0b8"
#: At most this many rows (regions or reports) in a chart; a larger corpus shows the first
#: ones (highest targets, highest administrative levels, latest reports) and says so.
MAX_ROWS = 40
#: Resolution of the PNG charts (inches × dpi = pixels; 200 dpi is 2,000 px across).
DPI = 200
_CN_NUM = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


def build_figures(
    corpus: Any,
    tables: Mapping[str, pd.DataFrame],
    outdir: str | os.PathLike[str],
    *,
    docs_dir: str | os.PathLike[str] | None = None,
    formats: Iterable[str] = (".png", ".svg"),
    jobs: int = 1,
) -> list[Path]:
    """Draw the briefing charts into ``outdir``; return the paths written.

    ``tables`` are the build's tables (``reports``, ``panel``, ``attention`` …); a missing
    ``panel`` or ``attention`` is computed from ``corpus``. With ``docs_dir`` the PNGs named
    in :data:`DOCS_FIGURES` are also copied there (the README's pictures). ``jobs > 1`` draws
    the charts in forked processes at once (see :func:`start_figures`).
    """
    return start_figures(corpus, tables, outdir, docs_dir=docs_dir, formats=formats, jobs=jobs)()


#: Charts drawn from ``reports`` and ``attention`` alone: a build starts them before its panel.
WITHOUT_PANEL = ("04_attention_heatmap",)
#: The order in which forked processes are given the charts: the most work first (the seeds,
#: CPU seconds: heatmap 1.5, peers 1.2, targets vs outcomes 0.9, GDP targets 0.3), so that
#: the last one to finish is a short one.
_MOST_WORK_FIRST = ("04_attention_heatmap", "03_peer_comparison", "02_targets_vs_outcomes", "01_gdp_targets")

#: What the forked chart processes draw from (set before they are forked).
_JOB: dict[str, Any] = {}


def preload() -> None:
    """Import what drawing needs (matplotlib, the CJK font's registration, the PNG and SVG
    writers), so that processes forked later start drawing at once.

    A build calls it in a thread while its workers read the files (the import takes about
    half a second of one core).
    """
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.image  # noqa: F401
    import PIL.PngImagePlugin  # noqa: F401

    from . import plot  # noqa: F401  (registers the CJK font)


def start_figures(
    corpus: Any,
    tables: Mapping[str, pd.DataFrame],
    outdir: str | os.PathLike[str],
    *,
    docs_dir: str | os.PathLike[str] | None = None,
    formats: Iterable[str] = (".png", ".svg"),
    jobs: int = 1,
    stems: Iterable[str] = FIGURE_NAMES,
) -> Callable[[], list[Path]]:
    """Start drawing the charts; returns ``finish()``, which waits and returns the paths.

    With ``jobs > 1`` (and ``fork``, as on Linux and macOS) the charts are drawn in up to
    ``jobs`` forked processes, one chart each and the most work first, while the caller goes
    on (the build writes its evidence pages meanwhile); otherwise they are drawn here before
    this returns. ``stems``: only these charts (of :data:`FIGURE_NAMES`); the panel is
    neither needed nor computed for :data:`WITHOUT_PANEL`. ``docs_dir`` copies are made
    by ``finish()``.
    """
    outdir = Path(outdir)
    formats = tuple(formats)
    stems = [s for s in FIGURE_NAMES if s in set(stems)]
    reports = _table(tables, "reports", lambda: corpus.reports)
    needs_panel = any(s not in WITHOUT_PANEL for s in stems)
    panel_df = _table(tables, "panel", lambda: _public("panel")(corpus)) if needs_panel else None
    state = {"corpus": corpus, "tables": tables, "reports": reports, "panel": panel_df,
             "outdir": outdir, "formats": formats}
    import multiprocessing as mp

    if jobs > 1 and stems and "fork" in mp.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor

        _JOB.clear()
        _JOB.update(state)  # inherited by the forked processes, never pickled
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(stems)), mp_context=mp.get_context("fork"))
        futures = {stem: pool.submit(_draw_one, stem) for stem in _MOST_WORK_FIRST if stem in stems}
        _JOB.clear()

        def finish() -> list[Path]:
            try:
                written = [p for stem in stems for p in futures[stem].result()]
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            _copy_docs(outdir, docs_dir)
            return written

        return finish
    written = [p for stem in stems for p in _draw(stem, state)]
    _copy_docs(outdir, docs_dir)
    return lambda: written


def _draw_one(stem: str) -> list[Path]:
    return _draw(stem, _JOB)


def _draw(stem: str, state: Mapping[str, Any]) -> list[Path]:
    """Draw one chart (``stem``) and save it in every format; [] when its data are missing."""
    from . import plot  # registers the CJK font

    reports, panel_df = state["reports"], state["panel"]
    drawers = {
        "01_gdp_targets": lambda: _gdp_targets(plot, panel_df),
        "02_targets_vs_outcomes": lambda: _targets_vs_outcomes(plot, panel_df),
        "03_peer_comparison": lambda: _peer_comparison(plot, panel_df, reports),
        "04_attention_heatmap": lambda: _attention(plot, state["corpus"], state["tables"], reports),
    }
    written: list[Path] = []
    with _reproducible():
        made = drawers[stem]()
        if made is None:
            return written
        fig, title, size = made
        try:
            for i, ext in enumerate(state["formats"]):  # one layout for every format
                written.append(plot.save(fig, state["outdir"] / f"{stem}{ext}", size=size, title=title,
                                         source=SOURCE, dpi=DPI, layout=i == 0))
        finally:
            fig.clear()
    return written


def _copy_docs(outdir: Path, docs_dir: str | os.PathLike[str] | None) -> None:
    if docs_dir is None:
        return
    docs = Path(docs_dir)
    docs.mkdir(parents=True, exist_ok=True)
    for stem in DOCS_FIGURES:
        src = outdir / f"{stem}.png"
        if src.exists():
            shutil.copyfile(src, docs / src.name)


# --------------------------------------------------------------------------- helpers


def _public(name: str) -> Any:
    import govreport

    return getattr(govreport, name)


def _table(tables: Mapping[str, pd.DataFrame], name: str, make: Any) -> pd.DataFrame:
    df = tables.get(name) if tables else None
    return df if isinstance(df, pd.DataFrame) else make()


@contextmanager
def _reproducible():
    """Same input, same SVG bytes: fixed element ids and a fixed date in the metadata."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = old or "0"
    try:
        with mpl.rc_context({"svg.hashsalt": "govreport"}):
            yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1):
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def _annual(panel_df: pd.DataFrame, indicator: str | None = "gdp", metric: str = "growth") -> pd.DataFrame:
    if panel_df is None or panel_df.empty:
        return pd.DataFrame(columns=getattr(panel_df, "columns", []))
    sel = panel_df[(panel_df["horizon"] == "annual") & (panel_df["metric"] == metric)]
    if indicator is not None:
        sel = sel[sel["indicator"] == indicator]
    sel = sel.copy()
    sel["_year"] = pd.to_numeric(sel["period"].astype(str), errors="coerce")
    return sel[sel["_year"].notna()]


def _region_labels(df: pd.DataFrame) -> pd.Series:
    """Region names, with the parent added where two regions share a name."""
    names = df["region"].astype(str)
    parents = df["parent"].fillna("").astype(str) if "parent" in df else pd.Series("", index=df.index)
    clash = names.map(df.assign(_p=parents).groupby("region")["_p"].nunique()) > 1
    return names.where(~clash, names + "（" + parents + "）")


def _sort_regions(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(_lv=df["level"].map(_LEVEL_ORDER).fillna(9)).sort_values(
        ["_lv", "province", "parent", "adcode", "region"], kind="stable").drop(columns="_lv")


def _indicator_names() -> dict[str, str]:
    try:
        lex = _public("indicator_lexicon")()
        return dict(zip(lex["key"], lex["name_zh"], strict=True))
    except Exception:  # noqa: BLE001 - fall back to the keys
        return {}


def _shown(total: int, n: int) -> str:
    """The note of a chart that shows only its first ``n`` of ``total`` rows."""
    return f"；图中为级别最高的{n}个" if total > n else ""


def _count_zh(n: int) -> str:
    return _CN_NUM.get(n, str(n))


# --------------------------------------------------------------------------- 1. GDP targets


def _gdp_targets(plot: Any, panel_df: pd.DataFrame):
    gdp = _annual(panel_df)
    gdp = gdp[gdp["target"].notna()]
    if gdp.empty:
        return None
    years = sorted(gdp["_year"].astype(int).unique())
    year = 2026 if 2026 in years else years[-1]
    data = _public("compare")(panel_df, indicator="gdp", period=year, metric="growth")
    if data.empty:
        return None
    data = data.assign(region=_region_labels(data))
    total = len(data)
    data = data.head(MAX_ROWS)
    n = len(data)
    fig, axes = _figure(10, 3.0 + 0.42 * n)
    plot.targets_by_region(data, ax=axes[0, 0])
    ax = axes[0, 0]
    ax.set_xlabel("地区生产总值增长目标（%）")
    note = "" if year == 2026 else "（语料中没有2026年的报告，取最近的计划年份）"
    shown = f"{total}个地区中目标最高的{n}个" if total > n else f"{n}个地区"
    title = f"{year}年地区生产总值增长目标：{shown}{note}"
    return fig, title, (10, 3.0 + 0.42 * n)


# --------------------------------------------------------------------------- 2. targets vs outcomes


def _targets_vs_outcomes(plot: Any, panel_df: pd.DataFrame):
    gdp = _annual(panel_df)
    if gdp.empty:
        return None
    both = gdp[gdp["target"].notna() & gdp["outcome"].notna()]
    if len(both):
        # regions with two consecutive reports: the latest year with both sides
        rows = both.sort_values("_year").groupby(["region", "parent", "province"], sort=False).tail(1)
        rows = _sort_regions(rows)
        labels = _region_labels(rows) + " " + rows["period"].astype(str)
        data = rows.assign(region=labels)
        total = len(data)
        n_met = int(data["met"].fillna(False).astype(bool).sum())
        data = data.head(MAX_ROWS)
        n = len(data)
        title = (f"地区生产总值增长：目标与实际（{total}个地区有相邻两年的报告，"
                 f"{n_met}个完成目标{_shown(total, n)}）")
        fig, axes = _figure(10, 2.6 + 0.5 * n)
        plot.targets_vs_outcomes(data, ax=axes[0, 0])
        axes[0, 0].set_xlabel("地区生产总值增长（%）")
        return fig, title, (10, 2.8 + 0.5 * n)

    # no region has both: each region's latest target with the outcome of the year before
    rows = []
    for _, g in gdp.groupby(["region", "parent", "province"], sort=False):
        tg = g[g["target"].notna()]
        if len(tg):
            t = tg.sort_values("_year").iloc[-1]
            prev = g[(g["_year"] == t["_year"] - 1) & g["outcome"].notna()]
            y = int(t["_year"])
            rows.append({**t.to_dict(), "outcome": prev["outcome"].iloc[0] if len(prev) else np.nan,
                         "outcome_estimate": bool(prev["outcome_estimate"].fillna(False).iloc[0]) if len(prev) else False,
                         "_label": f"{y - 1}实际 → {y}目标" if len(prev) else f"{y}目标"})
        else:
            o = g[g["outcome"].notna()].sort_values("_year").iloc[-1]
            rows.append({**o.to_dict(), "target": np.nan, "target_qualifier": "",
                         "_label": f"{int(o['_year'])}实际"})
    data = _sort_regions(pd.DataFrame(rows))
    data = data.assign(region=_region_labels(data) + "  " + data["_label"], met=pd.NA)
    total = len(data)
    data = data.head(MAX_ROWS)
    n = len(data)
    fig, axes = _figure(11, 2.8 + 0.5 * n)
    ax = axes[0, 0]
    plot.targets_vs_outcomes(data, ax=ax)
    ax.set_xlabel("地区生产总值增长（%）")
    _legend(ax, n, outcome_label="上年实际")
    ax.set_title("语料中还没有同一地区相邻两年的报告，无法对照同一年的目标与实际；"
                 "图为各地最近一份报告中的当年目标与上年实际", loc="left", fontsize=10,
                 color=_MUTED, pad=10)
    title = f"地区生产总值增长：上年实际与当年目标（尚无相邻两年的报告{_shown(total, n)}）"
    return fig, title, (11, 3.3 + 0.5 * n)


def _legend(ax: Any, n: int, outcome_label: str) -> None:
    """Replace the met/unmet legend: here the outcome is of another year than the target."""
    old = list(ax.get_legend().legend_handles) if ax.get_legend() is not None else []
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=_INK,
               markersize=8, label="当年目标（按报告措辞）"),
        Line2D([], [], marker="o", linestyle="", color=_GREY, markersize=8, label=outcome_label),
    ]
    if any(getattr(h, "get_label", lambda: "")() == "预计数（空心）" for h in old):
        handles += [h for h in old if h.get_label() == "预计数（空心）"]
    # right of the plot, clear of the axis label
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)


# --------------------------------------------------------------------------- 3. peers


def peer_group(reports: pd.DataFrame) -> tuple[str, str, int, pd.DataFrame] | None:
    """The largest set of regions with one parent reporting in one year.

    Returns ``(parent, province, year, reports of those regions)``, or None when no parent
    has two such regions. Ties go to the latest year, then the parent's name.
    """
    if reports is None or reports.empty:
        return None
    rep = reports.copy()
    rep["year"] = pd.to_numeric(rep["year"], errors="coerce")
    rep = rep[rep["year"].notna() & rep["parent"].fillna("").astype(str).ne("")]
    rep = rep[rep["region"].fillna("").astype(str).ne("")]
    if rep.empty:
        return None
    counts = (rep.groupby(["parent", "province", "year"])["region"].nunique()
              .rename("n").reset_index())
    counts = counts.sort_values(["n", "year", "parent"], ascending=[False, False, True], kind="stable")
    best = counts.iloc[0]
    if best["n"] < 2:
        return None
    members = rep[(rep["parent"] == best["parent"]) & (rep["province"] == best["province"])
                  & (rep["year"] == best["year"])]
    return str(best["parent"]), str(best["province"]), int(best["year"]), members


def _peer_comparison(plot: Any, panel_df: pd.DataFrame, reports: pd.DataFrame):
    group = peer_group(reports)
    if group is None or panel_df is None or panel_df.empty:
        return None
    parent, province, year, members = group
    regions = _sort_regions(members.drop_duplicates(["region"]).assign(
        adcode=members["adcode"].fillna("").astype(str)))["region"].tolist()
    sel = _annual(panel_df, indicator=None)
    sel = sel[(sel["parent"] == parent) & (sel["province"] == province) & sel["region"].isin(regions)]
    sel = sel[sel["unit"].isin(["%", "％"])]
    tgt = sel[(sel["_year"] == year) & sel["target"].notna()]
    out = sel[(sel["_year"] == year - 1) & sel["outcome"].notna()]
    # indicators with a figure for at least two of the regions; GDP first, then the fullest
    # indicators with targets of at least two of the regions (else a figure for two of
    # them); GDP first, then the fullest
    t_regions: dict[str, set] = {}
    o_regions: dict[str, set] = {}
    for ind, r in zip(tgt["indicator"], tgt["region"], strict=True):
        t_regions.setdefault(ind, set()).add(r)
    for ind, r in zip(out["indicator"], out["region"], strict=True):
        o_regions.setdefault(ind, set()).add(r)
    per, fallback = {}, {}
    for ind in set(t_regions) | set(o_regions):
        t_set = t_regions.get(ind, set())
        covered = t_set | o_regions.get(ind, set())
        rank = (ind != "gdp", -len(t_set), -len(covered), ind)
        if len(t_set) >= 2:
            per[ind] = rank
        elif len(covered) >= 2 and t_set:
            fallback[ind] = rank
    per = per or fallback
    indicators = sorted(per, key=per.get)[:6]
    if not indicators:
        return None
    names = _indicator_names()
    ncols = 2 if len(indicators) == 4 else min(3, len(indicators))
    nrows = -(-len(indicators) // ncols)
    width, height = 4.6 * ncols + 0.6, 1.0 + nrows * (0.55 * len(regions) + 1.7)
    fig, axes = _figure(width, height, nrows, ncols)
    # each region's first target and outcome row per indicator
    first_t = {(ind, r): (v, hi, q) for ind, r, v, hi, q in list(zip(
        tgt["indicator"], tgt["region"], tgt["target"], tgt["target_high"], tgt["target_qualifier"], strict=True))[::-1]}
    first_o = {(ind, r): v for ind, r, v in list(zip(out["indicator"], out["region"], out["outcome"], strict=True))[::-1]}
    for i, ind in enumerate(indicators):
        ax = axes[i // ncols, i % ncols]
        rows = []
        for r in regions:
            v, hi, q = first_t.get((ind, r), (np.nan, np.nan, ""))
            rows.append({"region": r, "target": v, "target_high": hi, "target_qualifier": q,
                         "outcome": first_o.get((ind, r), np.nan), "met": pd.NA, "unit": "%"})
        plot.targets_vs_outcomes(pd.DataFrame(rows), ax=ax)
        ax.set_title(f"{names.get(ind, ind)}增长", loc="left", fontsize=11, color=_INK)
        ax.set_xlabel("%", fontsize=9, color=_MUTED)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        missing = [r for r, row in zip(regions, rows, strict=True)
                   if np.isnan(row["target"]) and np.isnan(row["outcome"])]
        if missing:
            ax.text(1.0, 1.02, "无数据：" + "、".join(missing), transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=8, color=_MUTED)
    for j in range(len(indicators), nrows * ncols):
        axes[j // ncols, j % ncols].set_visible(False)
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=_INK,
               markersize=8, label=f"{year}年目标（按报告措辞）"),
        Line2D([], [], marker="o", linestyle="", color=_GREY, markersize=8,
               label=f"{year - 1}年实际"),
    ]
    axes[0, ncols - 1].legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.08),
                              ncol=2, frameon=False, fontsize=9)
    title = (f"{parent}{_count_zh(len(regions))}个区县（{'、'.join(regions)}）："
             f"{year}年目标与{year - 1}年实际")
    return fig, title, (width, height + 0.7)


# --------------------------------------------------------------------------- 4. attention


def _attention(plot: Any, corpus: Any, tables: Mapping[str, pd.DataFrame], reports: pd.DataFrame):
    att = _table(tables, "attention", lambda: _public("attention")(corpus))
    if att is None or att.empty:
        return None
    value = next((c for c in ("share_per_1k_tokens", "share_per_10k_chars") if c in att), None)
    if value is None:
        return None
    att = att.copy()
    labels = {}
    try:
        d = _public("load_dictionaries")()
        labels = dict(zip(d["area"], d["label_zh"], strict=False))
    except Exception:  # noqa: BLE001 - keep the area keys
        pass
    att["area_zh"] = att["area"].map(lambda a: labels.get(a, a))
    meta_cols = [c for c in ("source", "part", "level", "parent", "province") if c in reports]
    if {"source", "part"} <= set(meta_cols) and "level" not in att:
        att = att.merge(reports[meta_cols].drop_duplicates(["source", "part"]),
                        on=["source", "part"], how="left")
    year = pd.to_numeric(att["year"], errors="coerce")
    att["row"] = att["region"].astype(str) + np.where(year.notna(), " " + year.astype("Int64").astype(str), "")
    if "level" in att:
        att["_lv"] = att["level"].map(_LEVEL_ORDER).fillna(9)
    else:
        att["_lv"] = 0
    att["_year"] = year
    att = att.sort_values(["_year", "_lv", "region"], ascending=[False, True, True], kind="stable")
    # areas left to right by their average attention
    order = att.groupby("area_zh")[value].mean().sort_values(ascending=False).index.tolist()
    att["area_zh"] = pd.Categorical(att["area_zh"], categories=order, ordered=True)
    att = att.sort_values(["_year", "_lv", "region", "area_zh"],
                          ascending=[False, True, True, True], kind="stable")
    total = att["row"].nunique()
    if total > MAX_ROWS:  # the latest reports
        att = att[att["row"].isin(att["row"].drop_duplicates().head(MAX_ROWS))]
    rows, cols = att["row"].nunique(), len(order)
    width, height = max(8.0, 0.95 * cols + 3.5), max(4.0, 0.42 * rows + 2.4)
    fig, axes = _figure(width, height)
    ax = axes[0, 0]
    plot.attention_heatmap(att.assign(area_zh=att["area_zh"].astype(str)), region="row",
                           area="area_zh", value=value, ax=ax, fmt=".1f")
    unit = "每千词" if value == "share_per_1k_tokens" else "每万字"
    shown = f"{total}份报告中最近的{rows}份" if total > rows else f"{rows}份报告"
    title = f"政策注意力：各领域词典词出现频率（{unit}），{shown}"
    return fig, title, (width, height + 0.6)
