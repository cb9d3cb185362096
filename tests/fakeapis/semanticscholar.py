"""A fake Semantic Scholar Graph API (api.semanticscholar.org/graph/v1).

`GET /graph/v1/paper/{id}` (DOI:…, ARXIV:…, PMID:…, CorpusId:…, a paperId, or a bare DOI); `POST
/graph/v1/paper/batch` with `{"ids": [...]}` (at most 500; `null` for an id it does not know);
`GET /graph/v1/paper/search/match?query=` (the best title match with its matchScore, or 404 "Title match not
found"); `GET /graph/v1/paper/search?query=`. `fields=` is checked (an unknown one: 400). A wrong `x-api-key`:
403 `{"message":"Forbidden"}`. One request a second (a key's dedicated rate; the keyless pool is shared and
no faster): past it, 429 with the API's message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from refkit.model import Reference
from tests.fakeapis.base import FakeApi, Limit, Reply, Request
from tests.fakeapis.text import overlap

KNOWN_FIELDS = {
    "paperId",
    "externalIds",
    "title",
    "abstract",
    "venue",
    "publicationVenue",
    "year",
    "publicationDate",
    "journal",
    "authors",
    "publicationTypes",
    "url",
    "citationCount",
    "referenceCount",
    "corpusId",
}
MAX_BATCH = 500
TOO_MANY = {
    "message": "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
    "https://www.semanticscholar.org/product/api#api-key-form",
    "code": "429",
}
_HEX = re.compile(r"^[0-9a-f]{40}$")


def paper_of(reference: Reference, number: int) -> dict[str, Any]:
    """A Reference as a Semantic Scholar paper (the fields refkit asks for)."""
    external: dict[str, Any] = {"CorpusId": number}
    external |= {"DOI": reference.doi} if reference.doi else {}
    external |= {"ArXiv": reference.arxiv} if reference.arxiv else {}
    external |= {"PubMed": reference.pmid} if reference.pmid else {}
    kind = {"paper-conference": "Conference", "article-journal": "JournalArticle", "book": "Book"}.get(reference.type)
    return {
        "paperId": f"{number:040x}",
        "externalIds": external,
        "title": reference.title,
        "abstract": reference.abstract or None,
        "venue": reference.container_title,
        "publicationVenue": None,
        "year": reference.year,
        "publicationDate": None,
        "journal": {
            "name": reference.container_title,
            "volume": reference.volume,
            "pages": reference.page.replace("–", "-"),
        }
        if reference.type == "article-journal"
        else None,
        "authors": [
            {"authorId": str(i), "name": f"{name.given} {name.full_family}".strip()}
            for i, name in enumerate(reference.authors)
        ],
        "publicationTypes": [kind] if kind else None,
    }


class FakeSemanticScholar(FakeApi):
    name = "semanticscholar"
    LIMITS: ClassVar[dict[str, Limit]] = {"key": Limit(1, 1.0, 1), "anonymous": Limit(1, 1.0, 1)}

    def __init__(
        self, papers: Iterable[dict[str, Any]], *, keys: Iterable[str] = ("test-key",), **options: Any
    ) -> None:
        super().__init__(**options)
        self.papers = list(papers)
        self.keys = set(keys)
        self.index: dict[str, dict[str, Any]] = {}
        for paper in self.papers:
            self.index[paper["paperId"]] = paper
            for kind, value in paper["externalIds"].items():
                prefix = {"DOI": "doi", "ArXiv": "arxiv", "PubMed": "pmid", "CorpusId": "corpusid"}.get(kind)
                if prefix:
                    self.index[f"{prefix}:{str(value).lower()}"] = paper

    def pool(self, request: Request) -> str:
        return "key" if request.headers.get("x-api-key") else "anonymous"

    def rejected_reply(self, request: Request, wait: float) -> Reply:
        return Reply(429, json.dumps(TOO_MANY).encode())

    def route(self, request: Request) -> Reply:
        key = request.headers.get("x-api-key")
        if key is not None and key not in self.keys:
            return Reply(403, b'{"message":"Forbidden"}', headers={"x-amzn-ErrorType": "ForbiddenException"})
        fields = [name for name in request.params.get("fields", "title").split(",") if name]
        unknown = [name for name in fields if name not in KNOWN_FIELDS]
        if unknown:
            return _error(400, f"Unrecognized or unsupported fields: [{', '.join(unknown)}]")
        path = request.path.removeprefix("/graph/v1")
        if path == "/paper/batch" and request.method == "POST":
            return self.batch(request, fields)
        if path == "/paper/search/match":
            return self.match(request, fields)
        if path == "/paper/search":
            return self.search(request, fields)
        if path.startswith("/paper/") and request.method == "GET":
            paper = self.find(path.removeprefix("/paper/"))
            if paper is None:
                return _error(404, f"Paper with id {path.removeprefix('/paper/')} not found")
            return Reply(200, json.dumps(_fields(paper, fields)).encode())
        return _error(404, "Endpoint not found")

    def find(self, identifier: str) -> dict[str, Any] | None:
        kind, colon, value = identifier.partition(":")
        if colon and kind.lower() in ("doi", "arxiv", "pmid", "corpusid"):
            return self.index.get(f"{kind.lower()}:{value.lower()}")
        if _HEX.match(identifier):
            return self.index.get(identifier)
        return self.index.get(f"doi:{identifier.lower()}") if identifier.startswith("10.") else None

    def batch(self, request: Request, fields: list[str]) -> Reply:
        try:
            ids = json.loads(request.body or b"{}").get("ids")
        except (ValueError, AttributeError):
            ids = None
        if not isinstance(ids, list):
            return _error(400, 'Unacceptable request body: expected {"ids": [...]}')
        if len(ids) > MAX_BATCH:
            return _error(400, f"Cannot process more than {MAX_BATCH} ids")
        papers = [self.find(str(identifier)) for identifier in ids]
        return Reply(200, json.dumps([_fields(p, fields) if p else None for p in papers]).encode())

    def match(self, request: Request, fields: list[str]) -> Reply:
        query = request.params.get("query", "")
        scored = sorted(((overlap(query, p["title"]), p) for p in self.papers), key=lambda item: -item[0])
        if not scored or scored[0][0] < 0.6:
            return _error(404, "Title match not found")
        score, paper = scored[0]
        return Reply(
            200, json.dumps({"data": [{**_fields(paper, fields), "matchScore": round(score * 150, 4)}]}).encode()
        )

    def search(self, request: Request, fields: list[str]) -> Reply:
        query = request.params.get("query", "")
        limit, offset = int(request.params.get("limit", "10")), int(request.params.get("offset", "0"))
        found = [
            p for s, p in sorted(((overlap(query, p["title"]), p) for p in self.papers), key=lambda i: -i[0]) if s > 0.2
        ]
        if not found:
            return Reply(200, json.dumps({"total": 0, "offset": 0}).encode())
        page = found[offset : offset + limit]
        answer: dict[str, Any] = {"total": len(found), "offset": offset, "data": [_fields(p, fields) for p in page]}
        if offset + limit < len(found):
            answer["next"] = offset + limit
        return Reply(200, json.dumps(answer).encode())


def _fields(paper: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {"paperId": paper["paperId"], **{name: paper.get(name) for name in fields if name != "paperId"}}


def _error(status: int, message: str) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode())
