"""The ClaimMap and its parts: what `refkit map` finds in a document, shared by every report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from refkit.model import Reference

BlockKind = Literal["heading", "paragraph", "item", "footnote", "boilerplate"]


class Kind(StrEnum):
    """What a sentence does: only claims are checked against the references."""

    CLAIM = "claim"
    FRAMING = "framing"  # announces, introduces or concludes without a checkable statement
    QUESTION = "question"
    ADVICE = "advice"


class Label(StrEnum):
    """How well a claim (or one of its references) is supported, strongest first."""

    CITED = "cited"
    LIKELY = "likely support"
    WEAK = "weak"
    NONE = "none"

    @property
    def rank(self) -> int:
        return {"cited": 3, "likely support": 2, "weak": 1, "none": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a candidate's confidence (the calibrated chance that the authors would cite it) turns into a label."""

    likely: float  # at or above: "likely support"
    weak: float  # at or above: "weak"; below: "none" (still shown as the closest candidate, not as support)


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or boilerplate line of the body; offsets index the body text."""

    index: int
    kind: BlockKind
    start: int
    end: int
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Target:
    """One work a marker points at, as the marker names it."""

    kind: Literal["number", "key", "footnote", "author-year"]
    value: str  # "3", "druker2006five", "2", "Druker et al. 2006"
    authors: tuple[str, ...] = ()  # author-year: family names as written ("et al." dropped)
    year: str = ""  # author-year: the year with its a/b suffix


@dataclass(slots=True)
class Marker:
    """One citation marker as written, and the reference keys it resolves to."""

    text: str
    style: str  # numeric, superscript, author-year, narrative, pandoc, latex, footnote
    start: int  # offsets in the body text
    end: int
    targets: tuple[Target, ...]
    keys: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # values of the targets that match no reference


@dataclass(slots=True)
class Sentence:
    index: int
    block: int
    start: int
    end: int
    line: int
    text: str
    kind: Kind = Kind.FRAMING
    reasons: tuple[str, ...] = ()
    markers: list[Marker] = field(default_factory=list)
    page: int | None = None  # a PDF's page (its lines are those of its text as read out)


@dataclass(frozen=True, slots=True)
class Support:
    """One reference offered for one claim: why (the marker, or the matched words, cues and passage) and how
    well: `score` is the ranker's (with the cues), `confidence` the calibrated chance that it is the one."""

    key: str
    label: Label
    score: float
    marker: str = ""
    matched: tuple[str, ...] = ()
    passage: str = ""
    confidence: float = 0.0
    cues: tuple[str, ...] = ()


class Verdict(StrEnum):
    """Does the cited work say what the claim says? Judged from its title and abstract only."""

    SUPPORTED = "supported"
    UNCLEAR = "unclear"
    NOT_SUPPORTED = "not supported"
    NO_ABSTRACT = "no abstract"  # the title alone is too little to judge: said, not guessed


@dataclass(frozen=True, slots=True)
class Check:
    """The verdict on one cited reference of one claim, and a better-fitting listed reference if any."""

    key: str
    verdict: Verdict
    score: float
    rank: int  # the cited reference's place in the claim's ranking (1 = best)
    matched: tuple[str, ...] = ()
    passage: str = ""
    better: str = ""  # another listed reference that fits clearly better: a likely mis-citation

    @property
    def miscited(self) -> bool:
        return bool(self.better)


@dataclass(slots=True)
class Claim:
    sentence: Sentence
    label: Label
    cited: list[Support] = field(default_factory=list)  # the references its markers resolve to
    candidates: list[Support] = field(default_factory=list)  # the best-ranked references, labeled, with evidence
    scores: dict[str, float] = field(default_factory=dict)  # every reference's score (0: nothing in common)
    checks: list[Check] = field(default_factory=list)  # one per cited reference

    @property
    def ranking(self) -> list[tuple[str, float]]:
        """Every reference that scored above 0, best first (sorted on demand: most reports show the candidates)."""
        return sorted(((key, score) for key, score in self.scores.items() if score > 0), key=lambda item: -item[1])

    @property
    def others(self) -> list[Support]:
        """The candidates that are not among the cited references."""
        cited = {support.key for support in self.cited}
        return [support for support in self.candidates if support.key not in cited]

    @property
    def supports(self) -> list[Support]:
        """The cited references, then the candidates offered as (likely or weak) support."""
        return [*self.cited, *(support for support in self.others if support.label is not Label.NONE)]


@dataclass(slots=True)
class ClaimMap:
    """Everything `refkit map` found: the body's structure, its claims and how the references relate."""

    body: str
    body_start_line: int
    blocks: list[Block]
    sentences: list[Sentence]
    claims: list[Claim]
    references: list[Reference]
    ranker: str
    thresholds: Thresholds
    notice: str = ""

    @property
    def unsupported(self) -> list[Claim]:
        return [claim for claim in self.claims if claim.label is Label.NONE]

    @property
    def markers(self) -> list[Marker]:
        return [marker for sentence in self.sentences for marker in sentence.markers]

    @property
    def unresolved(self) -> list[tuple[Sentence, Marker]]:
        return [(sentence, marker) for sentence in self.sentences for marker in sentence.markers if marker.unresolved]

    @property
    def uncited(self) -> list[Reference]:
        """References no marker points at and no claim is likely supported by."""
        used = {
            support.key
            for claim in self.claims
            for support in claim.supports
            if support.label.rank >= Label.LIKELY.rank
        }
        used.update(key for marker in self.markers for key in marker.keys)
        return [reference for reference in self.references if reference.key not in used]

    @property
    def miscited(self) -> list[tuple[Claim, Check]]:
        return [(claim, check) for claim in self.claims for check in claim.checks if check.miscited]

    def label_counts(self) -> dict[str, int]:
        counts = {label.value: 0 for label in Label}
        for claim in self.claims:
            counts[claim.label.value] += 1
        return counts
