"""Plain text and Markdown: one block per line, with ATX (`## X`) and setext (`X` over `===`) headings.

Markdown's inline markup is taken out of reference-section lines (`markdown_inline`), where APA's italics
are usually written as `*Journal*, *355*(23)`; the body keeps its text as written.
"""

from __future__ import annotations

import re

from refkit.documents.blocks import Block, text_blocks

ATX_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")  # "## Methods ##": level, text
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE_RE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\s]{0,2000}(?:\s+\"[^\"]{0,200}\")?\)")
_LINK_RE = re.compile(r"\[([^\]\n]{0,500})\]\(<?([^)\s>]{0,2000})>?(?:\s+\"[^\"]{0,200}\")?\)")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]{1,2000})>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]{1,2000}?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])(\*|_)(?=\S)([^*_\n]{1,2000}?)(?<=\S)\1(?![\w*])")
_CODE_RE = re.compile(r"`([^`\n]{1,2000})`")


def _link(match: re.Match[str]) -> str:
    text, target = match.group(1).strip(), match.group(2)
    return target if not text or text == target else f"{text} {target}"


def markdown_inline(line: str) -> str:
    """A Markdown line as plain text: links keep their text and address, emphasis and code marks go."""
    if not any(mark in line for mark in "*_`[<"):
        return line
    line = _IMAGE_RE.sub(r"\1", line)
    line = _LINK_RE.sub(_link, line)
    line = _AUTOLINK_RE.sub(r"\1", line)
    line = _CODE_RE.sub(r"\1", line)
    line = _STRONG_RE.sub(r"\2", line)
    return _EMPHASIS_RE.sub(r"\2", line)


def plain_blocks(text: str) -> list[Block]:
    """Lines of a .txt or .md file; Markdown headings become heading blocks, their underline a blank."""
    blocks = text_blocks(text.splitlines())
    for index, block in enumerate(blocks):
        atx = ATX_HEADING_RE.match(block.text)
        if atx:
            blocks[index] = Block(block.line, atx.group(2), "heading", len(atx.group(1)))
            continue
        setext = _SETEXT_RE.match(block.text)
        previous = blocks[index - 1] if index else None
        if setext and previous is not None and previous.kind == "text" and len(previous.text) < 120:
            blocks[index - 1] = Block(
                previous.line, previous.text.strip(), "heading", 1 if setext.group(1)[0] == "=" else 2
            )
            blocks[index] = Block(block.line, "", "blank")
    return blocks
