"""Targeted edits to a .bib file's text: change or add a field in one entry and leave every other byte alone.

bibtexparser is used to find the entries (their raw text and first line); the fields inside an entry's raw
text are located by a small scanner here, so a changed value keeps its delimiters ({…}, "…" or a bare
number), untouched fields keep their exact formatting, and added fields copy the entry's own indentation and
`name = value` spacing. Re-serialising the file through a writer would lose comments, alignment and macros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refkit.bib.read import ENTRY_OPENING_RE, BibEntry
from refkit.errors import RefkitError
from refkit.text import balanced_braces

_NAME_RE = re.compile(r"[^\s=,{}()\"#]+")
_BARE_RE = re.compile(r"[^\s,#{}()\"]+")


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """Where one field sits in an entry's raw text (offsets into that text)."""

    name: str  # lower case
    start: int  # the field name
    value_start: int
    value_end: int
    end: int  # after the field's trailing comma, or `value_end` when it has none


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def delimited(self) -> None:
        """Skip a `{…}` or `"…"` value: braces nest inside both; a quote ends a quoted value only outside
        braces (and unescaped)."""
        quoted = self.text[self.pos] == '"'
        depth = 0
        self.pos += 1 if quoted else 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0 and not quoted:
                    return
            elif quoted and char == '"' and depth == 0 and self.text[self.pos - 2] != "\\":
                return
        raise ValueError("unterminated quote" if quoted else "unbalanced braces")

    def value(self) -> tuple[int, int]:
        start = self.pos
        while True:
            char = self.peek()
            if char in '{"':
                self.delimited()
            else:
                bare = _BARE_RE.match(self.text, self.pos)
                if not bare:
                    raise ValueError("missing value")
                self.pos = bare.end()
            end = self.pos
            self.skip_space()
            if self.peek() != "#":
                return start, end
            self.pos += 1
            self.skip_space()


def field_spans(raw: str) -> list[FieldSpan]:
    """The fields of one entry's raw text (`@type{key, name = value, …}`), in order.

    Raises ValueError when the text is not an entry this scanner understands; callers then leave it alone."""
    opening = ENTRY_OPENING_RE.match(raw)
    if not opening:
        raise ValueError("not an entry with fields")
    scanner = _Scanner(raw)
    scanner.pos = opening.end()
    spans: list[FieldSpan] = []
    while True:
        scanner.skip_space()
        if scanner.peek() in ("}", ")"):
            return spans
        if not scanner.peek():
            raise ValueError("the entry is not closed")
        name = _NAME_RE.match(raw, scanner.pos)
        if not name:
            raise ValueError(f"unexpected text at offset {scanner.pos}")
        scanner.pos = name.end()
        scanner.skip_space()
        if scanner.peek() != "=":
            raise ValueError(f"field {name.group(0)} has no '='")
        scanner.pos += 1
        scanner.skip_space()
        value_start, value_end = scanner.value()
        end = value_end
        if scanner.peek() == ",":
            scanner.pos += 1
            end = scanner.pos
        spans.append(FieldSpan(name.group(0).lower(), name.start(), value_start, value_end, end))


def _delimited(value: str, old: str | None) -> str:
    """The new value written the way the old one was: "…" stays quoted (unless the value holds a quote,
    which would end it), a bare number stays bare; added values are braced. A value whose braces do not
    balance would swallow or close the rest of the entry, so it is refused."""
    if not balanced_braces(value):
        raise ValueError(f"the new value {value[:40]!r} has unbalanced braces")
    if old is not None and old.startswith('"') and '"' not in value:
        return f'"{value}"'
    if old is not None and old.isdigit() and value.isdigit():
        return value
    return "{" + value + "}"


@dataclass(frozen=True, slots=True)
class _Layout:
    """How an entry writes its fields, so added ones look like their neighbours (aligned '=' included)."""

    newline: str = "\n"
    indent: str = "  "
    equals_column: int = 0  # where '=' sits after the indentation; 0: one space after the name
    after_equals: str = " "

    def line(self, name: str, value: str) -> str:
        padding = max(1, self.equals_column - len(name)) if self.equals_column else 1
        return f"{self.newline}{self.indent}{name}{' ' * padding}={self.after_equals}{value},"


def _layout(raw: str, spans: list[FieldSpan]) -> _Layout:
    newline = "\r\n" if "\r\n" in raw else "\n"
    if not spans:
        return _Layout(newline)
    first = spans[0]
    line_start = raw.rfind("\n", 0, first.start) + 1
    indent = raw[line_start : first.start]
    if indent.strip():  # fields share the line with something else: fall back to a plain indent
        indent = "  "
    between = raw[first.start + len(first.name) : first.value_start]
    before, _, after = between.partition("=")
    aligned = len(before) > 1 and "\n" not in between
    return _Layout(
        newline, indent, len(first.name) + len(before) if aligned else 0, after if "\n" not in after else " "
    )


def edit_entry(raw: str, changes: dict[str, str]) -> str:
    """An entry's raw text with fields set to new (already BibTeX-encoded) values: existing fields are
    changed in place, missing ones are added after the last field."""
    spans = field_spans(raw)
    by_name = {span.name: span for span in spans}
    edited = _edited(raw, spans, by_name, changes)
    expected = [span.name for span in spans] + [name.lower() for name in changes if name not in by_name]
    if [span.name for span in field_spans(edited)] != expected:  # a guard: an edit never adds or drops fields
        raise ValueError("the edit would change which fields the entry has")
    return edited


def _edited(raw: str, spans: list[FieldSpan], by_name: dict[str, FieldSpan], changes: dict[str, str]) -> str:
    text = raw
    for span in sorted((by_name[n] for n in changes if n in by_name), key=lambda s: s.start, reverse=True):
        old = raw[span.value_start : span.value_end]
        text = text[: span.value_start] + _delimited(changes[span.name], old) + text[span.value_end :]
    added = [name for name in changes if name not in by_name]
    if not added:
        return text
    layout = _layout(raw, spans)
    lines = "".join(layout.line(name, _delimited(changes[name], None)) for name in added)
    if spans:
        last = spans[-1]
        shift = len(text) - len(raw)  # earlier changes moved the last field's end
        if last.end > last.value_end:  # a trailing comma: add after it
            cut = last.end + shift
            return text[:cut] + lines + text[cut:]
        cut = last.value_end + shift
        return text[:cut] + "," + lines[:-1] + text[cut:]
    opening = ENTRY_OPENING_RE.match(text)
    assert opening is not None  # field_spans has checked it
    rest = text[opening.end() :]
    return text[: opening.end()] + lines[:-1] + (rest if rest.startswith(("\n", "\r")) else layout.newline + rest)


def _line_starts(text: str) -> list[int]:
    """Offset of every line's first character (index 0 is line 1)."""
    return [0, *(match.end() for match in re.finditer("\n", text))]


def entry_offset(text: str, entry: BibEntry, line_starts: list[int] | None = None) -> int:
    """Where an entry's raw text starts in the file text (searching from its first line)."""
    starts = line_starts or _line_starts(text)
    offset = text.find(entry.raw, starts[min(entry.line, len(starts)) - 1])
    if offset < 0:
        raise RefkitError(f"entry {entry.key} (line {entry.line}) cannot be located for editing")
    return offset


def apply_edits(text: str, entries: list[BibEntry], changes: dict[str, dict[str, str]]) -> str:
    """The file text with each entry's changes applied (keys of `changes` are citation keys); everything
    outside the edited entries is returned byte for byte."""
    pieces = []
    position = 0
    line_starts = _line_starts(text)
    for entry in sorted((e for e in entries if changes.get(e.key)), key=lambda e: e.line):
        offset = entry_offset(text, entry, line_starts)
        if offset < position:
            continue  # a duplicate key already edited
        try:
            edited = edit_entry(entry.raw, changes[entry.key])
        except ValueError as error:
            raise RefkitError(f"entry {entry.key} (line {entry.line}) cannot be edited: {error}") from error
        pieces.append(text[position:offset])
        pieces.append(edited)
        position = offset + len(entry.raw)
    pieces.append(text[position:])
    return "".join(pieces)
