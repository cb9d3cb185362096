"""Cutting a document body into blocks (headings, paragraphs, list items, footnotes, boilerplate) and the
paragraphs and items into sentences, keeping offsets into the body so every sentence knows its line.

The splitter is a few rules rather than pysbd: scientific prose needs "et al.", "e.g.", "vs.", initials,
decimals and citation markers after the full stop ("…leukemia.[3] Next") handled, and these rules do that
while splitting thousands of sentences in milliseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping

from refkit.claims.markers import FOOTNOTE_DEFINITION_RE, NUMBER_MARKER
from refkit.claims.model import Block, BlockKind
from refkit.documents.latex import SECTION_RE
from refkit.documents.plain import ATX_HEADING_RE

_ABBREVIATION_LIST = """
al approx ca cf cit dept dr ed eds eg esp et etc fig figs eq eqs ie inc incl jr ltd mr mrs ms no nos nr
op pp prof ref refs resp sr st suppl tab vol vols vs viz jan feb mar apr jun jul aug sep sept oct nov dec
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())

_BOUNDARY_RE = re.compile(rf"(?<![.!?…])([.!?…]+)[\"'”’)\]]*(?:\s?(?:{NUMBER_MARKER}))*(?=\s+[\"“‘'(\[]?[A-Z0-9À-Þ])")
_TRAILING_MARKERS_RE = re.compile(rf"(?:\s?(?:{NUMBER_MARKER}))+$")
_TOKEN_BEFORE_RE = re.compile(r"(\S+)$")
_ABBREVIATION_REACH = 40  # how far back from a full stop its word is looked for; abbreviations are short
_ITEM_RE = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*•+–])[ \t]+")
_LATEX_ONLY_RE = re.compile(r"^\s*(?:%.*|\\[A-Za-z]+\*?(?:\[[^\]]*\])?(?:\{[^{}]*\})*\s*)$")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
_URL_RE = re.compile(r"https?://|www\.")
_DATE_ONLY_RE = re.compile(r"^[\d\s:/.,T-]+$")
_BOILERPLATE_RE = re.compile(
    r"\b(?:contact|e-?mail|copyright|all rights reserved|subscribe|newsletter|click here|follow us|share this"
    r"|read more|phone|tel|whatsapp)\b|©",
    re.IGNORECASE,
)


def line_index(body: str, first_line: int = 1, lines: tuple[int, ...] = ()) -> Callable[[int], int]:
    """A function from body offset to 1-based file line; `lines`, when given, is the file line of each body
    line (readers that drop markup lines make the body's lines non-contiguous)."""
    newlines = [index for index, char in enumerate(body) if char == "\n"]
    if lines:
        return lambda offset: lines[min(bisect_right(newlines, offset - 1), len(lines) - 1)]
    return lambda offset: first_line + bisect_right(newlines, offset - 1)


def split_blocks(body: str, line_of: Callable[[int], int], starts: Mapping[int, str] | None = None) -> list[Block]:
    """Group the body's lines into blocks: the blocks the format delimits (`starts`: body line → "heading",
    "item" or "paragraph") begin where it says; elsewhere blank lines end paragraphs, headings stand alone,
    and list items and footnotes start a block of their own that their continuation lines join."""
    starts = starts or {}
    blocks: list[Block] = []
    current: list = []  # [kind, start, end, lines] of the block being built

    def close() -> None:
        if current:
            kind, start, end, lines = current
            text = body[start:end]
            if kind == "paragraph":
                kind = _paragraph_kind(text, lines)
            blocks.append(Block(len(blocks), kind, start, end, line_of(start), text))
            current.clear()

    offset = 0
    for number, line in enumerate(body.splitlines(keepends=True)):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        text = body[start:end]
        given = starts.get(number)
        kind: BlockKind | None = None if not text.strip() else _line_kind(text)
        if kind and given in ("heading", "item"):
            kind = "heading" if given == "heading" else "item"
        if kind is None or given or kind in ("heading", "boilerplate", "item", "footnote"):
            close()
        if kind in ("heading", "boilerplate"):
            blocks.append(Block(len(blocks), kind, start, end, line_of(start), text))
        elif kind in ("item", "footnote", "paragraph") and not current:
            current.extend([kind, start, end, 1])
        elif kind == "paragraph":
            current[2], current[3] = end, current[3] + 1
    close()
    return blocks


def _line_kind(line: str) -> BlockKind:
    if ATX_HEADING_RE.match(line) or SECTION_RE.match(line.lstrip()):
        return "heading"
    if FOOTNOTE_DEFINITION_RE.match(line):
        return "footnote"
    if _LATEX_ONLY_RE.match(line):
        return "boilerplate"
    if _ITEM_RE.match(line):
        return "item"
    return "paragraph"


def _paragraph_kind(text: str, lines: int) -> BlockKind:
    flat = " ".join(text.split())
    if (
        _DATE_ONLY_RE.match(flat)
        or ((_EMAIL_RE.search(flat) or _URL_RE.search(flat)) and _BOILERPLATE_RE.search(flat))
        or re.search(r"©|copyright", flat, re.I)
    ):
        return "boilerplate"
    if lines == 1 and _looks_like_heading(flat):
        return "heading"
    return "paragraph"


def _looks_like_heading(line: str) -> bool:
    """A short line without a full stop, in title case when it ends with a colon or question mark."""
    words = line.split()
    last = (_TRAILING_MARKERS_RE.sub("", line[-40:]) or line)[-1]  # "…by 40%.[1]" ends with its full stop
    if len(words) > 15 or last in ".!,;…":
        return False
    if last not in ":?":
        return True
    long_words = [word for word in words if len(word.strip("():")) > 3]
    capitalised = sum(1 for word in long_words if word.strip("(")[:1].isupper())
    return bool(long_words) and capitalised >= 0.6 * len(long_words)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph, shifted by `offset`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if match.group(1) == "." and _is_abbreviation(
            text[max(start, match.start(1) - _ABBREVIATION_REACH) : match.start(1)]
        ):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        chunk = text[begin:end]
        stripped_start = begin + len(chunk) - len(chunk.lstrip())
        stripped_end = begin + len(chunk.rstrip())
        if stripped_end > stripped_start:
            result.append((offset + stripped_start, offset + stripped_end))
    return result


def _is_abbreviation(before: str) -> bool:
    """Whether the word before a full stop is an abbreviation or an initial, not the end of a sentence."""
    match = _TOKEN_BEFORE_RE.search(before)
    if not match:
        return False
    token = match.group(1).lstrip("([\"'“‘")
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "B. J. Druker"
    if "." in token and all(len(part) <= 2 for part in token.split(".")):
        return True  # "e.g", "i.e", "U.S"
    return token.lower() in ABBREVIATIONS


def item_text_start(text: str) -> int:
    """Where a list item's text starts after its bullet or number."""
    match = _ITEM_RE.match(text)
    return match.end() if match else 0
