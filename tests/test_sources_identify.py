"""Which sources the evidence layer searches: a preprint server is not asked for the published version of a
work whose preprint it already gave (it holds preprints alone), while the other sources still are."""

from __future__ import annotations

from collections.abc import Sequence

from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, SearchResult
from refkit.sources.identify import identify_many

AUTHORS = [Name("Vaswani", "Ashish"), Name("Shazeer", "Noam")]
PREPRINT = Reference(
    title="Attention is all you need", authors=AUTHORS, year=2017, type="article", arxiv="1706.03762",
    publisher="arXiv",
)  # fmt: skip
PUBLISHED = Reference(
    title="Attention is all you need", authors=AUTHORS, year=2017, type="paper-conference",
    container_title="Advances in Neural Information Processing Systems",
)  # fmt: skip


class Recording(BaseSource):
    """Finds what it holds by arXiv id and by title; remembers what it was asked to search."""

    def __init__(self, name: str, holds: Reference, *, preprints_only: bool = False) -> None:
        self.name, self.holds, self.preprints_only = name, holds, preprints_only
        self.searched: list[Reference] = []

    def identifier(self, reference: Reference) -> str:
        return reference.arxiv if self.preprints_only else ""

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        return {i: Lookup(i, LookupStatus.FOUND, Candidate(self.holds, self.name, id=i)) for i in ids}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        self.searched.append(reference)
        return SearchResult([Candidate(self.holds, self.name)])


def test_the_published_version_is_sought_where_it_can_be_not_at_the_preprint_server():
    cited = Reference(
        title="Attention is all you need", authors=AUTHORS, year=2017, arxiv="1706.03762",
        type="paper-conference", container_title="NeurIPS",
    )  # fmt: skip
    arxiv = Recording("arxiv", PREPRINT, preprints_only=True)
    dblp = Recording("dblp", PUBLISHED)
    [found] = identify_many([cited], [arxiv, dblp])
    assert arxiv.searched == [] and dblp.searched == [cited]
    assert found.by_id is not None
    other = found.other_version(found.by_id)  # the version it cites, shown beside the preprint (RK618)
    assert other is not None and other[1].source == "dblp"


def test_a_source_that_holds_both_versions_is_still_searched_for_the_other():
    cited = Reference(
        title="Attention is all you need", authors=AUTHORS, year=2017, arxiv="1706.03762",
        type="paper-conference", container_title="NeurIPS",
    )  # fmt: skip
    arxiv = Recording("arxiv", PREPRINT, preprints_only=False)  # as if it held published papers too
    identify_many([cited], [arxiv])
    assert arxiv.searched == [cited]
