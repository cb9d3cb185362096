"""Finding the reference section: a heading by one of its usual names (or the user's `--section`), in any
format's heading syntax or as a plain line such as "References:"; it runs to the next heading of the same or
a higher level, or to a back-matter heading such as "Appendix"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from refkit.documents.blocks import Block

REFERENCE_HEADINGS = frozenset({
    "references", "reference list", "list of references", "bibliography", "select bibliography",
    "selected bibliography", "works cited", "works consulted", "literature cited", "cited literature",
    "literature", "sources", "sources cited", "notes and references", "references and notes", "citations",
    "references cited", "bibliographic references", "bibliography and references", "literaturverzeichnis",
    "literatur", "références", "bibliographie", "referencias", "bibliografía", "riferimenti bibliografici",
    "riferimenti", "bibliografia", "referências", "referências bibliográficas", "referenties", "bibliografie",
})  # fmt: skip
NOTE_HEADINGS = frozenset({"notes", "endnotes", "end notes"})  # read only when no reference heading exists
BACK_MATTER_HEADINGS = frozenset({
    "appendix", "appendices", "acknowledgements", "acknowledgments", "acknowledgement", "acknowledgment",
    "supplementary material", "supplementary materials", "supporting information", "about the author",
    "about the authors", "author contributions", "funding", "conflicts of interest", "conflict of interest",
    "competing interests", "footnotes", "further reading", "see also", "external links", "index",
    "list of figures", "list of tables", "figures", "tables", "figure captions", "figure legends",
})  # fmt: skip

_DECORATION_RE = re.compile(r"^[\s#*_=\-:.>]*(?:(?:\d+|[ivxlc]+)[.)]?\s+)?|[\s#*_=\-:.]*$", re.IGNORECASE)
_MAX_HEADING_CHARS = 60


def heading_name(text: str) -> str:
    """A line's text as a heading name: markup, numbering ("7.", "VII") and a trailing colon removed."""
    if len(text) > _MAX_HEADING_CHARS:
        return ""
    return " ".join(_DECORATION_RE.sub("", text).split()).casefold()


@dataclass(frozen=True, slots=True)
class Split:
    """A document cut at its reference section (`heading` is None when there is none)."""

    body: list[Block]
    heading: Block | None
    section: list[Block]


def _is_reference_heading(block: Block, wanted: frozenset[str]) -> bool:
    return block.kind in ("heading", "text") and heading_name(block.text) in wanted


def _ends_section(block: Block, heading: Block) -> bool:
    """A back-matter heading, in any form, ends the section; so does a format heading at the level of the
    reference heading or above (any format heading, when the reference heading was a plain line)."""
    if block.kind not in ("heading", "text"):
        return False
    if heading_name(block.text) in BACK_MATTER_HEADINGS:
        return True
    return block.kind == "heading" and (heading.level == 0 or block.level <= heading.level)


def _last_heading(blocks: list[Block], wanted: frozenset[str]) -> int | None:
    return next(
        (index for index in range(len(blocks) - 1, -1, -1) if _is_reference_heading(blocks[index], wanted)), None
    )


def split_document(blocks: list[Block], section: str | None = None) -> Split:
    """Cut at the last heading named like a reference list (or named `section`; or, failing both, at a
    Notes heading) and find where the section ends."""
    start = _last_heading(blocks, frozenset({heading_name(section)}) if section else REFERENCE_HEADINGS)
    if start is None and not section:  # Chicago notes-bibliography documents may have only their notes
        start = _last_heading(blocks, NOTE_HEADINGS)
    if start is None:
        return Split(blocks, None, [])
    heading = blocks[start]
    end = next((index for index in range(start + 1, len(blocks)) if _ends_section(blocks[index], heading)), len(blocks))
    return Split(blocks[:start], heading, blocks[start + 1 : end])
