"""Open Library (openlibrary.org) books → Reference, looked up by ISBN.

Crossref holds few books and no ISBN index; Open Library holds tens of millions of editions. Two answers are
read: the Books API (`/api/books?bibkeys=ISBN:…&format=json&jscmd=data`, many ISBNs to a request, an object
per ISBN it knows and nothing for the others, authors as names) and an edition (`/isbn/{isbn}.json`, which
redirects to `/books/OL…M.json`; authors only as keys). The own id is the edition's OLID ("OL7353617M").
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import requests

from refkit.config import Settings, source_url
from refkit.model import Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, keyed
from refkit.sources.fields import as_dict, people
from refkit.sources.http import HttpClient, Limits
from refkit.sources.services import cached_or_batched, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base

Book = dict[str, Any]

_YEAR_RE = re.compile(r"\b(1[4-9]\d\d|20\d\d)\b")
_ISBN_CHARS_RE = re.compile(r"[^0-9Xx]")


def normalize_isbn(value: str) -> str:
    """Digits (and a final X) only: "978-0-262-03384-8" → "9780262033848"; "" when it cannot be an ISBN."""
    digits = _ISBN_CHARS_RE.sub("", value).upper()
    if len(digits) == 10 and digits[:9].isdigit():
        return digits
    return digits if len(digits) == 13 and digits.isdigit() else ""


def valid_isbn(isbn: str) -> bool:
    """The ISBN-10 or ISBN-13 check digit holds."""
    if len(isbn) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    if len(isbn) == 13:
        return sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(isbn)) % 10 == 0
    return False


def isbn13(isbn: str) -> str:
    """The ISBN-13 form of a valid ISBN-10 (the 978 prefix and a new check digit); ISBN-13s unchanged."""
    if len(isbn) != 10:
        return isbn
    body = "978" + isbn[:9]
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(body)) % 10) % 10
    return f"{body}{check}"


def _year(text: str) -> int | None:
    found = _YEAR_RE.search(text)
    return int(found.group(1)) if found else None


def olid(book: Book) -> str:
    """The edition's Open Library id: "/books/OL7353617M" → "OL7353617M"."""
    return str(book.get("key") or "").rsplit("/", 1)[-1]


def _names(items: Any) -> list[str]:
    """Books API lists ({"name": …} objects) and edition lists (plain strings) alike."""
    out = []
    for item in items if isinstance(items, list) else []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return out


def _identifiers(book: Book, kind: str) -> list[str]:
    """ISBNs from `identifiers` (Books API) or top-level `isbn_10`/`isbn_13` (editions)."""
    values = as_dict(book.get("identifiers")).get(kind) or book.get(kind) or []
    return [str(value) for value in values if value] if isinstance(values, list) else []


def to_reference(book: Book, isbn: str = "") -> Reference:
    """A Books API object or an edition as a Reference; `isbn` is the one asked for, kept when the record
    lists it (else its first ISBN-13, else its first ISBN-10)."""
    isbns = _identifiers(book, "isbn_13") + _identifiers(book, "isbn_10")
    asked = normalize_isbn(isbn)
    kept = asked if asked and asked in {normalize_isbn(value) for value in isbns} else ""
    title = str(book.get("title") or "").strip()
    subtitle = str(book.get("subtitle") or "").strip()
    pages = book.get("number_of_pages")
    return Reference(
        key=olid(book),
        type="book",
        title=f"{title}: {subtitle}" if subtitle and subtitle.casefold() not in title.casefold() else title,
        authors=people(_names(book.get("authors"))),
        year=_year(str(book.get("publish_date") or "")),
        edition=str(book.get("edition_name") or "").strip(),
        isbn=kept or (normalize_isbn(isbns[0]) if isbns else ""),
        url=str(book.get("url") or ""),
        publisher=", ".join(_names(book.get("publishers"))),
        publisher_place=", ".join(_names(book.get("publish_places"))),
        fields={"pages": str(pages)} if isinstance(pages, int) else {},
    )


def books(answer: Any) -> dict[str, Book]:
    """A Books API answer by normalised ISBN ({"ISBN:0451526538": {…}} → {"0451526538": {…}}); ISBNs
    Open Library does not know are absent from the answer, so absent here."""
    if not isinstance(answer, dict):
        return {}
    found = {}
    for key, book in answer.items():
        kind, _, value = str(key).partition(":")
        if kind.upper() == "ISBN" and isinstance(book, dict) and (isbn := normalize_isbn(value)):
            found[isbn] = book
    return found


# -- the source ---------------------------------------------------------------------------------------------

DEFAULT_URL = "https://openlibrary.org"
# Open Library asks clients to identify themselves (an application name and a contact in the User-Agent):
# such clients may send 3 requests a second, anonymous ones 1.
IDENTIFIED = Limits(single=3, list=3, interval=1.0, concurrency=1)
ANONYMOUS = Limits(single=1, list=1, interval=1.0, concurrency=1)
BATCH = 50  # ISBNs per Books API request


def candidate(book: Book, isbn: str) -> Candidate:
    return Candidate(to_reference(book, isbn), "openlibrary", id=olid(book))


def keep(response: requests.Response) -> bool:
    """Only Open Library's answers are cached (a maintenance page with a 200 is none)."""
    if response.status_code != 200:
        return True
    try:
        return isinstance(json.loads(response.content), dict)
    except (ValueError, UnicodeDecodeError):
        return False


class OpenLibrarySource(BaseSource):
    """Open Library over HTTP, for books with an ISBN: fifty ISBNs to a Books API request, each answer
    (or its absence: an empty object) cached under the ISBN's own request. It is not searched by title."""

    name = "openlibrary"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "Open Library")
        limits = IDENTIFIED if settings.mailto else ANONYMOUS
        self.client = client or HttpClient(
            settings, base_url=self.base, keep=keep, **{"limits": limits, "params": {}, **options}
        )

    def identifier(self, reference: Reference) -> str:
        isbn = normalize_isbn(reference.isbn)
        return isbn if valid_isbn(isbn) else ""

    def searches(self, reference: Reference) -> bool:
        return False

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        wanted = list(dict.fromkeys(normalize_isbn(identifier) for identifier in ids))
        answers = {
            isbn: Lookup(isbn, LookupStatus.NOT_FOUND, reason="not a valid ISBN")
            for isbn in wanted
            if not valid_isbn(isbn)
        }
        valid = [isbn for isbn in wanted if isbn not in answers]
        answers |= cached_or_batched(self.client, valid, self._single, self._settle_one, self._batch, BATCH)
        return {identifier: keyed(answers[normalize_isbn(identifier)], identifier) for identifier in ids}

    def close(self) -> None:
        self.client.close()

    def _settle_one(self, isbn: str, fetched: Fetched) -> Lookup:
        return self._settle([isbn], fetched)[isbn]

    def _params(self, isbns: Sequence[str]) -> dict[str, str]:
        return {"bibkeys": ",".join(f"ISBN:{isbn}" for isbn in isbns), "format": "json", "jscmd": "data"}

    def _single(self, isbn: str) -> str:
        return f"{self.base}/api/books?{self.client.query_string(self._params([isbn]))}"

    def _settle(self, isbns: Sequence[str], fetched: Fetched) -> dict[str, Lookup]:
        try:
            answer = json.loads(fetched.body) if fetched.status == 200 else None
        except (ValueError, UnicodeDecodeError):
            answer = None
        if not isinstance(answer, dict):
            reason = (
                "Open Library sent an answer that is not JSON"
                if fetched.status == 200
                else failure(fetched, "Open Library")
            )
            return {isbn: Lookup(isbn, LookupStatus.UNAVAILABLE, reason=reason) for isbn in isbns}
        found = books(answer)
        return {
            isbn: Lookup(isbn, LookupStatus.FOUND, candidate(found[isbn], isbn))
            if isbn in found
            else Lookup(isbn, LookupStatus.NOT_FOUND, reason="Open Library holds no book with this ISBN")
            for isbn in isbns
        }

    def _batch(self, isbns: list[str]) -> dict[str, Lookup]:
        fetched = fetch(self.client, f"{self.base}/api/books", self._params(isbns))
        answers = self._settle(isbns, fetched)
        usable = all(answer.status is not LookupStatus.UNAVAILABLE for answer in answers.values())
        found = books(json.loads(fetched.body)) if usable else None
        if found is not None:
            bodies = (
                (self._single(isbn), json.dumps({f"ISBN:{isbn}": found[isbn]} if isbn in found else {}).encode())
                for isbn in isbns
            )
            remember_each(self.client, bodies, "Open Library")
        return answers
