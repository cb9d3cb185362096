"""Abstracts for references that lack one, from local Crossref records of the same work."""

from __future__ import annotations

from refkit.claims.abstracts import add_abstracts
from refkit.model import Name, Reference
from refkit.sources.snapshot import SnapshotSource


def record(doi: str, title: str, family: str, year: int, abstract: str) -> dict:
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [{"family": family, "given": "A."}],
        "issued": {"date-parts": [[year]]},
        "container-title": ["Journal of Sleep Research"],
        "abstract": abstract,
    }


SOURCE = SnapshotSource(
    records=[
        record(
            "10.1/caffeine",
            "Caffeine effects on sleep taken 0, 3, or 6 hours before going to bed",
            "Drake",
            2013,
            "<jats:p>Caffeine 6 hours before bed reduced <jats:italic>total sleep time</jats:italic> by 1 hour."
            "</jats:p>",
        ),
        record("10.1/naps", "Brief afternoon naps improve alertness", "Brooks", 2006, "<jats:p>Naps helped.</jats:p>"),
    ]
)


def test_abstracts_come_from_the_same_work_by_doi_or_by_the_matcher() -> None:
    references = [
        Reference(
            key="by-doi", title="Caffeine effects on sleep taken 0, 3 or 6 hours before bed", doi="10.1/caffeine"
        ),
        Reference(
            key="by-title", title="Brief afternoon naps improve alertness", authors=[Name("Brooks", "A.")], year=2006
        ),
        Reference(
            key="other-work", title="Brief afternoon naps improve alertness", authors=[Name("Someone", "B.")], year=1990
        ),
        Reference(key="has-one", title="Brief afternoon naps improve alertness", abstract="Written by the user."),
    ]
    enriched, added = add_abstracts(references, SOURCE)
    assert added == 2
    assert [reference.abstract for reference in enriched] == [
        "Caffeine 6 hours before bed reduced total sleep time by 1 hour.",
        "Naps helped.",
        "",
        "Written by the user.",
    ]
    assert references[0].abstract == ""  # the input list is left as it was


def test_a_doi_that_names_another_work_gives_no_abstract() -> None:
    """The same rule as `validate`'s (refkit.sources.identify.same_work): a DOI whose record has another
    title, and nothing else that vouches for it, is not the cited work."""
    cited = Reference(key="wrong-doi", title="Caffeine and sleep", doi="10.1/caffeine")
    _, added = add_abstracts([cited], SOURCE)
    assert added == 0
