"""Cutting a reference section into one string per reference.

The layouts recognised, in order: items the format delimits itself (`<li>`, `\\bibitem`, Word lists);
numbered (`1.`, `[1]`, `1)`, `(1)`, or bare numbers that count up) or bulleted lines, each starting an item
that runs until the next marker; paragraphs separated by blank lines; hanging indents (an item's later lines
are indented) or first-line indents (its first line is: PDFs set so); else one item a line. A single line
holding a whole numbered list (`[1] … [2] …`) is cut at its markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refkit.documents.blocks import Block

_MARKER_RE = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,3})[.)]|[-*•‣▪◦+–·])\s+")
# One kind of marker per list: in a "[12]" list, a wrapped line that starts "- A Julia interface" or "2019."
# goes on the item before it.
_MARKER_KINDS = (
    re.compile(r"^\s*\[(\d{1,4})\]\s+"),
    re.compile(r"^\s*\((\d{1,4})\)\s+"),
    re.compile(r"^\s*(\d{1,3})[.)]\s+"),
    re.compile(r"^\s*()[-*•‣▪◦+–·]\s+"),
)
_BARE_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_INLINE_MARKER_RE = re.compile(r"(?:^|\s)\[(\d{1,4})\]\s")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Item:
    """One reference string, where it starts in the source, its list number if it had one, and its own
    citation key if the format gives one (LaTeX `\\bibitem{key}`)."""

    line: int
    text: str
    label: str = ""
    key: str = ""
    fields: tuple[tuple[str, str], ...] = ()  # what the format marked (see Block.fields)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _join(lines: list[str]) -> str:
    """Wrapped lines → one string; a line ending in a hyphen is joined without a space (URLs, compounds)."""
    text = ""
    for line in lines:
        line = line.strip()
        if text.endswith("-") and line[:1].isalnum():
            text += line
        else:
            text = f"{text} {line}" if text else line
    return _SPACES_RE.sub(" ", text)


def _strip_marker(text: str, marker: re.Pattern[str] = _MARKER_RE) -> tuple[str, str]:
    match = marker.match(text)
    if not match:
        return text.strip(), ""
    return text[match.end() :].strip(), next((group for group in match.groups() if group), "")


def _split_inline(item: Item) -> list[Item]:
    """`[1] A … [2] B … [3] C` on one line → three items, when the bracketed numbers run in sequence."""
    markers = list(_INLINE_MARKER_RE.finditer(item.text))
    if len(markers) < 2:
        return [item]
    cuts = [markers[0]]
    for marker in markers[1:]:
        if int(marker.group(1)) == int(cuts[-1].group(1)) + 1:
            cuts.append(marker)
    if len(cuts) < 2:
        return [item]
    pieces = []
    for index, marker in enumerate(cuts):
        end = cuts[index + 1].start() if index + 1 < len(cuts) else len(item.text)
        text = item.text[marker.end() : end].strip()
        if text:
            pieces.append(Item(item.line, text, marker.group(1)))
    head = item.text[: cuts[0].start()].strip()
    return ([Item(item.line, head, item.label, item.key)] if head else []) + pieces


def _by_markers(blocks: list[Block], marker: re.Pattern[str] = _MARKER_RE) -> list[Item]:
    items: list[Item] = []
    current: list[str] = []
    start, label = 0, ""
    for block in blocks:
        if block.kind == "blank":
            continue
        if marker.match(block.text):
            if current:
                items.append(Item(start, _join(current), label))
            text, label = _strip_marker(block.text, marker)
            current, start = [text], block.line
        elif current:
            current.append(block.text)
    if current:
        items.append(Item(start, _join(current), label))
    return items


def _paragraphs(blocks: list[Block]) -> list[list[Block]]:
    groups: list[list[Block]] = [[]]
    for block in blocks:
        if block.kind == "blank":
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(block)
    return [group for group in groups if group]


def _by_indent(paragraph: list[Block], *, first_line: bool) -> list[Item]:
    """Items by their indents: hanging (an item starts at each line as far left as the paragraph's least
    indented one) or, with `first_line`, first-line indents (each line indented past it starts one: a PDF
    set that way)."""
    base = min(_indent(block.text) for block in paragraph)
    items: list[Item] = []
    for block in paragraph:
        if (_indent(block.text) > base) == first_line or not items:
            items.append(Item(block.line, block.text))
        else:
            items[-1] = Item(items[-1].line, _join([items[-1].text, block.text]))
    return [Item(item.line, _join([item.text])) for item in items]


def _by_layout(blocks: list[Block]) -> list[Item]:
    paragraphs = _paragraphs(blocks)
    items: list[Item] = []
    for paragraph in paragraphs:
        base = _indent(paragraph[0].text)
        if len(paragraph) > 1 and base > min(_indent(block.text) for block in paragraph[1:]):
            items.extend(_by_indent(paragraph, first_line=True))
        elif any(_indent(block.text) > base for block in paragraph[1:]):
            items.extend(_by_indent(paragraph, first_line=False))
        elif len(paragraphs) > 1:
            items.append(Item(paragraph[0].line, _join([block.text for block in paragraph])))
        else:
            items.extend(Item(block.line, _join([block.text])) for block in paragraph)
    return items


def _counts_up(lines: list[str]) -> bool:
    """Lines that start with bare numbers ("1 Smith J…") are a numbered list only if the numbers run 1, 2, 3…
    without a gap: a wrapped line that starts with a number ("12, 345-350.") breaks the run."""
    numbers = [int(found.group(1)) for line in lines if (found := _BARE_NUMBER_RE.match(line))]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def split_items(blocks: list[Block]) -> list[Item]:
    """The reference strings of a section, list markers removed (kept as `label`)."""
    delimited = [block for block in blocks if block.kind == "item"]
    if delimited:
        items = []
        for block in delimited:
            text, label = _strip_marker(block.text)
            items.append(Item(block.line, _join([text]), label, block.key, block.fields))
    else:
        lines = [block for block in blocks if block.kind in ("text", "blank")]
        counts = [sum(1 for block in lines if kind.match(block.text)) for kind in _MARKER_KINDS]
        if max(counts) >= 2:
            items = _by_markers(lines, _MARKER_KINDS[counts.index(max(counts))])
        elif _counts_up([block.text for block in lines]):
            items = _by_markers(lines, _BARE_NUMBER_RE)
        else:
            items = _by_layout(lines)
    return [piece for item in items for piece in _split_inline(item) if piece.text]
