"""The build's panel in groups of regions (govreport/panel_groups.py) = the panel of everything."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govreport import panel_groups
from govreport.build import _panel, corpus_stage
from govreport.panel import INDICATOR_INPUT_COLUMNS, panel
from govreport.panel_groups import CannotGroup, grouped_panel, region_groups
from govreport.store import DatasetWriter

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "raw"

# region: (level, parent, province, adcode)
REGIONS = {
    "中华人民共和国": ("country", "", "", ""),
    "甲省": ("province", "", "甲省", "110000"),
    "子市": ("prefecture", "甲省", "甲省", "110100"),
    "丑县": ("county", "子市", "甲省", "110102"),
    "寅县": ("county", "子市", "甲省", ""),  # no adcode: keyed by name
    "未县": ("county", "子市", "甲省", "110106"),
    "未县#2": ("county", "子市", "甲省", "110107"),  # the same name, another adcode: another region
    "乙省": ("province", "", "乙省", "120000"),
    "卯市": ("prefecture", "乙省", "乙省", "120100"),
    "辰县": ("county", "卯市", "乙省", "120101"),
    "巳县": ("county", "子市", "", ""),  # province unknown: its parent is found by name anywhere
    "酉县": ("county", "", "", "120199"),  # no parent name: found by adcode, in 乙省
    "午县": ("county", "子市", "甲省", "110105"),
    "午县@乙": ("county", "卯市", "乙省", "110105"),  # the same adcode filed under another province
    "": ("", "", "", ""),  # a report without any region
}


def _corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports of 2025 and 2026 for every region; targets for both years, outcomes for 2024/2025."""
    reports, rows = [], []
    for n, (name, (level, parent, province, adcode)) in enumerate(REGIONS.items()):
        region = name.split("#")[0].split("@")[0]
        for year in (2025, 2026):
            source = f"{n:02d}-{year}.txt"
            parts = [0, 1] if name == "辰县" else [0]  # a file of two reports
            for part in parts:
                reports.append({"source": source, "part": part, "region": region, "level": level,
                                "parent": parent, "province": province, "adcode": adcode, "year": year,
                                "review_year": year - 1, "plan_year": year})
                shift = n / 10 + part
                for indicator, metric, unit in (("gdp", "growth", "%"), ("retail_sales", "growth", "%"),
                                                ("grain_output", "level", "万吨")):
                    rows.append({"source": source, "part": part, "kind": "target", "horizon": "annual",
                                 "period": str(year), "indicator": indicator, "metric": metric,
                                 "value": 6.0 + shift + (year - 2025), "unit": unit,
                                 "qualifier": ["about", "at_least", "exact"][n % 3], "estimate": False,
                                 "text": f"{region}{indicator}目标{year}", "start": 10})
                    rows.append({"source": source, "part": part, "kind": "outcome", "horizon": "annual",
                                 "period": str(year - 1), "indicator": indicator, "metric": metric,
                                 "value": 5.5 + shift, "unit": "亿斤" if unit == "万吨" and n % 2 else unit,
                                 "qualifier": "exact", "estimate": year == 2025, "text": f"{region}完成{year}",
                                 "start": 20})
                if year == 2026:
                    rows.append({"source": source, "part": part, "kind": "target", "horizon": "five_year",
                                 "period": "2026-2030", "indicator": "gdp", "metric": "growth",
                                 "value": 5.0 + shift, "unit": "%", "qualifier": "about", "estimate": False,
                                 "text": f"{region}十五五", "start": 30})
    # rows whose report is not in the reports table
    rows.append({"source": "orphan.txt", "part": 0, "kind": "target", "horizon": "annual", "period": "2026",
                 "indicator": "cpi", "metric": "growth", "value": 3.0, "unit": "%", "qualifier": "at_most",
                 "estimate": False, "text": "孤立目标", "start": 1})
    ind = pd.DataFrame(rows)
    ind["value_high"] = np.nan
    ind["indicator_text"] = ind["indicator"]
    ind["basis"] = ""
    return pd.DataFrame(reports), ind


def _stored(tmp_path: Path, reports: pd.DataFrame, indicators: pd.DataFrame) -> DatasetWriter:
    tables = DatasetWriter(tmp_path / "out")
    tables.add({"reports": reports, "indicators": indicators})
    tables.close()
    return tables


def _grouped(tables: DatasetWriter, group_rows: int | None, batch_rows: int = 50_000, jobs: int = 1) -> pd.DataFrame:
    reports = tables.read("reports")
    columns = [c for c in INDICATOR_INPUT_COLUMNS if c in ("source", "part") or c not in reports]
    with grouped_panel(reports, lambda names: tables.batches("indicators", names, batch_rows), columns,
                       group_rows=group_rows, jobs=jobs) as pieces:
        return pd.concat(list(pieces), ignore_index=True)


def _everything(tables: DatasetWriter) -> pd.DataFrame:
    return panel((tables.read("reports"), tables.read("indicators")))


def test_constructed_provinces_country_and_odd_regions_give_the_same_panel(tmp_path):
    reports, ind = _corpus()
    tables = _stored(tmp_path, reports, ind)
    want = _everything(tables)
    # what the groups must keep: a parent across provinces and groups, a region of two provinces
    si = want[(want["region"] == "巳县") & (want["indicator"] == "gdp") & (want["period"] == "2025")].iloc[0]
    assert si["parent_target"] == want[(want["region"] == "子市") & (want["indicator"] == "gdp")
                                       & (want["period"] == "2025")].iloc[0]["target"]
    you = want[(want["region"] == "酉县") & (want["period"] == "2025")]
    assert you["parent_target"].notna().all()  # 卯市, found by adcode
    wu = want[want["adcode"] == "110105"]
    assert wu["target"].notna().any() and wu["outcome"].notna().any()
    assert (want["region"] == "未县").sum() == 2 * (want["region"] == "丑县").sum()
    assert len(want[want["target_source"] == "orphan.txt#0"]) == 1

    sizes = ind.groupby(["source", "part"]).size().rename("rows").reset_index()
    keys, orphans = region_groups(tables.read("reports"), sizes, 1)
    assert keys["group"].nunique() == 13  # every region alone (午县's two provinces together) ...
    assert orphans == keys.loc[keys["source"].str.startswith("14-"), "group"].iloc[0]  # ... orphans with ""
    for group_rows in (1, 7, 40, 10**6):
        for batch_rows in (5, 50_000):
            pd.testing.assert_frame_equal(_grouped(tables, group_rows, batch_rows), want)
    for group_rows in (1, 7):  # the groups computed in two processes at once
        pd.testing.assert_frame_equal(_grouped(tables, group_rows, jobs=2), want)


def _one_province(counties: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two years of reports of ``counties`` counties of one province, two indicators each."""
    reports, rows = [], []
    for c in range(counties):
        region, parent, adcode = f"县{c:03d}", f"市{c // 5}", f"{110000 + c + 1:06d}"
        for year in (2025, 2026):
            source = f"{c:03d}-{year}.txt"
            reports.append({"source": source, "part": 0, "region": region, "level": "county", "parent": parent,
                            "province": "甲省", "adcode": adcode, "year": year, "review_year": year - 1,
                            "plan_year": year})
            for indicator in ("gdp", "retail_sales"):
                for kind, period, value in (("target", year, 6.0), ("outcome", year - 1, 5.5)):
                    rows.append({"source": source, "part": 0, "kind": kind, "horizon": "annual",
                                 "period": str(period), "indicator": indicator, "metric": "growth",
                                 "value": value + c / 100, "unit": "%", "qualifier": "about",
                                 "estimate": False, "text": f"{region}{indicator}{period}", "start": 10})
    ind = pd.DataFrame(rows)
    ind["value_high"] = np.nan
    ind["indicator_text"] = ind["indicator"]
    ind["basis"] = ""
    return pd.DataFrame(reports), ind


def test_a_one_province_corpus_is_given_a_group_at_a_time(tmp_path):
    """The rows of one (level, province) came as one table of all its groups (a one-province
    corpus: the whole panel at once); groups already in the panel's order come one at a time."""
    reports, ind = _one_province(60)
    tables = _stored(tmp_path, reports, ind)
    want = _everything(tables)
    columns = [c for c in INDICATOR_INPUT_COLUMNS if c in ("source", "part") or c not in reports]
    with grouped_panel(tables.read("reports"), lambda names: tables.batches("indicators", names), columns,
                       group_rows=40) as pieces:  # 5 counties (40 indicator rows) a group: 12 groups
        got = list(pieces)
    assert len(want) == 60 * 6 and [len(p) for p in got] == [30] * 12  # 5 counties × 6 panel rows each
    pd.testing.assert_frame_equal(pd.concat(got, ignore_index=True), want)

def test_groups_out_of_the_panels_order_are_sorted_as_before(tmp_path, monkeypatch):
    # 县001 renamed 县999 in 2026 (one adcode: one region, grouped by its first name): its rows
    # sort after 县004's, in the next group's span
    reports, ind = _one_province(15)
    reports.loc[(reports["region"] == "县001") & (reports["year"] == 2026), "region"] = "县999"
    tables = _stored(tmp_path, reports, ind)
    seen: list[bool] = []
    in_order = panel_groups._in_order
    monkeypatch.setattr(panel_groups, "_in_order", lambda paths: seen.append(in_order(paths)) or seen[-1])
    for group_rows in (40, 7):
        pd.testing.assert_frame_equal(_grouped(tables, group_rows), _everything(tables))
    assert False in seen


@pytest.mark.parametrize("source", ["seeds", "real"])
def test_seeds_and_real_reports_give_the_same_panel_in_groups(source, seed_corpus, tmp_path):
    if source == "real":
        if not REAL.is_dir():
            pytest.skip("../shared/real not beside the repository")
        import govreport

        corpus = govreport.read(REAL)
    else:
        corpus = seed_corpus
    tables = _stored(tmp_path, corpus.reports, corpus.indicators)
    want = _everything(tables)
    assert len(want) > 20
    pd.testing.assert_frame_equal(want, panel(corpus))
    sizes = corpus.indicators.groupby(["source", "part"]).size().rename("rows").reset_index()
    assert region_groups(tables.read("reports"), sizes, 1)[0]["group"].nunique() > 3
    for group_rows in (1, 50, 10**6):
        pd.testing.assert_frame_equal(_grouped(tables, group_rows, 64), want)
    pd.testing.assert_frame_equal(_grouped(tables, 50, 64, jobs=2), want)


def test_regions_split_across_groups_are_refused_and_the_build_computes_everything(tmp_path, monkeypatch):
    reports, ind = _corpus()
    tables = _stored(tmp_path, reports, ind)
    want = _everything(tables)
    # every report a unit of its own: one region's two years fall in two groups
    monkeypatch.setattr(panel_groups, "_units", lambda rep: np.arange(len(rep)))
    with pytest.raises(CannotGroup, match="in two groups"):
        _grouped(tables, 1)
    monkeypatch.setattr(panel_groups, "GROUP_ROWS", 1)
    got = _panel(tables)
    assert isinstance(got, list)  # the panel of everything
    pd.testing.assert_frame_equal(got[0], want)


def test_the_build_writes_the_pieces_as_it_wrote_the_whole_table(tmp_path, monkeypatch):
    """Pieces written in small batches: the same CSV bytes and Parquet rows as the whole frame."""
    from govreport import store

    reports, ind = _corpus()
    monkeypatch.setattr(store, "BATCH_ROWS", 7)
    monkeypatch.setattr(panel_groups, "GROUP_ROWS", 5)
    tables = _stored(tmp_path / "a", reports, ind)
    names, errors = corpus_stage(tables, print)
    assert names == ["panel"] and not errors
    whole = DatasetWriter(tmp_path / "b")
    want = _everything(tables)
    monkeypatch.setattr(store, "BATCH_ROWS", 10**6)
    whole.write("panel", want)
    whole.close()
    assert len(want) > 7 * 3
    assert (Path(tables.staging) / "panel.csv").read_bytes() == (Path(whole.staging) / "panel.csv").read_bytes()
    pd.testing.assert_frame_equal(tables.read("panel"), whole.read("panel"))
    assert len(list((Path(tables.staging) / "panel").glob("*.parquet"))) == 1
    assert not list(Path(tables.staging).glob("panel-*"))  # the temporary folder is gone


def test_no_indicator_rows_and_no_target_give_the_empty_panel(tmp_path):
    reports, ind = _corpus()
    for name, rows in (("none", ind.iloc[:0]), ("mentions", ind.assign(kind="mention"))):
        tables = _stored(tmp_path / name, reports, rows)
        want = _everything(tables)
        assert want.empty and list(want.columns) == list(panel(ind.iloc[:0]).columns)
        pd.testing.assert_frame_equal(_grouped(tables, 5), want)


def test_a_step_failing_part_way_through_its_pieces_is_an_error_row_and_no_table(tmp_path, monkeypatch):
    """A step's pieces are written as they come; should one fail (say, out of memory joining a
    large province's groups), the step is an error row and its partly written table is gone,
    as when a step failed before returning; the later steps still run."""
    import sys

    from govreport import store

    build_mod = sys.modules["govreport.build"]  # (govreport.build is the function)
    monkeypatch.setattr(store, "BATCH_ROWS", 7)  # the first piece reaches the disk

    def pieces(_tables: DatasetWriter, _jobs: int):
        yield pd.DataFrame({"a": range(20)})
        raise MemoryError("constructed")

    monkeypatch.setattr(build_mod, "CORPUS_STEPS", [("boom", pieces), ("fine", lambda _t, _j: pd.DataFrame({"b": [1]}))])
    tables = DatasetWriter(tmp_path / "out")
    logged: list[str] = []
    names, errors = corpus_stage(tables, logged.append)
    assert names == ["fine"]
    assert [(e["stage"], e["message"]) for e in errors] == [("boom", "MemoryError: constructed")]
    assert not tables.has("boom") and not list(Path(tables.staging).glob("boom*"))
    assert tables.read("fine")["b"].tolist() == [1]
    tables.commit()
    assert not list((tmp_path / "out").glob("boom*"))


def test_a_rebuild_whose_step_gives_no_table_leaves_no_stale_copy(tmp_path, monkeypatch):
    """OUT holds the previous build's panel; the next build's panel step fails (or gives
    nothing): that old panel must not stand beside the fresh tables as if it were this build's."""
    import sys

    build_mod = sys.modules["govreport.build"]
    out = tmp_path / "out"
    first = DatasetWriter(out)
    first.write("panel", pd.DataFrame({"a": [1, 2]}))
    first.write("kept", pd.DataFrame({"k": [1]}))
    first.close()
    first.commit()
    assert (out / "panel").is_dir() and (out / "panel.csv").is_file()

    def fails(_tables: DatasetWriter, _jobs: int) -> None:
        raise ValueError("constructed")

    for step in (fails, lambda _t, _j: None):
        monkeypatch.setattr(build_mod, "CORPUS_STEPS", [("panel", step)])
        again = DatasetWriter(out)
        names, _ = corpus_stage(again, print)
        assert names == []
        again.commit()
        assert not (out / "panel").exists() and not list(out.glob("panel.csv*"))
        assert (out / "kept").is_dir()  # a table no step of this build owns is left alone
