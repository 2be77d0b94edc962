"""Shared by the holdout tests: build a holdout's raw folder, score it, guard the scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
MARGIN = 0.05

needs_scorer = pytest.mark.skipif(not SCORE_PY.exists(), reason="../shared/eval/score.py not beside the repository")


def load_scorer():
    spec = importlib.util.spec_from_file_location("govreport_holdout_score", SCORE_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_holdout(holdout: Path, out: Path) -> Path:
    from govreport.build import build

    build([str(holdout / "raw")], out, figures=False, quiet=True)
    return out


def assert_scores_hold(holdout: Path, built: Path, *, metadata: float, f1: float) -> None:
    """Mean metadata accuracy and indicator F1 are at least the first measurement minus MARGIN."""
    res = load_scorer().score(str(holdout / "gold"), str(built))
    meta = res["metadata_accuracy"]
    mean_meta = sum(meta.values()) / len(meta)
    detail = (f"metadata {meta}; indicators {res['indicators']}; "
              f"missed {[(g['source'], g['indicator'], g['value'], g['text']) for g in res['missed']]}")
    assert mean_meta >= metadata - MARGIN, detail
    assert res["indicators"]["f1"] >= f1 - MARGIN, detail


def read_gold(holdout: Path, name: str) -> list[dict]:
    """Rows of a holdout's gold file (``gold_reports.csv``, ``gold_indicators.csv``)."""
    import csv

    with open(holdout / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def assert_gold_matches_files(holdout: Path, raw: dict[str, str], *, not_reports: frozenset[str] = frozenset()) -> None:
    """Every raw file but ``not_reports`` is a gold report, every gold row names a coded
    report, and every gold clause is in its file's text (``raw``: file name → flattened text)."""
    reports, rows = read_gold(holdout, "gold_reports.csv"), read_gold(holdout, "gold_indicators.csv")
    assert {r["source"] for r in reports} == set(raw) - not_reports
    parts = {(r["source"], r["part"]) for r in reports}
    for r in rows:
        assert (r["source"], r["part"]) in parts
        assert r["text"] in raw[r["source"]], r["text"]


def assert_every_report_read(holdout: Path, built: Path) -> None:
    """Every gold report of ``holdout`` is a row of the build's ``reports`` (none became an error)."""
    import csv

    with open(built / "reports.csv", encoding="utf-8-sig") as f:
        got = {(Path(r["source"]).name, r["part"]) for r in csv.DictReader(f)}
    want = {(r["source"], r["part"]) for r in read_gold(holdout, "gold_reports.csv")}
    assert want <= got, want - got
