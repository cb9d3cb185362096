"""Is this the cited work? Decided here, once, for `validate`, `enrich`, `extract --resolve` and `map`.

`identify_many(references, sources)` asks the chain of sources in its order, in two passes, each batched per
source:

1. look-ups: a reference with an identifier a source knows (a DOI, an arXiv id) is looked up there. A DOI
   goes to the source of its registration agency when the chain has one (known prefixes: arXiv 10.48550,
   Zenodo 10.5281, figshare 10.6084 are DataCite's; a DOI Crossref calls "registered elsewhere" is routed the
   same way), else to Crossref, which names the agency. Sources that are no agency (snapshots) are asked
   every DOI. The first record that is the cited work (`same_work`) settles the reference.
2. searches: what no look-up settled is searched in each source that could hold it (`Source.searches`),
   in order, until one holds a record the matcher accepts.

Every source in the chain ends with one `Consulted` answer per reference (found, not found, another agency,
unavailable, not asked and why). A search that found nothing is conclusive ("may not exist") only when a
complete source answered, or when some source that covers such a work answered and none that covers it
failed to; else the work is "not in the sources consulted".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from refkit.match import TITLE_CLOSE, Decision, Match, best_of, compare, is_preprint, is_preprint_venue
from refkit.model import Answer, Consulted, Reference
from refkit.sources.base import Candidate, Lookup, LookupStatus, Progress, SearchResult, Source
from refkit.sources.progress import Tally, listening
from refkit.text import fold, normalize_doi

Sources = Source | Sequence[Source]

# DOI prefixes whose registration agency is known without asking (doi.org/ra/<prefix> says so).
KNOWN_AGENCIES = {"10.48550": "DataCite", "10.5281": "DataCite", "10.6084": "DataCite"}
_RANK = {LookupStatus.FOUND: 3, LookupStatus.ELSEWHERE: 2, LookupStatus.NOT_FOUND: 1, LookupStatus.UNAVAILABLE: 0}


def chain(sources: Sources) -> list[Source]:
    """One source or several, as the ordered chain `identify` asks."""
    return list(sources) if isinstance(sources, Sequence) else [sources]


def same_work(match: Match) -> bool:
    """A record fetched by the entry's own identifier is the cited work unless the titles are far apart and
    the rest does not vouch for it (a translated or shortened title still has the first author, year and
    venue; a preprint retitled between versions, which has no venue, its whole author list and year)."""
    if match.decision is Decision.ACCEPT or match.title >= TITLE_CLOSE:
        return True
    agree = match.agreement
    if is_preprint_version(match.record) and agree.get("author") is True and agree.get("year") is True:
        return True
    if not match.entry.title:
        return agree.get("author") is not False and agree.get("year") is not False
    return bool(
        match.first_author
        and agree.get("year") is True
        and (agree.get("container") is True or agree.get("page") is True)
    )


@dataclass(slots=True)
class Found:
    """The best candidate of the searches, the candidate it came from, and what the searches amount to."""

    match: Match | None = None
    candidate: Candidate | None = None
    unavailable: bool = True  # no source could be searched
    conclusive: bool = False  # nothing matching means "may not exist"
    reason: str = ""  # what was searched, and what failed
    pool: list[Candidate] = field(default_factory=list)  # every candidate the searches returned

    @property
    def accepted(self) -> bool:
        return self.match is not None and self.match.decision is Decision.ACCEPT


@dataclass(slots=True)
class Identification:
    """Everything the chain said about one reference."""

    reference: Reference
    lookup: Lookup | None = None  # the answer for its DOI, over every source asked
    by_id: Match | None = None  # the looked-up record (DOI or arXiv id) compared with the reference
    id_candidate: Candidate | None = None
    search: Found | None = None  # None: not searched (settled by its identifier, or no title)
    consulted: dict[str, Consulted] = field(default_factory=dict)
    # A complete source (a snapshot declared to hold every work there is) answered its search: what it found,
    # or its silence, is the whole answer, so no other source is asked (and a run the snapshot answers loads
    # no HTTP stack).
    ruled_out: bool = False

    @property
    def identified_by_id(self) -> bool:
        return self.by_id is not None and same_work(self.by_id)

    @property
    def settled(self) -> bool:
        return self.identified_by_id or (self.search is not None and self.search.accepted)

    def other_version(self, match: Match) -> tuple[Match, Candidate] | None:
        """The version the entry cites when `match` is another version of it: the entry names a venue and
        the record is the preprint, or the entry names arXiv and the record the published paper. Found
        among the searches' candidates: the same work (accepted) whose venue agrees with the entry's."""
        if not _versions_differ(match) or self.search is None:
            return None
        best: tuple[Match, Candidate] | None = None
        for candidate in self.search.pool:
            other = compare(self.reference, candidate.reference)
            agrees = other.decision is Decision.ACCEPT and other.agreement.get("container") is True
            if agrees and (best is None or other.score > best[0].score):
                best = (other, candidate)
        return best

    @property
    def candidate(self) -> Candidate | None:
        """The candidate that is the cited work, if any source holds one."""
        if self.identified_by_id:
            return self.id_candidate
        return self.search.candidate if self.search is not None and self.search.accepted else None

    def answers(self, sources: Sequence[Source]) -> list[Consulted]:
        """One answer per source of the chain, in order."""
        return [
            self.consulted.get(source.name) or Consulted(source.name, Answer.NOT_ASKED, self._why_not(source, sources))
            for source in sources
        ]

    def _why_not(self, source: Source, sources: Sequence[Source]) -> str:
        if self.ruled_out:
            return "a complete source already answered"
        if self.settled:
            found = self.candidate.source if self.candidate else "an earlier source"
            return f"settled by {found}"
        if self.lookup is not None and self.lookup.status is LookupStatus.UNAVAILABLE:
            return "the DOI could not be looked up"
        return "outside what it serves: no identifier it knows, no kind of work it is searched for"


def identify(reference: Reference, sources: Sources) -> Identification:
    return identify_many([reference], sources)[0]


def identify_many(
    references: Sequence[Reference], sources: Sources, on_progress: Progress | None = None
) -> list[Identification]:
    """Identify every reference against the chain: look-ups first, then searches (see the module doc)."""
    ordered = chain(sources)
    found = [Identification(reference) for reference in references]
    tally = Tally(on_progress)
    with listening(tally.add):
        _look_up(found, ordered, tally)
        for source in ordered:
            wanted = [
                item
                for item in found
                if _needs_search(item)
                and not item.ruled_out
                and source.searches(item.reference)
                and _may_hold_what_is_sought(item, source)
            ]
            if not wanted:
                continue
            asked = tally.total
            tally.expect(len(wanted))
            for item, result in zip(wanted, source.search_many([item.reference for item in wanted]), strict=True):
                _add_search(item, source, result)
            tally.reach(asked + len(wanted))
    for item in found:
        if item.search is not None and not item.settled:
            item.search.conclusive = _conclusive(item, ordered)
    return found


def _look_up(found: list[Identification], sources: list[Source], tally: Tally) -> None:
    """Each source in turn gets, in one batch, the identifiers it should be asked; a second round asks the
    agencies that a first-round answer named."""
    asked: set[tuple[str, str]] = set()
    pending = found
    for _ in range(2):
        for source in sources:
            batch: dict[str, list[Identification]] = {}
            for item in pending:
                identifier = _identifier(item, source, sources)
                if identifier and (source.name, identifier) not in asked:
                    batch.setdefault(identifier, []).append(item)
            if not batch:
                continue
            asked.update((source.name, identifier) for identifier in batch)
            before = tally.total
            tally.expect(len(batch))
            answers = source.works(list(batch))
            tally.reach(before + len(batch))
            for identifier, items in batch.items():
                for item in items:
                    _add_lookup(item, source, answers[identifier])
        # Only an agency named in the first round gives a reference something new to ask: every other
        # identifier is what the first round asked already.
        pending = [item for item in found if item.lookup is not None and item.lookup.status is LookupStatus.ELSEWHERE]


def _agency(item: Identification) -> str:
    """The DOI's registration agency as far as known: by its prefix, or as a source named it."""
    if item.lookup is not None and item.lookup.status is LookupStatus.ELSEWHERE and item.lookup.agency:
        return item.lookup.agency
    return KNOWN_AGENCIES.get(normalize_doi(item.reference.doi).split("/")[0], "")


def _identifier(item: Identification, source: Source, sources: list[Source]) -> str:
    """What to ask `source` for this reference ("" = nothing): see the module doc for DOI routing."""
    reference = item.reference
    if item.identified_by_id or not (
        reference.doi or reference.arxiv or reference.pmid or reference.pmcid or reference.isbn
    ):
        return ""  # nothing to look up by: no source need be built to say so
    identifier = source.identifier(reference)
    if not identifier or identifier != item.reference.doi:
        return identifier  # not a DOI (an arXiv id): the source knows what it holds
    doi = normalize_doi(identifier)
    if item.lookup is not None and item.lookup.status in (LookupStatus.FOUND, LookupStatus.NOT_FOUND):
        return ""  # a DOI source has answered: found (another work) or registered nowhere
    if not source.agency:
        return doi
    agency = _agency(item)
    served = {other.agency for other in sources}
    if agency and agency in served:
        return doi if source.agency == agency else ""
    return doi if source.agency == "Crossref" or source.agency == agency else ""


def _add_lookup(item: Identification, source: Source, lookup: Lookup) -> None:
    """Merge one source's answer: found beats another agency beats not found beats unavailable; a DOI
    answer is kept in `lookup`, and any found record is compared with the reference."""
    is_doi = item.reference.doi and normalize_doi(lookup.doi) == normalize_doi(item.reference.doi)
    candidate = lookup.candidate if lookup.status is LookupStatus.FOUND else None
    if candidate is not None and (item.by_id is None or not same_work(item.by_id)):
        item.by_id = compare(item.reference, candidate.reference)
        item.id_candidate = candidate
    item.consulted[source.name] = Consulted(source.name, _ANSWERS[lookup.status], _lookup_detail(lookup), False)
    if not is_doi:
        return
    previous = item.lookup
    if previous is None or _RANK[lookup.status] > _RANK[previous.status]:
        item.lookup = lookup
    elif previous.status is LookupStatus.UNAVAILABLE and lookup.status is LookupStatus.UNAVAILABLE:
        previous.reason = f"{previous.reason}; {source.name}: {lookup.reason}"


_ANSWERS = {
    LookupStatus.FOUND: Answer.FOUND,
    LookupStatus.NOT_FOUND: Answer.NOT_FOUND,
    LookupStatus.ELSEWHERE: Answer.ELSEWHERE,
    LookupStatus.UNAVAILABLE: Answer.UNAVAILABLE,
}


def _lookup_detail(lookup: Lookup) -> str:
    if lookup.status is LookupStatus.FOUND and lookup.candidate is not None:
        return lookup.candidate.id or lookup.doi
    if lookup.status is LookupStatus.ELSEWHERE:
        return f"{lookup.doi} is registered with {lookup.agency or 'another agency'}"
    return lookup.reason or lookup.doi


def _versions_differ(match: Match) -> bool:
    """The entry and the record disagree on the venue because one is a preprint and the other is not."""
    if match.agreement.get("container") is not False:
        return False
    return is_preprint_version(match.entry) != is_preprint_version(match.record)


def is_preprint_version(reference: Reference) -> bool:
    """A preprint: no venue (CSL "article"), a preprint server as its venue, or arXiv as its publisher."""
    venue = fold(" ".join((reference.container_title, reference.container_title_short)))
    return is_preprint(reference) or is_preprint_venue(venue) or (not venue and reference.publisher == "arXiv")


def _settled_by(item: Identification) -> Match | None:
    return item.by_id if item.identified_by_id else item.search.match if item.settled and item.search else None


def _may_hold_what_is_sought(item: Identification, source: Source) -> bool:
    """A source of preprints alone (arXiv) is not searched for the published version of a work whose
    preprint was found: it cannot hold it (at arXiv's 1 request per 3 s, such a search costs the most)."""
    settled_by = _settled_by(item) if source.preprints_only else None
    return settled_by is None or not (_versions_differ(settled_by) and is_preprint_version(settled_by.record))


def _needs_search(item: Identification) -> bool:
    """Search by fields: not settled, a title to search by, and not a DOI that could not be looked up
    (that entry stays unverified rather than being judged on its fields alone). A reference identified by
    its identifier with another version of it (a preprint for a published paper, or the reverse) is searched
    for the version it cites, until one is found."""
    if not item.reference.title:
        return False
    settled_by = _settled_by(item)
    if settled_by is not None:
        return _versions_differ(settled_by) and item.other_version(settled_by) is None
    return item.lookup is None or item.lookup.status is not LookupStatus.UNAVAILABLE or item.by_id is not None


def _add_search(item: Identification, source: Source, result: SearchResult) -> None:
    """Fold one source's search answer into the reference's best candidate so far."""
    candidates, reason = result.candidates, result.reason
    found = item.search or Found()
    item.search = found
    covers = source.covers(item.reference)
    if result.unavailable:
        item.consulted[source.name] = Consulted(source.name, Answer.UNAVAILABLE, reason, covers)
        found.reason = _joined(found.reason, f"{source.name}: {reason}" if found.reason else reason)
        return
    found.unavailable = False
    item.ruled_out = item.ruled_out or source.complete
    found.reason = _joined(found.reason, reason or f"searched {source.name}")
    found.pool.extend(candidates)
    by_reference = {id(candidate.reference): candidate for candidate in candidates}
    compared = result.matches or [compare(item.reference, candidate.reference) for candidate in candidates]
    match = best_of(compared)
    mine = match is not None and match.decision is not Decision.NO_MATCH
    if match is not None and (found.match is None or _better(match, found.match)):
        found.match, found.candidate = match, by_reference[id(match.record)]
    if mine and match is not None:
        detail = by_reference[id(match.record)].id or "a record"
        if match.decision is Decision.MISCITATION:
            detail += ": a work with this title, other details"
        item.consulted[source.name] = Consulted(source.name, Answer.FOUND, detail, covers)
    else:
        item.consulted[source.name] = Consulted(source.name, Answer.NOT_FOUND, "no matching record", covers)


_DECISION_RANK = {Decision.ACCEPT: 2, Decision.MISCITATION: 1, Decision.NO_MATCH: 0}


def _better(new: Match, old: Match) -> bool:
    return (_DECISION_RANK[new.decision], new.score) > (_DECISION_RANK[old.decision], old.score)


def _joined(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _conclusive(item: Identification, sources: list[Source]) -> bool:
    """No match means "may not exist" when a complete source answered, or when the sources that cover such
    a work all answered (and at least one covers it)."""
    if item.ruled_out:
        return True
    answered = {name for name, said in item.consulted.items() if said.answer is not Answer.UNAVAILABLE}
    covering = [source for source in sources if source.covers(item.reference)]
    if any(source.complete and source.name in answered for source in covering):
        return True
    return bool(covering) and all(source.name in answered for source in covering)


def accepted(reference: Reference, sources: Sources) -> Candidate | None:
    """The candidate that is the cited work, if the chain holds one (for enrichment and abstracts)."""
    return identify(reference, sources).candidate
