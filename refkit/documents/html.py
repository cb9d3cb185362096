"""HTML through the standard library's parser: text only, scripts and styles skipped, nothing fetched.

Besides `<h1>`–`<h6>` headings and `<li>` items, the markup citeproc writes (pandoc, Quarto, Zotero's HTML
export) is understood: a `<div id="refs">` or `class="csl-bib-body"` starts a reference section even without
a heading, and each `<div class="csl-entry">` is one item, keyed by its `id="ref-KEY"`. Manubot's entries
print the title in bold first, the authors in a `csl-block` and the venue in italics: those are kept as the
item's marked fields.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from refkit.documents.blocks import Block, BlockKind, printed_date

_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "td",
    "dd",
    "dt",
    "section",
    "article",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "hr",
    "figure",
    "figcaption",
    "body",
    "details",
    "summary",
    "dl",
}
_LIST_NUMBER_RE = re.compile(r"\s*\[?\d{0,4}[.\]]?\s*")
_MARKS = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BIBLIOGRAPHY_CLASSES = {"csl-bib-body", "references", "bibliography", "ref-list", "reflist"}
Attributes = list[tuple[str, str | None]]


def _classes(attrs: Attributes) -> set[str]:
    return set(" ".join(value or "" for name, value in attrs if name == "class").split())


def _entry_id(attrs: Attributes) -> str:
    """The key of a citeproc entry, which pandoc writes as `id="ref-KEY"`."""
    element_id = next((value or "" for name, value in attrs if name == "id"), "")
    return element_id[4:] if element_id.startswith("ref-") else ""


def _is_bibliography(attrs: Attributes) -> bool:
    return any(name == "id" and value == "refs" for name, value in attrs) or bool(
        _classes(attrs) & _BIBLIOGRAPHY_CLASSES
    )


class _TextCollector(HTMLParser):
    """Collects visible text into blocks, breaking at block-level tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._line = 1
        self._kind: BlockKind = "text"
        self._level = 0
        self._skip_depth = 0
        self._div_depth = 0
        self._items: list[tuple[str, int]] = []  # open items: their tag and, for a div, the div depth inside it
        self._key = ""  # the open citeproc entry's key
        self._marks: dict[str, list[str]] = {}  # its bold, italic and csl-block texts, as read so far
        self._open_marks: list[tuple[str, str]] = []  # (tag, mark) of the inline elements being read

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(Block(self._line, text, self._kind, self._level, self._key, self._fields()))
        self._parts.clear()
        self._key, self._marks, self._open_marks = "", {}, []
        self._line = self.getpos()[0]
        if not self._items:
            self._kind, self._level = "text", 0

    def handle_starttag(self, tag: str, attrs: Attributes) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
            return
        if tag == "div":
            self._div_depth += 1
        if tag in _HEADINGS:
            self._flush()
            self._kind, self._level = "heading", _HEADINGS[tag]
        elif tag == "li" or (tag == "div" and ("csl-entry" in _classes(attrs) or _entry_id(attrs))):
            self._flush()
            self._items.append((tag, self._div_depth))
            self._kind, self._level = "item", 0
            self._key = _entry_id(attrs) if tag == "div" else ""
        if self._key:
            mark = _MARKS.get(tag) or ("block" if tag == "div" and "csl-block" in _classes(attrs) else "")
            if mark:
                self._open_marks.append((tag, mark))
                first = mark == "strong" and _LIST_NUMBER_RE.fullmatch("".join(self._parts))
                self._marks.setdefault(mark, []).append("\x00" if first else "")
        elif tag in _BLOCK_TAGS and _is_bibliography(attrs):
            self._flush()
            self.blocks.append(Block(self.getpos()[0], "References", "heading", 2))
        elif tag in _BLOCK_TAGS and not self._items:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: Attributes) -> None:
        if tag in ("br", "hr") and not self._items:
            self._flush()
        elif tag == "br" and self._key:  # older Manubot HTML: title, authors and venue on lines of their own
            if self._open_marks and self._open_marks[-1][0] == "br":
                self._open_marks.pop()
            self._open_marks.append(("br", "block"))
            self._marks.setdefault("block", []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._open_marks and self._open_marks[-1][0] == tag:
            self._open_marks.pop()
        closes_item = (
            bool(self._items) and self._items[-1][0] == tag and (tag == "li" or self._items[-1][1] == self._div_depth)
        )
        if tag == "div":
            self._div_depth = max(0, self._div_depth - 1)
        if tag in ("ol", "ul") and self._items and self._items[-1][0] == "li":  # an unclosed <li>
            closes_item = True
            while self._items and self._items[-1][0] == "li":
                self._items.pop()
            self._items.append(("li", 0))
        if closes_item:
            self._items.pop()
            self._flush()
        elif tag in _HEADINGS or (tag in _BLOCK_TAGS and not self._items):
            self._flush()

    def close(self) -> None:
        """End of input: the text after the last block-level tag is a block too."""
        super().close()
        self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            if not self._parts:
                self._line = self.getpos()[0]
            self._parts.append(data)
            for _, mark in self._open_marks:
                self._marks[mark][-1] += data

    def _fields(self) -> tuple[tuple[str, str], ...]:
        """Manubot's layout (a bold title first, authors in the first csl-block, the venue in italics)."""
        strong = self._marks.get("strong", [])
        if not strong or not strong[0].startswith("\x00"):
            return ()
        found = [("title", " ".join(strong[0][1:].split()))]
        for mark, name in (("block", "authors"), ("em", "container")):
            if self._marks.get(mark):
                found.append((name, " ".join(self._marks[mark][0].split())))
        return tuple(found) + printed_date("".join(self._parts))


def html_blocks(text: str) -> list[Block]:
    """Visible text of an HTML page as blocks; headings, list items and citeproc entries marked."""
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    return collector.blocks
