"""The DataCite REST API as a source: DOIs of arXiv (10.48550), Zenodo (10.5281), figshare (10.6084) and the
other DataCite repositories, which Crossref only says are "registered elsewhere".

`GET /dois/{doi}` answers one DOI in JSON:API (`data.attributes`: `titles`, `creators`, `publicationYear`,
`types`, `container`, `relatedIdentifiers`, …); an unknown DOI is a 404 with a JSON `errors` list. Many DOIs
go in one list request, `GET /dois?ids=a,b,…&page[size]=n` (what rdatacite's `dc_dois(ids=…)` sends), whose
`data` holds the DOIs DataCite has and leaves out the others; each record is cached under its own
`/dois/{doi}` and each one left out as that address's 404. The identification etiquette is an e-mail
address (in the User-Agent, and `mailto=`): 1,000 requests per five minutes for identified clients, 500 for
anonymous ones, so requests go two at a time, three a second.
The chain routes DOIs here by their registration agency (refkit.sources.identify). `GET /dois?query=…` is
the API's search (Elasticsearch's query syntax over the metadata: `titles.title:(deep AND learning)`), a
JSON:API list (`data` of the same objects, `meta`, `links`); refkit searches it by title for what DataCite
holds and the other sources do not: datasets, software, and works a DataCite repository (Zenodo, figshare,
Dryad, …) published. Its silence never counts against a work (it does not hold every work of a kind).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Notice, Record, SearchResult
from refkit.sources.fields import as_dict
from refkit.sources.http import HttpClient, Limits
from refkit.sources.services import cached_or_batched, in_parallel, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import normalize_doi

DEFAULT_URL = "https://api.datacite.org"
# The prefixes of DataCite's repositories searched here (arXiv's 10.48550 is arXiv's to search).
REPOSITORY_PREFIXES = {"10.5281", "10.6084", "10.5061"}  # Zenodo, figshare, Dryad
LIMITS = Limits(single=3, list=3, interval=1.0, concurrency=2)  # 1,000 per 5 min when identified
# DOIs per `GET /dois?ids=…`, the page as large (DataCite's pages hold up to 1,000): a URL of ~3 KB.
BATCH = 100
NOT_FOUND_BODY = b'{"errors":[{"status":"404","title":"The resource you are looking for doesn\'t exist."}]}'

# DataCite `types.resourceTypeGeneral` → CSL type.
_TYPES = {
    "Preprint": "article", "JournalArticle": "article-journal", "ConferencePaper": "paper-conference",
    "Book": "book", "BookChapter": "chapter", "Dataset": "dataset", "Software": "software",
    "Dissertation": "thesis", "Report": "report", "Text": "document", "Image": "graphic",
    "Audiovisual": "motion_picture", "Collection": "document", "Other": "document",
}  # fmt: skip
# relatedIdentifiers that name a later or other version of the work (a preprint's published article).
_VERSIONS = {"IsPreviousVersionOf", "IsVersionOf", "IsIdenticalTo", "IsPublishedIn"}
_SPACES_RE = re.compile(r"\s+")


def _text(value: Any) -> str:
    return _SPACES_RE.sub(" ", str(value or "")).strip()


def _names(people: Any) -> list[Name]:
    names = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        family, given = _text(person.get("familyName")), _text(person.get("givenName"))
        if not family and person.get("nameType") == "Personal" and "," in str(person.get("name", "")):
            family, _, given = (part.strip() for part in str(person["name"]).partition(","))
        if family:
            names.append(Name(family=family, given=given))
        elif person.get("name"):
            names.append(Name(literal=_text(person["name"])))
    return names


def _first(items: Any, key: str) -> str:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get(key) and not item.get("titleType"):
            return _text(item[key])
    return ""


def _year(attributes: Record) -> int | None:
    year = str(attributes.get("publicationYear") or "")
    return int(year) if year.isdigit() else None


def to_reference(attributes: Record) -> Reference:
    """One DataCite `data.attributes` object as a Reference."""
    types = as_dict(attributes.get("types"))
    container = as_dict(attributes.get("container"))
    arxiv = next(
        (
            _text(item.get("identifier") or item.get("alternateIdentifier"))
            for key in ("identifiers", "alternateIdentifiers")
            for item in attributes.get(key) or []
            if isinstance(item, dict)
            and "arxiv" in str(item.get("identifierType") or item.get(key[:-1] + "Type")).lower()
        ),
        "",
    )
    abstract = next(
        (
            _text(item.get("description"))
            for item in attributes.get("descriptions") or []
            if isinstance(item, dict) and item.get("descriptionType") == "Abstract"
        ),
        "",
    )
    return Reference(
        key=normalize_doi(str(attributes.get("doi", ""))),
        type=_TYPES.get(str(types.get("resourceTypeGeneral", "")), "document"),
        title=_first(attributes.get("titles"), "title"),
        authors=_names(attributes.get("creators")),
        container_title=_text(container.get("title")),
        year=_year(attributes),
        volume=_text(container.get("volume")),
        issue=_text(container.get("issue")),
        page="–".join(p for p in (_text(container.get("firstPage")), _text(container.get("lastPage"))) if p),
        doi=str(attributes.get("doi", "") or ""),
        url=str(attributes.get("url", "") or ""),
        publisher=_text(attributes.get("publisher")),
        arxiv=arxiv,
        abstract=abstract,
    )


def versions(attributes: Record) -> tuple[Notice, ...]:
    """Other versions the record names (a preprint's published article), as notices of kind new_version."""
    return tuple(
        Notice(kind="new_version", doi=normalize_doi(str(item.get("relatedIdentifier", ""))), source="datacite")
        for item in attributes.get("relatedIdentifiers") or []
        if isinstance(item, dict)
        and item.get("relationType") in _VERSIONS
        and str(item.get("relatedIdentifierType", "")).upper() == "DOI"
    )


def candidate(attributes: Record) -> Candidate:
    reference = to_reference(attributes)
    return Candidate(reference, "datacite", id=reference.doi, agency="DataCite", notices=versions(attributes))


def decode(body: bytes) -> Record | None:
    """The `data.attributes` of a JSON:API single-DOI answer; None when the body is not one."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    return attributes if isinstance(attributes, dict) and attributes.get("doi") else None


def list_items(body: bytes) -> list[Record] | None:
    """The DOI objects (`id`, `type`, `attributes`, …) of a JSON:API list answer; None when the body is not one."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if not isinstance(data, list):
        return None
    return [
        item
        for item in map(as_dict, data)
        if isinstance(attributes := item.get("attributes"), dict) and attributes.get("doi")
    ]


def decode_list(body: bytes) -> list[Record] | None:
    """The `attributes` of each DOI in a JSON:API list answer (`/dois?query=…`); None when the body is not one."""
    items = list_items(body)
    return None if items is None else [item["attributes"] for item in items]


def _is_batch(response: requests.Response) -> bool:
    url = (response.request.url if response.request else None) or response.url or ""
    return any(name == "ids" for name, _ in parse_qsl(urlsplit(url).query))


def keep(response: requests.Response) -> bool:
    """Only well-formed answers are cached (an HTML error page with a 200 is not an answer); a batch of DOIs
    is not kept whole: its records are stored one per DOI."""
    if _is_batch(response):
        return False
    if response.status_code != 200:
        return True
    return decode(response.content) is not None or decode_list(response.content) is not None


# What DataCite holds and the other sources do not: data, software, and the works of its repositories.
_REPOSITORIES = ("zenodo", "figshare", "dryad", "pangaea", "osf", "harvard dataverse", "dataverse", "datacite")
_DATA_TYPES = {"dataset", "software"}
_QUERY_WORD_RE = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 12


def holds_such_works(reference: Reference) -> bool:
    """A dataset or software, a repository's DOI prefix, or a DataCite repository named as venue, publisher or
    URL (arXiv's preprints are arXiv's to search)."""
    if reference.type in _DATA_TYPES or normalize_doi(reference.doi).split("/")[0] in REPOSITORY_PREFIXES:
        return True
    named = " ".join((reference.container_title, reference.publisher, reference.url)).casefold()
    return any(repository in named for repository in _REPOSITORIES)


def title_query(title: str) -> str:
    """The title as a query of DataCite's search: every word required, in the title field (`titles.title:(a
    AND b)`), words only, so nothing in it is read as query syntax."""
    words = _QUERY_WORD_RE.findall(title.casefold())[:MAX_QUERY_WORDS]
    return f"titles.title:({' AND '.join(words)})" if words else ""


class DataCiteSource(BaseSource):
    """DataCite over HTTP, cached, a hundred DOIs to a request, two requests at a time."""

    name = "datacite"
    agency = "DataCite"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "DataCite")
        self.client = client or HttpClient(settings, base_url=self.base, keep=keep, **{"limits": LIMITS, **options})

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        """A hundred DOIs to a request, each answer first looked for in the cache under its own address; a DOI
        with a comma (which would split the list) is asked alone."""
        wanted = list(dict.fromkeys(normalize_doi(doi) for doi in ids if doi))
        batched = [doi for doi in wanted if "," not in doi]
        answers = cached_or_batched(
            self.client, batched, self._single, self._settle, self._batch, BATCH, self.client.limiter.concurrency
        )
        answers |= {doi: self._settle(doi, fetch(self.client, self._single(doi))) for doi in wanted if "," in doi}
        return {doi: answers[normalize_doi(doi)] for doi in ids if doi}

    def searches(self, reference: Reference) -> bool:
        return bool(reference.title.strip()) and holds_such_works(reference)

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        query = title_query(reference.title)
        if not query:
            return SearchResult(reason="nothing to search DataCite by")
        params = {"query": query, "page[size]": str(rows), "sort": "relevance"}
        fetched = fetch(self.client, f"{self.base}/dois", params)
        found = decode_list(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if found is None:
            reason = (
                failure(fetched, "DataCite") if fetched.status != 200 else "DataCite sent an answer that is not a list"
            )
            return SearchResult(unavailable=True, reason=reason)
        return SearchResult([candidate(attributes) for attributes in found])

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        workers = 1 if self.client.offline else self.client.limiter.concurrency
        return in_parallel(lambda reference: self.search(reference, rows), references, workers)

    def close(self) -> None:
        self.client.close()

    def _single(self, doi: str) -> str:
        return f"{self.base}/dois/{quote(doi, safe='/:;()')}"

    def _settle(self, doi: str, fetched: Fetched) -> Lookup:
        if fetched.status == 404 and not fetched.reason:
            return Lookup(doi, LookupStatus.NOT_FOUND, agency="DataCite", reason="DataCite has no such DOI")
        if fetched.status != 200 or fetched.reason:
            return Lookup(doi, LookupStatus.UNAVAILABLE, reason=failure(fetched, "DataCite"))
        attributes = decode(fetched.body)
        if attributes is None:
            return Lookup(doi, LookupStatus.UNAVAILABLE, reason="DataCite sent an answer that is not a DOI record")
        return Lookup(doi, LookupStatus.FOUND, candidate(attributes), agency="DataCite")

    def _batch(self, dois: list[str]) -> dict[str, Lookup]:
        fetched = fetch(self.client, f"{self.base}/dois", {"ids": ",".join(dois), "page[size]": str(len(dois))})
        items = list_items(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if items is None:
            reason = (
                failure(fetched, "DataCite") if fetched.status != 200 else "DataCite sent an answer that is not a list"
            )
            return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=reason) for doi in dois}
        by_doi = {normalize_doi(str(item["attributes"]["doi"])): item for item in items}
        remember_each(
            self.client,
            ((self._single(doi), json.dumps({"data": by_doi[doi]}).encode()) for doi in dois if doi in by_doi),
            "DataCite",
            absent=((self._single(doi), NOT_FOUND_BODY) for doi in dois if doi not in by_doi),
        )
        return {
            doi: Lookup(doi, LookupStatus.FOUND, candidate(by_doi[doi]["attributes"]), agency="DataCite")
            if doi in by_doi
            else Lookup(doi, LookupStatus.NOT_FOUND, agency="DataCite", reason="DataCite has no such DOI")
            for doi in dois
        }
