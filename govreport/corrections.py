"""Corrections that survive rebuilds: ``corrections.csv`` applied to the indicator rows.

The file sits beside the raw data (``data/corrections.csv`` for ``data/raw``) or is named with
``read(..., corrections=PATH)`` / ``govreport build --corrections PATH``. UTF-8 (a BOM is fine),
one correction a line, columns:

- the row's key: ``source``, ``part`` (empty = 0), ``kind``, ``horizon``, ``period``,
  ``indicator``, ``metric``;
- ``action``: ``drop`` (remove the row), ``set`` (change the fields given), ``add`` (a row the
  extractor missed);
- ``note``: why; kept in the row's ``note`` column, and the row gets ``corrected=True``;
- ``where_text`` (optional): only rows whose clause (``text``) contains it, when a key
  matches several rows (otherwise a ``drop``/``set`` applies to every row of the key);
- the fields, for ``set`` (empty cells leave a field alone) and ``add``: ``value``,
  ``value_high``, ``unit``, ``qualifier``, ``basis``, ``estimate``, ``commitment``,
  ``indicator_text``, ``section``, ``text``, ``start``, ``end``. An ``add`` needs ``text``,
  the clause as the normalised report has it; without ``start``/``end`` the row spans that
  clause, found in the report.

A correction that matches no row (the row is gone after a change of the extractor or the
text), names a report not in the corpus, or adds a row already extracted is not applied and
is reported in ``errors`` (stage ``corrections``), never silently ignored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

FILE_NAME = "corrections.csv"
KEY = ["source", "part", "kind", "horizon", "period", "indicator", "metric"]
FIELDS = ["value", "value_high", "unit", "qualifier", "basis", "estimate", "commitment",
          "indicator_text", "section", "text", "start", "end"]
ACTIONS = ("drop", "set", "add")
#: Columns every corrections file must have (the fields are optional).
REQUIRED = [*KEY, "action", "note"]
_FLOAT = {"value", "value_high"}
_INT = {"start", "end"}
_TRUE = {"1", "true", "yes", "y", "t", "是"}
_FALSE = {"0", "false", "no", "n", "f", "否", ""}


def find(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Path | None:
    """``corrections.csv`` beside a raw-data directory in ``paths`` (the first found), or None."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    for p in items:
        p = Path(p)
        if p.is_dir():
            cand = p.resolve().parent / FILE_NAME
            if cand.is_file():
                return cand
    return None


def _error(source: str, part: Any, message: str) -> dict:
    return {"source": source, "part": part, "stage": "corrections", "message": message}


def load(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, list[dict]]:
    """The corrections of ``path`` (all cells as text) and error rows for unusable lines."""
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        return pd.DataFrame(columns=REQUIRED), [_error(str(path), None, f"{path}: cannot read: {err}")]
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        return pd.DataFrame(columns=REQUIRED), [
            _error(str(path), None, f"{path}: missing columns {missing} (needs {REQUIRED})")]
    df = df.map(str.strip)
    df["_line"] = range(2, len(df) + 2)
    errors = []
    ok = []
    for i, r in df.iterrows():
        where = f"{path}:{r['_line']}"
        if r["action"] not in ACTIONS:
            errors.append(_error(r["source"], None, f"{where}: action {r['action']!r} is not one of {list(ACTIONS)}"))
            continue
        empty = [k for k in KEY if k != "part" and not r[k]]
        if empty:
            errors.append(_error(r["source"], None, f"{where}: {r['action']}: empty key columns {empty}"))
            continue
        if r["part"] and not r["part"].isdigit():
            errors.append(_error(r["source"], None, f"{where}: part {r['part']!r} is not a number"))
            continue
        ok.append(i)
    return df.loc[ok], errors


def _convert(field: str, text: str) -> Any:
    if field in _FLOAT:
        return float(text)
    if field in _INT:
        return int(text)
    if field == "estimate":
        low = text.lower()
        if low not in _TRUE | _FALSE:
            raise ValueError(f"estimate {text!r} is not true/false")
        return low in _TRUE
    return text


def apply(
    indicators: pd.DataFrame,
    corrections: pd.DataFrame,
    *,
    path: str | os.PathLike[str] = FILE_NAME,
    document: Callable[[str, int], Any] | None = None,
    reports: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[dict], pd.DataFrame]:
    """Apply ``corrections`` (from :func:`load`) to ``indicators``, in file order.

    Returns the corrected rows (with ``corrected`` and ``note``), error rows, and the rows
    dropped. ``document(source, part)`` gives a report (for ``add``: its text and sections),
    or None when the corpus has no such report.
    """
    df = with_flags(indicators)
    errors: list[dict] = []
    dropped: list[pd.DataFrame] = []
    extra_cols = [c for c in df.columns if c not in {*KEY, *FIELDS, "corrected", "note"}]
    for _, c in corrections.iterrows():
        where = f"{path}:{c.get('_line', '?')}"
        part = int(c["part"] or 0)
        key = (c["source"], part, *(c[k] for k in KEY[2:]))
        label = f"{c['action']} {c['source']}#{part} {'/'.join(str(k) for k in key[2:])}"
        values: dict[str, Any] = {}
        try:
            for f in FIELDS:
                if c.get(f, ""):
                    values[f] = _convert(f, c[f])
        except ValueError as err:
            errors.append(_error(c["source"], part, f"{where}: {label}: {err}"))
            continue
        mask = _match(df, key, c.get("where_text", ""))
        if c["action"] in ("drop", "set") and not mask.any():
            hint = f" with a clause containing {c['where_text']!r}" if c.get("where_text") else ""
            errors.append(_error(c["source"], part, f"{where}: {label}{hint}: the row no longer exists; "
                                 "correction not applied (update or remove it)"))
            continue
        if c["action"] == "drop":
            dropped.append(df[mask].assign(note=c["note"]))
            df = df[~mask]
        elif c["action"] == "set":
            for f, v in values.items():
                df.loc[mask, f] = v
            df.loc[mask, "corrected"] = True
            df.loc[mask, "note"] = c["note"]
        else:
            row = _new_row(df, key, values, c["note"], document, reports, extra_cols)
            if isinstance(row, str):
                errors.append(_error(c["source"], part, f"{where}: {label}: {row}"))
                continue
            same = mask & (df["text"] == row["text"]) & _same_value(df["value"], row.get("value"))
            if same.any():
                errors.append(_error(c["source"], part, f"{where}: {label}: the extractor now finds this "
                                     "row; correction not applied (remove it)"))
                continue
            df = pd.concat([df, pd.DataFrame([row]).astype({k: df[k].dtype for k in ("part", "start", "end")})],
                           ignore_index=True)
    df = _refresh(_order(df).reset_index(drop=True), document)
    gone = pd.concat(dropped, ignore_index=True) if dropped else df.iloc[:0]
    return df, errors, gone


def _refresh(df: pd.DataFrame, document: Callable[[str, int], Any] | None) -> pd.DataFrame:
    """The columns derived from a corrected row's fields, derived again from the corrected values:
    ``period_start``/``period_end``, ``definition`` and the plausibility ``flags``, where the
    table has them (a build corrects rows that carry them already; ``read`` adds flags after)."""
    rows = df["corrected"].to_numpy(dtype=bool)
    if not rows.any():
        return df
    from .enrich import definition_of, period_bounds
    from .plausible import indicator_flags

    fixed = df.loc[rows]
    if "period_start" in df:
        bounds = [period_bounds(p) for p in fixed["period"].tolist()]
        for i, name in enumerate(("period_start", "period_end")):
            column = df[name].astype(object)  # an added row's cell may be None: Int64 again below
            column[rows] = [b[i] for b in bounds]
            df[name] = column.astype("Int64")
    if "definition" in df:
        names = fixed["indicator_text"].tolist() if "indicator_text" in df else [""] * len(fixed)
        df.loc[rows, "definition"] = [definition_of(str(k), str(t) if isinstance(t, str) else "")
                                      for k, t in zip(fixed["indicator"].tolist(), names, strict=True)]
    if "flags" in df:
        texts: dict[tuple[str, int], str] = {}
        for key in dict.fromkeys(zip(fixed["source"].tolist(), fixed["part"].astype(int).tolist(), strict=True)):
            doc = document(*key) if document else None
            if doc is not None:
                texts[key] = doc.text
        df.loc[rows, "flags"] = indicator_flags(df.loc[rows], texts).tolist()
    return df


def with_flags(indicators: pd.DataFrame) -> pd.DataFrame:
    """``indicators`` with ``corrected`` (False) and ``note`` ("") columns when they lack them."""
    df = indicators.copy()
    if "corrected" not in df:
        df["corrected"] = False
    if "note" not in df:
        df["note"] = ""
    df["corrected"] = df["corrected"].astype(bool)
    return df


def _match(df: pd.DataFrame, key: tuple, where_text: str = "") -> pd.Series:
    mask = (df["source"] == key[0]) & (df["part"].astype(int) == key[1])
    for k, v in zip(KEY[2:], key[2:], strict=True):
        mask &= df[k].astype(str) == v
    if where_text:
        mask &= df["text"].str.contains(where_text, regex=False)
    return mask


def _same_value(col: pd.Series, v: Any) -> pd.Series:
    if v is None:
        return col.isna()
    return col == v


def _new_row(df: pd.DataFrame, key: tuple, values: dict, note: str, document: Callable | None,
             reports: pd.DataFrame | None, extra_cols: list[str]) -> dict | str:
    """The row an ``add`` describes, or the reason it cannot be made."""
    text = values.get("text", "")
    if not text:
        return "an added row needs its clause in the text column"
    doc = document(key[0], key[1]) if document else None
    if doc is None:
        return f"no report {key[0]}#{key[1]} in the corpus"
    start, end = values.get("start"), values.get("end")
    if start is None or end is None:
        i = doc.text.find(text)
        if i < 0:
            return f"clause {text!r} not found in the report (copy it from the normalised text)"
        start, end = (i, i + len(text)) if start is None and end is None else (start, end)
    if start is None or end is None or not 0 <= start <= end <= len(doc.text):
        return f"span {start}-{end} is not inside the report"
    section = values.get("section") or next(
        (s.kind for s in getattr(doc, "sections", []) if s.start <= start < s.end), "")
    row: dict[str, Any] = dict(zip(KEY, key, strict=True))
    row.update({"indicator_text": "", "value": float("nan"), "value_high": float("nan"), "unit": "",
                "qualifier": "", "basis": "", "estimate": False, "commitment": ""})
    row.update(values)
    row.update(start=start, end=end, section=section, text=text, corrected=True, note=note)
    # report-level columns (region, year, …): the value this report's other rows share
    same_doc = df[(df["source"] == key[0]) & (df["part"].astype(int) == key[1])]
    meta = {}
    if reports is not None:
        rep = reports[(reports["source"] == key[0]) & (reports["part"] == key[1])]
        meta = rep.iloc[0].to_dict() if len(rep) else {}
    for col in extra_cols:
        vals = same_doc[col].drop_duplicates() if col in same_doc else []
        row[col] = vals.iloc[0] if len(vals) == 1 else meta.get(col)
    return row


def _order(df: pd.DataFrame) -> pd.DataFrame:
    """Added rows next to their report's other rows (reports keep their order)."""
    if df.empty:
        return df
    first = {k: i for i, k in reversed(list(enumerate(zip(df["source"], df["part"], strict=True))))}
    pos = pd.Series([first[k] for k in zip(df["source"], df["part"], strict=True)], index=df.index)
    return df.assign(_o=pos).sort_values("_o", kind="stable").drop(columns="_o")


def apply_to_corpus(corpus: Any, indicators: pd.DataFrame) -> pd.DataFrame:
    """The corpus's corrections (``corpus.corrections``, a path or None) applied to ``indicators``.

    Errors go to the corpus's errors; dropped rows to ``corpus.dropped``.
    """
    path = getattr(corpus, "corrections", None)
    if not path:
        flagged = with_flags(indicators)
        corpus.dropped = flagged.iloc[:0]
        return flagged
    table, errors = load(path)

    def document(source: str, part: int) -> Any:
        try:
            return corpus.document(source, part)
        except KeyError:
            return None

    df, more, dropped = apply(indicators, table, path=path, document=document, reports=corpus.reports)
    corpus._errors.extend(errors + more)
    corpus.dropped = dropped
    return df


class Corrector:
    """Corrections applied file by file as a build streams its tables (see :mod:`govreport.build`).

    ``apply_file`` corrects the tables of one file (after the per-file cache, so editing
    ``corrections.csv`` never needs a rebuild of the text); ``finish`` reports corrections
    that named no report of the corpus. ``dropped`` collects the rows removed.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.table, self.errors = load(self.path)
        self.seen: set[str] = set()
        self.dropped: list[pd.DataFrame] = []

    @classmethod
    def for_build(cls, paths: Any, corrections: str | os.PathLike[str] | None) -> Corrector | None:
        """The corrector of ``corrections`` (``"auto"``: the file beside the raw data), or None."""
        if corrections == "auto":
            local = [p for p in ([paths] if isinstance(paths, str | os.PathLike) else list(paths))
                     if "://" not in os.fspath(p)]
            corrections = find(local) if local else None
        return cls(corrections) if corrections else None

    def apply_file(self, tables: dict[str, pd.DataFrame], path: str) -> dict[str, pd.DataFrame]:
        """``tables`` of the file at ``path`` with its corrections applied (a new dict)."""
        reports = tables.get("reports")
        sources = set(reports["source"]) if reports is not None and len(reports) else set()
        mine = self.table[self.table["source"].isin(sources)] if len(self.table) else self.table
        if mine.empty or tables.get("indicators") is None:
            return tables
        self.seen |= sources
        docs: dict[tuple[str, int], Any] = {}

        def document(source: str, part: int) -> Any:
            if not docs:
                from .pipeline import read_documents

                docs.update({(d.source, d.part): d for d in read_documents(path)[0]})
            return docs.get((source, part))

        df, errors, dropped = apply(tables["indicators"], mine, path=self.path, document=document, reports=reports)
        if len(dropped):
            self.dropped.append(dropped)
        out = dict(tables, indicators=df)
        if errors:
            out["errors"] = pd.concat([tables.get("errors"), pd.DataFrame(errors)], ignore_index=True)
        return out

    def finish(self) -> pd.DataFrame:
        """Error rows: unusable lines of the file, and corrections naming no report in the corpus."""
        rows = list(self.errors)
        for _, c in self.table[~self.table["source"].isin(self.seen)].iterrows():
            rows.append(_error(c["source"], int(c["part"] or 0),
                               f"{self.path}:{c['_line']}: {c['action']} {c['source']}#{c['part'] or 0}: no report "
                               f"{c['source']} in the corpus; correction not applied (update or remove it)"))
        return pd.DataFrame(rows, columns=["source", "part", "stage", "message"])

    def manifest_entry(self) -> dict:
        """The corrections file as an input of the build (path, sha256, bytes, lines)."""
        import hashlib

        data = self.path.read_bytes() if self.path.is_file() else b""
        return {"path": str(self.path), "sha256": hashlib.sha256(data).hexdigest() if data else None,
                "bytes": len(data), "role": "corrections", "corrections": len(self.table)}

    def dropped_rows(self) -> pd.DataFrame | None:
        return pd.concat(self.dropped, ignore_index=True) if self.dropped else None
