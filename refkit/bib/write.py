"""Reference → BibTeX text through bibtexparser's writer, LaTeX-encoding what classic BibTeX needs."""

from __future__ import annotations

from collections.abc import Iterable

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from refkit.bib.convert import CSL_TO_BIB
from refkit.model import Name, Reference
from refkit.text import unicode_to_latex

_VERBATIM = {"doi", "url", "eprint", "pmid", "pmcid", "isbn", "issn"}


def format_name(name: Name) -> str:
    """One name in BibTeX's "von Last, Jr, First" form; organisations are protected with braces."""
    if name.literal:
        return "{" + unicode_to_latex(name.literal) + "}"
    family = unicode_to_latex(name.family)
    if " " in name.family:  # "Gambacorti Passerini" stays one family name
        family = "{" + family + "}"
    parts = [f"{unicode_to_latex(name.particle)} {family}" if name.particle else family]
    if name.suffix:
        parts.append(unicode_to_latex(name.suffix))
    if name.given:
        parts.append(unicode_to_latex(name.given))
    return ", ".join(parts)


def format_names(names: list[Name], truncated: bool = False) -> str:
    people = [format_name(name) for name in names]
    if truncated:
        people.append("others")
    return " and ".join(people)


def bib_fields(reference: Reference) -> list[tuple[str, str]]:
    """The BibTeX fields of a reference in a conventional order, values already encoded as BibTeX text."""
    bib_type = CSL_TO_BIB.get(reference.type, "misc")
    container_field = "journal" if bib_type == "article" else "booktitle"
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: str | None, *, encoded: bool = False) -> None:
        if value:
            verbatim = encoded or name in _VERBATIM
            pairs.append((name, value if verbatim else unicode_to_latex(value)))

    if reference.authors or reference.authors_truncated:
        add("author", format_names(reference.authors, reference.authors_truncated), encoded=True)
    if reference.editors:
        add("editor", format_names(reference.editors), encoded=True)
    add("title", reference.title)
    add(container_field, reference.container_title)
    add("shortjournal", reference.container_title_short if bib_type == "article" else "")
    add("series", reference.collection_title)
    add("year", f"{reference.year}{reference.year_suffix}" if reference.year else "")
    add("month", str(reference.month) if reference.month else "")
    if reference.year and reference.month and reference.day:
        add("date", f"{reference.year:04d}-{reference.month:02d}-{reference.day:02d}")
    add("volume", reference.volume)
    add("number", reference.issue)
    add("pages", reference.page)  # the en dash becomes --
    add("edition", reference.edition)
    publisher_field = {"phdthesis": "school", "techreport": "institution"}.get(bib_type, "publisher")
    add(publisher_field, reference.publisher)
    add("address", reference.publisher_place)
    implied_genre = reference.genre in ("PhD thesis", "Master's thesis") and reference.type == "thesis"
    add("type", "" if implied_genre else reference.genre)
    add("doi", reference.doi)
    add("url", reference.url)
    add("issn", ", ".join(reference.issn))
    add("isbn", reference.isbn)
    add("pmid", reference.pmid)
    add("pmcid", reference.pmcid)
    if reference.arxiv:
        add("eprint", reference.arxiv)
        add("archiveprefix", "arXiv")
    add("keywords", ", ".join(reference.keywords))
    add("abstract", reference.abstract)
    add("note", reference.note)
    written = {name for name, _ in pairs}
    pairs.extend((name, value) for name, value in reference.fields.items() if name not in written)
    return pairs


def to_entry(reference: Reference) -> Entry:
    fields = [Field(name, "{" + text + "}") for name, text in bib_fields(reference)]
    entry_type = CSL_TO_BIB.get(reference.type, "misc")
    if reference.type == "thesis" and "master" in reference.genre.lower():
        entry_type = "mastersthesis"
    return Entry(entry_type, reference.key, fields)


def write_references(references: Iterable[Reference]) -> str:
    """A complete .bib text for the references, in order. Entries are written one at a time because
    bibtexparser's Library refuses (or cannot write) two entries with the same key, and an export keeps
    every entry it read, duplicates included (the commands report them)."""
    bib_format = BibtexFormat()
    bib_format.indent = "  "
    bib_format.block_separator = "\n"
    blocks = (
        bibtexparser.write_string(Library([to_entry(reference)]), unparse_stack=[], bibtex_format=bib_format)
        for reference in references
    )
    return bib_format.block_separator.join(blocks)
