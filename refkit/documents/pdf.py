"""PDF: the text layer read character by character with pdfium (pypdfium2), laid out again as lines.

pdfium gives each character's code, box, baseline and font; everything else is rebuilt from geometry:
lines (a run of characters on one baseline, cut at wide gaps), columns (a page whose lines sit in two halves
is read left column then right, full-width lines between bands), blocks (a vertical gap wider than the
line spacing is a blank line), headings (larger than the body text, or all bold), superscripts (a raised,
smaller run: written as Unicode superscript digits, which `map` reads as citation markers), footnotes (a
small line at a page's foot after a raised number: the number comes off the text, the note is read first on
its page). Running headers and footers (the same text at the same height on several pages), page numbers and
margin line numbers (on either side, also where read into a line) are dropped; TeX's separately drawn accents
are put back on their letters, ligatures and compatibility forms normalised (NFKC), and words hyphenated at a
line end joined again.

A block's "line" is its line in the text read out (1-based); `PdfText.pages` gives the page of each line.
pdfium runs no JavaScript (that needs a form environment, which is never created), and a page limit, a time
limit and pdfium's own guards on object nesting bound what a hostile file can cost.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import re
import statistics
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from refkit.documents.blocks import Block
from refkit.documents.sections import REFERENCE_HEADINGS, heading_name
from refkit.errors import RefkitError

MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000  # a long thesis has 300; a PDF of more is not one manuscript
MAX_SECONDS = 120.0  # the whole read; ~50 pages a second is usual
MAX_CHARS_PER_PAGE = 200_000  # a page of 6-point text holds ~20,000

_SPACING_ACCENTS = {
    "´": "\u0301", "ˊ": "\u0301", "`": "\u0300", "ˋ": "\u0300", "¨": "\u0308", "ˆ": "\u0302", "^": "\u0302",
    "˜": "\u0303", "~": "\u0303", "¸": "\u0327", "ˇ": "\u030c", "˘": "\u0306", "¯": "\u0304", "ˉ": "\u0304",
    "˙": "\u0307", "˚": "\u030a", "˝": "\u030b", "˛": "\u0328",
}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|cmbx|cmb\d|-bx|\.b$|medi", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")
_FIRST_ITEM_RE = re.compile(r"^\s*\[1\]\s")
_HYPHENS = ("-", "\x02", "\u00ad")
# A capitalised word of letters ("Peter", "GHC"): after an address at a line's end it starts the next item,
# where an address cut at the column's edge goes on with its path ("BALL-Project/", "10.1007/", "les/")
_NAME_WORD_RE = re.compile(r"^[A-Z][^\W\d_]*[,.]?$")
_ADDRESS_RE = re.compile(r"://|^(?:https?:|www\.|doi:|10\.\d{4,}/)|doi\.org/|\.(?:org|com|net|edu)/", re.IGNORECASE)


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    bold: bool
    spaced: bool = False  # pdfium put a space (or a line end) before it


@dataclass(slots=True)
class _Line:
    page: int
    chars: list[_Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    size: float = 0.0
    bold: bool = False
    order: int = 0  # position in the page's content stream
    indent: float = 0.0  # from the left edge of its column, in points
    full: bool = False  # reaches the right edge of its column (a word cut there may go on below)
    footnote: bool = False  # part of a footnote at the foot of its page or column


@dataclass(frozen=True, slots=True)
class PdfText:
    """The blocks a PDF reads as, and the page (1-based) of each line."""

    blocks: list[Block]
    pages: tuple[int, ...] = field(default=())


def _open(path: str | Path) -> Any:
    import pypdfium2 as pdfium

    size = Path(path).stat().st_size
    if size > MAX_PDF_BYTES:
        raise RefkitError(
            f"{path}: {size // (1024 * 1024)} MB is larger than the {MAX_PDF_BYTES >> 20} MB a PDF may have"
        )
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise RefkitError(f"{path}: not a PDF (no %PDF- header)")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        reason = str(error).lower()
        if "password" in reason:
            raise RefkitError(f"{path}: the PDF is encrypted (password required); decrypt it first") from None
        raise RefkitError(f"{path}: damaged PDF, pdfium cannot read it ({error})") from None


def _page_codes(textpage: object, count: int) -> list[int]:
    """The character codes of a page in one call (one per character, surrogate pairs aside)."""
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[: max(written - 1, 0) * 2]
    if len(units) == 2 * count:
        codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
        codes = [2 if code == 0xFFFE else code for code in codes]  # GetText writes pdfium's soft hyphen so
        if not any(0xD800 <= code <= 0xDFFF for code in codes):
            return codes
    return [raw.FPDFText_GetUnicode(textpage, index) for index in range(count)]


@functools.cache
def _text_object_address() -> Any:
    """FPDFText_GetTextObject returning the object's address as an int (cheap to compare and to hash),
    bound anew so pypdfium2's own prototype is left as it is."""
    import pypdfium2.raw as raw

    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, raw.FPDFText_GetTextObject.argtypes[0], ctypes.c_int)
    return prototype(ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value or 0)


def _page_chars(textpage: object) -> list[_Char]:
    """Every drawn character of a page, in content-stream order; pdfium's own spaces and line ends are
    left out (spaces are put back from the gaps). Size and weight are read once per text object."""
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(textpage)
    if count > MAX_CHARS_PER_PAGE:
        raise RefkitError(f"a page holds {count} characters, more than the {MAX_CHARS_PER_PAGE} a page may have")
    box = raw.FS_RECTF()
    fonts: dict[int, tuple[float, bool]] = {}
    name_buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    chars: list[_Char] = []
    spaced = False
    text_object = _text_object_address()
    for index, code in enumerate(_page_codes(textpage, count)):
        if code in (0x20, 0x0D, 0x0A, 0xA0):
            spaced = True
            continue
        if code in (0xFFFF, 0) or (code < 0x20 and code != 2):
            continue
        address = text_object(textpage, index) or 0
        font = fonts.get(address)
        if font is None:
            length = raw.FPDFText_GetFontInfo(textpage, index, name_buffer, 256, ctypes.byref(flags))
            name = name_buffer.raw[: max(length - 1, 0)].split(b"\0")[0].decode("latin-1", "replace").split("+")[-1]
            bold = raw.FPDFText_GetFontWeight(textpage, index) >= 600 or bool(_BOLD_FONT_RE.search(name))
            font = fonts[address] = (raw.FPDFText_GetFontSize(textpage, index) or 1.0, bold)
        raw.FPDFText_GetLooseCharBox(textpage, index, box)
        text = chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        x0, x1 = min(box.left, box.right), max(box.left, box.right, box.left + 0.05)
        chars.append(_Char(text, x0, x1, min(box.bottom, box.top), font[0], font[1], spaced))
        spaced = False
    return chars


def _continues(last: _Char, base: _Char, char: _Char, middle: float) -> bool:
    """Whether a character (next in the content stream) belongs to the line being built, whose last
    character is `last` and whose largest is `base`; a gap across the middle of the page may be the gutter
    between two columns (`_Line.cut`)."""
    size = max(last.size, char.size)
    gap = char.x0 - last.x1
    if char.x0 < last.x0 - 0.5 * size or gap > 1.2 * size or (gap > 0.6 * size and last.x1 < middle <= char.x0):
        return False
    return base.y - 0.45 * base.size <= char.y <= base.y + 0.6 * base.size


def _placed_back(run: list[_Char], base: _Char, accent: _Char) -> bool:
    """Put an accent that pdfTeX drew once the line was done in front of the letter it sits over."""
    if not base.y - 0.45 * base.size <= accent.y <= base.y + 0.6 * base.size:
        return False
    centre = (accent.x0 + accent.x1) / 2
    for index, char in enumerate(run):
        if char.x0 - 0.5 <= centre <= char.x1 + 0.5 and char.text.isalpha():
            run.insert(index, accent)
            return True
    return False


def _recompose(chars: list[_Char]) -> list[_Char]:
    """TeX draws an accent as a glyph of its own over (or, for a cedilla, under) the letter: put it back
    on the letter it overlaps as a combining mark."""
    if not any(char.text in _SPACING_ACCENTS for char in chars):
        return chars
    out: list[_Char] = []
    pending = ""
    for index, char in enumerate(chars):
        if char.text in _SPACING_ACCENTS and len(chars) > 1:
            centre = (char.x0 + char.x1) / 2
            following = chars[index + 1] if index + 1 < len(chars) else None
            if following is not None and following.x0 - 0.5 <= centre <= following.x1 + 0.5:
                pending += _SPACING_ACCENTS[char.text]
                continue
            if out and out[-1].x0 - 0.5 <= centre <= out[-1].x1 + 0.5:
                out[-1].text += _SPACING_ACCENTS[char.text]
                continue
        if pending:
            char.text += pending
            pending = ""
        out.append(char)
    return out


def _line_text(chars: list[_Char], size: float, baseline: float) -> str:
    """A line's characters as text: spaces where the gap is wider than a thin space, a raised smaller run
    of digits as Unicode superscripts, ligatures and compatibility forms normalised."""
    parts: list[str] = []
    previous: _Char | None = None
    was_raised = False
    for char in chars:
        raised = char.size < 0.9 * size and char.y > baseline + 0.15 * size
        text = char.text
        if text != "\x02":
            text = unicodedata.normalize("NFKC", text) if not unicodedata.combining(text[-1]) else text
        if raised and text.isdigit():
            text = text.translate(_SUPERSCRIPTS)
        if previous is not None:
            gap = char.x0 - previous.x1
            # pdfium spaces a superscript off the word it belongs to, its "1,2" apart and the full stop after
            # it off it: there only the gap counts
            if raised or was_raised:
                spaced = gap > 0.25 * size
            else:
                spaced = char.spaced or gap > 0.3 * min(previous.size, char.size)
            if spaced:
                parts.append(" ")
        parts.append(text)
        previous, was_raised = char, raised
    return unicodedata.normalize("NFC", "".join(parts)).strip()


def _page_lines(chars: list[_Char], page: int, middle: float) -> list[_Line]:
    runs: list[list[_Char]] = []
    base = chars[0] if chars else None
    for char in chars:
        if runs and base is not None and _continues(runs[-1][-1], base, char, middle):
            runs[-1].append(char)
            base = char if char.size > base.size else base
        elif runs and base is not None and char.text in _SPACING_ACCENTS and _placed_back(runs[-1], base, char):
            continue  # an accent drawn after the rest of its line, back over its letter
        else:
            runs.append([char])
            base = char
    lines = []
    for order, run in enumerate(runs):
        run = _recompose(run)
        base = max(run, key=lambda c: c.size)
        normal = [c for c in run if c.size >= 0.9 * base.size] or run
        text = _line_text(run, base.size, base.y)
        if not text:
            continue
        bold = sum(c.bold for c in normal if not c.text.isspace()) >= 0.9 * len(normal)
        lines.append(
            _Line(page, run, text, min(c.x0 for c in run), max(c.x1 for c in run), base.y, base.size, bold, order)
        )
    return lines


def _is_two_columns(lines: list[_Line], middle: float) -> bool:
    """Two columns: lines on both sides of the middle, few across it (a last page's right column may be
    short; a one-column page has most of its lines across the middle)."""
    left = sum(1 for line in lines if line.x1 < middle + 2)
    right = sum(1 for line in lines if line.x0 > middle - 2)
    across = len(lines) - left - right
    return left >= 5 and right >= max(5, 0.1 * len(lines)) and across <= 0.4 * len(lines)


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """A page's lines top to bottom; on a two-column page, each band between full-width lines is read
    left column first, then right."""
    if not lines:
        return []
    middle = (min(line.x0 for line in lines) + max(line.x1 for line in lines)) / 2
    by_height = sorted(lines, key=lambda line: (-round(line.y, 0), line.x0))
    if not _is_two_columns(lines, middle):
        by_height = _rejoined(by_height)
        _set_indents(by_height)
        return by_height
    ordered: list[_Line] = []
    band: list[_Line] = []

    def flush() -> None:
        left = _rejoined([line for line in band if line.x1 < middle + 2])
        right = _rejoined([line for line in band if line.x1 >= middle + 2])
        _set_indents(left)
        _set_indents(right)
        ordered.extend(left + right)
        band.clear()

    for line in by_height:
        if line.x0 < middle - 2 and line.x1 > middle + 2:
            flush()
            _set_indents([line])
            ordered.append(line)
        else:
            band.append(line)
    flush()
    return ordered


def _rejoined(lines: list[_Line]) -> list[_Line]:
    """The pieces of a line cut at a wide gap in the middle of a one-column page, or where something else
    (a margin line number) was drawn between them, are one line again."""
    out: list[_Line] = []
    for line in lines:
        previous = out[-1] if out else None
        same_height = previous is not None and abs(previous.y - line.y) < 0.2 * line.size
        if previous is not None and same_height and 0 < line.x0 - previous.x1 < 2 * line.size:
            previous.chars += line.chars
            previous.text = f"{previous.text} {line.text}"
            previous.x1 = line.x1
            previous.bold = previous.bold and line.bold
            continue
        out.append(line)
    return out


def _set_indents(column: list[_Line]) -> None:
    if column:
        left = min(line.x0 for line in column)
        right = max(line.x1 for line in column)
        for line in column:
            line.indent = line.x0 - left
            line.full = line.x1 >= right - line.size


def _margin_number(chars: list[_Char], size: float) -> int:
    """How many characters a line number standing apart at the start of `chars` takes (0 if none); the gap
    is measured in the number's size, as a small one beside a heading stands closer."""
    digits = 0
    while digits < len(chars) and chars[digits].text.isdigit():
        if digits and _gap(chars[digits - 1], chars[digits]) > 0.25 * size:
            break
        digits += 1
    if not 0 < digits < len(chars) or digits > 5:
        return 0
    return digits if _gap(chars[digits - 1], chars[digits]) >= 0.8 * min(size, chars[0].size) else 0


def _gap(one: _Char, other: _Char) -> float:
    """The space between two characters side by side, whichever comes first."""
    return max(other.x0 - one.x1, one.x0 - other.x1)


def _line_numbers(line: _Line) -> tuple[int, int]:
    """The characters a line number beside the line takes at its start and at its end. One at the end must
    be smaller than the text, as lineno sets it: a justified line can end in a number set apart too."""
    leading = _margin_number(line.chars, line.size)
    trailing = _margin_number(line.chars[::-1], line.size)
    if trailing and any(char.size >= 0.9 * line.size for char in line.chars[-trailing:]):
        trailing = 0
    return leading, trailing


def _strip_line_numbers(pages: list[list[_Line]]) -> None:
    """Margin line numbers (lineno, review modes) read into the line they stand beside: a number set apart
    by a wide gap, at either end of the line, comes off where many numbers (those read as lines of their
    own too) share its left or right edge (lineno aligns them right)."""
    numbered = [(line, counts) for lines in pages for line in lines if any(counts := _line_numbers(line))]
    alone = [line.chars for lines in pages for line in lines if line.text.isdigit() and len(line.text) <= 5]
    runs = [(line.chars[:leading], line.chars[len(line.chars) - trailing :]) for line, (leading, trailing) in numbered]
    edges = Counter(edge for run in alone + [r for pair in runs for r in pair if r] for edge in _edges(run))
    for (line, _), (start, end) in zip(numbered, runs, strict=True):
        keep = line.chars[len(start) if start and _in_margin(start, edges) else 0 :]
        keep = keep[: len(keep) - len(end)] if end and _in_margin(end, edges) else keep
        if len(keep) < len(line.chars):
            line.chars = keep
            line.x0, line.x1 = keep[0].x0, max(char.x1 for char in keep)
            line.text = _line_text(keep, line.size, line.y)


def _edges(run: list[_Char]) -> set[int]:
    return {round(run[0].x0 / 2), round(run[-1].x1 / 2)}


def _in_margin(run: list[_Char], edges: Counter[int]) -> bool:
    return any(edges[edge] >= 8 for edge in _edges(run))


def _raised(char: _Char, line: _Line) -> bool:
    return char.size < 0.9 * line.size and char.y > line.y + 0.15 * line.size


def _raised_runs(line: _Line) -> list[tuple[int, int]]:
    """Where the runs of raised digits of a line start and end (superscript numbers)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, char in enumerate([*line.chars, None]):
        if char is not None and char.text.isdigit() and _raised(char, line):
            start = index if start is None else start
        elif start is not None:
            runs.append((start, index))
            start = None
    return runs


MAX_FOOTNOTES = 8  # more raised numbers than this at a page's foot are a list's labels (AIP), not footnotes


def _footnotes(lines: list[_Line], height: float) -> None:
    """A footnote's number is raised like a superscript citation: the numbers of the footnotes at a page's
    foot (a small raised number just left of a line smaller than the body text, in the page's lower part:
    affiliations numbered under the title are no footnotes) come off the page's text, so that `map` does
    not read them as citation markers, and the footnotes' lines are marked (read first, out of the way of
    a reference item or sentence that runs on across the page's columns)."""
    body = _body_size(lines)
    small = [line for line in lines if line.size < 0.95 * body and line.y < 0.4 * height]
    marks: list[tuple[_Line, _Line]] = []  # (number drawn apart, its note)
    for mark in lines:
        if mark.text.isdigit() and len(mark.text) <= 3 and mark.size < 0.9 * body:
            note = next(
                (
                    note
                    for note in small
                    if 0.15 * note.size < mark.y - note.y < 0.7 * note.size
                    and -0.5 <= note.x0 - mark.x1 < 0.5 * note.size
                ),
                None,
            )
            if note is not None:
                marks.append((mark, note))
    joined = [(note, runs[0][1]) for note in small if (runs := _raised_runs(note)) and runs[0][0] == 0]
    if not 0 < len(marks) + len(joined) <= MAX_FOOTNOTES:
        return
    numbers = {mark.text for mark, _ in marks} | {"".join(c.text for c in note.chars[:end]) for note, end in joined}
    notes = [note for _, note in marks] + [note for note, _ in joined]
    for mark, _ in marks:
        mark.text = ""
    for note, end in joined:
        _cut(note, 0, end)
    for line in lines:
        for start, end in reversed(_raised_runs(line)):
            if "".join(char.text for char in line.chars[start:end]) in numbers:
                _cut(line, start, end)
    for line in small:  # a note's lines: its size, from its first line down, in its column
        line.footnote = any(
            abs(line.size - note.size) < 0.5 and line.y <= note.y + 0.1 and line.x0 < note.x1 and line.x1 > note.x0
            for note in notes
        )
    lines[:] = [line for line in lines if line.text]


def _cut(line: _Line, start: int, end: int) -> None:
    if end - start < len(line.chars):
        line.chars = line.chars[:start] + line.chars[end:]
        line.x0, line.x1 = line.chars[0].x0, max(char.x1 for char in line.chars)
        line.text = _line_text(line.chars, line.size, line.y)


def _furniture(pages: list[list[_Line]], heights: list[float]) -> set[int]:
    """The ids of running headers and footers (the same text, numbers aside, at the same height on several
    pages), page numbers and margin line numbers."""
    keys = [[(_DIGITS_RE.sub("#", line.text.casefold()), round(line.y / 4)) for line in lines] for lines in pages]
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for number, page_keys in enumerate(keys):
        for key in page_keys:
            seen[key].add(number)
    repeated = max(2, round(0.3 * len(pages))) if len(pages) > 1 else 10**9
    dropped: set[int] = set()
    for number, lines in enumerate(pages):
        height = heights[number]
        for line, key in zip(lines, keys[number], strict=True):
            margin = line.y > 0.84 * height or line.y < 0.14 * height
            if (margin and len(seen[key]) >= repeated) or (margin and _PAGE_NUMBER_RE.match(line.text)):
                dropped.add(id(line))
            elif line.text.isdigit() and len(line.text) <= 4:
                dropped.add(id(line))  # line numbers (lineno, review mode), table cells: no prose
    return dropped


def _join_hyphenated(lines: list[_Line]) -> None:
    """ "trans-" + "formation of" → "transformation" + "of": the word's end moves up to the line it began
    on. A hyphen after a digit, inside an address (10.1000/ab-, https://x-) or in a compound that already
    has one (genotyping-by-) is kept; a page range cut at its dash ("1613–" + "1622.") and an address cut
    at the column edge or at a slash are joined without a space, unless a capitalised word follows (the next
    item's first author)."""
    for line, following in itertools.pairwise(lines):
        text = line.text
        if len(text) < 2 or not following.text:
            continue
        rest = following.text.split(" ", 1)
        word = text.rsplit(" ", 1)[-1]
        if text.endswith(_HYPHENS) and text[-2].isalpha():
            address = "/" in word or "." in word or any(c.isdigit() for c in word)
            compound = "-" in word[:-1]  # "genotyping-by-" + "sequencing": the hyphen is the word's own
            keep = address or compound or not rest[0][0].islower()
            line.text = text[:-1] + ("-" if keep else "") + rest[0]
        elif (text.endswith("–") and text[-2].isdigit() and rest[0][0].isdigit()) or (
            (line.full or word.endswith("/"))
            and _ADDRESS_RE.search(word)
            and not _NAME_WORD_RE.match(rest[0])
            and word[-1] not in ",;"
            and following.indent >= line.indent - 1
            and rest[0][0] not in "[("
        ):
            line.text = text + rest[0]
        else:
            continue
        following.text = rest[1] if len(rest) > 1 else ""
    for line in lines:
        line.text = line.text.replace("\x02", "-")


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _is_heading(line: _Line, body: float) -> bool:
    words = line.text.split()
    if not words or len(line.text) > 80 or not any(c.isalpha() for c in line.text):
        return False
    return line.size > 1.08 * body or (line.bold and line.size >= 0.95 * body)


def _blocks(lines: list[_Line]) -> PdfText:
    body = _body_size(lines)
    spacing: dict[float, float] = {}
    steps: dict[float, list[float]] = defaultdict(list)
    for previous, line in itertools.pairwise(lines):
        if previous.page == line.page and 0 < previous.y - line.y < 3 * line.size:
            steps[round(line.size)].append(previous.y - line.y)
    for size, values in steps.items():
        spacing[size] = statistics.median(values)
    headings = {id(line) for line in lines if _is_heading(line, body)}
    heading_sizes = sorted({round(line.size) for line in lines if id(line) in headings}, reverse=True)
    blocks: list[Block] = []
    pages: list[int] = []
    previous_line: _Line | None = None
    for line in lines:
        if not line.text:
            continue
        if previous_line is not None and previous_line.page == line.page:
            step = previous_line.y - line.y
            usual = spacing.get(round(line.size), 1.2 * line.size)
            if step > 1.3 * usual + 0.5 or previous_line.footnote != line.footnote:
                blocks.append(Block(len(blocks) + 1, "", "blank"))
                pages.append(line.page)
        if id(line) in headings:
            level = heading_sizes.index(round(line.size)) + 1 if line.size > 1.08 * body else len(heading_sizes) + 1
            blocks.append(Block(len(blocks) + 1, line.text, "heading", level))
        else:
            indent = " " * min(20, round(line.indent / max(line.size * 0.5, 1.0)))
            blocks.append(Block(len(blocks) + 1, indent + line.text))
        pages.append(line.page)
        previous_line = line
    return PdfText(_unheaded_list(blocks), tuple(pages))


def _unheaded_list(blocks: list[Block]) -> list[Block]:
    """REVTeX and some letters styles print the list with no heading: the last run that starts at "[1]"
    and counts on is given one, so the section is found."""
    if any(heading_name(block.text) in REFERENCE_HEADINGS for block in blocks):
        return blocks
    starts = [index for index, block in enumerate(blocks) if _FIRST_ITEM_RE.match(block.text)]
    for start in reversed(starts):
        if any(block.text.lstrip().startswith("[2]") for block in blocks[start + 1 :]):
            line = blocks[start].line
            return [*blocks[:start], Block(line, "References", "heading", 1), *blocks[start:]]
    return blocks


def pdf_text(path: str | Path) -> PdfText:
    """Read a PDF's text layer into blocks; a PDF that cannot be read, or has no text, raises RefkitError."""
    started = time.monotonic()
    document = _open(path)
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise RefkitError(f"{path}: {count} pages, more than the {MAX_PAGES} a document may have")
        pages: list[list[_Line]] = []
        heights: list[float] = []
        for number in range(count):
            if time.monotonic() - started > MAX_SECONDS:
                raise RefkitError(f"{path}: reading stopped after {MAX_SECONDS:.0f} s at page {number + 1} of {count}")
            page = document[number]
            textpage = page.get_textpage()
            try:
                try:
                    chars = _page_chars(textpage.raw)
                except RefkitError as error:
                    raise RefkitError(f"{path}: page {number + 1}: {error}") from None
                heights.append(page.get_height())
                lines = _page_lines(chars, number + 1, page.get_width() / 2)
                _footnotes(lines, heights[-1])
                pages.append(lines)
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    if not any(line.text for lines in pages for line in lines):
        raise RefkitError(f"{path}: no text layer: the PDF needs OCR")
    _strip_line_numbers(pages)
    dropped = _furniture(pages, heights)
    lines = []
    for page_lines in pages:
        ordered = _reading_order([line for line in page_lines if id(line) not in dropped])
        lines += [line for line in ordered if line.footnote] + [line for line in ordered if not line.footnote]
    _join_hyphenated(lines)
    return _blocks(lines)
