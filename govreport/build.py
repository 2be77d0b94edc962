"""The main job: read raw reports and write every table (Parquet and CSV) and the charts.

Outputs are written to a temporary name in the output directory and renamed, so a failed
build never leaves half a file; nothing is written outside ``out``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from .atomic import atomic_write
from .corpus import Corpus, read


def write_table(df: pd.DataFrame, out: Path, name: str) -> list[Path]:
    """Write ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in (".parquet", ".csv"):
        target = out / f"{name}{ext}"
        if ext == ".parquet":
            atomic_write(target, lambda tmp: _for_parquet(df).to_parquet(tmp, index=False))
        else:
            atomic_write(target, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))
        written.append(target)
    return written


def _for_parquet(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            sample = out[col].dropna()
            if len(sample) and not all(isinstance(v, str) for v in sample):
                out[col] = out[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return out


def _optional_tables(corpus: Corpus, log: Callable[[str], None]) -> dict[str, pd.DataFrame]:
    """Tables from the later pipeline steps; a failing step is logged, never fatal."""
    tables: dict[str, pd.DataFrame] = {}
    steps: list[tuple[str, Callable[[], pd.DataFrame]]] = []

    def panel() -> pd.DataFrame:
        from .panel import panel as make_panel

        return make_panel(corpus)

    steps.append(("panel", panel))

    def attention_tables() -> pd.DataFrame:
        from .attention import attention

        return attention(corpus)

    steps.append(("attention", attention_tables))

    def sectors() -> pd.DataFrame:
        from .attention import sectors as make_sectors

        return make_sectors(corpus)

    steps.append(("sectors", sectors))

    def sector_shares() -> pd.DataFrame:
        from .attention import sector_shares as shares

        return shares(tables["sectors"], corpus.reports)

    steps.append(("sector_shares", sector_shares))

    def token_summary() -> pd.DataFrame:
        from .attention import term_frequency
        from .tokens import tokens

        tok = tokens(corpus)
        tf = term_frequency(tok, by=["source", "part"], reports=corpus.reports)
        return tf.sort_values(["source", "part", "count"], ascending=[True, True, False]).groupby(
            ["source", "part"], sort=False).head(50).reset_index(drop=True)

    steps.append(("tokens_summary", token_summary))
    for name, step in steps:
        try:
            tables[name] = step()
        except ImportError as err:
            log(f"skipped {name}: {err}")
        except Exception as err:  # noqa: BLE001 - later steps never stop the build
            corpus._errors.append({"source": "", "part": None, "stage": name, "message": f"{type(err).__name__}: {err}"})
            log(f"{name} failed: {type(err).__name__}: {err}")
    return tables


def build(
    paths: Iterable[str | os.PathLike[str]] | str = "data/raw",
    out: str | os.PathLike[str] = "data/processed",
    *,
    jobs: int | None = None,
    quiet: bool = False,
    figures: bool = True,
    docs_figures: str | os.PathLike[str] | None = None,
) -> Corpus:
    """Read ``paths`` and write all tables (and charts unless ``figures=False``) to ``out``.

    ``docs_figures``: also copy the README's charts there (the repository's Makefile does).
    """
    out = Path(out)

    def log(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr)

    jobs = jobs or os.cpu_count() or 1
    corpus = read(paths, jobs=jobs, progress=not quiet)
    tables = {"reports": corpus.reports, "sections": corpus.sections, "indicators": corpus.indicators}
    if len(corpus):  # the later steps need at least one report
        tables.update(_optional_tables(corpus, log))
    tables["errors"] = corpus.errors
    for name, df in tables.items():
        write_table(df, out, name)
    if figures and len(corpus):
        try:
            from .figures import build_figures

            build_figures(corpus, tables, out / "figures", docs_dir=Path(docs_figures) if docs_figures else None)
        except ImportError as err:
            log(f"skipped figures: {err}")
        except Exception as err:  # noqa: BLE001
            log(f"figures failed: {type(err).__name__}: {err}")
    for err in corpus.errors.itertuples():
        log(f"error: {err.source} [{err.stage}] {err.message}")
    log(f"{len(corpus)} reports, {len(tables['indicators'])} indicator rows, {len(corpus.errors)} errors -> {out}")
    return corpus
