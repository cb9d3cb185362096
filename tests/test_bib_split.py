"""refkit.bib.split reads every block as bibtexparser's splitter does, or leaves the text to it: the same raw
text, keys, values and lines on every .bib file at hand (the shared corpus when present, the vendored excerpt
and the test fixtures always), on the shapes that steer the splitter, and through parse_bibliography."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from bibtexparser.model import Block, Entry, ParsingFailedBlock

import refkit.bib.read
from refkit.bib.read import parse_bibliography
from refkit.bib.split import EntryBlock, Unsupported, split_blocks
from tests.conftest import shared_folder

TESTS = Path(__file__).resolve().parent
FILES = sorted({*shared_folder().rglob("*.bib"), *TESTS.rglob("*.bib")})


def _described(block: Block | EntryBlock) -> dict[str, Any]:
    """What the reader takes from a block, as plain data (bibtexparser's entries as the reader takes them)."""
    if isinstance(block, Entry):
        block = EntryBlock.of(block)
    described = {"kind": type(block).__name__, "line": block.start_line, "raw": block.raw}
    for name in ("key", "entry_type", "value", "comment", "fields"):
        if hasattr(block, name):
            described[name] = getattr(block, name)
    return described


def _theirs(text: str) -> list[dict[str, Any]]:
    return [_described(block) for block in bibtexparser.parse_string(text, parse_stack=[]).blocks]


def _same_or_left(text: str) -> bool:
    """True when split_blocks read the text as bibtexparser does, False when it left the text to it (which it
    may only do for text that bibtexparser cannot read without recovering, or with parentheses)."""
    try:
        mine = [_described(block) for block in split_blocks(text)]
    except Unsupported:
        blocks = bibtexparser.parse_string(text, parse_stack=[]).blocks
        assert any(isinstance(block, ParsingFailedBlock) for block in blocks) or "(" in text
        return False
    assert mine == _theirs(text)
    return True


def test_every_bib_file_at_hand_is_read_as_bibtexparser_reads_it():
    assert len(FILES) >= 30
    read = [path for path in FILES if _same_or_left(path.read_text(encoding="utf-8", errors="replace"))]
    assert len(read) >= len(FILES) // 2  # most files are well-formed: the fast path is the common path


@pytest.mark.parametrize(
    "text",
    [
        '@article{a,\n  title = {The {B}ig "Quote", = sign},\n  author = "Smith, J. and {Doe}, A.",\n  year = 2020}',
        '@misc{b, note = "a {"} quote inside", title = x # " and " # {y}}',
        "@misc{c, title = {escaped \\{ brace and \\} close}, pages = {1--2},}",
        "@book{d,\n  title = {A line that ends in a backslash\\\n  goes on},\n  year = {1999}\n}\n@misc{e, year = 1}",
        '@misc{f}\n\n\n   some prose between blocks   \n\n@comment{a {nested} comment}\n@preamble{ "\\def\\x{y}" }\n',
        '@string{nejm = {New England} # { Journal}}\n@STRING{ acm = "ACM" }\n@Article \t{g, journal = nejm}\n',
        "@misc{h, howpublished = {mail me @ {home}}, note = {x@y.org}}",
        "@misc{i, title = {unclosed\n@misc{j, title = {fine}}",  # a block starts inside a value: bibtexparser recovers
        "@misc{k, title = {a}, title = {b}}",  # a field twice
        "@misc{l, title = {a}}\n@misc{l, title = {b}}",  # a key twice
        "@misc(m, title = {parenthesised})",
        "@misc{n, title = {a}\n",  # the end of the text inside a block
        "@misc{o title = {no comma}}",
        "",
        "% only a comment\n",
        "@misc{p,\r\n  title = {Windows line ends},\r\n  year = 2001\r\n}\r\n",
        "@misc{q, author = {M{\\\"u}ller and Garc{\\'\\i}a}, title = {{\\em Emphasis} and $x^2$},\n}",
        '@misc{r,\n  a = {x, y},\n  b = "p, q",\n\n  c = 3,\n  d = {z}\n}',  # a run of plain fields, lines apart
        "@misc{s,\n  a = {x},\n  b = {a {nested} one},\n  c = {y},\n  d = {z},\n}",  # a run, a field, a run
    ],
)
def test_the_shapes_that_steer_the_splitter(text: str):
    _same_or_left(text)


def test_a_bibliography_is_the_same_split_either_way(monkeypatch: pytest.MonkeyPatch):
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in FILES[:60]]
    fast = [parse_bibliography(text) for text in texts]

    def left(piece: str) -> list[Block | EntryBlock]:
        raise Unsupported("always")

    monkeypatch.setattr(refkit.bib.read, "split_blocks", left)
    for text, mine in zip(texts, fast, strict=True):
        theirs = parse_bibliography(text)
        assert mine.entries == theirs.entries
        assert mine.problems == theirs.problems and mine.macros == theirs.macros
        assert mine.is_bibtex == theirs.is_bibtex
