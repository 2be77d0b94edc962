"""Full-build benchmark: a synthetic corpus of N characters, built with --jobs 1 and --jobs 2.

    python benchmarks/build.py                  # 10 M characters (and the small figures)
    python benchmarks/build.py --sizes 10e6 50e6 200e6 --jobs 1 2
    python benchmarks/build.py --sizes 2e6 --keep /tmp/corpus   # keep the corpus (made once, reused)

The corpus is made of varied copies of the seeds (data/raw) and the holdout reports
(tests/data/holdout*/raw, text formats): every decimal figure of a copy is changed at random,
so no two files are the same text (and nothing comes from the cache: every build writes to a
fresh folder). Each build runs ``govreport build RAW --out OUT --jobs N --quiet`` as its own
process; the figures printed are

- wall seconds and characters per second (per core: divided by N) of the whole build,
  figures included, from process start to exit;
- the --jobs 2 speed-up over --jobs 1;
- peak memory of the whole process tree (the sum of the proportional set sizes of the build
  and its workers, from /proc, read every second and sooner when the resident sizes grow;
  Linux only), the sum of their resident sizes, which counts the pages a forked worker
  shares with the build once per process, and the CPU time the sampler itself took;
- output bytes per input character: the tables as written (Parquet and CSV — ``NAME.csv``
  or ``NAME.csv.gz``, as ``--csv auto`` chose — and each table), the tables had their CSVs
  been plain (the ``.csv.gz`` sizes uncompressed), the per-file cache, and everything
  (charts and evidence pages included);
- the steps of the build (``manifest.json``'s ``step_seconds``): the per-file stage against
  the fixed costs after it (panel, evidence pages, charts);
- the seeds build (``make``'s command) and ``import govreport`` + reading one report;
- each figure against the issue's target (``[met]`` / ``[NOT met]``).

Outputs are removed once measured; with ``--keep`` the corpus is made once and reused by
later runs (a 200 M-character corpus is about 0.6 GB), so only one build's output is ever on
disk besides it.

The machine it runs on may be shared: run it when it is quiet, and read the figures as
one measurement, not a guarantee.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "data" / "raw", *sorted((ROOT / "tests" / "data").glob("holdout*/raw"))]
TEXT_SUFFIXES = {".txt", ".md", ".csv", ".html"}
GOVREPORT = [sys.executable, "-m", "govreport"]
PEAK_RSS = 0  # the last run's peak sum of resident sizes (see run)


def source_texts() -> list[tuple[str, str]]:
    """(suffix, text) of every text-format source report, decoded."""
    from govreport.read import decode

    out = []
    for folder in SOURCES:
        for p in sorted(folder.iterdir()):
            if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith("news"):  # reports only
                out.append((p.suffix.lower(), decode(p.read_bytes())[0]))
    return out


_DECIMAL = re.compile(r"(?<![\d.])(\d{1,4})\.(\d{1,2})(?![\d.])")


def vary(text: str, rng: random.Random) -> str:
    """The same report with every decimal figure changed (so every copy is a new text)."""
    def repl(m: re.Match[str]) -> str:
        whole = max(0, int(m.group(1)) + rng.randint(-3, 3))
        frac = "".join(str(rng.randint(0, 9)) for _ in m.group(2))
        return f"{whole}.{frac}"

    return _DECIMAL.sub(repl, text)


def make_corpus(folder: Path, n_chars: float, seed: int = 0) -> tuple[int, int]:
    """Write varied copies into ``folder`` until ``n_chars`` characters; (files, characters)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = source_texts()
    rng = random.Random(seed)
    total = files = 0
    while total < n_chars:
        suffix, text = texts[files % len(texts)]
        body = vary(text, rng)
        sub = folder / f"{files // 1000:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{files:07d}{suffix}").write_text(body, encoding="utf-8")
        total += len(body)
        files += 1
    return files, total


# --------------------------------------------------------------------------- measuring


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        if p in out:
            continue
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
        out.append(p)
    return out


def _resident(pids: list[int]) -> int:
    """Sum of the resident sizes of ``pids`` (``statm``: cheap to read)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError):
            continue
    return total


def _proportional(pids: list[int]) -> int:
    """Sum of the proportional set sizes of ``pids``, or -1 where /proc has no ``smaps_rollup``.

    The resident sizes of forked processes count the pages they share with their parent once
    per process; the proportional set size (``Pss``) splits shared pages between the sharers,
    so its sum is the memory the tree really holds. Reading it walks each process's page
    tables in the kernel (about 13 ms of CPU for a build and two workers), so it is read less
    often than the resident sizes (see :func:`run`).
    """
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) * 1024 for line in fh if line.startswith("Pss:"))
        except StopIteration:
            return -1
        except OSError:
            continue
    return total


#: Seconds between samples of the resident sizes, and at most between two of the proportional
#: sizes; these are read sooner (but not within PSS_SOONEST seconds) when the resident sizes
#: pass by 5% their highest at a reading of the proportional ones.
SAMPLE_EVERY = 0.05
PSS_EVERY = 1.0
PSS_SOONEST = 0.25
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLER_CPU = 0.0  # CPU seconds the last run's memory sampler took (see run)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int, float]:
    """Run ``cmd``; (wall seconds, peak memory of its process tree, exit code, CPU seconds).

    Peak memory: the largest sum of proportional set sizes (resident sizes where /proc has no
    ``smaps_rollup``); :data:`PEAK_RSS` keeps the largest sum of resident sizes of the last run.
    The resident sizes are read every :data:`SAMPLE_EVERY` seconds; the proportional sizes,
    costly to read, every :data:`PSS_EVERY` seconds and sooner when the resident sizes grow,
    so the sampler takes a few percent of one core (it took 20%, out of the cores the build
    runs on, when it read both every 50 ms); :data:`SAMPLER_CPU` says how much.
    CPU seconds: user + system time of the command and every process it waited for.
    """
    global PEAK_RSS, SAMPLER_CPU
    import resource

    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()
    PEAK_RSS = 0
    SAMPLER_CPU = 0.0

    def sample() -> None:
        nonlocal peak
        global PEAK_RSS, SAMPLER_CPU
        cpu0 = time.thread_time()
        last_pss, rss_at_pss = -PSS_EVERY, 0
        while not done.is_set():
            pids = _tree(proc.pid)
            rss = _resident(pids)
            now = time.perf_counter()
            since = now - last_pss
            if since >= PSS_EVERY or (rss > 1.05 * rss_at_pss and since >= PSS_SOONEST):
                pss = _proportional(pids)
                last_pss, rss_at_pss = now, max(rss_at_pss, rss)
                peak = max(peak, pss if pss > 0 else rss)
            PEAK_RSS = max(PEAK_RSS, rss)
            time.sleep(SAMPLE_EVERY)
        SAMPLER_CPU = time.thread_time() - cpu0

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    t.join()
    if proc.returncode:
        print(err.decode("utf-8", "replace")[-2000:], file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak, proc.returncode, cpu


def output_bytes(out: Path) -> dict[str, int]:
    """Bytes written, by part: ``all`` (but the cache), ``tables``, ``cache``, ``evidence``,
    ``figures``, ``table:NAME`` (its Parquet files and CSV, plain or gz) and
    ``tables_plain_csv`` (the tables with every ``.csv.gz`` counted uncompressed)."""
    sizes: dict[str, int] = {"all": 0, "tables": 0, "tables_plain_csv": 0, "cache": 0, "evidence": 0,
                             "figures": 0}
    for p in out.rglob("*"):
        if not p.is_file():
            continue
        n = p.stat().st_size
        top = p.relative_to(out).parts[0]
        if top == ".govreport-cache":
            sizes["cache"] += n
            continue
        sizes["all"] += n
        if top in ("evidence", "figures"):
            sizes[top] += n
        elif p.name.endswith((".csv", ".csv.gz", ".parquet")):
            sizes["tables"] += n
            sizes["tables_plain_csv"] += _gzip_size(p) if p.name.endswith(".gz") else n
            name = f"table:{top.removesuffix('.gz').removesuffix('.csv')}"
            sizes[name] = sizes.get(name, 0) + n
    return sizes


def _gzip_size(path: Path) -> int:
    """Uncompressed size of a one-member gzip file: its trailer (ISIZE, modulo 4 GiB)."""
    with path.open("rb") as fh:
        fh.seek(-4, 2)
        return int.from_bytes(fh.read(4), "little")


def verdict(ok: bool) -> str:
    return "[met]" if ok else "[NOT met]"


def corpus(base: Path, size: float) -> tuple[Path, int, int]:
    """The corpus of ``size`` characters under ``base`` (reused when made before); (folder, files, characters)."""
    raw = base / f"raw-{size:.0f}"
    marker = raw / ".made.json"
    if marker.is_file():
        made = json.loads(marker.read_text())
        print(f"\ncorpus: {made['chars'] / 1e6:.1f} M characters in {made['files']} files (reused: {raw})")
        return raw, made["files"], made["chars"]
    if raw.exists():
        shutil.rmtree(raw)
    t0 = time.perf_counter()
    files, chars = make_corpus(raw, size)
    marker.write_text(json.dumps({"files": files, "chars": chars}))
    print(f"\ncorpus: {chars / 1e6:.1f} M characters in {files} files (made in {time.perf_counter() - t0:.0f} s)")
    return raw, files, chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", type=float, default=[10e6], help="corpus sizes in characters")
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="--jobs values to run")
    ap.add_argument("--keep", default=None, help="make the corpus here once and keep it (reused by later runs)")
    ap.add_argument("--no-small", action="store_true", help="skip the seeds and import figures")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; figures are one run each unless said")
    if not args.no_small:
        with tempfile.TemporaryDirectory() as tmp:
            walls = []
            for i in range(3):  # first builds into fresh folders; one build alone is noisy on 2 cores
                wall, peak, _, cpu = run([*GOVREPORT, "build", "data/raw", "--out", f"{tmp}/seeds{i}",
                                          "--docs-figures", f"{tmp}/docs", "--quiet"], cwd=ROOT)
                walls.append(wall)
            wall = statistics.median(walls)
            steps = _steps(Path(tmp) / "seeds2")
            print(f"seeds build (make's command, charts and evidence pages, first build, 3 runs): median {wall:.2f} s "
                  f"wall (min {min(walls):.2f}, max {max(walls):.2f}), {cpu:.2f} CPU s, peak {peak / 2**30:.2f} GB; "
                  f"{steps} {verdict(wall < 5)} target < 5 s")
            wall, peak, _, cpu = run([*GOVREPORT, "build", "data/raw", "--out", f"{tmp}/seeds2", "--quiet"], cwd=ROOT)
            print(f"seeds build again (every file from the cache): {wall:.2f} s wall, {cpu:.2f} CPU s")
        one = sorted((ROOT / "data" / "raw").glob("*.txt"))[0]
        wall, _, _, cpu = run([sys.executable, "-c", f"import govreport; govreport.read({str(one)!r})"])
        print(f"import govreport + read one report: {wall:.2f} s wall, {cpu:.2f} CPU s")
    for size in args.sizes:
        base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="govreport-bench-"))
        base.mkdir(parents=True, exist_ok=True)
        raw, files, chars = corpus(base, size)
        walls = {}
        for jobs in args.jobs:
            out = base / f"out{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            wall, peak, code, cpu = run([*GOVREPORT, "build", str(raw), "--out", str(out), "--jobs", str(jobs), "--quiet"])
            walls[jobs] = wall
            sizes = output_bytes(out)
            per_core = chars / wall / jobs / 1e6
            print(f"--jobs {jobs}: {wall:.1f} s, {chars / wall / 1e6:.2f} M characters/s "
                  f"({per_core:.2f} M per core {verdict(per_core >= 1.5)} target 1.5; "
                  f"{chars / cpu / 1e6:.2f} M per CPU second), "
                  f"peak memory {peak / 2**30:.2f} GB {verdict(peak < 1.5 * 2**30)} target < 1.5 GB "
                  f"(sum of resident sizes {PEAK_RSS / 2**30:.2f} GB; the sampler took {SAMPLER_CPU:.1f} CPU s)"
                  + (f", exit {code}" if code else ""))
            print(f"   steps: {_steps(out)}")
            print(f"   bytes per character: tables {sizes['tables'] / chars:.2f} {verdict(sizes['tables'] <= 2 * chars)}"
                  f" target <= 2 ("
                  + ", ".join(f"{k[6:]} {v / chars:.3f}" for k, v in sorted(sizes.items()) if k.startswith("table:"))
                  + f"; with plain CSVs {sizes['tables_plain_csv'] / chars:.2f}"
                  + f"); evidence {sizes['evidence'] / chars:.2f}, charts {sizes['figures'] / chars:.3f}, "
                  f"all output {sizes['all'] / chars:.2f}, per-file cache {sizes['cache'] / chars:.2f}")
            shutil.rmtree(out, ignore_errors=True)
        if 1 in walls and 2 in walls:
            speedup = walls[1] / walls[2]
            print(f"--jobs 2 speed-up over --jobs 1: {speedup:.2f}x {verdict(speedup >= 1.8)} target >= 1.8x")
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def _steps(out: Path) -> str:
    """The build's step seconds from its manifest, and the per-file stage's share of the wall time."""
    try:
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "(no manifest)"
    steps, total = m.get("step_seconds", {}), m.get("seconds", 0) or 1e-9
    files = steps.get("files", 0.0)
    return (", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
            + f" of {total:.1f} s in the build: per-file stage {files / total:.0%}")


if __name__ == "__main__":
    main()
