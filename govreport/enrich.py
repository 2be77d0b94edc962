"""Columns an analysis needs on every indicator row, added where the corpus assembles its tables.

:func:`add_report_columns` puts the report's ``region``, ``level``, ``parent``, ``province``,
``adcode`` and ``year`` on each indicator row (a look-up per report, no merge), splits
``period`` into typed ``period_start`` / ``period_end`` (Int64) and records the statistic's
``definition`` where one lexicon key covers several (城镇登记 vs 城镇调查失业率; 全体 / 城镇 / 农村 居民收入), from the
packaged table ``govreport/data/definitions.csv`` (sources in its header).

>>> import pandas as pd
>>> ind = pd.DataFrame({"source": ["a.txt", "a.txt"], "part": [0, 0], "kind": "target",
...     "period": ["2026", "2026-2030"], "indicator": "unemployment_rate",
...     "indicator_text": ["城镇调查失业率", "城镇登记失业率"]})
>>> rep = pd.DataFrame({"source": ["a.txt"], "part": [0], "region": ["平阴县"], "level": ["county"],
...     "parent": ["济南市"], "province": ["山东省"], "adcode": ["370124"], "year": [2026]})
>>> out = add_report_columns(ind, rep)
>>> out[["region", "year", "period_start", "period_end", "definition"]]
   region  year  period_start  period_end  definition
0    平阴县  2026          2026        2026    surveyed
1    平阴县  2026          2026        2030  registered
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["add_report_columns", "definitions", "definition_of", "period_bounds", "REPORT_KEYS"]

#: Report columns copied onto every indicator row.
REPORT_KEYS = ["region", "level", "parent", "province", "adcode", "year"]


@lru_cache(maxsize=1)
def definitions() -> pd.DataFrame:
    """The packaged definition rules: ``indicator``, ``pattern``, ``definition``, ``meaning``."""
    text = resources.files("govreport").joinpath("data/definitions.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)


@lru_cache(maxsize=4096)
def definition_of(indicator: str, indicator_text: str) -> str:
    """Which statistic an indicator's name states; ``""`` when the key has only one.

    >>> definition_of("unemployment_rate", "城镇登记失业率"), definition_of("gdp", "地区生产总值")
    ('registered', '')
    >>> definition_of("disposable_income_rural", "农民人均纯收入")
    'rural_net'
    """
    for pattern, definition in _rules().get(indicator, ()):
        if pattern is None or pattern.search(indicator_text or ""):
            return definition
    return ""


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[tuple[re.Pattern[str] | None, str]]]:
    """The definition rules by indicator, in file order, patterns compiled (None: any name)."""
    rules: dict[str, list[tuple[re.Pattern[str] | None, str]]] = {}
    for key, pattern, definition in definitions()[["indicator", "pattern", "definition"]].itertuples(index=False):
        rules.setdefault(key, []).append((re.compile(pattern) if pattern else None, definition))
    return rules


def period_bounds(period: Any) -> tuple[int | None, int | None]:
    """``(start, end)`` years of a period written ``2026``, ``"2026"`` or ``"2026-2030"``.

    >>> period_bounds("2026-2030"), period_bounds(2026), period_bounds("")
    ((2026, 2030), (2026, 2026), (None, None))
    """
    return _bounds("" if period is None or period is pd.NA else str(period))


@lru_cache(maxsize=4096)
def _bounds(period: str) -> tuple[int | None, int | None]:
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", period)]
    if not years:
        return None, None
    return years[0], years[-1]


def _report_rows(indicators: pd.DataFrame, reports: pd.DataFrame) -> np.ndarray:
    """For each indicator row, the first ``reports`` row of its (source, part); -1 when none.
    Parts compare as numbers (an int and a str part agree), a missing part with a missing one."""
    def keys(df: pd.DataFrame) -> list[tuple]:
        part = df["part"]
        if part.dtype.kind in "iu":
            parts = part.tolist()
        else:
            parts = pd.to_numeric(part, errors="coerce").astype("Int64").tolist()
        return list(zip(df["source"].tolist(), parts, strict=True))

    first: dict[tuple, int] = {}
    for i, key in enumerate(keys(reports)):
        first.setdefault(key, i)
    return np.array([first.get(key, -1) for key in keys(indicators)], dtype=np.intp)


def _report_column(values: pd.Series, rows: np.ndarray, name: str) -> Any:
    """``values[rows]`` (missing where a row is -1), typed as the indicators table has it:
    ``year`` Int64, the names and ``adcode`` text with ``""`` for missing (object Series,
    so that building the frame does not infer ``str``)."""
    text = name in ("adcode", "region", "level", "parent", "province")
    if text:
        items = values.tolist()
        if all(isinstance(v, str) for v in items):  # the usual case, without three conversions
            items.append("")
            return pd.Series([items[i] for i in rows.tolist()], dtype=object)
    value = pd.Series(values.array.take(rows, allow_fill=True))
    if name == "year":
        if isinstance(value.dtype, pd.Int64Dtype):
            return value.array
        return pd.to_numeric(value, errors="coerce").astype("Int64").array
    if text:
        return value.astype("string").fillna("").astype(object)
    return value.array


def _definition_column(keys: list, texts: list) -> Any:
    """``definition`` per row, typed as setting a list of text types it (``str``; float when empty)."""
    pairs = dict.fromkeys(zip(keys, texts, strict=True))
    for k, t in pairs:
        pairs[k, t] = definition_of(str(k), str(t))
    values = [pairs[p] for p in zip(keys, texts, strict=True)]
    return pd.array(values, dtype="str") if values else np.array([], dtype=float)


def add_report_columns(indicators: pd.DataFrame, reports: pd.DataFrame | None) -> pd.DataFrame:
    """``indicators`` with report columns, typed period bounds and ``definition``.

    Columns already present are replaced by the report's (the report is the authority).
    The new columns follow ``part`` (report columns), ``period`` (bounds) and
    ``indicator_text`` (definition). The frame is built once from its columns.
    """
    cols = list(indicators.columns)
    columns: dict[str, Any] = {c: indicators[c].array for c in cols}
    index = indicators.index
    if reports is not None and len(reports.columns) and {"source", "part"} <= set(cols):
        keep = [c for c in REPORT_KEYS if c in reports]
        rows = _report_rows(indicators, reports)
        for c in keep:  # the report's value (missing when the report is not there)
            columns[c] = _report_column(reports[c], rows, c)
        cols = _after(cols, "part", [c for c in keep if c not in cols])
        index = pd.RangeIndex(len(indicators))
    if "period" in columns:
        bounds = [_bounds_of(p) for p in columns["period"].tolist()]
        columns["period_start"] = pd.array([b[0] for b in bounds], dtype="Int64")
        columns["period_end"] = pd.array([b[1] for b in bounds], dtype="Int64")
        cols = _after(cols, "period", [c for c in ("period_start", "period_end") if c not in cols])
    if "indicator" in columns:
        keys = columns["indicator"].tolist()
        texts = columns["indicator_text"].tolist() if "indicator_text" in columns else [""] * len(keys)
        columns["definition"] = _definition_column(keys, texts)
        cols = _after(cols, "indicator_text" if "indicator_text" in cols else "indicator",
                      [] if "definition" in cols else ["definition"])
    return pd.DataFrame({c: columns[c] for c in cols}, index=index, copy=True)


def _bounds_of(period: Any) -> tuple[int | None, int | None]:
    return _bounds(period) if type(period) is str else period_bounds(period)


def _after(cols: list[str], anchor: str, new: list[str]) -> list[str]:
    if anchor not in cols:
        return cols + new
    i = cols.index(anchor) + 1
    return cols[:i] + new + cols[i:]
