"""Which sources a run asks, in order: configured snapshots first, then Crossref online unless offline.

A snapshot that holds a DOI answers for it; DOIs it lacks go to the next source, and when that source cannot
answer (offline, network down) they stay unverified, never "not found". Searches likewise: the snapshot's
candidates are searched first, and a weak best candidate means "no match" only when some source that
answered covers such a work (`SearchResult.conclusive`: a snapshot declared complete, Crossref for journal
articles); else the entry could not be checked (docs/crossref.md, "What silence means").
"""

from __future__ import annotations

from collections.abc import Sequence

from refkit.config import Settings
from refkit.match import Decision, _names_preprint, best_match
from refkit.model import Reference
from refkit.sources.base import Lookup, LookupStatus, SearchResult, Source
from refkit.sources.records import to_reference
from refkit.sources.snapshot import SnapshotSource
from refkit.text import fold


class UnavailableSource:
    """Answers nothing: every look-up is unavailable, for the reason given (a source that cannot be asked)."""

    def __init__(self, reason: str) -> None:
        self.name = "unavailable"
        self.reason = reason

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=self.reason) for doi in dois}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return SearchResult(unavailable=True, reason=self.reason)


class FallbackSource:
    """Ask `primary` first and `fallback` only for what `primary` could not settle."""

    def __init__(self, primary: Source, fallback: Source) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = f"{primary.name}+{fallback.name}"

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        result = self.primary.works(dois)
        missing = [doi for doi, lookup in result.items() if lookup.status is not LookupStatus.FOUND]
        if missing:
            for doi, second in self.fallback.works(missing).items():
                result[doi] = self._either(result[doi], second)
        return result

    def _either(self, first: Lookup, second: Lookup) -> Lookup:
        """The fallback's answer, unless it has none: then the primary's "no such DOI" stands (a complete
        snapshot's), or the entry stays unverified with both reasons."""
        if second.status is not LookupStatus.UNAVAILABLE:
            return second
        if first.status is LookupStatus.NOT_FOUND:
            return first
        return Lookup(second.doi, second.status, reason=f"{first.reason}; {self.fallback.name}: {second.reason}")

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return self.search_many([reference], rows)[0]

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        """Search the primary for all, then the fallback (concurrently, if it can) for the unsettled rest."""
        results = search_many(self.primary, references, rows)
        pending = [
            index
            for index, (reference, result) in enumerate(zip(references, results, strict=True))
            if result.unavailable or not _settled(reference, result)
        ]
        answers = search_many(self.fallback, [references[index] for index in pending], rows)
        for index, second in zip(pending, answers, strict=True):
            results[index] = _combine(results[index], second, self.fallback.name)
        return results


def _combine(first: SearchResult, second: SearchResult, fallback: str) -> SearchResult:
    """The primary's candidates, then the fallback's; when the fallback cannot answer, the primary's stand,
    conclusive only if the primary's own answer was."""
    if second.unavailable:
        reason = f"{first.reason}; {fallback}: {second.reason}".strip("; ")
        if first.unavailable:
            return SearchResult(unavailable=True, reason=reason)
        return SearchResult(first.records, reason=reason, conclusive=first.conclusive)
    return SearchResult(
        first.records + second.records,
        reason=f"{first.reason}; {second.reason}".strip("; "),
        conclusive=first.conclusive or second.conclusive,
    )


def search(source: Source, reference: Reference, rows: int = 5) -> SearchResult:
    """`source.search`, its answer marked conclusive when the source covers such a work (see `_marked`)."""
    return _marked(source, reference, source.search(reference, rows))


def search_many(source: Source, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
    """Searches for many references: concurrently when the source offers `search_many` (the Crossref client
    runs as many requests at once as the server allows), else one by one; marked as `search` marks them."""
    if not references:
        return []
    many = getattr(source, "search_many", None)
    results = list(many(references, rows)) if many else [source.search(reference, rows) for reference in references]
    return [_marked(source, reference, result) for reference, result in zip(references, results, strict=True)]


def _marked(source: Source, reference: Reference, result: SearchResult) -> SearchResult:
    """The Crossref client does not mark its answers yet (it should: `conclusive=crossref_covers(reference)`
    in `CrossrefSource.search`); until it does, its answers are marked here."""
    if source.name == "crossref" and not result.unavailable and crossref_covers(reference):
        result.conclusive = True
    return result


def crossref_covers(reference: Reference) -> bool:
    """Crossref's silence rules out journal articles only: nearly every journal registers its articles
    there, while many books, conference papers, theses, reports, preprints and web pages have no Crossref
    record at all."""
    venue = reference.container_title or reference.container_title_short
    return (
        reference.type == "article-journal" and bool(venue) and not reference.arxiv and not _names_preprint(fold(venue))
    )


def _settled(reference: Reference, result: SearchResult) -> bool:
    """The primary's candidates already contain the cited work (or the work whose title it borrows)."""
    match = best_match(reference, [to_reference(record) for record in result.records])
    return match is not None and match.decision is not Decision.NO_MATCH


def online_source(settings: Settings) -> Source:
    """The Crossref client (cache-only when offline), imported only here: requests-cache takes a fifth of a
    second to import, which commands that never build a source need not pay."""
    from refkit.sources.crossref import CrossrefSource

    return CrossrefSource(settings)


def build_source(settings: Settings) -> Source:
    """Mirrors from the settings first, then snapshots (each in the order given), then Crossref."""
    source: Source = online_source(settings)
    if settings.snapshot:
        source = FallbackSource(SnapshotSource(settings.snapshot, complete=settings.snapshot_complete), source)
    if settings.mirror:
        from refkit.mirrors.source import MirrorSource  # only runs that name a mirror open SQLite

        for path in reversed(settings.mirror):
            source = FallbackSource(MirrorSource(path), source)
    return source
