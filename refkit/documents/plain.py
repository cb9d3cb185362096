"""Plain text and Markdown: one block per line, with ATX (`## X`) and setext (`X` over `===`) headings."""

from __future__ import annotations

import re

from refkit.documents.blocks import Block, text_blocks

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def plain_blocks(text: str) -> list[Block]:
    """Lines of a .txt or .md file; Markdown headings become heading blocks, their underline a blank."""
    blocks = text_blocks(text.splitlines())
    for index, block in enumerate(blocks):
        atx = _ATX_RE.match(block.text)
        if atx:
            blocks[index] = Block(block.line, atx.group(2), "heading", len(atx.group(1)))
            continue
        setext = _SETEXT_RE.match(block.text)
        previous = blocks[index - 1] if index else None
        if setext and previous is not None and previous.kind == "text" and len(previous.text) < 120:
            blocks[index - 1] = Block(previous.line, previous.text.strip(), "heading",
                                      1 if setext.group(1)[0] == "=" else 2)
            blocks[index] = Block(block.line, "", "blank")
    return blocks
