"""Crossref `message` → Reference. Real records come from ../shared/data/crossref (see its SOURCES.md);
the small hand-written records below are labelled as such."""

from __future__ import annotations

import json

from refkit.sources.records import notice_of, strip_markup, to_reference, updates
from tests.conftest import shared_file


def _message(*parts: str) -> dict:
    return json.loads(shared_file(*parts).read_text(encoding="utf-8"))["message"]


def test_real_journal_article_with_correction():
    record = _message("data", "crossref", "work_10.1371_journal.pone.0033693.json")
    reference = to_reference(record)
    assert reference.type == "article-journal"
    assert reference.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert reference.container_title == "PLoS ONE"
    assert (reference.year, reference.month, reference.day) == (2012, 3, 21)
    assert (reference.volume, reference.issue, reference.page) == ("7", "3", "e33693")
    assert reference.first_author_family == "Sadasivan"
    assert len(reference.authors) == 6
    assert reference.doi == "10.1371/journal.pone.0033693"
    assert reference.issn == ("1932-6203",)
    [update] = updates(record)
    assert update.kind == "correction"
    assert update.doi == "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    assert update.year == 2012


def test_real_proceedings_article_without_issued_year_falls_back():
    record = _message("data", "crossref", "work_10.1109_icdcsw.2003.1203662.json")
    reference = to_reference(record)
    assert reference.type == "paper-conference"
    assert reference.page == "877–882"
    assert reference.container_title.startswith("23rd International Conference on Distributed Computing")
    assert reference.year is None  # `issued` is empty; the deposit date (`created`, 2004) is not a publication year


def test_sparse_real_record_with_family_only_author():
    reference = to_reference(_message("data", "crossref", "work_10.3892_ijo_00000353.json"))
    assert reference.authors[0].family == "Stravopodis"
    assert reference.authors[0].given == ""
    assert reference.container_title_short == "Int J Oncol"
    assert reference.year == 2009


def test_correction_notice_points_at_the_corrected_article():
    for line in shared_file("data", "crossref-records", "works.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["DOI"] == "10.1371/annotation/53374aad-bc04-4c64-b313-8ff9b881d0da":
            break
    [target] = notice_of(record)
    assert (target.kind, target.doi) == ("correction", "10.1371/journal.pone.0052774")
    assert updates(record) == []


# Hand-written records in Crossref's documented shape (not recordings).


def test_subtitle_markup_organisation_author_and_dates():
    record = {
        "DOI": "10.5555/Example.1",
        "type": "book-chapter",
        "title": ["Growth of <i>E. coli</i> &amp; friends"],
        "subtitle": ["a field guide"],
        "author": [{"name": "The CML Study Group"}, {"family": "Müller", "given": "Jörg", "suffix": "Jr."}],
        "container-title": ["Handbook of Things"],
        "published-print": {"date-parts": [[2019, 4]]},
        "published-online": {"date-parts": [[2018, 12, 1]]},
        "page": "11-19",
        "abstract": "<jats:title>Abstract</jats:title><jats:p>First <jats:italic>part</jats:italic> .</jats:p>",
    }
    reference = to_reference(record)
    assert reference.title == "Growth of E. coli & friends: a field guide"
    assert reference.authors[0].literal == "The CML Study Group"
    assert (reference.authors[1].family, reference.authors[1].suffix) == ("Müller", "Jr.")
    assert reference.type == "chapter"
    assert (reference.year, reference.month) == (2019, 4)  # no `issued`: print before online
    assert reference.fields["other-years"] == "2018"
    assert reference.page == "11–19"
    assert reference.abstract == "First part."
    assert reference.doi == "10.5555/Example.1"  # Crossref's spelling is kept


def test_article_number_stands_in_for_pages():
    reference = to_reference({"DOI": "10.5555/x", "title": ["T"], "article-number": "e1002"})
    assert reference.page == "e1002"


def test_synthetic_retraction_and_concern_are_read():
    # SYNTHETIC: no real retraction record was recorded (shared/data/SOURCES.md); built from Crossref's documented
    # shape of `updated-by` entries (type "retraction", label "Retraction", source "retraction-watch").
    record = {
        "DOI": "10.5555/retracted.1",
        "title": ["A retracted study"],
        "updated-by": [
            {
                "DOI": "10.5555/retraction.9",
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
                "updated": {"date-parts": [[2021, 2, 3]]},
            },
            {
                "DOI": "10.5555/eoc.2",
                "type": "expression_of_concern",
                "label": "Expression of concern",
                "source": "publisher",
                "updated": {"date-parts": [[2020, 1, 1]]},
            },
        ],
    }
    kinds = [(u.kind, u.doi, u.source, u.year) for u in updates(record)]
    assert kinds == [
        ("retraction", "10.5555/retraction.9", "retraction-watch", 2021),
        ("expression_of_concern", "10.5555/eoc.2", "publisher", 2020),
    ]


def test_strip_markup_keeps_words_apart():
    assert (
        strip_markup("<jats:p>Alpha<jats:sup>2</jats:sup> and beta</jats:p><jats:p>Gamma</jats:p>")
        == "Alpha 2 and beta Gamma"
    )


def test_hand_made_records_with_lone_values_are_read_not_crashed_on():
    # Hand-written, as a user's own snapshot file might have it: strings where Crossref gives lists, an author
    # written as a citation string, a relation item that is not an object.
    record = {
        "DOI": "10.5555/hand.1",
        "title": "A study of things",
        "author": ["Smith, J.", {"family": "Jones"}],
        "ISSN": "1234-5678",
        "container-title": "Journal of Things",
        "relation": {"is-retracted-by": ["10.5555/notice", {"id": "10.5555/retraction.2"}]},
    }
    reference = to_reference(record)
    assert (reference.title, reference.container_title) == ("A study of things", "Journal of Things")
    assert [name.family for name in reference.authors] == ["Jones"]
    assert reference.issn == ("1234-5678",)
    assert [(u.kind, u.doi) for u in updates(record)] == [("retraction", "10.5555/retraction.2")]
