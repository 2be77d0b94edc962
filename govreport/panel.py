"""Targets against outcomes: one row per region, indicator and period.

``panel(corpus)`` joins what a government promised (``kind == "target"`` rows of the
indicators table, set in the report whose ``plan_year`` is the period, or whose
five-year plan covers it) with what it later reported (``kind == "outcome"`` rows,
normally from the next year's report), adds whether the target was met, the gap, and
the parent region's target for the same indicator (层层加码).

>>> import pandas as pd
>>> reports = pd.DataFrame({
...     "source": ["a.txt", "b.txt"], "part": [0, 0], "region": ["平阴县", "平阴县"],
...     "level": "county", "parent": "济南市", "province": "山东省", "adcode": "370124",
...     "year": [2025, 2026], "review_year": [2024, 2025], "plan_year": [2025, 2026]})
>>> indicators = pd.DataFrame({
...     "source": ["a.txt", "b.txt"], "part": [0, 0], "kind": ["target", "outcome"],
...     "horizon": "annual", "period": "2025", "indicator": "gdp", "metric": "growth",
...     "value": [6.0, 5.8], "unit": "%", "qualifier": ["about", "exact"],
...     "estimate": [False, True], "text": ["地区生产总值增长6%左右", "预计地区生产总值增长5.8%"]})
>>> p = panel((reports, indicators))
>>> p[["region", "period", "target", "target_qualifier", "outcome", "gap", "met"]]
   region period  target target_qualifier  outcome  gap   met
0    平阴县   2025     6.0            about      5.8 -0.2  True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .enrich import definition_of, period_bounds

__all__ = ["panel", "compare", "region_history", "PANEL_COLUMNS", "LOWER_IS_BETTER"]

REGION_COLUMNS = ["region", "adcode", "level", "parent", "province"]
KEY_COLUMNS = ["indicator", "definition", "metric", "period", "horizon"]

PANEL_COLUMNS = [
    *REGION_COLUMNS, *KEY_COLUMNS, "period_start", "period_end", "basis", "unit", "indicator_text",
    "target", "target_high", "target_qualifier", "target_source", "target_text",
    "outcome", "outcome_estimate", "outcome_source", "outcome_text",
    "outcome_preliminary", "outcome_preliminary_source",
    "gap", "met", "met_strict", "parent_target", "parent_qualifier", "parent_source", "parent_text",
    "amplification", "amplification_strength",
]

#: Indicators whose targets are ceilings: a lower outcome is the better one.
LOWER_IS_BETTER: tuple[str, ...] = ("cpi", "unemployment_rate", "energy_intensity")

_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2, "township": 3}
_NUMERIC_QUALIFIERS = {"about", "at_least", "at_most", "range", "exact"}

# Units of one family, as multiples of the family's base unit.
_UNIT_FAMILIES: dict[str, tuple[str, float]] = {
    "元": ("元", 1.0), "万元": ("元", 1e4), "亿元": ("元", 1e8), "万亿元": ("元", 1e12),
    "美元": ("美元", 1.0), "万美元": ("美元", 1e4), "亿美元": ("美元", 1e8),
    "人": ("人", 1.0), "万人": ("人", 1e4),
    "吨": ("吨", 1.0), "万吨": ("吨", 1e4),
    "斤": ("斤", 1.0), "万斤": ("斤", 1e4), "亿斤": ("斤", 1e8),
    "公斤": ("公斤", 1.0), "万公斤": ("公斤", 1e4), "亿公斤": ("公斤", 1e8),
    "户": ("户", 1.0), "万户": ("户", 1e4),
    "家": ("家", 1.0), "万家": ("家", 1e4),
    "个": ("个", 1.0), "万个": ("个", 1e4),
}
_PERCENT_UNITS = {"%", "％", "个百分点", "百分点"}


# --------------------------------------------------------------------------- inputs


def _tables(data: Any) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Split the accepted inputs into ``(reports or None, indicators)``."""
    if hasattr(data, "indicators") and hasattr(data, "reports"):
        return data.reports, data.indicators
    if isinstance(data, Mapping):
        if "indicators" not in data:
            raise ValueError("a dict passed to panel() needs an 'indicators' table")
        return data.get("reports"), data["indicators"]
    if isinstance(data, tuple | list) and len(data) == 2:
        reports, indicators = data
        return reports, indicators
    if isinstance(data, pd.DataFrame):
        return None, data
    raise TypeError(
        "panel() takes a Corpus, an indicators DataFrame with region columns, "
        f"a (reports, indicators) pair or a dict of them, not {type(data).__name__}"
    )


def _group_codes(*columns: Any) -> np.ndarray:
    """One integer per row, equal for rows with equal values in every column (NaN/None equal)."""
    n = len(columns[0])
    combined = np.zeros(n, dtype=np.int64)
    for col in columns:
        codes, uniques = pd.factorize(pd.Series(col) if isinstance(col, list) else col, use_na_sentinel=True)
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined = np.unique(combined, return_inverse=True)[1].reshape(-1)  # small again
    return combined


def _per_distinct(fn: Any, *columns: pd.Series) -> np.ndarray:
    """``fn(*row)`` for every row, called once per distinct combination of the columns' values.

    The same values as ``[fn(*row) for row in zip(*columns)]`` (an object array): each
    combination is computed from its first row, as iterating the columns gives it.
    """
    if len(columns[0]) == 0:
        return np.array([], dtype=object)
    codes = _group_codes(*columns)
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    rows = zip(*(list(col.iloc[first]) for col in columns), strict=True)
    values = np.empty(len(first), dtype=object)
    values[:] = [fn(*row) for row in rows]
    return values[inverse.reshape(-1)]


def _stripped(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("").str.strip()


def _clean_str(s: pd.Series) -> pd.Series:
    """Stripped strings ("" for missing) as an object column; equal values share one str."""
    codes, uniques = pd.factorize(_stripped(s))
    return pd.Series(np.asarray(uniques, dtype=object)[codes], index=s.index, dtype=object)


#: Columns :func:`panel` reads from each input table (any may be missing).
REPORT_INPUT_COLUMNS = ["source", "part", *REGION_COLUMNS, "year", "review_year", "plan_year"]
INDICATOR_INPUT_COLUMNS = [
    *REPORT_INPUT_COLUMNS, "kind", "horizon", "period", "indicator", "indicator_text", "definition",
    "metric", "value", "value_high", "unit", "qualifier", "basis", "estimate", "text", "start",
]
# long, mostly distinct clauses: kept as pandas strings until the panel's columns are made
_TEXT_COLUMNS = ("text", "indicator_text")


def _prepare(reports: pd.DataFrame | None, indicators: pd.DataFrame, order: np.ndarray | None = None
             ) -> pd.DataFrame:
    """Indicators with region columns, report years and tidy dtypes.

    Only targets and outcomes with an indicator are kept, chosen before the merge and the
    conversions; ``_order`` is each row's position in ``indicators``, or ``order`` of it
    (its position in the whole table when ``indicators`` is a part of it).
    """
    ind = indicators[[c for c in INDICATOR_INPUT_COLUMNS if c in indicators]]
    kind = _stripped(ind["kind"]) if "kind" in ind else pd.Series("", index=ind.index)
    indicator = _stripped(ind["indicator"]) if "indicator" in ind else pd.Series("", index=ind.index)
    keep_rows = (kind.isin(["target", "outcome"]) & indicator.ne("")).to_numpy(bool)
    ind = ind[keep_rows].assign(_order=np.flatnonzero(keep_rows) if order is None else order[keep_rows])
    if "part" not in ind:
        ind = ind.assign(part=0)
    if reports is not None and len(reports.columns):
        rep = reports[[c for c in REPORT_INPUT_COLUMNS if c in reports]]
        if "part" not in rep:
            rep = rep.assign(part=0)
        keep = ["source", "part", *[c for c in (*REGION_COLUMNS, "year", "review_year", "plan_year") if c in rep]]
        rep = rep[keep].drop_duplicates(["source", "part"])
        ind = ind.drop(columns=[c for c in keep if c not in ("source", "part") and c in ind])
        ind = ind.assign(part=pd.to_numeric(ind["part"], errors="coerce").fillna(0).astype(int))
        rep = rep.assign(part=pd.to_numeric(rep["part"], errors="coerce").fillna(0).astype(int))
        ind = ind.merge(rep, on=["source", "part"], how="left")
    if "region" not in ind:
        raise ValueError(
            "indicators carry no region columns: pass (reports, indicators) or a Corpus"
        )
    for col in [*REGION_COLUMNS, "source", "indicator", "metric", "horizon", "unit", "qualifier",
                "basis", "kind", *_TEXT_COLUMNS]:
        if col not in ind:
            ind[col] = ""
        elif col in _TEXT_COLUMNS:
            ind[col] = _stripped(ind[col])
        else:
            ind[col] = _clean_str(ind[col])
    ind["adcode"] = _per_distinct(_norm_adcode, ind["adcode"])
    for col in ("year", "review_year", "plan_year"):
        ind[col] = pd.to_numeric(ind[col], errors="coerce") if col in ind else np.nan
    ind["value"] = pd.to_numeric(ind.get("value"), errors="coerce")
    ind["value_high"] = pd.to_numeric(ind["value_high"], errors="coerce") if "value_high" in ind else np.nan
    ind["estimate"] = ind["estimate"].fillna(False).astype(bool) if "estimate" in ind else False
    ind["start"] = pd.to_numeric(ind["start"], errors="coerce") if "start" in ind else np.nan
    ind["horizon"] = ind["horizon"].replace("", "annual")
    periods = ind["period"] if "period" in ind else pd.Series([None] * len(ind), index=ind.index, dtype=object)
    ind["period"] = _per_distinct(_norm_period, periods, ind["horizon"], ind["kind"], ind["plan_year"],
                                  ind["review_year"])
    ind["definition"] = (_clean_str(ind["definition"]) if "definition" in ind else
                         _per_distinct(definition_of, ind["indicator"], ind["indicator_text"]))
    ind["_src"] = _per_distinct(lambda s, p: f"{s}#{int(p)}", ind["source"], ind["part"])
    ind = ind[ind["indicator"].ne("") & ind["period"].ne("") & ind["kind"].isin(["target", "outcome"])]
    return _region_keys(ind)


def _norm_adcode(x: Any) -> str:
    s = "" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip()
    if s.endswith(".0"):
        s = s[:-2]
    return s if re.fullmatch(r"\d{6}", s) else ""


def _norm_period(period: Any, horizon: str, kind: str, plan_year: float, review_year: float) -> str:
    """Period as a string: ``"2026"`` or ``"2026-2030"``; filled from the report's year if empty."""
    if period is not None and not (isinstance(period, float) and np.isnan(period)) and period is not pd.NA:
        s = str(period).strip()
        if s.endswith(".0"):
            s = s[:-2]
        s = re.sub(r"\s*[-–—~至到]\s*", "-", s)
        if s:
            return s
    if horizon == "annual":
        y = plan_year if kind == "target" else review_year
        if pd.notna(y):
            return str(int(y))
    return ""


def _region_keys(ind: pd.DataFrame) -> pd.DataFrame:
    """Key every row's region: by adcode when known, else by (region, parent, province).

    An empty adcode is filled from another report of the same (region, parent, province)
    that has one, so that one region is one key.
    """
    if ind.empty:
        ind["_rkey"] = pd.Series(dtype=object)
        return ind
    names = _group_codes(ind["region"], ind["parent"], ind["province"])
    adcode = ind["adcode"].to_numpy(object)
    has = adcode != ""
    pairs = pd.DataFrame({"name": names[has], "adcode": adcode[has]}).drop_duplicates()
    single = pairs[~pairs["name"].duplicated(keep=False)]  # names with one known adcode
    fill = np.full(names.max() + 1, "", dtype=object)
    fill[single["name"].to_numpy()] = single["adcode"].to_numpy(object)
    ind["adcode"] = np.where(has, adcode, fill[names])
    ind["_rkey"] = _per_distinct(lambda a, r, p, v: f"code:{a}" if a else f"name:{r}|{p}|{v}",
                                 ind["adcode"], ind["region"], ind["parent"], ind["province"])
    return ind


# --------------------------------------------------------------------------- units


def _factor(from_unit: str, to_unit: str) -> float | None:
    """Multiplier taking a value in ``from_unit`` to ``to_unit``; None when incompatible."""
    if from_unit == to_unit:
        return 1.0
    if from_unit in ("%", "％") and to_unit in ("%", "％"):
        return 1.0
    a, b = _UNIT_FAMILIES.get(from_unit), _UNIT_FAMILIES.get(to_unit)
    if a and b and a[0] == b[0]:
        return a[1] / b[1]
    return None


# --------------------------------------------------------------------------- join


def _factors(from_units: pd.Series, to_units: pd.Series) -> np.ndarray:
    """Vectorised :func:`_factor`; 1.0 where either unit is empty, NaN where incompatible."""
    def factor(a: str, b: str) -> float:
        f = 1.0 if not a or not b else _factor(a, b)
        return np.nan if f is None else f

    if len(from_units) == 0:
        return np.array([], dtype=float)
    return _per_distinct(factor, pd.Series(from_units), pd.Series(to_units)).astype(float)


def _pick_targets(targets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One target row per key: from the plan-year report, numeric first, then source order."""
    t = targets.assign(
        _plan_match=_per_distinct(lambda h, py, p: (h != "annual") or (pd.notna(py) and str(int(py)) == p),
                                  targets["horizon"], targets["plan_year"], targets["period"]).astype(bool),
        _qual=targets["value"].isna(),
    )
    t = t.sort_values(["_plan_match", "_qual", "source", "part", "start", "_order"],
                      ascending=[False, True, True, True, True, True], na_position="last", kind="stable")
    return t.drop_duplicates(keys, keep="first")


_OUTCOME_SORT = (["_num", "estimate", "_review", "_when", "source", "part", "start", "_order"],
                 [False, True, False, False, True, True, True, True])


def _outcome_order(o: pd.DataFrame) -> pd.DataFrame:
    """Columns that rank outcome candidates: numeric, final before 预计, review report, latest."""
    def is_review(h: str, ry: float, yr: float, p: str) -> bool:
        end = p.split("-")[-1]
        if h == "annual":
            return bool(pd.notna(ry) and str(int(ry)) == p)
        return bool((pd.notna(yr) and str(int(yr) - 1) == end) or (pd.notna(ry) and str(int(ry)) == end))

    review = _per_distinct(is_review, o["horizon"], o["review_year"], o["year"], o["period"]).astype(bool)
    return o.assign(_review=review, _num=o["value"].notna(),
                    _when=o["year"].fillna(o["review_year"] + 1).fillna(o["plan_year"]))


def _pick_outcomes(outcomes: pd.DataFrame, ref: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Best outcome and superseded preliminary outcome per key.

    ``ref`` gives each key's reference ``_unit`` and ``_basis`` (the target's, else the best
    outcome's). Candidates in an incompatible unit are dropped; when some share the
    reference basis (or have none), only those are kept. Values come back converted
    to the reference unit in ``_value``.
    """
    o = _outcome_order(outcomes).merge(ref, on=keys, how="left")
    o["_unit"] = o["_unit"].fillna("")
    o["_basis"] = o["_basis"].fillna("")
    o["_f"] = _factors(o["unit"], o["_unit"])
    o = o[o["_f"].notna()].copy()
    o["_bok"] = (o["_basis"] == "") | o["basis"].isin([""]) | (o["basis"] == o["_basis"])
    any_ok = o.groupby(keys, sort=False)["_bok"].transform("any")
    o = o[o["_bok"] | ~any_ok].copy()
    o["_value"] = o["value"] * o["_f"]
    o = o.sort_values(_OUTCOME_SORT[0], ascending=_OUTCOME_SORT[1], na_position="last", kind="stable")
    best = o.drop_duplicates(keys, keep="first")
    prelim = o[o["estimate"] & o["value"].notna()]
    # the 预计 figure of the review-year report, if it has one
    prelim = prelim.sort_values(["_review", "_when"], ascending=[False, True], kind="stable")
    prelim = prelim.drop_duplicates(keys, keep="first")
    final = best[~best["estimate"] & best["value"].notna()][keys]
    prelim = prelim.merge(final, on=keys, how="inner")
    return best, prelim


def _direction(indicator: str, metric: str, target: float, lower_is_better: Iterable[str]) -> int:
    """+1 when a higher outcome meets the target better, -1 for ceilings and targeted falls."""
    if indicator in set(lower_is_better):
        return -1
    if metric in ("growth", "change") and pd.notna(target) and target < 0:
        return -1
    return 1


def _met(qualifier: str, target: float, high: float, outcome: float, unit: str,
         direction: int, tolerance: float) -> Any:
    """Whether ``outcome`` meets the target; ``pd.NA`` when it cannot be judged."""
    if qualifier not in _NUMERIC_QUALIFIERS or pd.isna(target) or pd.isna(outcome):
        return pd.NA
    if qualifier == "at_most":
        return bool(outcome <= target)
    if qualifier == "range":
        if direction < 0:
            return bool(outcome <= (high if pd.notna(high) else target))
        return bool(outcome >= target)
    slack = 0.0
    if qualifier == "about" and tolerance:
        # percentage points for rates; the same number read as a percent of the target otherwise
        slack = tolerance if (unit in _PERCENT_UNITS or not unit) else abs(target) * tolerance / 100
    if direction < 0:
        return bool(outcome <= target + slack)
    return bool(outcome >= target - slack)


def panel(
    data: Any,
    *,
    tolerance: float = 0.5,
    lower_is_better: Iterable[str] = LOWER_IS_BETTER,
) -> pd.DataFrame:
    """Targets joined with outcomes: one row per region, indicator, metric, period and horizon.

    ``data`` is a :class:`~govreport.Corpus`, a ``(reports, indicators)`` pair, a dict with
    ``"reports"`` and ``"indicators"``, or an indicators DataFrame that already carries the
    region columns (``region``, ``adcode``, ``level``, ``parent``, ``province``).

    Columns:

    - region columns and the key ``indicator``, ``metric``, ``period`` (str), ``horizon``;
      ``basis`` and ``unit`` (of the target, else of the outcome);
    - ``target``, ``target_high``, ``target_qualifier``, ``target_source`` (``"source#part"``),
      ``target_text``: the first target row by source/part order, from the report whose
      ``plan_year`` is the period (annual) or that sets the five-year plan;
    - ``outcome``, ``outcome_estimate``, ``outcome_source``, ``outcome_text``: the final figure
      when one is stated (a later report restating a 预计 figure without 预计 wins), else the
      preliminary one; ``outcome_preliminary`` (and ``_source``) keeps the superseded 预计
      figure when a final one replaced it. Outcomes in another unit of the same family
      (万元/亿元, 人/万人 …) are converted to the target's unit; incompatible ones are not used;
    - ``gap`` = outcome − target;
    - ``met`` (nullable boolean): ``about`` — outcome ≥ target − ``tolerance`` (percentage
      points for rates; for amounts, ``tolerance`` percent of the target); ``exact`` and
      ``at_least`` — outcome ≥ target; ``at_most`` — outcome ≤ target; ``range`` — outcome ≥ the
      lower bound; ``qualitative`` or a missing side — NA. For the ceilings in
      ``lower_is_better`` (CPI, unemployment, energy intensity) and for targeted falls
      (a negative growth target, 下降), the comparisons turn round (outcome ≤ target
      [+ tolerance]; a range needs outcome ≤ its upper bound); pass ``lower_is_better=()``
      to keep only the sign rule;
    - ``met_strict``: the same without tolerance;
    - ``parent_target``, ``parent_qualifier``, ``parent_source`` and ``parent_text`` (its clause) when the parent region (matched by name and
      province, else by adcode) has a target for the same indicator, definition, metric,
      period and horizon in the data;
    - ``amplification``: how much more the region asks of itself than its parent (层层加码),
      positive when it asks more: target − parent target for indicators where higher is
      better, parent target − target for ceilings and targeted falls (a county CPI ceiling of
      2.5% under a city's 3% is +0.5); a range counts at its middle;
    - ``amplification_strength``: how much more firmly the region's wording binds than the
      parent's (2 = a bound on the good side, 以上 for growth or 以内 for a ceiling; 1 = 左右,
      a bare figure or a range; 0 = otherwise): 5.5%以上 under 5.5%左右 is amplification 0.0,
      strength +1.

    ``definition`` is part of the key: one lexicon key can cover statistics of different
    definitions (城镇登记 vs 城镇调查失业率; 全体 / 城镇 / 农村; see
    ``govreport/data/definitions.csv``), and a target is never paired with an outcome (or a
    parent target) of another definition. ``period_start`` / ``period_end`` (Int64) type the
    period: ``p[p.period_start == 2026]``.

    Regions are told apart by adcode when it is known, else by (region, parent, province).

    Example: ``p = govreport.panel(corpus); p.query("indicator == 'gdp' and period_start == 2026")``.
    """
    reports, indicators = _tables(data)
    if indicators is None or len(indicators) == 0:
        return _empty()
    df = _pairs(reports, indicators, tolerance, tuple(lower_is_better))
    if df is None:
        return _empty()
    _add_parent_targets(df)
    return _finish(df)


def _pairs(reports: pd.DataFrame | None, indicators: pd.DataFrame, tolerance: float, lower: tuple[str, ...],
           order: np.ndarray | None = None) -> pd.DataFrame | None:
    """The panel's rows before the parent targets and the final order; None without any.

    ``order``: each indicator row's position in the whole table (see :func:`_prepare`).
    """
    ind = _prepare(reports, indicators, order)
    if ind.empty:
        return None
    keys = ["_rkey", *KEY_COLUMNS]

    targets = _pick_targets(ind[ind["kind"] == "target"], keys)
    outcomes = ind[ind["kind"] == "outcome"]
    # reference unit and basis of a key without a target: its best outcome's
    ranked = [*keys, "unit", "basis", "value", "estimate", "year", "review_year", "plan_year", "source",
              "part", "start", "_order"]
    first = _outcome_order(outcomes[list(dict.fromkeys(ranked))]).sort_values(
        _OUTCOME_SORT[0], ascending=_OUTCOME_SORT[1], na_position="last", kind="stable"
    ).drop_duplicates(keys, keep="first")
    ref = pd.concat([targets[[*keys, "unit", "basis"]], first[[*keys, "unit", "basis"]]])
    ref = ref.drop_duplicates(keys, keep="first").rename(columns={"unit": "_unit", "basis": "_basis"})
    best, prelim = _pick_outcomes(outcomes, ref, keys)

    df = ref.rename(columns={"_unit": "unit", "_basis": "basis"})
    t = targets[[*keys, "indicator_text", "value", "value_high", "qualifier", "_src", "text"]].rename(columns={
        "indicator_text": "_t_itext", "value": "target", "value_high": "target_high",
        "qualifier": "target_qualifier", "_src": "target_source", "text": "target_text"})
    b = best[[*keys, "indicator_text", "_value", "estimate", "_src", "text", "unit"]].rename(columns={
        "indicator_text": "_o_itext", "_value": "outcome", "estimate": "outcome_estimate",
        "_src": "outcome_source", "text": "outcome_text", "unit": "_o_unit"})
    pr = prelim[[*keys, "_value", "_src"]].rename(columns={
        "_value": "outcome_preliminary", "_src": "outcome_preliminary_source"})
    df = df.merge(t, on=keys, how="left").merge(b, on=keys, how="left").merge(pr, on=keys, how="left")
    for c in ("_t_itext", "_o_itext", "_o_unit", "target_qualifier", "target_source", "target_text",
              "outcome_source", "outcome_text", "outcome_preliminary_source"):
        df[c] = df[c].astype(object).where(df[c].notna(), "")
    df["indicator_text"] = df["_t_itext"].where(df["_t_itext"] != "", df["_o_itext"])
    df["unit"] = df["unit"].where(df["unit"] != "", df["_o_unit"])
    info = pd.DataFrame.from_dict(_region_info(ind), orient="index")
    info.index.name = "_rkey"
    df = df.merge(info.reset_index(), on="_rkey", how="left")

    df["gap"] = df["outcome"] - df["target"]
    direction = [_direction(i, m, v, lower) for i, m, v in
                 zip(df["indicator"], df["metric"], df["target"], strict=True)]
    df["_direction"] = direction
    args = list(zip(df["target_qualifier"], df["target"], df["target_high"], df["outcome"],
                    df["unit"], direction, strict=True))
    df["met"] = pd.array([_met(*a, tolerance) for a in args], dtype="boolean")
    df["met_strict"] = pd.array([_met(*a, 0.0) for a in args], dtype="boolean")
    return df


def _region_info(ind: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Display columns for each region key, from its latest report."""
    latest = ind.sort_values(["year", "_order"], na_position="first")
    keys = latest["_rkey"].to_numpy(object)
    info: dict[str, dict[str, str]] = {k: dict.fromkeys(REGION_COLUMNS, "") for k in dict.fromkeys(keys.tolist())}
    for c in REGION_COLUMNS:  # column by column: the latest non-empty value wins
        values = latest[c].to_numpy(object)
        filled = values != ""
        last = pd.Series(values[filled]).groupby(keys[filled], sort=False).last()
        for k, v in zip(last.index.tolist(), last.tolist(), strict=True):
            info[k][c] = v
    return info


#: Columns of :func:`_pairs`' rows that describe their region (one value per ``_rkey``).
REGION_KEY_COLUMNS = ["_rkey", "region", "province", "adcode", "level", "parent"]


def _parent_links(regions: pd.DataFrame) -> dict[str, str]:
    """Each region key's parent region key, where one is found.

    ``regions``: :data:`REGION_KEY_COLUMNS` of the regions (one row per ``_rkey``); the
    parent is matched by name and province, else by adcode.
    """
    by_name: dict[tuple[str, str], set[str]] = {}
    by_code: dict[str, str] = {}
    for rkey, region, province, adcode in regions[["_rkey", "region", "province", "adcode"]].itertuples(index=False):
        by_name.setdefault((region, province), set()).add(rkey)
        by_name.setdefault((region, ""), set()).add(rkey)
        if adcode:
            by_code[adcode] = rkey
    parent_of: dict[str, str] = {}
    for rkey, level, parent, province, adcode in regions[["_rkey", "level", "parent", "province", "adcode"]
                                                         ].itertuples(index=False):
        if level == "province":
            continue
        cands = by_name.get((parent, province), set()) if parent else set()
        if not cands and parent and not province:
            cands = by_name.get((parent, ""), set())
        cands = cands - {rkey}
        if len(cands) == 1:
            parent_of[rkey] = next(iter(cands))
            continue
        if adcode:
            guesses = []
            if level in ("county", "township"):
                guesses.append(adcode[:4] + "00")
            guesses.append(adcode[:2] + "0000")
            for code in guesses:
                if code != adcode and code in by_code:
                    parent_of[rkey] = by_code[code]
                    break
    return parent_of


def _regions(df: pd.DataFrame) -> pd.DataFrame:
    """:data:`REGION_KEY_COLUMNS` of the regions of :func:`_pairs`' rows, one row per key."""
    return df[REGION_KEY_COLUMNS].drop_duplicates("_rkey")


def _parent_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`_pairs` with a target, as the parent's side of the parent join."""
    tgt = df.loc[df["target"].notna(), ["_rkey", *KEY_COLUMNS, "target", "target_high", "target_qualifier", "unit",
                                        "target_source", "target_text"]]
    return tgt.assign(_mid=_central(tgt["target"], tgt["target_high"], tgt["target_qualifier"])).drop(
        columns="target_high")


def _add_parent_targets(df: pd.DataFrame, parent_of: dict[str, str] | None = None,
                        parent_rows: pd.DataFrame | None = None) -> None:
    """``parent_target`` and ``amplification`` from the parent region's rows of the same key.

    ``parent_of`` (:func:`_parent_links` of every region) and ``parent_rows`` (:func:`_parent_rows`
    of the rows holding every parent's targets) default to those of ``df`` itself.
    """
    if parent_of is None:
        parent_of = _parent_links(_regions(df))
    if parent_rows is None:
        parent_rows = _parent_rows(df)
    df["_prkey"] = [parent_of.get(k, "") for k in df["_rkey"]]
    df["_mid"] = _central(df["target"], df["target_high"], df["target_qualifier"])
    tgt = parent_rows[["_rkey", *KEY_COLUMNS, "target", "_mid", "target_qualifier", "unit",
                       "target_source", "target_text"]].rename(
        columns={"_rkey": "_prkey", "target": "_ptarget", "_mid": "_pmid", "target_qualifier": "_pqual",
                 "unit": "_punit", "target_source": "_psrc", "target_text": "_ptext"}
    ).drop_duplicates(["_prkey", *KEY_COLUMNS])
    m = df[["_prkey", *KEY_COLUMNS, "unit"]].merge(tgt, on=["_prkey", *KEY_COLUMNS], how="left")
    f = _factors(m["_punit"].fillna(""), m["unit"])
    df["parent_target"] = (m["_ptarget"] * f).to_numpy(float)
    df["parent_qualifier"] = m["_pqual"].where(m["_pqual"].notna() & np.isfinite(f), "").to_numpy(object)
    # the parent's figure is cited with its own evidence: report and clause
    df["parent_source"] = m["_psrc"].where(m["_pqual"].notna() & np.isfinite(f), "").to_numpy(object)
    df["parent_text"] = m["_ptext"].where(m["_pqual"].notna() & np.isfinite(f), "").to_numpy(object)
    # positive = the region asks more of itself than its parent (层层加码), whatever the direction
    df["amplification"] = df["_direction"] * (df["_mid"] - (m["_pmid"] * f).to_numpy(float))
    strength = [_strength(q, d) - _strength(pq, d) if q and pq else np.nan for q, pq, d in
                zip(df["target_qualifier"], df["parent_qualifier"], df["_direction"], strict=True)]
    df["amplification_strength"] = pd.array(strength, dtype="Int64")


def _central(target: pd.Series, high: pd.Series, qualifier: pd.Series) -> np.ndarray:
    """A target's central value: the middle of a range, else the figure itself."""
    mid = (target + high) / 2
    return np.where((qualifier == "range") & high.notna(), mid, target).astype(float)


def _strength(qualifier: str, direction: int) -> int:
    """How firmly a qualifier binds, in the indicator's good direction.

    2 — a bound on the good side (以上 for growth, 以内 for a ceiling such as CPI);
    1 — a point or range (左右, a bare figure, 6%-6.5%); 0 — a bound on the other side or
    qualitative wording.
    """
    good, bad = ("at_least", "at_most") if direction > 0 else ("at_most", "at_least")
    if qualifier == good:
        return 2
    if qualifier in ("about", "exact", "range"):
        return 1
    return 0


#: The panel's order (a stable sort): level, then each region's display columns and key, then the row's.
PANEL_ORDER = ["_lv", "province", "parent", "region", "_rkey", "indicator", "metric", "_hz", "period"]


def _finish(df: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
    """The panel's columns (and ``keep``) in the panel's order."""
    df["_lv"] = df["level"].map(_LEVEL_ORDER).fillna(9)
    df["_hz"] = (df["horizon"] != "annual").astype(int)
    df = df.sort_values(PANEL_ORDER, kind="stable")
    bounds = _per_distinct(period_bounds, df["period"]).tolist() if len(df) else []
    df["period_start"] = pd.array([b[0] for b in bounds], dtype="Int64")
    df["period_end"] = pd.array([b[1] for b in bounds], dtype="Int64")
    df = df[[*PANEL_COLUMNS, *keep]].reset_index(drop=True)
    df["outcome_estimate"] = df["outcome_estimate"].astype("boolean")
    for c in ("target", "target_high", "outcome", "outcome_preliminary", "gap", "parent_target", "amplification"):
        df[c] = df[c].astype(float)
    return df


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in PANEL_COLUMNS})
    for c in ("target", "target_high", "outcome", "outcome_preliminary", "gap", "parent_target", "amplification"):
        df[c] = df[c].astype(float)
    for c in ("outcome_estimate", "met", "met_strict"):
        df[c] = df[c].astype("boolean")
    for c in ("period_start", "period_end", "amplification_strength"):
        df[c] = df[c].astype("Int64")
    return df


# --------------------------------------------------------------------------- helpers


def _suggest(word: str, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> list[str]:
    """Close matches for ``word``: same letters in another case, a name it starts, near spellings.

    >>> _suggest("GDP", ["gdp", "cpi"]), _suggest("平阴", ["平阴县", "济阳区"])
    (['gdp'], ['平阴县'])
    """
    import difflib

    choices = sorted({c for c in choices if c})
    w = str(word).strip()
    out = [c for c in choices if c.lower() == w.lower()]
    out += [a for k, a in (aliases or {}).items() if k.lower() == w.lower()]
    out += [c for c in choices if w and (c.startswith(w) or w in c)]
    out += difflib.get_close_matches(w, choices, n=3, cutoff=0.5)
    out += difflib.get_close_matches(w.lower(), [c.lower() for c in choices], n=3, cutoff=0.6)
    return list(dict.fromkeys(o for o in out if o != w))[:5]


def _unknown(what: str, value: Any, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> ValueError:
    choices = list(choices)
    close = _suggest(str(value), choices, aliases)
    hint = f"; did you mean {' / '.join(close)}?" if close else ""
    listed = ", ".join(sorted(set(choices))[:12])
    return ValueError(f"unknown {what} {value!r}{hint} (the panel has: {listed})")


def _lexicon_aliases() -> dict[str, str]:
    """Chinese names and variants of every lexicon key → the key (地区生产总值 → gdp)."""
    try:
        from .lexicon import indicator_lexicon

        lex = indicator_lexicon()
    except Exception:  # noqa: BLE001 - suggestions only
        return {}
    out: dict[str, str] = {}
    for key, name, label, variants in lex[["key", "name_zh", "label_en", "variants"]].itertuples(index=False):
        for alias in [name, label, *str(variants).split("|")]:
            if alias and not re.search(r"[\\()\[\]?*+{}]", alias):
                out.setdefault(alias, key)
    return out


def _period_matches(panel_df: pd.DataFrame, period: int | str) -> pd.Series:
    """Rows whose period is ``period`` (2026, "2026" or "2026-2030")."""
    start, end = period_bounds(period)
    if start is None:
        raise ValueError(f"period {period!r} is not a year (2026) or a span of years ('2026-2030')")
    if "period_start" in panel_df and "period_end" in panel_df:
        ps = pd.to_numeric(panel_df["period_start"], errors="coerce")
        pe = pd.to_numeric(panel_df["period_end"], errors="coerce")
        return (ps == start) & (pe == end)
    return panel_df["period"].astype(str).map(period_bounds) == (start, end)


def compare(
    panel_df: pd.DataFrame,
    indicator: str = "gdp",
    period: int | str = 2026,
    metric: str = "growth",
    horizon: str = "annual",
    by: str = "target",
    definition: str | None = None,
) -> pd.DataFrame:
    """Regions ranked by ``by`` (descending) for one indicator, metric, period and horizon.

    Parameters
    ----------
    panel_df : the table from :func:`panel`.
    indicator : a lexicon key (``"gdp"``); an unknown key raises ``ValueError`` naming close
        matches (``"GDP"`` → ``gdp``, ``"地区生产总值"`` → ``gdp``).
    period : the year as an int or str (``2026``, ``"2026"``) or a five-year span (``"2026-2030"``).
    metric, horizon : ``growth`` / ``level`` / ``change``; ``annual`` / ``five_year``.
    by : the column to rank on (``target``, ``outcome``, ``gap``, ``amplification`` …).
    definition : which statistic when a key covers several (``"surveyed"``, ``"registered"``);
        needed only when the selection mixes definitions, which are never ranked together.

    Rows without a value in ``by`` are dropped. Amounts in units of one family are shown in
    the most common unit; rows in an incompatible unit are dropped. ``rank`` 1 is the
    highest; ties share a rank. A valid key with no rows for the period gives an empty frame.

    >>> p = pd.DataFrame({"region": ["甲县", "乙县", "丙县"], "level": "county", "parent": "某市",
    ...     "province": "某省", "adcode": "", "indicator": "gdp", "metric": "growth",
    ...     "period": "2026", "horizon": "annual", "unit": "%", "target": [6.0, 7.0, None]})
    >>> compare(p)[["rank", "region", "target"]]
       rank region  target
    0     1     乙县     7.0
    1     2     甲县     6.0
    """
    if by not in panel_df:
        raise KeyError(f"panel has no column {by!r}")
    present = set(panel_df["indicator"].dropna().astype(str))
    if indicator not in present:
        raise _unknown("indicator", indicator, present, _lexicon_aliases())
    for name, value in (("metric", metric), ("horizon", horizon)):
        have = set(panel_df.loc[panel_df["indicator"] == indicator, name].astype(str))
        if value not in have:
            raise _unknown(f"{name} for {indicator}", value, have)
    sel = panel_df[
        (panel_df["indicator"] == indicator) & (panel_df["metric"] == metric)
        & _period_matches(panel_df, period) & (panel_df["horizon"] == horizon)
    ].copy()
    if "definition" in sel:
        if definition is not None:
            have = set(sel["definition"].astype(str))
            if definition not in have:
                raise _unknown(f"definition of {indicator}", definition, have)
            sel = sel[sel["definition"] == definition]
        elif sel["definition"].nunique() > 1:
            kinds = ", ".join(sorted(sel["definition"].astype(str).unique()))
            raise ValueError(f"{indicator} rows for {period} mix definitions ({kinds}), which do not "
                             "compare; pass definition= one of them")
    sel = sel[pd.to_numeric(sel[by], errors="coerce").notna()]
    if "unit" in sel and sel["unit"].nunique() > 1:
        main = sel["unit"].value_counts().index[0]
        factors = sel["unit"].map(lambda u: _factor(u, main))
        sel = sel[factors.notna()]
        factors = factors[factors.notna()].astype(float)
        for c in ("target", "target_high", "outcome", "outcome_preliminary", "gap", "parent_target", "amplification"):
            if c in sel:
                sel[c] = sel[c] * factors
        sel["unit"] = main
    sel = sel.sort_values([by, "region"], ascending=[False, True], kind="stable")
    sel.insert(0, "rank", sel[by].rank(method="min", ascending=False).astype(int))
    cols = ["rank", *[c for c in REGION_COLUMNS if c in sel]]
    rest = [c for c in ("indicator", "definition", "metric", "period", "period_start", "period_end",
                        "horizon", "unit", "target", "target_high",
                        "target_qualifier", "outcome", "outcome_estimate", "gap", "met", "met_strict",
                        "parent_target", "parent_qualifier", "amplification", "amplification_strength",
                        "target_source", "outcome_source")
            if c in sel]
    return sel[cols + rest].reset_index(drop=True)


def region_history(
    panel_df: pd.DataFrame,
    region: str,
    *,
    province: str | None = None,
) -> pd.DataFrame:
    """Every indicator's target and outcome over the years for one region.

    Parameters
    ----------
    panel_df : the table from :func:`panel`.
    region : a name (``"平阴县"``) or a 6-digit adcode, as int or str (``370124``).
    province : the province, when a name is shared by regions of several provinces or parents.

    A name or adcode that is not in the panel raises ``ValueError`` naming close matches
    (``"平阴"`` → ``平阴县``).

    Example: ``govreport.region_history(govreport.panel(corpus), "平阴县")``.
    """
    r = str(region).strip()
    if re.fullmatch(r"\d{6}", r):
        sel = panel_df[panel_df["adcode"].astype(str) == r]
        if sel.empty:
            raise _unknown("adcode", r, panel_df["adcode"].dropna().astype(str))
    else:
        sel = panel_df[panel_df["region"] == r]
        if sel.empty:
            raise _unknown("region", r, panel_df["region"].dropna().astype(str))
    if province is not None:
        sel = sel[sel["province"] == province]
    ids = sel[["region", "parent", "province", "adcode"]].drop_duplicates()
    # one region may appear with and without its adcode; several names are ambiguous
    if len(ids[["region", "parent", "province"]].drop_duplicates()) > 1:
        where = "; ".join(f"{p}{q}{n}" for n, q, p in ids[["region", "parent", "province"]]
                          .drop_duplicates().itertuples(index=False))
        raise ValueError(f"{region!r} names several regions ({where}); pass province= or an adcode")
    sel = sel.assign(_hz=(sel["horizon"] != "annual").astype(int))
    sel = sel.sort_values(["indicator", "metric", "_hz", "period"], kind="stable")
    cols = [c for c in ("indicator", "indicator_text", "definition", "metric", "horizon", "period",
                        "period_start", "period_end", "basis", "unit",
                        "target", "target_high", "target_qualifier", "outcome", "outcome_estimate",
                        "outcome_preliminary", "gap", "met", "met_strict", "parent_target",
                        "parent_qualifier", "amplification", "amplification_strength",
                        "target_source", "outcome_source") if c in sel]
    return sel[cols].reset_index(drop=True)
