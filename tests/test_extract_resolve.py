"""`extract --resolve` as a library call: confident matches fill the reference, nothing else does."""

from __future__ import annotations

from refkit.extract import parse_reference
from refkit.extract.resolve import Outcome, resolve_references
from refkit.sources.base import BaseSource, SearchResult
from refkit.sources.records import crossref_candidate

RECORD = {
    "DOI": "10.1016/j.ecss.2016.08.021",
    "type": "journal-article",
    "title": ["Carbon burial in seagrass meadows of the western Mediterranean"],
    "author": [{"family": "Ortiz", "given": "Rosa"}, {"family": "Hale", "given": "Peter"}],
    "container-title": ["Estuarine, Coastal and Shelf Science"],
    "volume": "181",
    "issue": "4",
    "page": "145-153",
    "issued": {"date-parts": [[2016, 11]]},
}


class FakeSource(BaseSource):
    """Answers every search with the same records; counts how it was asked."""

    name = "fake"

    def __init__(self, records: list[dict], *, unavailable: bool = False) -> None:
        self.records, self.unavailable, self.asked = records, unavailable, []

    def works(self, dois):  # pragma: no cover - not used by resolve
        return {}

    def search(self, reference, rows: int = 5) -> SearchResult:
        self.asked.append(reference.title)
        if self.unavailable:
            return SearchResult(unavailable=True, reason="offline")
        return SearchResult([crossref_candidate(record) for record in self.records])


class BatchSource(FakeSource):
    def search_many(self, references, rows: int = 5) -> list[SearchResult]:
        self.batches = getattr(self, "batches", 0) + 1
        return [self.search(reference, rows) for reference in references]


ORTIZ = (
    "Ortiz, R., & Hale, P. (2016). Carbon burial in seagrass meadows of the western Mediterranean. "
    "Estuarine, Coastal and Shelf Science, 181, 145-153."
)


def test_confident_match_adds_doi_and_missing_fields_only() -> None:
    reference = parse_reference(ORTIZ)
    reference.page = "145–154"  # what the string says stays, even where the record differs
    [resolution] = resolve_references([reference], FakeSource([RECORD]))
    assert (resolution.outcome, resolution.doi) == (Outcome.RESOLVED, "10.1016/j.ecss.2016.08.021")
    assert (reference.doi, reference.issue, reference.page) == ("10.1016/j.ecss.2016.08.021", "4", "145–154")


def test_doubtful_unmatched_unavailable_and_kept() -> None:
    borrowed = parse_reference(ORTIZ.replace("Ortiz, R., & Hale, P. (2016)", "Quist, A. (2019)"))
    resolution = resolve_references([borrowed], FakeSource([RECORD]))[0]
    assert (resolution.outcome, resolution.doi) == (Outcome.DOUBTFUL, "10.1016/j.ecss.2016.08.021")
    assert "author, year differ" in resolution.reason and borrowed.doi == "" and borrowed.issue == ""
    unmatched = parse_reference(
        "Lindqvist K, Aho M. Sediment grain size in eelgrass beds. Mar Ecol Prog Ser. 2019;612:37-49."
    )
    assert resolve_references([unmatched], FakeSource([RECORD]))[0].outcome is Outcome.NOT_FOUND
    offline = resolve_references([parse_reference(ORTIZ)], FakeSource([RECORD], unavailable=True))[0]
    assert (offline.outcome, offline.reason) == (Outcome.UNAVAILABLE, "offline")
    with_doi = parse_reference(ORTIZ + " https://doi.org/10.1016/j.ecss.2016.08.021")
    source = FakeSource([RECORD])
    assert resolve_references([with_doi], source)[0].outcome is Outcome.KEPT and source.asked == []


def test_sources_that_search_in_batches_are_asked_once() -> None:
    references = [
        parse_reference(ORTIZ),
        parse_reference(ORTIZ + " doi:10.1016/j.ecss.2016.08.021"),
        parse_reference(ORTIZ),
    ]
    source = BatchSource([RECORD])
    outcomes = [resolution.outcome for resolution in resolve_references(references, source)]
    assert outcomes == [Outcome.RESOLVED, Outcome.KEPT, Outcome.RESOLVED]
    assert source.batches == 1 and len(source.asked) == 2
