"""Reports held as records: the fields of a JSON / JSON Lines record or a DataFrame row.

A research corpus often keeps one report per record, the text in a field such as
``content``, ``text``, ``full_text`` or ``正文`` with ``title``, ``year``, ``url`` and
``province`` beside it. This module finds those fields (the same detection as the CSV
reader: a field named for the text, else the one with the longest strings) and applies
the record's own fields to a report's metadata as hints the text must not contradict:
the text decides; a hint fills what the text leaves empty; a hint the text contradicts
is kept out and reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import divisions
from .metadata import adcode_for_year
from .read import _CSV_TEXT_COL, URL_FIELD, RawText

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus

#: Field names for the record's title, year and region (matched whole, case-insensitive; URL: read.URL_FIELD).
TITLE_FIELD = re.compile(r"^(?:title|name|headline|report_title|标题|题目|名称|报告标题|文章标题)$", re.IGNORECASE)
YEAR_FIELD = re.compile(r"^(?:year|年份|年度|年|report_year)$", re.IGNORECASE)
REGION_FIELD = re.compile(
    r"^(?:region|province|prefecture|city|county|district|area|place|地区|省份|省|城市|地市|区县|县区|地区名称|行政区|行政区划)$",
    re.IGNORECASE,
)
#: A record's region that means the whole country (the State Council's report).
_COUNTRY_HINT = re.compile(r"^(?:全国|中国|中华人民共和国|国务院|中央|national|china)$", re.IGNORECASE)
#: Text fields shorter than this on average are not report texts.
MIN_TEXT_CHARS = 200


def _as_text(value: Any) -> str:
    """A field's value as text: strings as they are, a list of paragraphs joined by lines."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, float) and value != value:  # NaN in a DataFrame
        return ""
    return str(value)


def text_field(records: Sequence[Mapping[str, Any]]) -> str | None:
    """The field holding the report text: one named for it (content, 正文 …) with the longest
    strings, else the field with the longest strings if they average 200 characters; else None.

    >>> text_field([{"id": 1, "title": "2026年甲县政府工作报告", "full_text": "各位代表：" * 60}])
    'full_text'
    >>> text_field([{"a": "x" * 300, "b": "short"}])
    'a'
    """
    keys: list[str] = []
    for rec in records:
        keys.extend(k for k in rec if k not in keys)
    if not keys:
        return None
    n = max(len(records), 1)
    length = {k: sum(len(_as_text(r.get(k))) for r in records if isinstance(r.get(k), str | list)) / n for k in keys}
    named = [k for k in keys if _CSV_TEXT_COL.search(str(k)) and length[k] > 0]
    if named:
        return max(named, key=lambda k: length[k])
    best = max(keys, key=lambda k: length[k])
    return best if length[best] >= MIN_TEXT_CHARS else None


def hint_fields(keys: Sequence[str], text: str) -> dict[str, str]:
    """Which field holds each hint: ``{"title": …, "year": …, "url": …, "region": …}``.

    >>> sorted(hint_fields(["province", "year", "title", "source_url", "publish_date", "full_text"], "full_text").items())
    [('region', 'province'), ('title', 'title'), ('url', 'source_url'), ('year', 'year')]
    """
    out: dict[str, str] = {}
    for k in keys:
        name = str(k).strip()
        if k == text:
            continue
        if "year" not in out and YEAR_FIELD.match(name):
            out["year"] = k
        elif "url" not in out and URL_FIELD.match(name):
            out["url"] = k
        elif "region" not in out and REGION_FIELD.match(name):
            out["region"] = k
        elif "title" not in out and TITLE_FIELD.match(name):
            out["title"] = k
    return out


def record_hints(record: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, str]:
    """The hint values of one record (empty values left out), all as strings."""
    hints = {}
    for hint, key in fields.items():
        value = _as_text(record.get(key)).strip()
        if value:
            hints[hint] = value
    return hints


def record_meta(meta: dict, raw: RawText) -> list[str]:
    """Add a record's ``url`` and ``record`` label to a report's ``meta`` and apply its hints;
    returns the metadata's warnings: those of the text's reading (``meta["notes"]``, taken out
    of ``meta``) and those of the hints (see :func:`apply_hints`)."""
    notes = list(meta.pop("notes", None) or [])
    meta["url"] = ""
    meta["record"] = raw.record
    return notes + apply_hints(meta, raw.fields)


def _year(value: str) -> int | None:
    m = re.search(r"(19[5-9]\d|20\d\d)", value)
    return int(m.group(1)) if m else None


def apply_hints(meta: dict, hints: Mapping[str, str]) -> list[str]:
    """Fill ``meta`` (a report's metadata, changed in place) from a record's hints.

    Returns warnings for hints the text contradicts (the text's reading is kept). ``url`` is
    always kept; ``title`` is used by the reader as the report's title line.

    >>> meta = {"region": "", "year": None, "review_year": None, "plan_year": None}
    >>> apply_hints(meta, {"year": "2026", "region": "四川省", "url": "http://x"}), meta["region"], meta["year"]
    ([], '四川省', 2026)
    >>> meta = {"region": "平阴县", "province": "山东省", "parent": "济南市", "year": 2026}
    >>> apply_hints(meta, {"year": "2025", "region": "河南省"})
    ['the record says year 2025, the text 2026: the text is kept', 'the record says region 河南省, the text 平阴县: the text is kept']
    """
    notes: list[str] = []
    if "url" in hints:
        meta["url"] = hints["url"]
    year = _year(hints.get("year", ""))
    if year is not None:
        if not meta.get("year"):
            meta["year"], meta["plan_year"] = year, year
            meta["review_year"] = meta.get("review_year") or year - 1
        elif int(meta["year"]) != year:
            notes.append(f"the record says year {year}, the text {meta['year']}: the text is kept")
    region = re.sub(r"\s+", "", hints.get("region", ""))
    if region:
        notes.extend(_apply_region(meta, region))
    return notes


def _apply_region(meta: dict, region: str) -> list[str]:
    if _COUNTRY_HINT.match(region):
        if not meta.get("region"):
            meta.update(region="中华人民共和国", level="country", parent="", province="", adcode="")
            return []
        return [] if meta.get("level") == "country" else [
            f"the record says the whole country, the text {meta['region']}: the text is kept"]
    div = divisions.resolve(region, meta.get("year"))
    if not meta.get("region"):
        if div is None:
            return [f"the record's region {region} is not a known division: left empty"]
        adcode, note = adcode_for_year(div, meta.get("year"))
        meta.update(region=div.name, level=div.level, adcode=adcode, parent=div.parent_name or "",
                    province=div.province_name or (div.name if div.level == "province" else ""))
        return [f"the record's region {note}"] if note else []
    names = {meta.get("region"), meta.get("parent"), meta.get("province")} - {None, ""}
    if div is not None and div.name in names or region in names:
        return []
    if div is None and any(n.startswith(region) for n in names):
        return []  # a short form the division table does not settle (甲 for 甲县)
    return [f"the record says region {region}, the text {meta['region']}: the text is kept"]


HINTS = ("title", "year", "url", "region")


def read_frame(df: pd.DataFrame, text: str | None = None, source: str = "dataframe", **hints: Any) -> Corpus:
    """A DataFrame with one report per row (the text in column ``text``) as a :class:`Corpus`.

    ``text`` names the text column (found as for JSON when None: content, text, 正文 … or
    the longest strings). ``hints`` — ``title``, ``year``, ``url``, ``region`` — each name a
    column or, when no column has that name, give one value for every row; hint columns not
    named are found by their names (title, year, url, province …). They are used as for JSON
    records: the text decides, a hint fills what it leaves empty, a contradiction is a warning.
    Every report is ``source`` with its ``part``; ``record`` says its row (``row 7`` for index
    7); the frame's other columns ride along into ``reports``. A row without text is an
    ``errors`` row naming its index.

    >>> import pandas as pd
    >>> body = "各位代表：\\n现在，我代表县人民政府向大会报告工作。\\n二、2026年工作安排\\n地区生产总值增长5%左右。"
    >>> df = pd.DataFrame({"content": [body, ""], "province": ["山东省", "山东省"], "batch": ["a", "b"]})
    >>> c = read_frame(df, text="content", year=2026)
    >>> c.reports[["part", "year", "record", "batch"]].values.tolist(), list(c.errors.message)
    ([[0, 2026, 'row 0', 'a']], ["dataframe (row 1): no text in field 'content' (a report without a body)"])
    """
    import pandas as pd

    from .corpus import Corpus
    from .formats.jsonl import records_to_texts
    from .pipeline import documents_from_texts

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"read_frame wants a pandas DataFrame, not {type(df).__name__}")
    unknown = sorted(set(hints) - set(HINTS))
    if unknown:
        raise TypeError(f"unknown hint(s) {', '.join(unknown)}: use {', '.join(HINTS)}")
    if text is not None and text not in df.columns:
        raise KeyError(f"no column {text!r} for the report text (columns: {', '.join(map(str, df.columns))})")
    frame = df.copy()
    frame.columns = [str(c) for c in frame.columns]
    fields: dict[str, str] = {}
    for hint, value in hints.items():
        if isinstance(value, str) and value in frame.columns:
            fields[hint] = value
        else:  # one value for every row
            fields[hint] = f"__{hint}__"
            frame[fields[hint]] = "" if value is None else str(value)
    records = frame.to_dict("records")
    if text is None:
        text = text_field(records)
        if text is None:
            raise ValueError(f"no column holds report texts (columns: {', '.join(map(str, df.columns))}); pass text=")
    found = hint_fields([c for c in frame.columns if c not in fields.values()], text)
    fields = {**{h: c for h, c in found.items() if h not in fields}, **fields}
    items = [(f"row {idx}", rec, 0, "") for idx, rec in zip(frame.index, records, strict=True)]
    texts = records_to_texts(items, "dataframe", text=text, hints=fields)
    docs, errors = documents_from_texts(texts, source, source)
    # the frame's other columns ride along into reports
    row_of = {f"row {idx}": i for i, idx in enumerate(frame.index)}
    carried = [c for c in df.columns if str(c) != text]
    corpus = Corpus(docs, errors)
    reports = corpus.reports
    for col in carried:
        if col in reports.columns:
            continue
        reports[col] = [df[col].iloc[row_of[r]] if r in row_of else None for r in reports["record"]]
    corpus.__dict__["reports"] = reports  # the cached table, with the ride-along columns
    return corpus
