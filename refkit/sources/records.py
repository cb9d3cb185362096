"""Crossref `message` records → Reference, so a record and a user's entry are compared as equals.

Whatever a record came from (the REST API, a local snapshot, a data file), it becomes a `Candidate` here
(`crossref_candidate`): its fields through `to_reference`, the update notices that matter for verification
(retractions, corrections, expressions of concern) through `updates` and `notice_of`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from refkit.model import Name, Reference
from refkit.sources.base import Candidate, Notice, Record
from refkit.text import normalize_doi, normalize_pages

CROSSREF_TO_CSL = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference",
    "book-chapter": "chapter", "book-section": "chapter", "book-part": "chapter", "book": "book",
    "monograph": "book", "edited-book": "book", "reference-book": "book", "book-set": "book",
    "book-series": "book", "book-track": "chapter", "reference-entry": "entry-encyclopedia",
    "posted-content": "article", "dissertation": "thesis", "report": "report", "report-series": "report",
    "dataset": "dataset", "standard": "standard", "peer-review": "review", "journal": "periodical",
    "journal-issue": "periodical", "journal-volume": "periodical", "proceedings": "book",
    "proceedings-series": "book", "component": "document", "grant": "document", "other": "document",
}  # fmt: skip

# Crossref's date fields, most authoritative first: `issued` is the earliest of print and online. Never
# `created`: that is when the record was deposited, not when the work was published.
DATE_FIELDS = ("issued", "published-print", "published-online", "published", "posted")

_TAG_RE = re.compile(r"<[^>]+>")
_HEADING_RE = re.compile(r"<jats:title>.*?</jats:title>", re.DOTALL | re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")
_NEEDS_CLEANING_RE = re.compile(r"[<&]|\s\s|[^ \S]|\s[,.;:)]")  # markup, an entity, spacing to collapse
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)


def strip_markup(value: str) -> str:
    """Plain text from a JATS/HTML fragment ("<jats:p>A <i>B</i></jats:p>" → "A B")."""
    if not _NEEDS_CLEANING_RE.search(value):  # most names and titles: plain text already (a mirror's hot path)
        return value.strip()
    text = _HEADING_RE.sub(" ", value)
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    text = re.sub(r"\s+([,.;:)])", r"\1", _SPACES_RE.sub(" ", text))
    return text.strip()


def as_list(value: Any) -> list[Any]:
    """A field Crossref gives as a list; a lone value, as hand-made snapshot records have, is a list of one."""
    if isinstance(value, list):
        return value
    return [] if value is None or value == "" else [value]


def _first(record: Record, name: str) -> str:
    """Crossref keeps most text fields as lists; the first item is the one to cite."""
    values = as_list(record.get(name))
    return strip_markup(str(values[0])) if values and values[0] else ""


def date_parts(record: Record, name: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of one of the record's date fields; missing parts are None."""
    return _parts(record.get(name))


def _parts(value: Any) -> tuple[int | None, int | None, int | None]:
    parts = (value or {}).get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if parts and isinstance(parts[0], list) else []
    numbers = [int(p) if isinstance(p, int | str) and str(p).isdigit() else None for p in first[:3]]
    numbers += [None] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def years(record: Record) -> set[int]:
    """Every year the record gives in its dates: an online-first article can be cited by either."""
    return {year for name in DATE_FIELDS[:4] if (year := _year(record.get(name)))}


def _year(value: Any) -> int | None:
    """`_parts(value)[0]`, without reading the month and day (a mirror search asks it of many records)."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if parts and isinstance(parts[0], list) else None
    year = first[0] if first else None
    return int(year) if isinstance(year, int | str) and str(year).isdigit() else None


def _names(people: Any) -> list[Name]:
    names = []
    for person in as_list(people):
        if not isinstance(person, dict):  # not Crossref's shape (a hand-made "Smith, J." string): unusable
            continue
        family = strip_markup(str(person.get("family") or ""))
        if family:
            names.append(
                Name(
                    family=family,
                    given=strip_markup(str(person.get("given") or "")),
                    suffix=str(person.get("suffix") or ""),
                )
            )
        elif person.get("name"):
            names.append(Name(literal=strip_markup(str(person["name"]))))
    return names


def _title(record: Record) -> str:
    title = _first(record, "title")
    subtitle = _first(record, "subtitle")
    if subtitle and subtitle.casefold() not in title.casefold():
        return f"{title}: {subtitle}" if title else subtitle
    return title


def to_reference(record: Record) -> Reference:
    """One Crossref `message` as a Reference; dates fall back from `issued` to print/online publication."""
    year = month = day = None
    for name in DATE_FIELDS:
        year, month, day = date_parts(record, name)
        if year:
            break
    other_years = sorted(years(record) - {year})
    page = normalize_pages(str(record.get("page", "") or "")) or str(record.get("article-number", "") or "")
    doi = _DOI_URL_RE.sub("", str(record.get("DOI", "") or "").strip())  # Crossref's own spelling
    return Reference(
        key=doi,
        type=CROSSREF_TO_CSL.get(str(record.get("type", "")), "document"),
        title=_title(record),
        authors=_names(record.get("author")),
        editors=_names(record.get("editor")),
        container_title=_first(record, "container-title"),
        container_title_short=_first(record, "short-container-title"),
        year=year,
        month=month,
        day=day,
        volume=str(record.get("volume", "") or ""),
        issue=str(record.get("issue", "") or ""),
        page=page,
        edition=str(record.get("edition-number", "") or ""),
        doi=doi,
        url=str(record.get("URL", "") or ""),
        issn=tuple(str(issn) for issn in as_list(record.get("ISSN"))),
        isbn=_first(record, "ISBN"),
        publisher=str(record.get("publisher", "") or ""),
        publisher_place=str(record.get("publisher-location", "") or ""),
        abstract=strip_markup(str(record.get("abstract", "") or "")),
        fields={"other-years": " ".join(map(str, other_years))} if other_years else {},
    )


_RELATION_KINDS = {
    "is-retracted-by": "retraction",
    "has-retraction": "retraction",
    "is-corrected-by": "correction",
    "has-correction": "correction",
    "has-expression-of-concern": "expression_of_concern",
}


def _update(item: dict[str, Any]) -> Notice:
    year = _parts(item.get("updated"))[0]
    return Notice(
        kind=str(item.get("type", "")).lower().replace("-", "_"),
        doi=normalize_doi(str(item.get("DOI", ""))),
        label=str(item.get("label", "")),
        source=str(item.get("source", "")),
        year=year,
    )


def updates(record: Record) -> list[Notice]:
    """Notices that change the standing of this work: `updated-by` entries, `update-to` entries that point at
    the record itself (some publishers deposit them that way) and retraction/correction `relation`s."""
    own = normalize_doi(str(record.get("DOI", "")))
    found = [_update(item) for item in as_list(record.get("updated-by")) if isinstance(item, dict)]
    found += [
        _update(item)
        for item in as_list(record.get("update-to"))
        if isinstance(item, dict) and normalize_doi(str(item.get("DOI", ""))) == own
    ]
    relations = record.get("relation")
    for relation, items in relations.items() if isinstance(relations, dict) else ():
        kind = _RELATION_KINDS.get(relation)
        for item in as_list(items) if kind else []:
            if kind and isinstance(item, dict):
                found.append(Notice(kind=kind, doi=normalize_doi(str(item.get("id", ""))), source="relation"))
    return list(dict.fromkeys(found))


def notice_of(record: Record) -> list[Notice]:
    """When the record is itself a notice (a retraction or correction of other works), what it updates."""
    own = normalize_doi(str(record.get("DOI", "")))
    return [
        _update(item)
        for item in as_list(record.get("update-to"))
        if isinstance(item, dict) and normalize_doi(str(item.get("DOI", ""))) != own
    ]


def crossref_candidate(record: Record, source: str = "crossref") -> Candidate:
    """A Crossref-schema record as the normalised candidate every consumer reads."""
    reference = to_reference(record)
    return Candidate(
        reference,
        source,
        id=reference.doi,
        agency="Crossref",
        notices=tuple(updates(record)),
        notice_for=tuple(notice_of(record)),
        record=record,
    )
