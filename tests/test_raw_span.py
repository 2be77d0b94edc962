"""Citations point to the right place: every indicator row's span maps back to the raw text.

For every row of the seeds, the holdouts and ``../shared/real`` (skipped when absent), the raw
text under ``doc.raw_span(start, end)`` equals the normalised span, and the raw text under the
clause's span equals the row's clause (``text``). Both sides are compared after what
normalisation legitimately changes: whitespace, NFKC (full-width digits) and traditional →
simplified characters.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import govreport
from govreport.normalize import normalize, year_digits
from govreport.script import to_simplified

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real" / "raw"
SETS = {
    "seeds": ROOT / "data" / "raw",
    **{p.name: p for p in sorted((ROOT / "tests" / "data").glob("holdout*")) if p.is_dir()},
    "real": REAL,
}


def canon(s: str) -> str:
    """What normalisation may change, undone on both sides: NFKC, script, whitespace and years in Chinese numerals."""
    return re.sub(r"\s+", "", year_digits(to_simplified(unicodedata.normalize("NFKC", s))))


def clause_span(text: str, clause: str, start: int, end: int) -> tuple[int, int] | None:
    """The occurrence of ``clause`` (whitespace removed) in ``text`` overlapping [start, end)."""
    pattern = re.compile(r"\s*".join(map(re.escape, clause)))
    lo = max(0, start - 3 * len(clause) - 20)
    best = None
    for m in pattern.finditer(text, lo, min(len(text), end + 3 * len(clause) + 20)):
        if m.start() < end and m.end() > start:
            best = m.span()
            break
    return best


def span_failures(corpus: govreport.Corpus) -> list[str]:
    bad: list[str] = []
    for r in corpus.indicators.itertuples():
        doc = corpus.document(r.source, r.part)
        s, e = doc.raw_span(r.start, r.end)
        if canon(doc.raw[s:e]) != canon(doc.text[r.start : r.end]):
            bad.append(f"{r.source}#{r.part} span {r.start}:{r.end} {doc.text[r.start:r.end]!r} -> raw {doc.raw[s:e]!r}")
            continue
        cs = clause_span(doc.text, r.text, r.start, r.end)
        if cs is None:
            bad.append(f"{r.source}#{r.part} clause {r.text!r} not found around {r.start}:{r.end}")
            continue
        s, e = doc.raw_span(*cs)
        if canon(doc.raw[s:e]) != canon(r.text):
            bad.append(f"{r.source}#{r.part} clause {r.text!r} -> raw {doc.raw[s:e]!r}")
    return bad


@pytest.mark.parametrize("name", list(SETS))
def test_every_row_maps_to_its_raw_text(name: str) -> None:
    path = SETS[name]
    if not path.exists():
        pytest.skip(f"{path} is absent (the real development set lives beside the repository)")
    corpus = govreport.read(path)
    assert len(corpus.indicators) > 0, f"no indicator rows read from {path}"
    bad = span_failures(corpus)
    assert not bad, f"{len(bad)} of {len(corpus.indicators)} rows map to the wrong raw text:\n" + "\n".join(bad[:10])


def test_long_line_keeps_each_character_position() -> None:
    # a body scraped onto one line longer than the long-line threshold, with full-width digits
    para = "全年地区生产总值增长５．５％左右，城镇新增就业１．２万人。"
    raw = "政府工作报告 " + " ".join(f"第{i}段工作回顾 {para}" for i in range(60))
    assert len(raw) > 1500 and "\n" not in raw
    mt = normalize(raw)
    assert mt.text.count("\n") >= 50  # spaces became paragraph breaks
    for m in re.finditer("增长5.5%左右", mt.text):
        s, e = mt.raw_span(*m.span())
        assert mt.raw[s:e] == "增长５．５％左右"


def test_replacement_maps_into_the_replaced_text() -> None:
    mt = normalize("一、**主要目标**\n地区生产总值增长&nbsp;6%")
    i = mt.text.index("主要目标")
    s, e = mt.raw_span(i, i + 4)
    assert mt.raw[s:e] == "主要目标"
    i = mt.text.index("6%")
    assert mt.text[i - 2 : i + 2] == "增长6%"  # the entity's space is dropped before a digit
    s, e = mt.raw_span(i - 2, i + 2)
    assert mt.raw[s:e] == "增长&nbsp;6%"


def test_csv_rows_map_into_their_own_text(tmp_path: Path) -> None:
    # the row starts after the header (so its file offset is not 0) and holds escaped quotes
    body = "政府工作报告\n各位代表：\n" + "推进各项工作。" * 10 + '“十五五”开局，"稳中求进"，全省地区生产总值增长5.5%左右。' + "推进各项工作。" * 30
    quoted = body.replace('"', '""')
    p = tmp_path / "reports.csv"
    p.write_text(f'province,year,title,full_text\n某省,2026,某省政府工作报告,"{quoted}"\n', encoding="utf-8")
    doc = govreport.read(p).documents[0]
    i = doc.text.index("增长5.5%")
    s, e = doc.raw_span(i, i + 6)
    assert doc.raw[s:e] == "增长5.5%"


def test_a_letter_spaced_number_is_one_figure_and_maps_to_its_spaced_raw_text() -> None:
    """A PDF's letter-spacing (1 8 6 . 2亿元) is one number: before, only the last digit (2亿元) was read."""
    raw = ("某县2015年政府工作报告\n\n一、2014年工作回顾\n\n全社会固定资产投资完成 1 8 6 . 2 亿元，增长 1 2 . 5 %。"
           "新建项目 236.5 8.2 两组数不相连。\n\n二、2015年工作安排\n\n主要预期目标是：地区生产总值增长8%左右。\n")
    corpus = govreport.read_text(raw)
    rows = corpus.indicators.set_index(["indicator", "metric"])
    assert rows.loc[("fixed_asset_investment", "level"), "value"] == 186.2
    assert rows.loc[("fixed_asset_investment", "growth"), "value"] == 12.5
    mt = normalize(raw)
    assert "236.5 8.2" in mt.text  # numbers of several digits keep their spaces
    i = mt.text.index("186.2")
    s, e = mt.raw_span(i, i + 5)
    assert mt.raw[s:e] == "1 8 6 . 2"
