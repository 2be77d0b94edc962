"""Report metadata on ../shared/real: 44 real reports as published and scraped, coded by hand.

Measured at f8c4f0b (before the real set's rules): region, level, parent, province, adcode
95.5%, date 86.4%, speaker 86.4%, years 100%; 天津 cut in two at a photo caption.
Now 100% on every field and one part per report; the guard is 99% per field, as the issue asks.
The texts stay in ../shared (they are data for measurement, never copied here), so the test is
skipped where the folder is absent, as on a user's machine.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from holdouts import load_scorer

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
THRESHOLD = 0.99

pytestmark = pytest.mark.skipif(
    not (REAL / "raw").is_dir() or not (REAL / "gold_reports.csv").exists() or not SCORE_PY.exists(),
    reason="../shared/real (the real development set) or ../shared/eval/score.py is not beside the repository",
)


@pytest.fixture(scope="module")
def real_corpus():
    import govreport

    return govreport.read(REAL / "raw")


@pytest.fixture(scope="module")
def scored(real_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("real_metadata")
    real_corpus.reports.to_csv(out / "reports.csv", index=False)
    # metadata only: an empty indicator table (the indicator side has its own test)
    pd.DataFrame(columns=["source", "part", "kind", "horizon", "period", "indicator", "metric", "value"]).to_csv(
        out / "indicators.csv", index=False)
    return load_scorer().score(str(REAL / "gold"), str(out))


@pytest.mark.parametrize(
    "field",
    ["region", "level", "parent", "province", "adcode", "year", "review_year", "plan_year", "date", "speaker"],
)
def test_real_metadata_field_accuracy(scored, field):
    acc = scored["metadata_accuracy"][field]
    wrong = [e for e in scored["metadata_errors"] if e["field"] == field]
    assert acc >= THRESHOLD, f"{field}: {acc:.1%} < {THRESHOLD:.0%}; {wrong}"


def test_real_reports_are_one_part_each_and_read_without_errors(real_corpus):
    gold = pd.read_csv(REAL / "gold_reports.csv", dtype=str, keep_default_na=False)
    got = sorted(zip(real_corpus.reports.source, real_corpus.reports.part.astype(str), strict=True))
    assert got == sorted(zip(gold.source, gold.part, strict=True))  # no report cut in two, none lost
    assert real_corpus.errors.empty, real_corpus.errors.to_string()


def test_real_provincial_reports_as_json_lines_read_alike(real_corpus, tmp_path):
    # the 26 provincial CSV rows as one JSON Lines corpus (a research corpus's usual shape)
    rows = [pd.read_csv(p, dtype=str, keep_default_na=False).iloc[0] for p in sorted((REAL / "raw").glob("*.csv"))]
    pd.DataFrame(rows).to_json(tmp_path / "provinces.jsonl", orient="records", lines=True, force_ascii=False)
    import govreport

    corpus = govreport.read(tmp_path)
    assert corpus.errors.empty, corpus.errors.message.tolist()
    fields = ["region", "level", "adcode", "year", "review_year", "plan_year", "date", "speaker"]
    from_csv = real_corpus.reports[real_corpus.reports.format == "csv"].sort_values("source")[fields]
    assert corpus.reports[fields].reset_index(drop=True).equals(from_csv.reset_index(drop=True))
    assert list(corpus.reports.url) == [r["source_url"] for r in rows]
