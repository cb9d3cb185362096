"""PubMed E-utilities answers → Reference, on real recorded answers (../shared/data/api-responses/pubmed)."""

from __future__ import annotations

import pytest

from refkit.sources import pubmed
from tests.cassettes import interactions
from tests.conftest import shared_file

FOLDER = ("data", "api-responses", "pubmed")


def recorded(name: str, route: str = "") -> bytes:
    path = shared_file(*FOLDER, name)
    if path.suffix != ".yaml":
        return path.read_bytes()
    return next(item.body for item in interactions(path, "eutils.ncbi.nlm.nih.gov") if route in item.uri)


def test_efetch_of_two_articles():
    first, second = pubmed.articles(recorded("biopython_efetch_pubmed_11748933_11700088.xml"))
    assert first.pmid == first.reference.key == "11748933"
    assert first.reference.title.startswith("Is cryopreservation a homogeneous process? Ultrastructure")
    assert not first.reference.title.endswith(".")
    assert [name.family for name in first.reference.authors[:3]] == ["Taddei", "Barbato", "Abelli"]
    assert first.reference.authors[0].given == "A R"
    assert (first.reference.container_title, first.reference.container_title_short) == ("Cryobiology", "Cryobiology")
    assert (first.reference.volume, first.reference.issue) == ("42", "4")
    assert first.reference.page == "244–255"  # StartPage/EndPage, not MedlinePgn's abbreviated "244-55"
    assert (first.reference.year, first.reference.month) == (2001, 6)
    assert first.reference.doi == "10.1006/cryo.2001.2328"
    assert first.reference.issn == ("0011-2240",)
    assert first.reference.abstract.startswith("This study subdivides the cryopreservation procedure")
    assert second.pmid == "11700088"
    assert second.reference.authors[-1].family == "De Luca"


def test_efetch_with_inline_markup_and_a_pmcid():
    [article] = pubmed.articles(recorded("eutils_efetch_pubmed_29915538.yaml"))
    reference = article.reference
    assert reference.pmcid == "PMC5994433"
    assert reference.doi == "10.3389/fphar.2018.00576"
    assert reference.page == "576"
    assert reference.abstract.startswith("Background: Semaglutide, a newly once-weekly")
    assert "I2 test" in reference.abstract  # <sup>2</sup> kept as text
    assert "semaglutide" in reference.keywords


def test_an_old_article_with_only_a_year():
    [article] = pubmed.articles(recorded("eutils_efetch_pubmed_1234567.yaml"))
    assert (article.reference.year, article.reference.month) == (1975, None)
    assert article.reference.doi == "10.1159/000398269"
    assert article.reference.page == "94–104"


def test_esearch_xml_and_json():
    xml = pubmed.search_answer(recorded("biopython_esearch_pubmed_biopython.xml"))
    assert (xml.count, len(xml.ids), xml.ids[0]) == (63, 20, "41282813")
    json_answer = pubmed.search_answer(recorded("findpapers_esearch_pubmed_json.json"))
    assert (json_answer.count, len(json_answer.ids), json_answer.ids[0]) == (1834, 50, "36006759")
    author = pubmed.search_answer(recorded("eutils_esearch_pubmed_hart_rk_author.yaml", "esearch"))
    assert author.count == len(author.ids) == 34


def test_a_phrase_not_found_is_an_empty_answer_not_an_error():
    answer = pubmed.search_answer(recorded("biopython_esearch_notfound_abcXYZ.xml"))
    assert (answer.ids, answer.count, answer.errors) == ([], 0, [])


def test_errors_in_the_body_are_read():
    assert pubmed.errors(recorded("biopython_esummary_error_no_id.xml")) == ["Neither query_key nor id specified"]
    assert pubmed.errors(recorded("biopython_epost_invalid_id_error.xml"))[0] == "Empty ID list; Nothing to store"


@pytest.mark.parametrize("body", [b"<html><body>Service unavailable</body></html>", b"<PubmedArticleSet><Pubmed", b""])
def test_a_malformed_efetch_answer_is_a_malformed_answer(body):
    with pytest.raises(pubmed.MalformedAnswer):
        pubmed.articles(body)


RETRACTED = b"""<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
<Title>J</Title></Journal><ArticleTitle>[A translated title].</ArticleTitle>
<AuthorList CompleteYN="N"><Author><CollectiveName>The Trial Group</CollectiveName></Author></AuthorList>
<PublicationTypeList><PublicationType>Retracted Publication</PublicationType></PublicationTypeList></Article>
<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>J. 2000;1:2</RefSource>
<PMID>2</PMID></CommentsCorrections><CommentsCorrections RefType="ErratumIn"><RefSource>J. 1999;3:4</RefSource>
</CommentsCorrections><CommentsCorrections RefType="Cites"><RefSource>X</RefSource></CommentsCorrections>
</CommentsCorrectionsList></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def test_retractions_errata_dates_and_collective_authors():
    [article] = pubmed.articles(RETRACTED)
    assert [(notice.kind, notice.label) for notice in article.notices] == [
        ("retraction", "J. 2000;1:2"),
        ("correction", "J. 1999;3:4"),
    ]
    assert article.reference.year == 1998
    assert article.reference.title == "A translated title"
    assert article.reference.authors[0].literal == "The Trial Group"
    assert article.reference.authors_truncated
