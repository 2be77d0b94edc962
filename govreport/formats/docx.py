"""Word files: ``.docx`` with python-docx; the old binary ``.doc`` is refused with a hint.

Paragraphs and tables are read in document order (a table row becomes one line, its
cells separated by spaces; content controls are entered). Headers, footers, comments
and footnotes are left out.

Before python-docx sees the file, the zip container is checked (:func:`check_zip`):

- at most :data:`MAX_MEMBERS` members;
- at most :data:`MAX_UNCOMPRESSED` bytes uncompressed in all;
- no member over :data:`BIG_MEMBER` bytes with a compression ratio over :data:`MAX_RATIO`;
- no XML part declaring a DTD or entities (Word never writes them: billion-laughs bait).

Python's ``zipfile`` never inflates a member past the size its header declares, so the
declared sizes checked here bound memory even when the header lies; python-docx parses
XML with ``resolve_entities=False``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..read import RawText, ReadError, register_reader

#: Members a .docx may hold.
MAX_MEMBERS = 5000
#: Total uncompressed bytes.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: Members larger than this (uncompressed) must not be compressed more than MAX_RATIO : 1.
BIG_MEMBER = 1024 * 1024
MAX_RATIO = 100
#: Nesting of tables and content controls followed at most.
MAX_NESTING = 20

DOC_HINT = "old binary Word .doc is not supported; save as .docx or PDF (e.g. `libreoffice --headless --convert-to docx`)"


def check_zip(data: bytes) -> None:
    """Refuse zip bombs and entity-declaring XML. Raises :class:`ReadError`."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as err:
        raise ReadError(f"not a valid .docx (broken zip: {err})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"zip has {len(infos)} members, over the {MAX_MEMBERS} limit (zip bomb?)")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ReadError(
                f"zip would inflate to {total / 1e6:.0f} MB, over the {MAX_UNCOMPRESSED / 1e6:.0f} MB limit (zip bomb?)"
            )
        for i in infos:
            if i.file_size > BIG_MEMBER and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise ReadError(
                    f"zip member {i.filename!r} is compressed {i.file_size / max(i.compress_size, 1):.0f}:1 "
                    f"(over {MAX_RATIO}:1; zip bomb?)"
                )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise ReadError("not a Word .docx (no word/document.xml)")
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                try:
                    with zf.open(i) as fh:
                        head = fh.read(4096)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as err:
                    raise ReadError(f"broken zip member {i.filename!r}: {err}") from None
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise ReadError(f"XML part {i.filename!r} declares a DTD/entities (billion laughs?); refused")


def _paragraph_text(p, parent) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, parent).text


def _body_lines(body, parent, depth: int = 0) -> list[str]:
    """Lines of a body-like element: paragraphs, table rows, content controls, in order."""
    from docx.oxml.ns import qn

    if depth > MAX_NESTING:
        return []
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            lines.append(_paragraph_text(child, parent))
        elif tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = []
                for tc in tr.iterchildren(qn("w:tc")):
                    text = " ".join(x for x in _body_lines(tc, parent, depth + 1) if x.strip())
                    cells.append(text)
                row = " ".join(c for c in cells if c)
                if row:
                    lines.append(row)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(_body_lines(content, parent, depth + 1))
    return lines


@register_reader(".docx", ".docm", ".dotx")
def read_docx(path: Path, data: bytes) -> list[RawText]:
    """Paragraphs and table rows of a Word document, in order."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(DOC_HINT)
    if not data.startswith(b"PK"):
        raise ReadError("not a Word .docx (not a zip file)")
    check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines = _body_lines(document.element.body, document._body)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("Word document nested too deeply") from None
    except Exception as err:  # noqa: BLE001 - python-docx/lxml raise many kinds on broken files
        raise ReadError(f"cannot read .docx ({type(err).__name__}: {str(err)[:200]})") from None
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError("Word document has no text")
    return [RawText(text, "", "docx")]


@register_reader(".doc", ".dot")
def read_doc(path: Path, data: bytes) -> list[RawText]:
    """Old binary Word files are not supported (a .docx saved as .doc is read)."""
    if data.startswith(b"PK"):
        return read_docx(path, data)
    raise ReadError(DOC_HINT)
