"""The one interface every source of bibliographic records implements.

Records are Crossref-schema `message` objects (dicts) whatever the source, so a local snapshot and the live
API go through the same conversion and matching code. A source never raises for network trouble: it says
`unavailable`, which the checks report as unverified, never as "not found".

Silence is evidence of absence only from a source that covers the kind of work asked about: such a source
marks its search answer `conclusive` (a snapshot declared complete, for anything; Crossref, for journal
articles, not books, theses or preprints), and only then does no match mean "may not exist".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from refkit.model import Reference

Record = dict[str, Any]


class LookupStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not-found"  # the source answered, and it would know: no such DOI
    ELSEWHERE = "elsewhere"  # the DOI exists with another registration agency (DataCite, mEDRA, …)
    UNAVAILABLE = "unavailable"  # no answer: network, server, rate limit, cache or incomplete-snapshot miss


@dataclass(slots=True)
class Lookup:
    """What a source said about one DOI."""

    doi: str
    status: LookupStatus
    record: Record | None = None
    agency: str = ""
    reason: str = ""


@dataclass(slots=True)
class SearchResult:
    """Candidate records for a reference without (or with a doubtful) DOI, best first."""

    records: list[Record] = field(default_factory=list)
    unavailable: bool = False
    reason: str = ""
    conclusive: bool = False  # a source that covers such a work answered: no match among `records` = absence


class Source(Protocol):
    name: str

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        """Look up many DOIs (normalised, lower case) at once; every DOI asked gets a Lookup."""
        ...

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        """Find candidate records for a reference by its bibliographic fields."""
        ...
