"""The :class:`Corpus`: reports read from files, with their tables.

``govreport.read(paths)`` runs read → normalise → split → metadata → sections on
every file; indicators are extracted when first asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import formats  # noqa: F401  (registers the HTML, PDF and Word readers)
from .normalize import raw_span
from .plausible import body_chars, indicator_flags, report_flags, year_flags
from .read import MAX_BYTES, iter_files, path_list

REPORT_COLUMNS = [
    "source", "part", "region", "level", "parent", "province", "adcode", "year", "review_year",
    "plan_year", "date", "speaker", "title", "session", "speaker_title", "n_chars", "sha256",
    "encoding", "format", "script", "path", "url", "record",
]
_META_KEYS = frozenset(REPORT_COLUMNS[2:])


def _int64(values: list) -> pd.api.extensions.ExtensionArray:
    """``values`` (ints and None, as metadata has them) as Int64, as the inferred column cast is."""
    if all(v is None or type(v) is int for v in values):
        return pd.array(values, dtype="Int64")
    return pd.Series(values).astype("Int64").array


SECTION_COLUMNS = ["source", "part", "section", "heading", "kind", "start", "end"]
ERROR_COLUMNS = ["source", "part", "stage", "message"]


class OffsetMap:
    """Compact map from normalised positions to raw positions.

    Stored as runs of equal steps, ``raw = base + step * (i - start)``: a text normalised with
    few changes needs a handful of runs instead of one int64 per character (a text spaced out
    character by character is one run of step 2). ``m[i]`` is the raw position of normalised
    position ``i`` (``0 <= i < len(m)``); ``np.asarray(m)`` expands it.

    >>> m = OffsetMap.from_array(np.array([0, 1, 2, 4, 5, 5, 6]))
    >>> m.runs, [m[i] for i in range(7)], len(m)
    (5, [0, 1, 2, 4, 5, 5, 6], 7)
    """

    __slots__ = ("_starts", "_bases", "_steps", "_n")

    def __init__(self, starts: np.ndarray, bases: np.ndarray, steps: np.ndarray, n: int) -> None:
        self._starts, self._bases, self._steps, self._n = starts, bases, steps, n

    @classmethod
    def from_array(cls, offsets: np.ndarray) -> OffsetMap:
        offsets = np.asarray(offsets, dtype=np.int64)
        n = len(offsets)
        if n == 0:
            return cls(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
        d = np.diff(offsets)
        # a run starts at 0 and wherever the step changes; within a run every step is equal
        starts = np.concatenate(([0], np.flatnonzero(d[1:] != d[:-1]) + 2)) if n > 2 else np.arange(min(n, 1))
        starts = starts[starts < n]
        bases = offsets[starts]
        steps = np.where(starts < n - 1, d[np.minimum(starts, max(n - 2, 0))] if n > 1 else 0, 0)
        wide = max(n, int(np.abs(bases).max(initial=0)), int(np.abs(steps).max(initial=0))) >= 2**31
        dtype = np.int64 if wide else np.int32
        return cls(starts.astype(dtype), bases.astype(dtype), steps.astype(dtype), n)

    @property
    def runs(self) -> int:
        return len(self._starts)

    @property
    def nbytes(self) -> int:
        return self._starts.nbytes + self._bases.nbytes + self._steps.nbytes

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> int:
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        j = int(np.searchsorted(self._starts, i, side="right")) - 1
        return int(self._bases[j]) + int(self._steps[j]) * (i - int(self._starts[j]))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        starts = self._starts.astype(np.int64)
        lengths = np.diff(np.append(starts, self._n))
        steps = np.repeat(self._steps.astype(np.int64), lengths)
        out = np.repeat(self._bases.astype(np.int64), lengths) + steps * (np.arange(self._n) - np.repeat(starts, lengths))
        return out.astype(dtype) if dtype is not None else out

    def __repr__(self) -> str:
        return f"<OffsetMap {self._n} positions in {self.runs} runs>"


@dataclass
class Document:
    """One report: its normalised text, the raw text it came from and the map between them.

    ``offsets`` (an :class:`OffsetMap`; an array is compacted) maps every normalised
    position to the raw text.
    """

    source: str
    part: int
    text: str
    raw: str
    offsets: OffsetMap = field(repr=False)
    meta: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    raw_offset: int = 0  # where ``raw`` starts in the decoded file (a CSV row's text)

    def __post_init__(self) -> None:
        if not isinstance(self.offsets, OffsetMap):
            self.offsets = OffsetMap.from_array(self.offsets)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Span in ``self.raw`` of the normalised span ``[start, end)``.

        >>> doc = read_text("政府工作报告\\n各位代表：\\n全年地区生产总值增长５．５％左右。").documents[0]
        >>> s, e = doc.raw_span(doc.text.index("增长"), doc.text.index("左右"))
        >>> doc.raw[s:e]
        '增长５．５％'
        """
        return raw_span(self.offsets, self.text, self.raw, start, end)

    def _repr_html_(self) -> str:
        """Jupyter: the report with every indicator row highlighted (see ``govreport.evidence``)."""
        from .evidence import document_html

        corpus = getattr(self, "_corpus", None)
        return document_html(self, corpus.indicators if corpus is not None else None)


def process_file(path: Path, max_bytes: int = MAX_BYTES) -> tuple[list[Document], list[dict]]:
    """Documents and error rows of one file (see :func:`govreport.pipeline.read_documents`).

    Reading a file is bounded by :data:`govreport.guard.TIME_LIMIT`; past it the file is an error row.
    """
    from . import guard
    from .pipeline import read_documents

    try:
        with guard.time_budget(guard.TIME_LIMIT):
            return read_documents(path, max_bytes)
    except guard.FileTimeout as err:
        return [], [{"source": Path(path).name, "part": None, "stage": "timeout", "message": f"{path}: {err}"}]


class Corpus:
    """Reports and their tables: ``reports``, ``sections``, ``indicators``, ``errors``."""

    def __init__(self, documents: list[Document], errors: list[dict] | None = None):
        self.documents = documents
        self._errors = list(errors or [])
        self.corrections: Path | None = None  # corrections.csv applied to the indicator rows

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"<Corpus: {len(self.documents)} reports, {len(self._errors)} errors>"

    def document(self, source: str, part: int = 0) -> Document:
        for d in self.documents:
            if d.source == source and d.part == part:
                d._corpus = self  # lets the document show its highlighted rows in Jupyter
                return d
        raise KeyError((source, part))

    def text(self, source: str, part: int = 0) -> str:
        """Normalised text of one report."""
        return self.document(source, part).text

    @cached_property
    def reports(self) -> pd.DataFrame:
        docs = self.documents
        keys = REPORT_COLUMNS[2:]
        if not docs or not all(d.meta.keys() >= _META_KEYS for d in docs):
            return self._reports_from_rows()  # a report without some metadata (its step failed)
        columns: dict[str, object] = {"source": [d.source for d in docs], "part": [d.part for d in docs]}
        for c in keys:
            columns[c] = [d.meta[c] for d in docs]
        for c in ("year", "review_year", "plan_year", "n_chars"):
            columns[c] = _int64(columns[c])
        # the annual main-target list was found: a missing GDP target then reads as "not stated"
        columns["has_target_list"] = [any(s.kind == "targets" for s in d.sections) for d in docs]
        # implausible years, title-only reports: marked, never dropped (govreport.plausible)
        bodies = [body_chars(d.text, d.meta.get("title") or "") for d in docs]
        years = [columns[c].tolist() for c in ("year", "review_year", "plan_year")]
        columns["flags"] = pd.Series(year_flags(years, bodies), dtype=object)
        return pd.DataFrame(columns)

    def _reports_from_rows(self) -> pd.DataFrame:
        """``reports`` from one dict per report (the general case; missing keys are NaN)."""
        rows = []
        for d in self.documents:
            row = {"source": d.source, "part": d.part, **d.meta}
            rows.append(row)
        df = pd.DataFrame(rows, columns=REPORT_COLUMNS)
        for col in ("year", "review_year", "plan_year"):
            df[col] = df[col].astype("Int64")
        df["n_chars"] = df["n_chars"].astype("Int64")
        df["has_target_list"] = [any(s.kind == "targets" for s in d.sections) for d in self.documents]
        df["flags"] = report_flags(df, [body_chars(d.text, d.meta.get("title") or "") for d in self.documents])
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
        from .corrections import apply_to_corpus
        from .enrich import add_report_columns
        from .indicators import extract_corpus

        df = apply_to_corpus(self, add_report_columns(extract_corpus(self), self.reports))
        # implausible values and years, double negatives: marked, never dropped (govreport.plausible)
        df["flags"] = indicator_flags(df, {(d.source, d.part): d.text for d in self.documents})
        return df

    @property
    def errors(self) -> pd.DataFrame:
        if self.corrections is not None and "indicators" not in self.__dict__:
            self.indicators  # noqa: B018 - applying corrections.csv may add error rows
        df = pd.DataFrame(self._errors, columns=ERROR_COLUMNS)
        df["part"] = df["part"].astype("Int64")
        return df

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"reports": self.reports, "sections": self.sections, "indicators": self.indicators,
                "errors": self.errors}

    def subset(self, **filters) -> Corpus:
        """The reports whose metadata match: ``corpus.subset(level="county", province="山东省",
        year=2026)`` (see :func:`govreport.textdata.subset`)."""
        from .textdata import subset

        return subset(self, **filters)


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
    progress: bool = False,
    corrections: str | os.PathLike[str] | None = "auto",
) -> Corpus:
    """Read report files and directories into a :class:`Corpus`.

    ``jobs`` > 1 reads files in parallel processes; the result is the same as ``jobs=1``.
    Raises ``FileNotFoundError`` when none of ``paths`` exists; a file that cannot be read
    (or a missing one beside existing ones) becomes a row of ``errors``.
    ``corrections``: a ``corrections.csv`` applied to the indicator rows (``govreport.corrections``);
    ``"auto"`` takes the one beside a directory read (``data/corrections.csv`` for ``data/raw``).

    Parameters
    ----------
    paths : a file, a directory (read recursively; hidden files skipped) or a list of them.
        Formats by extension: plain text and Markdown (.txt, .md), CSV with a header line (one
        report per row, the longest text column), HTML (also HTML saved as .txt), PDF with a text
        layer, Word .docx; encodings UTF-8 (with or without BOM), GB18030/GBK, Big5, UTF-16;
        simplified or traditional characters (converted; the raw text is kept). A file may hold
        several reports (scraped listing pages): each is one row of ``reports`` with its ``part``.
    max_bytes : files larger than this are skipped with an error row.
    jobs : > 1 reads files in that many processes; the result is the same as ``jobs=1``.
    progress : show a progress bar.

    Errors are data, not exceptions: a file that cannot be read, decoded or recognised as a
    report becomes a row of ``corpus.errors`` naming the file, the stage and the problem, and the
    batch goes on. Only a call that names nothing that exists raises ``FileNotFoundError``.

    Example::

        corpus = govreport.read("data/raw")
        corpus.reports, corpus.indicators, corpus.errors
    """
    paths = path_list(paths)  # a clear TypeError for None, bytes …
    _check_paths_exist(paths)
    files = list(iter_files(paths))
    errors: list[dict] = []
    if not files:
        where = ", ".join(map(str, paths))
        errors.append({"source": where, "part": None, "stage": "read", "message": f"{where}: no readable files found"})
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            it = pool.map(process_file, files, [max_bytes] * len(files))
            results = list(_progress(it, len(files), progress))
    else:
        results = [process_file(f, max_bytes) for f in _progress(files, len(files), progress)]
    docs: list[Document] = []
    for file_docs, file_errors in results:
        docs.extend(file_docs)
        errors.extend(file_errors)
    corpus = Corpus(docs, errors)
    if corrections == "auto":
        from .corrections import find

        corrections = find(paths)
    corpus.corrections = Path(corrections) if corrections else None
    return corpus


def _check_paths_exist(paths: list) -> None:
    if paths and not any(os.path.lexists(p) for p in paths):
        names = ", ".join(str(p) for p in paths[:5])
        raise FileNotFoundError(f"no such file or directory: {names}")


def read_text(text: str, source: str = "<text>") -> Corpus:
    """A corpus from one text in memory (handy in tests and notebooks).

    Parameters
    ----------
    text : the report's text.
    source : the name to give it (the ``source`` column).

    >>> c = read_text("2026年某县政府工作报告\\n各位代表：\\n全县地区生产总值增长5%左右。", "x.txt")
    >>> c.indicators[["indicator", "value", "qualifier"]].values.tolist()
    [['gdp', 5.0, 'about']]
    """
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / source
        p.write_text(text, encoding="utf-8")
        corpus = read(p, corrections=None)
    for d in corpus.documents:
        d.meta["path"] = ""
    return corpus


def _progress(it, total: int, show: bool):
    if not show:
        return it
    from tqdm import tqdm

    return tqdm(it, total=total, unit="file", desc="reading")
