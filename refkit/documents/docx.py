"""Word .docx without a dependency: the paragraphs of word/document.xml, read with zipfile and ElementTree.

Heading styles ("Heading1", "Title") become headings and numbered or bulleted paragraphs items; a block's
"line" is its paragraph number, the closest thing a .docx has to a line. Footnotes (word/footnotes.xml), where
notes-style citations live, are written as Markdown writes them: `[^N]` where the note is called, and the
note's text as a `[^N]: …` block after the paragraph that calls it, so `map` resolves them as footnotes.

pandoc's citeproc writes each reference as a "Bibliography" paragraph after a bookmark `ref-KEY`, as its HTML
writes `<div id="ref-KEY">`: the paragraph is an item with that key. Manubot's layout (a bold title after the
number, the authors, the venue in italics) is kept as marked fields, as the HTML reader keeps it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from refkit.documents.blocks import Block, BlockKind, printed_date
from refkit.errors import RefkitError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# pandoc's "Bibliography" paragraph style, as reference documents in other languages name it
_BIBLIOGRAPHY_STYLES = ("bibliography", "literaturverzeichnis", "bibliographie", "bibliografia", "bibliografie")
_ITEM_NUMBER_RE = re.compile(r"\[?\d{1,4}[.)\]]?")
_HEADING_STYLE_RE = re.compile(r"^(?:heading|berschrift|titre|titolo)\s*(\d)$|^title$", re.IGNORECASE)
# A long thesis's document.xml is a few MB (the real manuscripts here: 180–260 KB); a part that inflates past
# this is a zip bomb, and is refused while it is read, whatever size the archive claims for it.
MAX_XML_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == _W + "t" and node.text:
            parts.append(node.text)
        elif node.tag == _W + "footnoteReference":
            parts.append(f"[^{node.get(_W + 'id', '')}]")
        elif node.tag == _W + "tab":
            parts.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _style(paragraph: ElementTree.Element) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style.get(_W + "val", "") if style is not None else ""


def _kind(paragraph: ElementTree.Element) -> tuple[BlockKind, int]:
    properties = paragraph.find(_W + "pPr")
    if properties is None:
        return "text", 0
    name = _style(paragraph)
    heading = _HEADING_STYLE_RE.match(name.replace(" ", ""))
    if heading:
        return "heading", int(heading.group(1) or 1)
    if properties.find(_W + "numPr") is not None or name.lower().startswith(("list", *_BIBLIOGRAPHY_STYLES)):
        return "item", 0
    return "text", 0


def _run_mark(run: ElementTree.Element) -> str:
    """The mark ("strong" or "em") of a bold or italic run (`<w:b/>`, `<w:i/>`; `w:val="0"` turns it off)."""
    properties = run.find(_W + "rPr")
    if properties is None:
        return ""
    for tag, mark in (("b", "strong"), ("i", "em")):
        flag = properties.find(_W + tag)
        if flag is not None and flag.get(_W + "val", "true") not in ("0", "false"):
            return mark
    return ""


def _manubot_fields(paragraph: ElementTree.Element) -> tuple[tuple[str, str], ...]:
    """Title, authors, venue and year of a Manubot reference: the bold run right after the item number, the
    plain text up to the first italic run, that run, and the date after it; () for any other layout."""
    pieces: list[tuple[str, str]] = []  # (mark, text) of consecutive runs, runs of one mark joined
    for run in paragraph.iter(_W + "r"):
        text = "".join(node.text or "" for node in run.iter(_W + "t"))
        mark = _run_mark(run) if text.strip() else "space"
        if pieces and pieces[-1][0] == mark:
            pieces[-1] = (mark, pieces[-1][1] + text)
        else:
            pieces.append((mark, text))
    pieces = [(mark, " ".join(text.split())) for mark, text in pieces if mark != "space"]
    if len(pieces) < 2 or not _ITEM_NUMBER_RE.fullmatch(pieces[0][1]) or pieces[1][0] != "strong":
        return ()
    found = [("title", pieces[1][1])]
    rest = pieces[2:]
    venue = next((index for index, (mark, _) in enumerate(rest) if mark == "em"), None)
    if venue is not None:
        authors = " ".join(text for _, text in rest[:venue])
        if authors:
            found.append(("authors", authors))
        found.append(("container", rest[venue][1]))
        found.extend(printed_date(" ".join(text for _, text in rest[venue + 1 :])))
    return tuple(found)


def _bookmark_key(node: ElementTree.Element) -> str:
    name = node.get(_W + "name", "")
    return name[4:] if name.startswith("ref-") else ""


def docx_blocks(path: str | Path) -> list[Block]:
    """The paragraphs of a .docx file as blocks; a broken, non-Word or oversized file is a RefkitError."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(_part(archive, "word/document.xml", path, "the document text"))
            notes = _footnotes(archive, path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error) as error:
        raise RefkitError(f"{path}: not a readable .docx file ({error})") from error
    blocks = []
    number, key = 0, ""  # the paragraph's number; the citeproc bookmark `ref-KEY` met since the last one
    for node in root.iter():
        if node.tag == _W + "bookmarkStart":
            key = _bookmark_key(node) or key
            continue
        if node.tag != _W + "p":
            continue
        number += 1
        text = _paragraph_text(paragraph := node)
        kind, level = _kind(paragraph)
        if kind == "item" and key and _style(paragraph).lower().startswith(_BIBLIOGRAPHY_STYLES):
            blocks.append(Block(number, text, "item", 0, key, _manubot_fields(paragraph)))
        else:
            blocks.append(Block(number, text, kind if text else "blank", level if text else 0))
        key = ""
        for called in paragraph.iter(_W + "footnoteReference"):
            note = notes.get(called.get(_W + "id", ""))
            if note:
                blocks.append(Block(number, f"[^{called.get(_W + 'id')}]: {note}"))
    return blocks


def _part(archive: zipfile.ZipFile, name: str, path: str | Path, what: str) -> bytes:
    """One XML part, inflated a chunk at a time and refused once past MAX_XML_BYTES: the size in the zip's
    directory is what the file says, not what it holds (a forged one would have it inflated in full)."""
    info = archive.getinfo(name)
    too_large = RefkitError(f"{path}: {what} is larger than the {MAX_XML_BYTES // (1024 * 1024)} MB limit")
    if info.file_size > MAX_XML_BYTES:
        raise too_large
    data = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            data += chunk
            if len(data) > MAX_XML_BYTES:
                raise too_large
    return bytes(data)


def _footnotes(archive: zipfile.ZipFile, path: str | Path) -> dict[str, str]:
    """Footnote id → its text; separators (Word's own notes, with a `w:type`) are left out."""
    if "word/footnotes.xml" not in archive.namelist():
        return {}
    root = ElementTree.fromstring(_part(archive, "word/footnotes.xml", path, "the footnotes"))
    notes = {}
    for note in root.iter(_W + "footnote"):
        if note.get(_W + "type") is None:
            text = " ".join(_paragraph_text(paragraph) for paragraph in note.iter(_W + "p"))
            notes[note.get(_W + "id", "")] = " ".join(text.split())
    return notes
