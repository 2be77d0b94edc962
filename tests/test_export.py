"""Exports: CSV with BOM, Excel sheets, Stata 118 with Chinese intact, parquet."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from govreport.export import export
from govreport.panel import panel


def reports_frame() -> pd.DataFrame:
    df = pd.DataFrame({
        "source": ["平阴县2025.txt", "平阴县2026.txt"], "part": [0, 0],
        "region": ["平阴县", "平阴县"], "level": ["county", "county"], "parent": ["济南市", "济南市"],
        "province": ["山东省", "山东省"], "adcode": ["370124", "370124"],
        "year": pd.array([2025, 2026], dtype="Int64"), "review_year": pd.array([2024, 2025], dtype="Int64"),
        "plan_year": pd.array([2025, None], dtype="Int64"), "date": ["2025-01-20", ""],
        "speaker": ["张小帆", None], "title": ["政府工作报告", "政府工作报告"],
        "has_target_list": [True, False],
    })
    return df


def indicators_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "source": ["平阴县2025.txt", "平阴县2026.txt"], "part": [0, 0],
        "kind": ["target", "outcome"], "horizon": ["annual", "annual"], "period": ["2025", "2025"],
        "indicator": ["gdp", "gdp"], "indicator_text": ["地区生产总值", "地区生产总值"],
        "metric": ["growth", "growth"], "value": [6.0, 6.2], "value_high": [np.nan, np.nan],
        "unit": ["%", "%"], "qualifier": ["about", "exact"], "basis": ["year", "year"],
        "estimate": [False, True], "text": ["地区生产总值增长6%左右", "预计地区生产总值增长6.2%"],
        "start": [10, 20], "end": [22, 33], "section": [3, 1], "commitment": ["", ""],
    })


def tables() -> dict[str, pd.DataFrame]:
    rep, ind = reports_frame(), indicators_frame()
    return {"reports": rep, "indicators": ind, "panel": panel((rep, ind))}


def test_csv_has_bom_and_round_trips(tmp_path):
    p = export(reports_frame(), tmp_path / "out" / "reports.csv")
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(p, encoding="utf-8-sig", dtype={"adcode": str})
    assert back["region"].tolist() == ["平阴县", "平阴县"] and back["adcode"].iloc[0] == "370124"
    zh = export(reports_frame(), tmp_path / "zh.csv", labels_zh=True)
    assert pd.read_csv(zh, encoding="utf-8-sig").columns[2] == "地区"


def test_csv_dict_writes_one_file_per_table(tmp_path):
    paths = export(tables(), tmp_path / "govreport.csv")
    assert [p.name for p in paths] == ["govreport_reports.csv", "govreport_indicators.csv",
                                       "govreport_panel.csv"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)


def test_xlsx_one_sheet_per_table(tmp_path):
    t = tables()
    p = export(t, tmp_path / "govreport.xlsx")
    back = pd.read_excel(p, sheet_name=None)
    assert list(back) == ["reports", "indicators", "panel"]
    assert back["reports"]["region"].tolist() == ["平阴县", "平阴县"]
    assert back["indicators"]["indicator_text"].tolist() == ["地区生产总值", "地区生产总值"]
    assert back["panel"].loc[0, "outcome"] == pytest.approx(6.2)
    assert len(back["panel"]) == len(t["panel"])
    zh = pd.read_excel(export(t, tmp_path / "zh.xlsx", labels_zh=True), sheet_name=None)
    assert {"类别", "指标原文", "数值"} <= set(zh["indicators"].columns)
    assert {"目标值", "实际值", "完成目标"} <= set(zh["panel"].columns)
    one = pd.read_excel(export(reports_frame(), tmp_path / "one.xlsx"), sheet_name=None)
    assert list(one) == ["one"]


def test_dta_round_trip_with_chinese_and_labels(tmp_path):
    with pytest.warns(UserWarning, match="ind.dta.*end -> _end"):
        p = export(indicators_frame(), tmp_path / "ind.dta")
    back = pd.read_stata(p)
    assert back["indicator_text"].tolist() == ["地区生产总值", "地区生产总值"]
    assert back["text"].iloc[1] == "预计地区生产总值增长6.2%"
    assert back["value"].tolist() == [6.0, 6.2]
    assert back["estimate"].tolist() == ["no", "yes"]  # a byte with value labels
    assert pd.read_stata(p, convert_categoricals=False)["estimate"].tolist() == [0, 1]
    with pd.io.stata.StataReader(p) as r:
        labels = r.variable_labels()
        assert r._format_version == 118
    assert labels["value"] == "Value"
    assert labels["_end"] == "End offset (column end)"
    assert all(len(v) <= 80 for v in labels.values())


def test_dta_dict_nullable_and_chinese_labels(tmp_path):
    t = tables()
    t["reports"].loc[0, "speaker"] = "张" * 1500  # longer than a Stata str# column: strL
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no InvalidColumnName / precision warnings
        warnings.filterwarnings("ignore", message=".*Stata names must be ASCII")  # end -> _end
        paths = export(t, tmp_path / "gr.dta", labels_zh=True)
    assert [p.name for p in paths] == ["gr_reports.dta", "gr_indicators.dta", "gr_panel.dta"]
    rep = pd.read_stata(paths[0])
    assert rep["region"].tolist() == ["平阴县", "平阴县"]
    assert rep["parent"].iloc[0] == "济南市" and rep["adcode"].iloc[0] == "370124"
    assert rep["speaker"].tolist() == ["张" * 1500, ""]
    assert rep["plan_year"].iloc[0] == 2025 and np.isnan(rep["plan_year"].iloc[1])
    assert rep["has_target_list"].tolist() == ["是", "否"]
    pan = pd.read_stata(paths[2])
    assert pan["met"].iloc[0] == "是" and pan["outcome_text"].iloc[0] == "预计地区生产总值增长6.2%"
    with pd.io.stata.StataReader(paths[2]) as r:
        labels = r.variable_labels()
    assert labels["region"] == "地区" and labels["amplification"].startswith("加码幅度")


def test_parquet_round_trip(tmp_path):
    t = tables()
    p = export(t["panel"], tmp_path / "panel.parquet")
    back = pd.read_parquet(p)
    pd.testing.assert_frame_equal(back, t["panel"], check_dtype=False)
    assert back["met"].dtype == "boolean"
    paths = export(t, tmp_path / "all.parquet")
    assert len(paths) == 3 and pd.read_parquet(paths[0])["region"].iloc[0] == "平阴县"


def test_failed_export_leaves_no_file(tmp_path):
    bad = pd.DataFrame({"x": [object()]})
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises
        export(bad, tmp_path / "bad.parquet")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="writes"):
        export(reports_frame(), tmp_path / "x.json")


def test_package_level_export_stays_callable(tmp_path):
    import govreport

    a = govreport.export(reports_frame(), tmp_path / "a.csv")
    b = govreport.export(reports_frame(), tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------- issue 14, item 8


def test_types_survive_the_round_trip(tmp_path):
    rep = reports_frame()
    rep.loc[1, "adcode"] = ""  # a township: no code
    # adcode as text in Excel, never 370124.0; date as a date
    xp = export(rep, tmp_path / "r.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(xp).active
    col = [c.value for c in ws[1]].index("adcode") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == "370124" and cell.data_type == "s" and cell.number_format == "@"  # a text cell
    x = pd.read_excel(xp, dtype={"adcode": str})
    assert x["adcode"].iloc[0] == "370124"
    assert pd.api.types.is_datetime64_any_dtype(x["date"]) and x["date"].iloc[0] == pd.Timestamp("2025-01-20")
    c = pd.read_csv(export(rep, tmp_path / "r.csv"), dtype={"adcode": str}, parse_dates=["date"])
    assert c["adcode"].iloc[0] == "370124" and c["date"].iloc[0] == pd.Timestamp("2025-01-20")
    # a float column of codes (as read from an old CSV) is written back as text
    d = pd.read_stata(export(rep.assign(adcode=[370124.0, np.nan]), tmp_path / "r.dta"))
    assert d["adcode"].tolist() == ["370124", ""]
    assert pd.api.types.is_datetime64_any_dtype(d["date"]) and d["date"].iloc[0] == pd.Timestamp("2025-01-20")
    with pd.io.stata.StataReader(tmp_path / "r.dta") as r:
        r.read()
        fmt = dict(zip(r._varlist, r._fmtlist, strict=True))
    assert fmt["date"] == "%td"


def test_met_is_a_labelled_stata_byte(tmp_path):
    pan = tables()["panel"]
    pan = pd.concat([pan, pan.assign(met=pd.array([pd.NA] * len(pan), dtype="boolean"))], ignore_index=True)
    p = export(pan, tmp_path / "p.dta")
    with pd.io.stata.StataReader(p) as r:
        r.read()
        types = dict(zip(r._varlist, r._typlist, strict=True))
        vl = r.value_labels()
    assert types["met"] == "b"  # byte, even with missing values
    assert vl["met"] == {0: "no", 1: "yes"}
    raw = pd.read_stata(p, convert_categoricals=False)["met"]
    assert raw.iloc[0] == 1 and np.isnan(raw.iloc[-1])


def test_renamed_stata_columns_are_warned_and_labelled(tmp_path):
    df = pd.DataFrame({"end": [1], "汉字列": ["甲"], "value": [2.0]})
    with pytest.warns(UserWarning, match=r"end -> _end, 汉字列 -> var"):
        p = export(df, tmp_path / "x.dta")
    with pd.io.stata.StataReader(p) as r:
        labels = r.variable_labels()
        data_label = r.data_label
    assert labels["var"] == "column 汉字列" and "汉字列 -> var" in data_label


def test_english_labels(tmp_path):
    t = tables()
    en = pd.read_excel(export(t, tmp_path / "en.xlsx", labels="en"), sheet_name=None)
    assert {"Target", "Outcome", "Target met"} <= set(en["panel"].columns)
    with pytest.raises(ValueError, match="labels"):
        export(t, tmp_path / "x.xlsx", labels="fr")
