"""Indicator rules that need more than one clause: the report's level, invariants, own keys."""

from govreport.indicators import extract_indicators


def _rows(text, **kw):
    kw.setdefault("section", "review")
    return extract_indicators(text, review_year=2025, plan_year=2026, **kw)


def test_bare_fiscal_revenue_is_budget_revenue_only_in_the_national_report():
    text = "全国财政收入8.6万亿元，增长9%。"
    national = _rows(text, level="country")
    assert set(zip(national.indicator, national.metric, national.value, strict=True)) == {
        ("budget_revenue", "level", 8.6), ("budget_revenue", "growth", 9.0)}
    local = _rows("全市财政收入86亿元，增长9%。", level="prefecture")
    assert "budget_revenue" not in set(local.indicator)
    assert set(local.indicator) == {"fiscal_revenue"}  # kept under the library's own key
