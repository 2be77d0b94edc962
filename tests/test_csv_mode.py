"""The tables' CSV copies: NAME.csv, NAME.csv.gz (the same bytes compressed) or none."""

import gzip
import io
import json

import pandas as pd
import pytest

import govreport
from govreport.build import build, csv_mode
from govreport.cli import main

CSV_TABLES = ["reports", "sections", "indicators", "panel", "attention", "sector_shares", "tokens_summary", "errors"]


def _csvs(out):
    return sorted(p.name for p in out.iterdir() if p.name.endswith((".csv", ".csv.gz")))


def _mode(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"]["csv"]


def test_auto_is_plain_up_to_the_evidence_threshold_and_gz_above():
    from govreport.evidence import AUTO_MAX_REPORTS

    assert csv_mode("auto", AUTO_MAX_REPORTS) == "plain"
    assert csv_mode("auto", AUTO_MAX_REPORTS + 1) == "gz"
    assert csv_mode("auto", 3, plain_max_files=3) == "plain" and csv_mode("auto", 4, plain_max_files=3) == "gz"
    assert [csv_mode(m, 10**6) for m in ("plain", "gz", "none")] == ["plain", "gz", "none"]
    with pytest.raises(ValueError, match="csv must be one of"):
        csv_mode("zip", 1)


def test_modes_write_the_same_csv_bytes_and_leave_no_stale_copy(raw_dir, tmp_path, capsys):
    out = tmp_path / "out"
    build([raw_dir], out, jobs=1, quiet=True, figures=False, evidence=False)  # auto on the seeds: plain
    assert _mode(out) == "plain"
    assert _csvs(out) == sorted(f"{t}.csv" for t in CSV_TABLES)
    plain = {t: (out / f"{t}.csv").read_bytes() for t in CSV_TABLES}

    # more input files than a tiny threshold: gz, said in one log line
    build([raw_dir], out, jobs=1, figures=False, evidence=False, csv_plain_max_files=2)
    assert "gzip-compressed (NAME.csv.gz)" in capsys.readouterr().err
    assert _mode(out) == "gz"
    assert _csvs(out) == sorted(f"{t}.csv.gz" for t in CSV_TABLES)  # the plain copies are gone
    for t in CSV_TABLES:
        data = (out / f"{t}.csv.gz").read_bytes()
        assert gzip.decompress(data) == plain[t], t
        assert data[4:8] == b"\0\0\0\0", t  # no time stamp: the same rows give the same bytes
    # pandas reads them directly
    assert len(pd.read_csv(out / "indicators.csv.gz")) == len(pd.read_parquet(out / "indicators"))

    build([raw_dir], out, jobs=1, quiet=True, figures=False, evidence=False, csv="none")
    assert _mode(out) == "none" and _csvs(out) == []
    assert len(govreport.open(out).indicators) == len(pd.read_csv(io.BytesIO(plain["indicators"])))

    build([raw_dir], out, jobs=1, quiet=True, figures=False, evidence=False, csv="plain")
    assert _csvs(out) == sorted(f"{t}.csv" for t in CSV_TABLES)
    assert {t: (out / f"{t}.csv").read_bytes() for t in CSV_TABLES} == plain


def test_cli_csv_option(raw_dir, tmp_path):
    one = next(p for p in sorted(raw_dir.iterdir()) if p.suffix == ".txt")
    out = tmp_path / "out"
    assert main(["build", str(one), "--out", str(out), "--quiet", "--no-figures", "--no-evidence",
                 "--jobs", "1", "--csv", "gz"]) == 0
    assert _mode(out) == "gz" and "reports.csv.gz" in _csvs(out) and "reports.csv" not in _csvs(out)
    assert len(govreport.open(out)) == 1


def _frames() -> list[pd.DataFrame]:
    """Batches of one table as workers give them: mostly the same dtypes, some not."""
    def frame(i: int, **over: object) -> pd.DataFrame:
        df = pd.DataFrame({
            "source": pd.array([f"f{i}.txt", 'a "quoted", text\nover lines'], dtype="str"),
            "part": pd.array([i, None], dtype="Int64"),
            "value": [0.1 * i, 1e-05],
            "share": pd.array([None, 2.5], dtype="Float64"),
            "flag": [True, False],
            "maybe": pd.array([None, True], dtype="boolean"),
            "note": [None, None],
            "n": [i, 3],
        })
        for col, values in over.items():
            df[col] = values
        return df

    return [frame(0), frame(1), frame(2, value=[3, 4]), frame(3, note=["x", 1.5]), frame(4),
            frame(5, n=[1.0, None]), frame(6)]


@pytest.mark.parametrize("mode", ["plain", "gz"])
@pytest.mark.parametrize("rows", [2, 4, 100])
def test_csv_lines_a_worker_rendered_give_the_bytes_the_writer_renders(tmp_path, monkeypatch, mode, rows):
    from govreport import store

    monkeypatch.setattr(store, "BATCH_ROWS", rows)  # flushes of one batch, two, or all at once

    def write(out: str, rendered: bool) -> None:
        writer = store.DatasetWriter(tmp_path / out, csv=mode)
        for i, df in enumerate(_frames()):  # new frames: the writer may change a frame's dtypes
            lines = store.csv_lines(df) if rendered and i % 3 else None  # some without
            writer.add({"t": df}, csv={"t": lines} if lines else None)
        writer.close()
        writer.commit()

    write("slow", False)
    write("fast", True)
    suffix = store.CSV_SUFFIX[mode]
    slow, fast = (tmp_path / "slow" / f"t{suffix}").read_bytes(), (tmp_path / "fast" / f"t{suffix}").read_bytes()
    if mode == "gz":
        slow, fast = gzip.decompress(slow), gzip.decompress(fast)
    assert fast == slow and slow.count(b"quoted") == len(_frames())
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "fast" / "t"), pd.read_parquet(tmp_path / "slow" / "t"))


def test_rows_render_alone_except_dates():
    from govreport.store import _rows_render_alone

    assert all(_rows_render_alone(df) for df in _frames())
    dates = pd.DataFrame({"day": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    assert not _rows_render_alone(dates)  # pandas drops the time of day only when no row has one
    assert not _rows_render_alone(pd.DataFrame({"c": pd.Categorical(["a", "b"])}))
