"""OpenAlex works → Reference, on real recorded answers (../shared/data/api-responses/openalex)."""

from __future__ import annotations

import json

import pytest

from refkit.sources import openalex
from tests.cassettes import interactions
from tests.conftest import shared_file

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
