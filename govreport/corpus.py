"""The :class:`Corpus`: reports read from files, with their tables.

``govreport.read(paths)`` runs read → normalise → split → metadata → sections on
every file; indicators are extracted when first asked for.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import formats  # noqa: F401  (registers the HTML, PDF and Word readers)
from .metadata import extract_metadata
from .normalize import MappedText, normalize, raw_span
from .read import MAX_BYTES, ReadError, iter_files, read_file
from .script import simplify, to_simplified
from .sections import find_sections
from .split import split_reports

REPORT_COLUMNS = [
    "source", "part", "region", "level", "parent", "province", "adcode", "year", "review_year",
    "plan_year", "date", "speaker", "title", "session", "speaker_title", "n_chars", "sha256",
    "encoding", "format", "script", "path",
]
SECTION_COLUMNS = ["source", "part", "section", "heading", "kind", "start", "end"]
ERROR_COLUMNS = ["source", "part", "stage", "message"]


@dataclass
class Document:
    """One report: its normalised text, the raw text it came from and the map between them."""

    source: str
    part: int
    text: str
    raw: str
    offsets: np.ndarray = field(repr=False)
    meta: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)

    raw_offset: int = 0  # where ``raw`` starts in the decoded file (a CSV row's text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Span in ``self.raw`` of the normalised span ``[start, end)``.

        >>> doc = read_text("政府工作报告\\n各位代表：\\n全年地区生产总值增长５．５％左右。").documents[0]
        >>> s, e = doc.raw_span(doc.text.index("增长"), doc.text.index("左右"))
        >>> doc.raw[s:e]
        '增长５．５％'
        """
        return raw_span(self.offsets, self.text, self.raw, start, end)


@dataclass
class FileResult:
    documents: list[Document]
    errors: list[dict]


def _error(source: str, stage: str, message: str, part: int | None = None) -> dict:
    return {"source": source, "part": part, "stage": stage, "message": message}


def process_file(path: Path, max_bytes: int = MAX_BYTES) -> FileResult:
    """Read one file into documents; every failure becomes an error row, never an exception."""
    source = path.name
    errors: list[dict] = []
    try:
        texts = read_file(path, max_bytes=max_bytes)
    except ReadError as err:
        return FileResult([], [_error(source, "read", f"{path}: {err}")])
    except Exception as err:  # noqa: BLE001 - one bad file never stops a batch
        return FileResult([], [_error(source, "read", f"{path}: unexpected {type(err).__name__}: {err}")])
    docs: list[Document] = []
    for raw in texts:
        for w in raw.warnings:
            errors.append(_error(source, "read", f"{path}: warning: {w}"))
        try:
            # traditional → simplified, same length: offsets still map to the original raw.text
            simplified, raw.script = simplify(raw.text)
            raw.title = to_simplified(raw.title) if raw.script == "traditional" else raw.title
            mt = normalize(simplified)
            parts = split_reports(mt.text)
        except Exception as err:  # noqa: BLE001
            errors.append(_error(source, "normalize", f"{path}: {type(err).__name__}: {err}"))
            continue
        if not parts:
            errors.append(_error(source, "split", f"{path}: not a government work report (no title, 各位代表 opening or review/plan passages found)"))
            continue
        for p in parts:
            part_no = len(docs)
            sub: MappedText = mt.slice(p.start, p.end)
            try:
                meta = extract_metadata(sub.text, title=p.title or raw.title).as_dict()
            except Exception as err:  # noqa: BLE001
                errors.append(_error(source, "metadata", f"{path}: {type(err).__name__}: {err}", part_no))
                meta = {}
            meta.update(
                encoding=raw.encoding, format=raw.format, script=getattr(raw, "script", "simplified"),
                n_chars=len(sub.text), sha256=hashlib.sha256(sub.text.encode()).hexdigest(),
                path=str(path),
            )
            # offsets index doc.raw (the row's text for CSV); raw_offset places it in the file
            doc = Document(source, part_no, sub.text, raw.text, sub.offsets, meta, raw_offset=raw.offset)
            try:
                doc.sections = find_sections(sub.text, meta.get("plan_year"))
            except Exception as err:  # noqa: BLE001
                errors.append(_error(source, "sections", f"{path}: {type(err).__name__}: {err}", part_no))
            docs.append(doc)
    return FileResult(docs, errors)


class Corpus:
    """Reports and their tables: ``reports``, ``sections``, ``indicators``, ``errors``."""

    def __init__(self, documents: list[Document], errors: list[dict] | None = None):
        self.documents = documents
        self._errors = list(errors or [])

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"<Corpus: {len(self.documents)} reports, {len(self._errors)} errors>"

    def document(self, source: str, part: int = 0) -> Document:
        for d in self.documents:
            if d.source == source and d.part == part:
                return d
        raise KeyError((source, part))

    def text(self, source: str, part: int = 0) -> str:
        """Normalised text of one report."""
        return self.document(source, part).text

    @cached_property
    def reports(self) -> pd.DataFrame:
        rows = []
        for d in self.documents:
            row = {"source": d.source, "part": d.part, **d.meta}
            rows.append(row)
        df = pd.DataFrame(rows, columns=REPORT_COLUMNS)
        for col in ("year", "review_year", "plan_year"):
            df[col] = df[col].astype("Int64")
        df["n_chars"] = df["n_chars"].astype("Int64")
        # the annual main-target list was found: a missing GDP target then reads as "not stated"
        df["has_target_list"] = [any(s.kind == "targets" for s in d.sections) for d in self.documents]
        return df

    @cached_property
    def sections(self) -> pd.DataFrame:
        rows = [
            {"source": d.source, "part": d.part, "section": s.number, "heading": s.heading,
             "kind": s.kind, "start": s.start, "end": s.end}
            for d in self.documents for s in d.sections
        ]
        return pd.DataFrame(rows, columns=SECTION_COLUMNS)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        from .enrich import add_report_columns
        from .indicators import extract_corpus

        return add_report_columns(extract_corpus(self), self.reports)

    @property
    def errors(self) -> pd.DataFrame:
        df = pd.DataFrame(self._errors, columns=ERROR_COLUMNS)
        df["part"] = df["part"].astype("Int64")
        return df

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"reports": self.reports, "sections": self.sections, "indicators": self.indicators,
                "errors": self.errors}


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
    progress: bool = False,
) -> Corpus:
    """Read report files and directories into a :class:`Corpus`.

    ``jobs`` > 1 reads files in parallel processes; the result is the same as ``jobs=1``.
    Raises ``FileNotFoundError`` when none of ``paths`` exists; a file that cannot be read
    (or a missing one beside existing ones) becomes a row of ``errors``.
    """
    paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    _check_paths_exist(paths)
    files = list(iter_files(paths))
    errors: list[dict] = []
    if not files:
        where = ", ".join(map(str, paths))
        errors.append(_error(where, "read", f"{where}: no readable files found"))
    results: list[FileResult]
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            it = pool.map(process_file, files, [max_bytes] * len(files))
            results = list(_progress(it, len(files), progress))
    else:
        results = [process_file(f, max_bytes) for f in _progress(files, len(files), progress)]
    docs: list[Document] = []
    for res in results:
        docs.extend(res.documents)
        errors.extend(res.errors)
    return Corpus(docs, errors)


def _check_paths_exist(paths: list) -> None:
    if paths and not any(os.path.lexists(p) for p in paths):
        names = ", ".join(str(p) for p in paths[:5])
        raise FileNotFoundError(f"no such file or directory: {names}")


def read_text(text: str, source: str = "<text>") -> Corpus:
    """A corpus from one text in memory (handy in tests and notebooks)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / source
        p.write_text(text, encoding="utf-8")
        corpus = read(p)
    for d in corpus.documents:
        d.meta["path"] = ""
    return corpus


def _progress(it, total: int, show: bool):
    if not show:
        return it
    from tqdm import tqdm

    return tqdm(it, total=total, unit="file", desc="reading")
