"""Briefing charts with Chinese that renders: targets, outcomes, attention.

Importing this module registers a CJK font with matplotlib: a system font when one is
installed (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi, SimHei …), else Noto Sans SC
shipped by the ``pylopdf-fonts-zh-cn`` package (SIL Open Font License), and sets
``axes.unicode_minus = False`` so minus signs render.

Every chart function is seaborn-style: it takes ``data=`` and column names, draws on
``ax=`` (a new figure when omitted) and returns the Axes. ``save`` writes a figure to
PNG, SVG or PDF with a title and a source note.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .atomic import atomic_write

__all__ = [
    "CJK_FONT", "targets_vs_outcomes", "targets_by_region", "indicator_over_time",
    "attention_heatmap", "save", "QUALIFIER_MARKS", "SIZES",
]

#: System fonts tried first, in order.
SYSTEM_CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Sarasa Gothic SC", "SimHei",
    "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
)

#: Qualifier → (symbol, Chinese word) shown beside a target.
QUALIFIER_MARKS: dict[str, tuple[str, str]] = {
    "about": ("≈", "左右"),
    "at_least": ("≥", "以上"),
    "at_most": ("≤", "以内"),
    "range": ("", "区间"),
    "exact": ("", ""),
    "qualitative": ("", "定性"),
}

#: Qualifier words in English (``lang="en"``).
QUALIFIER_WORDS_EN: dict[str, str] = {"about": "about ", "at_least": "≥", "at_most": "≤", "qualitative": "qualitative"}

#: Chart words in each language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {"target": "目标", "outcome": "实际", "met": "实际·完成", "unmet": "实际·未完成",
           "unknown": "无法判断", "estimate": "预计数（空心）", "prelim": "（预计）",
           "targets_and_outcomes": "目标与实际", "year": "年份", "period": "时期",
           "qualitative": "定性", "source": "资料来源：各地政府工作报告",
           "province": "省级", "prefecture": "地级", "county": "县级", "township": "乡镇级"},
    "en": {"target": "Target", "outcome": "Outcome", "met": "Outcome · met", "unmet": "Outcome · missed",
           "unknown": "Cannot judge", "estimate": "Preliminary (hollow)", "prelim": " (prelim.)",
           "targets_and_outcomes": "Targets and outcomes", "year": "Year", "period": "Period",
           "qualitative": "qualitative", "source": "Source: local government work reports",
           "province": "Province", "prefecture": "Prefecture", "county": "County", "township": "Township"},
}

#: Figure sizes in inches for :func:`save`.
SIZES: dict[str, tuple[float, float]] = {
    "slide": (13.33, 7.5),     # 16:9 slide
    "a4": (11.69, 8.27),       # a landscape A4 page
    "half-a4": (8.27, 5.85),   # half a portrait A4 page (A5 landscape)
}

# house palette
INK = "#26323d"
MUTED = "#7a8590"
GRID = "#e3e6ea"
MET = "#2a9d8f"
UNMET = "#d1495b"
UNKNOWN = "#a8b0b8"
ACCENT = "#3d6fa8"
PALETTE = ["#3d6fa8", "#d1495b", "#2a9d8f", "#edae49", "#6c4f9c", "#8c6d46", "#5a9bd4", "#c06c84"]


def _bundled_font() -> Path | None:
    try:
        from pylopdf_fonts_zh_cn import sans_path

        p = Path(sans_path())
        if p.is_file():
            return p
    except Exception:  # noqa: BLE001 - fall back to looking in the package directory
        pass
    try:
        from importlib.resources import files

        p = Path(str(files("pylopdf_fonts_zh_cn") / "NotoSansSC-Regular.otf"))
        return p if p.is_file() else None
    except Exception:  # noqa: BLE001
        return None


def register_cjk_font() -> str | None:
    """Make a CJK font matplotlib's first sans-serif font; return its family name.

    Prefers an installed system font; else registers the bundled Noto Sans SC. Returns
    None (and leaves matplotlib alone) when neither is available.
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    name = next((n for n in SYSTEM_CJK_FONTS if n in installed), None)
    if name is None:
        path = _bundled_font()
        if path is None:
            return None
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
    sans = [name, *[f for f in mpl.rcParams["font.sans-serif"] if f != name]]
    mpl.rcParams["font.sans-serif"] = sans
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    # SVG text as outlines: the file looks the same on machines without the font
    mpl.rcParams["svg.fonttype"] = "path"
    return name


def _cff_font(name: str | None) -> bool:
    """Whether the CJK font has CFF (PostScript) outlines, as the .otf Noto fonts do."""
    if not name:
        return False
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    except ValueError:
        return False
    return path.lower().endswith(".otf")


CJK_FONT: str | None = register_cjk_font()
# matplotlib embeds CFF fonts in PDF correctly only as Type 3 (Type 42 draws no glyphs)
_PDF_RC = {"pdf.fonttype": 3} if _cff_font(CJK_FONT) else {}


# --------------------------------------------------------------------------- style


def _axes(ax: Axes | None, size: tuple[float, float] = (8, 5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _style(ax: Axes, *, grid: str | None = "x") -> None:
    """House style: light grid behind the data, no top/right spines, muted ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=10, length=3)
    ax.set_axisbelow(True)
    if grid:
        ax.grid(axis=grid, color=GRID, linewidth=0.8)
    ax.title.set_color(INK)
    ax.xaxis.label.set_color(INK)
    ax.yaxis.label.set_color(INK)


def _title(ax: Axes, title: str | None) -> None:
    if title:
        ax.set_title(title, loc="left", fontsize=13, color=INK, pad=12)


def _num(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return np.nan
    return v


def _fmt(v: float, unit: str = "") -> str:
    if pd.isna(v):
        return ""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return f"{s}{unit}"


def _mark(qualifier: Any, value: float, high: float = np.nan, unit: str = "", *, word: bool = True,
          lang: str = "zh") -> str:
    """A target as the report would write it: ``6%左右``, ``≥7%`` … (``about 6%`` in English)."""
    q = "" if qualifier is None or (isinstance(qualifier, float) and np.isnan(qualifier)) else str(qualifier)
    sym, zh = QUALIFIER_MARKS.get(q, ("", ""))
    if pd.isna(value):
        return WORDS[lang]["qualitative"] if q in ("qualitative", "") else ""
    if q == "range" and pd.notna(high):
        return f"{_fmt(value)}–{_fmt(high, unit)}"
    if lang == "en":
        return f"{QUALIFIER_WORDS_EN.get(q, '')}{_fmt(value, unit)}"
    if word and zh:
        return f"{_fmt(value, unit)}{zh}"
    return f"{sym}{_fmt(value, unit)}"


def _check_lang(lang: str) -> None:
    if lang not in WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


def _english_names() -> dict[str, str]:
    """Indicator keys, Chinese names and plain variants, and policy areas → English labels."""
    out: dict[str, str] = {}
    try:
        from .lexicon import indicator_lexicon

        for key, name, label, variants in indicator_lexicon()[["key", "name_zh", "label_en", "variants"]].itertuples(index=False):
            if label:
                for alias in [key, name, *str(variants).split("|")]:
                    if alias and not any(ch in alias for ch in "\\()[]?*+{}"):
                        out.setdefault(alias, label)
        from .attention import load_dictionaries

        d = load_dictionaries().drop_duplicates("area")
        for area, zh, en in d[["area", "label_zh", "label_en"]].itertuples(index=False):
            out.setdefault(str(area), str(en))
            out.setdefault(str(zh), str(en))
    except Exception:  # noqa: BLE001 - labels only
        pass
    return out


def _labels(values: Sequence[Any], lang: str) -> list[str]:
    """Axis labels: in English, indicator and policy-area names become their English labels."""
    vals = [str(v) for v in values]
    if lang != "en":
        return vals
    names = _english_names()
    return [names.get(v, v) for v in vals]


def _unit_of(data: pd.DataFrame, unit: str | None) -> str:
    if unit and unit in data and data[unit].notna().any():
        vals = data[unit].dropna().astype(str)
        vals = vals[vals != ""]
        if len(vals) and vals.nunique() == 1:
            return vals.iloc[0]
    return ""


# --------------------------------------------------------------------------- charts


def targets_vs_outcomes(
    data: pd.DataFrame,
    *,
    region: str = "region",
    target: str = "target",
    outcome: str = "outcome",
    qualifier: str = "target_qualifier",
    met: str = "met",
    high: str | None = "target_high",
    unit: str | None = "unit",
    estimate: str | None = "outcome_estimate",
    order: str | None = "auto",
    zero: bool | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Dumbbell of target and outcome per region; met / unmet coloured, qualifier marked.

    Parameters
    ----------
    data : one row per region (e.g. ``compare(panel, ...)``) or per indicator.
    region, target, outcome, qualifier, met, high, unit : column names (``high``: a range's
        upper bound; ``unit``: shown on the axis when all rows share it).
    estimate : column flagging preliminary (预计) outcomes: drawn hollow in their colour and
        labelled ``（预计）``.
    order : ``"auto"`` — by period (latest first) when rows span several, then by target
        (highest first); ``"target"`` or ``"outcome"`` — by that value; None — as given.
    zero : start a rate axis at 0 so that a 0.3-point miss is not drawn as a chasm (default:
        True when the unit is % or 个百分点 and no value is negative).
    lang : ``"zh"`` or ``"en"`` (legend, axis and qualifier words; indicator names in the
        ``region`` column become the lexicon's ``label_en``).
    ax : the Axes to draw on (a new figure when None).
    title : the chart's title.

    The hollow marker is the target, labelled as the report phrased it (``6%左右``,
    ``7%以上``); the filled marker is the outcome, green when ``met`` is true, red when false,
    grey when unknown. The legend sits right of the plot, clear of the axis label.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"region": ["平阴县"], "target": [5.5], "target_qualifier": ["about"],
    ...                      "outcome": [5.2], "met": [True], "unit": ["%"]})
    >>> ax = targets_vs_outcomes(rows, lang="en")
    >>> float(ax.get_xlim()[0]), ax.get_xlabel()
    (0.0, 'Targets and outcomes (%)')
    """
    _check_lang(lang)
    W = WORDS[lang]
    df = _ordered(data, order, target, outcome)
    n = len(df)
    own = ax is None
    ax = _axes(ax, (8, max(2.5, 0.55 * n + 1.5)))
    u = _unit_of(df, unit)
    y = np.arange(n)[::-1]
    ts = df[target].map(_num).to_numpy(float)
    os_ = df[outcome].map(_num).to_numpy(float)
    mets = df[met] if met in df else pd.Series([pd.NA] * n)
    quals = df[qualifier] if qualifier in df else pd.Series([""] * n)
    highs = df[high].map(_num).to_numpy(float) if high and high in df else np.full(n, np.nan)
    prelim = ([bool(v) if pd.notna(v) else False for v in df[estimate]] if estimate and estimate in df
              else [False] * n)
    colours = [MET if m is True or m == 1 else UNMET if m is False or m == 0 else UNKNOWN
               for m in (None if pd.isna(v) else bool(v) for v in mets)]
    finite = np.concatenate([ts[np.isfinite(ts)], os_[np.isfinite(os_)], highs[np.isfinite(highs)]])
    for yi, t, o, c, q, hi, pre in zip(y, ts, os_, colours, quals, highs, prelim, strict=True):
        if np.isfinite(t) and np.isfinite(o):
            ax.plot([t, o], [yi, yi], color=c, linewidth=2.4, alpha=0.55, zorder=1, solid_capstyle="round")
        if np.isfinite(t):
            ax.scatter([t], [yi], s=70, facecolor="white", edgecolor=INK, linewidth=1.6, zorder=3)
            left = np.isfinite(o) and o > t
            if np.isfinite(hi) and hi > t:  # a range target: the band it allows
                ax.plot([t, hi], [yi, yi], color=INK, linewidth=5, alpha=0.15, zorder=2,
                        solid_capstyle="butt")
            ax.annotate(_mark(q, t, hi, unit=u, lang=lang), (t, yi), xytext=(-8 if left else 8, 7),
                        textcoords="offset points", ha="right" if left else "left", va="bottom",
                        fontsize=9, color=MUTED)
        if np.isfinite(o):
            if pre:  # a preliminary (预计) figure: hollow in its colour
                ax.scatter([o], [yi], s=70, facecolor="white", edgecolor=c, linewidth=2.0, zorder=4)
            else:
                ax.scatter([o], [yi], s=70, color=c, edgecolor="white", linewidth=0.8, zorder=4)
            right = not (np.isfinite(t) and o < t)
            ax.annotate(_fmt(o, u) + (W["prelim"] if pre else ""), (o, yi), xytext=(8 if right else -8, -3),
                        textcoords="offset points", ha="left" if right else "right", va="top",
                        fontsize=9, color=c)
    ax.set_yticks(y, _labels(df[region].tolist(), lang))
    ax.set_ylim(-0.8, n - 0.2)
    if finite.size:
        lo, hi = finite.min(), finite.max()
        if zero is None:
            zero = u in ("%", "％", "个百分点", "百分点") and lo >= 0
        if zero:
            ax.set_xlim(0, hi * 1.25 + 1e-9)  # the whole scale: a small miss looks small
        else:
            pad = max(hi - lo, abs(hi) * 0.1, 1e-9) * 0.3  # room for the 左右/以上 labels
            ax.set_xlim(lo - pad, hi + pad)
    bracket = ("（{}）" if lang == "zh" else " ({})").format(u) if u else ""
    ax.set_xlabel(W["targets_and_outcomes"] + bracket)
    _style(ax, grid="x")
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=INK,
               markersize=8, label=W["target"]),
        Line2D([], [], marker="o", linestyle="", color=MET, markersize=8, label=W["met"]),
        Line2D([], [], marker="o", linestyle="", color=UNMET, markersize=8, label=W["unmet"]),
    ]
    if any(c == UNKNOWN for c in colours):
        handles.append(Line2D([], [], marker="o", linestyle="", color=UNKNOWN, markersize=8, label=W["unknown"]))
    if any(prelim):
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                              markeredgecolor=MUTED, markeredgewidth=2, markersize=8, label=W["estimate"]))
    # right of the plot: never over the axis label, however few rows
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    _title(ax, title)
    if own:
        ax.figure.tight_layout()  # a figure of our own: make room for the legend
    return ax


def _ordered(data: pd.DataFrame, order: str | None, target: str, outcome: str) -> pd.DataFrame:
    """Rows in a readable order: by period (latest first) when several, then by value."""
    df = data.reset_index(drop=True)
    if order is None or df.empty:
        return df
    if order not in ("auto", "target", "outcome"):
        raise ValueError(f"order must be 'auto', 'target', 'outcome' or None, not {order!r}")
    keys, asc = [], []
    if order == "auto" and "period" in df and df["period"].astype(str).nunique() > 1:
        df = df.assign(_period=df["period"].astype(str))
        keys.append("_period")
        asc.append(False)
    col = outcome if order == "outcome" else target
    if col in df:
        df = df.assign(_v=pd.to_numeric(df[col], errors="coerce"))
        keys.append("_v")
        asc.append(False)
    if not keys:
        return df
    df = df.sort_values(keys, ascending=asc, na_position="last", kind="stable")
    return df.drop(columns=[c for c in ("_period", "_v") if c in df]).reset_index(drop=True)


def targets_by_region(
    data: pd.DataFrame,
    *,
    region: str = "region",
    value: str = "target",
    qualifier: str = "target_qualifier",
    high: str | None = "target_high",
    unit: str | None = "unit",
    hue: str | None = "level",
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Horizontal bars of one indicator's targets across regions, marked 左右 / 以上 / 以内.

    Parameters
    ----------
    data : one row per region, e.g. ``compare(panel, indicator="gdp", period=2026)``.
    region, value, qualifier, high, unit : column names (``high``: a range's upper bound).
    hue : colour bars by this column (default the administrative level) when it has more
        than one value.
    lang : ``"zh"`` or ``"en"`` (qualifier words, level names, axis label).
    ax : the Axes to draw on (a new figure when None).
    title : the chart's title.

    Regions are drawn top to bottom in the order of ``data`` (``compare`` ranks them).
    Qualitative targets appear as a ``定性`` note. The axis starts at 0.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"region": ["甲县", "乙县"], "target": [6.0, 5.5],
    ...                      "target_qualifier": ["at_least", "about"], "unit": "%"})
    >>> [t.get_text() for t in targets_by_region(rows).texts]
    ['6%以上', '5.5%左右']
    """
    _check_lang(lang)
    W = WORDS[lang]
    df = data.reset_index(drop=True)
    n = len(df)
    ax = _axes(ax, (8, max(2.5, 0.45 * n + 1.4)))
    u = _unit_of(df, unit)
    y = np.arange(n)[::-1]
    vals = df[value].map(_num).to_numpy(float)
    highs = df[high].map(_num).to_numpy(float) if high and high in df else np.full(n, np.nan)
    quals = df[qualifier] if qualifier in df else pd.Series([""] * n)
    level_names = {k: W[k] for k in ("province", "prefecture", "county", "township")}
    if hue and hue in df and df[hue].nunique() > 1:
        groups = list(dict.fromkeys(df[hue].astype(str)))
        cmap = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
        colours = [cmap[str(h)] for h in df[hue]]
        handles = [plt.Rectangle((0, 0), 1, 1, color=cmap[g], label=level_names.get(g, g)) for g in groups]
    else:
        colours = [ACCENT] * n
        handles = []
    ax.barh(y, np.nan_to_num(vals), color=colours, height=0.62, zorder=2)
    for yi, v, h, q, c in zip(y, vals, highs, quals, colours, strict=True):
        if np.isfinite(h) and np.isfinite(v) and h > v:
            ax.barh([yi], [h - v], left=[v], color=c, alpha=0.35, height=0.62, zorder=2)
        label = _mark(q, v, h, u, lang=lang)
        end = h if np.isfinite(h) else v
        x = end if np.isfinite(end) else 0.0
        ax.annotate(label, (x, yi), xytext=(4 if x >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if x >= 0 else "right", va="center", fontsize=9,
                    color=INK if np.isfinite(v) else MUTED)
    ax.set_yticks(y, _labels(df[region].tolist(), lang))
    ax.set_ylim(-0.7, n - 0.3)
    finite = np.concatenate([vals[np.isfinite(vals)], highs[np.isfinite(highs)], [0.0]])
    lo, hi = min(finite.min(), 0), max(finite.max(), 0)
    ax.set_xlim(lo - (hi - lo) * 0.12 if lo < 0 else 0, hi + (hi - lo) * 0.22 + 1e-9)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_xlabel(W["target"] + (("（{}）" if lang == "zh" else " ({})").format(u) if u else ""))
    _style(ax, grid="x")
    if handles:
        ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=9)
    _title(ax, title)
    return ax


def _period_x(s: pd.Series) -> tuple[pd.Series, bool]:
    """Periods as numbers when they are years (``"2026"``), else as category labels."""
    num = pd.to_numeric(s.astype(str).str.strip(), errors="coerce")
    if num.notna().all():
        return num, True
    return s.astype(str), False


def indicator_over_time(
    data: pd.DataFrame,
    *,
    x: str = "period",
    target: str = "target",
    outcome: str = "outcome",
    hue: str | None = "region",
    unit: str | None = "unit",
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Lines over the years per ``hue`` group: targets dashed (hollow), outcomes solid.

    Parameters
    ----------
    data : tidy, one row per group and period, e.g. a slice of ``panel()`` for one
        indicator and metric.
    x : the period column (years become a numeric axis).
    target, outcome : value columns.
    hue : one line per value of this column (default the region).
    unit : unit column, shown on the y axis when all rows share it.
    lang : ``"zh"`` or ``"en"`` (legend and axis words).
    ax : the Axes to draw on (a new figure when None).
    title : the chart's title.

    >>> import pandas as pd
    >>> d = pd.DataFrame({"region": "甲县", "period": ["2025", "2026"], "target": [6.0, 5.5],
    ...                   "outcome": [5.8, None], "unit": "%"})
    >>> indicator_over_time(d, lang="en").get_xlabel()
    'Year'
    """
    _check_lang(lang)
    W = WORDS[lang]
    ax = _axes(ax, (8, 4.8))
    df = data.reset_index(drop=True)
    u = _unit_of(df, unit)
    xs, numeric = _period_x(df[x])
    df["_x"] = xs
    if not numeric:
        order = sorted(df["_x"].unique())
        df["_x"] = df["_x"].map({v: i for i, v in enumerate(order)})
    groups = list(dict.fromkeys(df[hue].astype(str))) if hue and hue in df else [""]
    for i, g in enumerate(groups):
        sub = df[df[hue].astype(str) == g] if g else df
        sub = sub.sort_values("_x")
        c = PALETTE[i % len(PALETTE)]
        t = sub[target].map(_num) if target in sub else pd.Series(dtype=float)
        o = sub[outcome].map(_num) if outcome in sub else pd.Series(dtype=float)
        mt, mo = t.notna(), o.notna()
        if mt.any():
            ax.plot(sub["_x"][mt], t[mt], linestyle="--", color=c, linewidth=1.6, marker="o",
                    markerfacecolor="white", markeredgecolor=c, markersize=6, zorder=2)
        if mo.any():
            ax.plot(sub["_x"][mo], o[mo], linestyle="-", color=c, linewidth=2.2, marker="o",
                    markersize=6, zorder=3)
        # name the line at its right end (the outcome when both end in the same year)
        ends = [(float(sub["_x"][m].max()), -k, float(v[m][sub["_x"][m].idxmax()]))
                for k, (m, v) in enumerate(((mo, o), (mt, t))) if m.any()]
        if g and ends:
            x_end, _, y_end = max(ends)
            ax.annotate(g, (x_end, y_end), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=9, color=c)
    if numeric:
        ticks = sorted(df["_x"].dropna().unique())
        ax.set_xticks(ticks, [str(int(v)) if float(v).is_integer() else str(v) for v in ticks])
        if ticks:
            ax.set_xlim(ticks[0] - 0.3, ticks[-1] + 0.3 + 0.12 * max(1, ticks[-1] - ticks[0]))
    else:
        ax.set_xticks(range(len(order)), order)
    ax.set_xlabel(W["year"] if numeric else W["period"])
    ax.set_ylabel(u)
    _style(ax, grid="y")
    handles = [Line2D([], [], color=INK, linestyle="-", linewidth=2.2, label=W["outcome"]),
               Line2D([], [], color=INK, linestyle="--", linewidth=1.6, marker="o",
                      markerfacecolor="white", label=W["target"])]
    if len(groups) > 1:
        handles += [Line2D([], [], color=PALETTE[i % len(PALETTE)], linewidth=2.2, label=g)
                    for i, g in enumerate(groups)]
    ax.legend(handles=handles, frameon=False, fontsize=9, loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    _title(ax, title)
    return ax


def attention_heatmap(
    data: pd.DataFrame,
    *,
    region: str = "region",
    area: str = "area",
    value: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: str | None = None,
    cmap: str = "YlGnBu",
    annot: bool | None = None,
    lang: str = "zh",
) -> Axes:
    """Regions × policy areas from any tidy frame (one row per region and area).

    Parameters
    ----------
    data : one row per region and area, e.g. ``govreport.attention(corpus)``.
    region, area, value : column names (rows, columns and cell values); ``value`` defaults to
        ``share`` or the table's ``share_per_…`` column (as :func:`govreport.attention` gives).
    ax : the Axes to draw on (a new figure when None).
    title : the chart's title.
    fmt : number format of the cell labels (default: percent for shares, else 3 digits).
    cmap : colour map.
    annot : write the values in the cells (default: when at most 400 cells).
    lang : ``"zh"`` or ``"en"`` (policy areas become the dictionaries' ``label_en``).

    Values of one region and area are averaged. Shares (all values within 0–1) are
    annotated as percentages.

    >>> import pandas as pd
    >>> d = pd.DataFrame({"region": ["甲县", "甲县"], "area": ["environment", "digital"],
    ...                   "share": [0.2, 0.1]})
    >>> [t.get_text() for t in attention_heatmap(d, lang="en").get_xticklabels()]
    ['Environment and ecology', 'Digital economy']
    """
    _check_lang(lang)
    if value is None:
        value = next((c for c in ("share", "share_per_1k_tokens", "share_per_10k_chars") if c in data.columns),
                     "share")
    missing = [c for c in (region, area, value) if c not in data.columns]
    if missing:
        raise ValueError(f"attention_heatmap: no column {', '.join(map(repr, missing))} in the table "
                         f"(columns: {', '.join(map(str, data.columns))}); pass region=, area=, value=")
    if data.empty or data[value].isna().all():
        raise ValueError("attention_heatmap: the table has no rows with a value to draw (empty corpus or filter?)")
    table = data.pivot_table(index=region, columns=area, values=value, aggfunc="mean", sort=False)
    rows, cols = table.shape
    ax = _axes(ax, (max(5, 0.9 * cols + 2.5), max(3, 0.5 * rows + 1.5)))
    vals = table.to_numpy(float)
    finite = vals[np.isfinite(vals)]
    is_share = finite.size > 0 and finite.min() >= 0 and finite.max() <= 1
    if fmt is None:
        fmt = ".0%" if is_share else ".3g"
    if annot is None:
        annot = rows * cols <= 400
    fmt_colorbar = mpl.ticker.PercentFormatter(1.0, decimals=0) if is_share else None
    _heatmap(ax, vals, cmap=cmap, annot=annot, fmt=fmt, colorbar_format=fmt_colorbar)
    ax.set_yticks(np.arange(rows) + 0.5, [str(v) for v in table.index], va="center")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks(np.arange(cols) + 0.5, _labels(table.columns.tolist(), lang))
    ax.tick_params(axis="x", labelrotation=30, labelsize=10, length=0)
    ax.tick_params(axis="y", labelrotation=0, labelsize=10, length=0)
    for lab in ax.get_xticklabels():
        lab.set_ha("right")
        lab.set_rotation_mode("anchor")
    _title(ax, title)
    return ax


def _heatmap(ax: Axes, vals: np.ndarray, *, cmap: str, annot: bool, fmt: str, colorbar_format: Any) -> None:
    """A grid of coloured cells (row 0 on top), white gaps, values written in the cells.

    Drawn with matplotlib alone (as seaborn's ``heatmap`` draws it: dark text on light cells,
    white on dark), so the charts need no seaborn import.
    """
    rows, cols = vals.shape
    masked = np.ma.masked_invalid(vals)
    finite = vals[np.isfinite(vals)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    mesh = ax.pcolormesh(masked, cmap=mpl.colormaps[cmap], vmin=vmin, vmax=vmax,
                         linewidth=0.6, edgecolor="white")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)  # first row on top
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = ax.figure.colorbar(mesh, ax=ax, shrink=0.8, format=colorbar_format)
    bar.outline.set_visible(False)
    bar.ax.tick_params(labelsize=9, colors=INK, length=2)
    if not annot:
        return
    colours = mesh.cmap(mesh.norm(masked))
    for i, j in zip(*np.nonzero(np.isfinite(vals)), strict=True):
        r, g, b = (_linear(c) for c in colours[i, j, :3])
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        ax.text(j + 0.5, i + 0.5, format(vals[i, j], fmt), ha="center", va="center", fontsize=8,
                color=".15" if luminance > 0.408 else "w")


def _linear(c: float) -> float:
    """sRGB channel to linear light (for the relative luminance of a cell)."""
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


# --------------------------------------------------------------------------- saving


def save(
    fig: Figure | Axes,
    path: str | os.PathLike[str],
    size: str | Sequence[float] = "slide",
    *,
    title: str | None = None,
    source: str | None = "资料来源：各地政府工作报告",
    dpi: int = 300,
    lang: str = "zh",
    layout: bool = True,
) -> Path:
    """Write ``fig`` to PNG (``dpi``, default 300), SVG or PDF by the path's extension.

    Parameters
    ----------
    fig : a Figure or an Axes (its figure is saved).
    path : ``.png``, ``.svg`` or ``.pdf``.
    size : ``"slide"`` (16:9, 13.33×7.5 in), ``"a4"`` (landscape page), ``"half-a4"``
        or ``(width, height)`` in inches.
    title : set above the figure.
    source : a note at the bottom left (``None`` for none); with ``lang="en"`` the default
        note is in English.
    dpi : resolution of PNG files.
    lang : ``"zh"`` or ``"en"``.
    layout : fit the axes to the figure (``False``: keep the layout of an earlier ``save`` of
        the same figure at the same size and title, e.g. the PNG before the SVG).

    Saving the same figure again replaces title and note. Parent directories are created;
    the file is written whole or not at all.

    Example: ``save(targets_vs_outcomes(rows), "out/gdp.png", size="half-a4", title="GDP")``.
    """
    _check_lang(lang)
    if lang == "en" and source == WORDS["zh"]["source"]:
        source = WORDS["en"]["source"]
    if isinstance(fig, Axes):
        fig = fig.figure
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in (".png", ".svg", ".pdf"):
        raise ValueError(f"save() writes .png, .svg or .pdf, not {p.suffix or 'no extension'!r}")
    if isinstance(size, str):
        if size not in SIZES:
            raise ValueError(f"size must be one of {sorted(SIZES)} or (width, height), not {size!r}")
        w, h = SIZES[size]
    else:
        w, h = (float(v) for v in size)
    fig.set_size_inches(w, h)
    for t in list(fig.texts):
        if t.get_gid() in ("govreport-title", "govreport-source"):
            t.remove()
    top, bottom = 0.98, 0.0
    if title:
        fig.text(0.012, 1 - 0.12 / h, title, gid="govreport-title", fontsize=15, color=INK,
                 ha="left", va="top")
        top = 1 - 0.5 / h
    if source:
        fig.text(0.012, 0.08 / h, source, gid="govreport-source", fontsize=8.5, color=MUTED,
                 ha="left", va="bottom")
        bottom = 0.3 / h
    if layout:
        fig.tight_layout(rect=(0, bottom, 1, top))
    p.parent.mkdir(parents=True, exist_ok=True)
    def write(tmp: str) -> None:
        with mpl.rc_context(_PDF_RC if ext == ".pdf" else {}):
            fig.savefig(tmp, dpi=dpi, format=ext[1:], facecolor="white")

    atomic_write(p, write)
    return p
