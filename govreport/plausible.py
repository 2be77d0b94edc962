"""Plausibility flags: values and years no report can mean are marked, never dropped.

``indicators.flags`` and ``reports.flags`` hold short codes joined by ``;`` (empty when all is
plausible):

- ``value_out_of_range``: the value (or upper bound) lies outside the range for its indicator,
  metric and unit in ``govreport/data/plausible.csv`` (增长99999999%, a negative output);
- ``double_negative``: a fall written with a minus sign as well (下降-2.5%): read as a fall;
- ``year_out_of_range``: a year before 1949 or after next year (targets may run 15 years
  further: 2035 goals); for reports, any of year, review_year, plan_year;
- ``short_text``: a report with (almost) no text besides its title (a title-only file, a teaser).
"""

from __future__ import annotations

import datetime
import re
from collections import namedtuple
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

#: Years before this are flagged (the People's Republic's first government).
FIRST_YEAR = 1949
#: How far past next year a target's period may run (远景目标 2035 were set in 2021).
TARGET_HORIZON = 15
#: A report with fewer characters than this besides its title is flagged ``short_text``.
MIN_BODY_CHARS = 100

_NEG_SIGN = re.compile(r"(?:下降|回落|减少|降低|降幅|减幅|下滑|微降|下跌)[了为到至]?[-−－﹣负]\d")


def next_year() -> int:
    return datetime.date.today().year + 1


@lru_cache(maxsize=1)
def ranges() -> pd.DataFrame:
    """The plausible ranges (``govreport/data/plausible.csv``)."""
    with resources.files("govreport.data").joinpath("plausible.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", dtype={"key": str, "metric": str, "horizon": str, "unit_std": str})
    df["min"] = df["min"].astype(float).fillna(-np.inf)
    df["max"] = df["max"].astype(float).fillna(np.inf)
    return df


@lru_cache(maxsize=1)
def _range_rows() -> tuple[tuple[str, str, str, str, float, float], ...]:
    return tuple(ranges()[["key", "metric", "horizon", "unit_std", "min", "max"]].itertuples(index=False, name=None))


@lru_cache(maxsize=4096)
def _range_for(key: str, metric: str, horizon: str, unit_std: str) -> tuple[float, float] | None:
    for r_key, r_metric, r_horizon, r_unit, lo, hi in _range_rows():
        if r_key in (key, "*") and r_metric == metric and r_horizon in (horizon, "*") and r_unit in (unit_std, "*"):
            return lo, hi
    return None


def rows_of(df: pd.DataFrame, columns: list[str] | None = None) -> Iterator[tuple]:
    """``df.itertuples(index=False)`` (of ``columns``, default all) from each column's ``tolist()``:
    the same values, without boxing every cell of a pyarrow-backed column one by one."""
    names = list(df.columns) if columns is None else columns
    row = namedtuple("Pandas", names, rename=True)  # type: ignore[misc]  # as itertuples names it
    if not names:
        return (row._make(()) for _ in range(len(df)))
    return map(row._make, zip(*(df[c].tolist() for c in names), strict=True))


def _join(flags: list[list[str]]) -> list[str]:
    return [";".join(dict.fromkeys(f)) for f in flags]


def indicator_flags(df: pd.DataFrame, texts: dict[tuple[str, int], str] | None = None) -> pd.Series:
    """The ``flags`` of indicator rows; ``texts`` maps (source, part) to the normalised text.

    One pass over the columns' values (``tolist``), no row objects."""
    from .indicators import _STD  # the unit table of indicators.standardize_units

    if df.empty:
        return pd.Series([], index=df.index, dtype=object)
    ny = next_year()
    texts = texts or {}
    n = len(df)

    def column(name: str) -> list:
        return df[name].tolist() if name in df.columns else [None] * n

    values, highs = column("value"), column("value_high")
    # value_std and unit_std as standardize_units computes them, without copying the frame
    units = [_STD.get(u, (np.nan, "")) for u in df["unit"].tolist()]
    value_std = (df["value"].to_numpy(dtype=float) * np.array([f for f, _ in units], dtype=float)).tolist()
    unit_std = [u for _, u in units]
    keys = zip(column("indicator"), column("metric"), column("horizon"), unit_std, strict=True)
    periods = zip(column("period_start"), column("period_end"), column("period"), strict=True)
    places = zip(column("source"), column("part"), column("start"), column("end"), column("kind"), strict=True)
    out: list[list[str]] = []
    for value, high, std_value, (key, metric, horizon, unit), period, (source, part, start, end, kind) in zip(
            values, highs, value_std, keys, periods, places, strict=True):
        f: list[str] = []
        factor = std_value / value if value else 1.0
        bounds = _range_for(str(key), str(metric), str(horizon), unit or "")
        if bounds:
            for v in (value, high):
                if not _isna(v):
                    x = v * factor if np.isfinite(factor) else v
                    if not bounds[0] <= x <= bounds[1]:
                        f.append("value_out_of_range")
        first, last = _years_of(*period)
        limit = ny + (TARGET_HORIZON if kind == "target" else 0)
        if (first is not None and first < FIRST_YEAR) or (last is not None and not FIRST_YEAR <= last <= limit):
            f.append("year_out_of_range")
        text = texts.get((source, part))
        if text is not None and not _isna(value) and value < 0:
            if _NEG_SIGN.search(text, max(int(start), 0), int(end)):
                f.append("double_negative")
        out.append(f)
    return pd.Series(_join(out), index=df.index, dtype=object)


def _isna(v: object) -> bool:
    """``v is None or pd.isna(v)`` for one value, quick for the floats of a value column."""
    if type(v) is float:
        return v != v
    return v is None or bool(pd.isna(v))


def _years_of(start, end, period) -> tuple[int | None, int | None]:
    """First and last year of an indicator row: its period bounds, else the years its period names."""
    if start is None or _isna(start):
        years = [int(y) for y in re.findall(r"(?<!\d)-?\d{1,4}", str(period or ""))]
        if not years:
            return None, None
        start, end = years[0], years[-1]
    return int(start), int(end if end is not None and not _isna(end) else start)


def report_flags(reports: pd.DataFrame, bodies: list[int] | None = None) -> pd.Series:
    """The ``flags`` of report rows; ``bodies``: characters besides the title line, per row."""
    years = [reports[c].tolist() for c in ("year", "review_year", "plan_year") if c in reports]
    return pd.Series(year_flags(years, bodies, len(reports)), index=reports.index, dtype=object)


def year_flags(years: list[list], bodies: list[int] | None = None, n: int | None = None) -> list[str]:
    """Report flags from the year columns' values (one list per column) and ``bodies``."""
    ny = next_year()
    n = len(bodies if bodies is not None else years[0]) if n is None else n
    out: list[list[str]] = []
    for i in range(n):
        f: list[str] = []
        for col in years:
            y = col[i]
            if y is not None and not pd.isna(y) and not FIRST_YEAR <= int(y) <= ny:
                f.append("year_out_of_range")
        if bodies is not None and bodies[i] < MIN_BODY_CHARS:
            f.append("short_text")
        out.append(f)
    return _join(out)


def body_chars(text: str, title: str = "") -> int:
    """Characters of a report's text besides its title (and blank space).

    >>> body_chars("2099年政府工作报告\\n", "2099年政府工作报告")
    0
    """
    rest = text.replace(title, "", 1) if title else text.split("\n", 1)[-1]
    return sum(map(len, rest.split()))  # str.split() and \s know the same whitespace
