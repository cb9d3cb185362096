"""The DataCite REST API as a source: DOIs of arXiv (10.48550), Zenodo (10.5281), figshare (10.6084) and the
other DataCite repositories, which Crossref only says are "registered elsewhere".

`GET /dois/{doi}` answers one DOI in JSON:API (`data.attributes`: `titles`, `creators`, `publicationYear`,
`types`, `container`, `relatedIdentifiers`, …); an unknown DOI is a 404 with a JSON `errors` list. The
identification etiquette is an e-mail address (in the User-Agent, and `mailto=`): 1,000 requests per five
minutes for identified clients, 500 for anonymous ones, so look-ups go two at a time, three a second.
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
from urllib.parse import quote

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Notice, Record, SearchResult
from refkit.sources.fields import as_dict
from refkit.sources.http import HttpClient, Limits
from refkit.sources.services import in_parallel
from refkit.sources.web import base_url as checked_base
from refkit.sources.web import failure, fetch
from refkit.text import normalize_doi

DEFAULT_URL = "https://api.datacite.org"
# The prefixes of DataCite's repositories searched here (arXiv's 10.48550 is arXiv's to search).
REPOSITORY_PREFIXES = {"10.5281", "10.6084", "10.5061"}  # Zenodo, figshare, Dryad
LIMITS = Limits(single=3, list=3, interval=1.0, concurrency=2)  # 1,000 per 5 min when identified

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


def decode_list(body: bytes) -> list[Record] | None:
    """The `attributes` of each DOI in a JSON:API list answer (`/dois?query=…`); None when the body is not one."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if not isinstance(data, list):
        return None
    found = (as_dict(item).get("attributes") for item in data)
    return [attributes for attributes in found if isinstance(attributes, dict) and attributes.get("doi")]


def keep(response: requests.Response) -> bool:
    """Only well-formed answers are cached (an HTML error page with a 200 is not an answer)."""
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
    """DataCite over HTTP, cached, two look-ups at a time."""

    name = "datacite"
    agency = "DataCite"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "DataCite")
        self.client = client or HttpClient(settings, base_url=self.base, keep=keep, **{"limits": LIMITS, **options})

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        """One request per DOI (the API has no batch look-up), as many at once as the limits allow."""
        wanted = list(dict.fromkeys(ids))
        workers = 1 if self.client.offline else self.client.limiter.concurrency
        return dict(zip(wanted, in_parallel(self._one, wanted, workers), strict=True))

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

    def _one(self, doi: str) -> Lookup:
        fetched = fetch(self.client, f"{self.base}/dois/{quote(normalize_doi(doi), safe='/:;()')}")
        if fetched.status == 404 and not fetched.reason:
            return Lookup(doi, LookupStatus.NOT_FOUND, agency="DataCite", reason="DataCite has no such DOI")
        if fetched.status != 200 or fetched.reason:
            return Lookup(doi, LookupStatus.UNAVAILABLE, reason=failure(fetched, "DataCite"))
        attributes = decode(fetched.body)
        if attributes is None:
            return Lookup(doi, LookupStatus.UNAVAILABLE, reason="DataCite sent an answer that is not a DOI record")
        return Lookup(doi, LookupStatus.FOUND, candidate(attributes), agency="DataCite")
