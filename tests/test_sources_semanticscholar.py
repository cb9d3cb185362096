"""Semantic Scholar answers → Reference, on real recorded answers (../shared/data/api-responses/semanticscholar)."""

from __future__ import annotations

import pytest

from refkit.sources import semanticscholar as s2
from tests.cassettes import interactions
from tests.conftest import shared_file

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
