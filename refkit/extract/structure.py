"""Fields a format marks itself (see `refkit.documents.blocks.Block.fields`) laid over what the tagger read.

A biber `\\entry` carries the whole entry (`entrytype` and BibTeX fields), so it becomes a Reference the way
a .bib entry does, with no tagging; partial markup (`\\bibinfo`, `\\newblock` layout, HTML `<strong>`) names
a few fields in Reference terms, which replace the tagger's guesses for those fields only.
"""

from __future__ import annotations

from dataclasses import replace

from refkit.bib.convert import to_reference
from refkit.bib.read import BibEntry
from refkit.extract import fields as clean
from refkit.extract.identifiers import find_identifiers
from refkit.extract.names import parse_names
from refkit.model import Location, Name, Reference

Marked = tuple[tuple[str, str], ...]


def entry_reference(marked: Marked, key: str, text: str, location: Location) -> Reference:
    """A whole entry the format wrote out (biber's `\\entry`) as a Reference, as if read from a .bib."""
    values = dict(marked)
    entry = BibEntry(key=key, entry_type=values.pop("entrytype").lower(), fields=values, line=location.line or 1)
    reference = to_reference(entry, location.file)
    reference.raw = text
    reference.location = replace(location, key=key or None)
    return reference


def _authors(marked: Marked) -> tuple[list[Name], bool] | None:
    """The authors the format marked: one name a marked `author` (`\\bibinfo{author}{J. Smith}`; an empty
    one when it marks none; `truncated` when the list ends in "et al."), or a whole list as `authors`."""
    people = [value for name, value in marked if name == "author"]
    if people:
        names = [found[0] for person in people if person and (found := parse_names(person)[0])]
        return names, any(name == "truncated" for name, _ in marked)
    listed = next((value for name, value in marked if name == "authors"), "")
    return parse_names(listed) if listed else None


def apply_marked(reference: Reference, marked: Marked) -> Reference:
    """The tagger's reading with the marked fields put in their place."""
    if not marked:
        return reference
    values: dict[str, str] = {}
    for name, value in marked:
        if value.strip():
            values.setdefault(name, value.strip())
    authors = _authors(marked)
    if authors is not None:
        reference.authors, reference.authors_truncated = authors
    if "title" in values:
        reference.title = clean.clean_title(values["title"])
    if "container" in values:
        reference.container_title = values["container"].strip(" ,;:")  # marked: "Phys. Rev." keeps its stop
    if "year" in values:
        year, suffix, _ = clean.date_parts(values["year"])
        if year:
            reference.year, reference.year_suffix = year, suffix or reference.year_suffix
    if "volume" in values:
        reference.volume = clean.clean(values["volume"])
    if "issue" in values:
        reference.issue = clean.clean(values["issue"])
    if "pages" in values:
        reference.page = clean.pages(values["pages"])
    if "publisher" in values:
        reference.publisher = clean.clean(values["publisher"])
    if "doi" in values:
        found = [match.value for match in find_identifiers("doi:" + values["doi"]) if match.kind == "doi"]
        reference.doi = found[0] if found else reference.doi
    return reference
