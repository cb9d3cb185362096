"""OpenAlex, PubMed, Semantic Scholar and Open Library in one chain, as `sources = [...]` names them, against
their fakes: each entry is identified by the source that holds it, and every source's answer is recorded."""

from __future__ import annotations

from dataclasses import replace

import pytest

from refkit.config import Settings
from refkit.model import Answer
from refkit.sources.identify import identify_many
from refkit.sources.openalex import OpenAlexSource
from refkit.sources.openlibrary import OpenLibrarySource
from refkit.sources.pubmed import PubMedSource
from refkit.sources.registry import build_sources, close_all, factory
from refkit.sources.semanticscholar import SemanticScholarSource
from tests.fakeapis.corpus import openalex_works, openlibrary_books, pubmed_references, semanticscholar_papers, works
from tests.fakeapis.openalex import FakeOpenAlex
from tests.fakeapis.openlibrary import FakeOpenLibrary
from tests.fakeapis.pubmed import FakePubMed
from tests.fakeapis.semanticscholar import FakeSemanticScholar

CORPUS = works(12)
NAMES = ["openalex", "pubmed", "semanticscholar", "openlibrary"]


@pytest.fixture
def settings(tmp_path):
    fakes = [
        FakeOpenAlex(openalex_works(CORPUS)),
        FakePubMed(pubmed_references(CORPUS)),
        FakeSemanticScholar(semanticscholar_papers(CORPUS)),
        FakeOpenLibrary(openlibrary_books(CORPUS)),
    ]
    for fake in fakes:
        fake.start()
    settings = Settings(cache_dir=tmp_path / "cache", mailto="tests@example.org", sources=list(NAMES))
    settings.urls.update(
        openalex=fakes[0].url,
        pubmed=fakes[1].url + "/entrez/eutils",
        semanticscholar=fakes[2].url + "/graph/v1",
        openlibrary=fakes[3].url,
    )
    yield settings
    for fake in fakes:
        fake.stop()


def test_the_registry_builds_the_chain_the_settings_name(settings):
    chain = build_sources(settings)
    assert [source.name for source in chain] == NAMES
    assert [factory(name) for name in NAMES] == [OpenAlexSource, PubMedSource, SemanticScholarSource, OpenLibrarySource]
    close_all(chain)


def test_each_entry_is_identified_by_the_source_that_holds_it(settings):
    cited = [
        replace(CORPUS[0], doi=""),  # a biomedical article cited by its PMID alone
        replace(CORPUS[4], doi="", pmid="", pmcid=CORPUS[4].pmcid),  # by its PMCID alone
        CORPUS[1],  # a journal article with its DOI
        replace(CORPUS[6], container_title=""),  # a conference paper by its title
        CORPUS[3],  # a book by its ISBN
        replace(CORPUS[9], title="An entirely invented title about nothing", doi="", pmid="", pmcid=""),
    ]
    chain = build_sources(settings)
    found = identify_many(cited, chain)
    sources = [item.candidate.source if item.candidate else None for item in found]
    assert sources == ["pubmed", "pubmed", "openalex", "openalex", "openlibrary", None]
    assert found[4].candidate is not None and found[4].candidate.reference.title == CORPUS[3].title
    answers = {said.source: said.answer for said in found[5].answers(chain)}
    assert answers == {
        "openalex": Answer.NOT_FOUND,
        "pubmed": Answer.NOT_FOUND,
        "semanticscholar": Answer.NOT_FOUND,
        "openlibrary": Answer.NOT_ASKED,
    }
    assert found[5].search is not None and not found[5].search.conclusive  # none of them covers such a work
    close_all(chain)
