"""Open Library books → Reference. No recording exists: the answers below follow the documented Books API
(openlibrary.org/dev/docs/api/books, `jscmd=data`) and edition JSON (`/isbn/{isbn}.json`)."""

from __future__ import annotations

import pytest

from refkit.sources import openlibrary

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
