"""BibTeX/biblatex entries ⇄ Reference, following the mapping pandoc's citeproc uses where one exists."""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from refkit.bib.read import BibEntry
from refkit.model import Location, Name, Reference
from refkit.text import MONTH_MACROS, balanced_braces, latex_to_unicode, normalize_doi, normalize_pages

BIB_TO_CSL = {
    "article": "article-journal", "book": "book", "mvbook": "book", "inbook": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "incollection": "chapter",
    "suppcollection": "chapter", "collection": "book", "mvcollection": "book", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "mvproceedings": "book", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report", "report": "report",
    "manual": "book", "booklet": "pamphlet", "unpublished": "manuscript", "online": "webpage",
    "www": "webpage", "electronic": "webpage", "patent": "patent", "dataset": "dataset",
    "software": "software", "periodical": "periodical", "reference": "book", "mvreference": "book",
    "inreference": "entry-encyclopedia", "misc": "document", "letter": "personal_communication",
}  # fmt: skip
CSL_TO_BIB = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "review": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "thesis": "phdthesis", "report": "techreport",
    "webpage": "online", "post-weblog": "online", "manuscript": "unpublished", "pamphlet": "booklet",
    "patent": "patent", "dataset": "dataset", "software": "software", "document": "misc",
    "entry-encyclopedia": "inreference", "entry-dictionary": "inreference", "periodical": "periodical",
}  # fmt: skip

_YEAR_RE = re.compile(r"^\s*(\d{4})([a-z]?)\s*$")
_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_ET_AL = {"others", "et al.", "et al", "{et al.}"}


def parse_names(value: str) -> tuple[list[Name], bool]:
    """BibTeX name list → Names, and whether it ended with "and others" (a truncated list)."""
    names, truncated = _parse_names(value)
    return list(names), truncated


@lru_cache(maxsize=16384)
def _parse_names(value: str) -> tuple[tuple[Name, ...], bool]:
    """Cached: the same author lists recur throughout real bibliographies."""
    people = [person.strip() for person in split_multiple_persons_names(value)]
    truncated = any(person.lower() in _ET_AL for person in people)
    names = tuple(_parse_person(person) for person in people if person and person.lower() not in _ET_AL)
    return names, truncated


@lru_cache(maxsize=65536)
def _parse_person(person: str) -> Name:
    """One person in BibTeX form; cached too, because people recur in different author lists."""
    if person.startswith("{") and person.endswith("}") and balanced_braces(person[1:-1]):
        return Name(literal=latex_to_unicode(person[1:-1]))
    simple = _simple_name(person)
    if simple is not None:
        return simple
    try:
        parts = parse_single_name_into_parts(person, strict=False)
    except Exception:  # bibtexparser raises on malformed names; keep the text
        return Name(literal=latex_to_unicode(person))
    return Name(
        family=latex_to_unicode(" ".join(parts.last)),
        given=latex_to_unicode(" ".join(parts.first)),
        particle=latex_to_unicode(" ".join(parts.von)),
        suffix=latex_to_unicode(" ".join(parts.jr)),
    )


def _simple_name(person: str) -> Name | None:
    """The common plain forms, "Family Name, Given" and "Given Family", without bibtexparser's full name
    grammar (a quarter of the time of a validate run on large files); None for anything with braces, macros,
    ties, particles or suffixes, which the full grammar handles. Tests check it agrees with bibtexparser."""
    if any(char in person for char in "{}\\~"):
        return None
    family, comma, given = person.partition(",")
    words = family.split()
    if not words or not all(word[0].isupper() for word in words):
        return None
    if comma:
        given_words = given.split()
        if "," in given or not given_words:
            return None
        return Name(family=" ".join(words), given=" ".join(given_words))
    if len(words) < 2:
        return None
    return Name(family=words[-1], given=" ".join(words[:-1]))


def _date(entry: BibEntry) -> tuple[int | None, str, int | None, int | None]:
    year_text = entry.get("year")
    month_text = entry.get("month").strip().lower()[:3]
    month_text = MONTH_MACROS.get(month_text, month_text)  # a braced {March} is no macro: read it as one
    month = int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None
    match = _YEAR_RE.match(latex_to_unicode(year_text)) if year_text else None
    date = _DATE_RE.match(entry.get("date"))
    day_text = entry.get("day").strip()
    day = int(date.group(3)) if date and date.group(3) else (int(day_text) if day_text.isdigit() else None)
    if match:
        return int(match.group(1)), match.group(2), month, day
    if date:
        return int(date.group(1)), "", int(date.group(2)) if date.group(2) else month, day
    return None, "", month, None


_KNOWN = {
    "author",
    "editor",
    "title",
    "subtitle",
    "journal",
    "journaltitle",
    "booktitle",
    "series",
    "shortjournal",
    "journalabbrev",
    "year",
    "date",
    "month",
    "volume",
    "number",
    "issue",
    "pages",
    "edition",
    "doi",
    "url",
    "issn",
    "isbn",
    "pmid",
    "pmcid",
    "eprint",
    "eprinttype",
    "archiveprefix",
    "publisher",
    "address",
    "location",
    "school",
    "institution",
    "organization",
    "type",
    "abstract",
    "keywords",
    "note",
}


def to_reference(entry: BibEntry, file: str | None = None) -> Reference:
    """Convert one BibTeX entry into a Reference with plain Unicode values."""

    values = {**entry.inherited, **entry.fields} if entry.inherited else entry.fields

    def raw(name: str) -> str:
        return values.get(name) or ""

    def get(name: str) -> str:
        value = values.get(name)
        return latex_to_unicode(value) if value else ""

    csl_type = BIB_TO_CSL.get(entry.entry_type, "document")
    authors, truncated = parse_names(raw("author"))
    editors, _ = parse_names(raw("editor"))
    title = get("title")
    if get("subtitle"):
        title = f"{title}: {get('subtitle')}"
    container = get("journal") or get("journaltitle")
    if csl_type in ("chapter", "paper-conference", "entry-encyclopedia") or not container:
        container = container or get("booktitle")
    year, suffix, month, day = _date(entry)
    eprint_type = (raw("eprinttype") or raw("archiveprefix")).lower()
    genre = get("type")
    if entry.entry_type == "mastersthesis" and not genre:
        genre = "Master's thesis"
    if entry.entry_type == "phdthesis" and not genre:
        genre = "PhD thesis"
    number = get("number")
    # biblatex: `number` is the issue of a journal; `issue` is for words like "Spring" when there is no number.
    issue = (number if csl_type in ("article-journal", "periodical") else "") or get("issue")
    return Reference(
        key=entry.key,
        type=csl_type,
        title=title,
        authors=authors,
        authors_truncated=truncated,
        editors=editors,
        container_title=container,
        container_title_short=get("shortjournal") or get("journalabbrev"),
        collection_title=get("series"),
        year=year,
        year_suffix=suffix,
        month=month,
        day=day,
        volume=get("volume"),
        issue=issue,
        page=normalize_pages(get("pages")) if raw("pages") else "",
        edition=get("edition"),
        doi=normalize_doi(raw("doi")) if raw("doi") else "",
        url=raw("url").strip(),
        issn=tuple(part.strip() for part in re.split(r"[,;\s]+", raw("issn")) if part.strip()),
        isbn=raw("isbn").strip(),
        pmid=raw("pmid").strip(),
        pmcid=raw("pmcid").strip(),
        arxiv=raw("eprint").strip() if eprint_type == "arxiv" else "",
        publisher=get("publisher") or get("school") or get("institution") or get("organization"),
        publisher_place=get("address") or get("location"),
        genre=genre,
        abstract=get("abstract"),
        keywords=tuple(k.strip() for k in re.split(r"[,;]", get("keywords")) if k.strip()),
        note=get("note"),
        fields={name: value for name, value in entry.fields.items() if name not in _KNOWN},
        location=Location(file=file, line=entry.line, key=entry.key),
    )
