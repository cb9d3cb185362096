"""`extract --resolve`: look each parsed reference up by bibliographic search and, for confident matches
only, add the DOI and the fields the string did not give. What the string says is never overwritten (a
disagreement is `refkit validate`'s to report); doubtful and unmatched references are listed, not changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from refkit.match import Decision
from refkit.model import Reference
from refkit.sources.base import Progress
from refkit.sources.identify import Identification, Sources, identify_many

FILLED = (
    "doi",
    "container_title",
    "container_title_short",
    "year",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher_place",
    "isbn",
    "issn",
    "url",
)


class Outcome(StrEnum):
    RESOLVED = "resolved"  # a record was accepted as the cited work; its DOI was added
    KEPT = "kept"  # the string already carried a DOI: not searched
    DOUBTFUL = "doubtful"  # a record shares the title but not the rest: left alone
    NOT_FOUND = "not-found"  # no candidate is the cited work (which does not mean the work does not exist)
    UNAVAILABLE = "unavailable"  # the search could not be made (offline, network, server)


@dataclass(frozen=True, slots=True)
class Resolution:
    key: str
    outcome: Outcome
    doi: str = ""
    reason: str = ""


def fill_from(reference: Reference, record: Reference) -> None:
    """Copy the record's values into the reference's empty fields."""
    for name in FILLED:
        if not getattr(reference, name) and getattr(record, name):
            setattr(reference, name, getattr(record, name))


def decide(reference: Reference, found: Identification) -> Resolution:
    """What the chain's answer means for one reference; fills the reference for an accepted match."""
    if found.candidate is not None:
        fill_from(reference, found.candidate.reference)
        return Resolution(reference.key, Outcome.RESOLVED, found.candidate.reference.doi)
    result = found.search
    if result is None or result.unavailable:
        return Resolution(reference.key, Outcome.UNAVAILABLE, reason=result.reason if result else "not searched")
    match = result.match
    if match is None or match.decision is Decision.NO_MATCH:
        searched = f"; {result.reason}" if result.reason else ""
        return Resolution(
            reference.key, Outcome.NOT_FOUND, reason=f"no candidate agrees on title, author and year{searched}"
        )
    if match.decision is Decision.MISCITATION:
        return Resolution(
            reference.key,
            Outcome.DOUBTFUL,
            match.record.doi,
            f"the title matches {match.record.doi}, but {', '.join(match.disagreements)} differ",
        )
    fill_from(reference, match.record)
    return Resolution(reference.key, Outcome.RESOLVED, match.record.doi)


def resolve_references(
    references: list[Reference], sources: Sources, on_progress: Progress | None = None
) -> list[Resolution]:
    """Resolve each reference in place; one Resolution per reference, in order. References that carry a DOI
    are not searched; the others are searched together when the source can (Crossref: concurrently)."""
    wanted = [reference for reference in references if not reference.doi]
    found = identify_many(wanted, sources, on_progress)
    decided = {id(reference): decide(reference, each) for reference, each in zip(wanted, found, strict=True)}
    return [
        decided.get(id(reference)) or Resolution(reference.key, Outcome.KEPT, reference.doi) for reference in references
    ]
