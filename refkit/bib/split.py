"""bibtexparser's splitter, for the blocks of well-formed text only, in a fraction of its time.

Reading a .bib file spent most of its time in bibtexparser's `Splitter` (docs/decisions.md, "Large inputs"): a
method call and a match object for every mark it steps over, newlines included. `split_blocks` finds the same
marks (its very pattern) and applies the same rules, but searches only for the marks that can change its state
where it is (inside braces only braces, inside quotes only quotes) and counts lines with `str.count`, so it
gives the same blocks: the same raw text, keys, values and lines (entries as EntryBlocks, their fields plain
tuples; runs of plain fields are read by one match). What needs bibtexparser's recovery or its
bookkeeping of duplicates (a block it would abort, a `(`-delimited block, a key or a field given twice) is not
read here: `Unsupported` says to split the text with bibtexparser instead, so a damaged file is read exactly as
before. tests/test_bib_split.py holds the two to the same blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bibtexparser.model import Block, Entry, ExplicitComment, ImplicitComment, Preamble, String

# bibtexparser.splitter's marks: value delimiters, field separators, newlines (which count lines; not one after a
# backslash) and block starts. Each pattern below finds the subset of them that matters in one state.
_BLOCK_START = r"@\w*[ \t]*(?=[{(])"
_ANY_RE = re.compile(r'(?<!\\)[{}",=]|' + _BLOCK_START)  # after an entry's `{` and after its fields
_VALUE_RE = re.compile(r'(?<!\\)[{}",]|' + _BLOCK_START)  # in a value, outside braces and quotes
_BRACED_RE = re.compile(r"(?<!\\)[{}]|" + _BLOCK_START)  # inside braces (and in a comment, string or preamble)
_QUOTED_RE = re.compile(r'(?<!\\)"|' + _BLOCK_START)  # inside quotes: braces do not count there
_START_RE = re.compile(_BLOCK_START)  # between blocks
# The common field, matched whole: `name = value,` (or `}`), its value made of text, `{flat braces}` and `"flat
# quotes"`, with no backslash (which could escape a mark) and no `@` (which could start a block) anywhere. Such a
# field holds no mark but its `=`, the braces and quotes, and its end, so the rules above read it just so.
_NAME = r'[^{}",=@\\]*'
_SIMPLE_VALUE = r'(?:[^{}",@\\]|\{[^{}@\\]*\}|"[^"{}@\\]*")*'
_FIELD_RE = re.compile(f"({_NAME})=({_SIMPLE_VALUE})([,}}])")
# A run of such fields, each ended by its comma, matched at once; then each field's name and value in it.
_RUN_RE = re.compile(f"(?:{_NAME}={_SIMPLE_VALUE},)+")
_RUN_FIELD_RE = re.compile(f"({_NAME})=({_SIMPLE_VALUE}),")


@dataclass(slots=True)
class EntryBlock:
    """An entry as the reader takes it: bibtexparser's Entry, with each field a plain tuple rather than an
    object (a file has twenty fields for every entry; objects for them cost a tenth of the reading)."""

    entry_type: str
    key: str
    fields: list[tuple[str, str, int]]  # (name, value, line of its `=`), as bibtexparser's Field has them
    start_line: int
    raw: str

    @classmethod
    def of(cls, entry: Entry) -> EntryBlock:
        """bibtexparser's own entry (of a text its splitter read)."""
        fields = [(item.key, item.value.strip(), item.start_line or 0) for item in entry.fields]
        return cls(entry.entry_type, entry.key, fields, entry.start_line or 0, entry.raw or "")


class Unsupported(Exception):
    """The text holds something only bibtexparser's splitter reads as bibtexparser reads it."""


class _Scanner:
    """The text with bibtexparser's leading newline, where the scan is, and bibtexparser's line count."""

    __slots__ = ("_counted", "_line", "at", "text")

    def __init__(self, piece: str) -> None:
        self.text = f"\n{piece}"
        self.at = 0  # where the next search starts
        self._counted, self._line = 0, -1  # the newline added makes the piece's first line 0

    def find(self, pattern: re.Pattern[str]) -> tuple[int, str]:
        """The next mark of `pattern` (taken: the scan goes on after it)."""
        found = pattern.search(self.text, self.at)
        if found is None:
            raise Unsupported("the text ends inside a block")
        self.at = found.end()
        return found.start(), found.group()

    def line(self, position: int) -> int:
        """bibtexparser's line at a mark at `position` (positions asked for only grow)."""
        text, counted = self.text, self._counted
        self._line += text.count("\n", counted, position) - text.count("\\\n", counted, position)
        self._counted = position
        return self._line

    def at_line_start(self, position: int) -> bool:
        """Only blanks between the line's start and `position`: an `@` there starts a block."""
        return not self.text[self.text.rfind("\n", 0, position) + 1 : position].strip()


def split_blocks(piece: str) -> list[Block | EntryBlock]:
    """The blocks bibtexparser.parse_string(piece, parse_stack=[]) gives (its entries as EntryBlocks), or
    Unsupported."""
    scan = _Scanner(piece)
    text = scan.text
    blocks: list[Block | EntryBlock] = []
    entry_keys: set[str] = set()
    string_keys: set[str] = set()
    comment_start, comment_line = 0, -1
    while found := _START_RE.search(text, scan.at):
        position, mark = found.start(), found.group()
        comment = _implicit_comment(text[comment_start:position], comment_line)
        if comment is not None:
            blocks.append(comment)
        body = found.end()
        if text[body] != "{":
            raise Unsupported("a block in parentheses")
        scan.at = body + 1
        start_line = scan.line(position)
        kind = mark.lower()
        if kind.startswith("@comment"):
            end = _closing_brace(scan)
            comment_text = text[body + 1 : end].strip()
            blocks.append(ExplicitComment(comment_text, start_line=start_line, raw=text[position : end + 1]))
        elif kind.startswith("@preamble"):
            end = _closing_brace(scan)
            blocks.append(Preamble(text[body + 1 : end], start_line=start_line, raw=text[position : end + 1]))
        elif kind.startswith("@string"):
            equals, sign = scan.find(_ANY_RE)
            if sign != "=":
                raise Unsupported("a @string without `=`")
            end = _closing_brace(scan)
            key = text[body + 1 : equals].strip()
            if key in string_keys:
                raise Unsupported("a @string key given twice")
            string_keys.add(key)
            value = text[equals + 1 : end].strip()
            blocks.append(String(key, value, start_line=start_line, raw=text[position : end + 1]))
        else:
            entry, end = _entry(scan, position, body, kind[1:].strip(), start_line)
            if entry.key in entry_keys:
                raise Unsupported("an entry key given twice")
            entry_keys.add(entry.key)
            blocks.append(entry)
        comment_start, comment_line = end + 1, scan.line(end)
        scan.at = end + 1
    comment = _implicit_comment(text[comment_start:], comment_line)
    if comment is not None:
        blocks.append(comment)
    return blocks


def _implicit_comment(comment: str, line: int) -> ImplicitComment | None:
    """The text between blocks as bibtexparser keeps it: blank lines before it and blanks after it dropped."""
    stripped = comment.lstrip()
    if not stripped:
        return None
    leading = comment.count("\n", 0, len(comment) - len(stripped))
    comment = stripped.rstrip()
    return ImplicitComment(comment, start_line=line + leading, raw=comment)


def _closing_brace(scan: _Scanner) -> int:
    """Where the `}` that closes the block is, nested braces skipped (quotes do not count in a `{` block)."""
    depth = 0
    while True:
        position, mark = scan.find(_BRACED_RE)
        if mark == "{":
            depth += 1
        elif mark == "}":
            if not depth:
                return position
            depth -= 1
        elif scan.at_line_start(position):
            raise Unsupported("a block starts inside another")


def _entry(scan: _Scanner, start: int, body: int, entry_type: str, start_line: int) -> tuple[EntryBlock, int]:
    """An entry from its `@type{` on, and where its closing `}` is."""
    text = scan.text
    comma, mark = scan.find(_ANY_RE)
    key = text[body + 1 : comma].strip()
    fields: list[tuple[str, str, int]] = []
    if mark == "}":
        return EntryBlock(entry_type, key, fields, start_line, text[start : comma + 1]), comma
    if mark != ",":
        raise Unsupported("no comma after the entry key")
    key_start = comma + 1
    while True:
        run = _RUN_RE.match(text, key_start)
        if run is not None:  # no backslash in a run: its lines are its newlines
            line = scan.line(key_start)
            for name, value in _RUN_FIELD_RE.findall(text, key_start, run.end()):
                line += name.count("\n")
                fields.append((name.strip(), value.strip(), line))
                line += value.count("\n")
            key_start = scan.at = run.end()
        simple = _FIELD_RE.match(text, key_start)
        if simple is not None:
            name, value, closing = simple.groups()
            end = simple.start(3)
            fields.append((name.strip(), value.strip(), scan.line(simple.start(2) - 1)))
            key_start = end + 1 if closing == "," else end
            scan.at = key_start
            continue
        equals, mark = scan.find(_ANY_RE)
        if mark == "}":
            if text[key_start:equals].strip():
                raise Unsupported("a field name without `=`")
            if len({name for name, _, _ in fields}) < len(fields):
                raise Unsupported("a field given twice")
            return EntryBlock(entry_type, key, fields, start_line, text[start : equals + 1]), equals
        if mark != "=":
            raise Unsupported("a field name without `=`")
        end, closing = _value_end(scan)
        fields.append((text[key_start:equals].strip(), text[equals + 1 : end].strip(), scan.line(equals)))
        key_start = end + 1 if closing == "," else end  # the entry's `}` is read again by the loop
        scan.at = key_start


def _value_end(scan: _Scanner) -> tuple[int, str]:
    """Where a field's value ends, and the mark that ends it: the first `,` or `}` outside braces and quotes."""
    text = scan.text
    depth, quoted = 0, False
    while True:
        position, mark = scan.find(_QUOTED_RE if quoted else _BRACED_RE if depth else _VALUE_RE)
        if mark == '"':  # (found only outside braces)
            if quoted and text[position - 1] == "{" and position + 2 < len(text) and text[position + 1] == "}":
                continue  # `{"}`: a quote inside a quoted value
            quoted = not quoted
        elif mark == "{":
            depth += 1
        elif mark == "}" and depth:
            depth -= 1
        elif mark in (",", "}"):
            return position, mark
        elif scan.at_line_start(position):
            raise Unsupported("a block starts inside a value")
