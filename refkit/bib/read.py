"""Reading a .bib file through bibtexparser into entries that remember their lines and raw text.

The file is parsed once with an empty middleware stack, so every block keeps its exact raw text (needed
for byte-preserving edits) while field values are evaluated here: `@string` macros, `#` concatenation,
braces or quotes around values, and `crossref` inheritance. A hostile file cannot make that evaluation
run away: concatenated macro values are capped in size (each and in all), and `@string` and `crossref` cycles
are detected and read once, without following the cycle; each of these is a Problem for the lint rules.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

from refkit.bib.split import EntryBlock, Unsupported, split_blocks
from refkit.errors import RefkitError
from refkit.files import read_text
from refkit.text import MONTH_MACROS

# bibtexparser logs every block it cannot parse; refkit reports those itself (RK101), with their lines.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

# `@type{key,` — the opening of an entry with fields; group 1 is the key.
ENTRY_OPENING_RE = re.compile(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)\s*,")


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


# A value built by concatenating macros (`a # b`) may be this long; longer ones are not read (RK108). Real
# values are shorter (the longest concatenation in the 91 .bib files of ../shared is 24,193 characters);
# macros that double at each level reach it after 16 levels instead of exhausting memory after 30.
MAX_CONCATENATED_CHARS = 100_000
# And all concatenations of a file together may produce this many characters, or four times the file's own
# length if that is more, so that many values just under the cap cannot exhaust memory either.
CONCATENATION_BUDGET_CHARS = 16_000_000


@dataclass(slots=True)
class Problem:
    """A block bibtexparser could not read, a duplicate, or a value or reference refkit would not follow,
    kept for the lint rules (every command reports them)."""

    kind: str  # "syntax" | "duplicate-key" | "duplicate-field" | "empty-key" | "cycle" | "too-large"
    line: int
    message: str
    key: str | None = None
    field: str | None = None


@dataclass(slots=True)
class Bibliography:
    """A parsed .bib: the original text, our entries and the problems found. (bibtexparser's library is not
    kept: it takes nine times the file in memory, and everything refkit reads from it is here.)"""

    path: str | None
    text: str
    entries: list[BibEntry]
    problems: list[Problem]
    macros: dict[str, str]
    is_bibtex: bool = True  # some @block, or nothing but whitespace and `%` comments

    def by_key(self) -> dict[str, BibEntry]:
        return {entry.key: entry for entry in self.entries}

    def unambiguous_entries(self) -> list[BibEntry]:
        """The entries a key names unambiguously: not empty and used once. Only these may be edited, since
        edits are addressed by key and must never reach another entry."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.key] = counts.get(entry.key, 0) + 1
        return [entry for entry in self.entries if entry.key and counts[entry.key] == 1]


def load_bibliography(path: str | Path) -> Bibliography:
    """Read and parse a .bib file; raises RefkitError for unreadable input and for text that is not BibTeX."""
    bibliography = parse_bibliography(read_text(path, what="BibTeX file"), str(path))
    if not bibliography.is_bibtex:
        raise RefkitError(f"{path}: {_not_bibtex_reason(bibliography.text)}")
    return bibliography


def _is_prose(comment: ImplicitComment) -> bool:
    """Whether text outside the blocks holds more than whitespace and `%` lines. A text that has such prose
    and no @block at all (prose, JSON) is not BibTeX; an empty bibliography is."""
    return any(line.strip() and not line.lstrip().startswith("%") for line in comment.comment.splitlines())


def _not_bibtex_reason(text: str) -> str:
    """The one line that says why a file is not read as BibTeX, naming what it seems to be."""
    try:
        data = json.loads(text)
    except ValueError:
        return "not a BibTeX file: it has no @entries and holds text that is not BibTeX comments"
    items = data.get("items") if isinstance(data, dict) else data
    if isinstance(items, list) and items and all(isinstance(i, dict) and "type" in i for i in items):
        return (
            "is CSL-JSON, not BibTeX; refkit reads .bib files (convert it first, e.g. "
            "`pandoc FILE -f csljson -t biblatex -s -o FILE.bib`)"
        )
    return "is JSON, not BibTeX; refkit reads .bib files"


# The text is parsed a piece at a time, each piece about this many characters and cut where a line starts a
# block, so that bibtexparser's objects for one piece are dropped once its entries are read: the library of a
# whole file takes nine times the file in memory. A piece that ends inside a block (an `@` at the start of a
# line in a value) is parsed again together with the next piece, so the cut never changes what is read. A
# piece with a block only bibtexparser's splitter reads (refkit.bib.split) is split by it whole: at a quarter
# of a megabyte, one damaged entry costs that speed for the few hundred entries around it, not the thousands.
PIECE_CHARS = 1 << 18
_BLOCK_START_RE = re.compile(r"^[ \t]*@", re.MULTILINE)


def parse_bibliography(text: str, path: str | None = None) -> Bibliography:
    evaluator = Evaluator(max(CONCATENATION_BUDGET_CHARS, 4 * len(text)))
    reader = _Reader(evaluator)
    for lines, blocks in _pieces(text, PIECE_CHARS):
        reader.read(blocks, lines)
    problems = evaluator.define(reader.strings)
    entries = reader.finish()
    problems += reader.problems
    problems.extend(_inherit_crossref(entries))
    problems.sort(key=lambda problem: problem.line)
    return Bibliography(path, text, entries, problems, evaluator.macros, reader.blocks or not reader.prose)


def _pieces(text: str, size: int) -> Iterator[tuple[Lines, list[Block | EntryBlock]]]:
    """bibtexparser's blocks of each piece of the text, with the lines of its blocks in the whole text."""
    start, before = 0, 0
    while start < len(text):
        end = _cut(text, start + size)
        blocks = _split(text[start:end])
        while end < len(text) and blocks and type(blocks[-1]) is ParsingFailedBlock:
            end = _cut(text, end + size)  # the last block may be cut short: read it again, with more text
            blocks = _split(text[start:end])
        yield Lines(text[start:end], before), blocks
        before += text.count("\n", start, end)
        start = end


def _split(piece: str) -> list[Block | EntryBlock]:
    """The blocks bibtexparser reads in a piece (with an empty middleware stack), entries as EntryBlocks:
    split by refkit.bib.split when the piece is well-formed, by bibtexparser's own splitter, which recovers
    from errors, when not."""
    try:
        return split_blocks(piece)
    except Unsupported:
        blocks: list[Block] = bibtexparser.parse_string(piece, parse_stack=[]).blocks
        return [EntryBlock.of(block) if isinstance(block, Entry) else block for block in blocks]


class Lines:
    """The 1-based lines of a piece's blocks and fields in the whole text. bibtexparser counts no newline
    that follows a backslash (its marks are `(?<!\\)\n`: `pp.\\` at the end of a line in tugboat.bib), so its
    lines drift after one; in a piece that has one, a block's line is counted from where its text is."""

    def __init__(self, piece: str, before: int) -> None:
        self.piece, self.before = piece, before
        self.exact = "\\\n" not in piece
        self._at, self._lines = 0, 0  # the last block found, and the newlines before it

    def of(self, block: Block | EntryBlock) -> int:
        if self.exact or not block.raw:
            return self.before + (block.start_line or 0) + 1
        at = self.piece.find(block.raw, self._at)
        if at < 0:  # (cannot happen: a block's raw is its text)
            return self.before + (block.start_line or 0) + 1
        self._lines += self.piece.count("\n", self._at, at)
        self._at = at
        return self.before + self._lines + 1

    def of_fields(self, block: EntryBlock, line: int) -> list[int]:
        """The line of each field (of its `=`) of an entry that starts on `line`."""
        shift = line - block.start_line
        raw = block.raw
        if self.exact or "\\\n" not in raw:
            return [field_line + shift for _, _, field_line in block.fields]
        lines, at = [], raw.find(",") + 1
        for name, _, field_line in block.fields:
            found = _field_start(name).search(raw, at)
            if found:
                at = found.end()
            lines.append(line + raw.count("\n", 0, found.end()) if found else field_line + shift)
        return lines


@lru_cache(maxsize=512)
def _field_start(name: str) -> re.Pattern[str]:
    """`name =` as a field's start, compiled once per field name (a file repeats the same few names)."""
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"\s*=")


def _cut(text: str, at: int) -> int:
    """Where a piece that should end near `at` ends: the start of the first line from `at` on that starts a
    block (the end of the text when none does)."""
    if at >= len(text):
        return len(text)
    match = _BLOCK_START_RE.search(text, at)
    return match.start() if match else len(text)


class _Reader:
    """Reads the blocks of each piece into entries, strings and problems. Values that use macros wait until
    every `@string` of the file is known (definitions may follow their use); keys are checked for duplicates
    across pieces as bibtexparser checks them within one."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.entries: list[BibEntry] = []
        self.waiting: list[tuple[BibEntry, list[tuple[str, str]]]] = []  # entries with values that use macros
        self.strings: list[String] = []
        self.problems: list[Problem] = []
        self.blocks = False  # some block that is no comment
        self.prose = False  # some text outside the blocks that is no `%` comment
        self._entry_keys: set[str] = set()
        self._string_keys: set[str] = set()

    def read(self, blocks: list[Block | EntryBlock], lines: Lines) -> None:
        for block in blocks:
            if isinstance(block, ImplicitComment):
                self.prose = self.prose or _is_prose(block)
            elif not isinstance(block, ExplicitComment):
                self.blocks = True
            if isinstance(block, EntryBlock | String):
                keys = self._entry_keys if isinstance(block, EntryBlock) else self._string_keys
                if block.key in keys:  # a duplicate of a key from an earlier piece
                    self.problems.append(_duplicate_key(block.key, lines.of(block)))
                    if isinstance(block, EntryBlock):
                        self._add(block, lines)
                    continue
                keys.add(block.key)
            if isinstance(block, EntryBlock):
                self._add(block, lines)
            elif isinstance(block, String):
                self.strings.append(String(block.key, block.value, lines.of(block) - 1))
            elif isinstance(block, ParsingFailedBlock):
                self.problems.append(_to_problem(block, lines.of(block)))
                if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and isinstance(
                    block.ignore_error_block, Entry
                ):  # bibtexparser still read the entry: keep it
                    self._add(EntryBlock.of(block.ignore_error_block), lines)

    def _add(self, block: EntryBlock, lines: Lines) -> None:
        entry, macro_values = _to_bib_entry(block, lines, self.problems)
        self.entries.append(entry)
        if macro_values:
            self.waiting.append((entry, macro_values))

    def finish(self) -> list[BibEntry]:
        """The entries, every value evaluated against the file's macros (call after `Evaluator.define`)."""
        for entry, macro_values in self.waiting:
            undefined: list[str] = []
            for name, raw in macro_values:
                value, missing = self.evaluator.evaluate(raw)
                if value is None:
                    del entry.fields[name]
                    line = entry.field_lines[name]
                    self.problems.append(
                        Problem("too-large", line, f"{entry.key or '(no key)'}: {name}", entry.key, name)
                    )
                    continue
                entry.fields[name] = value
                undefined.extend(missing)
            entry.undefined_macros = tuple(undefined)
        self.waiting = []
        return self.entries


def _duplicate_key(key: str, line: int) -> Problem:
    return Problem("duplicate-key", line, f"key '{key}' is used again", key)


def _to_problem(block: ParsingFailedBlock, line: int) -> Problem:
    if isinstance(block, DuplicateBlockKeyBlock):
        return _duplicate_key(block.key, line)
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


def _to_bib_entry(block: EntryBlock, lines: Lines, problems: list[Problem]) -> tuple[BibEntry, list[tuple[str, str]]]:
    """Our entry for a bibtexparser one, with the values that use macros still raw (and listed, to be
    evaluated once every macro is known); an empty key is a Problem."""
    values: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    macro_values: list[tuple[str, str]] = []
    line = lines.of(block)
    key = block.key.strip()
    if not key:
        problems.append(Problem("empty-key", line, "the entry has no citation key"))
    for (written, value, _), item_line in zip(block.fields, lines.of_fields(block, line), strict=True):
        name = written.lower()
        if name in field_lines:
            continue
        field_lines[name] = item_line
        if "#" not in value and _is_literal(value):
            values[name] = _literal(value)
        else:
            values[name] = value  # in its place, so the fields keep their order
            macro_values.append((name, value))
    return BibEntry(
        key=key,
        entry_type=block.entry_type.lower(),
        fields=values,
        line=line,
        field_lines=field_lines,
        raw=block.raw,
    ), macro_values


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


def _is_literal(part: str) -> bool:
    return (len(part) >= 2 and part[0] + part[-1] in ("{}", '""')) or part.isdigit()


def _literal(part: str) -> str:
    return part if part.isdigit() else part[1:-1]


def _macro_names(value: str) -> list[str]:
    """The (lower-cased) macro names a raw value refers to."""
    parts = _split_concatenation(value) if "#" in value else [value.strip()]
    return [part.lower() for part in parts if part and not _is_literal(part)]


class Evaluator:
    """Evaluates raw values against the file's `@string` macros, within the size bounds above."""

    def __init__(self, budget: int = CONCATENATION_BUDGET_CHARS):
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self.too_large: set[str] = set()  # macros whose value was not read
        self.budget = budget  # characters all further concatenations may still produce

    def define(self, strings: list[String]) -> list[Problem]:
        """Evaluate the @string definitions, each once: those a definition refers to first, so the order
        they are written in does not matter; inside a cycle a reference to another member stays unresolved.
        Returns the cycles and the definitions too large to read."""
        definitions = {string.key.lower(): string for string in strings}
        graph = {name: [r for r in _macro_names(s.value) if r in definitions] for name, s in definitions.items()}
        problems: list[Problem] = []
        for component in strongly_connected(graph):
            cyclic = set(component) if len(component) > 1 or component[0] in graph[component[0]] else set()
            members = sorted(component, key=lambda name: definitions[name].start_line or 0)
            if cyclic:
                first = definitions[members[0]]
                problems.append(Problem("cycle", (first.start_line or 0) + 1, _cycle("@string", members)))
            for name in members:
                value, _ = self.evaluate(definitions[name].value, cyclic)
                if value is not None:
                    self.macros[name] = value
                    continue
                self.too_large.add(name)
                if not any(reference in self.too_large for reference in graph[name]):  # the first one only
                    line = (definitions[name].start_line or 0) + 1
                    problems.append(Problem("too-large", line, f"@string {definitions[name].key}"))
        return problems

    def evaluate(self, value: str, unresolved: Collection[str] = ()) -> tuple[str | None, list[str]]:
        """The text a raw BibTeX value stands for (None when a concatenation would exceed the bounds, or
        uses a macro that did), and the names of macros it uses that are not defined."""
        value = value.strip()
        if "#" not in value and _is_literal(value):
            return _literal(value), []
        parts = _split_concatenation(value) if "#" in value else [value]
        pieces: list[str] = []
        undefined: list[str] = []
        size = 0
        for part in parts:
            name = part.lower()
            if _is_literal(part):
                piece = _literal(part)
            elif name in self.too_large:
                return None, undefined
            elif name in self.macros and name not in unresolved:
                piece = self.macros[name]
            else:
                if name not in unresolved:
                    undefined.append(part)
                piece = part
            size += len(piece)
            if len(parts) > 1 and size > MAX_CONCATENATED_CHARS:
                return None, undefined
            pieces.append(piece)
        if len(pieces) > 1:
            self.budget -= size
            if self.budget < 0:
                return None, undefined
        return "".join(pieces), undefined


def strongly_connected(graph: Mapping[str, list[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components of a graph {node: successors}, each component after every
    component it reaches (so dependencies come first); iterative, so long chains cannot exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                yield component


def _cycle(kind: str, members: list[str]) -> str:
    """ "crossref cycle: a → b → a", shortened for long cycles."""
    shown = members if len(members) <= 6 else [*members[:5], f"… ({len(members) - 5} more)"]
    return f"{kind} cycle: {' → '.join([*shown, members[0]])}"


def _inherit_crossref(entries: list[BibEntry]) -> list[Problem]:
    """Give entries with a `crossref` field the fields their parent has and they lack (BibTeX semantics:
    one level). Entries in a crossref cycle inherit nothing from each other; each cycle is a Problem."""
    by_key: dict[str, BibEntry] = {}
    for entry in entries:
        if entry.key:  # an entry without a key is nobody's parent
            by_key.setdefault(entry.key.lower(), entry)
    parents = [by_key.get(entry.fields.get("crossref", "").strip().lower()) for entry in entries]
    graph: dict[str, list[str]] = {key: [] for key in by_key}
    for entry, parent in zip(entries, parents, strict=True):
        if parent is not None and by_key.get(entry.key.lower()) is entry:
            graph[entry.key.lower()].append(parent.key.lower())
    cyclic: set[str] = set()
    problems: list[Problem] = []
    for component in strongly_connected(graph):
        if len(component) > 1 or component[0] in graph[component[0]]:
            members = sorted((by_key[key] for key in component), key=lambda e: e.line)
            cyclic.update(component)
            text = _cycle("crossref", [member.key for member in members])
            problems.append(Problem("cycle", members[0].line, text, members[0].key, "crossref"))
    for entry, parent in zip(entries, parents, strict=True):
        if parent is None or parent is entry or (entry.key.lower() in cyclic and parent.key.lower() in cyclic):
            continue
        inherited = {name: value for name, value in parent.fields.items() if name not in entry.fields}
        if "booktitle" not in entry.fields and "title" in parent.fields:
            inherited["booktitle"] = parent.fields["title"]
        inherited.pop("crossref", None)
        entry.inherited = inherited
    return problems
