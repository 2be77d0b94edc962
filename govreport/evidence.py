"""See every extracted figure in its report: HTML for Jupyter and static evidence pages.

The report is shown as its raw text (the file as read, before normalisation), so what is
highlighted is exactly what a reader finds in the original. Each indicator row becomes one
``<mark data-row=…>`` over the raw span of its ``start``/``end``; its key and value are in the
tooltip, and a side list links to every highlight. Spans that cross (``A、B分别增长x%、y%``)
cannot nest in HTML, so a crossing span is drawn on a transparent copy of its paragraph laid
over the text: every row still has exactly one highlight.

>>> import govreport
>>> corpus = govreport.read_text("政府工作报告\\n各位代表：\\n一、2026年主要目标\\n地区生产总值增长5%左右。")
>>> page = render(corpus.document("<text>"), corpus.indicators)
>>> page.count('<mark '), "增长5%" in page
(1, True)
"""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .atomic import atomic_write

#: Highlight colours by category: (background, line). Okabe & Ito's colour-blind-safe hues
#: (blue, orange, reddish purple, bluish green) as light backgrounds; the underline style
#: differs too (solid, double, dotted, dashed), so colour is never the only cue.
COLOURS: dict[str, tuple[str, str]] = {
    "target": ("#cce3f0", "#0072b2"),
    "outcome": ("#f9e2b3", "#e69f00"),
    "estimate": ("#f0d7e5", "#cc79a7"),
    "five_year": ("#bfe6d8", "#009e73"),
}
LINE_STYLE = {"target": "solid", "outcome": "double", "estimate": "dotted", "five_year": "dashed"}
LABELS = {"target": "target", "outcome": "outcome", "estimate": "estimate (预计)", "five_year": "five-year"}
CORRECTED = "#d55e00"  # vermilion outline: a row changed or added by corrections.csv
FONT_FAMILY = "GovReport Sans"
FONT_FILE = "NotoSansSC-Regular.otf"
#: ``govreport build`` writes the pages by default when the corpus has at most this many
#: reports (a page is about 5 bytes per character of its report); ``--evidence`` writes them
#: whatever the size, ``govreport evidence OUT [SOURCE ...]`` later and for chosen reports.
AUTO_MAX_REPORTS = 1000
#: The style sheet every evidence page links (written beside the pages).
CSS_FILE = "evidence.css"


def category(row: Any) -> str:
    """Highlight category of an indicator row: five_year, estimate, target or outcome."""
    if _get(row, "horizon") == "five_year":
        return "five_year"
    if bool(_get(row, "estimate")) and _get(row, "kind") == "outcome":
        return "estimate"
    return "outcome" if _get(row, "kind") == "outcome" else "target"


def _get(row: Any, name: str, default: Any = None) -> Any:
    v = row.get(name, default) if isinstance(row, dict | pd.Series) else getattr(row, name, default)
    return default if v is None or (isinstance(v, float) and np.isnan(v)) else v


# --------------------------------------------------------------------------- layout of spans


@dataclass
class _Span:
    start: int  # raw positions
    end: int
    open: str
    close: str
    layer: int = 0


def _assign_layers(spans: list[_Span]) -> None:
    """Give each span the lowest layer in which it crosses no other span (nesting is fine)."""
    stacks: list[list[int]] = []  # per layer, ends of the open (nested) spans
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        for k in itertools.count():
            if k == len(stacks):
                stacks.append([])
            st = stacks[k]
            while st and st[-1] <= sp.start:
                st.pop()
            if not st or st[-1] >= sp.end:
                st.append(sp.end)
                sp.layer = k
                break


def _render(raw: str, a: int, b: int, spans: list[_Span]) -> str:
    """``raw[a:b]`` escaped, with properly nested ``spans`` opened and closed in place."""
    out: list[str] = []
    pos = a
    stack: list[_Span] = []
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        while stack and stack[-1].end <= sp.start:
            top = stack.pop()
            out += [_esc(raw[pos : top.end]), top.close]
            pos = top.end
        out += [_esc(raw[pos : sp.start]), sp.open]
        pos = sp.start
        stack.append(sp)
    while stack:
        top = stack.pop()
        out += [_esc(raw[pos : top.end]), top.close]
        pos = top.end
    out.append(_esc(raw[pos:b]))
    return "".join(out)


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _blocks(raw: str, lo: int, hi: int, spans: list[_Span]) -> list[tuple[int, int]]:
    """Paragraphs of ``raw[lo:hi]``: cut at line ends that no span covers."""
    cover = np.zeros(hi - lo + 1, dtype=np.int32)
    for sp in spans:
        if sp.end > sp.start:
            cover[sp.start - lo] += 1
            cover[sp.end - lo] -= 1
    inside = np.cumsum(cover)[:-1] > 0
    cuts = [lo + i for i in (m.start() for m in re.finditer("\n", raw[lo:hi])) if not inside[i]]
    starts = [lo, *[c + 1 for c in cuts]]
    ends = [*cuts, hi]
    return list(zip(starts, ends, strict=True))


# --------------------------------------------------------------------------- one report


def _tooltip(row: Any) -> str:
    value = _get(row, "value")
    high = _get(row, "value_high")
    v = "" if value is None else f"{value:g}"
    if high is not None:
        v += f"–{high:g}"
    lines = [
        f"{_get(row, 'indicator', '')} · {_get(row, 'indicator_text', '')}",
        f"{_get(row, 'kind', '')} {_get(row, 'period', '')} ({_get(row, 'horizon', '')})"
        + (" · estimate 预计" if bool(_get(row, "estimate")) else ""),
        f"{_get(row, 'metric', '')}: {v}{_get(row, 'unit', '')} {_get(row, 'qualifier', '')}".rstrip(),
    ]
    if _get(row, "text"):
        lines.append(f"clause: {_get(row, 'text')}")
    if bool(_get(row, "corrected")):
        lines.append(f"corrected: {_get(row, 'note', '')}")
    return "\n".join(lines)


def _label(row: Any) -> str:
    value, high = _get(row, "value"), _get(row, "value_high")
    v = "—" if value is None else f"{value:g}" + (f"–{high:g}" if high is not None else "")
    q = {"about": "左右", "at_least": "以上", "at_most": "以内"}.get(_get(row, "qualifier", ""), "")
    return f"{_get(row, 'indicator', '')} {_get(row, 'period', '')} {v}{_get(row, 'unit', '')}{q}"


def _doc_rows(doc: Any, rows: pd.DataFrame | None) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame(columns=["source", "part", "start", "end"])
    return rows[(rows["source"] == doc.source) & (rows["part"] == doc.part)]


def render(
    doc: Any,
    rows: pd.DataFrame | None = None,
    *,
    page: bool = False,
    id_prefix: str = "",
    window: tuple[int, int] | None = None,
    meta: dict | None = None,
    font_url: str | None = None,
    index_url: str | None = None,
    dropped: pd.DataFrame | None = None,
    css_url: str | None = None,
) -> str:
    """HTML of one report's raw text with every indicator row of ``rows`` highlighted.

    ``doc`` is a :class:`~govreport.corpus.Document` (``source``, ``part``, ``text``, ``raw``,
    ``raw_span``, ``sections``); ``rows`` the indicator rows (those of other reports are
    ignored). ``page=True`` gives a whole HTML page (``font_url``: the bundled font, relative
    to the page); otherwise a fragment for Jupyter. ``window`` limits the text to a normalised
    span (whole lines around it). Each highlight is ``<mark id="{id_prefix}r{index}"
    data-row="{index}">``, ``index`` being the row's label in ``rows``. Rows in ``dropped``
    (removed by ``corrections.csv``) are struck through, without a ``mark``. ``css_url``: a
    page links this style sheet (:data:`CSS_FILE`, shared by every page) instead of holding it.
    """
    rows = _doc_rows(doc, rows)
    dropped = _doc_rows(doc, dropped)
    n = len(doc.text)
    lo, hi = doc.raw_span(0, n)
    if window is not None:
        lo, hi = doc.raw_span(max(0, window[0]), min(n, window[1]))
        lo = doc.raw.rfind("\n", 0, lo) + 1
        nl = doc.raw.find("\n", hi)
        hi = len(doc.raw) if nl < 0 else nl
        rows = rows[(rows["end"] > window[0]) & (rows["start"] < window[1])]
    raw = doc.raw
    marks: list[_Span] = []
    unplaced: list[Any] = []
    placed: dict[Any, bool] = {}
    records = _records(rows)
    for idx, row in records:
        if not 0 <= int(row["start"]) <= int(row["end"]) <= n:
            unplaced.append(idx)
            continue
        s, e = doc.raw_span(int(row["start"]), int(row["end"]))
        if not lo <= s <= e <= hi:
            unplaced.append(idx)
            continue
        cat = category(row)
        cls = f"gr-m gr-{cat}" + (" gr-corr" if bool(_get(row, "corrected")) else "")
        title = html.escape(_tooltip(row), quote=True)
        marks.append(_Span(s, e, f'<mark id="{id_prefix}r{idx}" class="{cls}" data-row="{idx}" '
                                 f'data-kind="{cat}" title="{title}">', "</mark>"))
        placed[idx] = True
    for _, row in _records(dropped):
        s, e = doc.raw_span(int(row["start"]), int(row["end"]))
        if lo <= s <= e <= hi:
            title = html.escape(f"dropped by corrections.csv: {_get(row, 'note', '')}\n{_tooltip(row)}", quote=True)
            marks.append(_Span(s, e, f'<span class="gr-drop" title="{title}">', "</span>"))
    headings = _headings(doc, lo, hi)
    parts: list[str] = []
    ends = sorted(marks, key=lambda x: x.start)
    j = 0
    for a, b in _blocks(raw, lo, hi, marks + headings):
        block: list[_Span] = []
        while j < len(ends) and ends[j].start < b or (j < len(ends) and ends[j].start == b == ends[j].end):
            block.append(ends[j])
            j += 1
        hs = [h for h in headings if a <= h.start and h.end <= b]
        _assign_layers(block)
        base = [m for m in block if m.layer == 0]
        hs = [h for h in hs if not any(_crosses(h, m) for m in base)]
        cls = "gr-p gr-hp" if hs else "gr-p"
        layers = max((m.layer for m in block), default=0)
        inner = _render(raw, a, b, base + hs)
        if layers == 0:
            parts.append(f'<div class="{cls}">{inner}</div>')
            continue
        over = "".join(
            f'<div class="gr-ov" aria-hidden="true">'
            f'{_render(raw, a, b, [m for m in block if m.layer == k] + hs)}</div>'
            for k in range(1, layers + 1))
        parts.append(f'<div class="{cls} gr-stack">{inner}{over}</div>')
    side = _side_list(records, placed, unplaced, id_prefix, _records(dropped))
    head = _header(doc, rows, meta or getattr(doc, "meta", {}) or {}, index_url)
    body = (f'<div class="gr-ev{"" if page else " gr-embed"}">{head}<div class="gr-body">{side}'
            f'<article class="gr-text" lang="zh-CN">{"".join(parts)}</article></div></div>')
    if not page:
        return f"<style>{_css(font_url)}</style>{body}"
    title = html.escape(f"{(meta or doc.meta or {}).get('title') or doc.source} — evidence")
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title>{_style(font_url, css_url)}</head><body>{body}</body></html>\n")


def _crosses(a: _Span, b: _Span) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def _headings(doc: Any, lo: int, hi: int) -> list[_Span]:
    out = []
    for sec in getattr(doc, "sections", []) or []:
        if not sec.heading:
            continue
        i = doc.text.find(sec.heading, sec.start, sec.start + len(sec.heading) + 40)
        if i < 0:
            continue
        s, e = doc.raw_span(i, i + len(sec.heading))
        if lo <= s < e <= hi:
            out.append(_Span(s, e, f'<span class="gr-h" data-kind="{html.escape(sec.kind)}">', "</span>"))
    return out


def _records(df: pd.DataFrame) -> list[tuple[Any, dict]]:
    """(index label, row as a dict) pairs: much faster to read than ``iterrows``."""
    cols = [str(c) for c in df.columns]
    values = zip(*(df[c].tolist() for c in df.columns), strict=True) if len(cols) else iter(())
    return list(zip(df.index, (dict(zip(cols, v, strict=True)) for v in values), strict=False))


def _side_list(rows: list[tuple[Any, dict]], placed: dict, unplaced: list, prefix: str,
               dropped: list[tuple[Any, dict]]) -> str:
    items = []
    for idx, row in sorted(rows, key=lambda r: r[1]["start"]):
        cat = category(row)
        corr = " gr-corr" if bool(_get(row, "corrected")) else ""
        text = _esc(_label(row))
        if idx in placed:
            # the tooltip is on the highlight the link leads to: not repeated here
            items.append(f'<li class="gr-li gr-{cat}{corr}"><a href="#{prefix}r{idx}">'
                         f'<i></i>{text}</a></li>')
        else:
            tip = html.escape(_tooltip(row), quote=True)
            items.append(f'<li class="gr-li gr-unplaced" title="{tip}"><i></i>{text} '
                         f"(span not in the text)</li>")
    for _, row in dropped:
        note = _esc(str(_get(row, "note", "")))
        items.append(f'<li class="gr-li gr-dropped"><i></i><s>{_esc(_label(row))}</s> dropped: {note}</li>')
    legend = "".join(f'<span class="gr-{k}"><i></i>{LABELS[k]}</span>' for k in COLOURS)
    legend += '<span class="gr-corr"><i></i>corrected</span>'
    return (f'<nav class="gr-rows"><div class="gr-legend">{legend}</div>'
            f'<div class="gr-count">{len(rows)} indicator rows</div><ol>{"".join(items)}</ol></nav>')


def _header(doc: Any, rows: pd.DataFrame, meta: dict, index_url: str | None) -> str:
    title = meta.get("title") or doc.source
    bits = [meta.get(k) for k in ("region", "level", "year", "date", "speaker")]
    line = " · ".join(str(b) for b in bits if b not in (None, "") and not pd.isna(b))
    back = f'<a class="gr-back" href="{html.escape(index_url)}">← all reports</a> ' if index_url else ""
    return (f'<header class="gr-head">{back}<h1>{_esc(str(title))}</h1>'
            f'<div class="gr-meta">{_esc(line)} · <code>{_esc(doc.source)}</code> part {doc.part}</div></header>')


def _style(font_url: str | None, css_url: str | None) -> str:
    """A page's style: the whole sheet inline, or the font rule and a link to the shared sheet."""
    if css_url is None:
        return f"<style>{_css(font_url)}</style>"
    font = f"<style>{_font_face(font_url)}</style>" if font_url else ""
    return f'{font}<link rel="stylesheet" href="{html.escape(css_url)}">'


def _font_face(font_url: str | None) -> str:
    return (f'@font-face{{font-family:"{FONT_FAMILY}";src:url("{font_url}") format("opentype");'
            "font-display:block}") if font_url else ""


def _css(font_url: str | None) -> str:
    """The style sheet of the pages (with the bundled font's rule when ``font_url``)."""
    font = _font_face(font_url)
    cats = []
    for k, (bg, line) in COLOURS.items():
        r, g, b = (int(line[i : i + 2], 16) for i in (1, 3, 5))
        cats.append(
            f".gr-ev .gr-{k}{{background:{bg};text-decoration:underline {LINE_STYLE[k]} {line} 2px}}"
            f".gr-ev .gr-ov .gr-{k}{{background:rgba({r},{g},{b},.28)}}"
            f".gr-ev .gr-li.gr-{k},.gr-ev .gr-legend .gr-{k}{{background:none;text-decoration:none}}"
            f".gr-ev .gr-{k} i{{background:{bg};border-bottom:3px {LINE_STYLE[k]} {line}}}")
    return font + (
        f'.gr-ev{{font-family:"{FONT_FAMILY}","Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC",'
        '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d2730;'
        "line-height:1.9;font-size:16px}"
        f'.gr-ev code{{font-family:ui-monospace,"DejaVu Sans Mono",monospace,"{FONT_FAMILY}"}}'
        ".gr-ev h1{font-size:1.4em;margin:.2em 0}.gr-ev .gr-meta{color:#5c6670;font-size:.9em}"
        ".gr-ev .gr-body{display:flex;gap:1.2em;align-items:flex-start;margin-top:.6em}"
        ".gr-ev .gr-rows{flex:0 0 16em;position:sticky;top:0;max-height:96vh;overflow:auto;"
        "font-size:.85em;line-height:1.5;border-right:1px solid #e3e6ea;padding-right:.6em}"
        ".gr-ev .gr-rows ol{padding-left:1.6em;margin:.4em 0}.gr-ev .gr-rows a{color:inherit;text-decoration:none}"
        ".gr-ev .gr-rows a:hover{text-decoration:underline}"
        ".gr-ev i{display:inline-block;width:.9em;height:.7em;margin-right:.3em;vertical-align:baseline}"
        ".gr-ev .gr-legend span{display:inline-block;margin-right:.8em;white-space:nowrap}"
        f".gr-ev .gr-legend .gr-corr i{{outline:2px dashed {CORRECTED}}}"
        f".gr-ev li.gr-corr{{outline:none}}.gr-ev li.gr-corr a::after{{content:' ✎';color:{CORRECTED}}}"
        ".gr-ev .gr-unplaced{color:#b00020}"
        ".gr-ev .gr-drop{text-decoration:line-through 2px #6b7780;color:#6b7780}.gr-ev .gr-dropped{color:#6b7780}"
        ".gr-ev .gr-text{flex:1;min-width:0}"
        ".gr-ev .gr-p{white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.9em}"
        ".gr-ev .gr-p:empty{min-height:.5em}"
        ".gr-ev .gr-h{font-weight:bold;color:#0b3a5b}"
        ".gr-ev mark{color:inherit;padding:0;border-radius:2px;text-underline-offset:4px;"
        "-webkit-box-decoration-break:clone;box-decoration-break:clone}"
        ".gr-ev mark mark{text-underline-offset:8px}"
        f".gr-ev mark.gr-corr{{outline:2px dashed {CORRECTED};outline-offset:1px}}"
        ".gr-ev mark:target{outline:3px solid #1d2730;outline-offset:2px}"
        ".gr-ev .gr-stack{position:relative}"
        ".gr-ev .gr-ov{position:absolute;inset:0;color:transparent;pointer-events:none}"
        ".gr-ev .gr-ov .gr-h{color:transparent}"
        ".gr-ev .gr-ov mark{pointer-events:auto;text-underline-offset:10px}"
        ".gr-ev.gr-embed .gr-text,.gr-ev.gr-embed .gr-rows{max-height:36em;overflow:auto}"
        ".gr-ev table{border-collapse:collapse;font-size:.85em;line-height:1.4}"
        ".gr-ev th,.gr-ev td{border-bottom:1px solid #e3e6ea;padding:.25em .5em;text-align:left;vertical-align:top}"
        ".gr-ev td.n{text-align:right}.gr-ev td a{color:#0b5cad}"
        + "".join(cats)
    )


# --------------------------------------------------------------------------- Jupyter


class HTML:
    """HTML that Jupyter displays (``_repr_html_``) and ``str()`` returns."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<govreport evidence: {len(self.html):,} characters of HTML>"


_counter = itertools.count()


def document_html(doc: Any, rows: pd.DataFrame | None = None, window: tuple[int, int] | None = None,
                  dropped: pd.DataFrame | None = None) -> str:
    """Jupyter HTML of one report (ids unique within the notebook)."""
    if dropped is None and getattr(doc, "_corpus", None) is not None:
        dropped = getattr(doc._corpus, "dropped", None)
    return render(doc, rows, id_prefix=f"gr{next(_counter)}-", window=window, dropped=dropped)


def show(rows: pd.DataFrame | pd.Series, corpus: Any, *, context: int | None = None) -> HTML:
    """Each row in its report, highlighted (for Jupyter).

    ``rows``: indicator rows (a frame, or one row as a Series); ``corpus`` the corpus they
    came from. A single row is shown with ``context`` characters around it (default 300);
    a frame shows the whole text of each report it touches (``context`` to cut).
    """
    if isinstance(rows, pd.Series):
        rows = rows.to_frame().T
        context = 300 if context is None else context
    missing = {"source", "part", "start", "end"} - set(rows.columns)
    if missing:
        raise ValueError(f"show: rows need the columns {sorted(missing)} (use rows of corpus.indicators)")
    out = []
    for (source, part), g in rows.groupby(["source", "part"], sort=False):
        doc = corpus.document(source, int(part))
        window = None if context is None else (int(g["start"].min()) - context, int(g["end"].max()) + context)
        out.append(document_html(doc, g, window))
    return HTML("".join(out))


# --------------------------------------------------------------------------- static pages


def page_name(source: str, part: int) -> str:
    """File name of a report's evidence page (safe on every file system; distinct names stay distinct).

    >>> page_name("2026年广东省政府工作报告.csv", 0)
    '2026年广东省政府工作报告.csv__0.html'
    >>> page_name("a b?.txt", 1) != page_name("a_b_.txt", 1)
    True
    """
    safe = re.sub(r"[^\w.\-]", "_", source)[:120]
    if safe != source:
        import hashlib

        safe += "_" + hashlib.sha1(source.encode()).hexdigest()[:8]
    return f"{safe}__{part}.html"


def bundled_font() -> Path | None:
    """The Chinese font shipped with the ``pylopdf-fonts-zh-cn`` dependency (Noto Sans SC, OFL)."""
    try:
        from pylopdf_fonts_zh_cn import sans_path

        p = Path(sans_path())
        return p if p.is_file() else None
    except Exception:  # noqa: BLE001 - no bundled font: pages fall back to system fonts
        return None


def _install_font(out: Path) -> str | None:
    """Put the bundled font beside the pages (a hard link when possible); its relative URL."""
    src = bundled_font()
    if src is None:
        return None
    dst = out / "fonts" / FONT_FILE
    if not (dst.is_file() and dst.stat().st_size == src.stat().st_size):
        dst.parent.mkdir(parents=True, exist_ok=True)

        def put(tmp: str) -> None:
            os.unlink(tmp)
            try:
                os.link(src, tmp)
            except OSError:
                shutil.copyfile(src, tmp)

        atomic_write(dst, put)
    return f"fonts/{FONT_FILE}"


def write_pages(
    corpus: Any,
    out: str | os.PathLike[str],
    *,
    indicators: pd.DataFrame | None = None,
    panel: pd.DataFrame | None = None,
    log: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write ``out/<report>.html`` for every report of ``corpus`` and ``out/index.html``.

    ``corpus``: a :class:`~govreport.Corpus` (or a built corpus from :func:`govreport.open`).
    Returns the paths written; a report that fails to render is an ``evidence`` row of the
    corpus's errors (see :func:`write_evidence`).
    """
    rows = corpus.indicators if indicators is None else indicators
    docs = {(d.source, d.part): d for d in corpus.documents}
    paths, errors = write_evidence(out, corpus.reports, rows, lambda s, p: docs[(s, p)], panel=panel,
                                   dropped=getattr(corpus, "dropped", None), log=log)
    if isinstance(getattr(corpus, "_errors", None), list):
        corpus._errors.extend(errors)
    return paths


def _missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # a list or array is a value
        return False


def documents_from_files(reports: pd.DataFrame) -> Callable[[str, int], Any]:
    """``document(source, part)`` that reads each report's file again (once per file)."""
    from .pipeline import read_documents

    paths = {(s, int(p)): path for s, p, path in zip(reports["source"], reports["part"], reports["path"], strict=True)}
    # the build's metadata of each part (so it is not extracted again; sections need plan_year)
    known: dict[str, dict[int, dict]] = {}
    for row in reports.to_dict("records"):
        meta = {k: (None if _missing(v) else v) for k, v in row.items()}
        known.setdefault(row["path"], {})[int(row["part"])] = meta
    cache: dict[str, dict[tuple[str, int], Any]] = {}

    def document(source: str, part: int) -> Any:
        path = paths[(source, part)]
        if path not in cache:
            cache.clear()  # one file at a time: memory stays bounded
            docs, errs = read_documents(path, known=known.get(path, {}))
            cache[path] = {(d.source, d.part): d for d in docs}
            if not docs:
                raise ValueError(f"{path}: could not be read again: {errs[:1]}")
        return cache[path][(source, part)]

    return document


def write_evidence(
    out: str | os.PathLike[str],
    reports: pd.DataFrame,
    indicators: pd.DataFrame,
    document: Callable[[str, int], Any] | None = None,
    *,
    panel: pd.DataFrame | None = None,
    dropped: pd.DataFrame | None = None,
    log: Callable[[str], None] | None = None,
    jobs: int = 1,
    listed: pd.DataFrame | None = None,
) -> tuple[list[Path], list[dict]]:
    """Write a page per row of ``reports`` and ``index.html`` into ``out``; (paths, error rows).

    ``document(source, part)`` gives each report's text; without it each file is read again
    (``reports.path``), in ``jobs`` processes file by file. Pages are self-contained but for
    the font, which sits in ``out/fonts/`` (taken from the package), and the style sheet
    ``out/evidence.css`` (:data:`CSS_FILE`, one for all pages), so the folder works from a
    file:// URL with no network. A report that fails to render is an error row naming it;
    the others are written. Pages of reports no longer in ``reports`` are removed.

    ``listed``: all the build's reports when ``reports`` is a few of them (pages on demand,
    :func:`write_built`): the index lists them all, linking every page already written, and
    their pages are kept.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    font_url = _install_font(out)
    css = _css(None)
    if not ((out / CSS_FILE).is_file() and (out / CSS_FILE).read_text(encoding="utf-8") == css):
        atomic_write(out / CSS_FILE, lambda tmp: Path(tmp).write_text(css, encoding="utf-8"))
    rows = indicators if indicators is not None else pd.DataFrame(columns=["source", "part", "start", "end"])
    gone = dropped if dropped is not None and len(dropped) else None
    if document is not None or jobs <= 1 or reports["path"].nunique() < 2:
        by_doc = dict(iter(rows.groupby(["source", "part"], sort=False))) if len(rows) else {}
        written, errors, names = _report_pages(out, reports, by_doc, document or documents_from_files(reports),
                                               font_url, gone)
    else:
        written, errors, names = _pages_in_pool(out, reports, rows, gone, font_url, jobs)
    if log:
        for e in errors:
            log(f"evidence page failed: {e['source']} part {e['part']}: {e['message']}")
    if listed is not None:
        for source, part in zip(listed["source"], listed["part"], strict=True):
            name = page_name(source, int(part))
            if (source, int(part)) not in names and (out / name).is_file():
                names[(source, int(part))] = name
    else:
        listed = reports
    index = _index(listed, rows, panel, names, font_url)
    written.append(atomic_write(out / "index.html", lambda tmp: Path(tmp).write_text(index, encoding="utf-8")))
    keep = {p.name for p in written} | set(names.values())
    for old in out.glob("*.html"):  # pages of reports no longer in the corpus
        if old.name not in keep:
            old.unlink()
    return written, errors


def write_built(out: str | os.PathLike[str], sources: Iterable[str] = (), *, jobs: int = 1,
                log: Callable[[str], None] | None = None) -> tuple[list[Path], list[dict]]:
    """Evidence pages of a finished build (``OUT/evidence``), on demand; (paths, error rows).

    ``sources``: the reports' ``source`` names to write (all when empty); the index lists
    every report of the build. Each report is read again from its file. Used by
    ``govreport evidence OUT [SOURCE ...]``, e.g. after a build too large for pages by default
    (:data:`AUTO_MAX_REPORTS`).
    """
    from .store import Built

    built = Built(out)
    reports = built.table("reports")
    wanted = list(dict.fromkeys(sources))
    chosen = reports
    if wanted:
        unknown = sorted(set(wanted) - set(reports["source"]))
        if unknown:
            raise KeyError(f"{out} has no report from {', '.join(unknown[:5])}"
                           + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""))
        chosen = reports[reports["source"].isin(wanted)]
    panel = built.table("panel") if "panel" in built.names() else None
    return write_evidence(Path(built.out) / "evidence", chosen, built.table("indicators"), panel=panel,
                          log=log, jobs=jobs, listed=reports)


def _report_pages(out: Path, reports: pd.DataFrame, by_doc: dict, document: Callable[[str, int], Any],
                  font_url: str | None, gone: pd.DataFrame | None) -> tuple[list[Path], list[dict], dict]:
    """The pages of ``reports``: (paths, error rows, page name by (source, part))."""
    written: list[Path] = []
    errors: list[dict] = []
    names: dict[tuple[str, int], str] = {}
    for rep in reports.itertuples(index=False):
        key = (rep.source, int(rep.part))
        try:
            doc = document(*key)
            name = page_name(*key)
            text = render(doc, by_doc.get(key), page=True, font_url=font_url, index_url="index.html",
                          meta=rep._asdict(), dropped=gone, css_url=CSS_FILE)
            written.append(atomic_write(out / name, lambda tmp, t=text: Path(tmp).write_text(t, encoding="utf-8")))
            names[key] = name
        except Exception as err:  # noqa: BLE001 - one report never stops the others
            errors.append({"source": rep.source, "part": rep.part, "stage": "evidence",
                           "message": f"{type(err).__name__}: {err}"})
    return written, errors, names


def _file_pages(out: str, reports: pd.DataFrame, rows: pd.DataFrame, gone: pd.DataFrame | None,
                font_url: str | None) -> tuple[list[Path], list[dict], dict]:
    """The pages of one file's reports, its text read again (run in a worker process)."""
    by_doc = dict(iter(rows.groupby(["source", "part"], sort=False))) if len(rows) else {}
    return _report_pages(Path(out), reports, by_doc, documents_from_files(reports), font_url, gone)


def _pages_in_pool(out: Path, reports: pd.DataFrame, rows: pd.DataFrame, gone: pd.DataFrame | None,
                   font_url: str | None, jobs: int) -> tuple[list[Path], list[dict], dict]:
    """:func:`_file_pages` for every file in ``jobs`` processes (each gets only its own rows)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    by_source = dict(iter(rows.groupby("source", sort=False))) if len(rows) else {}
    gone_by_source = dict(iter(gone.groupby("source", sort=False))) if gone is not None else {}
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    written: list[Path] = []
    errors: list[dict] = []
    names: dict[tuple[str, int], str] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = []
        for _, reps in reports.groupby("path", sort=False):
            sources = list(dict.fromkeys(reps["source"]))  # a file's rows only: small tasks
            mine = pd.concat([by_source[x] for x in sources if x in by_source] or [rows.iloc[:0]])
            here = [gone_by_source[x] for x in sources if x in gone_by_source]
            gone_here = pd.concat(here) if here else None
            futures.append((reps, pool.submit(_file_pages, str(out), reps, mine, gone_here, font_url)))
        for reps, fut in futures:
            try:
                w, e, n = fut.result()
            except Exception as err:  # noqa: BLE001 - e.g. a worker that died
                e, w, n = [{"source": r.source, "part": r.part, "stage": "evidence",
                            "message": f"{type(err).__name__}: {err}"} for r in reps.itertuples()], [], {}
            written += w
            errors += e
            names.update(n)
    return written, errors, names


def _index(reports: pd.DataFrame, rows: pd.DataFrame, panel: pd.DataFrame | None,
           names: dict[tuple[str, int], str], font_url: str | None) -> str:
    cols = ["region", "level", "year", "title", "speaker", "date"]
    counts = {}
    if len(rows):
        g = rows.assign(_t=rows["kind"] == "target", _o=rows["kind"] == "outcome",
                        _c=rows["corrected"] if "corrected" in rows else False)
        counts = g.groupby(["source", "part"])[["_t", "_o", "_c"]].sum().astype(int).to_dict("index")
    trs = []
    for rep in reports.itertuples(index=False):
        key = (rep.source, int(rep.part))
        c = counts.get(key, {"_t": 0, "_o": 0, "_c": 0})
        link = (f'<a href="{html.escape(names[key])}">{_esc(rep.source)}</a>' if key in names
                else _esc(rep.source))
        vals = "".join(f"<td>{_esc(_fmt(getattr(rep, k, '')))}</td>" for k in cols)
        trs.append(f'<tr><td>{link} #{rep.part}</td>{vals}<td class="n">{c["_t"]}</td>'
                   f'<td class="n">{c["_o"]}</td><td class="n">{c["_c"]}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ["report", *cols, "targets", "outcomes", "corrected"])
    body = (f"<h1>Evidence: {len(reports)} reports, {len(rows)} indicator rows</h1>"
            f"<h2>Reports</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table>")
    if panel is not None and len(panel):
        body += _panel_table(panel, rows, names)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>govreport evidence</title>'
            f'{_style(font_url, CSS_FILE)}</head><body><div class="gr-ev">{body}</div></body></html>\n')


def _fmt(v: Any) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def panel_links(panel: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """For each panel row, the index labels in ``rows`` of its target and outcome rows (or NA).

    A panel side is found by its ``source#part``, the key columns and its clause.
    """
    keys = [k for k in ("indicator", "metric", "period", "horizon") if k in panel.columns]
    found = {}
    if len(rows):
        for idx, r in zip(rows.index, rows[["source", "part", "kind", *keys, "text"]].itertuples(index=False), strict=True):
            found.setdefault((f"{r[0]}#{r[1]}", *r[2:]), idx)
    out = pd.DataFrame(index=panel.index)
    for side, kind in (("target", "target"), ("outcome", "outcome")):
        out[side] = pd.Series([
            found.get((src, kind, *k, txt)) if isinstance(src, str) and src else None
            for src, k, txt in zip(panel[f"{side}_source"], panel[keys].itertuples(index=False),
                                   panel[f"{side}_text"], strict=True)
        ], index=panel.index, dtype=object)
    return out


def _panel_table(panel: pd.DataFrame, rows: pd.DataFrame, names: dict[tuple[str, int], str]) -> str:
    links = panel_links(panel, rows)
    where = {idx: (s, int(p)) for idx, s, p in zip(rows.index, rows["source"], rows["part"], strict=True)}

    def cell(idx: Any, value: Any, qual: Any = "") -> str:
        text = _esc(f"{_fmt(value)} {_fmt(qual)}".strip()) or "—"
        if idx is None or where.get(idx) not in names:
            return f"<td>{text}</td>"
        return f'<td><a href="{html.escape(names[where[idx]])}#r{idx}">{text}</a></td>'

    t_link, o_link = links["target"].to_dict(), links["outcome"].to_dict()
    trs = []
    for i, p in _records(panel):
        trs.append(
            f"<tr><td>{_esc(_fmt(p.get('region')))}</td><td>{_esc(_fmt(p.get('indicator')))}</td>"
            f"<td>{_esc(_fmt(p.get('metric')))}</td><td>{_esc(_fmt(p.get('period')))}</td>"
            f"{cell(t_link[i], p.get('target'), p.get('target_qualifier'))}"
            f"{cell(o_link[i], p.get('outcome'))}<td>{_esc(_fmt(p.get('met')))}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ["region", "indicator", "metric", "period", "target", "outcome", "met"])
    return (f"<h2>Panel: targets and outcomes ({len(panel)} rows; each links to its highlighted clause)</h2>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table>")


def highlights(page: str) -> dict[str, list[str]]:
    """The text of every highlight of a rendered page, by ``data-row`` (for checks and tests)."""
    from html.parser import HTMLParser

    found: dict[str, list[str]] = {}

    class P(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[tuple[str, list[str]] | None] = []

        def handle_starttag(self, tag: str, attrs: Iterable) -> None:
            if tag == "mark":
                row = dict(attrs).get("data-row")
                self.open.append((row, []) if row is not None else None)

        def handle_endtag(self, tag: str) -> None:
            if tag == "mark" and self.open:
                top = self.open.pop()
                if top is not None:
                    found.setdefault(top[0], []).append("".join(top[1]))

        def handle_data(self, data: str) -> None:
            for o in self.open:
                if o is not None:
                    o[1].append(data)

    P().feed(page)
    return found
