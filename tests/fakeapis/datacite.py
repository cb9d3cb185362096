"""A fake DataCite REST API: `GET /dois/{doi}` answers a JSON:API document (`data.id`, `data.type: "dois"`,
`data.attributes`, `data.relationships`), an unknown DOI a 404 with DataCite's `errors` list; `GET /dois?query=
titles.title:(a AND b)&page[size]=n` a JSON:API list (`data`, `meta.total`, `links`, as the recorded
rdatacite_dois_list_page_size_5.yml) of the records whose titles hold every word; `GET /dois?ids=a,b&page[size]=n`
the same list of those DOIs it holds (case aside), the others left out, at most `page[size]` (DataCite's
default 25). Limits: 1,000 requests per five minutes (the identified rate)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from tests.fakeapis.base import FakeApi, Limit, Reply, Request
from tests.fakeapis.text import words

NOT_FOUND = {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]}


def attributes(
    doi: str,
    title: str,
    creators: Iterable[tuple[str, str]],
    year: int | None,
    *,
    publisher: str = "",
    kind: str = "Preprint",
    arxiv: str = "",
    url: str = "",
    related: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """A record in DataCite's shape: `creators` as (family, given), `related` as (relationType, DOI)."""
    people = [
        {"name": f"{family}, {given}".strip(", "), "nameType": "Personal", "givenName": given, "familyName": family,
         "affiliation": [], "nameIdentifiers": []}
        for family, given in creators
    ]  # fmt: skip
    prefix, _, suffix = doi.lower().partition("/")
    return {
        "doi": doi.lower(),
        "prefix": prefix,
        "suffix": suffix,
        "identifiers": [{"identifier": arxiv, "identifierType": "arXiv"}] if arxiv else [],
        "creators": people,
        "titles": [{"title": title}],
        "publisher": publisher,
        "container": {},
        "publicationYear": year,
        "types": {"citeproc": "article", "resourceTypeGeneral": kind, "bibtex": "misc"},
        "relatedIdentifiers": [
            {"relationType": relation, "relatedIdentifier": target, "relatedIdentifierType": "DOI"}
            for relation, target in related
        ],
        "url": url,
        "state": "findable",
    }


class FakeDataCite(FakeApi):
    name = "datacite"
    LIMITS: ClassVar[dict[str, Limit]] = {"default": Limit(1000, 300.0, 8)}

    def __init__(self, records: Mapping[str, dict[str, Any]], **options: Any) -> None:
        super().__init__(**{"enforce_limits": False, **options})
        self.records = {doi.lower(): record for doi, record in records.items()}

    def route(self, request: Request) -> Reply:
        path, params = request.path, request.params
        size = int(params.get("page[size]") or 25)
        if path == "/dois" and "ids" in params:
            wanted = [doi.strip().lower() for doi in params["ids"].split(",")]
            return _page(
                [(doi, self.records[doi]) for doi in wanted if doi in self.records], size, f"ids={params['ids']}"
            )
        if path == "/dois" and "query" in params:
            return self.search(params["query"], size)
        if not path.startswith("/dois/"):
            return Reply(404, json.dumps(NOT_FOUND).encode())
        doi = path[len("/dois/") :].lower()
        record = self.records.get(doi)
        if record is None:
            return Reply(404, json.dumps(NOT_FOUND).encode())
        return Reply(200, _json({"data": _item(doi, record)}))

    def search(self, query: str, size: int) -> Reply:
        field, _, terms = query.partition(":")
        if field != "titles.title" or not terms.startswith("("):
            return Reply(400, json.dumps({"errors": [{"status": "400", "title": "query not understood"}]}).encode())
        wanted = words(terms.replace(" AND ", " "))
        hits = [
            (doi, record)
            for doi, record in self.records.items()
            if wanted <= words(" ".join(str(title.get("title", "")) for title in record.get("titles", [])))
        ]
        return _page(hits, size, f"query={query}")


def _page(hits: list[tuple[str, dict[str, Any]]], size: int, asked: str) -> Reply:
    """The first page of a JSON:API list answer."""
    document = {
        "data": [_item(doi, record) for doi, record in hits[:size]],
        "meta": {"total": len(hits), "totalPages": max(1, -(-len(hits) // size)), "page": 1},
        "links": {"self": f"https://api.datacite.org/dois?{asked}&page[size]={size}"},
    }
    return Reply(200, _json(document))


def _item(doi: str, record: dict[str, Any]) -> dict[str, Any]:
    client = "arxiv.content" if doi.startswith("10.48550/") else "fake.client"
    return {
        "id": doi,
        "type": "dois",
        "attributes": record,
        "relationships": {"client": {"data": {"id": client, "type": "clients"}}},
    }


def _json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
