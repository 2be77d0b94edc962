"""Read raw files: find them, refuse what is not text, decode, and hand each text on.

Readers are pluggable by file extension: a reader takes the file's path and bytes and
returns a list of :class:`RawText` (usually one; a CSV file gives one per row).
Register your own with :func:`register_reader`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

#: Files larger than this are refused (pass ``max_bytes`` to :func:`govreport.read` to change).
MAX_BYTES = 20 * 1024 * 1024
#: Folders nested deeper than this below an input path are not entered (recorded in ``errors``).
MAX_DEPTH = 64


class ReadError(Exception):
    """A file that cannot be read; the message names the problem."""


@dataclass
class RawText:
    """Decoded text of one file (or of one row of a CSV file)."""

    text: str
    encoding: str
    format: str = "text"
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    offset: int = 0  # where the text starts in the decoded file
    script: str = "simplified"  # "traditional" once detected (see govreport.script)
    fields: dict[str, str] = field(default_factory=dict)  # a record's hints: title, year, url, region
    record: str = ""  # which record of the file ("record 3, line 3"); see govreport.records
    error: str = ""  # why this record yields no text (the rest of the file is still read)


Reader = Callable[[Path, bytes], list[RawText]]
READERS: dict[str, Reader] = {}


def register_reader(*extensions: str) -> Callable[[Reader], Reader]:
    """Decorator registering a reader for file extensions (``".txt"``, ``".md"`` …)."""

    def deco(func: Reader) -> Reader:
        for ext in extensions:
            READERS[ext.lower()] = func
        return func

    return deco


# --------------------------------------------------------------------------- decoding

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
}


def sniff_binary(data: bytes) -> str | None:
    """Describe ``data`` if it is a binary format rather than text, else None.

    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n...")
    'a PNG image'
    >>> sniff_binary("政府工作报告".encode()) is None
    True
    """
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(data):
        return None
    if head.count(b"\x00") > len(head) // 100:
        return "binary data (NUL bytes)"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` for UTF-16 text without a byte-order mark, else None.

    Its ASCII characters (digits, line ends) put NUL bytes on odd (LE) or on even (BE)
    positions; the text must then decode and read as text (hanzi, ASCII, punctuation).

    >>> utf16_without_bom("2025年增长5%\\n".encode("utf-16-le")), utf16_without_bom(b"\\x00\\x01" * 50)
    ('utf-16-le', None)
    """
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    nuls = head.count(0)
    if nuls < 2:
        return None
    odd = head[1::2].count(0)  # NUL bytes on odd positions
    if odd >= 0.9 * nuls:  # a few hanzi (一 U+4E00) have a NUL byte of their own
        enc = "utf-16-le"
    elif odd <= 0.1 * nuls:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = head.decode(enc)
    except UnicodeDecodeError:
        return None
    texty = len(re.findall(r"[\x20-\x7e\s\u00a0-\u00ff\u2000-\u2bff\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]", text))
    return enc if texty >= 0.95 * len(text) else None


def _gb_plausible(text: str, traditional: bool = False) -> bool:
    """GB18030 decodes almost any bytes; accept it only if the text is mostly common hanzi.

    Common: in GB2312, or (``traditional``) in GB2312 or Big5.
    """
    han = re.findall(r"[\u4e00-\u9fff]", text)
    if not han:
        return not re.search(r"[^\x00-\x7f]", text)
    common = sum(1 for c in han[:20000] if _in_gb2312(c) or (traditional and _in_big5(c)))
    return common >= 0.9 * min(len(han), 20000)


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _in_big5(c: str) -> bool:
    try:
        c.encode("big5")
        return True
    except UnicodeEncodeError:
        return False


def _decode_by_line(data: bytes) -> tuple[str, dict[str, int]] | None:
    """A file whose lines are partly UTF-8 and partly GB18030 (pasted together), decoded line by line.

    Only when real UTF-8 lines with hanzi are there (at least two, and a fifth of the non-ASCII
    lines): a GBK line is almost never valid UTF-8. None when it is not such a file.
    """
    lines = data.split(b"\n")
    kinds: list[str] = []
    utf8 = other = 0
    for ln in lines:
        if ln.isascii():
            kinds.append("ascii")
            continue
        try:
            ln.decode("utf-8")
            kinds.append("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            kinds.append("gb18030")
            other += 1
    if not other or utf8 < 2 or utf8 < 0.2 * (utf8 + other):
        return None
    out = []
    for ln, kind in zip(lines, kinds, strict=True):
        out.append(ln.decode("gb18030" if kind == "gb18030" else "utf-8", errors="replace"))
    gb_text = "\n".join(t for t, k in zip(out, kinds, strict=True) if k == "gb18030")
    if not _gb_plausible(gb_text):
        return None
    return "\n".join(out), {"utf-8": utf8, "gb18030": other}


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030, else a guess.

    Returns ``(text, encoding, warnings)``.

    >>> decode("增长5%".encode("gb18030"))[:2]
    ('增长5%', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "报告".encode())[:2]
    ('报告', 'utf-8-sig')
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", warnings
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", warnings
    enc16 = utf16_without_bom(data)
    if enc16:
        warnings.append(f"no byte-order mark: read as {enc16.upper()}")
        return data.decode(enc16, errors="replace"), enc16, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason in ("unexpected end of data", "invalid continuation byte"):
            warnings.append("file ends in the middle of a UTF-8 character (truncated?)")
            return data[: err.start].decode("utf-8"), "utf-8", warnings
    mixed = _decode_by_line(data)
    if mixed is not None:
        text, counts = mixed
        warnings.append("mixed encodings: decoded line by line (" + ", ".join(
            f"{n} lines {enc.upper()}" for enc, n in counts.items()) + ")")
        return text, "mixed (" + ", ".join(counts) + ")", warnings
    try:
        text = data.decode("gb18030")
        if _gb_plausible(text):
            return text, "gb18030", warnings
    except UnicodeDecodeError:
        pass
    for big5 in ("big5", "cp950", "big5hkscs"):
        try:
            return data.decode(big5), big5, warnings
        except UnicodeDecodeError:
            pass
    try:  # traditional characters written in GBK/GB18030: mostly hanzi Big5 also has
        text = data.decode("gb18030")
        if _gb_plausible(text, traditional=True):
            return text, "gb18030", warnings
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("cannot decode: not UTF-8, GB18030 or any encoding charset-normalizer knows")
    warnings.append(f"encoding guessed as {best.encoding}")
    return str(best), best.encoding, warnings


# --------------------------------------------------------------------------- readers

_CSV_TEXT_COL = re.compile(r"内容|正文|全文|文本|报告|text|content|body|article", re.IGNORECASE)
_CSV_TITLE_COL = re.compile(r"标题|题目|title|名称|name", re.IGNORECASE)
#: Names of a record's own URL field (a CSV column, a JSON key; matched whole, case-insensitive).
URL_FIELD = re.compile(r"^(?:url|link|href|source_url|page_url|网址|链接|来源网址|原文链接)$", re.IGNORECASE)


def _csv_parts(text: str) -> list[RawText] | None:
    """Rows of a CSV file with a header line, one report per row; None if not such a file.

    The report column is the one whose header names it (content, 正文, 内容 …) or else
    the column with the longest cells. The other columns are read as a JSON record's fields
    (:func:`govreport.records.hint_fields`): a URL column (url, link, 网址 …) gives each row's
    ``url``; year (年份 …), region (地区, province, city …) and title (标题 …) columns are hints
    the text must not contradict (see :func:`govreport.records.apply_hints`).
    """
    first = text.split("\n", 1)[0].strip().lstrip("\ufeff")
    if not first or len(first) > 600 or ("," not in first and "\t" not in first):
        return None
    delim = "\t" if first.count("\t") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delim))
    if not 2 <= len(header) <= 40 or any(len(h) > 40 or re.search(r"[。，；]", h) for h in header):
        return None
    csv.field_size_limit(1 << 30)
    try:
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim)][1:]
    except csv.Error:
        return None
    bad = [n for n, r in enumerate(rows, start=1) if len(r) != len(header) and any(c.strip() for c in r)]
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if len(r) == len(header)]
    rows = [r for _, r in numbered]
    if not rows:
        return None
    named = [i for i, h in enumerate(header) if _CSV_TEXT_COL.search(h)]
    lengths = [sum(len(r[i]) for r in rows) / len(rows) for i in range(len(header))]
    text_col = max(named, key=lambda i: lengths[i]) if named else max(range(len(header)), key=lambda i: lengths[i])
    if lengths[text_col] < 200:
        return None
    from .records import hint_fields  # the same hint columns as a JSON record's fields

    names = [h.strip() for h in header]
    hint_cols = {hint: names.index(name) for hint, name in hint_fields(names, names[text_col]).items()}
    if "title" not in hint_cols:  # a looser title header (报告标题名称, title_cn …) not taken by another hint
        hint_cols["title"] = next((i for i, h in enumerate(header) if _CSV_TITLE_COL.search(h)
                                   and i != text_col and i not in hint_cols.values()), None)
    title_col = hint_cols.pop("title")
    # a row that yields nothing is recorded (see RawText.error), the rest is read
    found = [(n, RawText("", "", "csv", record=f"row {n}", error=f"not {len(header)} fields as in the header line"))
             for n in bad]
    for n, row in numbered:
        body = row[text_col]
        if not body.strip():
            found.append((n, RawText("", "", "csv", record=f"row {n}", error=f"no text in column {header[text_col]!r}")))
            continue
        title = row[title_col].strip() if title_col is not None else ""
        offset = max(text.find(body[:50]), 0)
        hints = {hint: row[i].strip() for hint, i in hint_cols.items() if row[i].strip()}
        found.append((n, RawText(body, "", "csv", title=title, offset=offset, record=f"row {n}", fields=hints)))
    parts = [p for _, p in sorted(found, key=lambda x: x[0])]
    return parts if any(not p.error for p in parts) else None


def decode_text(data: bytes, kind: str = "text") -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)`` of a text file; binary or empty files raise ReadError."""
    what = sniff_binary(data)
    if what:
        raise ReadError(f"binary file ({what}), not {kind}")
    text, encoding, warnings = decode(data)
    if not text.strip():
        raise ReadError("empty file (no text)")
    return text, encoding, warnings


@register_reader(".txt", ".text", ".md", ".markdown", ".csv", ".tsv", "")
def read_text_file(path: Path, data: bytes) -> list[RawText]:
    """Plain text and Markdown; a CSV with a header line gives one text per row."""
    text, encoding, warnings = decode_text(data)
    lead = text.lstrip()[:200].lower()
    if lead.startswith(("<!doctype html", "<html")) and ".html" in READERS:
        return READERS[".html"](path, data)
    parts = _csv_parts(text)
    if parts:
        for p in parts:
            p.encoding = encoding
            p.warnings = list(warnings)
        return parts
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return [RawText(text, encoding, fmt, warnings=warnings)]


# --------------------------------------------------------------------------- finding files


def path_list(paths: object) -> list[str | os.PathLike[str]]:
    """``paths`` as a list of paths; a clear TypeError for anything else (None, bytes, a number).

    >>> path_list("data/raw"), path_list(["a.txt", "b"])
    (['data/raw'], ['a.txt', 'b'])
    """
    hint = "govreport.read expects a path or a list of paths (str or pathlib.Path)"
    if isinstance(paths, bytes | bytearray | memoryview):
        raise TypeError(f"{hint}, not bytes: decode the name, or read text in memory with govreport.read_text(...)")
    if isinstance(paths, str | os.PathLike):
        return [paths]
    if paths is None or not isinstance(paths, Iterable):
        raise TypeError(f"{hint}, not {type(paths).__name__}")
    out = list(paths)
    for p in out:
        if not isinstance(p, str | os.PathLike):
            raise TypeError(f"{hint}; the list holds {type(p).__name__} {p!r:.40}")
    return out


def iter_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files under ``paths`` (files and directories), sorted, hidden files skipped.

    The walk is iterative and goes at most :data:`MAX_DEPTH` folders deep. Symbolic links to
    directories are not followed (no loops); a folder too deep, one that is its own ancestor
    (a bind mount) or one that cannot be listed is yielded so that :func:`read_file` records it.
    """
    for p in path_list(paths):
        p = Path(p)
        if not p.is_dir():
            yield p
            continue
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Path, int]] = [(p, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                st = folder.stat()
                entries = list(os.scandir(folder))
            except OSError:
                yield folder  # cannot be listed: read_file names the problem
                continue
            if depth > MAX_DEPTH or (st.st_dev, st.st_ino) in seen:
                yield folder
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs, files = [], []
            for e in entries:
                if e.name.startswith("."):
                    continue
                try:
                    real_dir = e.is_dir(follow_symlinks=False)
                except OSError:
                    real_dir = False
                # linked directories are not entered; yielded so that read_file records them
                (dirs if real_dir else files).append(e.name)
            for name in sorted(files):
                if name.lower() != "readme.md":
                    yield folder / name
            stack.extend((folder / d, depth + 1) for d in sorted(dirs, reverse=True))


def describe_path(path: str | os.PathLike[str]) -> str:
    """The path as ``reports.path`` records it: a symbolic link names its target (``link -> target``)."""
    s = os.fspath(path)
    if os.path.islink(s):
        return f"{s} -> {os.path.realpath(s)}"
    return s


def _folder_problem(path: Path) -> str:
    """Why iter_files handed over a folder instead of its files."""
    try:
        os.listdir(path)
    except OSError as err:
        return f"folder cannot be listed ({err.strerror or err}): not read"
    st = path.stat()
    for parent in path.resolve().parents:
        try:
            pst = parent.stat()
        except OSError:
            continue
        if (pst.st_dev, pst.st_ino) == (st.st_dev, st.st_ino):
            return "folder loop (it is its own ancestor, e.g. a bind mount): not followed"
    if len(path.parts) > MAX_DEPTH:
        return f"folder nested more than {MAX_DEPTH} levels below the input path: not read (depth is bounded)"
    return "folder already read through another path (a bind mount?): not read twice"


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> list[RawText]:
    """Read one file with the reader for its extension. Raises :class:`ReadError`."""
    if path.is_symlink() and (path.is_dir() or not path.exists()):
        raise ReadError("symbolic link to a directory or a loop: not followed")
    if not path.exists():
        raise ReadError("no such file")
    if path.is_dir():
        raise ReadError(_folder_problem(path))
    if not path.is_file():
        raise ReadError("not a regular file (a device, pipe or socket): refused")
    _check_size(path.stat().st_size, max_bytes)
    _reader(path)
    return read_data(path, path.read_bytes(), max_bytes)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ReadError(
            f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit "
            "(a report is well under 1 MB; pass max_bytes= to read larger files)"
        )


def _reader(path: PurePath) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix!r} (supported: {', '.join(sorted(e for e in READERS if e))})")
    return reader


def read_data(path: PurePath, data: bytes, max_bytes: int = MAX_BYTES) -> list[RawText]:
    """Read a file's bytes (fetched from anywhere, e.g. an fsspec URL) with the reader for its name."""
    _check_size(len(data), max_bytes)
    reader = _reader(path)
    if not data.strip():
        raise ReadError("empty file (no text)")
    return reader(path, data)
