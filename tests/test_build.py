"""The main job: every table written twice (Parquet, CSV with BOM), atomically, reproducibly."""

import codecs

import pandas as pd
import pytest

import govreport
from govreport.build import build

TABLES = ["reports", "sections", "indicators", "panel", "attention", "sectors", "sector_shares",
          "tokens_summary", "errors"]


def test_build_writes_every_table_and_is_reproducible(raw_dir, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build([raw_dir], a, jobs=1, quiet=True, figures=False)
    build([raw_dir], b, jobs=2, quiet=True, figures=False)
    for name in TABLES:
        assert sorted(p.name for p in (a / name).iterdir()) == ["part-00000.parquet"], name
        if name == "sectors":  # a row per sentence and area: Parquet only (the output stays small)
            assert not (a / "sectors.csv").exists()
            pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))
            continue
        assert (a / f"{name}.csv").exists(), f"{name}.csv missing"
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
        assert (a / f"{name}.csv").read_bytes().startswith(codecs.BOM_UTF8)
        # the Parquet dataset holds the same rows as the CSV file
        assert len(pd.read_parquet(a / name)) == len(pd.read_csv(a / f"{name}.csv")), name
    # no temporary files left: only the per-file cache is hidden
    assert [p.name for p in a.iterdir() if p.name.startswith(".")] == [".govreport-cache"]
    reports = pd.read_parquet(a / "reports")
    assert len(reports) == 14 and reports["has_target_list"].sum() >= 10


def test_has_target_list_separates_not_stated_from_missing():
    text = ("政府工作报告\n——2020年5月22日在某某县第十届人民代表大会第五次会议上\n各位代表：\n现在，我代表县人民政府报告工作。\n"
            "一、2019年工作回顾\n过去一年，全县地区生产总值增长6.1%。\n二、2020年工作安排\n"
            "今年发展主要目标是：城镇新增就业3000人以上，城镇调查失业率5.5%左右，居民消费价格涨幅3.5%左右。\n")
    corpus = govreport.read_text(text, "2020.txt")
    assert bool(corpus.reports.iloc[0].has_target_list)
    targets = corpus.indicators.query("kind == 'target'")
    assert "gdp" not in set(targets.indicator) and "new_urban_jobs" in set(targets.indicator)


def test_user_indicator_is_extracted():
    from govreport.lexicon import reset_indicators

    govreport.add_indicators([{"key": "tourism_revenue", "name_zh": "旅游总收入", "variants": "旅游总收入|旅游收入",
                               "type": "flow"}])
    try:
        rows = govreport.extract_indicators("全年旅游总收入达到86.5亿元，增长12%。", section="review", review_year=2025)
        got = set(zip(rows.indicator, rows.metric, rows.value, strict=True))
        assert got == {("tourism_revenue", "level", 86.5), ("tourism_revenue", "growth", 12.0)}
    finally:
        reset_indicators()
    rows = govreport.extract_indicators("全年旅游总收入达到86.5亿元，增长12%。", section="review", review_year=2025)
    assert rows.empty


def test_build_of_nothing_readable_writes_the_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        build([tmp_path / "missing"], tmp_path / "out", quiet=True, figures=False)
    (tmp_path / "empty").mkdir()
    corpus = build([tmp_path / "empty"], tmp_path / "out", quiet=True, figures=False)
    assert len(corpus) == 0
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert len(errors) == 1 and "no readable files" in errors.message[0]


def test_split_by_slices_gives_each_file_its_rows_as_split_does(raw_dir):
    from govreport.build import _split
    from govreport.pipeline import process_batch

    res = process_batch([str(p) for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt"])
    fast, slow = _split(res), res.split()
    assert len(fast) == len(slow) == len(res.files) > 1
    for a, b in zip(fast, slow, strict=True):
        assert a.path == b.path and a.tables.keys() == b.tables.keys()
        for name in a.tables:
            pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_workers_write_the_cache_and_a_rebuild_takes_every_file_from_it(raw_dir, tmp_path):
    import json

    out = tmp_path / "out"
    build([raw_dir], out, jobs=2, quiet=True, figures=False, evidence=False)
    first = govreport.open(out).tables()
    n_files = len(list((out / ".govreport-cache").rglob("*.pkl")))
    assert n_files == len([p for p in raw_dir.iterdir() if p.suffix == ".txt"])
    build([raw_dir], out, jobs=2, quiet=True, figures=False, evidence=False)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files_from_cache"] == n_files
    again = govreport.open(out).tables()
    for name, df in first.items():
        pd.testing.assert_frame_equal(df, again[name])


def test_a_batch_is_cached_once_and_each_file_reads_back_its_own_rows(raw_dir, tmp_path):
    from govreport.build import _cache_files, _split
    from govreport.pipeline import error_row, process_batch
    from govreport.store import Cache

    paths = [str(p) for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt"][:4]
    res = process_batch(paths)
    # the third file "timed out": its rows depend on luck and are not cached
    res.tables["errors"] = pd.concat([res.tables["errors"], pd.DataFrame(
        [error_row(paths[2].rsplit("/", 1)[-1], "timeout", "took too long")])], ignore_index=True)
    cache = Cache(tmp_path, "v", split=_split)
    keys = [f"{i}{'0' * 63}" for i in range(4)]
    _cache_files(cache, keys, res)
    assert len(list((tmp_path / ".govreport-cache" / "batches").rglob("*.batch"))) == 1
    assert len(list((tmp_path / ".govreport-cache").rglob("*.pkl"))) == 3
    fresh = Cache(tmp_path, "v", split=_split)
    for i, want in enumerate(_split(res)):
        got = fresh.get(keys[i])
        if i == 2:
            assert got is None
            continue
        assert got.path == want.path and got.n_reports == want.n_reports > 0
        assert got.tables.keys() == want.tables.keys()
        for name in want.tables:
            pd.testing.assert_frame_equal(got.tables[name], want.tables[name])
    # an entry whose batch is gone is a miss, not an error
    for p in (tmp_path / ".govreport-cache" / "batches").rglob("*.batch"):
        p.unlink()
    assert Cache(tmp_path, "v", split=_split).get(keys[0]) is None


def test_files_of_cached_batches_read_in_another_order_load_each_batch_once(raw_dir, tmp_path):
    from govreport.build import _cache_files, _split
    from govreport.pipeline import process_batch
    from govreport.store import Cache

    paths = [str(p) for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt"][:4]
    keys = [f"{i}{'0' * 63}" for i in range(4)]
    for batch in ((0, 1), (2, 3)):
        _cache_files(Cache(tmp_path, "v", split=_split), [keys[i] for i in batch],
                     process_batch([paths[i] for i in batch]))
    loads: list[int] = []

    def counting_split(res):
        loads.append(len(res.files))
        return _split(res)

    cache = Cache(tmp_path, "v", split=counting_split)
    got = [cache.get(keys[i]).path for i in (0, 2, 1, 3, 0)]  # a rebuild's order splits both batches
    assert got == [paths[i] for i in (0, 2, 1, 3, 0)]
    assert loads == [2, 2]


def test_a_cached_batch_holds_the_tables_not_the_workers_csv_lines(raw_dir, tmp_path):
    """With Dask the parent caches a batch that a worker gave with its CSV lines: those
    lines are the writer's business, not the cache's (they would double its size)."""
    import pickle

    from govreport.build import _cache_files, _split
    from govreport.pipeline import process_batch
    from govreport.store import Cache, _unpack, csv_lines

    paths = [str(p) for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt"][:2]
    res = process_batch(paths)
    res.csv["reports"] = csv_lines(res.tables["reports"])
    keys = [f"{i}{'0' * 63}" for i in range(2)]
    _cache_files(Cache(tmp_path, "v", split=_split), keys, res)
    (stored,) = (tmp_path / ".govreport-cache" / "batches").rglob("*.batch")
    batch = pickle.loads(_unpack(stored.read_bytes()))
    assert batch.csv == {} and batch.tables.keys() == res.tables.keys()
    assert res.csv["reports"] == csv_lines(res.tables["reports"])  # the caller's batch keeps its lines
    got = Cache(tmp_path, "v", split=_split).get(keys[1])
    pd.testing.assert_frame_equal(got.tables["reports"], _split(res)[1].tables["reports"])


def test_the_last_batches_get_smaller_and_every_file_comes_once_in_order(tmp_path):
    from govreport.build import MIN_BATCH_BYTES, _Done, _file_results
    from govreport.pipeline import BatchTables, FileTables

    files = []
    for i in range(120):
        p = tmp_path / f"{i:03d}.txt"
        p.write_bytes(b"x" * 20_000)
        files.append(str(p))

    class Recorder:
        workers = 2

        def __init__(self) -> None:
            self.batches: list[list[str]] = []

        def submit(self, paths: list[str], keys: object = None) -> _Done:
            self.batches.append(paths)
            return _Done(BatchTables({}, [FileTables(p) for p in paths]))

    def batches(total: int) -> list[int]:
        engine = Recorder()
        got = [item.path for items, _, _ in _file_results(files, engine, None, 2**20, total) for item in items]
        assert got == files
        return [len(b) * 20_000 for b in engine.batches]

    even = batches(0)
    assert set(even[:-1]) == {max(even)}  # without the total: batches of the same size to the end
    guided = batches(120 * 20_000)
    assert guided[0] == max(even) and guided[-1] <= MIN_BATCH_BYTES < guided[0] / 4
    left = 120 * 20_000
    for size in guided:  # never more than the bytes left per worker (or one small batch)
        assert size <= max(left // 2, MIN_BATCH_BYTES)
        left -= size

def test_make_build_draws_the_charts_of_its_tables(raw_dir, tmp_path):
    """`make`'s build (charts in forked processes, the heatmap before the panel, matplotlib
    imported while the workers read): the charts drawn in one process from its tables."""
    from govreport import figures

    out, docs = tmp_path / "out", tmp_path / "docs"
    built = build([raw_dir], out, jobs=2, quiet=True, docs_figures=docs, evidence=False)
    tables = {name: built.table(name) for name in ("reports", "attention", "panel")}
    again = figures.build_figures(None, tables, tmp_path / "again")
    assert sorted(p.name for p in (out / "figures").iterdir()) == sorted(p.name for p in again)
    for p in again:
        assert (out / "figures" / p.name).read_bytes() == p.read_bytes(), p.name
    assert sorted(p.name for p in docs.iterdir()) == [f"{s}.png" for s in figures.DOCS_FIGURES]


def test_a_fork_waits_for_the_charts_imports(monkeypatch):
    """A process forked while the preload thread imports would inherit half-imported modules:
    every fork waits for the thread first."""
    import os
    import sys
    import threading
    import time

    from govreport import figures

    build_module = sys.modules["govreport.build"]  # the module (govreport.build is the function)
    done = threading.Event()

    def slow_preload() -> None:
        time.sleep(0.5)
        done.set()

    monkeypatch.setattr(figures, "preload", slow_preload)
    build_module._preload_figures()
    pid = os.fork()
    if pid == 0:  # the child: was the import finished before the fork?
        os._exit(0 if done.is_set() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not build_module._PRELOADING
