"""Reading a document (.txt, .md, .tex, .html, .docx) into its body and its reference section.

`read_document(path)` is the stable entry point shared by `extract` (which parses the section) and `map`
(which reads sentences from the body): both get the same `Document`, whatever the input format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from refkit.documents.blocks import Block
from refkit.documents.docx import docx_blocks
from refkit.documents.html import html_blocks
from refkit.documents.latex import latex_blocks
from refkit.documents.plain import markdown_inline, plain_blocks
from refkit.documents.sections import REFERENCE_HEADINGS, split_document
from refkit.errors import RefkitError
from refkit.files import read_text

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".rst": "text",
           ".tex": "latex", ".ltx": "latex", ".html": "html", ".htm": "html", ".xhtml": "html",
           ".docx": "docx"}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a reference list of ~250,000 entries; more is not a document
_READERS = {"text": plain_blocks, "markdown": plain_blocks, "latex": latex_blocks, "html": html_blocks}
_PARAGRAPH_FORMATS = frozenset({"html", "docx"})  # their text blocks are whole paragraphs, not source lines


@dataclass(slots=True)
class Document:
    """A document cut in two: the body (everything before the reference section, headings kept as lines)
    and the reference section. `*_lines` give the source line of each line of `body` / `references_text`;
    `body_starts` names the lines of `body` where the format itself starts a block ("heading", "item" or
    "paragraph"; their markup is gone from the text, and `map` must not read a heading or a list item into
    the text around it); `references_start_line` is None when no reference section was found."""

    path: str | None
    format: str
    body: str
    body_start_line: int
    references_text: str
    references_start_line: int | None
    heading: str = ""
    heading_line: int | None = None
    reference_blocks: list[Block] = field(default_factory=list)
    body_lines: tuple[int, ...] = ()
    references_lines: tuple[int, ...] = ()
    body_starts: dict[int, str] = field(default_factory=dict)

    @property
    def has_references(self) -> bool:
        return self.heading_line is not None


def detect_format(path: str | Path) -> str:
    """The format a file is read as, from its extension (unknown extensions are read as plain text)."""
    return FORMATS.get(Path(path).suffix.lower(), "text")


def parse_document(text: str, format: str = "text", *, section: str | None = None,
                   path: str | None = None) -> Document:
    """Split already-read text of the given format; `section` names the heading to look for instead."""
    return _document(_READERS[format](text), format, section, path)


def read_document(path: str | Path, *, section: str | None = None, format: str | None = None) -> Document:
    """Read a file and find its reference section; unreadable or binary input raises RefkitError."""
    format = format or detect_format(path)
    if Path(path).suffix.lower() == ".pdf":
        raise RefkitError(f"{path}: PDF is not read; extract its text first (e.g. `pdftotext -layout {path}`)")
    size = Path(path).stat().st_size if str(path) != "-" and Path(path).is_file() else 0
    if size > MAX_DOCUMENT_BYTES:
        raise RefkitError(f"{path}: {size // (1024 * 1024)} MB is larger than the "
                          f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB a document may have")
    if format == "docx":
        return _document(docx_blocks(path), format, section, str(path))
    return parse_document(read_text(path, what="document"), format, section=section, path=str(path))


def _block_starts(blocks: list[Block], format: str) -> dict[int, str]:
    """The blocks, by index, that begin a heading, a list item or (where blocks are paragraphs) a paragraph."""
    starts = {}
    for index, block in enumerate(blocks):
        if block.kind in ("heading", "item"):
            starts[index] = block.kind
        elif block.kind == "text" and format in _PARAGRAPH_FORMATS:
            starts[index] = "paragraph"
    return starts


def _document(blocks: list[Block], format: str, section: str | None, path: str | None) -> Document:
    split = split_document(blocks, section)
    if format == "markdown":
        split = replace(split, section=[replace(block, text=markdown_inline(block.text)) for block in split.section])
    return Document(
        path=path,
        format=format,
        body="\n".join(block.text for block in split.body),
        body_start_line=split.body[0].line if split.body else 1,
        references_text="\n".join(block.text for block in split.section),
        references_start_line=(split.section[0].line if split.section else
                               split.heading.line if split.heading else None),
        heading=split.heading.text if split.heading else "",
        heading_line=split.heading.line if split.heading else None,
        reference_blocks=split.section,
        body_lines=tuple(block.line for block in split.body),
        references_lines=tuple(block.line for block in split.section),
        body_starts=_block_starts(split.body, format),
    )


__all__ = ["REFERENCE_HEADINGS", "Block", "Document", "detect_format", "parse_document", "read_document"]
