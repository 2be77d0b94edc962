"""Reading, splitting, metadata and bad input, on the seeds and on files built here."""

import codecs
import csv
import io
import os
import struct
import subprocess
import sys
import zlib

import pandas as pd
import pytest

import govreport
from govreport.metadata import extract_metadata

GOLD = pd.read_csv(
    __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds_reports.csv",
    dtype=str, keep_default_na=False,
) if (__import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds_reports.csv").exists() else None

REPORT = """政府工作报告
——2024年1月10日在某某县第十八届人民代表大会第三次会议上
某某县县长 王小明
各位代表：
现在，我代表县人民政府向大会报告工作，请予审议。
一、2023年工作回顾
过去一年，全县地区生产总值增长6.1%，一般公共预算收入增长5%。
二、2024年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，固定资产投资增长8%以上。
"""


def test_seed_001_splits_into_ten_reports(seed_corpus):
    parts = seed_corpus.reports[seed_corpus.reports.source == "001_9441ed748846e1ff.txt"]
    assert list(parts.part) == list(range(10))
    assert parts.iloc[0].region == "青岛市" and parts.iloc[9].region == "南桥镇"
    last = seed_corpus.document("001_9441ed748846e1ff.txt", 9).text
    assert "违约责任" not in last and "投稿" not in last  # site boilerplate is not a report


def test_every_seed_is_one_or_more_reports(seed_corpus):
    counts = seed_corpus.reports.groupby("source").size().to_dict()
    assert counts == {"000_0d7a868e768d3975.txt": 1, "001_9441ed748846e1ff.txt": 10,
                      "002_c1d287e0a781b8e6.txt": 1, "003_74fcffff5fc06651.txt": 1,
                      "004_de7920d89b6c90e7.txt": 1}
    assert seed_corpus.errors.empty


@pytest.mark.skipif(GOLD is None, reason="../shared/gold not beside the repository")
@pytest.mark.parametrize("field", ["region", "level", "parent", "province", "adcode", "year",
                                   "review_year", "plan_year", "date", "speaker"])
def test_seed_metadata_matches_hand_coding(seed_corpus, field):
    pred = seed_corpus.reports.astype(str).replace({"<NA>": "", "None": "", "nan": ""})
    merged = GOLD.merge(pred, on=["source", "part"], suffixes=("_gold", "_pred"))
    assert len(merged) == len(GOLD)
    wrong = merged[merged[f"{field}_gold"] != merged[f"{field}_pred"]]
    assert wrong.empty, wrong[["source", "part", f"{field}_gold", f"{field}_pred"]].to_string()


def test_metadata_from_header():
    meta = extract_metadata(REPORT)
    assert (meta.year, meta.review_year, meta.plan_year, meta.date) == (2024, 2023, 2024, "2024-01-10")
    assert (meta.speaker, meta.speaker_title) == ("王小明", "县长")
    assert meta.session == "第十八届人民代表大会第三次会议"


def test_chinese_numeral_date_and_acting_title():
    text = "政府工作报告\n——二〇二一年一月十二日在青岛市第十六届人民代表大会第五次会议上\n青岛市代市长 赵某某\n各位代表：\n现在，我代表市人民政府报告工作。"
    meta = extract_metadata(text)
    assert meta.date == "2021-01-12" and meta.speaker_title == "代市长" and meta.speaker == "赵某某"
    assert (meta.region, meta.level, meta.parent, meta.adcode) == ("青岛市", "prefecture", "山东省", "370200")


def test_year_aware_division_codes():
    laiwu = extract_metadata("政府工作报告\n——2012年1月5日在莱芜市第十五届人民代表大会第五次会议上\n各位代表：\n现在，我代表市人民政府报告工作。")
    gangcheng = extract_metadata("政府工作报告\n——2026年1月5日在钢城区第十九届人民代表大会第五次会议上\n各位代表：\n现在，我代表区人民政府报告工作。")
    assert laiwu.adcode == "371200" and laiwu.level == "prefecture"
    assert gangcheng.adcode == "370117" and gangcheng.parent == "济南市"


def test_ambiguous_name_settled_by_context_or_left_empty():
    head = "政府工作报告\n——2026年2月1日在市中区第十九届人民代表大会第五次会议上\n各位代表：\n现在，我代表区人民政府报告工作。"
    unsettled = extract_metadata(head + "过去一年，全区经济稳定增长。")
    assert unsettled.adcode == "" and unsettled.region == "市中区"
    settled = extract_metadata(head + "在济南市委、市政府的坚强领导下，我们融入济南都市圈，服务济南发展大局。")
    assert settled.adcode == "370103" and settled.parent == "济南市"
    prefixed = extract_metadata(head.replace("在市中区", "在枣庄市市中区"))
    assert prefixed.adcode == "370402"


def test_township_gets_parent_and_no_code():
    meta = extract_metadata("2020年某某镇政府工作报告\n各位代表：\n现在，我代表镇人民政府报告工作。", title="【滕州市招商】2020年某某镇政府工作报告")
    assert (meta.region, meta.level, meta.parent, meta.province, meta.adcode) == ("某某镇", "township", "滕州市", "山东省", "")


def test_headless_report_region_from_body():
    body = ("现在，我代表区人民政府向大会报告工作。\n一、2025年工作回顾\n在中共钢城区委的坚强领导下，"
            + "美丽钢城建设加快，钢城发展迈出新步伐。" * 5)
    body += "\n二、2026年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。"
    meta = extract_metadata(body)
    assert (meta.region, meta.adcode, meta.year, meta.review_year, meta.plan_year) == ("钢城区", "370117", 2026, 2025, 2026)


def test_csv_wrapped_reports(tmp_path):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "title", "content"])
    w.writerow(["1", "2024年某某县政府工作报告", REPORT])
    w.writerow(["2", "2024年另一县政府工作报告", REPORT.replace("某某县", "另一县").replace("王小明", "李四")])
    path = tmp_path / "reports.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    corpus = govreport.read(path)
    assert list(corpus.reports.part) == [0, 1]
    assert list(corpus.reports.speaker) == ["王小明", "李四"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode(encoding))
    corpus = govreport.read(path)
    assert corpus.reports.iloc[0].speaker == "王小明"
    assert corpus.reports.iloc[0].encoding.replace("-sig", "") in (encoding.replace("-sig", ""), "utf-16")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty file"),
        ("image.txt", _png(), "binary file (a PNG image)"),
        ("news.txt", "本报讯 记者从市统计局获悉，今年前三季度全市经济运行平稳。".encode(), "not a government work report"),
    ],
)
def test_bad_input_becomes_an_error_row(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    corpus = govreport.read(tmp_path)
    assert len(corpus) == 1  # the good file is still read
    errs = corpus.errors[corpus.errors.source == name]
    assert len(errs) == 1 and message in errs.iloc[0].message and name in errs.iloc[0].message


def test_large_file_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    corpus = govreport.read(tmp_path)
    assert "over the 20 MB limit" in corpus.errors.iloc[0].message


def test_directory_without_readable_files(tmp_path):
    corpus = govreport.read(tmp_path)
    assert len(corpus) == 0 and "no readable files" in corpus.errors.iloc[0].message


def test_cli_reports_errors_on_stderr_without_traceback(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "govreport", "build", str(tmp_path), "--out", str(out), "--no-figures"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1  # nothing could be read (documented exit codes)
    assert "empty.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "errors.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_national_report_is_country_level():
    meta = extract_metadata("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李某\n"
                            "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。")
    assert (meta.region, meta.level, meta.parent, meta.adcode) == ("中华人民共和国", "country", "", "")
    assert meta.session == "第十四届全国人民代表大会第二次会议" and meta.speaker_title == "总理"


@pytest.mark.parametrize(
    "place, title, expected",
    [
        ("浙江省", "浙江省代理省长", ("浙江省", "province", "", "浙江省", "330000", "代理省长")),
        ("北京市", "北京市市长", ("北京市", "province", "", "北京市", "110000", "市长")),
        ("广西壮族自治区", "自治区主席", ("广西壮族自治区", "province", "", "广西壮族自治区", "450000", "自治区主席")),
        ("苏州市", "苏州市市长", ("苏州市", "prefecture", "江苏省", "江苏省", "320500", "市长")),
    ],
)
def test_province_and_prefecture_headers(place, title, expected):
    meta = extract_metadata(f"政府工作报告\n——2023年1月16日在{place}第十四届人民代表大会第一次会议上\n{title} 王某某\n"
                            "各位代表：\n现在，我代表人民政府向大会报告工作。")
    assert (meta.region, meta.level, meta.parent, meta.province, meta.adcode, meta.speaker_title) == expected
    assert meta.speaker == "王某某"


def test_csv_with_unnamed_text_column_and_web_leftovers(tmp_path):
    page = ("<div class='nav'>首页 &gt; 政务公开</div><p>" + REPORT.replace("\n", "</p><p>") + "</p>"
            "<p>打印 收藏 关闭窗口</p>")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "url", "col3"])
    w.writerow(["7", "http://example.gov.cn/a.html", page])
    path = tmp_path / "dump.csv"
    path.write_text(buf.getvalue().replace("\n", "\r\n"), encoding="utf-8")
    corpus = govreport.read(path)
    assert list(corpus.reports.speaker) == ["王小明"]
    ind = corpus.indicators
    assert ((ind.indicator == "gdp") & (ind.kind == "target") & (ind.value == 6.0)).any()
    assert "<p>" not in corpus.documents[0].text and "打印" not in corpus.documents[0].text


def test_speaker_line_above_the_date_line():
    meta = extract_metadata("政府工作报告\n某某县县长 赵某\n（2022年12月28日在某某县第十八届人民代表大会第二次会议上）\n"
                            "各位代表：\n现在，我代表县人民政府向大会报告工作。")
    assert (meta.speaker, meta.speaker_title, meta.date) == ("赵某", "县长", "2022-12-28")


def test_township_parent_from_the_leading_county():
    meta = extract_metadata("店口镇人民政府工作报告\n——2018年2月26日在店口镇第十七届人民代表大会第二次会议上\n镇长 何某\n"
                            "各位代表：\n现在，我代表镇人民政府向大会报告工作。\n一、2017年工作回顾\n"
                            "2017年，在诸暨市委、市政府和镇党委的坚强领导下，全镇经济平稳增长。")
    assert (meta.region, meta.level, meta.parent, meta.province) == ("店口镇", "township", "诸暨市", "浙江省")


def test_csv_rows_give_their_own_url(tmp_path):
    report = REPORT + "社会事业全面进步，民生保障持续加强。" * 10  # a CSV's text column holds long cells
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["province", "title", "source_url", "full_text"])
    w.writerow(["", "政府工作报告", "https://example.gov.cn/gzbg/1.html", report])
    w.writerow(["", "政府工作报告", "", report.replace("6%", "7%")])
    path = tmp_path / "dump.csv"
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    reports = govreport.read(path).reports
    assert list(reports.url) == ["https://example.gov.cn/gzbg/1.html", ""]
    assert list(reports.record) == ["row 1", "row 2"]
