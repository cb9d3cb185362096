"""A fake Europe PMC REST API (www.ebi.ac.uk/europepmc/webservices/rest), built from its published
documentation (europepmc.org/RestfulWebService; no recorded answers of it are in ../shared/data/api-responses).

`GET /search?query=…&resultType=core&format=json&pageSize=n`: the query is clauses joined by OR, each
`(EXT_ID:<pmid> AND SRC:MED)`, `PMCID:<pmcid>` or `TITLE:"<phrase>"` (or bare words, matched against titles);
the answer `{"version", "hitCount", "nextCursorMark", "request", "resultList": {"result": [...]}}` with one
core-format article per hit. A query it cannot read is a 400 with Europe PMC's `errCode`/`errMsg`; no
`format=json` answers XML, which refkit never asks for. The limit enforced (none is published): 10 a second.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from refkit.model import Reference
from tests.fakeapis.base import FakeApi, Limit, Reply, Request
from tests.fakeapis.text import overlap

_CLAUSE = re.compile(r'\(EXT_ID:(\d+) AND SRC:MED\)|PMCID:(PMC\d+)|TITLE:"([^"]*)"')


def article_of(reference: Reference) -> dict[str, Any]:
    """A Reference as a core-format article of `resultList.result`."""
    authors = [
        {"fullName": f"{name.family} {name.given[:1]}", "firstName": name.given, "lastName": name.family,
         "initials": name.given[:1]}
        for name in reference.authors
    ]  # fmt: skip
    article: dict[str, Any] = {
        "id": reference.pmid or reference.pmcid,
        "source": "MED" if reference.pmid else "PMC",
        "pmid": reference.pmid or None,
        "pmcid": reference.pmcid or None,
        "doi": reference.doi or None,
        "title": f"{reference.title}.",
        "authorString": ", ".join(author["fullName"] for author in authors) + ".",
        "authorList": {"author": authors},
        "journalInfo": {
            "issue": reference.issue,
            "volume": reference.volume,
            "yearOfPublication": reference.year,
            "journal": {"title": reference.container_title, "isoabbreviation": reference.container_title_short},
        },
        "pubYear": str(reference.year or ""),
        "pageInfo": reference.page.replace("–", "-"),
        "abstractText": f"<h4>Background</h4>{reference.abstract}" if reference.abstract else None,
        "pubTypeList": {"pubType": ["research-article", "Journal Article"]},
        "isOpenAccess": "Y" if reference.pmcid else "N",
    }
    return {key: value for key, value in article.items() if value is not None}


class FakeEuropePmc(FakeApi):
    name = "europepmc"
    LIMITS: ClassVar[dict[str, Limit]] = {"default": Limit(10, 1.0, 4)}

    def __init__(self, references: Iterable[Reference], **options: Any) -> None:
        super().__init__(**options)
        self.articles = [article_of(reference) for reference in references if reference.pmid or reference.pmcid]

    def route(self, request: Request) -> Reply:
        if request.path != "/search":
            return Reply(404, b"<html><body>Not Found</body></html>", "text/html")
        query = request.params.get("query", "").strip()
        if not query:
            return _error("query is required")
        if request.params.get("format") != "json":
            return Reply(200, b'<?xml version="1.0"?><responseWrapper/>', "application/xml")
        hits = self.search(query)
        size = int(request.params.get("pageSize") or 25)
        answer = {
            "version": "6.9",
            "hitCount": len(hits),
            "nextCursorMark": "AoIIQ",
            "request": {"queryString": query, "resultType": request.params.get("resultType", "lite"),
                        "cursorMark": "*", "pageSize": size, "sort": "", "synonym": False},
            "resultList": {"result": hits[:size]},
        }  # fmt: skip
        return Reply(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")

    def search(self, query: str) -> list[dict[str, Any]]:
        clauses = _CLAUSE.findall(query)
        if not clauses:  # free words: the titles holding most of them
            scored = [(overlap(query, article["title"]), article) for article in self.articles]
            return [article for score, article in sorted(scored, key=lambda pair: -pair[0]) if score >= 0.5]
        hits = []
        for pmid, pmcid, phrase in clauses:
            for article in self.articles:
                title = article["title"].casefold()
                if (
                    (pmid and article.get("pmid") == pmid)
                    or (pmcid and article.get("pmcid") == pmcid)
                    or (phrase and phrase.casefold() in title)
                ) and article not in hits:
                    hits.append(article)
        return hits


def _error(message: str) -> Reply:
    return Reply(400, json.dumps({"errCode": 400, "errMsg": message}).encode(), "application/json")
