"""Plain text and Markdown: one block per line, with ATX (`## X`) and setext (`X` over `===`) headings.

Markdown's inline markup is taken out of reference-section lines (`markdown_inline`), where APA's italics
are usually written as `*Journal*, *355*(23)`; the body keeps its text as written. In Markdown (and pandoc's
R Markdown and Quarto), what is not prose is blanked, lines kept: the YAML front matter, fenced code and
R/Quarto chunks (```` ``` ````, ```` ```{r} ````, `~~~`), pandoc div fences (`::: {#refs}`) and raw HTML
block tags (`<div id="refs">`); heading attributes (`# References {.unnumbered}`) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from refkit.documents.blocks import Block, text_blocks

ATX_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")  # "## Methods ##": level, text
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE_RE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\s]{0,2000}(?:\s+\"[^\"]{0,200}\")?\)")
_LINK_RE = re.compile(r"\[([^\]\n]{0,500})\]\(<?([^)\s>]{0,2000})>?(?:\s+\"[^\"]{0,200}\")?\)")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]{1,2000})>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]{1,2000}?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])(\*|_)(?=\S)([^*_\n]{1,2000}?)(?<=\S)\1(?![\w*])")
_CODE_RE = re.compile(r"`([^`\n]{1,2000})`")
_TAG_RE = re.compile(r"</?[A-Za-z][\w-]{0,20}(?:\s[^<>\n]{0,500})?/?>")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV_FENCE_RE = re.compile(r"^ {0,3}:{3,}")
_HTML_BLOCK_RE = re.compile(r"^\s*</?(?:div|span|section|p|br|hr|center|table|figure)\b[^>]*>\s*$", re.IGNORECASE)
_ATTRIBUTES_RE = re.compile(r"\s*\{[#.][^{}]*\}\s*$|\s*\{-\}\s*$")  # "References {#refs .unnumbered}"
_FRONT_MATTER_END = ("---", "...")


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
    line = _TAG_RE.sub("", line)
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


def _not_prose(lines: list[str]) -> set[int]:
    """The indexes of Markdown lines that are not prose: front matter, code, div fences, HTML block tags."""
    hidden: set[int] = set()
    if lines and lines[0].strip() == "---":
        end = next((index for index in range(1, len(lines)) if lines[index].strip() in _FRONT_MATTER_END), None)
        if end is not None:
            hidden.update(range(end + 1))
    fence = ""
    for index, line in enumerate(lines):
        if index in hidden:
            continue
        opening = _FENCE_RE.match(line)
        if fence:
            hidden.add(index)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
            hidden.add(index)
        elif _DIV_FENCE_RE.match(line) or _HTML_BLOCK_RE.match(line):
            hidden.add(index)
    return hidden


def markdown_blocks(text: str) -> list[Block]:
    """Lines of a Markdown, R Markdown or Quarto file: non-prose lines blank, heading attributes dropped."""
    lines = text.splitlines()
    hidden = _not_prose(lines)
    blocks = plain_blocks("\n".join("" if index in hidden else line for index, line in enumerate(lines)))
    return [
        replace(block, text=_ATTRIBUTES_RE.sub("", block.text)) if block.kind == "heading" else block
        for block in blocks
    ]
