"""The few types everything else passes around.

A `Reference` is one cited work in CSL-JSON terms, whether it was read from a .bib entry, parsed from a
free-text reference string, or converted from a Crossref record: comparing a user's entry with a record is
comparing two References field by field. A `Finding` is what every check returns and every report renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Name:
    """A person or organisation. Organisations (and unsplittable names) use `literal` only."""

    family: str = ""
    given: str = ""
    particle: str = ""  # "van der", "de"
    suffix: str = ""  # "Jr.", "III"
    literal: str = ""

    @property
    def full_family(self) -> str:
        """Family name with its particle, as it is sorted and cited ("van der Berg")."""
        if self.literal:
            return self.literal
        return f"{self.particle} {self.family}".strip()

    def __str__(self) -> str:
        if self.literal:
            return self.literal
        parts = [self.full_family]
        if self.given:
            parts.append(self.given)
        text = ", ".join(parts)
        return f"{text}, {self.suffix}" if self.suffix else text


@dataclass(frozen=True, slots=True)
class Location:
    """Where a reference or finding sits in the user's file (lines are 1-based; a PDF's lines are those of
    its text as read out, and `page` is the page they are on)."""

    file: str | None = None
    line: int | None = None
    key: str | None = None
    page: int | None = None


@dataclass(slots=True)
class Reference:
    """One cited work, with CSL-style fields as plain Unicode text (LaTeX already decoded).

    `page` keeps the written form except that dashes are normalised to an en dash; `year` is the
    four-digit year and `year_suffix` the "a"/"b" of author-date styles. `fields` keeps every source
    field that has no slot here (BibTeX `keywords`, `file`, …) so nothing a user wrote is lost.
    """

    key: str = ""
    type: str = "article-journal"  # a CSL type
    title: str = ""
    authors: list[Name] = field(default_factory=list)
    authors_truncated: bool = False  # the source wrote "et al." / "and others"
    editors: list[Name] = field(default_factory=list)
    container_title: str = ""
    container_title_short: str = ""
    collection_title: str = ""
    year: int | None = None
    year_suffix: str = ""
    month: int | None = None
    day: int | None = None
    volume: str = ""
    issue: str = ""
    page: str = ""
    edition: str = ""
    doi: str = ""
    url: str = ""
    issn: tuple[str, ...] = ()
    isbn: str = ""
    pmid: str = ""
    pmcid: str = ""
    arxiv: str = ""
    publisher: str = ""
    publisher_place: str = ""
    genre: str = ""  # thesis kind, report kind
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    note: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    raw: str = ""  # the free-text string this was parsed from, if any
    location: Location = field(default_factory=Location)

    @property
    def first_author_family(self) -> str:
        return self.authors[0].full_family if self.authors else ""


class Severity(StrEnum):
    """How bad a finding is; the order matters for `--fail-on`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one entry (or with the file, when `key` is None)."""

    rule: str
    severity: Severity
    message: str
    key: str | None = None
    file: str | None = None
    line: int | None = None
    field: str | None = None
    written: str | None = None  # what the user's entry says
    recorded: str | None = None  # what the authoritative record says, or a suggested value


class Status(StrEnum):
    """What the outside world could say about one reference. Unverified is never "not found"."""

    VERIFIED = "verified"  # a record agrees with the entry
    MISCITED = "miscited"  # the work is real, but the entry describes it wrongly
    NOT_FOUND = "not-found"  # no record matches: the reference may not exist
    ELSEWHERE = "elsewhere"  # the DOI is registered with another agency (DataCite, …)
    UNVERIFIED = "unverified"  # could not check: network, server or cache miss


class Answer(StrEnum):
    """What one source said about one reference."""

    FOUND = "found"  # it holds the cited work (or the work whose title the entry borrows)
    NOT_FOUND = "not found"  # it answered and holds no such work
    ELSEWHERE = "another agency"  # the DOI is registered with another agency, which this source is not
    UNAVAILABLE = "unavailable"  # no answer: network, server, offline cache miss
    NOT_ASKED = "not asked"  # settled before it, or it could not hold such a work


@dataclass(frozen=True, slots=True)
class Consulted:
    """One source's answer for one reference: `detail` says what it held, or why it was not asked;
    `covers` that it holds every work of this kind, so that its "not found" counts as absence."""

    source: str
    answer: Answer
    detail: str = ""
    covers: bool = False

    def __str__(self) -> str:
        return f"{self.source}: {self.answer.value}" + (f" ({self.detail})" if self.detail else "")


@dataclass(slots=True)
class Evidence:
    """The outcome of looking one reference up: the best record, how well it agrees, or why nothing could be said."""

    key: str
    status: Status
    record: Reference | None = None
    score: float = 0.0
    agreement: dict[str, bool] = field(default_factory=dict)
    source: str = ""
    reason: str = ""
    candidates: list[Reference] = field(default_factory=list)
    consulted: list[Consulted] = field(default_factory=list)  # every source in the chain, in order
