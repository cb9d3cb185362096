"""Verification rules: each entry against the records a Source holds (Crossref online, a snapshot, or both).

Entries with a DOI are looked up in one batch; the rest are searched by their fields and the matcher
(refkit.match) decides. Every entry ends with one Evidence whose status keeps three cases apart that must never
blur: invented (NOT_FOUND), real but mis-cited (MISCITED) and could-not-check (UNVERIFIED). No match is
NOT_FOUND only when a source that covers such a work answered (`SearchResult.conclusive`); otherwise nobody
who would know was asked, and the entry is UNVERIFIED with the reason. `Evidence.record`
is set only when the entry is identified with that record (so its fields may be corrected from it); a record
that merely shares the entry's title sits in `candidates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from refkit.bib.read import BibEntry
from refkit.checks.registry import Rule, register
from refkit.match import Decision, Match, compare, is_preprint
from refkit.model import Evidence, Finding, Name, Reference, Status
from refkit.model import Severity as S
from refkit.sources.base import Candidate, Lookup, LookupStatus, Notice, Progress, Source
from refkit.sources.identify import Identification, Sources, chain, identify_many, is_preprint_version, same_work

DOI_NOT_FOUND = register(
    Rule(
        "RK601",
        "doi-not-found",
        S.ERROR,
        "The DOI is not registered.",
        "{key}: DOI {written} is not registered{hint}",
        online=True,
        explanation=(
            "Crossref does not know the DOI and no other registration agency claims "
            "it, so it resolves nowhere. When refkit finds the work the entry "
            "describes, the message gives that work's DOI; `refkit enrich` puts it "
            "in."
        ),
    )
)
DOI_ELSEWHERE = register(
    Rule(
        "RK602",
        "doi-registered-elsewhere",
        S.INFO,
        "The DOI is registered with another agency (DataCite, mEDRA, …), not Crossref.",
        "{key}: DOI {written} is registered with {agency}; not checked against it",
        online=True,
        explanation=(
            "DataCite (arXiv, Zenodo), mEDRA and others register DOIs too; "
            "Crossref's records cannot confirm or refute these entries. A search "
            "still runs: a title that belongs to other authors is reported."
        ),
    )
)
DOI_OTHER_WORK = register(
    Rule(
        "RK603",
        "doi-other-work",
        S.ERROR,
        "The DOI belongs to a different work than the entry describes.",
        "{key}: DOI {written} is {other}{hint}",
        online=True,
        explanation=(
            "The DOI resolves to a work whose title, authors and year do not match "
            "the entry: a copy-paste slip, or a reference assembled from two works. "
            "Cite the DOI of the work you mean."
        ),
    )
)
MISMATCH = {
    name: register(
        Rule(
            rule_id,
            f"{name}-mismatch",
            S.WARNING,
            f"The {label} disagrees with the record.",
            "{key}: " + label + " is '{written}', the record {doi} says '{recorded}'",
            online=True,
            explanation=(
                "A confident match (same title and first author, plus the year or venue) gives "
                "another value for this field. The message shows what the entry says and what "
                "the record says; `refkit enrich` corrects it (author lists are only "
                "reported)."
            ),
        )
    )
    for rule_id, name, label in (
        ("RK610", "title", "title"),
        ("RK611", "author", "author list"),
        ("RK612", "year", "year"),
        ("RK613", "container", "journal or book title"),
        ("RK614", "volume", "volume"),
        ("RK615", "issue", "issue (number)"),
        ("RK616", "page", "page range"),
    )
}
NEAR_YEAR = register(
    Rule(
        "RK617",
        "year-one-off",
        S.INFO,
        "The year is one off the record's: often online-first vs print, or preprint vs proceedings.",
        "{key}: year is '{written}', the record {doi} says '{recorded}' (one year apart)",
        online=True,
        explanation=(
            "Online-first and print years, or a preprint and its proceedings, are often "
            "a year apart; both can be right. Prefer the year of the version you cite."
        ),
    )
)
VERSION = register(
    Rule(
        "RK618",
        "other-version",
        S.INFO,
        "The record found is another version of the cited work: its preprint, or its published paper.",
        "{key}: {relation}: {record}; the version cited is {other}",
        online=True,
        explanation=(
            "A preprint and the paper it became are one work in two versions: the entry cites one (by its "
            "venue) and its DOI or title led to the other. Both exist, so this is no mis-citation; the entry "
            "is compared with the version it cites. Prefer the published version's DOI when citing the paper."
        ),
    )
)
DOI_AVAILABLE = register(
    Rule(
        "RK620",
        "doi-available",
        S.INFO,
        "The entry has no DOI, but a confident match has one.",
        "{key}: no DOI; the matching record has {recorded}",
        online=True,
        explanation=(
            "The entry has no DOI, and a confident match has one. A DOI makes the "
            "reference unambiguous; `refkit enrich` adds it."
        ),
    )
)
NO_MATCH = register(
    Rule(
        "RK630",
        "no-match",
        S.WARNING,
        "No record matches the entry: the reference may not exist.",
        "{key}: no matching record ({where}): the reference may not exist, or is not registered there{hint}",
        online=True,
        explanation=(
            "No record in the sources asked is the cited work, and one of them covers such "
            "works: Crossref for journal articles, or a snapshot declared complete. Either "
            "the reference does not exist (a common sign of invented references), or it was "
            "never registered. When no source that answered covers the work (a book, a "
            "preprint, Crossref unreachable), the entry is RK690 instead. Check the "
            "reference by hand."
        ),
    )
)
MISCITATION = register(
    Rule(
        "RK631",
        "likely-miscitation",
        S.ERROR,
        "The title belongs to a record whose authors, year and venue do not match.",
        "{key}: the title belongs to {other}, whose {fields} differ: likely mis-citation",
        online=True,
        explanation=(
            "A record has this entry's title, but its authors, year and venue are not "
            "the entry's: the entry borrows the title of one work and the details of "
            "another, a typical invented or confused reference. Both are shown."
        ),
    )
)
RETRACTED = register(
    Rule(
        "RK640",
        "retracted",
        S.ERROR,
        "The work has been retracted or withdrawn.",
        "{key}: the work was {what} ({notice})",
        online=True,
        explanation=(
            "A retraction or withdrawal notice is registered for the work (by the "
            "publisher, or by Retraction Watch). Citing retracted work as support is a "
            "serious error; cite the notice if the retraction is the point."
        ),
    )
)
CONCERN = register(
    Rule(
        "RK641",
        "expression-of-concern",
        S.WARNING,
        "The work is under an expression of concern.",
        "{key}: the work is under an expression of concern ({notice})",
        online=True,
        explanation=("The publisher has flagged doubts about the work. Check the notice before relying on it."),
    )
)
CORRECTED = register(
    Rule(
        "RK642",
        "corrected",
        S.INFO,
        "A correction to the work has been published.",
        "{key}: a correction was published ({notice})",
        online=True,
        explanation=(
            "A correction was published. Usually harmless, but the corrected figures may be the ones to quote."
        ),
    )
)
NOTICE_CITED = register(
    Rule(
        "RK643",
        "notice-cited",
        S.WARNING,
        "The DOI is a retraction or correction notice, not the work itself.",
        "{key}: DOI {written} is a {what} notice for {target}",
        online=True,
        explanation=(
            "The DOI belongs to a retraction or correction notice, not to the article "
            "it concerns. Cite the article (or both)."
        ),
    )
)
UNVERIFIED = register(
    Rule(
        "RK690",
        "unverified",
        S.INFO,
        "The entry could not be checked (network, server, cache miss, or no source that covers it).",
        "{key}: could not be verified: {reason}",
        online=True,
        explanation=(
            "The entry could not be looked up: the network or server failed, "
            "`--offline` found nothing in the cache or snapshot, or the sources that "
            "answered do not cover such a work (Crossref holds few books and preprints; "
            "a snapshot not declared complete). Nothing is known about it either way; run "
            "again online, or add a snapshot that holds it. The text report sums these "
            "up in one line; json, sarif and junit keep one per entry."
        ),
    )
)


# Where each compared field sits in a .bib entry (the first one present gives the finding's line).
_BIB_FIELDS = {
    "title": ("title",),
    "author": ("author",),
    "year": ("year", "date"),
    "container": ("journal", "journaltitle", "booktitle"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "page": ("pages",),
    "doi": ("doi",),
}
_RETRACTIONS = {
    "retraction": "retracted",
    "withdrawal": "withdrawn",
    "removal": "removed",
    "partial_retraction": "partly retracted",
}
_CONCERNS = {"expression_of_concern"}
_KINDS = {"article-journal": "journal article", "paper-conference": "conference paper", "chapter": "book chapter"}
_CORRECTIONS = {"correction", "corrigendum", "erratum", "addendum", "clarification"}


@dataclass(slots=True)
class _Outcome:
    """One entry's verdict while it is being built."""

    status: Status
    findings: list[Finding] = field(default_factory=list)
    record: Reference | None = None
    match: Match | None = None
    reason: str = ""
    candidates: list[Reference] = field(default_factory=list)


def bib_field(entry: BibEntry, name: str) -> str:
    """The .bib field that holds a compared field in this entry ("container" → journal or booktitle)."""
    options = _BIB_FIELDS.get(name, (name,))
    return next((option for option in options if option in entry.fields), options[0])


def _finding(rule: Rule, entry: BibEntry, reference: Reference, name: str | None = None, **values: Any) -> Finding:
    bib_name = bib_field(entry, name) if name else None
    return rule.finding(
        key=entry.key, file=reference.location.file, line=entry.line_of(bib_name), field=bib_name, **values
    )


def describe(record: Reference) -> str:
    """'"Title" (Family et al., 2011, Journal; doi)' — enough to see which work a record is."""
    parts = [_first_author(record), str(record.year or "n.d."), record.container_title]
    return f'"{record.title}" ({", ".join(p for p in parts if p)}; {record.doi or "no DOI"})'


def _first_author(reference: Reference) -> str:
    """ "Patel et al.", "Patel" or "no author"."""
    more = len(reference.authors) > 1 or reference.authors_truncated
    return (reference.first_author_family or "no author") + (" et al." if more else "")


def _byline(reference: Reference) -> str:
    """ "Patel et al. 2017, Pharmacology & Therapeutics": who, when and where, to set two works side by side."""
    who = _first_author(reference)
    venue = reference.container_title or reference.container_title_short
    return f"{who} {reference.year or 'n.d.'}" + (f", {venue}" if venue else "")


def _names(names: list[Name], truncated: bool = False, limit: int = 8) -> str:
    shown = "; ".join(str(name) for name in names[:limit])
    return shown + ("; …" if truncated or len(names) > limit else "")


def field_value(reference: Reference, name: str, *, written: bool) -> str:
    """A compared field as text for a finding's written/recorded values."""
    if name == "author":
        return _names(reference.authors, reference.authors_truncated and written)
    if name == "container":
        return reference.container_title or reference.container_title_short
    if name == "year":
        return str(reference.year or "")
    return str(getattr(reference, name))


def mismatch_findings(entry: BibEntry, reference: Reference, match: Match) -> list[Finding]:
    """One finding per field that both give and that disagrees, written and recorded values side by side."""
    return [
        _finding(
            NEAR_YEAR if name == "year" and match.near_year else MISMATCH[name],
            entry,
            reference,
            name,
            doi=match.record.doi or "",
            written=field_value(reference, name, written=True),
            recorded=field_value(match.record, name, written=False) or _absent(name, match.record),
        )
        for name in match.disagreements
        if name in MISMATCH
    ]


def _absent(name: str, record: Reference) -> str:
    """What to show when the record disagrees by having no value (a preprint has no journal)."""
    return "none: the record is a preprint" if name == "container" and is_preprint(record) else "none"


def update_findings(entry: BibEntry, reference: Reference, candidate: Candidate) -> list[Finding]:
    """Retractions, expressions of concern and corrections recorded for the work, and cited notices."""
    findings = []
    for update in candidate.notices:
        notice = _notice(update)
        if update.kind in _RETRACTIONS:
            findings.append(
                _finding(
                    RETRACTED,
                    entry,
                    reference,
                    "doi",
                    what=_RETRACTIONS[update.kind],
                    notice=notice,
                    recorded=update.doi,
                )
            )
        elif update.kind in _CONCERNS:
            findings.append(_finding(CONCERN, entry, reference, "doi", notice=notice, recorded=update.doi))
        elif update.kind in _CORRECTIONS:
            findings.append(_finding(CORRECTED, entry, reference, "doi", notice=notice, recorded=update.doi))
    for target in candidate.notice_for:
        if target.kind in _RETRACTIONS or target.kind in _CONCERNS or target.kind in _CORRECTIONS:
            findings.append(
                _finding(
                    NOTICE_CITED,
                    entry,
                    reference,
                    "doi",
                    written=reference.doi,
                    what=target.label.lower() or target.kind.replace("_", " "),
                    target=target.doi,
                    recorded=target.doi,
                )
            )
    return findings


def _notice(update: Notice) -> str:
    label = update.label or update.kind.replace("_", " ")
    when = f" {update.year}" if update.year else ""
    via = " via Retraction Watch" if update.source == "retraction-watch" else ""
    return f"{label}{when}: {update.doi}{via}" if update.doi else f"{label}{when}{via}"


def _identified(
    entry: BibEntry, reference: Reference, candidate: Candidate, match: Match, found: Identification
) -> _Outcome:
    """The entry is this record: report disagreeing fields, updates and a DOI it could carry. When the record
    is another version of the cited work (the preprint of a paper cited as published, or the reverse) and the
    version cited is found too, the entry is compared with that version and the pairing is an info finding."""
    version = found.other_version(match)
    if version is not None:
        cited, other = version
        outcome = _identified(entry, reference, other, cited, _NO_SEARCH)
        if set(cited.disagreements) <= {"doi"}:  # the DOI is the other version's: that is this finding
            outcome.status = Status.VERIFIED
        outcome.findings.insert(
            0,
            _finding(
                VERSION,
                entry,
                reference,
                "container",
                relation=_relation(match.record, cited.record),
                record=describe(match.record),
                other=describe(cited.record),
                written=match.record.doi or match.record.url,
                recorded=cited.record.doi or cited.record.url or None,
            ),
        )
        return outcome
    findings = mismatch_findings(entry, reference, match)
    if not reference.doi and match.record.doi:
        findings.append(_finding(DOI_AVAILABLE, entry, reference, "doi", recorded=match.record.doi))
    findings.extend(update_findings(entry, reference, candidate))
    status = Status.MISCITED if match.disagreements else Status.VERIFIED
    return _Outcome(status, findings, match.record, match)


_NO_SEARCH = Identification(Reference())  # for a record already chosen: no other version to look for


def _relation(found: Reference, cited: Reference) -> str:
    """How the record found relates to the version the entry describes."""
    if is_preprint_version(cited) and not is_preprint_version(found):
        return "cited as a preprint; the record found is its published version"
    return "cited as published; the record found is its preprint"


def _search(entry: BibEntry, reference: Reference, found: Identification) -> _Outcome:
    """What the search by the entry's fields found: accepted, a likely mis-citation, no match, or unverified."""
    search = found.search
    if not reference.title or search is None:
        return _Outcome(Status.UNVERIFIED, reason="no title to search by")
    if search.unavailable:
        return _Outcome(Status.UNVERIFIED, reason=search.reason or "search unavailable")
    match = search.match
    if match is None or match.decision is Decision.NO_MATCH or search.candidate is None:
        candidates = [match.record] if match else []
        if not search.conclusive:
            return _Outcome(
                Status.UNVERIFIED, match=match, reason=_inconclusive(reference, search.reason), candidates=candidates
            )
        return _Outcome(Status.NOT_FOUND, match=match, reason=search.reason, candidates=candidates)
    if match.decision is Decision.MISCITATION:
        differ = [
            label
            for name, label in (("author", "authors"), ("year", "year"), ("container", "venue"))
            if match.agreement.get(name) is not True
        ]
        fields = " and ".join([", ".join(differ[:-1]), differ[-1]] if len(differ) > 1 else differ)
        finding = _finding(
            MISCITATION,
            entry,
            reference,
            "title",
            other=describe(match.record),
            fields=fields or "details",
            written=_byline(reference),
            recorded=_byline(match.record),
        )
        return _Outcome(Status.MISCITED, [finding], match=match, candidates=[match.record])
    return _identified(entry, reference, search.candidate, match, found)


def _inconclusive(reference: Reference, searched: str) -> str:
    """Why no match is not "may not exist": what was searched, and that none of it holds every such work."""
    kind = _KINDS.get(reference.type, reference.type.replace("-", " "))
    return f"no matching record ({searched}), and no source that answered holds every {kind}"


def _verify_without_doi(entry: BibEntry, reference: Reference, found: Identification) -> _Outcome:
    if found.identified_by_id and found.by_id is not None and found.id_candidate is not None:
        return _identified(entry, reference, found.id_candidate, found.by_id, found)  # by its arXiv id
    outcome = _search(entry, reference, found)
    if outcome.status is Status.NOT_FOUND:
        outcome.findings.append(
            _finding(NO_MATCH, entry, reference, "title", where=outcome.reason, hint=_closest(outcome.match))
        )
    elif outcome.status is Status.UNVERIFIED:
        outcome.findings.append(_finding(UNVERIFIED, entry, reference, reason=outcome.reason))
    return outcome


def _verify_with_doi(entry: BibEntry, reference: Reference, found: Identification) -> _Outcome:
    lookup = found.lookup or Lookup(reference.doi, LookupStatus.UNAVAILABLE, reason="no source looks up DOIs")
    if lookup.status is LookupStatus.UNAVAILABLE:
        reason = lookup.reason or "the DOI could not be looked up"
        return _Outcome(
            Status.UNVERIFIED, [_finding(UNVERIFIED, entry, reference, "doi", reason=reason)], reason=reason
        )
    if lookup.status is LookupStatus.ELSEWHERE:
        return _registered_elsewhere(entry, reference, lookup, found)
    if lookup.status is LookupStatus.FOUND and lookup.candidate is not None:
        match = _compared(reference, lookup.candidate, found)
        if same_work(match):
            return _identified(entry, reference, lookup.candidate, match, found)
        return _wrong_doi(
            entry, reference, found, DOI_OTHER_WORK, other=describe(match.record), candidates=[match.record]
        )
    return _wrong_doi(entry, reference, found, DOI_NOT_FOUND)


def _compared(reference: Reference, candidate: Candidate, found: Identification) -> Match:
    """The record compared with the entry: the comparison `identify` made of that very record, else anew."""
    if found.by_id is not None and found.id_candidate is candidate and found.reference is reference:
        return found.by_id
    return compare(reference, candidate.reference)


def _registered_elsewhere(entry: BibEntry, reference: Reference, lookup: Lookup, found: Identification) -> _Outcome:
    """A DOI of an agency no source in the chain serves cannot be checked, but a search can still show that
    the title belongs to a work by other authors, or find the work in another source."""
    agency = lookup.agency or "another agency"
    findings = [_finding(DOI_ELSEWHERE, entry, reference, "doi", written=reference.doi, agency=agency)]
    searched = _search(entry, reference, found)
    if searched.match is not None and searched.match.decision is Decision.MISCITATION:
        return _Outcome(
            Status.MISCITED, findings + searched.findings, match=searched.match, candidates=searched.candidates
        )
    return _Outcome(Status.ELSEWHERE, findings, reason=f"registered with {agency}")


def _wrong_doi(
    entry: BibEntry,
    reference: Reference,
    found: Identification,
    rule: Rule,
    other: str = "",
    candidates: list[Reference] | None = None,
) -> _Outcome:
    """The DOI is unknown or names another work: look for the described work to suggest its DOI."""
    searched = _search(entry, reference, found)
    search = found.search
    accepted = search.match if search is not None and search.accepted else None
    suggestion = accepted.record.doi if accepted is not None else ""
    finding = _finding(
        rule,
        entry,
        reference,
        "doi",
        written=reference.doi,
        other=other,
        hint=f"; the described work has DOI {suggestion}" if suggestion else "",
        recorded=suggestion or None,
    )
    if accepted is not None and search is not None and search.candidate is not None:
        outcome = _identified(entry, reference, search.candidate, accepted, found)
        outcome.status = Status.MISCITED  # the work is real; its DOI in the entry is not
        outcome.findings.insert(0, finding)
        return outcome
    status = Status.MISCITED if candidates else Status.NOT_FOUND
    return _Outcome(
        status, [finding, *searched.findings], candidates=[*(candidates or []), *searched.candidates], reason=rule.name
    )


def _closest(match: Match | None) -> str:
    if match is None or match.title < 0.5:
        return ""
    return f" (closest: {describe(match.record)})"


def verify_entry(
    entry: BibEntry, reference: Reference, found: Identification, sources: Sequence[Source]
) -> tuple[list[Finding], Evidence]:
    """Verify one entry from what the chain said about it (`identify`)."""
    if reference.doi:
        outcome = _verify_with_doi(entry, reference, found)
    else:
        outcome = _verify_without_doi(entry, reference, found)
    match = outcome.match
    evidence = Evidence(
        key=entry.key,
        status=outcome.status,
        record=outcome.record,
        score=match.score if match else 0.0,
        agreement=dict(match.agreement) if match else {},
        source=_source_name(found, outcome, sources),
        reason=outcome.reason,
        candidates=outcome.candidates,
        consulted=found.answers(sources),
    )
    return outcome.findings, evidence


def _source_name(found: Identification, outcome: _Outcome, sources: Sequence[Source]) -> str:
    """The source whose record the verdict rests on; the chain's names when no one record settles it."""
    if outcome.record is not None and found.candidate is not None:
        return found.candidate.source
    return "+".join(source.name for source in sources)


def verify(
    entries: list[tuple[BibEntry, Reference]], sources: Sources, on_progress: Progress | None = None
) -> tuple[list[Finding], list[Evidence]]:
    """Verify every entry: identified against the chain all together (batched look-ups, then searches),
    then judged one by one in file order."""
    ordered = chain(sources)
    identified = identify_many([reference for _, reference in entries], ordered, on_progress)
    findings: list[Finding] = []
    evidence: list[Evidence] = []
    for (entry, reference), found in zip(entries, identified, strict=True):
        entry_findings, entry_evidence = verify_entry(entry, reference, found, ordered)
        findings.extend(entry_findings)
        evidence.append(entry_evidence)
    return findings, evidence
