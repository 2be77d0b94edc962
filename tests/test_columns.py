"""The data dictionary, the files for citing and reproducing, and the build manifest."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport.datadict import columns

ROOT = Path(__file__).resolve().parents[1]
_LOGICAL = {"str": "string", "object": "string", "string": "string"}


def _dtype(s: pd.Series) -> str:
    d = str(s.dtype)
    return _LOGICAL.get(d, d)


def test_the_dictionary_describes_every_table(seed_corpus):
    tables = {
        "reports": seed_corpus.reports, "sections": seed_corpus.sections,
        "indicators": seed_corpus.indicators, "panel": govreport.panel(seed_corpus),
        "attention": govreport.attention(seed_corpus), "errors": seed_corpus.errors,
        "tokens": govreport.tokens(seed_corpus), "kwic": govreport.kwic(seed_corpus, "地区生产总值"),
    }
    d = columns()
    assert set(d["table"]) == set(tables)
    for name, df in tables.items():
        doc = columns(name)
        assert doc["column"].tolist() == list(df.columns), (
            f"{name}: the columns differ from govreport/data/columns.csv — add or remove them there "
            "and run python scripts/columns_table.py")
        got = {c: _dtype(df[c]) for c in df.columns}
        want = dict(zip(doc["column"], doc["dtype"], strict=True))
        assert got == want, f"{name}: dtypes differ from govreport/data/columns.csv"
        assert doc["meaning"].str.len().gt(0).all() and doc["label_zh"].ne("").all() and doc["label_en"].ne("").all()
    with pytest.raises(ValueError, match="no table"):
        columns("panels")


def test_readme_column_tables_are_generated_from_the_dictionary():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "columns_table.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| `amplification_strength` | Int64 |" in readme


def test_licence_and_citation():
    lic = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert lic.startswith("MIT License")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", cff, re.M) and re.search(r"^title: ", cff, re.M)
    assert re.search(rf"^version: {re.escape(govreport.__version__)}$", cff, re.M)


def test_make_installs_the_pinned_versions():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in make and "constraints.txt" in make.split("$(BIN)/.installed:")[1].splitlines()[0]
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M))
    for name in ("pandas", "numpy", "scipy", "pyarrow", "matplotlib", "rjieba", "openpyxl"):
        assert name in pins, f"{name} is not pinned in constraints.txt"
        if (ROOT / ".venv").exists() and Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
            assert metadata.version(name) == pins[name], f"{name}: installed {metadata.version(name)}, pinned {pins[name]}"


def test_build_manifest_records_versions_inputs_and_parameters(tmp_path):
    from govreport.build import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("2026年某县政府工作报告\n各位代表：\n全县地区生产总值增长5%左右。", encoding="utf-8")
    build([raw], tmp_path / "out", quiet=True, figures=False, jobs=1)
    m = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert m["versions"]["govreport"] == govreport.__version__
    deps = m["versions"]["dependencies"]
    assert deps["pandas"] == pd.__version__ and deps["scipy"] and deps["rjieba"]
    assert re.fullmatch(r"[0-9a-f]{64}", m["inputs"][0]["sha256"])
    assert m["parameters"]["paths"] == [str(raw)] and m["parameters"]["jobs"] == 1
