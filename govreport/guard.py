"""Guards of a build against its own inputs and outputs, and a time budget per file.

* :func:`check_output` refuses, before anything is read or written, an output folder that
  is a file, or whose build would overwrite (or remove) an input.
* :func:`is_output` tells which paths a build wrote: they are never read as inputs (the
  tables, charts, cache and temporaries in the output folder, and everything under a folder
  holding a govreport ``manifest.json``), so building twice gives the same tables.
* :func:`time_budget` interrupts a file's work after a number of seconds (nestable: the PDF
  reader's own limit runs inside it): an alarm signal in the main thread; in any other thread
  (a dask worker's) the process's one watchdog thread, reused file after file, raises at the
  thread's next Python step.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

#: Wall-clock seconds one file may take (read, normalise, extract, measure); change with
#: ``build(..., time_limit=)`` or ``govreport build --time-limit``.
TIME_LIMIT = 300.0


class OutputError(ValueError):
    """The output folder cannot be used (a file, or it would overwrite an input)."""


class FileTimeout(BaseException):
    """A file went over its time budget; a BaseException so that no ``except Exception`` eats it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took over the {seconds:g} s time limit per file (hostile or pathological "
                         "input?); not read (time_limit= or --time-limit to change)")
        self.seconds = seconds


# --------------------------------------------------------------------------- outputs


def output_names() -> set[str]:
    """Names a build writes (or replaces) directly inside its output folder."""
    from .build import CORPUS_STEPS
    from .pipeline import TABLES
    from .store import CACHE, MANIFEST, STAGING

    names = {MANIFEST, STAGING, CACHE, "figures", "evidence", f".{MANIFEST}.tmp"}
    for t in (*TABLES, *(name for name, _ in CORPUS_STEPS)):
        names |= {t, f"{t}.csv", f"{t}.csv.gz", f"{t}.parquet"}
    return names


def _temporary(name: str) -> bool:
    """A temporary a killed build may leave (``.reports.x1y2.csv``), removed by the next one."""
    return bool(re.match(r"^\.[^.]+\..+", name))


@lru_cache(maxsize=256)
def holds_manifest(folder: str) -> bool:
    """Whether ``folder`` holds a ``manifest.json`` written by govreport (a build's output)."""
    from .store import MANIFEST

    p = Path(folder) / MANIFEST
    if not p.is_file():
        return False
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
        return b'"govreport"' in head or "govreport" in json.loads(p.read_bytes()).get("versions", {})
    except (OSError, ValueError, AttributeError):
        return False


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def is_output(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``path`` was written by a build: never an input.

    True for what a build writes inside ``out`` (tables, charts, cache, temporaries) and for
    anything under a folder holding a govreport manifest.
    """
    p = Path(os.path.abspath(path))
    if out is not None:
        o = Path(os.path.abspath(out))
        if o in p.parents:
            top = p.relative_to(o).parts[0]
            if top in output_names() or _temporary(top):
                return True
    return any(holds_manifest(str(d)) for d in p.parents)


def check_output(out: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]],
                 files: Iterable[str | os.PathLike[str]] | None = None) -> None:
    """Refuse an output folder before anything is read: raises :class:`OutputError`.

    ``out`` must not be a file, and must not be (or contain, or lie inside) an input path
    holding inputs the build would overwrite or remove: an input named like a table
    (``reports.csv``) in the output folder, or an input under a folder the build replaces.
    ``files``: the input files (default: found under ``inputs``).
    """
    o = Path(os.path.abspath(out))
    if o.exists() and not o.is_dir():
        raise OutputError(f"output {out} is a file, not a folder: choose a folder for --out")
    if not o.exists():
        return
    from .read import iter_files

    inputs = [os.fspath(p) for p in inputs]
    if files is None:
        files = iter_files([p for p in inputs if os.path.lexists(p)])
    names = output_names()
    for f in files:
        fp = Path(os.path.abspath(f))
        if o not in fp.parents or holds_manifest(str(o)):
            continue
        top = fp.relative_to(o).parts[0]
        if top in names or _temporary(top):
            given = next((p for p in inputs if _within(fp, Path(os.path.abspath(p)))), f)
            raise OutputError(
                f"output folder {out} would overwrite the input {f} (from the input path {given}): "
                "choose an --out outside the inputs, or move the input")


# --------------------------------------------------------------------------- time budget

_budgets: list[tuple[float, Callable[[], BaseException]]] = []  # (deadline, exception), outermost first
_previous_handler: list = []


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _arm() -> None:
    if not _budgets:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    soonest = min(d for d, _ in _budgets)
    signal.setitimer(signal.ITIMER_REAL, max(soonest - time.monotonic(), 1e-4))


def _on_alarm(signum, frame) -> None:
    now = time.monotonic()
    for deadline, make in _budgets:  # the outermost budget that is due wins
        if deadline <= now + 1e-3:
            raise make()
    _arm()


@contextlib.contextmanager
def time_budget(seconds: float | None, exception: Callable[[], BaseException] | None = None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with ``exception()`` (default :class:`FileTimeout`).

    Budgets nest (the earliest deadline fires; when several are due the outermost wins). In the
    main thread an alarm signal interrupts the block (a long regex search included); in another
    thread (a dask worker's) a watchdog raises the exception at the thread's next Python step,
    so one long call into C (a regex search, a parser's) ends first. On a platform without
    ``setitimer`` the main thread's block runs unbounded.
    """
    if not seconds or seconds <= 0:
        yield
        return
    make = exception or (lambda: FileTimeout(seconds))
    if threading.current_thread() is not threading.main_thread():
        with _thread_budget(seconds, make):
            yield
        return
    if not _usable():
        yield
        return
    entry = (time.monotonic() + seconds, make)
    if not _budgets:
        _previous_handler.append(signal.signal(signal.SIGALRM, _on_alarm))
    _budgets.append(entry)
    _arm()
    try:
        yield
    finally:
        _budgets.remove(entry)
        _arm()
        if not _budgets and _previous_handler:
            signal.signal(signal.SIGALRM, _previous_handler.pop())


# a thread's budgets: the watchdog raises in the thread (PyThreadState_SetAsyncExc)
_thread_lock = threading.Lock()
_thread_budgets: dict[int, list[tuple[float, type[BaseException]]]] = {}  # thread → budgets, outermost first


def _raisable(make: Callable[[], BaseException]) -> type[BaseException]:
    """A class whose no-argument instance is ``make()`` (an exception set in another thread is
    its class, instantiated without arguments)."""
    sample = make()
    base = type(sample)

    def init(self: BaseException) -> None:
        BaseException.__init__(self, *sample.args)
        self.__dict__.update(sample.__dict__)

    return type(base.__name__, (base,), {"__init__": init, "__module__": base.__module__,
                                         "__qualname__": base.__qualname__, "_watchdog": True})


def _set_async(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else None)


# One watchdog thread per process serves every thread's budgets (a dask worker's threads, file
# after file): it sleeps until the soonest deadline, or until a new budget is registered.
_fired: set[tuple[float, type[BaseException]]] = set()  # budgets whose deadline the watchdog has met
_wake = threading.Condition(_thread_lock)
_watchdog: list[threading.Thread] = []  # the process's watchdog, once started


def _watch() -> None:
    """The watchdog's loop: at each budget's deadline, raise in its thread the outermost budget
    that is due (a budget fires once; one left in time never fires)."""
    with _wake:
        while True:
            now = time.monotonic()
            soonest: float | None = None
            for thread, budgets in _thread_budgets.items():
                fresh = [e for e in budgets if e[0] <= now + 1e-3 and e not in _fired]
                if fresh:
                    _fired.update(fresh)
                    _set_async(thread, next(exc for deadline, exc in budgets if deadline <= now + 1e-3))
                waiting = [d for d, exc in budgets if (d, exc) not in _fired]
                if waiting:
                    soonest = min([*waiting, soonest] if soonest is not None else waiting)
            _wake.wait(None if soonest is None else max(soonest - now, 1e-4))


def _ensure_watchdog() -> None:
    """Start the process's watchdog if it is not running (called with ``_thread_lock`` held)."""
    if not _watchdog or not _watchdog[0].is_alive():
        _watchdog[:] = [threading.Thread(target=_watch, name="govreport-watchdog", daemon=True)]
        _watchdog[0].start()


def _after_fork() -> None:
    """A forked worker process starts with no watchdog and fresh locks (the parent's may be held)."""
    global _thread_lock, _wake
    _thread_lock = threading.Lock()
    _wake = threading.Condition(_thread_lock)
    _thread_budgets.clear()
    _fired.clear()
    _watchdog.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


@contextlib.contextmanager
def _thread_budget(seconds: float, make: Callable[[], BaseException]) -> Iterator[None]:
    thread = threading.get_ident()
    entry = (time.monotonic() + seconds, _raisable(make))
    try:  # registered inside the try: an exception arriving at any step still unregisters it
        with _thread_lock:  # the C lock, never the Condition's Python-level enter: an exception
            # raised in this thread between acquiring and entering would leave the lock held
            _thread_budgets.setdefault(thread, []).append(entry)
            _ensure_watchdog()
            _wake.notify()
        yield
    finally:
        _leave_thread_budget(thread, entry)


def _leave_thread_budget(thread: int, entry: tuple[float, type[BaseException]]) -> None:
    """Unregister ``entry``: its watchdog's exception, set but not yet raised, is dropped; an outer
    budget that is due fires. The watchdog may raise while this runs (the block had ended): that
    exception is swallowed and the unregistering done again, so no entry outlives its block."""
    left = False
    while True:
        try:
            with _thread_lock:
                budgets = _thread_budgets.get(thread, [])
                if entry in budgets:
                    budgets.remove(entry)
                _fired.discard(entry)
                _set_async(thread, None)
                left = True
                if not budgets:
                    _thread_budgets.pop(thread, None)
                due = [exc for deadline, exc in budgets if deadline <= time.monotonic() + 1e-3]
                if due:  # an outer budget that is due still fires
                    _set_async(thread, due[0])
            return
        except BaseException as exc:
            if left or not getattr(type(exc), "_watchdog", False):
                raise  # an outer budget's (set above) or not the watchdog's
