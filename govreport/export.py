"""Write tables for Excel, Stata and the rest: ``export(df_or_dict, path)``.

The format follows the extension:

- ``.csv`` — UTF-8 with a byte-order mark (``utf-8-sig``) so Excel opens the Chinese
  correctly; a dict of tables writes one file per table, ``<stem>_<table>.csv``;
- ``.xlsx`` — one sheet per table; ``labels_zh=True`` puts Chinese column labels on top;
- ``.dta`` — Stata 118 (Stata 14+, Unicode), with variable labels; a dict writes
  ``<stem>_<table>.dta`` per table;
- ``.parquet`` — via pyarrow; a dict writes ``<stem>_<table>.parquet`` per table.

Every file is written to a temporary file in the target directory and moved into place,
so a failed export never leaves half a file behind.

>>> import pandas as pd, tempfile, pathlib
>>> df = pd.DataFrame({"region": ["平阴县"], "indicator_text": ["地区生产总值"], "value": [6.0]})
>>> with tempfile.TemporaryDirectory() as d:
...     p = export(df, pathlib.Path(d) / "t.dta")
...     pd.read_stata(p)["region"].tolist()
['平阴县']
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .atomic import atomic_write

__all__ = ["export", "COLUMN_LABELS_ZH", "COLUMN_LABELS_EN", "FORMATS"]

FORMATS = (".csv", ".xlsx", ".dta", ".parquet")

#: Chinese labels of the documented columns (reports, sections, indicators, panel, errors).
COLUMN_LABELS_ZH: dict[str, str] = {
    "source": "来源文件", "part": "文件内序号", "region": "地区", "level": "行政级别",
    "parent": "上级地区", "province": "省份", "adcode": "行政区划代码", "year": "报告年份",
    "review_year": "回顾年份", "plan_year": "计划年份", "date": "报告日期", "speaker": "报告人",
    "title": "标题", "session": "会议", "speaker_title": "报告人职务", "n_chars": "字数",
    "sha256": "SHA-256", "encoding": "文件编码", "format": "文件格式", "script": "简繁体",
    "path": "文件路径", "has_target_list": "有主要预期目标", "section": "章节", "heading": "章节标题",
    "kind": "类别", "start": "起始位置", "end": "结束位置", "stage": "环节", "message": "信息",
    "horizon": "期限", "period": "时期", "indicator": "指标", "indicator_text": "指标原文",
    "metric": "度量", "value": "数值", "value_high": "数值上限", "unit": "单位",
    "qualifier": "限定", "basis": "口径", "estimate": "预计数", "text": "原文",
    "commitment": "承诺", "corrected": "人工更正", "note": "更正说明",
    "target": "目标值", "target_high": "目标上限", "target_qualifier": "目标限定",
    "target_source": "目标来源", "target_text": "目标原文", "outcome": "实际值",
    "outcome_estimate": "实际值为预计数", "outcome_source": "实际值来源", "outcome_text": "实际值原文",
    "outcome_preliminary": "预计值（后被正式数取代）", "outcome_preliminary_source": "预计值来源",
    "gap": "差距（实际−目标）", "met": "完成目标", "met_strict": "完成目标（严格）",
    "parent_target": "上级目标值", "amplification": "加码幅度（目标−上级目标）", "rank": "排名",
    "area": "政策领域", "share": "占比", "count": "次数", "term": "词语", "n": "次数",
    "definition": "统计口径", "period_start": "起始年份", "period_end": "截止年份",
    "parent_qualifier": "上级目标限定", "amplification_strength": "加码力度（措辞）",
    "since": "词表起始年份", "before_since": "早于词表起始年份",
}

#: English variable labels for Stata when ``labels_zh`` is false.
COLUMN_LABELS_EN: dict[str, str] = {
    "source": "Source file", "part": "Report position in file (0-based)", "region": "Region",
    "level": "Administrative level", "parent": "Parent region", "province": "Province",
    "adcode": "Administrative division code", "year": "Year delivered",
    "review_year": "Year reviewed", "plan_year": "Year planned", "date": "Date delivered",
    "speaker": "Speaker", "title": "Title", "session": "Congress session",
    "speaker_title": "Speaker's title", "n_chars": "Characters", "sha256": "SHA-256 of text",
    "encoding": "File encoding", "format": "File format", "script": "Script",
    "path": "File path", "has_target_list": "Has a main-target list", "section": "Section",
    "heading": "Section heading", "kind": "Kind", "start": "Start offset", "end": "End offset",
    "stage": "Stage", "message": "Message", "horizon": "Horizon", "period": "Period",
    "indicator": "Indicator key", "indicator_text": "Indicator as written", "metric": "Metric",
    "value": "Value", "value_high": "Upper bound", "unit": "Unit", "qualifier": "Qualifier",
    "basis": "Basis", "estimate": "Preliminary (yuji) figure", "text": "Evidence clause",
    "commitment": "Commitment", "corrected": "Changed or added by corrections.csv",
    "note": "Correction note", "target": "Target", "target_high": "Target upper bound",
    "target_qualifier": "Target qualifier", "target_source": "Target source (file#part)",
    "target_text": "Target clause", "outcome": "Outcome",
    "outcome_estimate": "Outcome is preliminary", "outcome_source": "Outcome source (file#part)",
    "outcome_text": "Outcome clause", "outcome_preliminary": "Superseded preliminary outcome",
    "outcome_preliminary_source": "Preliminary outcome source", "gap": "Outcome minus target",
    "met": "Target met", "met_strict": "Target met (strict)", "parent_target": "Parent's target",
    "amplification": "Target minus parent's target", "rank": "Rank", "area": "Policy area",
    "share": "Share", "count": "Count", "term": "Term", "n": "Count",
    "definition": "Statistical definition", "period_start": "First year of period",
    "period_end": "Last year of period", "parent_qualifier": "Parent's target qualifier",
    "amplification_strength": "Firmer wording than parent (qualifier strength)",
    "since": "First year of the area's vocabulary", "before_since": "Report predates the area",
}
COLUMN_LABELS_EN["amplification"] = "More ambitious than parent (signed by direction)"
COLUMN_LABELS_ZH["amplification"] = "加码幅度（按方向，正为加码）"
# a record's own URL and which record or row of the file a report came from (govreport.records)
COLUMN_LABELS_EN.update(url="URL given with the record", record="Record or row in the file")
COLUMN_LABELS_ZH.update(url="网址", record="文件内记录")

#: Value labels of true/false columns in Stata (0/1 bytes).
_BOOL_LABELS = {"zh": {0: "否", 1: "是"}, "en": {0: "no", 1: "yes"}}
#: Columns holding division codes (text, never numbers) and ISO dates.
_CODE_COLUMNS = {"adcode", "code", "parent_code"}
_DATE_COLUMNS = {"date"}

_STATA_STR_MAX = 2045  # bytes in a Stata 118 str# column; longer strings go to strL
_XLSX_CELL_MAX = 32767
_STATA_RESERVED = {
    "aggregate", "array", "boolean", "break", "byte", "case", "catch", "class", "colvector",
    "complex", "const", "continue", "default", "delegate", "delete", "do", "double", "else",
    "eltypedef", "end", "enum", "explicit", "export", "external", "float", "for", "friend",
    "function", "global", "goto", "if", "inline", "int", "local", "long", "mata", "matrix",
    "namespace", "new", "numeric", "NULL", "operator", "orgtype", "pointer", "polymorphic",
    "pragma", "private", "protected", "public", "quad", "real", "return", "rowvector", "scalar",
    "short", "signed", "static", "strL", "string", "struct", "super", "switch", "template", "this",
    "throw", "transmorphic", "try", "typedef", "typename", "union", "unsigned", "using",
    "vector", "version", "virtual", "void", "volatile", "while", "in", "with", "_all", "_b",
    "_coef", "_cons", "_n", "_N", "_pi", "_pred", "_rc", "_se", "_skip",
}
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    labels: str | None = None,
    labels_zh: bool = False,
) -> Path | list[Path]:
    """Write a table, or a dict of named tables, to ``path`` in the format of its extension.

    Parameters
    ----------
    data : a DataFrame, or a dict ``{name: DataFrame}`` (one sheet or file per table).
    path : ``.csv`` (UTF-8 with BOM), ``.xlsx``, ``.dta`` (Stata 118) or ``.parquet``.
    labels : ``"zh"`` or ``"en"``: column labels in that language — ``.csv`` and ``.xlsx``
        columns are renamed to them; ``.dta`` keeps ASCII variable names and uses them as
        variable and value labels (default: English variable labels, names unchanged).
    labels_zh : the same as ``labels="zh"`` (kept for older code).

    Types that survive the round trip: ``adcode`` is written as text (an Excel text cell,
    a Stata string), ``date`` as a date (an Excel date, Stata ``%td``), true/false columns
    (``met``, ``estimate`` …) as Stata bytes 0/1 with value labels (no/yes, 否/是), missing
    as ``.``. Stata names must be ASCII and not reserved: renamed columns (``end`` → ``_end``,
    ``汉字列`` → ``var``) raise a ``UserWarning`` listing them, and each renamed variable's label
    names the original column.

    Returns the path written; for a dict written to ``.csv``, ``.dta`` or ``.parquet`` (one
    file per table, ``<stem>_<table><ext>``), the list of paths. Parent directories are created.

    Example: ``govreport.export({"reports": corpus.reports, "panel": p}, "out/govreport.xlsx")``.
    """
    if labels_zh and labels is None:
        labels = "zh"
    if labels not in (None, "zh", "en"):
        raise ValueError(f"labels must be 'zh', 'en' or None, not {labels!r}")
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"export() writes {', '.join(FORMATS)}; got {p.suffix or 'no extension'!r}")
    if isinstance(data, pd.DataFrame):
        tables: dict[str, pd.DataFrame] = {p.stem: data}
        single = True
    elif isinstance(data, Mapping):
        if not data:
            raise ValueError("export() got an empty dict of tables")
        tables = {str(k): v for k, v in data.items()}
        for k, v in tables.items():
            if not isinstance(v, pd.DataFrame):
                raise TypeError(f"table {k!r} is a {type(v).__name__}, not a DataFrame")
        single = False
    else:
        raise TypeError(f"export() takes a DataFrame or a dict of them, not {type(data).__name__}")
    p.parent.mkdir(parents=True, exist_ok=True)

    tables = {k: _typed(v) for k, v in tables.items()}
    if ext == ".xlsx":
        atomic_write(p, lambda tmp: _write_xlsx(tables, tmp, labels))
        return p
    writer = {".csv": _write_csv, ".dta": _write_dta, ".parquet": _write_parquet}[ext]
    if single:
        df = next(iter(tables.values()))
        atomic_write(p, lambda tmp: writer(df, tmp, labels, p.name))
        return p
    out = []
    for name, df in tables.items():
        target = p.with_name(f"{p.stem}_{_safe_name(name)}{ext}")
        atomic_write(target, lambda tmp, df=df, target=target: writer(df, tmp, labels, target.name))
        out.append(target)
    return out


def _safe_name(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("_") or "table"


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Division codes as text (``370200``, never ``370200.0``) and ISO date strings as dates."""
    out = df
    for c in df.columns:
        s = df[c]
        if str(c) in _CODE_COLUMNS and not pd.api.types.is_datetime64_any_dtype(s.dtype):
            out = out.copy() if out is df else out
            out[c] = s.map(_code_text).astype(object)
        elif str(c) in _DATE_COLUMNS and not pd.api.types.is_datetime64_any_dtype(s.dtype):
            text = s.astype("string").str.strip()
            given = text.notna() & text.ne("")
            d = pd.to_datetime(text.where(given), errors="coerce", format="ISO8601")
            if given.any() and d[given].notna().all():  # every stated date parses: a date column
                out = out.copy() if out is df else out
                out[c] = d.dt.normalize()
    return out


def _code_text(v: object) -> str:
    if _isna(v) or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip().removesuffix(".0")


def _rename(df: pd.DataFrame, labels: str | None) -> pd.DataFrame:
    if labels == "zh":
        return _zh(df)
    if labels == "en":
        return _zh(df, COLUMN_LABELS_EN)
    return df


def _zh(df: pd.DataFrame, table: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Columns renamed to their labels, Chinese by default (unknown columns keep their names)."""
    table = COLUMN_LABELS_ZH if table is None else table
    names = [table.get(str(c), str(c)) for c in df.columns]
    seen: dict[str, int] = {}
    unique = []
    for n in names:  # two columns never share a label
        seen[n] = seen.get(n, 0) + 1
        unique.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return df.set_axis(unique, axis=1)


# --------------------------------------------------------------------------- writers


def _write_csv(df: pd.DataFrame, path: str, labels: str | None, name: str = "") -> None:
    out = _rename(df, labels)
    out.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")


def _write_parquet(df: pd.DataFrame, path: str, labels: str | None, name: str = "") -> None:
    out = df.copy()
    # pyarrow needs one type per column; mixed object columns become strings
    for c in out.columns:
        if out[c].dtype == object:
            kinds = {type(v) for v in out[c] if v is not None and not _isna(v)}
            if len(kinds) > 1:
                out[c] = out[c].map(lambda v: None if _isna(v) else str(v))
    out.columns = [str(c) for c in out.columns]
    out.to_parquet(path, index=False)


def _isna(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _sheet_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        s = re.sub(r"[\[\]:*?/\\]", "_", n).strip("'")[:31] or "Sheet"
        base, i = s, 2
        while s.lower() in {o.lower() for o in out}:
            suffix = f"_{i}"
            s = base[: 31 - len(suffix)] + suffix
            i += 1
        out.append(s)
    return out


def _xlsx_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[c] = s.dt.tz_localize(None)
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            def clean(v: object, c: object = c) -> object:
                if isinstance(v, str):
                    v = _ILLEGAL_XLSX.sub("", v)
                    if len(v) > _XLSX_CELL_MAX:
                        warnings.warn(f"column {c!r}: a text longer than Excel's 32,767 "
                                      "characters was cut", stacklevel=4)
                        v = v[:_XLSX_CELL_MAX]
                    return v
                if isinstance(v, list | tuple | set | dict):
                    return str(v)
                return v
            out[c] = s.astype(object).map(clean)
        elif isinstance(s.dtype, pd.BooleanDtype | pd.Int64Dtype | pd.Float64Dtype) or str(s.dtype) in (
                "Int8", "Int16", "Int32", "UInt8", "UInt16", "UInt32", "UInt64", "Float32"):
            out[c] = s.astype(object).where(s.notna(), None)
    return out


def _write_xlsx(tables: dict[str, pd.DataFrame], path: str, labels: str | None) -> None:
    from openpyxl.utils import get_column_letter

    names = _sheet_names(list(tables))
    with pd.ExcelWriter(path, engine="openpyxl", date_format="yyyy-mm-dd",
                        datetime_format="yyyy-mm-dd") as xw:
        for sheet, df in zip(names, tables.values(), strict=True):
            out = _rename(_xlsx_frame(df), labels)
            out.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):
                if str(col) in _CODE_COLUMNS:  # text cells: Excel never turns codes into numbers
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = "@"
            for i, col in enumerate(out.columns, start=1):
                sample = [str(col), *(str(v) for v in out[col].head(200) if v is not None)]
                width = max(_display_width(s) for s in sample)
                ws.column_dimensions[get_column_letter(i)].width = min(max(8, width + 2), 60)


def _display_width(s: str) -> int:
    """Rough width in Excel character units: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


# --------------------------------------------------------------------------- Stata


def _stata_name(name: str, used: set[str]) -> str:
    """A valid Stata variable name: letters, digits, _; not starting with a digit; ≤ 32 chars."""
    s = re.sub(r"\W", "_", str(name), flags=re.ASCII).strip("_") or "var"
    if s[0].isdigit() or s in _STATA_RESERVED:
        s = "_" + s
    s = s[:32]
    base, i = s, 2
    while s.lower() in used:
        suffix = f"_{i}"
        s = base[: 32 - len(suffix)] + suffix
        i += 1
    used.add(s.lower())
    return s


def _label(text: str) -> str:
    """A Stata variable label: at most 80 characters."""
    return text if len(text) <= 80 else text[:79] + "…"


def _stata_frame(df: pd.DataFrame, labels_zh: bool) -> tuple[pd.DataFrame, dict[str, str], list[str], dict[str, str]]:
    """A frame Stata accepts, with variable labels, strL columns and date conversions.

    ``out.attrs["renamed"]`` lists ``(column, variable)`` pairs whose names had to change;
    ``out.attrs["value_labels"]`` the value labels of true/false columns.
    """
    out = pd.DataFrame(index=range(len(df)))
    renamed: list[tuple[str, str]] = []
    value_labels: dict[str, dict[int, str]] = {}
    labels: dict[str, str] = {}
    strl: list[str] = []
    dates: dict[str, str] = {}
    used: set[str] = set()
    for col in df.columns:
        s = df[col].reset_index(drop=True)
        name = _stata_name(col, used)
        if name != str(col):
            renamed.append((str(col), name))
            desc = COLUMN_LABELS_ZH.get(str(col)) if labels_zh else COLUMN_LABELS_EN.get(str(col))
            labels[name] = _label(f"{desc} (column {col})" if desc else f"column {col}")
        else:
            desc = (COLUMN_LABELS_ZH if labels_zh else COLUMN_LABELS_EN).get(str(col))
            if desc:
                labels[name] = _label(desc)
        dt = s.dtype
        if pd.api.types.is_bool_dtype(dt) or isinstance(dt, pd.BooleanDtype):
            # byte 1/0 with value labels; missing → Stata missing (.)
            out[name] = s.astype("boolean").astype("Int8")
            value_labels[name] = _BOOL_LABELS["zh" if labels_zh else "en"]
        elif isinstance(dt, pd.CategoricalDtype):
            out[name] = s.astype(object).map(lambda v: "" if _isna(v) else str(v))
        elif pd.api.types.is_datetime64_any_dtype(dt):
            if isinstance(dt, pd.DatetimeTZDtype):
                s = s.dt.tz_localize(None)
            out[name] = s.astype("datetime64[ns]")
            midnight = s.dropna().dt.normalize().eq(s.dropna()).all()
            dates[name] = "td" if midnight else "tc"
        elif pd.api.types.is_timedelta64_dtype(dt):
            out[name] = s.dt.total_seconds()
        elif pd.api.types.is_integer_dtype(dt) and pd.api.types.is_extension_array_dtype(dt):
            if s.isna().any():
                out[name] = s.astype("Float64").astype(float)
            else:
                vals = s.astype(np.int64)
                out[name] = vals.astype(np.int32) if vals.abs().max() < 2**31 - 1000 else vals.astype(float)
        elif pd.api.types.is_integer_dtype(dt):
            vals = s.astype(np.int64)
            # Stata has no 64-bit integers: int32 when it fits, else double
            fits = len(vals) == 0 or vals.abs().max() < 2_147_483_620
            out[name] = vals.astype(np.int32) if fits else vals.astype(float)
        elif pd.api.types.is_float_dtype(dt):
            out[name] = s.astype("Float64").astype(float) if pd.api.types.is_extension_array_dtype(dt) \
                else s.astype(float)
        else:  # object, string, mixed: text, missing as ""
            text = s.astype(object).map(lambda v: "" if _isna(v) else str(v))
            out[name] = text
            if len(text) and text.map(lambda v: len(v.encode("utf-8"))).max() > _STATA_STR_MAX:
                strl.append(name)
    out.attrs["renamed"] = renamed
    out.attrs["value_labels"] = value_labels
    return out, labels, strl, dates


def _write_dta(df: pd.DataFrame, path: str, labels: str | None, name: str = "") -> None:
    if df.shape[1] == 0:
        raise ValueError(f"{name or Path(path).name}: the table has no columns; Stata (.dta) needs at least one "
                         "variable (an empty table can go to .csv, .xlsx or .parquet)")
    out, var_labels, strl, dates = _stata_frame(df, labels == "zh")
    renamed = out.attrs.get("renamed", [])
    data_label = "govreport export"
    if renamed:
        listed = ", ".join(f"{c} -> {n}" for c, n in renamed)
        warnings.warn(f"{name or Path(path).name}: Stata names must be ASCII and not reserved; renamed {listed} "
                      "(each variable label names the original column)", UserWarning, stacklevel=4)
        data_label = _label(f"govreport export; renamed: {listed}")
    out.to_stata(
        path, write_index=False, version=118, variable_labels=var_labels, convert_strl=strl,
        convert_dates=dates or None, data_label=data_label,
        value_labels=out.attrs.get("value_labels") or None,
    )
