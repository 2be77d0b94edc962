"""corrections.csv end to end: drop, set, add, a stale correction → an errors row; the flag and
the note reach the tables, the evidence pages and every export format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import corrections, evidence
from govreport.build import build

REPORT = ("某某县政府工作报告\n——2026年1月20日在某某县第十八届人民代表大会第五次会议上\n县长 王某\n各位代表：\n"
          "一、2025年工作回顾\n全县地区生产总值增长5.6%，一般公共预算收入增长3.1%，城镇新增就业2100人。\n"
          "全年完成造林面积1.2万亩。\n"
          "二、2026年主要目标\n地区生产总值增长5.5%左右，一般公共预算收入增长3%，城镇新增就业2000人以上。\n")
HEADER = "source,part,kind,horizon,period,indicator,metric,action,note,where_text,value,unit,qualifier,text\n"


def make(tmp_path: Path, report: str = REPORT, lines: str = "") -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "county.txt").write_text(report, encoding="utf-8")
    (tmp_path / "corrections.csv").write_text(HEADER + lines, encoding="utf-8-sig")
    return raw


LINES = (
    "county.txt,0,outcome,annual,2025,gdp,growth,set,统计公报为5.7%,,5.7,,,\n"
    "county.txt,0,target,annual,2026,new_urban_jobs,level,drop,not a target of this report,,,,,\n"
    "county.txt,,outcome,annual,2025,afforestation,level,add,missed,,1.2,万亩,exact,全年完成造林面积1.2万亩\n"
    "county.txt,0,outcome,annual,2019,gdp,growth,drop,row from an older text,,,,,\n"
)


def test_read_applies_drop_set_add_and_reports_a_stale_correction(tmp_path):
    plain = govreport.read(make(tmp_path / "a"), corrections=None).indicators
    assert not plain["corrected"].any() and (plain["note"] == "").all()
    raw = make(tmp_path / "b", lines=LINES)
    corpus = govreport.read(raw)  # corrections.csv beside raw/ is found
    assert (corpus.errors.stage == "corrections").sum() == 1  # errors first: corrections still applied
    ind = corpus.indicators
    assert corpus.corrections == (tmp_path / "b" / "corrections.csv").resolve()
    key = ["kind", "period", "indicator"]
    gdp = ind.set_index(key).loc[("outcome", "2025", "gdp")]
    assert gdp["value"] == 5.7 and gdp["corrected"] and gdp["note"] == "统计公报为5.7%"
    assert gdp["text"] == plain.set_index(key).loc[("outcome", "2025", "gdp"), "text"]  # other fields kept
    assert "new_urban_jobs" not in set(ind[(ind.kind == "target")].indicator)
    assert "new_urban_jobs" in set(plain[(plain.kind == "target")].indicator)
    added = ind[ind.indicator == "afforestation"].iloc[0]
    doc = corpus.document("county.txt")
    assert added["corrected"] and doc.text[added.start : added.end] == "全年完成造林面积1.2万亩"
    assert added["unit"] == "万亩" and added["value"] == 1.2 and added["section"] == "review"
    assert int((ind["corrected"]).sum()) == 2 and len(ind) == len(plain)  # one dropped, one added
    err = corpus.errors
    stale = err[err.stage == "corrections"]
    assert len(stale) == 1 and "2019" in stale.message.iloc[0] and "no longer exists" in stale.message.iloc[0]
    assert ":5:" in stale.message.iloc[0]  # names the file's line
    assert list(corpus.dropped.indicator) == ["new_urban_jobs"]


def test_bad_lines_and_files_are_error_rows(tmp_path):
    lines = ("county.txt,0,outcome,annual,2025,gdp,growth,fix,?,,,,,\n"
             "county.txt,0,outcome,annual,2025,gdp,growth,set,bad value,,five,,,\n"
             "county.txt,0,outcome,annual,2025,gdp,,drop,no metric,,,,,\n"
             "other.txt,0,outcome,annual,2025,gdp,growth,add,no such report,,1,%,,增长1%\n"
             "county.txt,0,outcome,annual,2025,gdp,growth,add,not in text,,1,%,,这句话不在报告里\n"
             "county.txt,0,outcome,annual,2025,gdp,growth,add,already there,,5.6,%,,全县地区生产总值增长5.6%\n")
    corpus = govreport.read(make(tmp_path, lines=lines))
    ind = corpus.indicators
    assert not ind["corrected"].any()
    msgs = corpus.errors.query("stage == 'corrections'").message.tolist()
    assert len(msgs) == 6, msgs
    for needle in ("'fix' is not one of", "could not convert", "empty key columns ['metric']",
                   "no report other.txt#0", "not found in the report", "the extractor now finds this row"):
        assert any(needle in m for m in msgs), (needle, msgs)
    (tmp_path / "corrections.csv").write_text("source,action\nx,drop\n", encoding="utf-8")
    corpus = govreport.read(tmp_path / "raw")
    assert len(corpus.indicators) > 0
    assert corpus.errors.message.str.contains("missing columns").any()


def test_where_text_picks_one_of_several_rows(tmp_path):
    report = REPORT.replace("城镇新增就业2100人。", "城镇新增就业2100人，其中农村新增就业2100人。")
    lines = "county.txt,0,outcome,annual,2025,gdp,growth,set,check,增长5.6%,5.65,,,\n"
    ind = govreport.read(make(tmp_path, report, lines)).indicators
    assert ind.loc[ind.corrected, "value"].tolist() == [5.65]
    lines = "county.txt,0,outcome,annual,2025,gdp,growth,drop,check,不存在的文字,,,,\n"
    corpus = govreport.read(make(tmp_path, report, lines))
    assert "gdp" in set(corpus.indicators.indicator)
    assert corpus.errors.message.str.contains("containing '不存在的文字'").any()


def test_a_correction_survives_a_rebuild_and_goes_stale_when_its_row_goes(tmp_path):
    raw = make(tmp_path, lines=LINES)
    out = tmp_path / "out"
    build(raw, out, jobs=1, quiet=True, figures=False)
    built = govreport.open(out)
    ind = built.indicators
    assert ind["corrected"].sum() == 2 and set(ind.loc[ind.corrected, "note"]) == {"统计公报为5.7%", "missed"}
    errors = built.errors
    assert (errors.stage == "corrections").sum() == 1
    csv = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")
    assert csv["corrected"].sum() == 2
    # the page shows corrected rows with their own class, the dropped row struck through
    page = (out / "evidence" / evidence.page_name("county.txt", 0)).read_text(encoding="utf-8")
    assert page.count("gr-m gr-outcome gr-corr") == 2 and 'class="gr-drop"' in page
    assert "统计公报为5.7%" in page and "not a target of this report" in page
    # the report is revised: its 2025 GDP sentence is gone, so the set correction is stale
    (raw / "county.txt").write_text(REPORT.replace("全县地区生产总值增长5.6%，", ""), encoding="utf-8")
    build(raw, out, jobs=1, quiet=True, figures=False)
    errors = govreport.open(out).errors
    msgs = errors[errors.stage == "corrections"].message.tolist()
    assert len(msgs) == 2 and any("2025/gdp/growth" in m and "no longer exists" in m for m in msgs)


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".dta", ".parquet"])
def test_export_carries_the_flag(tmp_path, ext):
    ind = govreport.read(make(tmp_path, lines=LINES)).indicators
    path = tmp_path / f"ind{ext}"
    govreport.export(ind, path)
    back = {".csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"), ".xlsx": pd.read_excel,
            ".dta": lambda p: pd.read_stata(p, convert_categoricals=False), ".parquet": pd.read_parquet}[ext](path)
    flag = back["corrected"].astype(bool)
    assert flag.sum() == 2
    assert set(back.loc[flag, "note"]) == {"统计公报为5.7%", "missed"}


def test_find_only_beside_a_directory(tmp_path):
    raw = make(tmp_path)
    assert corrections.find(raw) == (tmp_path / "corrections.csv").resolve()
    assert corrections.find([raw / "county.txt"]) is None
    shutil.copy(tmp_path / "corrections.csv", tmp_path / "elsewhere.csv")
    (tmp_path / "corrections.csv").unlink()
    assert corrections.find(raw) is None
    corpus = govreport.read(raw, corrections=tmp_path / "elsewhere.csv")
    assert corpus.corrections == tmp_path / "elsewhere.csv"


def test_editing_corrections_needs_no_change_of_the_reports(tmp_path):
    """Corrections apply after the per-file cache: a rebuild from the cache takes the new file."""
    raw = make(tmp_path)
    out = tmp_path / "out"
    build(raw, out, jobs=1, quiet=True, figures=False)
    assert not govreport.open(out).indicators["corrected"].any()
    make(tmp_path, lines=LINES)
    build(raw, out, jobs=1, quiet=True, figures=False)
    built = govreport.open(out)
    assert built.manifest["files_from_cache"] == 1
    entry = [i for i in built.manifest["inputs"] if i.get("role") == "corrections"]
    assert len(entry) == 1 and entry[0]["corrections"] == 4 and len(entry[0]["sha256"]) == 64
    assert built.indicators["corrected"].sum() == 2
    assert (built.errors.stage == "corrections").sum() == 1
    (tmp_path / "corrections.csv").write_text(HEADER + "gone.txt,0,outcome,annual,2025,gdp,growth,drop,x,,,,,\n",
                                              encoding="utf-8")
    build(raw, out, jobs=1, quiet=True, figures=False, evidence=False)
    errors = govreport.open(out).errors
    assert errors[errors.stage == "corrections"].message.str.contains("no report gone.txt in the corpus").all()


def test_cli_corrections_and_no_evidence(tmp_path):
    from govreport.cli import main

    raw = make(tmp_path, lines=LINES)
    other = tmp_path / "other.csv"
    (tmp_path / "corrections.csv").rename(other)
    out = tmp_path / "out"
    main(["build", str(raw), "--out", str(out), "--jobs", "1", "--quiet", "--no-figures", "--no-evidence",
          "--corrections", str(other)])
    assert not (out / "evidence").exists()
    built = govreport.open(out)
    assert built.indicators["corrected"].sum() == 2
    assert built.errors.message.str.contains("other.csv:5:").any()


TYPO = REPORT.replace("全县地区生产总值增长5.6%", "全县地区生产总值增长56%")
FLAG_LINES = (  # a typo set right, a value set implausible, a five-year row and an urban row added
    "county.txt,0,outcome,annual,2025,gdp,growth,set,typo in the text: 5.6%,,5.6,,,\n"
    "county.txt,0,target,annual,2026,gdp,growth,set,as printed,,55,,,\n"
    "county.txt,0,target,five_year,2026-2030,gdp,growth,add,missed,,5.5,%,about,地区生产总值增长5.5%左右\n"
    "county.txt,0,outcome,annual,2025,disposable_income_urban,growth,add,missed,,3.1,%,,一般公共预算收入增长3.1%\n"
)


def test_flags_and_derived_columns_follow_the_corrected_values_in_read_and_build(tmp_path):
    raw = make(tmp_path, TYPO, FLAG_LINES)
    plain = govreport.read(raw, corrections=None).indicators.set_index(["kind", "period", "indicator"])
    assert plain.loc[("outcome", "2025", "gdp"), "flags"] == "value_out_of_range"  # the typo
    build(raw, tmp_path / "out", jobs=1, quiet=True, figures=False, evidence=False)
    for ind in (govreport.read(raw).indicators, govreport.open(tmp_path / "out").indicators):
        rows = ind[ind.corrected].set_index(["kind", "period", "indicator"])
        assert rows.loc[("outcome", "2025", "gdp"), "flags"] == ""  # 5.6 is plausible
        assert rows.loc[("target", "2026", "gdp"), "flags"] == "value_out_of_range"  # 55 is not
        five = rows.loc[("target", "2026-2030", "gdp")]
        assert five["flags"] == "" and (five["period_start"], five["period_end"]) == (2026, 2030)
        assert rows.loc[("outcome", "2025", "disposable_income_urban"), "definition"] == "urban"
        assert str(ind["period_start"].dtype) == "Int64"
