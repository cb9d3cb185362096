"""LaTeX: sectioning commands become headings, `thebibliography` a reference section of `\\bibitem`s.

Nothing is expanded or run: comments are dropped, `\\cite{a,b}` is written as the marker `[a, b]` so the
body keeps its citation points (`\\nocite` cites nothing in the text and is dropped), and the rest goes
through the bibliography-grade decoder in refkit.text.
"""

from __future__ import annotations

import re

from refkit.documents.blocks import Block
from refkit.text import latex_to_unicode

_COMMENT_RE = re.compile(r"(?<!\\)%.*")
SECTION_RE = re.compile(
    r"\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]*\])?"
    r"\s*\{([^{}]*)\}"
)  # "\section*[short]{Title}": command, title
_LEVELS = {"part": 1, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}
# \cite, \citep[p.~3]{a}, \parencite*, \textcite…: group 1 holds the keys. Shared with the marker finder of
# `refkit map`, which reads raw LaTeX in documents that are not .tex (pandoc Markdown allows it).
CITE_RE = re.compile(r"\\(?!nocite)[A-Za-z]*cite[A-Za-z]*\*?(?:\s*\[[^\]]*\]){0,2}\s*\{([^{}]*)\}")
_BEGIN_BIB_RE = re.compile(r"\\begin\s*\{thebibliography\}(?:\s*\{[^{}]*\})?")
_END_BIB_RE = re.compile(r"\\end\s*\{thebibliography\}")
_BIBITEM_RE = re.compile(r"\\bibitem\s*(?:\[[^\]]*\])?\s*(?:\{([^{}]*)\})?")  # group 1: the key
_FONT_SWITCH_RE = re.compile(
    r"\\(?:em|it|bf|sc|rm|tt|sl|sf|upshape|itshape|bfseries|scshape|normalfont|"
    r"newblock|small|footnotesize|relax|unskip)(?![A-Za-z])\s*"
)
_DROP_RE = re.compile(
    r"\\(?:label|ref|eqref|pageref|vspace|hspace|input|include|usepackage|documentclass|nocite)"
    r"\*?(?:\[[^\]]*\])?\s*\{[^{}]*\}"
)
_HREF_RE = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_BEGIN_END_RE = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}(?:\s*\[[^\]]*\])?")


def cite_keys(cite: re.Match[str]) -> list[str]:
    """The keys of one CITE_RE match, in order, blanks left out ("\\cite{a, b,}" cites a and b)."""
    return [key.strip() for key in cite.group(1).split(",") if key.strip()]


def decode_line(line: str) -> str:
    """One line of LaTeX source as readable text."""
    line = _HREF_RE.sub(r"\2 \1", line)
    line = CITE_RE.sub(lambda cite: "[" + ", ".join(cite_keys(cite)) + "]", line)
    line = _DROP_RE.sub("", line)
    line = _BEGIN_END_RE.sub("", line)
    line = _FONT_SWITCH_RE.sub("", line)
    return latex_to_unicode(line) if line.strip() else ""


def latex_blocks(text: str) -> list[Block]:
    """Headings from sectioning commands; each `\\bibitem` (with its continuation lines) as one item."""
    blocks: list[Block] = []
    in_bibliography = False
    item: list[str] = []
    item_line, item_key = 0, ""  # the line and key of the \bibitem being read; line 0 before the first one

    def flush_item() -> None:
        if item:
            blocks.append(Block(item_line, decode_line(" ".join(item)), "item", key=item_key))
            item.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT_RE.sub("", raw)
        if _BEGIN_BIB_RE.search(line):
            in_bibliography = True
            blocks.append(Block(number, "References", "heading", 2))
            line = _BEGIN_BIB_RE.sub("", line)
        if in_bibliography:
            end = _END_BIB_RE.search(line)
            pieces = _BIBITEM_RE.split(line[: end.start()] if end else line)  # text, then key and text per item
            for index in range(0, len(pieces), 2):
                if index:
                    flush_item()
                    item_line, item_key = number, (pieces[index - 1] or "").strip()
                if pieces[index].strip() and item_line:  # the text may start on the line after its \bibitem
                    item.append(pieces[index].strip())
            if end:
                flush_item()
                in_bibliography, item_line = False, 0
            continue
        section = SECTION_RE.search(line)
        if section:
            blocks.append(Block(number, latex_to_unicode(section.group(2)), "heading", _LEVELS[section.group(1)]))
            continue
        decoded = decode_line(line)
        blocks.append(Block(number, decoded, "text" if decoded else "blank"))
    flush_item()
    return blocks
