"""JSON Lines (``.jsonl``, ``.ndjson``) and JSON (``.json``) files of report records.

A JSON Lines file holds one record per line; a JSON file holds a list of records or one
record. The report text is found by :func:`govreport.records.text_field` (a field named
content, text, full_text, 正文 … or else the field with the longest strings); ``title``,
``year``, ``url`` and a region field (province, city …) are kept as the record's hints.
A record that yields no text (not valid JSON, not an object, an empty text field) becomes
an error naming the file, the record and the reason, and the rest of the file is read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..read import RawText, ReadError, decode_text, register_reader
from ..records import _as_text, hint_fields, record_hints, text_field


def _loads(s: str) -> Any:
    return json.loads(s)  # nesting too deep for the parser raises RecursionError, caught by callers


def _lines(text: str) -> list[tuple[str, Any, int, str]]:
    """``(label, record, offset, error)`` for each non-blank line of a JSON Lines text."""
    out = []
    offset = 0
    n = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        n += 1
        label = f"record {n}, line {lineno}"
        try:
            out.append((label, _loads(line), start, ""))
        except (ValueError, RecursionError) as err:
            out.append((label, None, start, f"not valid JSON: {err}"))
    return out


def _records(path: Path, text: str) -> list[tuple[str, Any, int, str]]:
    if path.suffix.lower() != ".json":
        return _lines(text)
    try:
        doc = _loads(text)
    except (ValueError, RecursionError) as err:
        lines = _lines(text)  # JSON Lines saved as .json
        if len(lines) > 1 and any(not e for *_, e in lines):
            return lines
        raise ReadError(f"not valid JSON: {err}") from None
    if isinstance(doc, dict):
        return [("record 1", doc, 0, "")]
    if isinstance(doc, list):
        return [(f"record {i}", rec, 0, "") for i, rec in enumerate(doc, start=1)]
    raise ReadError(f"a JSON file holds a record or a list of records, not {type(doc).__name__}")


def records_to_texts(
    items: list[tuple[str, Any, int, str]], fmt: str, encoding: str = "", text: str | None = None,
    hints: dict[str, str] | None = None,
) -> list[RawText]:
    """One :class:`RawText` per record (a bad record: one carrying its ``error``).

    ``text`` names the text field (found when None); ``hints`` maps hint names (title,
    year, url, region) to field names (found when None).
    """
    for i, (label, rec, offset, err) in enumerate(items):
        if not err and not isinstance(rec, dict):
            items[i] = (label, None, offset, f"not a record (a JSON object) but {type(rec).__name__}")
    good = [rec for _, rec, _, err in items if not err]
    if not good:
        reasons = "; ".join(f"{label}: {err}" for label, _, _, err in items[:3]) or "no records"
        raise ReadError(f"no readable record ({reasons})")
    keys: list[str] = []
    for rec in good:
        keys.extend(k for k in rec if k not in keys)
    text = text or text_field(good)
    if text is None:
        raise ReadError(
            f"no report text: none of the fields ({', '.join(map(str, keys[:12]))}) is named for it "
            "(content, text, 正文 …) or holds strings of 200 characters or more"
        )
    fields = hints if hints is not None else hint_fields(keys, text)
    out: list[RawText] = []
    for label, rec, offset, err in items:
        if not err and not _as_text(rec.get(text)).strip():
            err = f"no text in field {text!r} (a report without a body)"
        if err:
            out.append(RawText("", encoding, fmt, offset=offset, record=label, error=err))
            continue
        found = record_hints(rec, fields)
        out.append(RawText(_as_text(rec[text]), encoding, fmt, title=found.get("title", ""), offset=offset,
                           fields=found, record=label))
    return out


@register_reader(".jsonl", ".ndjson", ".json")
def read_json_file(path: Path, data: bytes) -> list[RawText]:
    """Report records in JSON Lines or JSON."""
    text, encoding, warnings = decode_text(data, "JSON")
    fmt = "json" if path.suffix.lower() == ".json" else "jsonl"
    texts = records_to_texts(_records(path, text), fmt, encoding)
    texts[0].warnings = list(warnings)  # file-level warnings once, not per record
    return texts
