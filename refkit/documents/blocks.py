"""The common shape every reader turns its format into: a flat list of text blocks with source lines.

Readers keep what the later steps need and nothing else: which blocks are headings (and how deep), which
are list items the format itself delimits (`<li>`, `\\bibitem`, Word list paragraphs), and the original
indentation of plain-text lines, which the item splitter reads for hanging indents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ISO_DATE_RE = re.compile(r"\((\d{4})(?:-\d{2}){0,2}\)")

BlockKind = Literal["text", "heading", "item", "blank"]


@dataclass(frozen=True, slots=True)
class Block:
    line: int  # 1-based line in the source file where the block starts
    text: str
    kind: BlockKind = "text"
    level: int = 0  # heading depth: 1 for a top-level heading; 0 when not a heading
    key: str = ""  # an item's own citation key (LaTeX `\bibitem{key}`), which the document's citations use
    # Fields the format marks itself (`\bibinfo{title}{…}`, a biber `\entry`): structure, not to be guessed
    fields: tuple[tuple[str, str], ...] = ()


def text_blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """Plain lines as blocks, blank lines marked so paragraph breaks survive."""
    return [Block(first_line + index, line, "text" if line.strip() else "blank") for index, line in enumerate(lines)]


def printed_date(text: str) -> tuple[tuple[str, str], ...]:
    """The year of the ISO date Manubot prints after the venue ("(2013-01-18)"), as a marked field: the
    tagger, trained on styles that print years alone, misses it in that layout."""
    found = _ISO_DATE_RE.search(text)
    return (("year", found.group(1)),) if found else ()
