"""Offline signs of invented references (RK8xx): facts an entry cannot have if it describes a real work.

These rules look at one entry at a time and need no records. Each was checked on HALLMARK's development
split (benchmarks/hallmark.py) to fire on invented entries and not on real ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from refkit.bib.read import BibEntry
from refkit.checks.registry import Rule, register
from refkit.checks.verify import bib_field
from refkit.model import Finding, Reference
from refkit.model import Severity as S
from refkit.text import fold

BEFORE_PREPRINT = register(
    Rule(
        "RK801",
        "year-before-preprint",
        S.WARNING,
        "The year is earlier than the arXiv identifier the entry gives.",
        "{key}: year {written} is before {recorded}, when arXiv:{arxiv} was posted",
        explanation=(
            "New-style arXiv identifiers start with the year and month the preprint "
            "was posted (2310.01362: October 2023). A work published before its "
            "own preprint was posted is rare; an invented reference that pairs a "
            "real identifier with another year is common."
        ),
    )
)
LONG_AFTER_PREPRINT = register(
    Rule(
        "RK806",
        "proceedings-long-after-preprint",
        S.WARNING,
        "A proceedings paper is dated three or more years after its arXiv identifier.",
        "{key}: year {written} is {gap} years after arXiv:{arxiv} was posted ({recorded})",
        explanation=(
            "Conference papers appear within a year or so of their preprint. "
            "An entry dated years later usually pairs the preprint with "
            "another venue or year (a mixed-up or invented reference); "
            "check which version it cites."
        ),
    )
)
PLACEHOLDER_ID = register(
    Rule(
        "RK802",
        "placeholder-identifier",
        S.ERROR,
        "A DOI or arXiv identifier contains a placeholder such as 'xxxx'.",
        "{key}: {field} '{written}' contains a placeholder",
        explanation=(
            "Identifiers such as 10.48550/arXiv.2310.xxxx were never filled in; "
            "they resolve nowhere. Look the work up and write its identifier."
        ),
    )
)
PLACEHOLDER_AUTHOR = register(
    Rule(
        "RK803",
        "placeholder-author",
        S.ERROR,
        "An author is a placeholder name (John Doe, Author One, …).",
        "{key}: '{written}' is a placeholder, not an author",
        explanation=(
            "Template names (John Doe, Author One, Firstname Lastname) are left "
            "over from a generated or unfinished entry."
        ),
    )
)

DOI_VENUE = register(
    Rule(
        "RK804",
        "doi-venue-mismatch",
        S.WARNING,
        "The DOI belongs to another venue than the one the entry names.",
        "{key}: DOI {doi} is from {venue} {year}, but the entry names '{written}'",
        explanation=(
            "Some publishers write the venue and year into their DOIs (IEEE/CVF "
            "10.1109/CVPR….2023, AAAI 10.1609/aaai.v37…, ACL Anthology 10.18653/v1/"
            "2020.acl-…). A DOI from CVPR on an entry that names ICML is a DOI "
            "copied from another work, or a venue made up."
        ),
    )
)
DOI_YEAR = register(
    Rule(
        "RK805",
        "doi-year-mismatch",
        S.WARNING,
        "The DOI belongs to a proceedings volume of another year than the entry's.",
        "{key}: DOI {doi} is from {venue} {recorded}, but the year is {written}",
        explanation=(
            "The DOI names its proceedings year (see RK804). A year that differs by "
            "two or more is not the preprint-versus-proceedings difference of one "
            "year, but a DOI or a year that belongs to another work."
        ),
    )
)

# Publishers whose DOIs spell out venue and year: the DOI pattern, and the names an entry may give the venue.
_VENUE_DOIS = (
    (re.compile(r"^10\.1109/(cvpr|iccv|wacv)w?\d*\.(\d{4})\."), lambda m: (m.group(1), int(m.group(2)))),
    (re.compile(r"^10\.1609/aaai\.v(\d+)i"), lambda m: ("aaai", 1986 + int(m.group(1)))),  # vol. 35 = 2021
    (re.compile(r"^10\.18653/v1/(\d{4})\.([a-z]+)-"), lambda m: (m.group(2), int(m.group(1)))),
)
_VENUE_NAMES = {
    "cvpr": ("cvpr", "computer vision and pattern recognition"),
    "iccv": ("iccv", "international conference on computer vision"),
    "wacv": ("wacv", "winter conference on applications of computer vision"),
    "aaai": ("aaai",),
    "acl": ("acl", "association for computational linguistics"),
    "emnlp": ("emnlp", "empirical methods in natural language processing"),
    "naacl": ("naacl", "north american chapter"),
    "eacl": ("eacl", "european chapter"),
    "findings": ("findings",),
}

# New-style arXiv identifiers (YYMM.NNNNN, since April 2007) carry the month they were posted.
_ARXIV_RE = re.compile(r"(?:arxiv[.:/]\s*|arxiv\.org/(?:abs|pdf)/)((\d{2})(\d{2})\.\d{4,5})", re.IGNORECASE)
# `<DOI>` and `<insert doi here>` are placeholders; SICI DOIs carry digits in theirs (…<693::AID-ASI4>3.0.CO;2-O).
_PLACEHOLDER_RE = re.compile(r"x{3,}|\.{3}|…|<[a-z _-]*>|\bTODO\b|\bTBD\b", re.IGNORECASE)
_PLACEHOLDER_NAMES = {
    "john doe",
    "jane doe",
    "doe john",
    "doe jane",
    "author one",
    "author two",
    "author three",
    "first author",
    "second author",
    "third author",
    "firstname lastname",
    "first last",
    "a author",
    "an author",
    "author author",
    "anonymous author",
}


def _arxiv_id(entry: BibEntry, reference: Reference) -> tuple[str, int] | None:
    """The new-style arXiv identifier the entry gives (DOI, eprint or URL) and its year."""
    texts = [
        reference.doi,
        reference.url,
        entry.get("eprint"),
        entry.get("arxiv"),
        entry.get("journal"),
        entry.get("note"),
    ]
    if reference.arxiv:
        texts.append(f"arXiv:{reference.arxiv}")
    for text in texts:
        match = _ARXIV_RE.search(text or "")
        if match and int(match.group(2)) >= 7 and 1 <= int(match.group(3)) <= 12:
            return match.group(1), 2000 + int(match.group(2))
    return None


def _preprint_year(entry: BibEntry, reference: Reference, file: str | None) -> Iterator[Finding]:
    found = _arxiv_id(entry, reference)
    if not found or not reference.year:
        return
    identifier, posted = found
    year_field = bib_field(entry, "year")
    values: dict[str, Any] = {
        "key": entry.key,
        "file": file,
        "line": entry.line_of(year_field),
        "field": year_field,
        "written": str(reference.year),
        "recorded": str(posted),
        "arxiv": identifier,
    }
    if reference.year < posted:
        yield BEFORE_PREPRINT.finding(**values)
    elif reference.year - posted >= 3 and "booktitle" in entry.fields:
        yield LONG_AFTER_PREPRINT.finding(**values, gap=reference.year - posted)


def _placeholder_ids(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    for name in ("doi", "eprint"):
        value = entry.fields.get(name, "")
        if value and _PLACEHOLDER_RE.search(value):
            yield PLACEHOLDER_ID.finding(key=entry.key, file=file, line=entry.line_of(name), field=name, written=value)


def _placeholder_authors(entry: BibEntry, reference: Reference, file: str | None) -> Iterator[Finding]:
    for name in reference.authors:
        text = fold(f"{name.given} {name.full_family}" if name.family else name.literal)
        if text in _PLACEHOLDER_NAMES:
            yield PLACEHOLDER_AUTHOR.finding(
                key=entry.key, file=file, line=entry.line_of("author"), field="author", written=str(name)
            )


def doi_venue(doi: str) -> tuple[str, int] | None:
    """(venue acronym, year) that a DOI spells out, for the publishers that do."""
    for pattern, read in _VENUE_DOIS:
        match = pattern.match(doi.lower())
        if match:
            venue, year = read(match)
            return (venue, year) if venue in _VENUE_NAMES else None
    return None


def _doi_venue_and_year(entry: BibEntry, reference: Reference, file: str | None) -> Iterator[Finding]:
    found = doi_venue(reference.doi) if reference.doi else None
    if found is None:
        return
    venue, year = found
    written = reference.container_title or reference.container_title_short
    if written and not any(name in fold(written) for name in _VENUE_NAMES[venue]):
        field = bib_field(entry, "container")
        yield DOI_VENUE.finding(
            key=entry.key,
            file=file,
            line=entry.line_of(field),
            field=field,
            written=written,
            recorded=venue.upper(),
            doi=reference.doi,
            venue=venue.upper(),
            year=year,
        )
    if reference.year and abs(reference.year - year) >= 2:
        year_field = bib_field(entry, "year")
        yield DOI_YEAR.finding(
            key=entry.key,
            file=file,
            line=entry.line_of(year_field),
            field=year_field,
            written=str(reference.year),
            recorded=str(year),
            doi=reference.doi,
            venue=venue.upper(),
        )


def heuristics(entries: list[tuple[BibEntry, Reference]]) -> list[Finding]:
    """Every RK8xx finding for the entries, in entry order."""
    findings: list[Finding] = []
    for entry, reference in entries:
        file = reference.location.file
        findings.extend(_preprint_year(entry, reference, file))
        findings.extend(_placeholder_ids(entry, file))
        findings.extend(_placeholder_authors(entry, reference, file))
        findings.extend(_doi_venue_and_year(entry, reference, file))
    return findings
