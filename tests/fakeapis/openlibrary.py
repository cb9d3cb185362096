"""A fake Open Library (openlibrary.org), built from its documented API (there is no recording).

`/api/books?bibkeys=ISBN:A,ISBN:B&format=json&jscmd=data`: an object per ISBN it knows, nothing for the
others (`{}` when it knows none); without `format=json` the same as JavaScript (`var _OLBookInfo = …;`).
`/isbn/{isbn}.json`: a 302 to `/books/{olid}.json`, the edition (authors as keys only); an unknown ISBN is a
404 `{"error": "notfound", …}`. One request a second, three for a client that identifies itself with a
contact in its User-Agent: past that, 429.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar

from refkit.model import Reference
from refkit.sources.openlibrary import isbn13, normalize_isbn
from tests.fakeapis.base import FakeApi, Limit, Reply, Request


def book_of(reference: Reference, number: int) -> dict[str, Any]:
    """A Reference (with an ISBN) as a Books API `jscmd=data` object."""
    isbn = normalize_isbn(reference.isbn)
    identifiers = {"isbn_13": [isbn13(isbn)], "openlibrary": [f"OL{number}M"]}
    if len(isbn) == 10:
        identifiers["isbn_10"] = [isbn]
    return {
        "url": f"https://openlibrary.org/books/OL{number}M",
        "key": f"/books/OL{number}M",
        "title": reference.title,
        "authors": [
            {"url": f"https://openlibrary.org/authors/OL{number}{i}A", "name": f"{n.given} {n.full_family}".strip()}
            for i, n in enumerate(reference.authors)
        ],
        "identifiers": identifiers,
        "publishers": [{"name": reference.publisher}] if reference.publisher else [],
        "publish_date": str(reference.year or ""),
    }


class FakeOpenLibrary(FakeApi):
    name = "openlibrary"
    LIMITS: ClassVar[dict[str, Limit]] = {"identified": Limit(3, 1.0, 3), "anonymous": Limit(1, 1.0, 1)}

    def __init__(self, books: Iterable[dict[str, Any]], **options: Any) -> None:
        super().__init__(**options)
        self.by_isbn: dict[str, dict[str, Any]] = {}
        self.by_olid: dict[str, dict[str, Any]] = {}
        for book in books:
            self.by_olid[str(book["key"]).rsplit("/", 1)[-1]] = book
            for kind in ("isbn_10", "isbn_13"):
                for isbn in book["identifiers"].get(kind, []):
                    self.by_isbn[normalize_isbn(isbn)] = book

    def pool(self, request: Request) -> str:
        agent = request.headers.get("user-agent", "")
        return "identified" if "@" in agent or "mailto" in agent else "anonymous"

    def route(self, request: Request) -> Reply:
        if request.path == "/api/books":
            return self.books_api(request)
        if request.path.startswith("/isbn/") and request.path.endswith(".json"):
            isbn = normalize_isbn(request.path.removeprefix("/isbn/").removesuffix(".json"))
            book = self.by_isbn.get(isbn)
            if book is None:
                return Reply(404, json.dumps({"error": "notfound", "key": request.path.removesuffix(".json")}).encode())
            return Reply(302, b"", "text/html", {"Location": f"{book['key']}.json"})
        if request.path.startswith("/books/") and request.path.endswith(".json"):
            book = self.by_olid.get(request.path.removeprefix("/books/").removesuffix(".json"))
            if book is None:
                return Reply(404, json.dumps({"error": "notfound", "key": request.path.removesuffix(".json")}).encode())
            return Reply(200, json.dumps(_edition(book)).encode())
        return Reply(404, b"<html><body>Page not found</body></html>", "text/html")

    def books_api(self, request: Request) -> Reply:
        found = {}
        for key in filter(None, request.params.get("bibkeys", "").split(",")):
            kind, _, value = key.partition(":")
            book = self.by_isbn.get(normalize_isbn(value)) if kind.upper() == "ISBN" else None
            if book is not None:
                found[key] = book if request.params.get("jscmd") == "data" else _view(key, book)
        if request.params.get("format") == "json":
            return Reply(200, json.dumps(found).encode())
        return Reply(200, f"var _OLBookInfo = {json.dumps(found)};".encode(), "application/javascript")


def _edition(book: dict[str, Any]) -> dict[str, Any]:
    """The edition record behind a Books API object: publishers as strings, authors as keys."""
    return {
        "key": book["key"],
        "title": book["title"],
        "publishers": [publisher["name"] for publisher in book["publishers"]],
        "publish_date": book["publish_date"],
        "authors": [{"key": author["url"].removeprefix("https://openlibrary.org")} for author in book["authors"]],
        **{kind: values for kind, values in book["identifiers"].items() if kind.startswith("isbn")},
    }


def _view(key: str, book: dict[str, Any]) -> dict[str, Any]:
    return {"bib_key": key, "info_url": book["url"], "preview": "noview", "preview_url": book["url"]}
