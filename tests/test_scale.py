"""The two-stage build: per-file tables, streamed datasets, manifest, cache, resuming, open()."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pandas as pd
import pytest

import govreport
from govreport.build import build
from govreport.corpus import OffsetMap
from govreport.pipeline import TABLES, process

REPORT = ("政府工作报告\n——2024年1月10日在某某县第十八届人民代表大会第三次会议上\n各位代表：\n"
          "现在，我代表县人民政府向大会报告工作。\n一、2023年工作回顾\n过去一年，全县地区生产总值增长{g}%，"
          "城镇新增就业{j}人。\n二、2024年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长{t}%左右，"
          "一般公共预算收入增长5%。推动绿色发展，建设数字政府。\n")


def _raw(tmp_path, n: int = 4):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(n):
        (raw / f"r{i}.txt").write_text(REPORT.format(g=5 + i / 10, j=1000 + i, t=6 + i / 10), encoding="utf-8")
    return raw


def _csvs(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def test_one_file_gives_small_tables_that_add_up_to_the_corpus(raw_dir):
    per_file = [process(str(p)) for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt"]
    assert all(set(r.tables) == set(TABLES) for r in per_file if r.n_reports)
    corpus = govreport.read(raw_dir)
    for name in ("reports", "sections", "indicators"):
        whole = getattr(corpus, name)
        pieces = pd.concat([r.tables[name] for r in per_file], ignore_index=True)
        pd.testing.assert_frame_equal(pieces, whole, check_dtype=False)
    # the worker returns rows and counts, never documents or token tables
    for r in per_file:
        for df in r.tables.values():
            assert not any(isinstance(v, govreport.Document) for v in df.to_numpy().ravel()[:50])
        assert "tokens" not in r.tables


def test_offsets_are_compact_and_exact():
    offsets = np.array([0, 1, 2, 3, 5, 6, 7, 7, 7, 8, 20, 21])
    m = OffsetMap.from_array(offsets)
    assert [m[i] for i in range(len(offsets))] == offsets.tolist()
    assert np.array_equal(np.asarray(m), offsets)
    assert m.runs == 7  # runs of equal steps: [0-3] [5] [6-7] [7-7] [8] [20] [21]
    with pytest.raises(IndexError):
        m[len(offsets)]


def test_seed_documents_keep_a_few_bytes_of_offsets_not_eight_per_character(seed_corpus):
    for d in seed_corpus.documents:
        assert isinstance(d.offsets, OffsetMap)
        assert d.offsets.nbytes < len(d.text)  # well under one byte a character
    row = seed_corpus.indicators.iloc[0]
    doc = seed_corpus.document(row.source, row.part)
    s, e = doc.raw_span(row.start, row.end)
    assert doc.raw[s:e].replace("\n", "") and doc.text[row.start:row.end] in doc.raw[s:e].replace("\n", "")


def test_build_streams_datasets_and_writes_the_manifest_last(tmp_path):
    raw = _raw(tmp_path)
    out = tmp_path / "out"
    built = build([raw], out, jobs=1, quiet=True, figures=False)
    assert len(built) == 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["reports"] == 4 and manifest["reports"] == 4
    assert manifest["tables"]["indicators"] == len(pd.read_csv(out / "indicators.csv"))
    assert [i["path"] for i in manifest["inputs"]] == [str(raw / f"r{i}.txt") for i in range(4)]
    import hashlib

    assert manifest["inputs"][0]["sha256"] == hashlib.sha256((raw / "r0.txt").read_bytes()).hexdigest()
    assert manifest["parameters"]["jobs"] == 1 and manifest["versions"]["govreport"] == govreport.__version__
    # the manifest is the last file written
    newest = max((p for p in out.rglob("*") if p.is_file() and ".govreport-cache" not in p.parts),
                 key=lambda p: p.stat().st_mtime_ns)
    assert newest.name == "manifest.json"
    # readable as one dataset by pandas (and by pyarrow / DuckDB / Dask alike)
    ind = pd.read_parquet(out / "indicators")
    assert set(ind.source) == {f"r{i}.txt" for i in range(4)}


def test_small_batches_make_several_row_groups_and_parts_with_the_same_rows(tmp_path, monkeypatch):
    import importlib

    import pyarrow.parquet as pq

    build_module = importlib.import_module("govreport.build")
    from govreport import store

    raw = _raw(tmp_path, 6)
    whole = tmp_path / "whole"
    build([raw], whole, jobs=1, quiet=True, figures=False, cache=False)
    monkeypatch.setattr(store, "BATCH_ROWS", 3)
    monkeypatch.setattr(store, "PART_ROWS", 15)
    monkeypatch.setattr(build_module, "BATCH_FILES", 2)  # batches of two files: the same rows
    small = tmp_path / "small"
    build([raw], small, jobs=1, quiet=True, figures=False, cache=False)
    assert _csvs(whole) == _csvs(small)
    parts = sorted((small / "indicators").iterdir())
    assert len(parts) > 1 and max(pq.ParquetFile(p).num_row_groups for p in parts) > 1
    pd.testing.assert_frame_equal(pd.read_parquet(small / "indicators"), pd.read_parquet(whole / "indicators"))


def test_cache_reprocesses_only_changed_files_and_gives_the_same_tables(tmp_path):
    raw = _raw(tmp_path)
    out = tmp_path / "out"
    build([raw], out, jobs=1, quiet=True, figures=False)
    first = _csvs(out)
    build([raw], out, jobs=1, quiet=True, figures=False)
    assert json.loads((out / "manifest.json").read_text())["files_from_cache"] == 4
    assert _csvs(out) == first
    (raw / "r9.txt").write_text(REPORT.format(g=9, j=9, t=9), encoding="utf-8")
    (raw / "r1.txt").write_text(REPORT.format(g=1, j=1, t=1), encoding="utf-8")
    build([raw], out, jobs=1, quiet=True, figures=False)
    m = json.loads((out / "manifest.json").read_text())
    assert m["files_from_cache"] == 3 and m["reports"] == 5
    fresh = tmp_path / "fresh"
    build([raw], fresh, jobs=1, quiet=True, figures=False, cache=False)
    assert _csvs(out) == _csvs(fresh)


def test_a_new_library_version_misses_the_cache(tmp_path, monkeypatch):
    from govreport import store

    raw = _raw(tmp_path, 2)
    out = tmp_path / "out"
    build([raw], out, jobs=1, quiet=True, figures=False)
    monkeypatch.setattr(govreport, "__version__", "999")
    build([raw], out, jobs=1, quiet=True, figures=False)
    assert json.loads((out / "manifest.json").read_text())["files_from_cache"] == 0
    assert store.version_key(max_bytes=1) != store.version_key(max_bytes=2)


def test_the_cache_keeps_what_the_last_build_used(tmp_path, monkeypatch):
    """Entries of an older library version, of files gone from the corpus, batches no entry
    names and a killed build's temporaries are removed at the end of a build; what the build
    used stays, and the next build takes every file from it."""
    raw = _raw(tmp_path, 4)
    out = tmp_path / "out"
    cache = out / ".govreport-cache"
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    entries = lambda: sorted(p for p in cache.rglob("*.pkl") if "batches" not in p.parts)  # noqa: E731
    assert len(entries()) == 4
    monkeypatch.setattr(govreport, "__version__", "999")  # every key changes
    (cache / "ab").mkdir(exist_ok=True)
    (cache / "ab" / "x.pkl.123.tmp").write_bytes(b"half")  # a killed build's temporary
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    assert len(entries()) == 4 and not list(cache.rglob("*.tmp"))
    assert len(list((cache / "batches").rglob("*.batch"))) == 1  # the first build's batch is gone
    (raw / "r3.txt").unlink()
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    assert len(entries()) == 3
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    assert json.loads((out / "manifest.json").read_text())["files_from_cache"] == 3


def test_stale_temporaries_of_a_killed_build_are_removed(tmp_path):
    raw = _raw(tmp_path, 2)
    out = tmp_path / "out"
    (out / ".govreport-staging" / "indicators").mkdir(parents=True)
    (out / ".govreport-staging" / "indicators" / "part-00000.parquet").write_bytes(b"half")
    (out / ".reports.abc123.csv").write_text("half", encoding="utf-8")
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    build([raw], out, jobs=1, quiet=True, figures=False)
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert hidden == [".govreport-cache"]
    assert json.loads((out / "manifest.json").read_text())["reports"] == 2


def test_old_single_file_tables_are_replaced(tmp_path):
    raw = _raw(tmp_path, 1)
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame({"x": [1]}).to_parquet(out / "indicators.parquet")
    build([raw], out, jobs=1, quiet=True, figures=False)
    assert not (out / "indicators.parquet").exists() and (out / "indicators").is_dir()


def test_open_reads_a_build_lazily_and_rereads_text_from_the_file(tmp_path):
    raw = _raw(tmp_path, 2)
    out = tmp_path / "out"
    build([raw], out, jobs=1, quiet=True, figures=False)
    built = govreport.open(out)
    assert len(built) == 2 and "panel" in built.names()
    ind = built.indicators
    pd.testing.assert_frame_equal(ind, pd.read_parquet(out / "indicators"))
    row = ind[ind.indicator == "gdp"].iloc[0]
    doc = built.document(row.source, row.part)
    s, e = doc.raw_span(row.start, row.end)
    assert doc.raw[s:e] == doc.text[row.start:row.end]
    assert built.text(row.source, row.part) == doc.text
    # a changed file is noticed, not silently misquoted
    shutil.copy(raw / "r1.txt", raw / "r0.txt")
    with pytest.raises(ValueError, match="changed since the build"):
        built.document("r0.txt", 0)
    with pytest.raises(KeyError):
        built.table("nope")


def test_open_of_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such build output"):
        govreport.open(tmp_path / "nothing")


@pytest.mark.parametrize("seed", range(20))
def test_offset_map_round_trips_any_monotone_map(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    steps = rng.choice([0, 1, 1, 1, 2, 5], size=max(n - 1, 0))
    offsets = np.concatenate(([rng.integers(0, 50)], rng.integers(0, 50) + np.cumsum(steps)))[:n] if n else np.zeros(0, int)
    m = OffsetMap.from_array(offsets)
    assert np.array_equal(np.asarray(m), offsets)
    assert [m[i] for i in range(n)] == offsets.tolist()


# --------------------------------------------------------------------------- engines and URLs


def test_dask_engine_on_a_local_cluster_writes_the_same_tables(raw_dir, tmp_path):
    pytest.importorskip("dask.distributed")
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    build([raw_dir], local, jobs=1, quiet=True, figures=False, evidence=False)
    built = build([raw_dir], dask_out, jobs=2, engine="dask", quiet=True, figures=False, evidence=False)
    assert len(built) == 14
    assert _csvs(local) == _csvs(dask_out)
    manifest = json.loads((dask_out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["engine"] == "dask" and manifest["files_from_cache"] == 0


def test_cli_runs_on_a_dask_scheduler_given_by_address(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from govreport.cli import main

    raw = _raw(tmp_path, 3)
    local = tmp_path / "local"
    build([raw], local, jobs=1, quiet=True, figures=False, evidence=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = main(["build", str(raw), "--out", str(tmp_path / "remote"), "--engine", "dask",
                     "--scheduler", cluster.scheduler_address, "--quiet", "--no-figures", "--no-evidence"])
    assert code == 0
    assert _csvs(local) == _csvs(tmp_path / "remote")


def test_inputs_and_outputs_may_be_fsspec_urls(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    raw = _raw(tmp_path, 3)
    mem = fsspec.filesystem("memory")
    for p in raw.iterdir():
        mem.pipe(f"/govreport-test/raw/{p.name}", p.read_bytes())
    try:
        local = tmp_path / "local"
        build([raw], local, jobs=1, quiet=True, figures=False, evidence=False)
        built = build(["memory://govreport-test/raw"], "memory://govreport-test/out", jobs=1, quiet=True,
                      figures=False, evidence=False)
        assert len(built) == 3
        for name in ("reports", "indicators", "attention", "errors"):
            got = mem.cat(f"/govreport-test/out/{name}.csv")
            want = (local / f"{name}.csv").read_bytes()
            if name == "reports":  # the path column names the URL
                got, want = got.replace(b"memory:///govreport-test/raw/", b""), want.replace(str(raw).encode() + b"/", b"")
            assert got == want, name
        assert mem.exists("/govreport-test/out/manifest.json")
        opened = govreport.open("memory://govreport-test/out")
        ind = opened.indicators
        row = ind[ind.indicator == "gdp"].iloc[0]
        doc = opened.document(row.source, row.part)  # the text read again from its URL
        assert doc.text[row.start:row.end] in doc.raw
        # a second build takes every file from the cache kept beside the output
        build(["memory://govreport-test/raw"], "memory://govreport-test/out", jobs=1, quiet=True,
              figures=False, evidence=False)
        assert json.loads(mem.cat("/govreport-test/out/manifest.json"))["files_from_cache"] == 3
    finally:
        mem.rm("/govreport-test", recursive=True)


def test_a_remote_build_keeps_its_local_temporaries_where_the_next_build_removes_them(tmp_path, monkeypatch):
    fsspec = pytest.importorskip("fsspec")
    from govreport import panel_groups, store

    made: list[str] = []
    real_mkdtemp = panel_groups.tempfile.mkdtemp

    def mkdtemp(**kw):  # the panel's temporary folder, watched
        made.append(real_mkdtemp(**kw))
        return made[-1]

    monkeypatch.setattr(panel_groups.tempfile, "mkdtemp", mkdtemp)
    raw = _raw(tmp_path, 3)
    out = "memory://govreport-test-work/out"
    mem = fsspec.filesystem("memory")
    work = store.local_work_folder(*reversed(store.filesystem(out)))
    try:
        build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
        assert made and all(os.path.dirname(p) == work for p in made)  # not loose in the temp dir
        assert not os.path.exists(work)  # a finished build removes it
        os.makedirs(os.path.join(work, "panel-left-by-a-killed-build"))
        build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
        assert not os.path.exists(work)
    finally:
        mem.rm("/govreport-test-work", recursive=True)
        shutil.rmtree(work, ignore_errors=True)


def test_open_with_the_dask_and_duckdb_backends(tmp_path):
    raw = _raw(tmp_path, 2)
    out = tmp_path / "out"
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    want = pd.read_parquet(out / "indicators")
    pytest.importorskip("dask.dataframe")
    lazy = govreport.open(out, backend="dask").indicators
    assert lazy.npartitions >= 1 and len(lazy.compute()) == len(want)
    duckdb = pytest.importorskip("duckdb")  # optional
    rel = govreport.open(out, backend="duckdb").table("indicators", ["source", "value"])
    assert isinstance(rel, duckdb.DuckDBPyRelation) and len(rel.df()) == len(want)


def test_a_killed_build_resumes_from_the_files_it_finished(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    raw = tmp_path / "raw"
    raw.mkdir()
    tasks = "推动绿色发展，建设数字政府，加快建设高标准农田。" * 1200  # ~30,000 characters a report
    for i in range(24):
        (raw / f"r{i:02d}.txt").write_text(REPORT.format(g=5 + i / 10, j=1000 + i, t=6 + i / 10) + tasks,
                                            encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "govreport", "build", str(raw), "--out", str(out), "--jobs", "1",
           "--quiet", "--no-figures", "--no-evidence"]
    proc = subprocess.Popen(cmd, start_new_session=True)
    cache = out / ".govreport-cache"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(cache.rglob("*.pkl"))) >= 1:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(cache.rglob("*.pkl")))
    assert 1 <= done < 24, done
    assert not (out / "manifest.json").exists()  # no finished build is claimed
    build([raw], out, jobs=1, quiet=True, figures=False, evidence=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files_from_cache"] >= done and manifest["reports"] == 24
    assert not (out / ".govreport-staging").exists()
    fresh = tmp_path / "fresh"
    build([raw], fresh, jobs=1, quiet=True, figures=False, evidence=False, cache=False)
    assert _csvs(out) == _csvs(fresh)


def test_the_builds_text_tables_equal_the_public_functions(seed_corpus):
    from govreport.attention import attention, sector_shares, sectors, term_frequency, text_measures

    got = text_measures(seed_corpus)
    pd.testing.assert_frame_equal(got["attention"], attention(seed_corpus))
    full = sectors(seed_corpus)
    # the build keeps each sentence's span, not a copy of its text
    assert list(got["sectors"].columns) == [*full.columns[:-1], "start", "end"]
    pd.testing.assert_frame_equal(got["sectors"].drop(columns=["start", "end"]), full.drop(columns=["text"]))
    texts = [seed_corpus.text(s, p)[a:b] for s, p, a, b in
             got["sectors"][["source", "part", "start", "end"]].itertuples(index=False)]
    assert texts == full["text"].tolist()
    pd.testing.assert_frame_equal(got["sector_shares"], sector_shares(full, seed_corpus.reports))
    tf = term_frequency(govreport.tokens(seed_corpus), by=["source", "part"], reports=seed_corpus)
    top = tf.sort_values(["source", "part", "count"], ascending=[True, True, False]).groupby(
        ["source", "part"], sort=False).head(50).reset_index(drop=True)
    pd.testing.assert_frame_equal(got["tokens_summary"], top)
