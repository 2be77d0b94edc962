"""The build's panel in groups of regions, so its memory is bounded by a group, not the corpus.

:func:`govreport.panel.panel` holds every target and outcome of a corpus at once (1.7 GB for a
million indicator rows). :func:`grouped_panel` gives the same table from the stored indicators,
read once and split into groups of about :data:`GROUP_ROWS` rows in a temporary folder:

- a region key (``_rkey``) is an adcode, or (region, parent, province) when there is none, and a
  report without an adcode takes the one of its (region, parent, province) elsewhere. Reports
  that share either are one unit and units are never split, so all rows of a region key — its
  targets, outcomes and display columns — are in one group. Indicator rows without a report
  go with the reports that have no region (as :func:`~govreport.panel.panel` merges them);
- parent links are found from every group's regions together (a region of unknown province
  may name a parent anywhere); a parent's targets are read from the group holding it;
- each group's rows are sorted as the panel is; the panel's order begins with level, province,
  parent, region and region key, so the groups' rows of one (level, province) are put together
  by a stable sort on (parent, region, region key): rows of one key stay as they were, and rows
  of two groups never tie. Groups are filled in (province, parent, region) order, so their rows
  usually follow one another already (checked on each group's first and last rows): they are
  then given one group at a time, and a one-province corpus never holds more than a group.

A region key found in two groups raises :class:`CannotGroup` (the caller then computes the
panel of everything at once).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from .panel import (
    LOWER_IS_BETTER,
    PANEL_COLUMNS,
    PANEL_ORDER,
    REGION_COLUMNS,
    _add_parent_targets,
    _clean_str,
    _empty,
    _finish,
    _group_codes,
    _norm_adcode,
    _pairs,
    _parent_links,
    _parent_rows,
    _per_distinct,
    _regions,
)

__all__ = ["GROUP_ROWS", "CannotGroup", "GroupedPanel", "group_size", "grouped_panel", "region_groups"]

#: Indicator rows per group (a unit of reports larger than this is a group of its own).
GROUP_ROWS = 100_000
#: With several processes, groups are made smaller, down to this many rows (see group_size).
MIN_PARALLEL_ROWS = 20_000
#: The column added to each spilled indicator row: its position in the whole table.
ROW = "_row"
#: Batches of ``(source, part)`` columns: ``batches(columns)`` gives the indicators' record batches.
Batches = Callable[[list[str]], Iterable[Any]]


class CannotGroup(Exception):
    """The groups would not give the panel of everything (the caller computes that instead)."""


def _unique_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """The first row of each (source, part), ``part`` 0 where the reports have none (as panel merges)."""
    return (reports if "part" in reports else reports.assign(part=0)).drop_duplicates(["source", "part"])


def _report_keys(reports: pd.DataFrame) -> pd.DataFrame:
    """``source`` and ``part`` (an int) of each report as the panel merges them: the first row of each."""
    if not set(REGION_COLUMNS) <= set(reports.columns):
        raise CannotGroup("the reports do not give every region column")
    rep = _unique_reports(reports)
    keys = pd.DataFrame({"source": rep["source"].to_numpy(),
                         "part": pd.to_numeric(rep["part"], errors="coerce").fillna(0).astype(int).to_numpy()})
    if keys.duplicated().any():
        raise CannotGroup("two reports share a source and part")
    return keys


def _units(rep: pd.DataFrame) -> np.ndarray:
    """A unit number per report: reports sharing an adcode or a (region, parent, province) are one."""
    names = _group_codes(*(_clean_str(rep[c]) for c in ("region", "parent", "province")))
    adcode = _per_distinct(_norm_adcode, rep["adcode"])
    codes = pd.factorize(pd.Series(adcode))[0] + names.max() + 1 if len(rep) else np.array([], int)
    root = list(range(int(codes.max()) + 1 if len(rep) else 0))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for name, code, has in zip(names.tolist(), codes.tolist(), (adcode != "").tolist(), strict=True):
        if has:
            root[find(code)] = find(name)
    return np.array([find(n) for n in names.tolist()], dtype=np.int64)


def region_groups(reports: pd.DataFrame, rows: pd.DataFrame, group_rows: int = GROUP_ROWS
                  ) -> tuple[pd.DataFrame, int]:
    """``source``, ``part`` and ``group`` of every report; and the group of rows without a report.

    ``rows``: ``source``, ``part`` and ``rows`` (indicator rows of each report). Units of reports
    (:func:`_units`) are taken in (province, parent, region) order and put in groups of about
    ``group_rows`` indicator rows.
    """
    keys = _report_keys(reports)
    rep = _unique_reports(reports)
    unit = _units(rep)
    blank = (_clean_str(rep["region"]) == "") & (_clean_str(rep["parent"]) == "") & (_clean_str(rep["province"]) == "")
    counts = keys.merge(rows, on=["source", "part"], how="left")["rows"].fillna(0).to_numpy(np.int64)
    orphans = int(rows["rows"].sum()) - int(counts.sum())  # rows whose report is not in the reports table
    units = pd.DataFrame({"unit": unit, "rows": counts, "province": _clean_str(rep["province"]).to_numpy(object),
                          "parent": _clean_str(rep["parent"]).to_numpy(object),
                          "region": _clean_str(rep["region"]).to_numpy(object)})
    blank_unit = int(unit[blank.to_numpy()][0]) if blank.any() else -1
    sizes = units.groupby("unit")["rows"].sum()
    if blank_unit >= 0:
        sizes[blank_unit] += orphans
    first = units.drop_duplicates("unit").sort_values(["province", "parent", "region", "unit"], kind="stable")
    group_of: dict[int, int] = {}
    group, filled = 0, 0
    for u in first["unit"].tolist():
        if filled and filled + sizes[u] > group_rows:
            group, filled = group + 1, 0
        group_of[u] = group
        filled += int(sizes[u])
    orphan_group = group_of[blank_unit] if blank_unit >= 0 else group + 1
    keys["group"] = np.array([group_of[u] for u in unit.tolist()], dtype=np.int64)
    return keys, orphan_group


def _rows_per_report(batches: Batches) -> pd.DataFrame:
    """``source``, ``part`` and ``rows``: indicator rows per (source, part)."""
    counts = [_source_part(batch).value_counts(sort=False, dropna=False).rename("rows").reset_index()
              for batch in batches(["source", "part"])]
    if not counts:
        return pd.DataFrame({"source": pd.Series(dtype=object), "part": pd.Series(dtype=int),
                             "rows": pd.Series(dtype=int)})
    return pd.concat(counts).groupby(["source", "part"], sort=False, dropna=False, as_index=False)["rows"].sum()


def _source_part(batch: Any) -> pd.DataFrame:
    """``source`` and ``part`` (an int, as the panel merges them) of a record batch's rows."""
    names = batch.schema.names
    source = batch.column(names.index("source")).to_pandas()
    if "part" in names:
        part = pd.to_numeric(batch.column(names.index("part")).to_pandas(), errors="coerce").fillna(0).astype(int)
    else:
        part = pd.Series(0, index=source.index)
    return pd.DataFrame({"source": source, "part": part.to_numpy()})


def _spill_inputs(batches: Iterable[Any], keys: pd.DataFrame, orphans: int, folder: str) -> dict[int, str]:
    """Write each group's indicator rows (with :data:`ROW`) to an Arrow file; ``{group: path}``."""
    import pyarrow as pa

    writers: dict[int, Any] = {}
    paths: dict[int, str] = {}
    schema = None
    offset = 0
    try:
        for batch in batches:
            if schema is None:
                schema = batch.schema.append(pa.field(ROW, pa.int64()))
            elif not batch.schema.equals(schema.remove(schema.get_field_index(ROW)), check_metadata=False):
                raise CannotGroup("the indicators' parts have different columns")
            group = _source_part(batch).merge(keys, on=["source", "part"], how="left")["group"]
            group = group.fillna(orphans).to_numpy(np.int64)
            rows = pa.array(np.arange(offset, offset + batch.num_rows, dtype=np.int64))
            offset += batch.num_rows
            by_group = np.argsort(group, kind="stable")  # one take, then a slice per group
            full = pa.RecordBatch.from_arrays([*batch.columns, rows], schema=schema).take(pa.array(by_group))
            group = group[by_group]
            starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.array([], int)
            for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(group)], strict=True):
                g = int(group[start])
                if g not in writers:
                    paths[g] = os.path.join(folder, f"rows-{g}.arrow")
                    options = pa.ipc.IpcWriteOptions(compression="lz4")
                    writers[g] = pa.ipc.new_file(paths[g], schema, options=options)
                writers[g].write_batch(full.slice(start, end - start))
    finally:
        for w in writers.values():
            w.close()
    return paths


def _read_inputs(path: str) -> pd.DataFrame:
    import pyarrow as pa

    with pa.memory_map(path) as source:
        table = pa.ipc.open_file(source).read_all()
    return table.to_pandas()


def _dump(obj: Any, path: str) -> str:
    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _load(path: str) -> Any:
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own temporary file


#: The columns ordering the pieces of one (level, province) (the panel's order after those two).
_PIECE_ORDER = PANEL_ORDER[2:5]  # parent, region, region key


def _ends_path(path: str) -> str:
    """Where a piece's first and last rows' :data:`_PIECE_ORDER` columns are kept."""
    return path + ".ends"


def _in_order(paths: list[str]) -> bool:
    """Are the pieces, one after the other, already in the panel's order? Each piece is sorted;
    so is their concatenation when their first and last rows are (two groups never share a
    region key, so rows of two pieces never tie). Then the stable sort of all of them at once
    would give them as they are, and they are given one at a time."""
    ends = pd.concat([_load(_ends_path(p)) for p in paths], ignore_index=True)
    return bool(ends.sort_values(_PIECE_ORDER, kind="stable").index.equals(ends.index))


class GroupedPanel:
    """The panel's rows, in order, as pieces read from a temporary folder (removed by :meth:`close`)."""

    def __init__(self, folder: str, pieces: list[list[str]]) -> None:
        self.folder, self.pieces = folder, pieces

    def __iter__(self) -> Iterator[pd.DataFrame]:
        if not self.pieces:
            yield _empty()
        for paths in self.pieces:  # the groups' rows of one (level, province)
            if len(paths) == 1 or _in_order(paths):  # one piece at a time (a one-province corpus)
                for path in paths:
                    yield _load(path).drop(columns="_rkey")
                continue
            parts = [_load(p) for p in paths]
            rows = pd.concat(parts, ignore_index=True)
            del parts
            rows = rows.sort_values(PANEL_ORDER[2:5], kind="stable")  # parent, region, region key
            yield rows.drop(columns="_rkey").reset_index(drop=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> GroupedPanel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def grouped_panel(
    reports: pd.DataFrame,
    batches: Batches,
    columns: list[str],
    *,
    folder: str | None = None,
    group_rows: int | None = None,
    tolerance: float = 0.5,
    lower_is_better: Iterable[str] = LOWER_IS_BETTER,
    jobs: int = 1,
) -> GroupedPanel:
    """:func:`govreport.panel.panel` of ``(reports, indicators)``, computed in groups of regions.

    ``batches(columns)`` gives those columns of the indicators as pyarrow record batches, in
    table order; ``columns`` are the ones :func:`~govreport.panel.panel` reads. Every group is
    computed before this returns; the result is iterated for the panel's rows in pieces
    (``pd.concat`` of them is the panel) and closed to remove its temporary folder (made in
    ``folder``); groups hold about ``group_rows`` indicator rows (:data:`GROUP_ROWS`). Raises
    :class:`CannotGroup` when groups would not give the same table.

    ``jobs > 1``: the groups are computed in up to ``jobs`` forked processes at once (each holds
    one group at a time), and without ``group_rows`` a corpus gets at least ``jobs`` groups
    (:func:`group_size`). The table is the same for any ``jobs`` and group size.
    """
    work = tempfile.mkdtemp(prefix="panel-", dir=folder)
    try:
        per_report = _rows_per_report(batches)
        size = group_rows or group_size(int(per_report["rows"].sum()), jobs)
        keys, orphans = region_groups(reports, per_report, size)
        inputs = _spill_inputs(batches(columns), keys, orphans, work)
        pieces = _compute(reports, keys, inputs, work, tolerance, tuple(lower_is_better), jobs)
        return GroupedPanel(work, pieces)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def group_size(rows: int, jobs: int = 1) -> int:
    """Indicator rows per group for ``rows`` in all: :data:`GROUP_ROWS`, or less so that ``jobs``
    processes each get a group (never below :data:`MIN_PARALLEL_ROWS`: smaller groups cost
    more to start than they save).

    >>> group_size(260_000, 1), group_size(260_000, 2), group_size(30_000, 2), group_size(10**7, 8)
    (100000, 65000, 100000, 96154)
    """
    if jobs <= 1 or rows < 2 * MIN_PARALLEL_ROWS:
        return GROUP_ROWS
    n = -(-rows // GROUP_ROWS)  # groups of at most GROUP_ROWS rows ...
    n = -(-n // jobs) * jobs  # ... as a multiple of the processes
    return max(MIN_PARALLEL_ROWS, -(-rows // n))


def _map(fn: Callable[..., Any], args: list[tuple], jobs: int) -> list[Any]:
    """``[fn(*a) for a in args]``, in up to ``jobs`` forked processes when there are several."""
    import multiprocessing as mp

    if jobs <= 1 or len(args) <= 1 or "fork" not in mp.get_all_start_methods():
        return [fn(*a) for a in args]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=mp.get_context("fork")) as pool:
        return [f.result() for f in [pool.submit(fn, *a) for a in args]]


def _group_pairs(g: int, rep: pd.DataFrame, path: str, work: str, tolerance: float, lower: tuple[str, ...]
                 ) -> tuple[pd.DataFrame, str] | None:
    """One group's target/outcome pairs (in a file) and its regions; None when it has none."""
    rows = _read_inputs(path)
    order = rows.pop(ROW).to_numpy()
    df = _pairs(rep, rows, tolerance, lower, order)
    del rows
    if df is None:
        return None
    return _regions(df), _dump(df, os.path.join(work, f"pairs-{g}.pkl"))


def _group_pieces(g: int, pairs: dict[int, str], parent_of: dict[str, str], home: dict[str, int], work: str
                  ) -> list[tuple[tuple[float, str], str]]:
    """One group's panel rows with their parents' targets, in pieces by (level, province)."""
    df = _load(pairs[g])
    wanted = {parent_of[k] for k in df["_rkey"].unique().tolist() if k in parent_of}
    parent_rows = [_parent_rows(df)]
    for h in sorted({home[k] for k in wanted} - {g}):
        other = _load(pairs[h])
        parent_rows.append(_parent_rows(other[other["_rkey"].isin(wanted)]))
        del other
    _add_parent_targets(df, parent_of, pd.concat(parent_rows) if len(parent_rows) > 1 else parent_rows[0])
    out = _finish(df, keep=["_lv", "_rkey"])
    del df
    pieces = []
    for i, ((lv, province), piece) in enumerate(out.groupby(["_lv", "province"], sort=False, dropna=False)):
        if not isinstance(province, str):
            raise CannotGroup(f"a province that is not a string: {province!r}")
        path = _dump(piece[[*PANEL_COLUMNS, "_rkey"]], os.path.join(work, f"piece-{g}-{i}.pkl"))
        _dump(piece[_PIECE_ORDER].iloc[[0, -1]], _ends_path(path))
        pieces.append(((float(lv), province), path))
    return pieces


def _compute(reports: pd.DataFrame, keys: pd.DataFrame, inputs: dict[int, str], work: str, tolerance: float,
             lower: tuple[str, ...], jobs: int = 1) -> list[list[str]]:
    """Each (level, province)'s pieces' files, in the panel's order (groups in ``jobs`` processes)."""
    rep = _unique_reports(reports)
    group_of_report = keys["group"].to_numpy()

    # 1. each group's target/outcome pairs; its region keys must be its own
    groups = sorted(inputs)
    found = _map(_group_pairs, [(g, rep[group_of_report == g], inputs[g], work, tolerance, lower)
                                for g in groups], jobs)
    pairs: dict[int, str] = {}
    regions: list[pd.DataFrame] = []
    home: dict[str, int] = {}
    for g, result in zip(groups, found, strict=True):
        if result is None:
            continue
        reg, pairs[g] = result
        for rkey in reg["_rkey"].tolist():
            if home.setdefault(rkey, g) != g:
                raise CannotGroup(f"region {rkey} is in two groups")
        regions.append(reg)
    if not pairs:
        return []

    # 2. parent links across every region
    parent_of = _parent_links(pd.concat(regions, ignore_index=True))

    # 3. parent targets, the final columns and order; pieces cut by (level, province)
    pieces: dict[tuple[float, str], list[str]] = {}
    for group_pieces in _map(_group_pieces, [(g, pairs, parent_of, home, work) for g in pairs], jobs):
        for key, path in group_pieces:
            pieces.setdefault(key, []).append(path)
    for path in pairs.values():
        os.remove(path)
    return [pieces[k] for k in sorted(pieces)]
