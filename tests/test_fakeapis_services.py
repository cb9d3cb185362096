"""The fake OpenAlex, PubMed, Semantic Scholar and Open Library speak their services' dialects: what they send
parses like the recorded answers, their not-found and error replies have the recorded shapes, and they refuse
(429) what the real limits refuse."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from refkit.sources import openalex, openlibrary, pubmed
from refkit.sources import semanticscholar as s2
from tests.fakeapis.corpus import (
    openalex_works,
    openlibrary_books,
    pubmed_references,
    semanticscholar_papers,
    works,
)
from tests.fakeapis.openalex import FakeOpenAlex
from tests.fakeapis.openlibrary import FakeOpenLibrary
from tests.fakeapis.pubmed import FakePubMed
from tests.fakeapis.semanticscholar import FakeSemanticScholar

WORKS = works(16)


def same_work(got, expected) -> None:
    assert (got.title, got.year, got.doi) == (expected.title, expected.year, expected.doi)
    assert [name.family for name in got.authors] == [name.family for name in expected.authors]


def test_openalex_singletons_lists_and_not_found():
    with FakeOpenAlex(openalex_works(WORKS)) as fake:
        article = WORKS[1]
        answer = requests.get(f"{fake.url}/works/https://doi.org/{article.doi}", timeout=5)
        same_work(openalex.to_reference(answer.json()), article)
        assert (article.volume, article.page) == (openalex.to_reference(answer.json()).volume, article.page)
        assert answer.headers["X-RateLimit-Cost-USD"] == "0.0001"
        missing = requests.get(f"{fake.url}/works/doi:10.1046/j.1365-2699.2003.00795", timeout=5)
        assert (missing.status_code, missing.headers["Content-Type"]) == (404, "text/html; charset=utf-8")
        assert b"<title>404 Not Found</title>" in missing.content
        dois = "|".join(work.doi for work in WORKS if work.doi)
        page = requests.get(f"{fake.url}/works", params={"filter": f"doi:{dois}", "per_page": "50"}, timeout=5).json()
        assert {reference.doi for reference in map(openalex.to_reference, openalex.results(page))} == {
            work.doi for work in WORKS if work.doi
        }
        found = requests.get(f"{fake.url}/works", params={"filter": f"title.search:{WORKS[2].title}"}, timeout=5)
        assert openalex.to_reference(openalex.results(found.json())[0]).title == WORKS[2].title
        assert openalex.cost(found.json()) == 0.001
        bad = requests.get(f"{fake.url}/works", params={"filter": "colour:blue"}, timeout=5)
        assert (bad.status_code, bad.json()["error"]) == (400, "Invalid query parameters error.")


def test_openalex_budget_without_a_key_runs_out():
    with FakeOpenAlex(openalex_works(WORKS)) as fake:
        statuses = [
            requests.get(f"{fake.url}/works", params={"search": "deep"}, timeout=5).status_code for _ in range(11)
        ]
        assert statuses == [200] * 10 + [429]  # $0.01 a day buys ten searches
        assert requests.get(f"{fake.url}/works", params={"search": "deep", "api_key": "k"}, timeout=5).ok


def test_pubmed_efetch_esearch_and_errors():
    biomedical = pubmed_references(WORKS)
    with FakePubMed(biomedical, enforce_limits=False) as fake:
        base = f"{fake.url}/entrez/eutils"
        ids = ",".join([biomedical[0].pmid, "1", biomedical[1].pmid])
        fetched = pubmed.articles(
            requests.get(f"{base}/efetch.fcgi", params={"db": "pubmed", "id": ids}, timeout=5).content
        )
        assert [article.pmid for article in fetched] == [biomedical[0].pmid, biomedical[1].pmid]
        same_work(fetched[0].reference, biomedical[0])
        assert fetched[0].reference.pmcid == biomedical[0].pmcid
        assert fetched[0].reference.page == biomedical[0].page
        term = f"{biomedical[1].pmcid}[pmcid]"
        answer = requests.get(
            f"{base}/esearch.fcgi", params={"db": "pubmed", "term": term, "retmode": "json"}, timeout=5
        )
        assert pubmed.search_answer(answer.content).ids == [biomedical[1].pmid]
        nothing = requests.get(f"{base}/esearch.fcgi", params={"db": "pubmed", "term": "abcXYZ[ti]"}, timeout=5)
        assert pubmed.search_answer(nothing.content) == pubmed.SearchAnswer([], 0, [])
        no_db = requests.get(f"{base}/esearch.fcgi", params={"term": "x"}, timeout=5)
        assert pubmed.errors(no_db.content) == ["Database is not supported:"]


def test_pubmed_allows_three_requests_a_second_without_a_key_and_ten_with():
    with FakePubMed(pubmed_references(WORKS)) as fake:
        url = f"{fake.url}/entrez/eutils/esearch.fcgi"
        with ThreadPoolExecutor(12) as pool:
            anonymous = list(
                pool.map(lambda _: requests.get(url, params={"db": "pubmed", "term": "x"}, timeout=5), range(6))
            )
        assert sorted(answer.status_code for answer in anonymous) == [200] * 3 + [429] * 3
        refused = next(answer for answer in anonymous if answer.status_code == 429)
        assert refused.json()["error"] == "API rate limit exceeded"
        with ThreadPoolExecutor(12) as pool:
            keyed = list(
                pool.map(
                    lambda _: requests.get(url, params={"db": "pubmed", "term": "x", "api_key": "k"}, timeout=5),
                    range(10),
                )
            )
        assert [answer.status_code for answer in keyed] == [200] * 10


def test_semanticscholar_lookups_batches_matches_and_errors():
    papers = semanticscholar_papers(WORKS)
    with FakeSemanticScholar(papers, enforce_limits=False) as fake:
        base = f"{fake.url}/graph/v1"
        article = WORKS[0]
        got = requests.get(f"{base}/paper/DOI:{article.doi}", params={"fields": s2.FIELDS}, timeout=5)
        same_work(s2.to_reference(got.json()), article)
        batch = requests.post(
            f"{base}/paper/batch",
            params={"fields": s2.FIELDS},
            json={"ids": ["DOI:10.1/none", f"DOI:{article.doi}"]},
            timeout=5,
        )
        first, second = s2.papers(batch.json())
        assert first is None and second is not None and s2.to_reference(second).doi == article.doi
        match = requests.get(
            f"{base}/paper/search/match", params={"query": WORKS[2].title, "fields": "title"}, timeout=5
        )
        assert s2.papers(match.json())[0]["title"] == WORKS[2].title
        assert "matchScore" in match.json()["data"][0]
        for response, status, message in (
            (
                requests.get(f"{base}/paper/search/match", params={"query": "askldjrq3rjaw938h"}, timeout=5),
                404,
                "Title match not found",
            ),
            (requests.get(f"{base}/paper/0", timeout=5), 404, "Paper with id 0 not found"),
            (
                requests.get(f"{base}/paper/0", params={"fields": "unknown"}, timeout=5),
                400,
                "Unrecognized or unsupported fields: [unknown]",
            ),
            (requests.get(f"{base}/paper/0", headers={"x-api-key": "F@k3K3y"}, timeout=5), 403, "Forbidden"),
        ):
            assert (response.status_code, s2.error_message(response.json())) == (status, message)
        empty = requests.get(f"{base}/paper/search", params={"query": "n0 r3sult s3arch t3rm"}, timeout=5)
        assert empty.json() == {"total": 0, "offset": 0}


def test_semanticscholar_allows_one_request_a_second():
    with FakeSemanticScholar(semanticscholar_papers(WORKS)) as fake:
        first = requests.get(f"{fake.url}/graph/v1/paper/0", timeout=5)
        second = requests.get(f"{fake.url}/graph/v1/paper/0", timeout=5)
        assert (first.status_code, second.status_code) == (404, 429)
        assert second.json()["message"].startswith("Too Many Requests")


def test_openlibrary_books_api_and_isbn_redirect():
    books = [work for work in WORKS if work.isbn]
    with FakeOpenLibrary(openlibrary_books(WORKS), enforce_limits=False) as fake:
        keys = ",".join([f"ISBN:{books[0].isbn}", "ISBN:0000000000", f"ISBN:{books[1].isbn}"])
        answer = requests.get(
            f"{fake.url}/api/books", params={"bibkeys": keys, "format": "json", "jscmd": "data"}, timeout=5
        )
        found = openlibrary.books(answer.json())
        assert set(found) == {books[0].isbn, books[1].isbn}
        reference = openlibrary.to_reference(found[books[0].isbn], books[0].isbn)
        assert (reference.title, reference.isbn, reference.publisher) == (books[0].title, books[0].isbn, "MIT Press")
        script = requests.get(f"{fake.url}/api/books", params={"bibkeys": keys}, timeout=5)
        assert script.text.startswith("var _OLBookInfo = {")
        edition = requests.get(f"{fake.url}/isbn/{books[0].isbn}.json", timeout=5)
        assert edition.history[0].status_code == 302 and edition.url.endswith(".json")
        assert openlibrary.to_reference(edition.json(), books[0].isbn).title == books[0].title
        missing = requests.get(f"{fake.url}/isbn/0000000000.json", timeout=5)
        assert (missing.status_code, missing.json()["error"]) == (404, "notfound")


def test_openlibrary_allows_three_a_second_to_an_identified_client():
    with FakeOpenLibrary(openlibrary_books(WORKS)) as fake:
        url = f"{fake.url}/api/books"
        anonymous = [requests.get(url, timeout=5).status_code for _ in range(2)]
        agent = {"User-Agent": "refkit/1 (mailto:someone@example.org)"}
        identified = [requests.get(url, headers=agent, timeout=5).status_code for _ in range(4)]
        assert (anonymous, identified) == ([200, 429], [200, 200, 200, 429])
