"""PubMed E-utilities answers → Reference, on real recorded answers (../shared/data/api-responses/pubmed)."""

from __future__ import annotations

import pytest

from refkit.model import Reference
from refkit.sources import pubmed
from refkit.sources.base import LookupStatus
from refkit.sources.http import Kind
from refkit.sources.pubmed import WITHOUT_KEY, PubMedSource
from tests.cassettes import interactions
from tests.conftest import shared_file
from tests.fakeapis.corpus import pubmed_references, works
from tests.fakeapis.pubmed import FakePubMed
from tests.sources_helpers import cache_bytes, quick_client, settings_for

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


# -- the source, against the fake E-utilities --------------------------------------------------------------

CORPUS = pubmed_references(works(48))


@pytest.fixture
def fake():
    with FakePubMed(CORPUS) as server:
        yield server


def source_for(fake, tmp_path, **values) -> PubMedSource:
    settings = settings_for(tmp_path, "pubmed", fake.url + "/entrez/eutils", **values)
    return PubMedSource(settings, client=quick_client(settings, WITHOUT_KEY, params={"tool": "refkit"}))


def test_pmids_go_two_hundred_to_an_efetch_and_pmcids_through_one_esearch(fake, tmp_path):
    source = source_for(fake, tmp_path)
    pmids = [work.pmid for work in CORPUS[:6]]
    pmcids = [work.pmcid for work in CORPUS[6:]]
    answers = source.works([*pmids, *pmcids, "1", "PMC1"])
    tools = [request.path.rsplit("/", 1)[-1] for request in fake.requests]
    assert tools == ["esearch.fcgi", "efetch.fcgi", "efetch.fcgi"]
    assert all(answers[pmid].status is LookupStatus.FOUND for pmid in pmids + pmcids)
    assert (answers["1"].status, answers["PMC1"].status) == (LookupStatus.NOT_FOUND, LookupStatus.NOT_FOUND)
    found = answers[CORPUS[7].pmcid].candidate
    assert found is not None and (found.source, found.id) == ("pubmed", CORPUS[7].pmid)
    assert found.reference.title == CORPUS[7].title and found.reference.abstract == CORPUS[7].abstract
    assert fake.requests[0].params["tool"] == "refkit"
    source.close()
    offline = PubMedSource(settings_for(tmp_path, "pubmed", fake.url + "/entrez/eutils", offline=True))
    again = offline.works([pmids[0], "1", "2"])
    assert (again[pmids[0]].status, again["1"].status, again["2"].status) == (
        LookupStatus.FOUND,
        LookupStatus.NOT_FOUND,  # "no such PMID" was cached too
        LookupStatus.UNAVAILABLE,
    )
    offline.close()


def test_a_title_search_is_an_esearch_then_an_efetch(fake, tmp_path):
    source = source_for(fake, tmp_path)
    result = source.search(CORPUS[3])
    assert [candidate.id for candidate in result.candidates] == [CORPUS[3].pmid]
    assert fake.requests[0].params["term"].endswith("[ti]")
    assert source.search(Reference(title="Zzyzx qwerty unheard")).candidates == []
    source.close()


def test_a_burst_at_three_requests_a_second_is_answered_in_full(fake, tmp_path):
    """The limiter spaces the requests to NCBI's 3 a second; a 429 that scheduling jitter still provokes is
    retried, so every search is answered."""
    source = source_for(fake, tmp_path)
    results = source.search_many(CORPUS[:6])
    assert [result.unavailable for result in results] == [False] * 6
    assert [result.candidates[0].id for result in results] == [work.pmid for work in CORPUS[:6]]
    source.close()


def test_errors_in_the_body_and_malformed_answers_are_unavailable(fake, tmp_path):
    source = source_for(fake, tmp_path)
    fake.script(500, 500)
    assert source.works([CORPUS[0].pmid])[CORPUS[0].pmid].status is LookupStatus.UNAVAILABLE
    source.close()


def test_the_key_and_contact_are_sent_and_never_cached(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "secret-ncbi-key")
    source = PubMedSource(settings_for(tmp_path, "pubmed", fake.url + "/entrez/eutils"))
    assert source.works([CORPUS[0].pmid])[CORPUS[0].pmid].status is LookupStatus.FOUND
    params = fake.requests[-1].params
    assert (params["api_key"], params["tool"], params["email"]) == ("secret-ncbi-key", "refkit", "tests@example.org")
    assert source.client.limiter.rate(Kind.SINGLE) == (10, 1.0)
    source.close()
    assert b"secret-ncbi-key" not in cache_bytes(tmp_path)


def test_a_maintenance_page_is_not_kept_as_the_answer(fake, tmp_path):
    source = source_for(fake, tmp_path)
    fake.script("html")
    assert source.works([CORPUS[0].pmid])[CORPUS[0].pmid].status is LookupStatus.UNAVAILABLE
    assert source.works([CORPUS[0].pmid])[CORPUS[0].pmid].status is LookupStatus.FOUND
    fake.script("html")
    assert source.search(CORPUS[5]).unavailable
    assert source.search(CORPUS[5]).candidates
    source.close()
