"""Europe PMC's own REST API (www.ebi.ac.uk/europepmc/webservices/rest) as a source: PMIDs and PMCIDs looked
up many to a request, titles searched, abstracts read.

Its one endpoint for all three is `GET /search?query=…&resultType=core&format=json`: the query language is
Europe PMC's (`EXT_ID:31234567 AND SRC:MED` is the PubMed record of that PMID, `PMCID:PMC1234567` the article
of that PMCID, `TITLE:"…"` a title phrase, clauses joined by OR), the answer a JSON object whose
`resultList.result` holds one object per article: `pmid`, `pmcid`, `doi`, `title`, `authorList.author`
(`lastName`, `firstName`, `initials`, or `collectiveName`), `journalInfo` (`volume`, `issue`,
`yearOfPublication`, `journal.title`, `journal.isoabbreviation`, `journal.issn`), `pageInfo`, `pubYear`,
`abstractText` (with HTML markup) and `pubTypeList.pubType`. An identifier it does not hold is simply left out
of the list (a search with no hits is a 200 with `hitCount` 0). Recorded answers of this API are not in
../shared/data/api-responses: the dialect here is the published documentation's (europepmc.org/RestfulWebService
and its reference guide), and tests/fakeapis/europepmc.py speaks it. Europe PMC publishes no request limit;
refkit keeps to 10 requests a second, two at once, and identifies itself by e-mail (`email=`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Record, SearchResult, keyed
from refkit.sources.fields import as_dict
from refkit.sources.http import HttpClient, Limits
from refkit.sources.records import strip_markup
from refkit.sources.services import cached_or_batched, in_parallel, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import normalize_doi, normalize_pages

DEFAULT_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
LIMITS = Limits(single=10, list=10, interval=1.0, concurrency=2)  # none published: kept modest
BATCH = 100  # identifiers OR-ed into one query (pageSize allows 1,000)
FIXED = {"resultType": "core", "format": "json"}
_PMCID_RE = re.compile(r"^PMC\d+$")
_QUOTES_RE = re.compile(r'["\\]+')
# Europe PMC publication types → CSL ("preprint" for bioRxiv, medRxiv and the other servers it indexes).
_TYPES = {"preprint": "article", "review": "article-journal", "journal article": "article-journal"}


def clause(identifier: str) -> str:
    """The query clause for one identifier: a PMCID as itself, a PMID as PubMed's record (`SRC:MED`)."""
    if _PMCID_RE.match(identifier):
        return f"PMCID:{identifier}"
    return f"(EXT_ID:{identifier} AND SRC:MED)"


def results(answer: Any) -> list[Record] | None:
    """The articles of a search answer; None when the body is not one."""
    found = as_dict(as_dict(answer).get("resultList")).get("result")
    if not isinstance(answer, dict) or "hitCount" not in answer or not isinstance(found, list):
        return None
    return [article for article in found if isinstance(article, dict)]


def decode(body: bytes) -> list[Record] | None:
    try:
        return results(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        return None


def _names(article: Record) -> list[Name]:
    names = []
    for author in as_dict(article.get("authorList")).get("author") or []:
        author = as_dict(author)
        if author.get("lastName"):
            names.append(
                Name(family=str(author["lastName"]), given=str(author.get("firstName") or author.get("initials") or ""))
            )
        elif author.get("collectiveName") or author.get("fullName"):
            names.append(Name(literal=str(author.get("collectiveName") or author["fullName"])))
    return names


def _type(article: Record) -> str:
    kinds = [str(kind).casefold() for kind in as_dict(article.get("pubTypeList")).get("pubType") or []]
    return next((_TYPES[kind] for kind in kinds if kind in _TYPES), "article-journal")


def to_reference(article: Record) -> Reference:
    """One article of `resultList.result` (resultType=core) as a Reference."""
    info = as_dict(article.get("journalInfo"))
    journal = as_dict(info.get("journal"))
    year = str(info.get("yearOfPublication") or article.get("pubYear") or "")
    kind = _type(article)
    return Reference(
        key=str(article.get("pmid") or article.get("pmcid") or article.get("id") or ""),
        type=kind,
        title=strip_markup(str(article.get("title") or "")).rstrip("."),
        authors=_names(article),
        container_title="" if kind == "article" else str(journal.get("title") or article.get("journalTitle") or ""),
        container_title_short=str(journal.get("isoabbreviation") or journal.get("medlineAbbreviation") or ""),
        year=int(year) if year.isdigit() else None,
        volume=str(info.get("volume") or article.get("journalVolume") or ""),
        issue=str(info.get("issue") or article.get("issue") or ""),
        page=normalize_pages(str(article.get("pageInfo") or "")),
        doi=normalize_doi(str(article.get("doi") or "")),
        issn=tuple(str(value) for value in (journal.get("issn"), journal.get("essn")) if value),
        pmid=str(article.get("pmid") or ""),
        pmcid=str(article.get("pmcid") or ""),
        abstract=strip_markup(str(article.get("abstractText") or "")),
    )


def candidate(article: Record) -> Candidate:
    reference = to_reference(article)
    return Candidate(reference, "europepmc", id=reference.pmid or reference.pmcid)


def search_query(reference: Reference) -> str:
    """The title as a phrase of the TITLE field (quotes and backslashes dropped, so the phrase stays one)."""
    title = " ".join(_QUOTES_RE.sub(" ", reference.title).split())
    return f'TITLE:"{title}"' if title else ""


def keep(response: requests.Response) -> bool:
    """Only Europe PMC's answers are cached (a maintenance page with a 200 is none)."""
    return response.status_code != 200 or decode(response.content) is not None


class EuropePmcSource(BaseSource):
    """Europe PMC over HTTP: PMIDs and PMCIDs a hundred to a query, each answer cached under its own."""

    name = "europepmc"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): modest limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "EuropePMC")
        params = {"email": settings.mailto} if settings.mailto else {}
        self.client = client or HttpClient(
            settings, base_url=self.base, keep=keep, **{"limits": LIMITS, "params": params, **options}
        )

    def identifier(self, reference: Reference) -> str:
        return reference.pmid.strip() or reference.pmcid.strip().upper()

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        wanted = list(dict.fromkeys(identifier.strip().upper() for identifier in ids if identifier.strip()))
        answers = cached_or_batched(
            self.client, wanted, self._single, self._settle, self._batch, BATCH, self.client.limiter.concurrency
        )
        return {
            identifier: keyed(answers[identifier.strip().upper()], identifier)
            for identifier in ids
            if identifier.strip()
        }

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        query = search_query(reference)
        if not query:
            return SearchResult()
        fetched = fetch(self.client, f"{self.base}/search", {"query": query, "pageSize": str(rows), **FIXED})
        found = decode(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if found is None:
            return SearchResult(unavailable=True, reason=self._failure(fetched))
        return SearchResult([candidate(article) for article in found])

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        return in_parallel(lambda reference: self.search(reference, rows), references, self.client.limiter.concurrency)

    def close(self) -> None:
        self.client.close()

    def _single(self, identifier: str) -> str:
        return f"{self.base}/search?{self.client.query_string({'query': clause(identifier), 'pageSize': '1', **FIXED})}"

    def _settle(self, identifier: str, fetched: Fetched) -> Lookup:
        found = decode(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if found is None:
            return Lookup(identifier, LookupStatus.UNAVAILABLE, reason=self._failure(fetched))
        match = next((article for article in found if _holds(article, identifier)), None)
        if match is None:
            return Lookup(identifier, LookupStatus.NOT_FOUND, reason="Europe PMC holds no article with this id")
        return Lookup(identifier, LookupStatus.FOUND, candidate(match))

    def _batch(self, identifiers: list[str]) -> dict[str, Lookup]:
        query = " OR ".join(clause(identifier) for identifier in identifiers)
        params = {"query": query, "pageSize": str(len(identifiers)), **FIXED}
        fetched = fetch(self.client, f"{self.base}/search", params)
        found = decode(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if found is None:
            reason = self._failure(fetched)
            return {
                identifier: Lookup(identifier, LookupStatus.UNAVAILABLE, reason=reason) for identifier in identifiers
            }
        held = {identifier: next((a for a in found if _holds(a, identifier)), None) for identifier in identifiers}
        remember_each(
            self.client,
            ((self._single(identifier), _answer([article] if article else [])) for identifier, article in held.items()),
            "Europe PMC",
        )  # an absence too: Europe PMC's answer for it alone is a list with no hits
        return {
            identifier: Lookup(identifier, LookupStatus.FOUND, candidate(article))
            if article
            else Lookup(identifier, LookupStatus.NOT_FOUND, reason="Europe PMC holds no article with this id")
            for identifier, article in held.items()
        }

    def _failure(self, fetched: Fetched) -> str:
        if fetched.status == 200 and not fetched.reason:
            return "Europe PMC sent an answer that is not a result list"
        return failure(fetched, "Europe PMC")


def _holds(article: Record, identifier: str) -> bool:
    if _PMCID_RE.match(identifier):
        return str(article.get("pmcid") or "").upper() == identifier
    return str(article.get("pmid") or "") == identifier and article.get("source", "MED") == "MED"


def _answer(articles: list[Record]) -> bytes:
    """A search answer holding these articles, as Europe PMC writes one."""
    return json.dumps(
        {"version": "6.9", "hitCount": len(articles), "resultList": {"result": articles}}, ensure_ascii=False
    ).encode("utf-8")
