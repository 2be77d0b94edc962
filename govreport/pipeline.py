"""What happens to one report file — stage 1 of a build, a pure function of one file.

read → normalise → split → metadata → sections → indicators → tokens → attention counts →
sector scores → token summary, all in one process (a build's worker, or a Dask worker),
tokenising once. :func:`process` returns small tables (rows and counts), never documents or
token tables; stage 2 (:mod:`govreport.build`) streams them to disk and runs the steps across
reports (panel, charts) on the tables it wrote.

>>> from pathlib import Path
>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "x.txt"
>>> _ = p.write_text("政府工作报告\\n各位代表：\\n今年全县地区生产总值增长6%左右。", encoding="utf-8")
>>> res = process(str(p))
>>> sorted(res.tables) == sorted(TABLES), len(res.tables["reports"]), res.n_reports
(True, 1, 1)
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from . import formats  # noqa: F401  (registers the HTML, PDF and Word readers)
from .corpus import Corpus, Document
from .guard import TIME_LIMIT, FileTimeout, time_budget
from .metadata import extract_metadata
from .normalize import MappedText, normalize
from .read import MAX_BYTES, RawText, ReadError, _check_size, describe_path, read_data, read_file
from .records import record_meta
from .script import simplify, to_simplified
from .sections import find_sections
from .split import split_reports

#: Tables of one file, in the order a build writes them.
TABLES = ("reports", "sections", "indicators", "attention", "sectors", "sector_shares",
          "tokens_summary", "errors")


def error_row(source: str, stage: str, message: str, part: int | None = None) -> dict:
    return {"source": source, "part": part, "stage": stage, "message": message}


def is_url(path: str) -> bool:
    """True for an fsspec URL (``memory://x``, ``s3://bucket/x``); local paths and file:// are not."""
    return "://" in path and not path.startswith("file://")


def _read_texts(path: str, max_bytes: int) -> list[RawText]:
    if not is_url(path):
        return read_file(Path(path.removeprefix("file://")), max_bytes=max_bytes)
    import fsspec

    fs, inner = fsspec.core.url_to_fs(path)
    try:
        size = fs.size(inner)
    except FileNotFoundError:
        raise ReadError("no such file") from None
    if size is not None:
        _check_size(size, max_bytes)
    with fs.open(inner, "rb") as fh:
        data = fh.read()
    return read_data(PurePosixPath(inner), data, max_bytes)


def read_documents(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES,
                   known: Mapping[int, dict] | None = None) -> tuple[list[Document], list[dict]]:
    """One file into documents (read → normalise → split → metadata → sections).

    ``known``: each part's metadata as a build found it (a ``reports`` row by part number);
    when given, metadata is not extracted again (reading a report back for its evidence page).
    Every failure becomes an error row naming the file, never an exception.
    """
    path = os.fspath(path)
    source = PurePosixPath(path.replace("\\", "/")).name
    try:
        texts = _read_texts(path, max_bytes)
    except ReadError as err:
        return [], [error_row(source, "read", f"{path}: {err}")]
    except Exception as err:  # noqa: BLE001 - one bad file never stops a batch
        return [], [error_row(source, "read", f"{path}: unexpected {type(err).__name__}: {err}")]
    return documents_from_texts(texts, source, path, known)


def documents_from_texts(texts: list[RawText], source: str, path: str,
                         known: Mapping[int, dict] | None = None) -> tuple[list[Document], list[dict]]:
    """Texts of one file (or the rows of a DataFrame, see :mod:`govreport.records`) into documents.

    ``known``: as in :func:`read_documents`.
    """
    errors: list[dict] = []
    docs: list[Document] = []
    for raw in texts:
        for w in raw.warnings:
            errors.append(error_row(source, "read", f"{path}: warning: {w}"))
        where = f"{path} ({raw.record})" if raw.record else path
        if raw.error:  # a record that yields nothing (JSON, DataFrames): the rest is still read
            errors.append(error_row(source, "read", f"{where}: {raw.error}"))
            continue
        try:
            # traditional → simplified, same length: offsets still map to the original raw.text
            simplified, raw.script = simplify(raw.text)
            raw.title = to_simplified(raw.title) if raw.script == "traditional" else raw.title
            mt = normalize(simplified)
            parts = split_reports(mt.text)
        except Exception as err:  # noqa: BLE001
            errors.append(error_row(source, "normalize", f"{path}: {type(err).__name__}: {err}"))
            continue
        if not parts:
            errors.append(error_row(source, "split", f"{where}: not a government work report (no title, 各位代表 opening or review/plan passages found)"))
            continue
        for p in parts:
            part_no = len(docs)
            sub: MappedText = mt.slice(p.start, p.end)
            if known is not None:
                meta = dict(known.get(part_no, {}))
            else:
                try:
                    meta = extract_metadata(sub.text, title=p.title or raw.title).as_dict()
                except Exception as err:  # noqa: BLE001
                    errors.append(error_row(source, "metadata", f"{path}: {type(err).__name__}: {err}", part_no))
                    meta = {}
            meta.update(
                encoding=raw.encoding, format=raw.format, script=getattr(raw, "script", "simplified"),
                n_chars=len(sub.text), sha256=hashlib.sha256(sub.text.encode()).hexdigest(),
                path=path if is_url(path) else describe_path(path),  # a symbolic link names its target
            )
            for note in record_meta(meta, raw):  # a record's own fields: url, hints
                errors.append(error_row(source, "metadata", f"{where}: warning: {note}", part_no))
            # offsets index doc.raw (the row's text for CSV); raw_offset places it in the file
            doc = Document(source, part_no, sub.text, raw.text, sub.offsets, meta, raw_offset=raw.offset)
            try:
                doc.sections = find_sections(sub.text, meta.get("plan_year"))
            except Exception as err:  # noqa: BLE001
                errors.append(error_row(source, "sections", f"{path}: {type(err).__name__}: {err}", part_no))
            docs.append(doc)
    return docs, errors


def report_tables(corpus: Corpus, *, measures: bool = True, strict: bool = False) -> dict[str, pd.DataFrame]:
    """The tables of the reports in ``corpus`` (one file's, or a batch's).

    A failing step is recorded in ``errors`` and never stops the others; with ``strict`` it
    raises instead (a batch is then redone file by file).
    """
    tables: dict[str, pd.DataFrame] = {
        "reports": corpus.reports, "sections": corpus.sections, "indicators": corpus.indicators,
    }
    # Post-extraction steps (checks, corrections of the indicator rows) go here: each takes
    # the corpus and the tables and may replace tables["indicators"].
    if measures and len(corpus):
        try:
            from .attention import text_measures

            tables.update(text_measures(corpus))
        except Exception as err:  # noqa: BLE001 - text measures never stop the build
            if strict:
                raise
            corpus._errors.append(error_row(corpus.documents[0].source, "measures",
                                            f"{type(err).__name__}: {err}"))
    tables["errors"] = corpus.errors
    return tables


@dataclass
class FileTables:
    """What one file gives a build: its tables and a few counts."""

    path: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    n_reports: int = 0
    n_chars: int = 0  # characters of the normalised reports
    seconds: float = 0.0


@dataclass
class BatchTables:
    """The tables of several files at once (rows in file order) and each file's counts."""

    tables: dict[str, pd.DataFrame]
    files: list[FileTables]  # counts only; :meth:`split` gives each file its rows
    seconds: float = 0.0
    csv: dict[str, bytes] = field(default_factory=dict)  # some tables' rows as CSV lines (a build's workers)

    def split(self) -> list[FileTables]:
        """One :class:`FileTables` per file, with its own rows (file names are unique in a batch)."""
        if len(self.files) == 1:
            f = self.files[0]
            return [FileTables(f.path, self.tables, f.n_reports, f.n_chars, f.seconds)]
        rows = {name: df.groupby("source", sort=False).indices if len(df) and "source" in df else {}
                for name, df in self.tables.items()}
        out = []
        for f in self.files:
            source = _source_of(f.path)
            tables = {}
            for name, df in self.tables.items():
                idx = rows[name].get(source)
                tables[name] = df.iloc[:0] if idx is None else df.take(idx).reset_index(drop=True)
            out.append(FileTables(f.path, tables, f.n_reports, f.n_chars, f.seconds))
        return out


def _source_of(path: str) -> str:
    return PurePosixPath(os.fspath(path).replace("\\", "/")).name


class _BatchTooSlow(BaseException):
    """A batch ran past one file's time budget: it is redone file by file."""


def _timeout_row(path: str, err: BaseException) -> dict:
    return error_row(_source_of(path), "timeout", f"{path}: {err}")


def _tables_of(docs: list[Document], errors: list[dict], measures: bool, where: str,
               budget: float | None) -> tuple[dict[str, pd.DataFrame], bool]:
    """One file's tables within ``budget`` seconds; (tables, timed out)."""
    corpus = Corpus(docs, list(errors))
    try:
        with time_budget(budget):
            try:
                return report_tables(corpus, measures=measures), False
            except Exception as err:  # noqa: BLE001 - one bad file never stops a batch
                corpus._errors.append(error_row(_source_of(where), "build", f"{where}: {type(err).__name__}: {err}"))
                return {"errors": corpus.errors}, False
    except FileTimeout as err:
        return {"errors": pd.DataFrame([*errors, _timeout_row(where, err)])}, True


def _left(time_limit: float | None, spent: float) -> float | None:
    return None if not time_limit or time_limit <= 0 else max(time_limit - spent, 1e-3)


def process_batch(paths: list[str], max_bytes: int = MAX_BYTES, measures: bool = True,
                  time_limit: float | None = TIME_LIMIT) -> BatchTables:
    """The whole per-file pass over several files at once (what a worker runs).

    Each file is read on its own; the later steps run over the reports of all the files
    together (one set of table operations for the batch), and give the same rows as file by
    file. Should a step fail for the batch, or the batch take longer than one file may
    (``time_limit`` seconds), the files are done one by one, so only the bad file loses its
    rows. A file over ``time_limit`` is an error row (stage ``timeout``). Never raises for a
    bad file; the problem is an ``errors`` row.
    """
    t0 = time.perf_counter()
    files: list[FileTables] = []
    read: list[tuple[list[Document], list[dict]]] = []
    for path in paths:
        t = time.perf_counter()
        try:
            with time_budget(time_limit):
                docs, errors = read_documents(path, max_bytes)
        except FileTimeout as err:
            docs, errors = [], [_timeout_row(path, err)]
        read.append((docs, errors))
        files.append(FileTables(path, {}, len(docs), sum(len(d.text) for d in docs), time.perf_counter() - t))
    tables: dict[str, pd.DataFrame] | None = None
    if len(paths) > 1:
        corpus = Corpus([d for docs, _ in read for d in docs], [e for _, errors in read for e in errors])
        try:
            with time_budget(time_limit, exception=_BatchTooSlow):
                tables = report_tables(corpus, measures=measures, strict=True)
        except (Exception, _BatchTooSlow):  # noqa: BLE001 - redone file by file below
            tables = None
    if tables is None:
        parts = []
        for f, (docs, errors) in zip(files, read, strict=True):
            budget = _left(time_limit, f.seconds) if docs else None  # nothing left to time out
            part, timed_out = _tables_of(docs, errors, measures, f.path, budget)
            if timed_out:
                f.n_reports = f.n_chars = 0
            parts.append(part)
        names = list(dict.fromkeys(n for t in parts for n in t))
        tables = {n: pd.concat([t[n] for t in parts if n in t], ignore_index=True) for n in names}
    err = tables.get("errors")
    if err is not None and len(paths) > 1 and len(err) > 1:  # each file's errors together, as file by file
        order = {_source_of(p): i for i, p in enumerate(paths)}
        key = err["source"].map(order).fillna(len(paths))
        tables["errors"] = err.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)
    return BatchTables(tables, files, time.perf_counter() - t0)


def process(path: str, max_bytes: int = MAX_BYTES, measures: bool = True,
            time_limit: float | None = TIME_LIMIT) -> FileTables:
    """The whole per-file pass: ``path`` (local path or fsspec URL) → :class:`FileTables`.

    Never raises for a bad file; the problem is an ``errors`` row. A file taking over
    ``time_limit`` seconds is stopped and becomes an error row (stage ``timeout``).
    """
    return process_batch([path], max_bytes, measures, time_limit).split()[0]
