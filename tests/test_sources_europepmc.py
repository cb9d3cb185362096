"""Europe PMC's REST API as a source, against its fake (tests/fakeapis/europepmc.py, built from the API's
published documentation): PMIDs and PMCIDs in one query, abstracts, title search, and an offline run that
reads every answer, absences included, as it was online."""

from __future__ import annotations

import pytest

from refkit.model import Reference
from refkit.sources import europepmc
from refkit.sources.base import LookupStatus
from refkit.sources.europepmc import LIMITS, EuropePmcSource
from tests.fakeapis.corpus import pubmed_references, works
from tests.fakeapis.europepmc import FakeEuropePmc
from tests.sources_helpers import quick_client, settings_for

CORPUS = works(16)
ARTICLES = pubmed_references(CORPUS)


@pytest.fixture
def fake():
    with FakeEuropePmc(ARTICLES) as server:
        yield server


def source_for(fake, tmp_path, **values) -> EuropePmcSource:
    settings = settings_for(tmp_path, "europepmc", fake.url, **values)
    return EuropePmcSource(settings, client=quick_client(settings, LIMITS, params={"email": "tests@example.org"}))


def test_pmids_and_pmcids_go_in_one_query_and_are_read_whole(fake, tmp_path):
    source = source_for(fake, tmp_path)
    asked = [ARTICLES[0].pmid, ARTICLES[1].pmcid, "1", "PMC1"]
    answers = source.works(asked)
    [request] = fake.requests
    assert request.params["query"] == (
        f"(EXT_ID:{ARTICLES[0].pmid} AND SRC:MED) OR PMCID:{ARTICLES[1].pmcid} OR (EXT_ID:1 AND SRC:MED) OR PMCID:PMC1"
    )
    assert (request.params["resultType"], request.params["format"], request.params["email"]) == (
        "core",
        "json",
        "tests@example.org",
    )
    assert [answers[i].status for i in asked] == [LookupStatus.FOUND] * 2 + [LookupStatus.NOT_FOUND] * 2
    found = answers[ARTICLES[0].pmid].candidate
    assert found is not None and found.source == "europepmc"
    work = found.reference
    assert (work.title, work.doi, work.pmid, work.pmcid) == (
        ARTICLES[0].title,  # without the full stop Europe PMC ends titles with
        ARTICLES[0].doi,
        ARTICLES[0].pmid,
        ARTICLES[0].pmcid,
    )
    assert [n.family for n in work.authors] == [n.family for n in ARTICLES[0].authors]
    assert (work.container_title, work.volume, work.issue, work.page, work.year) == (
        ARTICLES[0].container_title,
        ARTICLES[0].volume,
        ARTICLES[0].issue,
        ARTICLES[0].page,
        ARTICLES[0].year,
    )
    assert work.abstract == "Background " + ARTICLES[0].abstract  # the markup gone
    source.close()
    offline = EuropePmcSource(settings_for(tmp_path, "europepmc", fake.url, offline=True))
    again = offline.works([*asked, ARTICLES[2].pmid])
    assert len(fake.requests) == 1
    assert [again[i].status for i in asked] == [LookupStatus.FOUND] * 2 + [LookupStatus.NOT_FOUND] * 2
    assert again[ARTICLES[2].pmid].status is LookupStatus.UNAVAILABLE  # never asked
    offline.close()


def test_a_title_search_finds_the_article(fake, tmp_path):
    source = source_for(fake, tmp_path)
    [result] = source.search_many([ARTICLES[3]])
    assert not result.unavailable
    assert [c.reference.pmid for c in result.candidates] == [ARTICLES[3].pmid]
    assert fake.requests[0].params["query"] == f'TITLE:"{ARTICLES[3].title}"'
    source.close()


def test_a_query_is_one_phrase_whatever_the_title_holds():
    assert europepmc.search_query(Reference(title='The "so-called" \\ effect')) == 'TITLE:"The so-called effect"'
    assert europepmc.search_query(Reference(title="  ")) == ""


def test_an_error_answer_is_unavailable_not_an_exception(fake, tmp_path):
    fake.script(500, "html")
    source = source_for(fake, tmp_path)
    answers = source.works([ARTICLES[0].pmid])
    assert answers[ARTICLES[0].pmid].status is LookupStatus.UNAVAILABLE
    source.close()
