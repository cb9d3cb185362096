"""Reading a .bib file through bibtexparser into entries that remember their lines and raw text.

The file is parsed once with an empty middleware stack, so every block keeps its exact raw text (needed
for byte-preserving edits) while field values are evaluated here: `@string` macros, `#` concatenation,
braces or quotes around values, and `crossref` inheritance.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from refkit.files import read_text

# bibtexparser logs every block it cannot parse; refkit reports those itself (RK101), with their lines.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

# `@type{key,` — the opening of an entry with fields; group 1 is the key.
ENTRY_OPENING_RE = re.compile(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)\s*,")

MONTH_MACROS = {
    name: str(number)
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


@dataclass(slots=True)
class BibEntry:
    """One @entry as written: lower-cased type and field names, values with macros and enclosing resolved
    but LaTeX not yet decoded. `line` and `field_lines` are 1-based lines in the file."""

    key: str
    entry_type: str
    fields: dict[str, str]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    raw: str = ""
    undefined_macros: tuple[str, ...] = ()
    inherited: dict[str, str] = field(default_factory=dict)  # fields taken from the `crossref` parent

    def get(self, name: str) -> str:
        """A field's value, falling back to the crossref parent's."""
        return self.fields.get(name) or self.inherited.get(name, "")

    def line_of(self, name: str | None) -> int:
        return self.field_lines.get(name, self.line) if name else self.line


@dataclass(slots=True)
class Problem:
    """A block bibtexparser could not read, or a duplicate, kept for the lint rules."""

    kind: str  # "syntax" | "duplicate-key" | "duplicate-field"
    line: int
    message: str
    key: str | None = None


@dataclass(slots=True)
class Bibliography:
    """A parsed .bib: the original text, bibtexparser's library, our entries and the problems found."""

    path: str | None
    text: str
    library: Library
    entries: list[BibEntry]
    problems: list[Problem]
    macros: dict[str, str]

    def by_key(self) -> dict[str, BibEntry]:
        return {entry.key: entry for entry in self.entries}


def load_bibliography(path: str | Path) -> Bibliography:
    """Read and parse a .bib file; raises RefkitError for unreadable input."""
    return parse_bibliography(read_text(path, what="BibTeX file"), str(path))


def parse_bibliography(text: str, path: str | None = None) -> Bibliography:
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros = dict(MONTH_MACROS)
    for string in library.strings:
        macros[string.key.lower()] = evaluate(string.value, macros)[0]
    entries: list[BibEntry] = []
    problems: list[Problem] = []
    for block in library.blocks:
        if isinstance(block, Entry):
            entries.append(_to_bib_entry(block, macros))
        elif isinstance(block, ParsingFailedBlock):
            problems.append(_to_problem(block))
            if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and isinstance(
                block.ignore_error_block, Entry
            ):  # bibtexparser still read the entry: keep it
                entries.append(_to_bib_entry(block.ignore_error_block, macros))
    _inherit_crossref(entries)
    return Bibliography(path, text, library, entries, problems, macros)


def _to_problem(block: ParsingFailedBlock) -> Problem:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return Problem("duplicate-key", line, f"key '{block.key}' is used again", block.key)
    if isinstance(block, DuplicateFieldKeyBlock):
        names = ", ".join(sorted(block.duplicate_keys))
        entry = block.ignore_error_block
        return Problem(
            "duplicate-field", line, f"field {names} is given twice", entry.key if isinstance(entry, Entry) else None
        )
    # bibtexparser keeps its reason on the exception, not in its text (BlockAbortedException has none).
    reason = getattr(block.error, "abort_reason", "") or str(block.error).strip()
    message = reason.splitlines()[-1].rstrip(".") if reason else "unrecognised syntax"
    return Problem("syntax", line, message, _guess_key(block.raw or ""))


def _guess_key(raw: str) -> str | None:
    match = ENTRY_OPENING_RE.match(raw)
    return match.group(1) or None if match else None


def _to_bib_entry(block: Entry, macros: dict[str, str]) -> BibEntry:
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    undefined: list[str] = []
    for item in block.fields:
        name = item.key.lower()
        if name in values:
            continue
        value, missing = evaluate(item.value, macros)
        values[name] = value
        lines[name] = (item.start_line or block.start_line or 0) + 1
        if missing:
            undefined.extend(missing)
    return BibEntry(
        key=block.key,
        entry_type=block.entry_type.lower(),
        fields=values,
        line=(block.start_line or 0) + 1,
        field_lines=lines,
        raw=block.raw or "",
        undefined_macros=tuple(undefined),
    )


_DELIMITER_RE = re.compile(r'[{}"#]')


def _split_concatenation(value: str) -> list[str]:
    """Split a raw value on top-level `#` (outside braces and quotes), visiting only delimiter characters."""
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for match in _DELIMITER_RE.finditer(value):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            if char == '"':
                quoted = not quoted
            elif not quoted:
                parts.append(value[start : match.start()])
                start = match.end()
    parts.append(value[start:])
    return [part.strip() for part in parts]


def evaluate(value: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """The text a raw BibTeX value stands for, and the names of macros it uses that are not defined."""
    value = value.strip()
    if "#" not in value:
        if value[:1] + value[-1:] in ("{}", '""'):
            return value[1:-1], []
        if value.isdigit():
            return value, []
    parts = _split_concatenation(value) if "#" in value else [value]
    pieces: list[str] = []
    undefined: list[str] = []
    for part in parts:
        if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
            pieces.append(part[1:-1])
        elif part.isdigit():
            pieces.append(part)
        elif part.lower() in macros:
            pieces.append(macros[part.lower()])
        else:
            undefined.append(part)
            pieces.append(part)
    return "".join(pieces), undefined


def _inherit_crossref(entries: list[BibEntry]) -> None:
    """Give entries with a `crossref` field the fields their parent has and they lack (BibTeX semantics)."""
    by_key = {entry.key.lower(): entry for entry in entries}
    for entry in entries:
        parent = by_key.get(entry.fields.get("crossref", "").strip().lower())
        if parent is None or parent is entry:
            continue
        inherited = {name: value for name, value in parent.fields.items() if name not in entry.fields}
        if "booktitle" not in entry.fields and "title" in parent.fields:
            inherited["booktitle"] = parent.fields["title"]
        inherited.pop("crossref", None)
        entry.inherited = inherited
