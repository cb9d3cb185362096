"""Reading a document (.txt, .md, .tex, .bbl, .html, .docx, .pdf) into its body and its reference section.

`read_document(path)` is the stable entry point shared by `extract` (which parses the section) and `map`
(which reads sentences from the body): both get the same `Document`, whatever the input format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from refkit.documents.bbl import bbl_blocks, tex_blocks
from refkit.documents.blocks import Block
from refkit.documents.plain import markdown_blocks, markdown_inline, plain_blocks
from refkit.documents.sections import REFERENCE_HEADINGS, split_document
from refkit.errors import RefkitError
from refkit.files import read_text

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rmd": "markdown",
    ".qmd": "markdown",
    ".rst": "text",
    ".tex": "latex",
    ".ltx": "latex",
    ".bbl": "bbl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a reference list of ~250,000 entries; more is not a document


def _html_blocks(text: str) -> list[Block]:
    from refkit.documents.html import html_blocks  # each binary or markup reader only for its format

    return html_blocks(text)


_READERS = {
    "text": plain_blocks,
    "markdown": markdown_blocks,
    "latex": tex_blocks,
    "bbl": bbl_blocks,
    "html": _html_blocks,
}
_PARAGRAPH_FORMATS = frozenset({"html", "docx"})  # their text blocks are whole paragraphs, not source lines


@dataclass(frozen=True, slots=True)
class Document:
    """A document cut in two at its reference section: the blocks before the section heading (the body) and
    the blocks of the section. Everything else is read off them: the body as text with the file line of each
    of its lines, and where the format itself starts a block in it (its markup is gone from the text, and
    `map` must not read a heading or a list item into the text around it)."""

    path: str | None
    format: str
    body_blocks: list[Block]
    reference_blocks: list[Block]
    heading_block: Block | None = None  # None: no reference section was found
    pages: tuple[int, ...] = ()  # a PDF's page of each line (its text as read out); empty for other formats

    def page_of(self, line: int | None) -> int | None:
        """The page a line of the document is on, for a PDF; None for formats without pages."""
        if line is None or not 0 < line <= len(self.pages):
            return None
        return self.pages[line - 1]

    @property
    def has_references(self) -> bool:
        return self.heading_block is not None

    @property
    def heading(self) -> str:
        return self.heading_block.text if self.heading_block else ""

    @property
    def heading_line(self) -> int | None:
        return self.heading_block.line if self.heading_block else None

    @property
    def body(self) -> str:
        return "\n".join(block.text for block in self.body_blocks)

    @property
    def body_start_line(self) -> int:
        return self.body_blocks[0].line if self.body_blocks else 1

    @property
    def body_lines(self) -> tuple[int, ...]:
        """The file line of each line of `body`."""
        return tuple(block.line for block in self.body_blocks)

    @property
    def body_starts(self) -> dict[int, str]:
        """The lines of `body` that begin a heading, a list item or (where blocks are paragraphs) a paragraph."""
        starts: dict[int, str] = {}
        for index, block in enumerate(self.body_blocks):
            if block.kind in ("heading", "item"):
                starts[index] = block.kind
            elif block.kind == "text" and self.format in _PARAGRAPH_FORMATS:
                starts[index] = "paragraph"
        return starts

    @property
    def references_text(self) -> str:
        return "\n".join(block.text for block in self.reference_blocks)

    @property
    def references_start_line(self) -> int | None:
        """The first line of the section, or of its heading when it is empty; None without a section."""
        first = self.reference_blocks[0] if self.reference_blocks else self.heading_block
        return first.line if first else None


def detect_format(path: str | Path) -> str:
    """The format a file is read as, from its extension (unknown extensions are read as plain text)."""
    return FORMATS.get(Path(path).suffix.lower(), "text")


def parse_document(text: str, format: str = "text", *, section: str | None = None, path: str | None = None) -> Document:
    """Split already-read text of the given format; `section` names the heading to look for instead."""
    return _document(_READERS[format](text), format, section, path)


def read_document(path: str | Path, *, section: str | None = None, format: str | None = None) -> Document:
    """Read a file and find its reference section; unreadable or binary input raises RefkitError."""
    format = format or detect_format(path)
    if format == "pdf":
        from refkit.documents.pdf import pdf_text

        text = pdf_text(path)
        return replace(_document(text.blocks, format, section, str(path)), pages=text.pages)
    size = Path(path).stat().st_size if str(path) != "-" and Path(path).is_file() else 0
    if size > MAX_DOCUMENT_BYTES:
        raise RefkitError(
            f"{path}: {size // (1024 * 1024)} MB is larger than the "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB a document may have"
        )
    if format == "docx":
        from refkit.documents.docx import docx_blocks

        return _document(docx_blocks(path), format, section, str(path))
    return parse_document(read_text(path, what="document"), format, section=section, path=str(path))


def _document(blocks: list[Block], format: str, section: str | None, path: str | None) -> Document:
    split = split_document(blocks, section)
    if format == "markdown":
        split = replace(split, section=[replace(block, text=markdown_inline(block.text)) for block in split.section])
    return Document(path, format, split.body, split.section, split.heading)


__all__ = ["REFERENCE_HEADINGS", "Block", "Document", "detect_format", "parse_document", "read_document"]
