"""The main job, in two stages: every file through :mod:`govreport.pipeline`, then across reports.

Stage 1 runs :func:`govreport.pipeline.process` on each file — in this process
(``jobs=1``), in ``jobs`` worker processes, or on a Dask cluster (``engine="dask"``) — and
streams the small tables it returns to disk as they come (:class:`govreport.store.DatasetWriter`),
in input order, so every engine writes the same bytes. A file whose content, path, library
version and lexicon are unchanged is taken from the per-file cache instead; the cache is
written as each file finishes, so a killed build resumes where it stopped.

Stage 2 (:data:`CORPUS_STEPS`) reads the tables stage 1 wrote and adds the tables that need
several reports (panel, with amplification across levels), then the charts. Everything is
moved into place at the end and ``manifest.json`` is written last.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .corpus import _check_paths_exist
from .corrections import Corrector
from .guard import TIME_LIMIT, check_output, is_output
from .pipeline import TABLES, BatchTables, FileTables, _source_of, error_row, is_url, process_batch
from .read import MAX_BYTES, iter_files
from .read import path_list as as_path_list
from .store import (
    CSV_MODES,
    MANIFEST,
    Built,
    Cache,
    DatasetWriter,
    _rows_render_alone,
    clean_stale,
    csv_lines,
    filesystem,
    join,
    local_work_folder,
    readable_copy,
    version_key,
)

ENGINES = ("local", "dask")
#: Tables written as Parquet only: ``sectors`` has a row per sentence and area, and as CSV it
#: alone would take more bytes than the input has characters.
PARQUET_ONLY = frozenset({"sectors"})


def csv_mode(csv: str, n_files: int, plain_max_files: int | None = None) -> str:
    """How the tables' CSV copies are written: ``"plain"``, ``"gz"`` or ``"none"``.

    ``csv="auto"`` decides before anything is written, from the number of input files:
    ``NAME.csv`` when there are at most ``plain_max_files`` (default: the evidence pages'
    threshold, :data:`govreport.evidence.AUTO_MAX_REPORTS`, 1,000 — at that size people open
    the CSVs in Excel), else ``NAME.csv.gz`` (CSVs for programs; pandas, R and data.table
    read them directly; Excel opens no more than 1,048,576 rows anyway). A file holds one
    report or more, so a build of 1,000 files or fewer may still have over 1,000 reports.

    >>> csv_mode("auto", 44), csv_mode("auto", 5000), csv_mode("auto", 3, plain_max_files=2)
    ('plain', 'gz', 'gz')
    """
    if csv not in ("auto", *CSV_MODES):
        raise ValueError(f"csv must be one of auto, {', '.join(CSV_MODES)}, not {csv!r}")
    if csv != "auto":
        return csv
    if plain_max_files is None:
        from .evidence import AUTO_MAX_REPORTS

        plain_max_files = AUTO_MAX_REPORTS
    return "plain" if n_files <= plain_max_files else "gz"


# --------------------------------------------------------------------------- inputs


def input_files(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[str]:
    """Files under ``paths`` (local files and folders, or fsspec URLs), in a stable order."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out: list[str] = []
    for p in paths:
        p = os.fspath(p)
        if not is_url(p):
            out += [str(f) for f in iter_files(p)]
            continue
        fs, root = filesystem(p)
        if fs.isdir(root):
            proto = p.split("://", 1)[0]
            for f in sorted(fs.find(root)):
                rel = f[len(root):].strip("/").split("/")
                if any(part.startswith(".") for part in rel) or rel[-1].lower() == "readme.md":
                    continue
                out.append(f"{proto}://{f.lstrip('/')}" if proto != "memory" else f"memory://{f}")
        else:
            out.append(p)
    return out


def _size(path: str) -> int:
    try:
        if is_url(path):
            fs, inner = filesystem(path)
            return int(fs.size(inner) or 0)
        return os.path.getsize(path)
    except OSError:
        return 0


def _digest(path: str) -> tuple[str | None, int]:
    """sha256 and size of a file's bytes; (None, 0) when it cannot be read."""
    try:
        if is_url(path):
            fs, inner = filesystem(path)
            with fs.open(inner, "rb") as fh:
                h = hashlib.file_digest(fh, "sha256")
            return h.hexdigest(), fs.size(inner) or 0
        p = Path(path)
        if not p.is_file():
            return None, 0
        with p.open("rb") as fh:
            h = hashlib.file_digest(fh, "sha256")
        return h.hexdigest(), p.stat().st_size
    except OSError:
        return None, 0


# --------------------------------------------------------------------------- engines


def _worker_init() -> None:
    """A worker dies with its parent: SIGKILL on the parent's death (Linux), else a watchdog."""
    import signal
    import threading

    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class _Done:
    """A result computed at once (``jobs=1`` or a cache hit), shaped like a future."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        return self.value


class InlineEngine:
    workers = 1
    time_limit: float | None = TIME_LIMIT  # seconds per file (set by build)

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def submit(self, paths: list[str], keys: list[str | None] | None = None) -> _Done:
        return _Done(process_batch(paths, self.max_bytes, time_limit=self.time_limit))

    def restart(self) -> None:
        pass

    def close(self) -> None:
        pass


class LocalEngine:
    """``jobs`` worker processes on this machine (which also write the per-file cache)."""

    time_limit: float | None = TIME_LIMIT
    cache: Cache | None = None  # set by build: the workers write its entries
    csv_tables: list[str] | None = None  # set by build: the workers render these tables' CSV lines
    #: Called once after the first task is sent, when the workers are forked (a fork-context
    #: pool forks them all then): the build starts importing the charts' modules.
    on_started: Callable[[], None] | None = None

    def __init__(self, jobs: int, max_bytes: int) -> None:
        self.workers, self.max_bytes = jobs, max_bytes
        self.pool = self._pool()

    def _pool(self) -> Any:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=_worker_init)

    def submit(self, paths: list[str], keys: list[str | None] | None = None) -> Any:
        cache = self.cache if keys is not None else None  # the worker writes the cache entries
        future = self.pool.submit(_batch_and_cache, paths, keys, cache, self.max_bytes, self.time_limit,
                                  self.csv_tables)
        if self.on_started is not None:
            started, self.on_started = self.on_started, None
            started()
        return future

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._pool()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """The same per-file function on a dask.distributed cluster (a LocalCluster without an address)."""

    time_limit: float | None = TIME_LIMIT
    csv_tables: list[str] | None = None  # set by build: the workers render these tables' CSV lines

    def __init__(self, jobs: int, max_bytes: int, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise RuntimeError("engine 'dask' needs dask[distributed]: pip install 'dask[distributed]'") from err
        import logging

        self.max_bytes = max_bytes
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or jobs)

    def submit(self, paths: list[str], keys: list[str | None] | None = None) -> Any:
        return self.client.submit(_batch_and_cache, paths, None, None, self.max_bytes, self.time_limit,
                                  self.csv_tables, pure=False)

    def restart(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(engine: str, jobs: int, max_bytes: int, scheduler: str | None = None) -> Any:
    if engine == "dask":
        return DaskEngine(jobs, max_bytes, scheduler)
    if engine != "local":
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    return InlineEngine(max_bytes) if jobs <= 1 else LocalEngine(jobs, max_bytes)


# --------------------------------------------------------------------------- stage 1


#: A batch sent to a worker holds at most this many bytes of input and this many files
#: (fewer when the corpus is small, so that every worker has work).
BATCH_BYTES = 2**20
BATCH_FILES = 400
#: The last batches get smaller (down to this many bytes), so that the workers finish together.
MIN_BATCH_BYTES = 64 * 2**10


class _Item:
    __slots__ = ("path", "digest", "size", "key")

    def __init__(self, path: str, digest: str | None, size: int, key: str | None) -> None:
        self.path, self.digest, self.size, self.key = path, digest, size, key


class _Job:
    """Files of one batch in flight (or one file from the cache)."""

    __slots__ = ("items", "future", "cached", "stored")

    def __init__(self, items: list[_Item], future: Any, cached: bool = False, stored: bool = False) -> None:
        self.items, self.future, self.cached = items, future, cached
        self.stored = stored  # the worker wrote the files' cache entries


def _cache_files(cache: Cache, keys: list[str | None], res: BatchTables) -> None:
    """The batch's tables into the cache once, with an entry for each of its files (but a
    timeout or a dead worker: those depend on luck). Not split here: :meth:`Cache.get` splits."""
    errors = res.tables.get("errors")
    luck: set[str] = set()
    if errors is not None and len(errors) and "stage" in errors:
        luck = set(errors.loc[errors["stage"].isin(("timeout", "worker")), "source"])
    if luck and len(res.files) == 1:  # one file has every row (as _split gives it)
        keys = [None]
    if res.csv:  # the workers' CSV lines (Dask: the parent caches) are not part of the tables
        res = BatchTables(res.tables, res.files, res.seconds)
    cache.put_batch([k if _source_of(f.path) not in luck else None
                     for k, f in zip(keys, res.files, strict=True)], res)


def _batch_and_cache(paths: list[str], keys: list[str | None] | None, cache: Cache | None, max_bytes: int,
                     time_limit: float | None, csv_tables: list[str] | None = None) -> BatchTables:
    """:func:`process_batch` in a worker, which also writes the batch to the cache (so the
    parent does not pickle it again) and renders the CSV lines of ``csv_tables`` (so the
    parent, which writes every row, only appends them)."""
    res = process_batch(paths, max_bytes, time_limit=time_limit)
    if cache is not None and keys is not None:
        try:
            _cache_files(cache, keys, res)
        except Exception:  # noqa: BLE001 - an entry not written is only computed again next time
            pass
    for name in csv_tables or ():
        df = res.tables.get(name)
        if df is not None and len(df) and _rows_render_alone(df):
            res.csv[name] = csv_lines(df)
    return res


def _dead_worker(path: str, err: BaseException | None = None) -> FileTables:
    why = f"{type(err).__name__}: {err}" if err else "the worker process died while reading this file"
    row = error_row(Path(path).name, "worker", f"{path}: {why}")
    return FileTables(path, {"errors": pd.DataFrame([row])})


def _file_results(files: list[str], engine: Any, cache: Cache | None, batch_bytes: int, total_bytes: int = 0
                  ) -> Iterator[tuple[list[_Item], BatchTables, bool]]:
    """Tables of the files in input order, batch by batch, computed by ``engine`` or cached.

    ``total_bytes``: the files' size, when known; then a batch holds at most the bytes left
    divided by the number of workers, so the last batches are small and no worker waits long
    for the others at the end.
    """
    from concurrent.futures.process import BrokenProcessPool

    window = 2 * engine.workers + 1
    pending: deque[_Job] = deque()
    batch: list[_Item] = []
    batch_size = 0
    left = total_bytes  # bytes of the files not yet in a batch
    names: set[str] = set()

    stores = cache is not None and getattr(engine, "cache", None) is cache  # workers write the cache

    def send(job: _Job) -> None:
        job.future = engine.submit([i.path for i in job.items], [i.key for i in job.items] if stores else None)
        job.stored = stores

    def submit() -> None:
        nonlocal batch, batch_size
        if batch:
            job = _Job(batch, None)
            send(job)
            pending.append(job)
            batch, batch_size = [], 0
            names.clear()

    def one_by_one(job: _Job) -> BatchTables:
        """A batch whose worker died: each file alone, so only the culprit is lost."""
        engine.restart()
        for other in pending:
            if not other.cached:
                send(other)
        parts: list[FileTables] = []
        for item in job.items:
            try:
                parts += engine.submit([item.path]).result().split()
            except BrokenProcessPool:
                engine.restart()
                for other in pending:
                    if not other.cached:
                        send(other)
                parts.append(_dead_worker(item.path))
        job.stored = False  # the parent caches these
        return _merge(parts)

    def finish(job: _Job) -> tuple[list[_Item], BatchTables, bool]:
        if job.cached:
            return job.items, job.future.result(), True
        try:
            res = job.future.result()
        except BrokenProcessPool:
            res = one_by_one(job)
        except Exception as err:  # noqa: BLE001 - e.g. a lost Dask worker
            res = _merge([_dead_worker(i.path, err) for i in job.items])
        if cache is not None and not job.stored:
            _cache_files(cache, [i.key for i in job.items], res)
        return job.items, res, False

    for path in files:
        digest, size = _digest(path)
        key = cache.key(path, digest) if cache is not None and digest else None
        item = _Item(path, digest, size, key)
        hit = cache.get(key) if key else None
        if hit is not None:
            submit()
            pending.append(_Job([item], _Done(BatchTables(hit.tables, [hit])), cached=True))
        else:
            name = Path(path).name
            limit = batch_bytes
            if total_bytes:
                limit = min(batch_bytes, max(MIN_BATCH_BYTES, (left + batch_size) // engine.workers))
            if batch and (name in names or len(batch) >= BATCH_FILES or batch_size + size > limit):
                submit()
            batch.append(item)
            batch_size += size
            names.add(name)
        left -= size
        while pending and (len(pending) >= window or pending[0].future.done()):
            yield finish(pending.popleft())
    submit()
    while pending:
        yield finish(pending.popleft())


def _split(res: BatchTables) -> list[FileTables]:
    """:meth:`BatchTables.split`, by slices: a file's rows are consecutive in each table.

    Slices are cheap and pickle only their own rows; a table whose rows of one file are
    not consecutive (never so far) falls back to ``split``.
    """
    if len(res.files) == 1:
        return res.split()
    bounds: dict[str, dict[str, tuple[int, int]]] = {}
    for name, df in res.tables.items():
        if not len(df) or "source" not in df:
            bounds[name] = {}
            continue
        sources = df["source"].to_numpy(object)
        starts = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]])
        ends = np.r_[starts[1:], len(sources)]
        runs = dict(zip(sources[starts].tolist(), zip(starts.tolist(), ends.tolist(), strict=True), strict=True))
        if len(runs) != len(starts):  # a file's rows in two places
            return res.split()
        bounds[name] = runs
    out = []
    for f in res.files:
        source = _source_of(f.path)
        tables = {}
        for name, df in res.tables.items():
            a, b = bounds[name].get(source, (0, 0))
            tables[name] = df.iloc[a:b].reset_index(drop=True)
        out.append(FileTables(f.path, tables, f.n_reports, f.n_chars, f.seconds))
    return out


def _merge(parts: list[FileTables]) -> BatchTables:
    names = list(dict.fromkeys(n for p in parts for n in p.tables))
    tables = {n: pd.concat([p.tables[n] for p in parts if n in p.tables], ignore_index=True) for n in names}
    return BatchTables(tables, [FileTables(p.path, {}, p.n_reports, p.n_chars, p.seconds) for p in parts])


# --------------------------------------------------------------------------- stage 2


def _panel(tables: DatasetWriter, jobs: int = 1) -> Iterable[pd.DataFrame] | None:
    """The panel, by groups of regions (:mod:`govreport.panel_groups`; ``jobs`` processes),
    else of everything at once."""
    from .panel import INDICATOR_INPUT_COLUMNS, REPORT_INPUT_COLUMNS, panel
    from .panel_groups import CannotGroup, grouped_panel

    # only the columns panel uses; those the reports give are not read from the indicators
    reports = tables.read("reports", columns=REPORT_INPUT_COLUMNS)
    if reports is None or not tables.has("indicators"):
        return None
    columns = [c for c in INDICATOR_INPUT_COLUMNS if c in ("source", "part") or c not in reports]
    try:
        return grouped_panel(reports, lambda names: tables.batches("indicators", names), columns,
                             folder=tables.local_staging(), jobs=jobs)
    except CannotGroup:
        return [panel((reports, tables.read("indicators", columns=columns)))]


#: Steps across reports: ``(table name, function of the stage-1 tables and the processes it may
#: use)``. A step reads the tables of stage 1 (``tables.read("indicators")``,
#: ``tables.batches(...)``) and returns a new table, as a DataFrame or an iterable of its pieces
#: in order (closed after, if it can be), or None.
CORPUS_STEPS: list[tuple[str, Callable[[DatasetWriter, int], pd.DataFrame | Iterable[pd.DataFrame] | None]]] = [
    ("panel", _panel),
]


def corpus_stage(tables: DatasetWriter, log: Callable[[str], None], jobs: int = 1) -> tuple[list[str], list[dict]]:
    """Run :data:`CORPUS_STEPS` (each may use ``jobs`` processes), writing their tables; a
    failing step is an error row, never fatal.

    Returns the names of the tables written (closed, so they can be read back) and error rows.
    """
    names: list[str] = []
    errors: list[dict] = []

    def failed(name: str, err: Exception) -> None:  # no table (none half written), an error row
        tables.discard(name)
        errors.append(error_row("", name, f"{type(err).__name__}: {err}"))
        log(f"{name} failed: {type(err).__name__}: {err}")

    for name, step in CORPUS_STEPS:
        try:
            result = step(tables, jobs)
        except ImportError as err:
            tables.discard(name)
            log(f"skipped {name}: {err}")
            continue
        except Exception as err:  # noqa: BLE001 - later steps never stop the build
            failed(name, err)
            continue
        if result is None:
            tables.discard(name)
            continue
        try:
            for piece in [result] if isinstance(result, pd.DataFrame) else result:
                tables.add({name: piece})
        except Exception as err:  # noqa: BLE001 - failing part way
            failed(name, err)
            continue
        finally:
            if hasattr(result, "close") and not isinstance(result, pd.DataFrame):
                result.close()
        names.append(name)
    tables.close(keep_open=[n for n in tables.tables if n not in names])
    return names, errors


#: The thread importing the charts' modules during stage 1 (see :func:`_preload_figures`).
_PRELOADING: list[threading.Thread] = []


def _preload_figures() -> None:
    """Import matplotlib and the CJK font in a thread while the workers read the files, so
    the charts' processes, forked after stage 1, start drawing at once (about 0.5 s of one
    core off the build's critical path). Any fork first waits for the thread
    (:func:`_join_preload`): a process forked in the middle of an import could hang."""
    def run() -> None:
        try:
            from .figures import preload

            preload()
        except Exception:  # noqa: BLE001 - _figures imports again and logs what is missing
            pass

    thread = threading.Thread(target=run, name="govreport-preload-figures", daemon=True)
    _PRELOADING.append(thread)
    thread.start()


def _join_preload() -> None:
    for thread in [t for t in _PRELOADING if t is not threading.current_thread()]:
        thread.join()
        _PRELOADING.remove(thread)


os.register_at_fork(before=_join_preload)


def _figures(out: str, read: Callable[..., pd.DataFrame | None], tables: dict[str, pd.DataFrame],
             docs_figures: str | os.PathLike[str] | None, log: Callable[[str], None], jobs: int = 1,
             panel: bool | None = None) -> Callable[[], None]:
    """Start drawing the charts (in processes while the build goes on); returns ``finish()``.

    ``panel``: None, every chart; False, those drawn without the panel
    (:data:`govreport.figures.WITHOUT_PANEL`, started before it); True, the others.
    ``docs_figures`` is filled when they finish.
    """
    _join_preload()
    try:
        from .figures import FIGURE_NAMES, WITHOUT_PANEL, start_figures
    except ImportError as err:
        if panel is not False:  # said once
            log(f"skipped figures: {err}")
        return lambda: None
    stems = [s for s in FIGURE_NAMES if panel is None or (s not in WITHOUT_PANEL) == panel]
    have = {name: df for name in ("reports", "attention") if (df := read(name)) is not None}
    have.update(tables)
    docs = Path(docs_figures) if docs_figures else None

    def failed(err: Exception) -> None:
        log(f"figures failed: {type(err).__name__}: {err}")

    if is_url(out):
        import tempfile

        try:
            fs, root = filesystem(out)
            work = local_work_folder(root, fs)  # removed by the next build, should this one be killed
            os.makedirs(work, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=work) as tmp:
                start_figures(None, have, Path(tmp), docs_dir=docs, stems=stems)()
                for f in Path(tmp).iterdir():
                    fs.put(str(f), join(root, "figures", f.name))
        except Exception as err:  # noqa: BLE001 - charts never stop the build
            failed(err)
        return lambda: None
    try:
        wait = start_figures(None, have, Path(out) / "figures", docs_dir=docs, jobs=jobs, stems=stems)
    except Exception as err:  # noqa: BLE001 - charts never stop the build
        failed(err)
        return lambda: None

    def finish() -> None:
        try:
            wait()
        except Exception as err:  # noqa: BLE001 - charts never stop the build
            failed(err)

    return finish


def _evidence(out: str, read: Callable[..., pd.DataFrame | None], tables: dict[str, pd.DataFrame],
              dropped: pd.DataFrame | None, log: Callable[[str], None], jobs: int = 1) -> list[dict]:
    """The evidence pages (``OUT/evidence``), each report read again from its file; error rows."""
    from .evidence import write_evidence

    reports = read("reports")
    if reports is None or is_url(out):
        return []
    _, errors = write_evidence(Path(out) / "evidence", reports, read("indicators"), panel=tables.get("panel"),
                               dropped=dropped, log=log, jobs=jobs)
    return errors


# --------------------------------------------------------------------------- the build


class _Progress:
    """One bar over files with reports/s and an ETA (tqdm), or nothing when quiet."""

    def __init__(self, total: int, show: bool) -> None:
        self.bar = None
        self.t0 = time.perf_counter()
        self.last = 0.0
        if show and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", desc="building", file=sys.stderr)

    def update(self, reports: int, cached: int) -> None:
        if self.bar is None:
            return
        now = time.perf_counter()
        if now - self.last > 0.5 or self.bar.n + 1 == self.bar.total:
            self.last = now
            rate = reports / max(now - self.t0, 1e-9)
            self.bar.set_postfix_str(f"{reports} reports, {rate:.1f} reports/s, {cached} cached", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def build(
    paths: Iterable[str | os.PathLike[str]] | str = "data/raw",
    out: str | os.PathLike[str] = "data/processed",
    *,
    jobs: int | None = None,
    quiet: bool = False,
    figures: bool = True,
    docs_figures: str | os.PathLike[str] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
    max_bytes: int = MAX_BYTES,
    evidence: bool | None = None,
    corrections: str | os.PathLike[str] | None = "auto",
    time_limit: float | None = TIME_LIMIT,
    csv: str = "auto",
    csv_plain_max_files: int | None = None,
) -> Built:
    """Read ``paths`` and write every table (and the charts unless ``figures=False``) to ``out``.

    ``jobs``: worker processes (default: all cores; 1 runs in this process). ``engine="dask"``
    runs the per-file pass on a dask.distributed cluster at ``scheduler`` (an address; a
    LocalCluster with ``jobs`` workers when None). ``paths`` and ``out`` may be fsspec URLs.
    ``cache=False`` ignores the per-file cache. ``docs_figures``: also copy the README's
    charts there (the repository's Makefile does). Returns the built tables (:func:`govreport.open`).
    ``evidence``: write ``OUT/evidence/`` (a page per report, an index); None (default): when
    the corpus has at most :data:`govreport.evidence.AUTO_MAX_REPORTS` reports (else a log line
    says how to write them: ``govreport evidence OUT [SOURCE ...]``). ``corrections``: a
    corrections.csv applied to each file's indicator rows (``"auto"``: the one beside the raw data).
    ``time_limit``: seconds one file may take (None: unbounded); past it the file is an error
    row and the build goes on. ``csv``: the tables' CSV copies beside their Parquet —
    ``"plain"`` (``NAME.csv``, UTF-8 with BOM), ``"gz"`` (``NAME.csv.gz``, the same bytes
    gzip-compressed), ``"none"`` (Parquet only) or ``"auto"`` (default): plain for at most
    ``csv_plain_max_files`` input files (default 1,000, as the evidence pages), else gz
    (:func:`csv_mode`); the choice is in ``manifest.json`` (``parameters.csv``).

    Parameters
    ----------
    paths : files, directories or fsspec URLs to read (as :func:`govreport.read`).
    out : the output directory (or fsspec URL).
    jobs, engine, scheduler, cache, docs_figures : as above.
    quiet : no progress bar or log.
    figures : also draw the charts.
    max_bytes : files larger than this are skipped with an error row.

    Raises ``FileNotFoundError`` when no input path exists.

    Example: ``govreport.build("data/raw", "data/processed")``, then ``govreport.open("data/processed")``.
    """
    t0 = time.perf_counter()
    out_s = os.fspath(out)

    def log(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr)

    path_list = as_path_list(paths)  # a clear TypeError for None, bytes …
    local = [p for p in path_list if not is_url(os.fspath(p))]
    if local and len(local) == len(path_list):
        _check_paths_exist(local)  # FileNotFoundError when none of them exists
    jobs = jobs or os.cpu_count() or 1
    files = input_files(path_list)
    if not is_url(out_s):  # before anything is read or written: never overwrite an input
        check_output(out_s, [p for p in path_list if not is_url(os.fspath(p))], [f for f in files if not is_url(f)])
        files = [f for f in files if is_url(f) or not is_output(f, out_s)]  # outputs are never inputs
    fs, root = filesystem(out_s)
    fs.makedirs(root, exist_ok=True)
    clean_stale(out_s)
    if fs.exists(join(root, MANIFEST)):
        fs.rm(join(root, MANIFEST))  # the manifest says a build finished: not until this one has
    csv = csv_mode(csv, len(files), csv_plain_max_files)  # before anything is written
    if csv == "gz":
        log(f"tables' CSV copies gzip-compressed (NAME.csv.gz) for {len(files)} input files "
            "(--csv plain writes NAME.csv)")
    writer = DatasetWriter(out_s, parquet_only=PARQUET_ONLY, csv=csv)
    store = Cache(out_s, version_key(max_bytes=max_bytes), split=_split) if cache else None
    inputs: list[dict] = []
    used_keys: list[str] = []  # the cache entries this build read or wrote
    n_reports = n_chars = n_cached = 0
    if not files:
        where = ", ".join(map(str, path_list))
        writer.add({"errors": pd.DataFrame([error_row(where, "read", f"{where}: no readable files found")])})
    runner = make_engine(engine, jobs, max_bytes, scheduler) if files else None
    if runner is not None:
        runner.time_limit = time_limit  # seconds per file; past it the file is an error row
        if isinstance(runner, LocalEngine):
            runner.cache = store
        if figures and not is_url(out_s) and runner.workers > 1:  # the charts' imports while the workers read
            if isinstance(runner, LocalEngine):
                runner.on_started = _preload_figures  # once its workers are forked
            elif isinstance(runner, DaskEngine):
                _preload_figures()  # its workers are other programs
    progress = _Progress(len(files), not quiet)
    fixer = Corrector.for_build(path_list, corrections)
    if isinstance(runner, LocalEngine | DaskEngine) and not fixer:  # (corrections change rows)
        runner.csv_tables = writer.csv_tables(TABLES)  # the workers render their rows' CSV lines
    # batches small enough that every worker has several
    total = sum(_size(f) for f in files) if runner is not None and runner.workers > 1 else 0
    batch_bytes = max(MIN_BATCH_BYTES, min(BATCH_BYTES, total // (4 * runner.workers))) if total else BATCH_BYTES
    try:
        for items, res, cached in (_file_results(files, runner, store, batch_bytes, total) if runner else ()):
            if fixer:  # corrections file by file (each file is read again for its text)
                for ft in _split(res):
                    writer.add(fixer.apply_file(ft.tables, ft.path))
            else:
                writer.add(res.tables, csv=getattr(res, "csv", None))
            for item, ft in zip(items, res.files, strict=True):
                n_reports += ft.n_reports
                n_chars += ft.n_chars
                n_cached += cached
                inputs.append({"path": item.path, "sha256": item.digest, "bytes": item.size})
                if item.key is not None:
                    used_keys.append(item.key)
                progress.update(n_reports, n_cached)
    except BaseException:
        progress.close()
        writer.abort()
        raise
    finally:
        if runner is not None:
            runner.close()
        _join_preload()
    progress.close()
    if fixer:
        writer.add({"errors": fixer.finish()})
        inputs.append(fixer.manifest_entry())  # the manifest names the corrections applied
    writer.close(keep_open=("errors",))
    steps = {"files": time.perf_counter() - t0}  # seconds: start to the end of stage 1, then each step
    tables: dict[str, pd.DataFrame] = {}
    finish_figures: Callable[[], None] = lambda: None  # noqa: E731
    if n_reports:
        early = figures and not is_url(out_s)
        if early:  # charts that need no panel start now, drawn in other processes meanwhile
            mark = time.perf_counter()
            finish_first = _figures(out_s, writer.read, {}, None, log, jobs, panel=False)
            steps["figures"] = time.perf_counter() - mark
        mark = time.perf_counter()
        names, stage_errors = corpus_stage(writer, log, jobs if engine == "local" else 1)
        steps["corpus"] = time.perf_counter() - mark
        if figures or evidence is not False:  # the charts and pages take the new tables as written
            tables = {name: df for name in names if (df := writer.read(name)) is not None}
        if figures:  # drawn in other processes while the evidence pages are written
            mark = time.perf_counter()
            finish_rest = _figures(out_s, writer.read, tables, docs_figures, log, jobs, panel=True if early else None)
            finish_figures = (lambda: (finish_first(), finish_rest())) if early else finish_rest
            steps["figures"] = steps.get("figures", 0.0) + time.perf_counter() - mark
        if evidence is None:
            from .evidence import AUTO_MAX_REPORTS

            evidence = n_reports <= AUTO_MAX_REPORTS
            if not evidence:
                log(f"no evidence pages for {n_reports} reports (more than {AUTO_MAX_REPORTS}): "
                    f"`govreport evidence {out_s} [SOURCE ...]` writes them, or build with --evidence")
        if evidence:
            mark = time.perf_counter()
            stage_errors += _evidence(out_s, writer.read, tables, fixer.dropped_rows() if fixer else None, log, jobs)
            steps["evidence"] = time.perf_counter() - mark
        if stage_errors:
            writer.add({"errors": pd.DataFrame(stage_errors)})
    else:  # no table across reports: the previous build's go too
        for name, _ in CORPUS_STEPS:
            writer.discard(name)
    counts = writer.close()
    errors = writer.read("errors")
    versions = _versions()  # while the charts are drawn
    if store is not None:  # the cache keeps what this build used (other entries, orphans, temporaries go)
        pruned = store.prune(used_keys)
        if pruned:
            log(f"cache: {pruned} files of earlier builds removed")
    mark = time.perf_counter()
    finish_figures()
    if "figures" in steps:  # starting them (all of it with one job) and waiting after the pages
        steps["figures"] += time.perf_counter() - mark
    writer.commit()
    seconds = time.perf_counter() - t0
    _write_manifest(fs, root, paths, out_s, jobs, engine, scheduler, max_bytes, cache, figures,
                    inputs, counts, n_reports, n_chars, n_cached, seconds, time_limit=time_limit,
                    steps={k: round(v, 3) for k, v in steps.items()}, evidence=evidence, csv=csv,
                    versions=versions)
    if errors is not None and len(errors):
        for err in errors.head(20).itertuples():
            log(f"error: {err.source} [{err.stage}] {err.message}")
        if len(errors) > 20:
            log(f"... and {len(errors) - 20} more errors (see {readable_copy(out_s, 'errors', csv)})")
    log(f"{n_reports} reports from {len(files)} files ({n_cached} from the cache) in {seconds:.1f} s "
        f"({n_chars / max(seconds, 1e-9) / 1e6:.2f} M characters/s), {counts.get('indicators', 0)} indicator rows, "
        f"{counts.get('errors', 0)} errors -> {out_s}")
    return Built(out_s)


def _versions() -> dict[str, Any]:
    """The manifest's ``versions``: govreport (and its files' digest), Python, every dependency."""
    import platform

    import pyarrow

    import govreport

    from .provenance import dependency_versions
    from .store import _package_digest

    return {"govreport": govreport.__version__, "package_sha256": _package_digest(),
            "python": platform.python_version(), "pandas": pd.__version__,
            "pyarrow": pyarrow.__version__, "dependencies": dependency_versions()}


def _write_manifest(fs: Any, root: str, paths: Any, out: str, jobs: int, engine: str, scheduler: str | None,
                    max_bytes: int, cache: bool, figures: bool, inputs: list[dict], counts: dict[str, int],
                    n_reports: int, n_chars: int, n_cached: int, seconds: float,
                    time_limit: float | None = None, steps: dict[str, float] | None = None,
                    evidence: bool | None = None, csv: str | None = None,
                    versions: dict[str, Any] | None = None) -> None:
    """``manifest.json``, written last: versions, parameters, inputs with sha256, row counts."""
    paths_list = [os.fspath(paths)] if isinstance(paths, str | os.PathLike) else [os.fspath(p) for p in paths]
    manifest = {
        "versions": versions or _versions(),
        "parameters": {"paths": paths_list, "out": out, "jobs": jobs, "engine": engine,
                       "scheduler": scheduler, "max_bytes": max_bytes, "cache": cache, "figures": figures,
                       "evidence": evidence, "csv": csv, "time_limit": time_limit},
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "step_seconds": steps or {},
        "reports": n_reports,
        "characters": n_chars,
        "files_from_cache": n_cached,
        "tables": counts,
        "inputs": inputs,
    }
    tmp = join(root, f".{MANIFEST}.tmp")
    with fs.open(tmp, "wb") as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    fs.mv(tmp, join(root, MANIFEST))
