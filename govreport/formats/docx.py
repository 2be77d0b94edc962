"""Word files: ``.docx`` with python-docx; the old binary ``.doc`` is refused with a hint.

Paragraphs and tables are read in document order (a table row becomes one line, its
cells separated by spaces; content controls are entered). Headers, footers, comments
and footnotes are left out.

Before python-docx sees the file, the zip container is checked (:func:`check_zip`):

- at most :data:`MAX_MEMBERS` members;
- at most :data:`MAX_UNCOMPRESSED` bytes uncompressed in all;
- no member over :data:`BIG_MEMBER` bytes with a compression ratio over :data:`MAX_RATIO`;
- no XML part declaring a DTD or entities (Word never writes them: billion-laughs bait): the
  whole prolog (declaration, comments, processing instructions up to the root element) is
  read, streamed, in the part's own encoding (BOM, NUL pattern of UTF-16, or declaration).

Python's ``zipfile`` never inflates a member past the size its header declares, so the
declared sizes checked here bound memory even when the header lies; python-docx parses
XML with ``resolve_entities=False``.
"""

from __future__ import annotations

import codecs
import io
import re
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
                        declares = prolog_declares_dtd(fh)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as err:
                    raise ReadError(f"broken zip member {i.filename!r}: {err}") from None
                if declares:
                    raise ReadError(f"XML part {i.filename!r} declares a DTD/entities (billion laughs?); refused")


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]


def _xml_encoding(head: bytes) -> str:
    """The encoding of an XML document from its first bytes (XML 1.0 appendix F)."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if len(head) >= 2 and head[1] == 0 and head[0] != 0:  # UTF-16 without a BOM: "<\0?\0"
        return "utf-16-le"
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    m = re.match(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']", head)
    if m:
        name = m.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "utf-8"
    return "utf-8"


def prolog_declares_dtd(fh, chunk: int = 1 << 16) -> bool:
    """Whether an XML stream declares a DTD (``<!DOCTYPE``, ``<!ENTITY`` …) before its root element.

    Reads the whole prolog — declaration, comments, processing instructions, however long —
    decoded in the stream's own encoding, keeping only a few characters in memory.

    >>> import io
    >>> prolog_declares_dtd(io.BytesIO(b'<?xml version="1.0"?><!--' + b"x" * 9000 + b'--><!DOCTYPE d [<!ENTITY a "b">]><d/>'))
    True
    >>> prolog_declares_dtd(io.BytesIO('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d><d/>'.encode("utf-16")))
    True
    >>> prolog_declares_dtd(io.BytesIO(b'<?xml version="1.0"?><!-- a --><w:document/>'))
    False
    """
    first = fh.read(chunk)
    decoder = codecs.getincrementaldecoder(_xml_encoding(first[:256]))(errors="replace")
    buf = decoder.decode(first).lstrip("\ufeff")
    state = "prolog"  # or "comment", "pi": inside one, looking for its end
    eof = not first
    while True:
        if state == "comment" or state == "pi":
            end = buf.find("-->" if state == "comment" else "?>")
            if end < 0:
                buf = buf[-2:]  # keep only what may start the end mark
            else:
                buf = buf[end + (3 if state == "comment" else 2):]
                state = "prolog"
                continue
        else:
            buf = buf.lstrip()
            if buf.startswith("<!--"):
                buf, state = buf[4:], "comment"
                continue
            if buf.startswith("<?"):
                buf, state = buf[2:], "pi"
                continue
            if buf.startswith("<!"):
                return True  # a markup declaration: DOCTYPE (with its internal subset), ENTITY …
            if buf and (buf[0] != "<" or len(buf) >= 4):
                return False  # the root element (or not XML at all: the parser says so)
        if eof:
            return False
        data = fh.read(chunk)
        eof = not data
        buf += decoder.decode(data, final=eof)


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
