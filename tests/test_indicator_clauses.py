"""Constructed clauses with their expected indicator rows (issue 3, GUIDE.md sections 2 and 3).

Each row of ``tests/data/clauses.csv`` is one clause written for this test (invented regions
and numbers, not copied from the seeds) with the section it stands in, the report's review
and plan years, and the rows GUIDE.md says it yields. ``expected`` is a ``;``-separated list
of ``kind|horizon|period|indicator|metric|value|value_high|unit|qualifier|basis|estimate``
(empty value fields for qualitative rows; ``-`` for no rows). ``normalize`` = 1 runs the
clause through :func:`govreport.normalize_text` first (full-width digits, CRLF).

The comparison is exact: produced rows for GUIDE section-3 indicators, reduced to the
columns above, must equal the expected rows (missing and extra rows both fail; the same row
produced twice is an extra row). Rows under the library's own non-canonical keys
(``private_investment``, …) are welcome and ignored.

Cases the extractor does not yet get right are in ``KNOWN_GAPS`` and run as strict xfail:
when a rule is fixed, the case XPASSes and fails, so it must be taken out of the set.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from govreport import normalize_text
from govreport.indicators import extract_indicators

DATA = Path(__file__).parent / "data" / "clauses.csv"

FIELDS = [
    "kind",
    "horizon",
    "period",
    "indicator",
    "metric",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "basis",
    "estimate",
]

# GUIDE.md section 3: the keys that are scored.
CANONICAL = {
    "gdp",
    "gdp_per_capita",
    "industrial_value_added",
    "industry_value_added",
    "industrial_output",
    "fixed_asset_investment",
    "retail_sales",
    "budget_revenue",
    "fiscal_revenue_total",
    "tax_revenue",
    "disposable_income",
    "disposable_income_urban",
    "disposable_income_rural",
    "trade",
    "exports",
    "foreign_investment",
    "domestic_investment",
    "cpi",
    "unemployment_rate",
    "new_urban_jobs",
    "grain_output",
    "agri_output",
    "construction_output",
    "services_revenue",
    "services_value_added",
    "energy_intensity",
    "urbanization_rate",
    "rd_intensity",
    "online_retail",
    "market_entities",
    "population",
}

# Cases the current extractor gets wrong (see the module docstring); the reason is on the right.
KNOWN_GAPS: dict[str, str] = {
}


def _num(x) -> float | None:
    if x is None:
        return None
    if isinstance(x, str):
        x = x.strip()
        if x == "":
            return None
    v = float(x)
    return None if math.isnan(v) else round(v, 6)


def _bool(x) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    return bool(x)


def _key(row: dict) -> tuple:
    return (
        str(row["kind"]),
        str(row["horizon"]),
        str(row["period"]),
        str(row["indicator"]),
        str(row["metric"]),
        _num(row["value"]),
        _num(row["value_high"]),
        "" if row["unit"] is None else str(row["unit"]),
        str(row["qualifier"]),
        str(row["basis"]),
        _bool(row["estimate"]),
    )


def _parse_expected(field: str) -> list[tuple]:
    field = field.strip()
    if field in ("", "-"):
        return []
    out = []
    for item in field.split(";"):
        parts = item.split("|")
        assert len(parts) == len(FIELDS), f"malformed expected row {item!r}"
        out.append(_key(dict(zip(FIELDS, parts, strict=True))))
    return out


def _fmt(row: tuple) -> str:
    return "|".join(
        ""
        if v is None
        else (
            "true"
            if v is True
            else "false"
            if v is False
            else (f"{v:g}" if isinstance(v, float) else str(v))
        )
        for v in row
    )


def _load() -> list[dict]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = _load()


def _params():
    for case in CASES:
        marks = []
        if case["id"] in KNOWN_GAPS:
            marks.append(
                pytest.mark.xfail(strict=True, reason=f"known gap: {KNOWN_GAPS[case['id']]}")
            )
        yield pytest.param(case, id=case["id"], marks=marks)


def test_case_file_is_sound():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 80
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert set(KNOWN_GAPS) <= set(ids), (
        f"KNOWN_GAPS names unknown cases: {set(KNOWN_GAPS) - set(ids)}"
    )
    for c in CASES:
        assert c["section"] in (
            "review",
            "targets",
            "tasks",
            "five_year_plan",
            "five_year_review",
        ), c["id"]
        for row in _parse_expected(c["expected"]):
            assert row[3] in CANONICAL, (c["id"], row)


@pytest.mark.parametrize("case", list(_params()))
def test_clause(case):
    text = case["text"]
    if case.get("normalize", "0").strip() == "1":
        text = normalize_text(text)
    df = extract_indicators(
        text,
        section=case["section"],
        review_year=int(case["review_year"]) if case["review_year"] else None,
        plan_year=int(case["plan_year"]) if case["plan_year"] else None,
    )
    records = df.to_dict("records")
    produced = Counter(_key(r) for r in records if r["indicator"] in CANONICAL)
    expected = Counter(_parse_expected(case["expected"]))

    missing = expected - produced
    extra = produced - expected
    if missing or extra:
        lines = [f"clause: {text}", "header: " + "|".join(FIELDS)]
        lines += [
            f"  missing: {_fmt(r)}" + (f" (x{n})" if n > 1 else "")
            for r, n in sorted(missing.items(), key=str)
        ]
        lines += [
            f"  extra:   {_fmt(r)}" + (f" (x{n})" if n > 1 else "")
            for r, n in sorted(extra.items(), key=str)
        ]
        lines += [
            f"  matched: {_fmt(r)}" for r in sorted((produced & expected).elements(), key=str)
        ]
        pytest.fail("\n".join(lines), pytrace=False)

    # evidence: every row's clause is copied from the input, and its offsets point into it
    squeezed = re.sub(r"\s+", "", text)
    for r in records:
        assert r["text"] and r["text"] in squeezed, (
            f"row text {r['text']!r} is not in the clause {squeezed!r}"
        )
        start, end = int(r["start"]), int(r["end"])
        assert 0 <= start < end <= len(text), (
            f"offsets {start}:{end} outside the input (length {len(text)})"
        )
