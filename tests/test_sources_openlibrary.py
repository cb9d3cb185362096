"""Open Library books → Reference. No recording exists: the answers below follow the documented Books API
(openlibrary.org/dev/docs/api/books, `jscmd=data`) and edition JSON (`/isbn/{isbn}.json`)."""

from __future__ import annotations

import pytest

from refkit.model import Reference
from refkit.sources import openlibrary
from refkit.sources.base import LookupStatus
from refkit.sources.http import Kind
from refkit.sources.openlibrary import IDENTIFIED, OpenLibrarySource
from tests.fakeapis.corpus import openlibrary_books, works
from tests.fakeapis.openlibrary import FakeOpenLibrary
from tests.sources_helpers import quick_client, settings_for

BOOKS_ANSWER = {
    "ISBN:0262033844": {
        "url": "https://openlibrary.org/books/OL22558855M/Introduction_to_algorithms",
        "key": "/books/OL22558855M",
        "title": "Introduction to algorithms",
        "authors": [
            {"url": "https://openlibrary.org/authors/OL2665785A", "name": "Thomas H. Cormen"},
            {"url": "https://openlibrary.org/authors/OL2665786A", "name": "Charles E. Leiserson"},
        ],
        "identifiers": {"isbn_10": ["0262033844"], "isbn_13": ["9780262033848"], "openlibrary": ["OL22558855M"]},
        "publishers": [{"name": "MIT Press"}],
        "publish_places": [{"name": "Cambridge, Mass"}],
        "publish_date": "2009",
        "number_of_pages": 1292,
        "edition_name": "3rd ed.",
    }
}


def test_a_books_api_answer():
    [(isbn, book)] = openlibrary.books(BOOKS_ANSWER).items()
    reference = openlibrary.to_reference(book, isbn)
    assert (isbn, reference.key, reference.type) == ("0262033844", "OL22558855M", "book")
    assert [str(name) for name in reference.authors] == ["Cormen, Thomas H.", "Leiserson, Charles E."]
    assert (reference.year, reference.publisher, reference.publisher_place) == (2009, "MIT Press", "Cambridge, Mass")
    assert (reference.isbn, reference.edition, reference.fields["pages"]) == ("0262033844", "3rd ed.", "1292")


def test_an_edition_answer_has_publishers_as_strings_and_no_author_names():
    edition = {
        "key": "/books/OL7353617M",
        "title": "Fantastic Mr. Fox",
        "publishers": ["Puffin"],
        "publish_date": "October 1, 1988",
        "isbn_10": ["0140328726"],
        "isbn_13": ["9780140328721"],
        "authors": [{"key": "/authors/OL34184A"}],
    }
    reference = openlibrary.to_reference(edition, "978-0-14-032872-1")
    assert (reference.key, reference.title, reference.year) == ("OL7353617M", "Fantastic Mr. Fox", 1988)
    assert (reference.publisher, reference.isbn, reference.authors) == ("Puffin", "9780140328721", [])


def test_isbns_it_does_not_know_are_absent():
    assert openlibrary.books({}) == {}
    assert openlibrary.books([]) == {}


@pytest.mark.parametrize(
    ("written", "normal", "valid"),
    [
        ("978-0-262-03384-8", "9780262033848", True),
        ("0-262-03384-4", "0262033844", True),
        ("0-8044-2957-X", "080442957X", True),
        ("978-0-262-03384-9", "9780262033849", False),
        ("12345", "", False),
    ],
)
def test_isbns_normalised_and_checked(written, normal, valid):
    assert openlibrary.normalize_isbn(written) == normal
    assert openlibrary.valid_isbn(normal) is valid


def test_isbn10_to_isbn13():
    assert openlibrary.isbn13("0262033844") == "9780262033848"


# -- the source, against the fake Open Library --------------------------------------------------------------

CORPUS = works(40)
BOOKS = [work for work in CORPUS if work.isbn]


@pytest.fixture
def fake():
    with FakeOpenLibrary(openlibrary_books(CORPUS)) as server:
        yield server


def test_isbns_go_fifty_to_a_request_and_unknown_ones_are_remembered(fake, tmp_path):
    settings = settings_for(tmp_path, "openlibrary", fake.url)
    source = OpenLibrarySource(settings, client=quick_client(settings, IDENTIFIED, params={}))
    assert source.identifier(BOOKS[0]) == BOOKS[0].isbn
    assert source.identifier(Reference(isbn="978-0-262-03384-9")) == ""  # a wrong check digit
    assert not source.searches(BOOKS[0])
    asked = [work.isbn for work in BOOKS] + ["9780262033848"]
    answers = source.works(asked)
    assert len(fake.requests) == 1 and fake.requests[0].params["jscmd"] == "data"
    assert [answers[isbn].status for isbn in asked] == [LookupStatus.FOUND] * len(BOOKS) + [LookupStatus.NOT_FOUND]
    found = answers[BOOKS[0].isbn].candidate
    assert found is not None and found.id.startswith("OL") and found.reference.title == BOOKS[0].title
    assert [name.family for name in found.reference.authors] == [name.family for name in BOOKS[0].authors]
    source.close()
    offline = OpenLibrarySource(settings_for(tmp_path, "openlibrary", fake.url, offline=True))
    again = offline.works([BOOKS[1].isbn, "9780262033848"])
    assert (again[BOOKS[1].isbn].status, again["9780262033848"].status) == (LookupStatus.FOUND, LookupStatus.NOT_FOUND)
    assert len(fake.requests) == 1
    offline.close()


def test_a_client_with_a_contact_is_identified(fake, tmp_path):
    source = OpenLibrarySource(settings_for(tmp_path, "openlibrary", fake.url))
    source.works([work.isbn for work in BOOKS[:1]])
    assert "mailto:tests@example.org" in fake.requests[0].headers["user-agent"]
    assert source.client.limiter.rate(Kind.SINGLE) == (3, 1.0)
    source.close()


def test_an_outage_is_unavailable(fake, tmp_path):
    settings = settings_for(tmp_path, "openlibrary", fake.url)
    source = OpenLibrarySource(settings, client=quick_client(settings, IDENTIFIED, params={}))
    fake.script(502, 502)
    assert source.works([BOOKS[0].isbn])[BOOKS[0].isbn].status is LookupStatus.UNAVAILABLE
    source.close()


def test_a_maintenance_page_is_not_kept_as_the_answer(fake, tmp_path):
    settings = settings_for(tmp_path, "openlibrary", fake.url)
    source = OpenLibrarySource(settings, client=quick_client(settings, IDENTIFIED, params={}))
    fake.script("html")
    assert source.works([BOOKS[0].isbn])[BOOKS[0].isbn].status is LookupStatus.UNAVAILABLE
    assert source.works([BOOKS[0].isbn])[BOOKS[0].isbn].status is LookupStatus.FOUND
    source.close()
