from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from refkit.bib import load_bibliography, parse_bibliography, to_reference, write_references
from refkit.bib.convert import _simple_name, parse_names
from refkit.model import Name
from refkit.text import latex_to_unicode
from tests.conftest import ROOT, shared_file, shared_folder

SAMPLE = """% my notes on CML
@string{nejm = {New England Journal of Medicine}}
@preamble{"\\newcommand{\\noopsort}[1]{}"}

@article{druker2006five,
  author = {Druker, Brian J. and Guilhot, Fran{\\c{c}}ois and others},
  title = {Five-Year Follow-up of {Imatinib}},
  journal = nejm # { (Boston)},
  year = 2006,
  month = dec,
  volume = {355}, number = {23},
  pages = {2408--17},
  doi = {https://doi.org/10.1056/NEJMoa062867},
  keywords = {cml, imatinib},
  file = {druker.pdf}
}

@inproceedings{child,
  author = {van der Berg, Jan and {World Health Organization}},
  title = {A Child},
  crossref = {parent},
  pages = {1--10}
}
@proceedings{parent,
  title = {Proceedings of Things},
  year = {2020},
  publisher = {ACM}
}
"""


def test_entries_keep_lines_and_resolve_macros():
    bib = parse_bibliography(SAMPLE, "sample.bib")
    entry = bib.by_key()["druker2006five"]
    assert entry.line == 5
    assert entry.field_lines["pages"] == 12
    assert entry.fields["journal"] == "New England Journal of Medicine (Boston)"
    assert entry.fields["month"] == "12"
    assert bib.problems == []


def test_to_reference_decodes_fields():
    bib = parse_bibliography(SAMPLE, "sample.bib")
    reference = to_reference(bib.by_key()["druker2006five"], "sample.bib")
    assert reference.type == "article-journal"
    assert reference.title == "Five-Year Follow-up of Imatinib"
    assert reference.authors == [Name("Druker", "Brian J."), Name("Guilhot", "François")]
    assert reference.authors_truncated
    assert (reference.year, reference.month) == (2006, 12)
    assert reference.page == "2408–17"
    assert reference.doi == "10.1056/nejmoa062867"
    assert reference.keywords == ("cml", "imatinib")
    assert reference.fields == {"file": "druker.pdf"}
    assert reference.location.line == 5


def test_crossref_parent_fields_are_inherited():
    bib = parse_bibliography(SAMPLE)
    child = to_reference(bib.by_key()["child"])
    assert child.type == "paper-conference"
    assert child.container_title == "Proceedings of Things"
    assert child.year == 2020
    assert child.publisher == "ACM"
    assert child.authors == [Name("Berg", "Jan", particle="van der"), Name(literal="World Health Organization")]


def test_names_with_suffix_and_et_al():
    names, truncated = parse_names("King, Jr, Martin Luther and Doe, J. and et al.")
    assert names == [Name("King", "Martin Luther", suffix="Jr"), Name("Doe", "J.")]
    assert truncated


def test_problems_are_reported_with_lines():
    text = "@article{a, title={x}}\n@article{a, title={y}}\n@article{b, title={x}, title={y}}\n@article{c, title={x\n"
    bib = parse_bibliography(text)
    assert [(p.kind, p.line, p.key) for p in bib.problems] == [
        ("duplicate-key", 2, "a"),
        ("duplicate-field", 3, "b"),
        ("syntax", 4, "c"),
    ]
    assert [e.key for e in bib.entries] == ["a", "a", "b"]  # duplicates are still read, in file order


def test_a_syntax_error_says_what_bibtexparser_expected():
    bib = parse_bibliography("@article{roe2020 title = {T}}\n")
    assert [(p.kind, p.message) for p in bib.problems] == [("syntax", "Expected comma after entry key, but found =")]


def _semantic(path: Path) -> list:
    bib = load_bibliography(path)
    return [to_reference(entry) for entry in bib.entries]


def _without_location(reference):
    reference.location = None
    return reference


@pytest.mark.parametrize(
    ("name", "allowed"), [("references.bib", 0), ("biblatex-examples.bib", 0), ("texbook3.bib", 4), ("tugboat.bib", 3)]
)
def test_reference_round_trip_is_lossless(name, allowed, tmp_path):
    """bib → Reference → bib → Reference gives the same References (values, names, unknown fields).

    The few allowed differences are TeX math and box macros in titles (`$\\rm GL(2)\\times$`, `\\rlap{}`),
    which plain text cannot carry."""
    path = ROOT / name if name == "references.bib" else shared_file("data", "bibtex", name)
    first = _semantic(path)
    written = tmp_path / "out.bib"
    written.write_text(write_references(first), encoding="utf-8")
    second = _semantic(written)
    assert [r.key for r in second] == [r.key for r in first]
    differing = [b.key for b, a in zip(first, second, strict=True) if _without_location(a) != _without_location(b)]
    assert len(differing) <= allowed, differing


@pytest.mark.parametrize("name", ["biblatex-examples.bib", "texbook3.bib", "tugboat.bib"])
def test_library_round_trip_keeps_blocks_fields_order_and_comments(name):
    """Parsing and writing an unchanged file through bibtexparser keeps every block, field and comment."""
    path = shared_file("data", "bibtex", name)
    bib = load_bibliography(path)
    library = bibtexparser.parse_string(bib.text, parse_stack=[])
    text = bibtexparser.write_string(library, unparse_stack=[])
    again = parse_bibliography(text)
    assert [e.key for e in again.entries] == [e.key for e in bib.entries]
    assert [list(e.fields.items()) for e in again.entries] == [list(e.fields.items()) for e in bib.entries]
    assert again.macros == bib.macros
    written = bibtexparser.parse_string(text, parse_stack=[])
    assert [s.value for s in written.strings] == [s.value for s in library.strings]
    assert [p.value for p in written.preambles] == [p.value for p in library.preambles]
    written_comments = [c.comment for c in written.comments if not c.comment.startswith("% WARNING Parsing")]
    assert written_comments == [c.comment for c in library.comments]


def test_written_bibtex_is_read_by_bibtexparser_and_escapes_specials():
    bib = parse_bibliography((ROOT / "references.bib").read_text(encoding="utf-8"))
    text = write_references([to_reference(entry) for entry in bib.entries])
    assert r"Sau{\ss}ele, S. and others" in text
    assert r"Pharmacology \& Therapeutics" in text
    assert "pages = {2408--2417}" in text
    assert len(bibtexparser.parse_string(text).entries) == 10


def _bibtexparser_name(person: str) -> Name:
    parts = parse_single_name_into_parts(person, strict=False)
    return Name(
        family=latex_to_unicode(" ".join(parts.last)),
        given=latex_to_unicode(" ".join(parts.first)),
        particle=latex_to_unicode(" ".join(parts.von)),
        suffix=latex_to_unicode(" ".join(parts.jr)),
    )


def test_the_fast_name_path_agrees_with_bibtexparser():
    people = ["Druker, B. J.", "Brian J. Druker", "Gambacorti Passerini, C.", "Jean-Paul Sartre", "Mahon, F.-X."]
    for name in ("tugboat.bib", "texbook3.bib", "biblatex-examples.bib"):
        path = shared_folder() / "data" / "bibtex" / name
        if path.exists():
            for entry in load_bibliography(path).entries:
                people += split_multiple_persons_names(entry.fields.get("author", ""))
    fast = [person.strip() for person in people if _simple_name(person.strip()) is not None]
    assert len(fast) >= 5
    for person in fast:
        assert _simple_name(person) == _bibtexparser_name(person), person
    for person in (
        "van der Berg, Jan",
        "King, Jr, Martin",
        "D.~E. Knuth",
        "{World Health Organization}",
        "Sau{\\ss}ele, S.",
        "Ludwig van Beethoven",
    ):
        assert _simple_name(person) is None, person


PIECES = r"""@string{later = "Defined " # after}
@article{first, title = {Uses } # later, journal = jnl, year = 2020}
@string{after = {its use}}
@string{jnl = {Journal of Pieces}}
@article{first, title = {The same key again}, year = 2021}
@inproceedings{child, crossref = {parent}, title = {A child}}
@article{broken, title = {an unclosed brace, year = 2020
@article{at, abstract = {A value with a line that starts with an at sign
@ in it}, year = 2022}
@proceedings{parent, title = {The parent}, year = 2019, publisher = {P}}
@string{jnl = {Journal, defined twice}}
"""


@pytest.mark.parametrize("size", [1, 40, 200])
def test_pieces_read_as_the_whole_text_reads(monkeypatch, size):
    """The text is parsed a piece at a time; wherever the cuts fall, entries, lines, macros and problems are
    those of one piece (duplicates, macros and crossref parents across pieces, blocks cut short)."""
    whole = parse_bibliography(PIECES)
    monkeypatch.setattr("refkit.bib.read.PIECE_CHARS", size)
    pieces = parse_bibliography(PIECES)
    assert pieces.entries == whole.entries
    assert pieces.problems == whole.problems
    assert pieces.macros == whole.macros
    assert [e.key for e in whole.entries].count("first") == 2
    assert whole.entries[0].fields["title"] == "Uses Defined its use"
    assert whole.by_key()["child"].get("publisher") == "P"
    assert {p.kind for p in whole.problems} >= {"duplicate-key", "syntax"}


@pytest.mark.parametrize("name", ["biblatex-examples.bib", "tugboat.bib"])
def test_pieces_read_a_real_file_as_one_piece_does(monkeypatch, name):
    text = shared_file("data", "bibtex", name).read_text(encoding="utf-8")
    whole = parse_bibliography(text)
    monkeypatch.setattr("refkit.bib.read.PIECE_CHARS", 5_000)
    pieces = parse_bibliography(text)
    assert (pieces.entries, pieces.problems, pieces.macros) == (whole.entries, whole.problems, whole.macros)


def test_lines_stay_right_after_a_backslash_at_the_end_of_a_line():
    """bibtexparser does not count a newline after a backslash (tugboat.bib writes `pp.\\` so); every line
    after one, of entries and of fields, would be off by one."""
    text = (
        '@article{a,\n  title = "Erratum, pp.\\\n 272--276",\n  year = 1992\n}\n\n'
        "@article{b,\n  title = {B},\n  year = 1993\n}\n"
    )
    a, b = parse_bibliography(text).entries
    assert (a.line, a.field_lines) == (1, {"title": 2, "year": 4})
    assert (b.line, b.field_lines) == (7, {"title": 8, "year": 9})
