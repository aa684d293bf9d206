"""A saved web page to the importer's text: its report, without the site around it.

The page is parsed with selectolax (the Lexbor HTML5 parser), which parses as browsers do and
is quick to import and to run. The report is the page's ``main`` element (else its body), led
by the page's ``h1`` where a site sets it above ``main``, less the site's furniture:

- elements that are never report text: navigation, search and other forms, scripts, styles,
  ``aside``, hidden elements, and ``header``/``footer`` of the page (an article's own header,
  which holds its title, stays);
- cookie and consultation banners, "Skip to content", breadcrumbs, share and "back to top"
  links, by their role or by a class or id that is a furniture name as a whole token
  (``breadcrumbs``, ``govuk-back-to-top``), never by part of one: a section's id is made
  from its area's name, such as ``preventing-crime-and-anti-social-behaviour``;
- blocks whose whole text is furniture (see :mod:`peelcli.reading.furniture`): "Skip to
  content", "Last updated 02/03/2017", "Contents", "Back to top ↑", "Share this page",
  "Print this page". A publication date ("Published on: 12 March 2025") is kept;
- a list whose every item is a link into the page itself: the page's own contents, whose
  names are kept beside the text (:func:`page_contents`), as a PDF's contents page's are.

Headings ``h1``-``h4`` keep their level, list items become ``- `` lines, and a table of areas
and grades becomes ``AREA: GRADE`` lines; see :mod:`peelcli.reading` for the text form.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from peelcli.errors import PeelError, Problem
from peelcli.reading.charsets import codec_for_label
from peelcli.reading.document import Document, blocks_to_document, one_line
from peelcli.reading.furniture import is_furniture
from peelcli.reading.limits import DEFAULTS, Limits
from peelcli.reading.markup import check_markup

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

_NEVER_TEXT = {
    "head", "script", "style", "noscript", "template", "nav", "aside", "form", "button",
    "input", "select", "textarea", "label", "svg", "math", "iframe", "object", "embed",
    "canvas", "dialog", "img", "picture", "video", "audio", "map",
}  # fmt: skip
_FURNITURE_ROLES = {"navigation", "search", "complementary", "dialog", "alertdialog"}
_PAGE_ROLES = {"banner", "contentinfo"}  # the page's header and footer, as roles
# Site furniture named by a class or id: a whole token equal to one of these, with or without
# a design system's prefix ("govuk-breadcrumbs"). Never part of a token: a section's id is
# made from its area's name, and "preventing-crime-and-anti-social-behaviour" is report text.
_FURNITURE_NAMES = {
    "cookie", "cookies", "cookie-banner", "cookie-notice", "cookie-consent", "cookie-message",
    "global-cookie-message",
    "consent", "consent-banner", "consultation-banner", "skip-link", "skip-links", "skiplink",
    "skip-to-content", "skip-to-main", "share", "shares", "share-links", "share-this",
    "share-buttons", "share-bar", "sharing", "social", "social-share", "social-links",
    "social-media", "breadcrumb", "breadcrumbs", "back-to-top", "backtotop", "to-top",
    "top-link", "print-link", "print-this", "phase-banner", "notification-banner", "feedback",
    "survey", "toc", "table-of-contents", "on-this-page", "page-contents", "contents-list",
}  # fmt: skip
_PREFIXES = ("govuk-", "nhsuk-", "site-", "js-", "c-", "o-", "m-")
_BLOCKS = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "ul",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_GRADE = re.compile(
    r"(?:outstanding|good|adequate|requires improvement|inadequate|not graded|ungraded)\.?",
    re.IGNORECASE,
)
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)

Block = tuple[str, str | None, int | None]


def decode_page(data: bytes) -> str:
    """A page's text: by its byte order mark, else its declared charset, else UTF-8.

    A declared charset is one of the labels browsers know (:mod:`peelcli.reading.charsets`).
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").removeprefix("\ufeff")
    declared = _CHARSET.search(data[:4096])
    # A name that is no encoding label (Python's "hex" or "rot13", a mistake) declares
    # nothing: the page is read as UTF-8.
    encoding = (declared and codec_for_label(declared[1].decode("ascii"))) or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        # Pages saved by hand often mislabel the windows-1252 they are in.
        fallback = "windows-1252" if encoding == "utf-8" else encoding
        return data.decode(fallback, errors="replace")


def is_grade(text: str) -> bool:
    """Whether a table cell's text is a grade, as PEEL grade tables write them."""
    return _GRADE.fullmatch(text.strip()) is not None


def _clean(text: str) -> str:
    return one_line(text)


def _furniture(node: LexborNode, inside_content: bool) -> bool:
    return _furniture_reason(node, inside_content) is not None


# Elements that never hold text a reader sees: dropped without a word.
_UNSEEN = _NEVER_TEXT - {"nav", "aside", "form", "dialog", "label"}


def _furniture_reason(node: LexborNode, inside_content: bool) -> str | None:
    """Why an element is the site's furniture, in a few words, or None if it is not."""
    tag = node.tag or ""
    if tag in _NEVER_TEXT:
        return f"a <{tag}>"
    attributes = node.attributes
    if "hidden" in attributes or (attributes.get("aria-hidden") or "").lower() == "true":
        return "hidden"
    style = (attributes.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    role = (attributes.get("role") or "").lower()
    if role in _FURNITURE_ROLES:
        return f"role {role}"
    if not inside_content and (tag in ("header", "footer") or role in _PAGE_ROLES):
        return f"the page's <{tag}>"
    for attribute in ("class", "id"):
        for token in (attributes.get(attribute) or "").casefold().split():
            if _furniture_name(token):
                return f"{attribute} {token}"
    return None


def _furniture_name(token: str) -> bool:
    if token in _FURNITURE_NAMES:
        return True
    return any(token.startswith(p) and token[len(p) :] in _FURNITURE_NAMES for p in _PREFIXES)


def _contents_entry(item: LexborNode) -> list[LexborNode] | None:
    """An item of the page's own contents, as only links into the page: its nested lists.

    None for any other item. Only the item's children are looked at, so that lists nested
    however deep are read in time proportional to the page.
    """
    linked = False
    nested: list[LexborNode] = []
    for child in item.iter(include_text=True):
        tag = child.tag or ""
        if tag == "a" and (child.attributes.get("href") or "").startswith("#"):
            linked = True
        elif tag in ("ul", "ol"):
            nested.append(child)
        elif tag == "-text":
            if (child.text_content or "").strip():
                return None  # text of the item's own
        elif not tag.startswith("-"):
            return None  # any other element: more than a link
    return nested if linked else None


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.in_item = 0
        self.heading = ""
        self.dropped: list[tuple[str, str, str]] = []  # place, why, text

    def place(self, tag: str) -> str:
        if tag in _HEADINGS or not self.heading:
            return f"<{tag}>"
        shown = self.heading if len(self.heading) <= 40 else self.heading[:39] + "…"
        return f"<{tag}> after “{shown}”"

    def emit(self, text: str, tag: str, level: int | None = None) -> None:
        if not text:
            return
        if is_furniture(text):
            self.drop(text, tag, "site furniture")
            return
        if tag == "li":
            text = f"- {text}"
        self.blocks.append((text, self.place(tag), level))
        if level is not None:
            self.heading = text

    def drop(self, text: str, tag: str, why: str) -> None:
        """Note a block left out, for ``--explain``."""
        shown = text if len(text) <= 100 else text[:99] + "…"
        self.dropped.append((self.place(tag), why, shown))

    def flush(self, tag: str | None = None) -> None:
        text = _clean("".join(self.buffer))
        self.buffer.clear()
        if tag is None:
            tag = "li" if self.in_item else "p"
        level = _HEADINGS.get(tag)
        self.emit(text, tag if tag in ("li", *_HEADINGS) else "p", level)

    def read(self, root: LexborNode) -> None:
        # An explicit stack: a page nested thousands deep must not exhaust Python's recursion.
        inside = root.tag in ("main", "article") or root.attributes.get("role") == "main"
        stack: list[tuple[LexborNode, bool, bool]] = [(root, False, inside)]
        while stack:
            node, leaving, inside = stack.pop()
            tag = node.tag or ""
            if leaving:
                self.end(tag)
                continue
            if tag == "-text":
                self.buffer.append(node.text_content or "")
                continue
            if tag.startswith("-"):
                continue
            why = _furniture_reason(node, inside)
            if why is not None:
                if tag not in _UNSEEN:
                    text = _clean(node.text(deep=True, separator=" "))
                    if text:
                        self.drop(text, tag, why)
                continue
            if tag == "br":
                self.buffer.append(" ")
                continue
            if tag == "table":
                self.flush()
                self.table(node)
                continue
            children = list(node.iter(include_text=True))
            if tag == "li":
                nested = _contents_entry(node)
                if nested is not None:
                    # The page's own contents: skip the entry, read what is nested in it.
                    stack.extend((child, False, inside) for child in reversed(nested))
                    continue
            if tag in _BLOCKS:
                self.start(tag)
            inside = inside or tag in ("main", "article")
            stack.append((node, True, inside))
            stack.extend((child, False, inside) for child in reversed(children))

    def start(self, tag: str) -> None:
        if self.in_item and tag not in ("ul", "ol", "li"):
            self.buffer.append(" ")  # a paragraph inside a list item is part of the item
            return
        self.flush()
        if tag == "li":
            self.in_item += 1

    def end(self, tag: str) -> None:
        if tag not in _BLOCKS:
            return
        if self.in_item and tag not in ("ul", "ol", "li"):
            self.buffer.append(" ")
            return
        self.flush(tag if tag in ("li", *_HEADINGS) else None)
        if tag == "li":
            self.in_item -= 1

    def table(self, table: LexborNode) -> None:
        caption = next((c for c in table.iter() if c.tag == "caption"), None)
        if caption is not None:
            self.emit(_clean(caption.text(deep=True, separator=" ")), "p")
        rows = [
            [list(_cell_items(cell)) for cell in row.iter() if cell.tag in ("td", "th")]
            for row in _rows(table)
        ]
        rows = [row for row in rows if any(row)]
        for line in table_lines(rows):
            self.emit(line, "tr")


def _rows(table: LexborNode) -> Iterator[LexborNode]:
    """A table's own rows; a table nested in a cell is that cell's text."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child.iter() if row.tag == "tr")


def _cell_items(cell: LexborNode) -> Iterator[str]:
    """A cell's text, split where a line break or a block inside it starts a new line."""
    parts: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(cell, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if tag == "-text":
            parts.append(node.text_content or "")
            continue
        if tag == "img" and not leaving:
            # A grade shown as an icon is named by its alternative text.
            parts.append(f" {node.attributes.get('alt') or ''} ")
            continue
        if tag.startswith("-") or tag in _NEVER_TEXT:
            continue
        if tag == "br" or (tag in _BLOCKS and node is not cell):
            parts.append("\n")
        if not leaving:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(list(node.iter(include_text=True))))
    for line in "".join(parts).split("\n"):
        if _clean(line):
            yield _clean(line)


def table_lines(rows: list[list[list[str]]]) -> list[str]:
    """A table's rows (cells of lines) as text: ``AREA: GRADE`` lines for a grade table."""
    cells = [[" ".join(items) for items in row] for row in rows]
    header = [c for c in cells[0] if c] if cells else []
    if len(header) >= 2 and all(is_grade(c) for c in header):
        # Columns headed by grades, each listing the areas given that grade.
        lines = []
        for column, grade in enumerate(cells[0]):
            if not grade:
                continue
            for row in rows[1:]:
                if column < len(row):
                    lines += [f"{area}: {grade}" for area in row[column]]
        return lines
    graded = [_grade_row(row) for row in cells]
    body = [(row, found) for row, found in zip(cells, graded, strict=True) if any(row)]
    if any(found for _, found in body) and all(
        found or n == 0 for n, (_, found) in enumerate(body)
    ):
        return [found for _, found in body if found]
    return [" | ".join(c for c in row if c) for row in cells if any(row)]


def _grade_row(cells: list[str]) -> str | None:
    filled = [c for c in cells if c]
    grades = [c for c in filled if is_grade(c)]
    areas = [c for c in filled if not is_grade(c)]
    if len(grades) == 1 and len(areas) == 1:
        return f"{areas[0]}: {grades[0].rstrip('.')}"
    return None


def _page_title(heading: LexborNode, root: LexborNode) -> bool:
    """Whether a heading outside the main content is the page's title, not furniture's."""
    parent = heading.parent
    while parent is not None:
        # A page's header may hold its title; its footer never does.
        if parent == root or parent.tag == "footer" or _furniture(parent, True):
            return False
        parent = parent.parent
    return True


def read_html(data: bytes, name: str, limits: Limits = DEFAULTS) -> Document:
    """The report a saved web page holds, in the importer's text form.

    A page nested deeper than the limits allow, or with absurdly many attributes on an
    element, is refused before it is parsed (:mod:`peelcli.reading.markup`).
    """
    from selectolax.lexbor import LexborHTMLParser

    text = decode_page(data)
    check_markup(text, name, limits)
    tree = LexborHTMLParser(text)
    body = tree.body
    if body is None:
        raise PeelError(Problem("is a web page with no body; save the report's page itself", name))
    root = tree.css_first("main") or tree.css_first("[role=main]") or body
    reader = _Reader()
    if root is not body and root.css_first("h1") is None:
        # Some sites set the page's title above its main content: it is the report's title.
        title = next((h for h in tree.css("h1") if _page_title(h, root)), None)
        if title is not None:
            reader.emit(_clean(title.text(deep=True, separator=" ")), "h1", 1)
    reader.read(root)
    reader.flush()
    if not reader.blocks:
        raise PeelError(
            Problem(
                "is a web page with no report text in its body; save the report's page itself",
                name,
            )
        )
    document = blocks_to_document("html", reader.blocks)
    return replace(document, dropped=reader.dropped, contents=page_contents(tree))


# A page's own contents is a list of at least this many links to places on the page: fewer
# is a list of skip links, or of a note's references.
_CONTENTS_ENTRIES = 3


def page_contents(tree: LexborHTMLParser) -> tuple[str, ...] | None:
    """The names the page's own contents lists: the link texts of its longest list whose every
    item is only links into the page, to places the page has (a section's id, made from its
    area's name); None where the page has no such list. Read wherever the list is, kept as
    report text or left out as the site's furniture (a ``nav``, a ``toc`` class)."""
    places = {node.attributes.get("id") for node in tree.css("[id]")}
    places |= {node.attributes.get("name") for node in tree.css("a[name]")}
    lists: dict[int, list[str]] = {}
    for item in tree.css("li"):
        if item.parent is None or _contents_entry(item) is None:
            continue
        for link in item.iter():
            href = (link.attributes.get("href") or "") if link.tag == "a" else ""
            if href.startswith("#") and href[1:] in places:
                name = _clean(link.text(deep=True, separator=" "))
                if name:
                    lists.setdefault(item.parent.mem_id, []).append(name)
    longest = max(lists.values(), key=len, default=[])
    return tuple(longest) if len(longest) >= _CONTENTS_ENTRIES else None
