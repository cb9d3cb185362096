"""The one interface every source of evidence implements, and the normalised answers they give.

A source (Crossref, DataCite, arXiv, DBLP, a local snapshot, …) speaks its own dialect on the wire and
answers in one vocabulary here: a `Candidate` is a work the source holds, as a `Reference` plus what only the
source can say (its own id, the DOI's registration agency, notices such as retractions). Nothing downstream
reads a source's raw records. A source never raises for network trouble: it says `unavailable`, which the
checks report as unverified, never as "not found".

Silence is evidence of absence only from a source that covers the kind of work asked about: `covers` says
which works a source's "no" rules out (Crossref: journal articles with a venue; arXiv: references with an
arXiv id or an arXiv/CoRR venue; DBLP: computer-science proceedings and journals; a snapshot declared
complete: anything). Which works are worth asking a source about at all is `searches`/`identifier`: a source
is never asked what it cannot know, and the evidence says so ("not asked").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from refkit.match import Match
from refkit.model import Reference
from refkit.sources.progress import answered

Record = dict[str, Any]  # a source's raw record (Crossref `message`, DataCite attributes, …), for its own use
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice about a work: `kind` is the update type (retraction, correction, expression_of_concern,
    new_version, …); `doi` is the notice's DOI; `source` says who asserted it (publisher, retraction-watch)."""

    kind: str
    doi: str
    label: str = ""
    source: str = ""
    year: int | None = None


@dataclass(slots=True)
class Candidate:
    """A work a source holds, normalised: compare `reference` with the cited one; the rest is provenance."""

    reference: Reference
    source: str  # the source's name in the registry ("crossref", "datacite", "arxiv", "dblp", "snapshot:…")
    id: str = ""  # the source's own id: a DOI, an arXiv id, a DBLP key
    agency: str = ""  # the DOI's registration agency, when the source knows it
    notices: tuple[Notice, ...] = ()  # retractions, corrections, expressions of concern of this work
    notice_for: tuple[Notice, ...] = ()  # when the work is itself a notice: the works it updates
    record: Record | None = None  # the raw record, kept only for the source's own cache


class LookupStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not-found"  # the source answered, and it would know: no such identifier
    ELSEWHERE = "elsewhere"  # the DOI exists with another registration agency (DataCite, mEDRA, …)
    UNAVAILABLE = "unavailable"  # no answer: network, server, rate limit, cache or incomplete-snapshot miss


@dataclass(slots=True)
class Lookup:
    """What a source said about one identifier (`doi` holds the identifier asked: a DOI, or an arXiv id)."""

    doi: str
    status: LookupStatus
    candidate: Candidate | None = None
    agency: str = ""
    reason: str = ""


def keyed(lookup: Lookup, identifier: str) -> Lookup:
    """The Lookup under the identifier exactly as the caller wrote it (sources key answers normalised)."""
    if lookup.doi == identifier:
        return lookup
    return Lookup(identifier, lookup.status, lookup.candidate, lookup.agency, lookup.reason)


@dataclass(slots=True)
class SearchResult:
    """Candidates for a reference searched by its fields, best first."""

    candidates: list[Candidate] = field(default_factory=list)
    unavailable: bool = False
    reason: str = ""
    # The candidates compared with the searched reference, one each in the same order, when the source ranked
    # them by that comparison (a mirror does): identify then need not compare them again.
    matches: list[Match] = field(default_factory=list)


class Source(Protocol):
    """What the evidence layer asks of a source (see `BaseSource` for the shared behaviour)."""

    name: str
    agency: str  # the registration agency whose DOIs this source holds ("" when it holds no DOIs)
    complete: bool  # its silence rules out any work (a snapshot declared complete)
    preprints_only: bool  # it holds preprints alone (arXiv): never the published version of one

    def identifier(self, reference: Reference) -> str:
        """The identifier this source looks the reference up by ("" when it has none the source knows)."""
        ...

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        """Look up many identifiers at once; every one asked gets a Lookup."""
        ...

    def searches(self, reference: Reference) -> bool:
        """Whether a search of this source could find the work (else it is not asked)."""
        ...

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        """Find candidates for a reference by its bibliographic fields."""
        ...

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        """`search` for each reference, in order (concurrently when the server allows)."""
        ...

    def covers(self, reference: Reference) -> bool:
        """Whether this source's "no" rules the cited work out (it holds every work of its kind)."""
        ...

    def close(self) -> None: ...


class BaseSource:
    """Defaults a source overrides where it knows better: looked up by DOI, searched for everything, covering
    nothing, searches one by one (each answer reported to refkit.sources.progress), nothing to close."""

    name = "source"
    agency = ""
    complete = False
    preprints_only = False

    def identifier(self, reference: Reference) -> str:
        return reference.doi

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=f"{self.name} has no look-up") for doi in ids}

    def searches(self, reference: Reference) -> bool:
        return bool(reference.title)

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return SearchResult(unavailable=True, reason=f"{self.name} has no search")

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        results = []
        for reference in references:
            results.append(self.search(reference, rows))
            answered()
        return results

    def covers(self, reference: Reference) -> bool:
        return self.complete

    def close(self) -> None:
        return None


class UnavailableSource(BaseSource):
    """Answers nothing: every look-up and search is unavailable, for the reason given."""

    def __init__(self, reason: str, name: str = "unavailable") -> None:
        self.name = name
        self.reason = reason

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=self.reason) for doi in ids}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return SearchResult(unavailable=True, reason=self.reason)
