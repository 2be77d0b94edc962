"""PDF files: the text layer, page by page, with pdfplumber (pdfminer.six; MIT).

Page headers and footers (a line at the top or bottom of most pages that is the same
on each, digits aside) and page numbers (``3``, ``- 3 -``, ``第3页``, ``3/20``) are
dropped. Where the layout marks paragraphs by first-line indentation (as typeset
reports do), lines are rejoined here from their geometry: a line that reaches the right
margin continues on the next one unless that one is indented (:func:`join_lines`).
Otherwise lines and pages are joined with line breaks and the downstream normaliser
rejoins lines broken by the page width.

Limits, so that no PDF can hold up a batch:

- :data:`MAX_PAGES` pages are read at most (the rest is skipped, with a warning);
- :data:`TIME_LIMIT` seconds of wall-clock time per file: checked between pages and,
  where the process allows it (Unix, main thread — also in ``jobs=`` worker
  processes), enforced by a ``SIGALRM`` timer that interrupts a parser stuck inside a
  page. Text read before the limit is kept with a warning; nothing read → an error.
- the file size limit of :func:`govreport.read.read_file` (20 MB by default) applies first.

A PDF with pages but (almost) no text is a scan: ``ReadError("no text layer (scanned?)")``
(OCR it first, e.g. with ``ocrmypdf``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..read import RawText, ReadError, register_reader

#: Pages read at most per file.
MAX_PAGES = 500
#: Wall-clock seconds per file.
TIME_LIMIT = 120.0
#: Fewer non-space characters than this in the whole file: no text layer.
MIN_TEXT_CHARS = 20
#: Lines at the top and at the bottom of a page examined for headers, footers and page numbers.
EDGE_LINES = 2
#: Share of indented lines that marks a layout with indented paragraphs (see :func:`join_lines`).
MIN_INDENTED = 0.03

_PAGE_NO = re.compile(
    r"^[\s\-—–－·•_]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?|\s*[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－·•_]*$"
)


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in a parser eats it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`_Timeout` after ``seconds`` (Unix main thread only).

    Nests inside a build's time budget per file (:func:`govreport.guard.time_budget`).
    """
    from ..guard import time_budget

    with time_budget(seconds, _Timeout):
        yield


@dataclass
class Line:
    """One text line of a page and where it sits (PDF points)."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    height: float = 0.0


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def furniture_mask(pages: list[list[str]]) -> list[list[bool]]:
    """For every line of every page: is it a repeated header/footer or a page number?"""
    repeated: set[str] = set()
    if len(pages) >= 3:
        counts: Counter[str] = Counter()
        for lines in pages:
            edges = [ln for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:] if ln.strip()]
            counts.update({_key(ln) for ln in edges})
        need = max(3, 0.5 * len(pages))
        repeated = {k for k, c in counts.items() if c >= need and k and k != "#"}
    out = []
    for lines in pages:
        n = len(lines)
        out.append([
            (i < EDGE_LINES or i >= n - EDGE_LINES) and bool(ln.strip())
            and (_key(ln) in repeated or bool(_PAGE_NO.match(ln)))
            for i, ln in enumerate(lines)
        ])
    return out


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop repeated header/footer lines and page numbers at the top and bottom of pages.

    >>> body = ["各位代表：", "现在，我代表市人民政府，", "向大会报告工作。", "请予审议。"]
    >>> pages = [["XX市人民政府文件", *body[i:], *body[:i], f"- {i} -"] for i in range(4)]
    >>> strip_page_furniture(pages)[1]
    ['现在，我代表市人民政府，', '向大会报告工作。', '请予审议。', '各位代表：']
    """
    masks = furniture_mask(pages)
    return [
        [ln for ln, drop in zip(lines, mask, strict=True) if not drop]
        for lines, mask in zip(pages, masks, strict=True)
    ]


def join_lines(lines: list[Line]) -> str:
    """Lines in reading order to text, paragraphs rejoined when the layout shows them.

    Paragraphs are found from first-line indentation: if at least :data:`MIN_INDENTED`
    of the lines start 1.2–4 character heights right of the left margin, a line that
    reaches the right margin (within 1.5 character heights) is joined to the next one
    unless the next one is indented. Without that signal, lines are kept as they are.

    >>> full, short = 10 * 30.0, 10 * 12.0
    >>> lines = [Line("　一二", 20, full, 10), Line("三四。", 0, short, 10), Line("五六", 20, full, 10),
    ...          Line("七。", 0, short, 10), Line("八", 20, full, 10), Line("九。", 0, short, 10)]
    >>> join_lines(lines)
    '　一二三四。\\n五六七。\\n八九。'
    """
    if not lines:
        return ""
    em = statistics.median(ln.height for ln in lines) or 10.0
    x0s = sorted(ln.x0 for ln in lines)
    x1s = sorted(ln.x1 for ln in lines)
    left = x0s[len(x0s) // 10]
    right = x1s[(len(x1s) * 9) // 10]

    def indented(ln: Line) -> bool:
        return left + 1.2 * em <= ln.x0 <= left + 4 * em

    if sum(1 for ln in lines if indented(ln)) < max(3, MIN_INDENTED * len(lines)):
        return "\n".join(ln.text for ln in lines)
    out: list[str] = []
    for i, ln in enumerate(lines):
        out.append(ln.text)
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1]
        if ln.x1 >= right - 1.5 * em and nxt.x0 < left + 1.2 * em:
            a, b = ln.text[-1:], nxt.text[:1]
            out.append(" " if a.isascii() and a.isalpha() and b.isascii() and b.isalpha() else "")
        else:
            out.append("\n")
    return "".join(out)


def _page_lines(page) -> list[Line]:
    return [
        Line(d["text"], float(d["x0"]), float(d["x1"]), float(d["bottom"]) - float(d["top"]))
        for d in page.extract_text_lines(return_chars=False)
        if d["text"].strip()
    ]


def extract_pages(
    data: bytes, max_pages: int = MAX_PAGES, time_limit_s: float = TIME_LIMIT
) -> tuple[list[list[Line]], int, list[str]]:
    """``(lines_per_page, n_pages, warnings)`` of a PDF given as bytes. Raises :class:`ReadError`."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    warnings: list[str] = []
    pages_lines: list[list[Line]] = []
    n_pages = 0
    start = time.monotonic()
    try:
        with time_limit(time_limit_s), pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = pdf.pages
            n_pages = len(pages)
            for i, page in enumerate(pages):
                if i >= max_pages:
                    warnings.append(f"PDF has {n_pages} pages: only the first {max_pages} were read")
                    break
                if time.monotonic() - start > time_limit_s:
                    warnings.append(f"time limit of {time_limit_s:.0f} s reached: only {i} of {n_pages} pages were read")
                    break
                pages_lines.append(_page_lines(page))
                page.close()  # frees the page's cached layout
    except _Timeout:
        if not any(pages_lines):
            raise ReadError(f"PDF parsing took over the {time_limit_s:.0f} s limit (malformed or hostile PDF?)") from None
        warnings.append(f"time limit of {time_limit_s:.0f} s reached: only {len(pages_lines)} of {n_pages or '?'} pages were read")
    except RecursionError:
        raise ReadError("malformed PDF (nesting too deep)") from None
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        name = type(err).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(err).lower():
            raise ReadError("encrypted PDF (needs a password)") from None
        if not any(pages_lines):
            raise ReadError(f"broken PDF ({name}: {str(err)[:200]})") from None
        warnings.append(f"PDF broken after page {len(pages_lines)} ({name}); the pages before it were read")
    return pages_lines, n_pages, warnings


@register_reader(".pdf")
def read_pdf(path: Path, data: bytes) -> list[RawText]:
    """The text of a PDF file, page headers, footers and numbers removed."""
    if b"%PDF" not in data[:1024]:
        raise ReadError("not a PDF file (no %PDF header)")
    pages, n_pages, warnings = extract_pages(data)
    if n_pages == 0:
        raise ReadError("PDF has no pages")
    masks = furniture_mask([[ln.text for ln in lines] for lines in pages])
    kept = [
        ln for lines, mask in zip(pages, masks, strict=True)
        for ln, drop in zip(lines, mask, strict=True) if not drop
    ]
    body = join_lines(kept)
    if len(re.sub(r"\s", "", body)) < MIN_TEXT_CHARS:
        found = sum(len(re.sub(r"\s", "", ln.text)) for lines in pages for ln in lines)
        if found >= MIN_TEXT_CHARS:  # there was text: all of it repeats at the page edges
            raise ReadError(f"all its text ({found} characters on {len(pages)} pages) repeats at the top or "
                            "bottom of the pages and was removed as running headers, footers and page numbers; "
                            "nothing is left (a form or cover sheets?)")
        raise ReadError("no text layer (scanned?)")
    empty = sum(1 for lines in pages if not lines)
    if empty:
        warnings.append(f"{empty} of {len(pages)} pages have no text layer (scanned?)")
    return [RawText(body, "", "pdf", warnings=warnings)]
