"""The command line's exit codes and usage messages (issue 14, item 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govreport.cli import EXIT_NOTHING_READ, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main

REPORT = "2026年某县政府工作报告\n各位代表：\n一、2025年工作回顾\n全县地区生产总值增长5.1%。\n二、2026年工作安排\n全县地区生产总值增长5%左右。"
FAST = ["--quiet", "--no-figures", "--no-evidence", "--jobs", "1"]


def _raw(tmp_path: Path, good: int, bad: int) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(good):
        (raw / f"r{i}.txt").write_text(REPORT.replace("某县", f"某{i}县"), encoding="utf-8")
    for i in range(bad):
        (raw / f"bad{i}.pdf").write_bytes(b"\x89PNG\r\n\x1a\n not a report at all")
    return raw


def test_a_missing_path_is_a_usage_error_and_writes_nothing(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nonexistent"), "--out", str(tmp_path / "o1"), *FAST]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage: govreport build" in err and "nonexistent" in err
    assert not (tmp_path / "o1").exists()


def test_bare_build_outside_a_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", *FAST]) == EXIT_USAGE
    assert "no paths given and no data/raw here" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()
    # inside a project, data/raw is the default
    raw = _raw(tmp_path, 1, 0)
    (tmp_path / "data").mkdir()
    raw.rename(tmp_path / "data" / "raw")
    assert main(["build", *FAST]) == EXIT_OK
    assert (tmp_path / "data" / "processed" / "reports.csv").exists()


def test_an_unknown_option_prints_the_subcommand_usage(tmp_path, capsys):
    assert main(["build", str(tmp_path), "--bogus", *FAST]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage: govreport build" in err and "--bogus" in err
    with pytest.raises(SystemExit) as e:  # argparse's own errors are code 2 as well
        main(["build", "--jobs", "many"])
    assert e.value.code == EXIT_USAGE


def test_exit_codes_follow_what_could_be_read(tmp_path, capsys):
    for name in "abc":
        (tmp_path / name).mkdir()
    all_good, some, none = _raw(tmp_path / "a", 2, 0), _raw(tmp_path / "b", 1, 1), _raw(tmp_path / "c", 0, 1)
    assert main(["build", str(all_good), "--out", str(tmp_path / "oa"), *FAST]) == EXIT_OK
    assert main(["build", str(some), "--out", str(tmp_path / "ob"), *FAST]) == EXIT_SOME_FAILED
    assert "1 file(s) could not be read (bad0.pdf)" in capsys.readouterr().err
    assert main(["build", str(none), "--out", str(tmp_path / "oc"), *FAST]) == EXIT_NOTHING_READ
    assert (tmp_path / "oc" / "errors.csv").exists()


def test_the_installed_command_exits_non_zero(tmp_path):
    r = subprocess.run([sys.executable, "-m", "govreport", "build", str(tmp_path / "nope"),
                        "--out", str(tmp_path / "o"), *FAST], capture_output=True, text=True)
    assert r.returncode == EXIT_USAGE and "usage: govreport build" in r.stderr
    h = subprocess.run([sys.executable, "-m", "govreport", "build", "--help"], capture_output=True, text=True)
    assert "exit codes: 0 every file read" in h.stdout


def test_the_command_exits_with_the_build_s_code_after_writing_everything(tmp_path):
    """`govreport` ends without Python's teardown (cli.run): the code, the messages and the
    files are all there."""
    raw = _raw(tmp_path, 1, 1)
    r = subprocess.run([sys.executable, "-m", "govreport", "build", str(raw), "--out", str(tmp_path / "o"),
                        "--no-figures", "--no-evidence", "--jobs", "1"], capture_output=True, text=True)
    assert r.returncode == EXIT_SOME_FAILED
    assert "1 file(s) could not be read (bad0.pdf)" in r.stderr and "1 reports from 2 files" in r.stderr
    assert (tmp_path / "o" / "manifest.json").is_file() and (tmp_path / "o" / "reports.csv").is_file()
