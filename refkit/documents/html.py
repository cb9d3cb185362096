"""HTML through the standard library's parser: text only, scripts and styles skipped, nothing fetched."""

from __future__ import annotations

from html.parser import HTMLParser

from refkit.documents.blocks import Block

_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
_BLOCK_TAGS = {"p", "div", "br", "tr", "td", "dd", "dt", "section", "article", "blockquote", "pre", "ul", "ol",
               "table", "header", "footer", "nav", "aside", "main", "hr", "figure", "figcaption", "body",
               "details", "summary", "dl"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _TextCollector(HTMLParser):
    """Collects visible text into blocks, breaking at block-level tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._line = 1
        self._kind: str = "text"
        self._level = 0
        self._skip_depth = 0
        self._item_depth = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(Block(self._line, text, self._kind, self._level))  # type: ignore[arg-type]
        self._parts.clear()
        self._line = self.getpos()[0]
        if not self._item_depth:
            self._kind, self._level = "text", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _HEADINGS:
            self._flush()
            self._kind, self._level = "heading", _HEADINGS[tag]
        elif tag == "li":
            self._flush()
            self._item_depth += 1
            self._kind, self._level = "item", 0
        elif tag in _BLOCK_TAGS and not self._item_depth:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self._item_depth:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _HEADINGS:
            self._flush()
        elif tag == "li" and self._item_depth:
            self._item_depth -= 1
            self._flush()
        elif tag in _BLOCK_TAGS and not self._item_depth:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            if not self._parts:
                self._line = self.getpos()[0]
            self._parts.append(data)


def html_blocks(text: str) -> list[Block]:
    """Visible text of an HTML page as blocks; `<h1>`–`<h6>` are headings and `<li>` items."""
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    collector._flush()
    return collector.blocks
