"""Web pages (``.html``, ``.htm``, ``.xhtml``; HTML saved as ``.txt`` is sent here too).

The page is parsed with lxml's HTML parser with network access off, comments and
processing instructions removed and ``huge_tree`` off. The HTML parser never loads a
DTD and never expands entities declared in one (a billion-laughs page stays a short
string), and libxml2 stops at :data:`MAX_DEPTH` levels of nesting: text nested deeper
is lost and the reader says so in a warning (or refuses the page if nothing is left).
The tree is walked iteratively, never recursively.

What is kept is the page's text without scripts, styles, navigation, toolbars, forms,
footers and blocks of links (site menus, "related articles"); block elements become
line breaks. Several reports on one listing page all stay in the text: the splitter
separates them downstream. The downstream normaliser also drops the usual toolbar and
publication-stamp lines (字号 大 中 小, 打印 关闭, 来源：…).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..read import RawText, ReadError, decode, register_reader, sniff_binary

#: libxml2's nesting limit without ``huge_tree``: deeper elements are dropped by the parser.
MAX_DEPTH = 256

#: Elements whose content is never report text.
JUNK_TAGS = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg canvas math "
    "form button select option input textarea label nav aside head map area audio video "
    "source track dialog menu".split()
)
#: Block elements: a line break before and after.
BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd tr table tbody thead tfoot caption h1 h2 h3 h4 h5 h6 section "
    "article main header footer blockquote pre hr center address figure figcaption title body "
    "html fieldset legend details summary".split()
)
CELL_TAGS = frozenset(("td", "th"))

# class / id tokens of page furniture
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|menus|breadcrumbs?|crumbs?|position|location|"
    r"toolbar|tools?|share|bdshare|footer|foot|bottom|copyright|sidebar|side|topbar|banner|"
    r"header|ads?|advert|print|fontsize|related|relevant|links?|login|search|weixin|wechat|"
    r"qrcode|ewm|pager?|pagination|comments?)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
# text that marks a block as part of a report (opening, date line), never furniture
_PROTECT = re.compile(r"代表大会|各位代表")
_TITLE = re.compile(r"工作报告")
_HAN = re.compile(r"[\u3400-\u9fff]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
           "big5": "cp950", "x-big5": "cp950", "utf8": "utf-8", "unicode": "utf-8"}


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode a page: a byte-order mark, else its declared charset if the bytes agree, else a guess."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "replace").lower()
            codec = _CODECS.get(name, name)
            try:
                return data.decode(codec), codec, []
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration (common): guess instead
    return decode(data)


def _attr_furniture(el: etree._Element) -> bool:
    return bool(_FURNITURE.search(f"{el.get('class', '')} {el.get('id', '')}"))


def _clean(root: etree._Element) -> None:
    """Remove junk elements, page furniture and blocks of links, in place."""
    drop: list[etree._Element] = []
    # bottom-up counts of hanzi, and of hanzi inside links, per element (iterative walk)
    han: dict[etree._Element, int] = {}
    linked: dict[etree._Element, int] = {}
    for _ev, el in etree.iterwalk(root, events=("end",)):
        if not isinstance(el.tag, str):
            continue
        n = len(_HAN.findall(el.text or ""))
        k = 0
        for child in el:
            n += han.get(child, 0) + len(_HAN.findall(child.tail or ""))
            k += linked.get(child, 0)
        if el.tag == "a":
            k = n
        han[el], linked[el] = n, k
    total = han.get(root, 0) or 1
    for el, n in han.items():
        tag = el.tag
        if tag in JUNK_TAGS:
            drop.append(el)
            continue
        if el is root or tag in ("body", "html"):
            continue
        small = n < 0.3 * total
        if tag in ("header", "footer") and small and not _inside(el, ("article", "main")):
            drop.append(el)
        elif small and _attr_furniture(el) and not _protected(el):
            drop.append(el)
        elif tag in ("ul", "ol", "dl", "div", "table", "p", "li", "td", "span") and 0 < n < 300 \
                and linked[el] > 0.6 * n and small and not _protected(el):
            drop.append(el)
    for el in drop:
        if el.getparent() is not None and _attached(el, root):
            el.drop_tree()  # keeps the element's tail text


def _protected(el: etree._Element) -> bool:
    """A block holding a report's opening or date line, or its title as a heading."""
    if _PROTECT.search(el.text_content()):
        return True
    return any(_TITLE.search(h.text_content()) for h in el.iter("h1", "h2", "h3"))


def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


def _attached(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` is still in the tree under ``root`` (an ancestor may have been dropped)."""
    for a in el.iterancestors():
        if a is root:
            return True
    return False


def _text(root: etree._Element) -> str:
    """Text with block elements as line breaks; whitespace inside text runs collapsed."""
    out: list[str] = []
    pre = 0

    def add(s: str | None) -> None:
        if s:
            out.append(s if pre else re.sub(r"[ \t\r\n\f\v]+", " ", s))

    for ev, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if ev == "start":
            if tag == "pre":
                pre += 1
            if tag in BLOCK_TAGS:
                out.append("\n")
            add(el.text)
        else:
            if tag in BLOCK_TAGS:
                out.append("\n")
            elif tag in CELL_TAGS:
                out.append(" ")
            if tag == "pre":
                pre -= 1
            if el is not root:
                add(el.tail)
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(text: str) -> tuple[str, str, list[str]]:
    """``(main_text, page_title, warnings)`` of an HTML page given as a string."""
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    parser = lxml_html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
        remove_blank_text=False,
    )
    warnings: list[str] = []
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise ReadError(f"cannot parse HTML: {err}") from None
    except (RecursionError, MemoryError) as err:
        raise ReadError(f"HTML too deeply nested or too large to parse ({type(err).__name__})") from None
    if any("depth" in (e.message or "").lower() for e in parser.error_log):
        warnings.append(f"HTML nested deeper than {MAX_DEPTH} levels: the parser stopped there and text after it is lost")
    title_el = root.find(".//title")
    title = re.sub(r"\s+", " ", title_el.text_content()).strip() if title_el is not None else ""
    try:
        _clean(root)
        body = _text(root)
    except RecursionError:
        raise ReadError("HTML too deeply nested") from None
    return body, title, warnings


@register_reader(".html", ".htm", ".xhtml", ".shtml")
def read_html(path: Path, data: bytes) -> list[RawText]:
    """The main text of a web page (one text; the splitter finds several reports in it)."""
    what = sniff_binary(data)
    if what:
        raise ReadError(f"binary file ({what}), not a web page")
    text, encoding, warnings = decode_html(data)
    body, _title, more = html_to_text(text)
    warnings += more
    if not body.strip():
        raise ReadError("web page has no text" + (f" ({more[0]})" if more else ""))
    # The page <title> is not passed on as the report title: it is usually the site's
    # ("…_XX人民政府门户网站") and a listing page holds several reports; the body has the title line.
    return [RawText(body, encoding, "html", warnings=warnings)]
