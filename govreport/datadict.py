"""The data dictionary: every column of every table, its dtype, meaning and labels.

The packaged table is ``govreport/data/columns.csv`` (the README's column table is generated
from it by ``scripts/columns_table.py``).
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = ["columns", "markdown_table"]


@lru_cache(maxsize=1)
def _packaged() -> pd.DataFrame:
    text = resources.files("govreport").joinpath("data/columns.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)


def columns(table: str | None = None) -> pd.DataFrame:
    """The data dictionary: one row per table and column.

    Parameters
    ----------
    table : one table's rows only (``"reports"``, ``"sections"``, ``"indicators"``, ``"panel"``,
        ``"attention"``, ``"errors"``, ``"tokens"``, ``"kwic"``); None for all.

    Columns: ``table, column, dtype`` (pandas dtype: ``string``, ``int64``, ``Int64`` nullable
    integer, ``float64``, ``bool``, ``boolean`` nullable), ``meaning``, ``label_zh``, ``label_en``.
    An unknown table raises ``ValueError``.

    >>> d = columns("panel")
    >>> d.set_index("column").loc["met", ["dtype", "label_en"]].tolist()
    ['boolean', 'Target met']
    """
    df = _packaged().copy()
    if table is None:
        return df
    if table not in set(df["table"]):
        raise ValueError(f"no table {table!r}; the tables are {', '.join(dict.fromkeys(df['table']))}")
    return df[df["table"] == table].reset_index(drop=True)


def markdown_table(table: str) -> str:
    """One table's columns as a Markdown table (for the README).

    >>> print(markdown_table("errors").splitlines()[2])
    | `source` | string | File (or path) that failed |
    """
    d = columns(table)
    lines = ["| column | dtype | meaning |", "|---|---|---|"]
    lines += [f"| `{c}` | {t} | {m} |" for c, t, m in d[["column", "dtype", "meaning"]].itertuples(index=False)]
    return "\n".join(lines)
