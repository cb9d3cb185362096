"""OpenAlex works → Reference, on real recorded answers (../shared/data/api-responses/openalex)."""

from __future__ import annotations

import json

import pytest

from refkit.model import Reference
from refkit.sources import openalex
from refkit.sources.base import LookupStatus
from refkit.sources.openalex import LIMITS, OpenAlexSource
from refkit.sources.progress import listening
from tests.cassettes import interactions
from tests.conftest import shared_file
from tests.fakeapis.corpus import openalex_works, works
from tests.fakeapis.openalex import FakeOpenAlex
from tests.sources_helpers import cache_bytes, quick_client, settings_for

FOLDER = ("data", "api-responses", "openalex")


def recorded_work(name: str) -> dict:
    [answer] = interactions(shared_file(*FOLDER, name), "api.openalex.org")
    return json.loads(answer.body)


def test_a_work_fetched_by_its_openalex_id():
    work = json.loads(shared_file(*FOLDER, "bvitamins_W2741809807.json").read_text(encoding="utf-8"))
    reference = openalex.to_reference(work)
    assert openalex.work_id(work) == reference.key == "W2741809807"
    assert reference.title.startswith("The state of OA: a large-scale analysis")
    assert [name.family for name in reference.authors[:3]] == ["Piwowar", "Priem", "Larivière"]
    assert reference.authors[0].given == "Heather"
    assert (reference.container_title, reference.volume, reference.page) == ("PeerJ", "6", "e4375")
    assert (reference.year, reference.month, reference.day) == (2018, 2, 13)
    assert (reference.doi, reference.pmid, reference.pmcid) == ("10.7717/peerj.4375", "29456894", "PMC5815332")
    assert reference.issn == ("2167-8359",)
    assert reference.type == "article-journal"
    assert reference.abstract.startswith("Despite growing interest in Open Access (OA) to scholarly literature")
    assert openalex.notices(work) == []


def test_a_journal_article_looked_up_by_doi():
    reference = openalex.to_reference(recorded_work("commonmeta_works_doi_10.1371_journal.pone.0000030.yaml"))
    assert reference.doi == "10.1371/journal.pone.0000030"
    assert (reference.container_title, reference.volume, reference.issue) == ("PLoS ONE", "1", "1")
    assert reference.page == "e30"
    assert reference.publisher == "Public Library of Science"
    assert reference.authors[0].family == "Ralser"


def test_a_proceedings_paper_is_a_conference_paper_with_its_page_range():
    reference = openalex.to_reference(recorded_work("commonmeta_works_doi_10.1145_3448016.3452841_proceedings.yaml"))
    assert reference.type == "paper-conference"
    assert reference.title == "Vector Quotient Filters"
    assert reference.page == "1386–1399"
    assert reference.container_title == "Proceedings of the 2021 International Conference on Management of Data"
    assert reference.abstract.startswith("Today's filters, such as quotient, cuckoo, and Morton, have a trade-off")


def test_a_preprint_stays_a_preprint():
    reference = openalex.to_reference(recorded_work("commonmeta_works_doi_10.1101_097196_preprint.yaml"))
    assert reference.type == "article"
    assert reference.container_title.startswith("bioRxiv")


def test_title_search_answers_are_lists_with_their_cost():
    [answer] = interactions(shared_file(*FOLDER, "paperqa_title_search_copper_mixed.yaml"), "api.openalex.org")
    page = json.loads(answer.body)
    [work] = openalex.results(page)
    assert openalex.to_reference(work).doi == "10.1063/1.4938384"
    sample = interactions(shared_file(*FOLDER, "commonmeta_works_sample_list.yaml"), "api.openalex.org")
    assert [len(openalex.results(json.loads(item.body))) for item in sample] == [1, 5]
    assert openalex.cost(json.loads(sample[0].body)) == pytest.approx(0.0001)


def test_an_unknown_doi_is_a_404_with_an_html_page():
    [answer] = interactions(shared_file(*FOLDER, "paperqa_works_doi_not_found_404.yaml"), "api.openalex.org")
    assert answer.status == 404
    assert answer.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("inverted", "text"),
    [
        ({"b": [1], "a": [0, 2]}, "a b a"),
        ({"x": [2], "y": [0]}, "y x"),  # a gap (a position no word holds) is skipped
        ({"x": ["0"], "y": [1]}, "y"),  # a malformed position is ignored, not an error
        (None, ""),
        ([], ""),
    ],
)
def test_abstracts_are_rebuilt_from_the_inverted_index(inverted, text):
    assert openalex.abstract_text(inverted) == text


def test_a_retracted_work_carries_a_retraction_notice():
    [notice] = openalex.notices({"id": "https://openalex.org/W1", "is_retracted": True})
    assert notice.kind == "retraction"
    assert notice.source == "openalex"


def test_every_recorded_work_converts():
    """Each full work recorded (by DOI, by id, in lists) gives a title, authors and a year."""
    folder = shared_file(*FOLDER, "commonmeta_works_sample_list.yaml").parent  # the full recordings only
    works = [json.loads((folder / "bvitamins_W2741809807.json").read_text(encoding="utf-8"))]
    for path in folder.glob("*.yaml"):
        for item in interactions(path, "api.openalex.org"):
            if item.status == 200 and "select=" not in item.uri:
                answer = json.loads(item.body)
                works += openalex.results(answer) if "results" in answer else [answer]
    references = [openalex.to_reference(work) for work in works]
    assert len(references) >= 12
    assert all(reference.title and reference.year and reference.key.startswith("W") for reference in references)
    assert sum(bool(reference.authors) for reference in references) >= len(references) - 2


# -- the source, against the fake OpenAlex ------------------------------------------------------------------


CORPUS = works(40)
ARTICLES = [work for work in CORPUS if work.doi]


@pytest.fixture
def fake():
    with FakeOpenAlex(openalex_works(CORPUS)) as server:
        yield server


def source_for(fake, tmp_path, **values) -> OpenAlexSource:
    settings = settings_for(tmp_path, "openalex", fake.url, **values)
    return OpenAlexSource(settings, client=quick_client(settings, LIMITS))


def test_dois_are_looked_up_fifty_to_a_request_and_cached_one_by_one(fake, tmp_path):
    source = source_for(fake, tmp_path)
    asked = [work.doi for work in ARTICLES] + ["10.9999/not.in.openalex"]
    answers = source.works(asked)
    assert len(fake.requests) == 1  # one list call: $0.0001 for all of them
    assert fake.requests[0].params["filter"].startswith("doi:")
    assert [answers[doi].status for doi in asked] == [LookupStatus.FOUND] * len(ARTICLES) + [LookupStatus.NOT_FOUND]
    found = answers[ARTICLES[0].doi].candidate
    assert found is not None and found.source == "openalex" and found.id.startswith("W")
    assert found.reference.title == ARTICLES[0].title
    assert found.reference.abstract == ARTICLES[0].abstract  # rebuilt from the inverted index
    source.close()
    offline = OpenAlexSource(settings_for(tmp_path, "openalex", fake.url, offline=True))
    again = offline.works([ARTICLES[3].doi, ARTICLES[0].doi, "10.9999/not.in.openalex", "10.9999/never.asked"])
    assert len(fake.requests) == 1
    assert again[ARTICLES[3].doi].status is LookupStatus.FOUND
    assert again["10.9999/not.in.openalex"].status is LookupStatus.NOT_FOUND  # the answer it was online
    assert again["10.9999/never.asked"].status is LookupStatus.UNAVAILABLE
    offline.close()


def test_a_title_search_finds_the_work(fake, tmp_path):
    source = source_for(fake, tmp_path)
    [result] = source.search_many([CORPUS[2]])
    assert not result.unavailable
    assert result.candidates[0].reference.title == CORPUS[2].title
    assert fake.requests[-1].params["filter"].startswith("title.search:")
    assert source.search(Reference(title="Zzyzx qwerty")).candidates == []
    source.close()


def test_server_trouble_is_unavailable_never_not_found(fake, tmp_path):
    source = source_for(fake, tmp_path)
    fake.script(503, 503)
    answer = source.works([ARTICLES[0].doi])[ARTICLES[0].doi]
    assert answer.status is LookupStatus.UNAVAILABLE
    assert "503" in answer.reason
    source.close()


def test_a_spent_daily_budget_is_said_plainly(fake, tmp_path):
    source = source_for(fake, tmp_path)
    results = [source.search(work) for work in CORPUS[:11]]  # no key: $0.01 a day, ten searches
    assert [result.unavailable for result in results] == [False] * 10 + [True]
    assert "daily budget" in results[-1].reason
    source.close()


def test_the_key_comes_from_the_environment_and_never_reaches_the_cache(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_OPENALEX_KEY", "secret-openalex-key")
    source = OpenAlexSource(settings_for(tmp_path, "openalex", fake.url))
    assert source.works([ARTICLES[0].doi])[ARTICLES[0].doi].status is LookupStatus.FOUND
    assert fake.requests[-1].params["api_key"] == "secret-openalex-key"
    source.close()
    assert cache_bytes(tmp_path) and b"secret-openalex-key" not in cache_bytes(tmp_path)


def test_a_burst_is_answered_in_full(fake, tmp_path):
    source = source_for(fake, tmp_path)
    held = [work for work in CORPUS if work.type != "book"][:8]
    results = source.search_many(held)
    assert [result.candidates[0].reference.title for result in results] == [work.title for work in held]
    source.close()


def test_progress_moves_as_each_search_is_answered(fake, tmp_path):
    source = source_for(fake, tmp_path)
    seen: list[int] = []
    with listening(seen.append):
        source.search_many(CORPUS[:4])
    assert seen == [1, 1, 1, 1]
    source.close()


def test_a_maintenance_page_is_not_kept_as_the_answer(fake, tmp_path):
    source = source_for(fake, tmp_path)
    fake.script("html")
    assert source.search(CORPUS[2]).unavailable
    assert source.search(CORPUS[2]).candidates[0].reference.title == CORPUS[2].title  # asked again, not cached
    source.close()
