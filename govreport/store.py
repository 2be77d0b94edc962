"""Built tables on disk: streamed writing, the per-file cache, and :func:`open`.

Layout of a build's output folder ``OUT`` (a local path or an fsspec URL)::

    OUT/NAME/part-00000.parquet …   one partitioned Parquet dataset per table
    OUT/NAME.csv                    the same rows as CSV (UTF-8 with BOM) — or OUT/NAME.csv.gz,
                                    the same bytes gzip-compressed, or none (the build's ``csv``)
    OUT/manifest.json               written last: versions, inputs and their sha256, counts
    OUT/figures/                    charts
    OUT/.govreport-cache/           per-file results, keyed by content hash and library version

A build writes into ``OUT/.govreport-staging/`` and moves each table into place at the end,
so a killed build never leaves half a table where a finished one was; the next build removes
the staging folder (and any ``.NAME.*`` temporaries left by :mod:`govreport.atomic`). When
``OUT`` is not on the local disk, the build's local temporary files (the panel's groups) sit in
a folder of the system's temporary directory named after ``OUT`` (:func:`local_work_folder`),
which the next build of ``OUT`` removes as well.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import pandas as pd

STAGING = ".govreport-staging"
CACHE = ".govreport-cache"
MANIFEST = "manifest.json"
#: Rows buffered per table before they are written as one Parquet row group and CSV lines.
BATCH_ROWS = 50_000
#: Rows per Parquet part file.
PART_ROWS = 2_000_000
#: How a build writes the CSV copy of its tables: ``NAME.csv``, ``NAME.csv.gz`` or none.
CSV_MODES = ("plain", "gz", "none")
#: File name endings of a table's CSV copy, by mode.
CSV_SUFFIX = {"plain": ".csv", "gz": ".csv.gz"}
#: zlib level of ``NAME.csv.gz``: 3 compresses CSV about 6 times (6 would save ~15% more
#: bytes at ~2.5 times the CPU time, spent in the parent while the workers run).
GZIP_LEVEL = 3


def table_files(name: str) -> tuple[str, ...]:
    """The names a table may have in ``OUT``: its dataset folder and its CSV copies (every mode)."""
    return (name, *(name + suffix for suffix in CSV_SUFFIX.values()))


def readable_copy(out: str, name: str, csv: str | None) -> str:
    """Where people find a table of a build written with ``csv``: ``NAME.csv``, ``NAME.csv.gz``
    or, with no CSV copy, the Parquet folder ``NAME/``."""
    return f"{out}/{name}{CSV_SUFFIX.get(csv or 'plain', '/')}"


# --------------------------------------------------------------------------- file systems


def filesystem(url: str | os.PathLike[str]) -> tuple[Any, str]:
    """``(fsspec filesystem, path in it)`` for a local path or an fsspec URL."""
    import fsspec

    url = os.fspath(url)
    if "://" not in url:
        url = os.path.abspath(url)
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path.rstrip("/") or path


def join(root: str, *names: str) -> str:
    return "/".join([root.rstrip("/"), *names])


# --------------------------------------------------------------------------- writing


def _for_parquet(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding non-strings (mixed types) become strings."""
    out = df
    for col, dtype in df.dtypes.items():
        if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(df[col], skipna=True) not in (
                "string", "empty"):
            if out is df:
                out = df.copy()
            out[col] = out[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return out


class _Table:
    """One table being streamed: CSV lines and Parquet row groups in rolling part files.

    ``csv``: ``"plain"`` (``NAME.csv``), ``"gz"`` (``NAME.csv.gz``, the same bytes
    gzip-compressed as they are written) or ``"none"``.
    """

    def __init__(self, fs: Any, root: str, name: str, csv: str = "plain") -> None:
        if csv not in CSV_MODES:
            raise ValueError(f"csv must be one of {', '.join(CSV_MODES)}, not {csv!r}")
        self.fs, self.root, self.name = fs, root, name
        self.with_csv = csv != "none"
        self.csv_mode = csv
        self.csv_fh: Any = None
        self.started = False
        self.buffer: list[pd.DataFrame] = []
        self.rendered: list[bytes | None] = []  # each buffered frame's CSV lines, when given
        self.buffered = 0
        self.rows = 0
        self.columns: list[str] | None = None
        self.dtypes: dict[str, Any] = {}
        self.schema: Any = None
        self.csv: Any = None
        self.part = -1
        self.part_rows = 0
        self.parquet: Any = None
        self.parquet_fh: Any = None

    def add(self, df: pd.DataFrame, csv: bytes | None = None) -> None:
        """Rows to write; ``csv``: the same rows as :func:`csv_lines` renders them (a worker did)."""
        if self.columns is None:
            self.columns = list(df.columns)
        if len(df) == 0:
            if not self.dtypes:
                self.dtypes = dict(df.dtypes)
            return
        self.buffer.append(df)
        self.rendered.append(csv)
        self.buffered += len(df)
        if self.buffered >= BATCH_ROWS:
            self.flush()

    def _conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Same columns and dtypes as the first batch, so every part has one schema."""
        cols = self.columns or list(df.columns)
        if list(df.columns) != cols:
            df = df.reindex(columns=cols)
        fixes = {}
        for c, dt in self.dtypes.items():
            if c in df and df[c].dtype != dt and not (df[c].dtype == object and df[c].isna().all()):
                fixes[c] = dt
        for c, dt in fixes.items():
            try:
                df[c] = df[c].astype(dt)
            except (TypeError, ValueError):
                pass
        return df

    def flush(self) -> None:
        if not self.buffer:
            return
        frames, rendered = self.buffer, self.rendered
        kinds = [list(f.dtypes.items()) for f in frames]  # before _conform, which may change a frame
        df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        self.buffer, self.rendered, self.buffered = [], [], 0
        if self.schema is None:  # the first rows fix the dtypes of every later batch
            self.dtypes = {c: t for c, t in df.dtypes.items() if not (pd.api.types.is_object_dtype(t) and df[c].isna().all())}
        df = self._conform(df)
        lines = None
        if self.with_csv and any(r is not None for r in rendered) and all(k == kinds[0] for k in kinds) \
                and list(df.dtypes.items()) == kinds[0] and _rows_render_alone(df):
            # the written rows have each frame's dtypes: each frame's lines are the rows' lines
            lines = b"".join(r if r is not None else csv_lines(f) for f, r in zip(frames, rendered, strict=True))
        self._write(df, lines)

    def _write(self, df: pd.DataFrame, lines: bytes | None = None) -> None:
        """``df`` as CSV lines (``lines``, when already rendered) and a Parquet row group."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.with_csv and self.csv is None:
            self._open_csv()
            self.csv.write(df.iloc[:0].to_csv(index=False).encode("utf-8-sig"))
        if self.with_csv and len(df):
            self.csv.write(csv_lines(df) if lines is None else lines)
        self.started = True
        table = pa.Table.from_pandas(_for_parquet(df), preserve_index=False)
        if self.schema is None:
            fields = [f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
            self.schema = pa.schema(fields, metadata=table.schema.metadata)
        table = _cast(table, self.schema)
        if self.parquet is None or self.part_rows >= PART_ROWS:
            self._close_part()
            self.part += 1
            self.fs.makedirs(join(self.root, self.name), exist_ok=True)
            self.parquet_fh = self.fs.open(join(self.root, self.name, f"part-{self.part:05d}.parquet"), "wb")
            self.parquet = pq.ParquetWriter(self.parquet_fh, self.schema, compression="zstd")
            self.part_rows = 0
        self.parquet.write_table(table)
        self.part_rows += len(df)
        self.rows += len(df)

    def _open_csv(self) -> None:
        file_name = f"{self.name}{CSV_SUFFIX[self.csv_mode]}"
        self.csv_fh = self.csv = self.fs.open(join(self.root, file_name), "wb")
        if self.csv_mode == "gz":  # no time stamp: the same rows give the same bytes
            import gzip

            self.csv = gzip.GzipFile(filename=f"{self.name}.csv", mode="wb", fileobj=self.csv_fh,
                                     compresslevel=GZIP_LEVEL, mtime=0)

    def close_csv(self) -> None:
        if self.csv is not None:
            self.csv.close()
            if self.csv_fh is not self.csv:
                self.csv_fh.close()
            self.csv = self.csv_fh = None

    def _close_part(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
            self.parquet_fh.close()
            self.parquet = self.parquet_fh = None

    def close(self) -> int:
        self.flush()
        if not self.started and self.columns is not None:  # no row at all: header and an empty part
            empty = pd.DataFrame({c: pd.Series(dtype=self.dtypes.get(c, object)) for c in self.columns})
            self._write(empty)
        self._close_part()
        self.close_csv()
        return self.rows


def csv_lines(df: pd.DataFrame) -> bytes:
    """The rows of ``df`` as a table's CSV copy has them (UTF-8, no header)."""
    return df.to_csv(index=False, header=False).encode("utf-8")


def _rows_render_alone(df: pd.DataFrame) -> bool:
    """True when each row of ``df`` becomes the same CSV line whatever rows are beside it.

    So for numbers, strings, booleans and their nullable forms (each value formatted on its
    own); not for dates and times, whose format pandas picks for the whole column.
    """
    return not any(dt.kind in "mM" or isinstance(dt, pd.CategoricalDtype | pd.PeriodDtype | pd.IntervalDtype)
                   for dt in df.dtypes)


def _cast(table: Any, schema: Any) -> Any:
    import pyarrow as pa

    if table.schema.equals(schema, check_metadata=False):
        return table
    cols = []
    for f in schema:
        col = table.column(f.name) if f.name in table.column_names else pa.nulls(len(table), f.type)
        try:
            col = col.cast(f.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            col = pa.array([None if v is None else str(v) for v in col.to_pylist()]).cast(f.type)
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=schema)


class DatasetWriter:
    """Streams the tables of many files into ``OUT/.govreport-staging``; :meth:`commit` moves them."""

    def __init__(self, out: str | os.PathLike[str], parquet_only: Iterable[str] = (), csv: str = "plain") -> None:
        if csv not in CSV_MODES:
            raise ValueError(f"csv must be one of {', '.join(CSV_MODES)}, not {csv!r}")
        self.fs, self.out = filesystem(out)
        self.parquet_only = set(parquet_only)
        self.csv = csv
        self.staging = join(self.out, STAGING)
        if self.fs.exists(self.staging):
            self.fs.rm(self.staging, recursive=True)
        self.fs.makedirs(self.staging, exist_ok=True)
        self.tables: dict[str, _Table] = {}
        self.absent: set[str] = set()  # tables this build does not give: the previous build's copies go
        self.counts: dict[str, int] = {}

    def add(self, tables: dict[str, pd.DataFrame], csv: dict[str, bytes] | None = None) -> None:
        """Rows of each table; ``csv``: some tables' rows as CSV lines already (:func:`csv_lines`)."""
        for name, df in tables.items():
            if df is None:
                continue
            t = self.tables.get(name)
            if t is None:
                t = self.tables[name] = _Table(self.fs, self.staging, name,
                                                 csv="none" if name in self.parquet_only else self.csv)
            t.add(df, csv.get(name) if csv else None)

    def csv_tables(self, names: Iterable[str]) -> list[str]:
        """Those of ``names`` that have a CSV copy."""
        return [] if self.csv == "none" else [n for n in names if n not in self.parquet_only]

    def write(self, name: str, df: pd.DataFrame) -> None:
        """A whole table at once (the corpus-level tables)."""
        self.add({name: df})

    def close(self, keep_open: Iterable[str] = ()) -> dict[str, int]:
        """Finish every table (but those in ``keep_open``); returns rows per table."""
        for name, t in self.tables.items():
            if name not in keep_open and name not in self.counts:
                self.counts[name] = t.close()
        return dict(self.counts)

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        """A table written so far (after :meth:`close`), or None."""
        path = join(self.staging, name)
        if not self.fs.exists(path):
            return None
        return _read_dataset(self.fs, path, columns)

    def batches(self, name: str, columns: list[str] | None = None, batch_rows: int = BATCH_ROWS) -> Iterator[Any]:
        """A table written so far (after :meth:`close`) as pyarrow record batches, in order."""
        return _iter_dataset(self.fs, join(self.staging, name), columns, batch_rows)

    def local_staging(self) -> str:
        """A local folder for temporary files: the staging folder when ``OUT`` is on the local
        disk, else :func:`local_work_folder` (removed at :meth:`commit`, :meth:`abort` and by the
        next build of ``OUT``, should this one be killed)."""
        if _is_local(self.fs):
            return self.staging
        work = local_work_folder(self.out, self.fs)
        os.makedirs(work, exist_ok=True)
        return work

    def _remove_work(self) -> None:
        # also for a file:// OUT: the charts of any URL output draw in local_work_folder
        shutil.rmtree(local_work_folder(self.out, self.fs), ignore_errors=True)

    def has(self, name: str) -> bool:
        """Whether a table has been written (it may have no rows)."""
        return bool(self.fs.exists(join(self.staging, name)))

    def commit(self) -> None:
        """Move every written table into ``OUT`` (replacing the previous build's); the previous
        build's copies of the tables marked :meth:`discard` go.

        The previous build's CSV copies of those tables go in every mode (``NAME.csv`` and
        ``NAME.csv.gz``), so no stale CSV is left beside a fresh table.
        """
        fs = self.fs
        for name in [*self.tables, *sorted(self.absent - set(self.tables))]:
            for old in (*table_files(name), f"{name}.parquet"):
                if fs.exists(join(self.out, old)):
                    fs.rm(join(self.out, old), recursive=True)
            for file_name in table_files(name):
                new, dest = join(self.staging, file_name), join(self.out, file_name)
                if fs.exists(new):
                    fs.mv(new, dest, recursive=True)
        fs.rm(self.staging, recursive=True)
        self._remove_work()

    def discard(self, name: str) -> None:
        """This build gives no table ``name`` (its step failed, part way or before writing, or
        had nothing to give): rows and staged files go, and at :meth:`commit` the previous
        build's copy too, so no stale table stands beside fresh ones."""
        self.absent.add(name)
        t = self.tables.pop(name, None)
        self.counts.pop(name, None)
        if t is not None:
            t._close_part()
            t.close_csv()
        for file_name in table_files(name):
            if self.fs.exists(path := join(self.staging, file_name)):
                self.fs.rm(path, recursive=True)

    def abort(self) -> None:
        for t in self.tables.values():
            try:
                t._close_part()
                t.close_csv()
            except Exception:  # noqa: BLE001 - cleaning up after a failure
                pass
        if self.fs.exists(self.staging):
            self.fs.rm(self.staging, recursive=True)
        self._remove_work()


def _is_local(fs: Any) -> bool:
    from fsspec.implementations.local import LocalFileSystem

    return isinstance(fs, LocalFileSystem)


def local_work_folder(root: str, fs: Any) -> str:
    """The local folder of temporary files of a build whose output ``root`` (on ``fs``) is a URL
    (the panel's groups off the local disk, the charts of any URL): in the system's temporary
    directory, named after the output's URL, so that the next build of the same output finds and
    removes what a killed build left there."""
    url = fs.unstrip_protocol(root)
    return os.path.join(tempfile.gettempdir(), f"govreport-work-{hashlib.sha256(url.encode()).hexdigest()[:16]}")


def clean_stale(out: str | os.PathLike[str]) -> list[str]:
    """Remove what a killed build left in ``out``: the staging folder and atomic temporaries
    (and, for an ``out`` not on the local disk, its local folder of temporary files)."""
    fs, root = filesystem(out)
    removed = []
    if os.path.isdir(work := local_work_folder(root, fs)):
        shutil.rmtree(work, ignore_errors=True)
        removed.append(work)
    if not fs.exists(root):
        return removed
    for entry in fs.ls(root, detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        if name == STAGING or re.match(r"^\.[^.]+\..+", name) and name not in (CACHE,):
            fs.rm(entry, recursive=True)
            removed.append(name)
    return removed


def _read_dataset(fs: Any, path: str, columns: list[str] | None = None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    parts = sorted(p for p in fs.ls(path, detail=False) if p.endswith(".parquet"))
    frames = [pq.read_table(p, columns=_present(fs, p, columns), filesystem=fs).to_pandas() for p in parts]
    if not frames:
        return pd.DataFrame(columns=columns or [])
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _iter_dataset(fs: Any, path: str, columns: list[str] | None = None, batch_rows: int = BATCH_ROWS
                  ) -> Iterator[Any]:
    """The rows of a stored table as pyarrow record batches of at most ``batch_rows``, in order."""
    import pyarrow.parquet as pq

    for part in sorted(p for p in fs.ls(path, detail=False) if p.endswith(".parquet")):
        with fs.open(part, "rb") as fh:
            yield from pq.ParquetFile(fh).iter_batches(batch_size=batch_rows, columns=_present(fs, part, columns))


def _present(fs: Any, part: str, columns: list[str] | None) -> list[str] | None:
    """``columns`` that the Parquet file ``part`` has (all of them when None)."""
    if columns is None:
        return None
    import pyarrow.parquet as pq

    names = set(pq.read_schema(part, filesystem=fs).names)
    return [c for c in columns if c in names]


# --------------------------------------------------------------------------- the per-file cache


@lru_cache(maxsize=1)
def _package_digest() -> str:
    """sha256 over govreport's code and data files: a new version of either misses the cache."""
    h = hashlib.sha256()
    root = resources.files("govreport")
    stack = [root]
    files = []
    while stack:
        d = stack.pop()
        for entry in d.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif entry.name.endswith((".py", ".csv", ".txt", ".gz", ".json", ".md")):
                files.append(entry)
    for f in sorted(files, key=lambda e: str(e)):
        h.update(str(f).rsplit("govreport", 1)[-1].encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def version_key(**params: Any) -> str:
    """Library version (code and data), the indicator lexicon in use and build parameters."""
    import govreport

    from .lexicon import indicator_lexicon

    h = hashlib.sha256()
    h.update(govreport.__version__.encode())
    h.update(_package_digest().encode())
    h.update(pd.util.hash_pandas_object(indicator_lexicon().astype(str), index=False).values.tobytes())
    h.update(pd.__version__.encode())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    return h.hexdigest()


#: Batches a :class:`Cache` keeps in memory once read (each holds at most about
#: ``build.BATCH_BYTES`` of input's tables).
RECENT_BATCHES = 4


class Cache:
    """Per-file results, keyed by content hash and library version, zstd-compressed.

    A build stores a batch's tables once (:meth:`put_batch`: ``batches/…/NAME.batch``, the
    pickled :class:`~govreport.pipeline.BatchTables`) and gives each file a small entry
    (``KEY.pkl``) naming that batch and the file's place in it; :meth:`get` returns the
    file's own tables (``split``: a batch into per-file tables, default ``BatchTables.split``).
    A whole pickled value per file (:meth:`put`) is read as well.
    """

    def __init__(self, out: str | os.PathLike[str], version: str, split: Any = None) -> None:
        self.fs, root = filesystem(out)
        self.root = join(root, CACHE)
        self.version = version
        self.split = split
        self._recent: OrderedDict[str, list[Any]] = OrderedDict()  # batches read last, split by file

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_recent": OrderedDict()}  # sent to workers without the batches read

    def key(self, path: str, digest: str) -> str:
        return hashlib.sha256(f"{self.version}\0{path}\0{digest}".encode()).hexdigest()

    def _path(self, key: str) -> str:
        return join(self.root, key[:2], f"{key}.pkl")

    def _batch_path(self, name: str) -> str:
        return join(self.root, "batches", name[:2], f"{name}.batch")

    def get(self, key: str) -> Any | None:
        try:
            with self.fs.open(self._path(key), "rb") as fh:
                data = fh.read()
            if data.startswith(_IN_BATCH):
                name, index = data[len(_IN_BATCH):].decode().split(" ")
                return self._batch(name)[int(index)]
            return pickle.loads(_unpack(data))
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a damaged entry is recomputed
            return None

    def _batch(self, name: str) -> list[Any]:
        """A stored batch's per-file tables. The last :data:`RECENT_BATCHES` batches read are
        kept, so files of one batch read apart (a rebuild in another order) load it once."""
        files = self._recent.get(name)
        if files is None:
            with self.fs.open(self._batch_path(name), "rb") as fh:
                batch = pickle.loads(_unpack(fh.read()))
            files = self.split(batch) if self.split is not None else batch.split()
            self._recent[name] = files
            while len(self._recent) > RECENT_BATCHES:
                self._recent.popitem(last=False)
        self._recent.move_to_end(name)
        return files

    def _write(self, path: str, data: bytes) -> None:
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with self.fs.open(tmp, "wb") as fh:
            fh.write(data)
        self.fs.mv(tmp, path)

    def put(self, key: str, value: Any) -> None:
        self._write(self._path(key), _pack(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def put_batch(self, keys: list[str | None], batch: Any) -> None:
        """``batch`` (a :class:`~govreport.pipeline.BatchTables`) once, and an entry for each
        of its files that has a key (``keys[i]``: file ``i``'s, None: not cached).

        The batch is written before the entries, so an entry never names a missing batch.
        """
        if not any(keys):
            return
        name = hashlib.sha256("\0".join(k or "" for k in keys).encode()).hexdigest()
        self._write(self._batch_path(name), _pack(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)))
        for index, key in enumerate(keys):
            if key is not None:
                self._write(self._path(key), _IN_BATCH + f"{name} {index}".encode())


    def prune(self, keep: Iterable[str]) -> int:
        """Remove every entry but those of ``keep`` (the keys of the files a finished build
        read), the batches no kept entry names and temporaries a killed build left; returns
        the number of files removed. The cache then holds what the last build used."""
        keep_paths = {self._path(k) for k in keep}
        if not self.fs.exists(self.root):
            return 0
        batches: set[str] = set()
        removed = 0
        stored = [p for p in self.fs.find(self.root) if not p.startswith(join(self.root, "batches") + "/")]
        for path in stored:
            if path in keep_paths:
                try:
                    with self.fs.open(path, "rb") as fh:
                        head = fh.read(len(_IN_BATCH) + 200)
                except OSError:
                    continue
                if head.startswith(_IN_BATCH):
                    batches.add(head[len(_IN_BATCH):].decode(errors="replace").split(" ")[0])
                continue
            self.fs.rm(path)
            removed += 1
        for path in self.fs.find(join(self.root, "batches")) if self.fs.exists(join(self.root, "batches")) else []:
            if path.rsplit("/", 1)[-1].removesuffix(".batch") not in batches:
                self.fs.rm(path)
                removed += 1
        return removed


#: A file's cache entry that points into a stored batch: this prefix, the batch's name, its index.
_IN_BATCH = b"GRB1"


#: A cache entry: this prefix, the pickle's length (8 bytes, little-endian), the pickle
#: compressed with zstd (about 8 times smaller than the pickle; fast to write and read).
_PACKED = b"GRZ1"


def _pack(data: bytes) -> bytes:
    import pyarrow as pa

    return _PACKED + len(data).to_bytes(8, "little") + pa.compress(data, codec="zstd", asbytes=True)


def _unpack(data: bytes) -> bytes:
    if not data.startswith(_PACKED):
        return data  # a plain pickle
    import pyarrow as pa

    size = int.from_bytes(data[4:12], "little")
    return pa.decompress(data[12:], decompressed_size=size, codec="zstd", asbytes=True)


# --------------------------------------------------------------------------- reading a build


class Built:
    """The tables of a finished build, read when first used (see :func:`open`)."""

    def __init__(self, out: str | os.PathLike[str], backend: str = "pandas") -> None:
        if backend not in ("pandas", "dask", "duckdb"):
            raise ValueError("backend must be 'pandas', 'dask' or 'duckdb'")
        self.out = os.fspath(out)
        self.fs, self.root = filesystem(out)
        self.backend = backend
        if not self.fs.exists(self.root):
            raise FileNotFoundError(f"{self.out}: no such build output folder")

    def __repr__(self) -> str:
        return f"<built corpus {self.out}: {len(self)} reports>"

    @cached_property
    def manifest(self) -> dict:
        """The build's manifest (empty when the build did not finish)."""
        p = join(self.root, MANIFEST)
        if not self.fs.exists(p):
            return {}
        with self.fs.open(p, "rb") as fh:
            return json.loads(fh.read().decode("utf-8"))

    def names(self) -> list[str]:
        out = []
        for entry in self.fs.ls(self.root, detail=True):
            name = entry["name"].rstrip("/").rsplit("/", 1)[-1]
            if entry["type"] == "directory" and not name.startswith(".") and name not in ("figures", "evidence"):
                out.append(name)
        return sorted(out)

    def table(self, name: str, columns: list[str] | None = None) -> Any:
        """One table: a pandas DataFrame, a Dask DataFrame or a DuckDB relation by backend."""
        path = join(self.root, name)
        if not self.fs.exists(path):
            raise KeyError(f"{self.out} has no table {name!r} (tables: {', '.join(self.names())})")
        if self.backend == "dask":
            import dask.dataframe as dd

            return dd.read_parquet(self._url(name), columns=columns)
        if self.backend == "duckdb":
            import duckdb

            rel = duckdb.read_parquet(f"{self._url(name)}/*.parquet")
            return rel.select(", ".join(f'"{c}"' for c in columns)) if columns else rel
        return _read_dataset(self.fs, path, columns)

    def _url(self, name: str) -> str:
        base = self.out if "://" in self.out else os.path.abspath(self.out)
        return join(base.rstrip("/"), name)

    def __getitem__(self, name: str) -> Any:
        return self.table(name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self.table(name)
        except KeyError as err:
            raise AttributeError(str(err)) from None
        self.__dict__[name] = value
        return value

    def __len__(self) -> int:
        import pyarrow.parquet as pq

        path = join(self.root, "reports")
        if not self.fs.exists(path):
            return 0
        return sum(pq.ParquetFile(self.fs.open(p, "rb")).metadata.num_rows
                   for p in self.fs.ls(path, detail=False) if p.endswith(".parquet"))

    def tables(self) -> dict[str, Any]:
        return {name: self.table(name) for name in self.names()}

    def document(self, source: str, part: int = 0) -> Any:
        """A report's :class:`~govreport.Document`, read again from its file."""
        from .pipeline import read_documents

        rep = self.table("reports", ["source", "part", "path", "sha256"])
        if self.backend != "pandas":
            rep = rep.compute() if hasattr(rep, "compute") else rep.df()
        row = rep[(rep["source"] == source) & (rep["part"] == part)]
        if row.empty:
            raise KeyError((source, part))
        path, sha = row["path"].iloc[0], row["sha256"].iloc[0]
        docs, errors = read_documents(path, max_bytes=self.manifest.get("parameters", {}).get("max_bytes", 1 << 62))
        for d in docs:
            if d.part == part:
                if sha and d.meta.get("sha256") != sha:
                    raise ValueError(f"{path} changed since the build (sha256 of report {part} differs)")
                d._corpus = self  # Jupyter shows the document with its rows highlighted
                return d
        raise KeyError(f"{path}: report {part} not found on re-reading ({errors})")

    def text(self, source: str, part: int = 0) -> str:
        return self.document(source, part).text

    @property
    def documents(self) -> Iterable[Any]:
        """Every report, read again from its file one at a time."""
        from .pipeline import read_documents

        rep = self.table("reports", ["path"]) if self.backend == "pandas" else None
        paths = list(dict.fromkeys(rep["path"])) if rep is not None else []
        for p in paths:
            yield from read_documents(p)[0]


def open(out: str | os.PathLike[str] = "data/processed", backend: str = "pandas") -> Built:  # noqa: A001
    """The tables of a finished build, without rebuilding, read lazily.

    ``backend``: ``"pandas"`` (default; each table a DataFrame when first used), ``"dask"``
    (Dask DataFrames, for out-of-core work; needs dask) or ``"duckdb"`` (DuckDB relations;
    needs duckdb). ``built.indicators``, ``built["panel"]``, ``built.document(source, part)``
    (the text read again from its file).

    Example::

        built = govreport.open("data/processed")
        built.indicators.query("indicator == 'gdp'")
    """
    return Built(out, backend)
