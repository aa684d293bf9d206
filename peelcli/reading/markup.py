"""A web page's nesting and attribute counts, measured in one pass before it is parsed.

An HTML parser keeps a stack of open elements and looks down it for many tags it meets, so a
page nested 200,000 elements deep costs it the square of that; one tag with 200,000
attributes costs the same, each checked against those before it. A real page nests a few
dozen elements at most, and sets a few attributes on each. This scan reads the page once,
tag by tag, keeping a stack of open elements as a browser would, closely enough: elements
that need no end tag, end tags that a start tag implies (a ``<p>`` or ``<li>`` left open),
``/>`` in SVG and MathML, and the text of scripts, styles and comments, which holds no tags.
A page deeper than :attr:`Limits.depth`, or with an element of more than
:data:`~peelcli.reading.limits.ATTRIBUTES` attributes, is refused before the parser sees it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set

from peelcli.reading.limits import ATTRIBUTES, Limits, over_attributes, over_depth

_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
}  # fmt: skip
# Elements whose text is read to their end tag, tags and all, as text.
_RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"}
_FOREIGN = {"svg", "math"}  # where "/>" closes an element, as XML has it
# A start tag of these closes an open <p>.
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "ul",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SCOPE = {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"}
# HTML's "special" elements: a list item's start tag looks no further down than these.
_SPECIAL = {
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
    "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
    "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer",
    "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main",
    "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p",
    "param", "plaintext", "pre", "script", "search", "section", "select", "source", "style",
    "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title",
    "tr", "track", "ul", "wbr", "xmp",
}  # fmt: skip
_ITEM_BOUNDARY = _SPECIAL - {"address", "div", "p"}
# Table parts, which outside a table are no elements at all.
_TABLE_PARTS = {"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}
# A start tag closes an open element of its kind, looking no further down than these.
_CLOSES_OWN: dict[str, tuple[set[str], set[str]]] = {
    "li": ({"li"}, _ITEM_BOUNDARY - {"li"}),
    "dd": ({"dd", "dt"}, _ITEM_BOUNDARY - {"dd", "dt"}),
    "dt": ({"dd", "dt"}, _ITEM_BOUNDARY - {"dd", "dt"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot", "template"}),
    "td": ({"td", "th"}, {"tr", "table", "template"}),
    "th": ({"td", "th"}, {"tr", "table", "template"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "template"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "template"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "template"}),
    "a": ({"a"}, _SCOPE),
    "button": ({"button"}, _SCOPE),
    "nobr": ({"nobr"}, _SCOPE),
}
_SPACE = "\t\n\f\r "  # HTML's whitespace
_ENDS_NAME = _SPACE + "/>"


class _Open:
    """The stack of open elements, and how many of each name are on it."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.count: Counter[str] = Counter()

    def push(self, name: str) -> None:
        self.stack.append(name)
        self.count[name] += 1

    def close(self, names: Set[str], boundary: Set[str] = frozenset()) -> None:
        """Pop down through the nearest element named in names, unless a boundary is nearer."""
        if not any(self.count[n] for n in names):
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            name = self.stack[depth]
            if name in names:
                for popped in self.stack[depth:]:
                    self.count[popped] -= 1
                del self.stack[depth:]
                return
            if name in boundary:
                return


def check_markup(text: str, name: str, limits: Limits) -> None:
    """Refuse a page nested deeper than the limit, or with an element of absurdly many
    attributes; read in time in proportion to its length."""
    opened = _Open()
    at = text.find("<")
    while 0 <= at < len(text):
        if text.startswith("<!--", at):
            end = text.find("-->", at + 4)
            at = len(text) if end < 0 else end + 3
        elif text.startswith(("<!", "<?"), at):
            end = text.find(">", at + 2)
            at = len(text) if end < 0 else end + 1
        elif text.startswith("</", at):
            end = _name_end(text, at + 2)
            if end > at + 2:
                opened.close({text[at + 2 : end].lower()})
            end = text.find(">", end)
            at = len(text) if end < 0 else end + 1
        elif at + 1 < len(text) and text[at + 1].isascii() and text[at + 1].isalpha():
            end = _name_end(text, at + 1)
            at = _start_tag(text, text[at + 1 : end].lower(), end, opened, name, limits)
        else:
            at += 1
        at = text.find("<", at)


def _name_end(text: str, at: int) -> int:
    """Where a tag's or attribute's name that starts at ``at`` ends."""
    while at < len(text) and text[at] not in _ENDS_NAME and text[at] != "=":
        at += 1
    return at


def _skip(text: str, at: int, chars: str) -> int:
    while at < len(text) and text[at] in chars:
        at += 1
    return at


def _attribute_end(text: str, at: int) -> int:
    """Where an attribute that starts at ``at`` (its name, and any value) ends."""
    at = _name_end(text, at + 1)  # a name may start with "=", and only there
    after = _skip(text, at, _SPACE)
    if after >= len(text) or text[after] != "=":
        return at
    at = _skip(text, after + 1, _SPACE)
    if at < len(text) and text[at] in "\"'":
        end = text.find(text[at], at + 1)
        return len(text) if end < 0 else end + 1
    while at < len(text) and text[at] not in _SPACE and text[at] != ">":
        at += 1
    return at


def _start_tag(text: str, tag: str, at: int, opened: _Open, name: str, limits: Limits) -> int:
    """Read a start tag's attributes, open its element; where the text after it goes on."""
    attributes = 0
    closed = False
    while True:
        at = _skip(text, at, _SPACE + "/")
        if at >= len(text) or text[at] == ">":
            closed = text[at - 1] == "/"
            at += 1
            break
        at = _attribute_end(text, at)
        attributes += 1
        if attributes > ATTRIBUTES:
            raise over_attributes(name, _line(text, at), tag)
    if tag in _VOID or (closed and any(opened.count[f] for f in _FOREIGN)):
        return at
    if (tag in _TABLE_PARTS and not opened.count["table"]) or (
        tag == "form" and opened.count["form"]
    ):
        return at  # no element: a table's part outside a table, a form inside a form
    if tag in ("option", "optgroup") and opened.stack and opened.stack[-1] == "option":
        opened.close({"option"})
    if tag in _CLOSES_P:
        opened.close({"p"}, _SCOPE | {"button"})
    if tag in _HEADINGS and opened.stack and opened.stack[-1] in _HEADINGS:
        opened.close(_HEADINGS)
    if tag in _CLOSES_OWN:
        opened.close(*_CLOSES_OWN[tag])
    if tag == "plaintext":
        return len(text)  # all that follows is text
    opened.push(tag)
    if len(opened.stack) > limits.depth:
        raise over_depth(name, _line(text, at), limits)
    if tag in _RAW_TEXT:
        opened.close({tag})
        return _raw_text_end(text, at, tag)
    return at


def _raw_text_end(text: str, at: int, tag: str) -> int:
    """Where the text of a script, style or the like ends: at its end tag, or the page's."""
    while True:
        at = text.find("</", at)
        if at < 0:
            return len(text)
        end = at + 2 + len(tag)
        if text[at + 2 : end].lower() == tag and (end == len(text) or text[end] in _ENDS_NAME):
            return at
        at += 2


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1
