"""Semantic Scholar answers → Reference, on real recorded answers (../shared/data/api-responses/semanticscholar)."""

from __future__ import annotations

import pytest

from refkit.model import Reference
from refkit.sources import semanticscholar as s2
from refkit.sources.base import LookupStatus
from refkit.sources.semanticscholar import LIMITS, SemanticScholarSource
from tests.cassettes import interactions
from tests.conftest import shared_file
from tests.fakeapis.corpus import semanticscholar_papers, works
from tests.fakeapis.semanticscholar import FakeSemanticScholar
from tests.sources_helpers import cache_bytes, quick_client, settings_for

FOLDER = ("data", "api-responses", "semanticscholar")


def recorded(name: str, route: str = "") -> tuple[int, object]:
    item = next(
        item for item in interactions(shared_file(*FOLDER, name), "api.semanticscholar.org") if route in item.uri
    )
    return item.status, s2.decode(item.body)


def test_a_title_match_with_external_ids():
    status, answer = recorded("paperqa_match_attention_is_all_you_need.yaml")
    [paper] = s2.papers(answer)
    reference = s2.to_reference(paper)
    assert status == 200
    assert reference.key == s2.paper_id(paper) == "204e3073870fae3d05bcbc2f6a8e263d9b72e776"
    assert reference.title == "Attention is All you Need"
    assert reference.arxiv == "1706.03762"
    assert reference.fields["dblp"] == "journals/corr/VaswaniSPUJGKP17"
    assert reference.type == "paper-conference"
    assert (reference.year, reference.month, reference.day) == (2017, 6, 12)
    assert reference.page == "5998–6008"
    assert reference.container_title == "Neural Information Processing Systems"
    assert [str(name) for name in reference.authors[:2]] == ["Vaswani, Ashish", "Shazeer, Noam M."]


def test_a_batch_answer_keeps_a_null_for_an_unknown_id():
    _, answer = recorded("test_get_papers_return_not_found.yaml")
    found = s2.papers(answer)
    assert found[0] is None
    reference = s2.to_reference(found[1])  # type: ignore[arg-type]
    assert reference.doi == "10.2139/ssrn.288970"
    assert reference.title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert reference.container_title == "Experimental & Empirical Studies eJournal"
    assert [name.family for name in reference.authors] == ["Bertrand", "Duflo", "Mullainathan"]
    assert reference.abstract.startswith("Most Difference-in-Difference (DD) papers")


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("test_not_found.yaml", 404, "Paper with id 0 not found"),
        ("paperqa_bad_titles_match_404.yaml", 404, "Title match not found"),
        ("test_bad_query_parameters.yaml", 400, "Unrecognized or unsupported fields: [unknown]"),
        ("test_debug.yaml", 403, "Forbidden"),
    ],
)
def test_errors_are_json_with_a_message(name, status, message):
    got_status, answer = recorded(name)
    assert (got_status, s2.error_message(answer), s2.papers(answer)) == (status, message, [])


def test_a_search_with_no_hits_has_no_data_key():
    _, answer = recorded("test_empty_paginated_results.yaml")
    assert answer == {"total": 0, "offset": 0}
    assert s2.papers(answer) == []


def test_a_title_match_with_a_score():
    _, answer = recorded("test_search_paper_match_title.yaml")
    [paper] = s2.papers(answer)
    assert s2.to_reference(paper).title == "Mining association rules between sets of items in large databases"


def test_a_malformed_answer():
    with pytest.raises(s2.MalformedAnswer):
        s2.decode(b"<html>502 Bad Gateway</html>")


# -- the source, against the fake Semantic Scholar ------------------------------------------------------------

CORPUS = works(24)
PAPERS = [work for work in CORPUS if work.doi or work.arxiv or work.pmid]


@pytest.fixture
def fake():
    with FakeSemanticScholar(semanticscholar_papers(CORPUS), keys=("secret-s2-key",)) as server:
        yield server


def source_for(fake, tmp_path, **values) -> SemanticScholarSource:
    settings = settings_for(tmp_path, "semanticscholar", fake.url + "/graph/v1", **values)
    return SemanticScholarSource(settings, client=quick_client(settings, LIMITS, params={}))


def test_ids_go_five_hundred_to_a_batch_and_are_cached_one_by_one(fake, tmp_path):
    source = source_for(fake, tmp_path)
    asked = [source.identifier(work) for work in PAPERS] + ["DOI:10.9999/none"]
    assert asked[0].startswith("DOI:") and any(identifier.startswith("ARXIV:") for identifier in asked)
    answers = source.works(asked)
    assert [(request.method, request.path) for request in fake.requests] == [("POST", "/graph/v1/paper/batch")]
    assert [answers[identifier].status for identifier in asked] == [LookupStatus.FOUND] * len(PAPERS) + [
        LookupStatus.NOT_FOUND
    ]
    found = answers[asked[0]].candidate
    assert found is not None and found.source == "semanticscholar" and len(found.id) == 40
    assert found.reference.title == PAPERS[0].title
    source.close()
    offline = SemanticScholarSource(settings_for(tmp_path, "semanticscholar", fake.url + "/graph/v1", offline=True))
    again = offline.works([asked[1], "DOI:10.9999/none", "DOI:10.9999/never.asked"])
    assert again[asked[1]].status is LookupStatus.FOUND
    assert again["DOI:10.9999/none"].status is LookupStatus.NOT_FOUND  # the answer it was online
    assert again["DOI:10.9999/never.asked"].status is LookupStatus.UNAVAILABLE
    assert len(fake.requests) == 1
    offline.close()


def test_a_title_match_and_a_miss(fake, tmp_path):
    source = source_for(fake, tmp_path)
    assert source.search(CORPUS[2]).candidates[0].reference.title == CORPUS[2].title
    miss = source.search(Reference(title="askldjrq3rjaw938h"))
    assert (miss.candidates, miss.unavailable) == ([], False)  # "Title match not found" is an answer
    source.close()


def test_the_key_goes_in_a_header_and_a_bad_one_is_named(fake, tmp_path, monkeypatch):
    fake.enforce_limits = False  # two clients, each with its own limiter, one after the other
    monkeypatch.setenv("S2_API_KEY", "secret-s2-key")
    source = SemanticScholarSource(settings_for(tmp_path, "semanticscholar", fake.url + "/graph/v1"))
    assert source.search(CORPUS[2]).candidates
    assert fake.requests[-1].headers["x-api-key"] == "secret-s2-key"
    source.close()
    assert b"secret-s2-key" not in cache_bytes(tmp_path)
    monkeypatch.setenv("S2_API_KEY", "F@k3K3y")
    refused = SemanticScholarSource(settings_for(tmp_path, "semanticscholar", fake.url + "/graph/v1"))
    result = refused.search(CORPUS[4])
    assert result.unavailable and "403" in result.reason
    refused.close()
