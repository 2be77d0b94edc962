"""Corpus-stage benchmark: the panel of a million indicator rows, in groups and all at once.

    govreport build /work/bench/raw-10000000 --out /tmp/o10 --jobs 2 --no-figures --no-evidence
    python benchmarks/panel.py /tmp/o10                  # 20 copies of its tables
    python benchmarks/panel.py /tmp/o10 --copies 20 --regions distinct

A 200 M-character build has about a million indicator rows; building one takes minutes, so
this takes a smaller build's ``reports`` and ``indicators`` and stores ``--copies`` copies of
them (each copy's sources renamed) as a build's staging folder holds them. With ``--regions
same`` (the default) the copies keep their regions, as the synthetic corpora of
``benchmarks/build.py`` do (copies of the same reports: the panel stays small); with
``distinct`` each copy's regions are renamed and its provinces rotated over 31 names, so
targets and outcomes pair within a copy and the panel grows with the copies.

Then, each as its own process: the build's corpus stage (``govreport.build.corpus_stage``:
the panel in groups of regions, written to the staging folder) with each ``--jobs`` (the
groups computed in that many processes at once) and, for comparison, the panel of everything
at once (``govreport.panel`` on the whole tables, as builds did before).
It prints wall and CPU seconds and the peak resident size of each (``ru_maxrss``), and
checks that the two panels are the same. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]


def replicate(built: Path, staging: Path, copies: int, distinct: bool) -> int:
    """Copies of ``built``'s reports and indicators as Parquet parts in ``staging``; indicator rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    for name in ("reports", "indicators"):
        table = pq.read_table(built / name)
        (staging / name).mkdir(parents=True)
        for i in range(copies):
            df = table.to_pandas()
            df["source"] = f"copy{i}/" + df["source"]
            if distinct and "region" in df:
                _rename_regions(df, i)
            pq.write_table(pa.Table.from_pandas(df, schema=table.schema, preserve_index=False),
                           staging / name / f"part-{i:05d}.parquet")
            rows += len(df) if name == "indicators" else 0
    return rows


def _rename_regions(df, i: int) -> None:
    """Copy ``i``: its own region names (and no adcodes), its provinces rotated by ``i``."""
    province = df["province"].fillna("")
    moved = province.map(lambda p: PROVINCES[(PROVINCES.index(p) + i) % len(PROVINCES)] if p in PROVINCES else p)
    level = df["level"].fillna("")
    parent = df["parent"].fillna("")
    df["parent"] = [m if p == v and p else (f"{p}·{i}" if p and i else p)
                    for p, v, m in zip(parent, province, moved, strict=True)]
    df["region"] = [m if lv == "province" else (f"{r}·{i}" if i else r)
                    for r, lv, m in zip(df["region"].fillna(""), level, moved, strict=True)]
    df["province"] = moved
    if i:
        df["adcode"] = ""


def measure(mode: str, staging: Path, jobs: int = 1) -> None:
    """In this process: one way of making the panel; prints one line."""
    import pandas as pd

    from govreport.build import corpus_stage
    from govreport.panel import INDICATOR_INPUT_COLUMNS, REPORT_INPUT_COLUMNS, panel
    from govreport.store import DatasetWriter

    tables = DatasetWriter(staging.parent / f"out-{mode}-{jobs}")
    for name in ("reports", "indicators"):
        shutil.copytree(staging / name, Path(tables.staging) / name)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if mode == "groups":
        names, errors = corpus_stage(tables, lambda msg: print(msg, file=sys.stderr), jobs)
        assert names == ["panel"] and not errors, errors
        rows = tables.counts["panel"]
    else:
        reports = tables.read("reports", columns=REPORT_INPUT_COLUMNS)
        columns = [c for c in INDICATOR_INPUT_COLUMNS if c in ("source", "part") or c not in reports]
        df = panel((reports, tables.read("indicators", columns=columns)))
        rows = len(df)
        df.to_pickle(staging / "whole.pkl")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += children.ru_utime + children.ru_stime
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    label = f"{mode} ({jobs} jobs)" if mode == "groups" else mode
    print(f"{label:>16}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak RSS {peak} MB "
          f"({base} MB before it; groups' processes not counted), {rows} panel rows")
    if mode == "groups" and (staging / "whole.pkl").exists():
        whole = DatasetWriter(staging.parent / "out-whole")
        whole.write("panel", pd.read_pickle(staging / "whole.pkl"))
        whole.close()
        same = tables.read("panel").equals(whole.read("panel")) and (
            Path(tables.staging, "panel.csv").read_bytes() == Path(whole.staging, "panel.csv").read_bytes())
        print(f"          the same table (Parquet and CSV) as all at once: {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("built", type=Path, help="a build's output folder (reports, indicators)")
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--regions", choices=["same", "distinct"], default="same")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="processes of the grouped panel")
    ap.add_argument("--mode", choices=["groups", "whole"], help=argparse.SUPPRESS)
    ap.add_argument("--staging", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        measure(args.mode, args.staging, args.jobs[0])
        return
    with tempfile.TemporaryDirectory(prefix="panel-bench-") as tmp:
        staging = Path(tmp) / "tables"
        rows = replicate(args.built, staging, args.copies, args.regions == "distinct")
        print(f"{args.copies} copies of {args.built} ({args.regions} regions): {rows} indicator rows")
        for mode, jobs in [("whole", 1), *(("groups", j) for j in args.jobs)]:
            subprocess.run([sys.executable, __file__, str(args.built), "--mode", mode, "--staging", str(staging),
                            "--jobs", str(jobs)],
                           check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


if __name__ == "__main__":
    main()
