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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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


def read_documents(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> tuple[list[Document], list[dict]]:
    """One file into documents (read → normalise → split → metadata → sections).

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
    return documents_from_texts(texts, source, path)


def documents_from_texts(texts: list[RawText], source: str, path: str) -> tuple[list[Document], list[dict]]:
    """Texts of one file (or the rows of a DataFrame, see :mod:`govreport.records`) into documents."""
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


def report_tables(corpus: Corpus, *, measures: bool = True) -> dict[str, pd.DataFrame]:
    """The tables of the reports of one file (``corpus`` holds that file's documents).

    A failing step is recorded in ``errors`` and never stops the others.
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


def process(path: str, max_bytes: int = MAX_BYTES, measures: bool = True,
            time_limit: float | None = TIME_LIMIT) -> FileTables:
    """The whole per-file pass: ``path`` (local path or fsspec URL) → :class:`FileTables`.

    Never raises for a bad file; the problem is an ``errors`` row. A file taking over
    ``time_limit`` seconds is stopped and becomes an error row (stage ``timeout``).
    """
    t0 = time.perf_counter()
    try:
        with time_budget(time_limit):
            docs, errors = read_documents(path, max_bytes)
            corpus = Corpus(docs, errors)
            try:
                tables = report_tables(corpus, measures=measures)
            except Exception as err:  # noqa: BLE001 - one bad file never stops a batch
                corpus._errors.append(error_row(Path(path).name, "build", f"{path}: {type(err).__name__}: {err}"))
                tables = {"errors": corpus.errors}
    except FileTimeout as err:
        name = PurePosixPath(path.replace("\\", "/")).name
        return FileTables(path, {"errors": pd.DataFrame([error_row(name, "timeout", f"{path}: {err}")])},
                          0, 0, time.perf_counter() - t0)
    return FileTables(path, tables, len(docs), sum(len(d.text) for d in docs), time.perf_counter() - t0)
