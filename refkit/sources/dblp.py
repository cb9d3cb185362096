"""DBLP's publication search as a source: computer-science proceedings and journals, most of which (the
machine-learning conferences above all) have no Crossref DOI.

`GET /search/publ/api?q=…&format=json&h=N` answers `result.hits.hit[].info` (title with a closing full stop,
`authors.author` as a list of `{"@pid", "text"}` — or one object when there is one author, the same for a
single hit —, `venue`, `year`, `pages`, `volume`, `number`, `type`, `key`, `doi`, `ee`). Author names carry
DBLP's homonym numbers ("Jie Wen 0001"), which are removed. DBLP asks for a second or two between requests
and answers bulk use with HTTP 429 and Retry-After: one connection, one request a second.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.arxiv import names_arxiv
from refkit.sources.base import BaseSource, Candidate, Record, SearchResult
from refkit.sources.http import HttpClient, Limits
from refkit.sources.web import base_url as checked_base
from refkit.sources.web import failure, fetch
from refkit.text import fold, normalize_pages
from refkit.venues import computer_science

DEFAULT_URL = "https://dblp.org"
LIMITS = Limits(single=1, list=1, interval=1.0, concurrency=1)
_HOMONYM_RE = re.compile(r"\s+\d{4}$")
_WORD_RE = re.compile(r"[^\W_]+")
_TYPES = {
    "Conference and Workshop Papers": "paper-conference", "Journal Articles": "article-journal",
    "Informal and Other Publications": "article", "Informal Publications": "article", "Books and Theses": "book",
    "Parts in Books or Collections": "chapter", "Editorship": "book", "Reference Works": "entry-encyclopedia",
    "Data and Artifacts": "dataset",
}  # fmt: skip
_QUERY_WORDS = 12


def as_list(value: Any) -> list[Any]:
    """DBLP's XML-to-JSON gives one item as an object and several as a list."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _name(author: Any) -> Name:
    text = _HOMONYM_RE.sub("", str(author.get("text", "") if isinstance(author, dict) else author)).strip()
    words = text.split()
    if len(words) < 2:
        return Name(literal=text)
    return Name(family=words[-1], given=" ".join(words[:-1]))


def to_reference(info: Record) -> Reference:
    """One hit's `info` as a Reference; CoRR preprints are preprints (CSL "article", venue CoRR kept)."""
    year = str(info.get("year", ""))
    venue = " ".join(str(v) for v in as_list(info.get("venue")))
    kind = _TYPES.get(str(info.get("type", "")), "document")
    authors = info["authors"] if isinstance(info.get("authors"), dict) else {}
    return Reference(
        key=str(info.get("key", "")),
        type=kind,
        title=" ".join(str(info.get("title", "")).split()).removesuffix("."),
        authors=[_name(author) for author in as_list(authors.get("author"))],
        container_title=venue,
        year=int(year) if year.isdigit() else None,
        volume=str(info.get("volume", "") or ""),
        issue=str(info.get("number", "") or ""),
        page=normalize_pages(str(info.get("pages", "") or "")),
        doi=str(info.get("doi", "") or ""),
        url=str(info.get("ee", "") or info.get("url", "") or ""),
    )


def parse_hits(body: bytes) -> list[Record] | None:
    """The `info` objects of a search answer; None when the body is not a DBLP search answer."""
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    result = answer.get("result") if isinstance(answer, dict) else None
    hits = result.get("hits") if isinstance(result, dict) else None
    if not isinstance(hits, dict):
        return None
    return [
        hit["info"] for hit in as_list(hits.get("hit")) if isinstance(hit, dict) and isinstance(hit.get("info"), dict)
    ]


def query(reference: Reference) -> str:
    """The title's words: DBLP matches every word (as a prefix) anywhere in the record."""
    return " ".join(_WORD_RE.findall(fold(reference.title))[:_QUERY_WORDS])


def keep(response: requests.Response) -> bool:
    """Only well-formed answers are cached (an HTML error page with a 200 is not an answer)."""
    return response.status_code != 200 or parse_hits(response.content) is not None


class DblpSource(BaseSource):
    """DBLP over HTTP: one connection, one request a second, cached."""

    name = "dblp"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "DBLP")
        self.client = client or HttpClient(settings, base_url=self.base, keep=keep, **{"limits": LIMITS, **options})

    def identifier(self, reference: Reference) -> str:
        return ""  # searched only

    def searches(self, reference: Reference) -> bool:
        return bool(reference.title) and (reference.type == "paper-conference" or self.covers(reference))

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        words = query(reference)
        if not words:
            return SearchResult(reason="nothing to search DBLP by")
        fetched = fetch(self.client, f"{self.base}/search/publ/api", {"q": words, "format": "json", "h": str(rows)})
        infos = parse_hits(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if infos is None:
            reason = (
                failure(fetched, "DBLP") if fetched.status != 200 else "DBLP sent an answer that is not a search result"
            )
            return SearchResult(unavailable=True, reason=reason)
        return SearchResult([self._candidate(info) for info in infos], reason="searched DBLP")

    def covers(self, reference: Reference) -> bool:
        """Computer-science proceedings and journals (by venue), arXiv preprints (DBLP indexes CoRR), and
        conference papers that name no venue."""
        venue = reference.container_title or reference.container_title_short
        if venue:
            return computer_science(venue) or names_arxiv(reference)
        return reference.type == "paper-conference" or names_arxiv(reference)

    def close(self) -> None:
        self.client.close()

    def _candidate(self, info: Record) -> Candidate:
        reference = to_reference(info)
        return Candidate(reference, self.name, id=reference.key, agency="Crossref" if reference.doi else "")
