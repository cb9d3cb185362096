"""The arXiv API as a source: look-ups by arXiv identifier (new style 2104.12255, old style astro-ph/0601001,
with or without a version) and title search, answered in Atom XML.

`GET /api/query?id_list=A,B,…` answers many ids in one feed: an id arXiv does not have is simply absent
(HTTP 200, `opensearch:totalResults` 0), a malformed one spoils the request (HTTP 400 with a one-entry
error feed), so ids are checked before they are sent. arXiv's terms allow one request every three seconds
and a single connection: this client keeps to that, batching up to `BATCH` ids per request.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from typing import Any

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, SearchResult
from refkit.sources.http import HttpClient, Limits
from refkit.sources.progress import answered
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import ARXIV_ID, fold

DEFAULT_URL = "https://export.arxiv.org"
LIMITS = Limits(single=1, list=1, interval=3.0, concurrency=1)
BATCH = 50
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ID_ALONE = re.compile(f"^(?:{ARXIV_ID})$")
_ID_IN_TEXT = re.compile(rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv[:\s]\s*|10\.48550/arxiv\.)({ARXIV_ID})", re.IGNORECASE)
_VERSION = re.compile(r"v\d+$")
_WORD = re.compile(r"[^\W_]+")
_SEARCH_WORDS = 10


def well_formed(identifier: str) -> bool:
    return bool(_ID_ALONE.match(identifier))


def base_id(identifier: str) -> str:
    """The id without its version: 2104.12255v1 → 2104.12255."""
    return _VERSION.sub("", identifier)


def arxiv_id(reference: Reference) -> str:
    """The arXiv id a reference gives: its eprint, or one in its DOI (10.48550/arXiv.…), URL, venue or note."""
    written = reference.arxiv.strip().removeprefix("arXiv:").removeprefix("arxiv:").strip()
    if written:
        return written
    for text in (reference.doi, reference.url, reference.container_title, reference.note, reference.publisher):
        found = _ID_IN_TEXT.search(text or "")
        if found:
            return found.group(1)
    return ""


def _entry_id(entry: ElementTree.Element) -> str:
    """'http://arxiv.org/abs/2104.12255v1' → '2104.12255v1'."""
    text = (entry.findtext(f"{_ATOM}id") or "").strip()
    return text.split("/abs/", 1)[1] if "/abs/" in text else ""


def _name(text: str) -> Name:
    """arXiv gives names as written ("Caprice Stanley"): the last word is the family name, particles kept."""
    words = text.split()
    if len(words) < 2:
        return Name(literal=text.strip()) if text.strip() else Name()
    particles: list[str] = []
    while len(words) > 2 and words[-2].lower() in ("van", "von", "de", "der", "da", "di", "del", "la", "le"):
        particles.insert(0, words.pop(-2))
    return Name(family=words[-1], given=" ".join(words[:-1]), particle=" ".join(particles))


def to_reference(entry: ElementTree.Element) -> Reference:
    """One Atom `<entry>` as a Reference: a preprint (CSL "article", no container), its DataCite DOI."""
    identifier = _entry_id(entry)
    published = (entry.findtext(f"{_ATOM}published") or "")[:4]
    fields = {}
    journal_ref = " ".join((entry.findtext(f"{_ARXIV}journal_ref") or "").split())
    if journal_ref:
        fields["journal-ref"] = journal_ref
    published_doi = (entry.findtext(f"{_ARXIV}doi") or "").strip()
    if published_doi:
        fields["published-doi"] = published_doi
    return Reference(
        key=identifier,
        type="article",
        title=" ".join((entry.findtext(f"{_ATOM}title") or "").split()),
        authors=[
            _name(" ".join((author.findtext(f"{_ATOM}name") or "").split()))
            for author in entry.findall(f"{_ATOM}author")
        ],
        year=int(published) if published.isdigit() else None,
        doi=f"10.48550/arXiv.{base_id(identifier)}" if identifier else "",
        url=f"https://arxiv.org/abs/{identifier}" if identifier else "",
        arxiv=identifier,
        publisher="arXiv",
        abstract=" ".join((entry.findtext(f"{_ATOM}summary") or "").split()),
        fields=fields,
    )


def parse_feed(body: bytes) -> list[Reference] | None:
    """The entries of an Atom feed; None when the body is not an arXiv feed."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    if root.tag != f"{_ATOM}feed":
        return None
    return [to_reference(entry) for entry in root.findall(f"{_ATOM}entry") if _entry_id(entry)]


def search_query(reference: Reference) -> str:
    """arXiv's query syntax: every distinctive title word in the title field (`ti:word AND ti:…`)."""
    words = [word for word in _WORD.findall(fold(reference.title)) if len(word) > 2][:_SEARCH_WORDS]
    return " AND ".join(f"ti:{word}" for word in words)


def names_arxiv(reference: Reference) -> bool:
    """The reference says it is an arXiv preprint: an arXiv id, or arXiv/CoRR as its venue or publisher."""
    if arxiv_id(reference):
        return True
    venue = fold(" ".join((reference.container_title, reference.container_title_short, reference.publisher)))
    return "arxiv" in venue or venue.split()[:1] == ["corr"]


def keep(response: requests.Response) -> bool:
    """Only well-formed answers are cached (an HTML error page with a 200 is not an answer)."""
    return response.status_code != 200 or parse_feed(response.content) is not None


class ArxivSource(BaseSource):
    """arXiv over HTTP: one connection, one request per three seconds, cached."""

    name = "arxiv"
    preprints_only = True

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "arXiv")
        self.client = client or HttpClient(settings, base_url=self.base, keep=keep, **{"limits": LIMITS, **options})

    def identifier(self, reference: Reference) -> str:
        return arxiv_id(reference)

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        result = {
            given: Lookup(given, LookupStatus.NOT_FOUND, reason="not a well-formed arXiv id; not sent")
            for given in ids
            if not well_formed(given)
        }
        wanted = sorted({given for given in ids if given not in result})
        for start in range(0, len(wanted), BATCH):
            result.update(self._batch(wanted[start : start + BATCH]))
            answered(len(wanted[start : start + BATCH]))
        return {given: result[given] for given in ids}

    def searches(self, reference: Reference) -> bool:
        return bool(reference.title) and self.covers(reference)

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        query = search_query(reference)
        if not query:
            return SearchResult(reason="nothing to search arXiv by")
        fetched = self._query({"search_query": query, "start": "0", "max_results": str(rows)})
        entries = parse_feed(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if entries is None:
            return SearchResult(unavailable=True, reason=self._failure(fetched))
        return SearchResult([self._candidate(entry) for entry in entries], reason="searched arXiv")

    def covers(self, reference: Reference) -> bool:
        return names_arxiv(reference)

    def close(self) -> None:
        self.client.close()

    def _batch(self, ids: list[str]) -> dict[str, Lookup]:
        fetched = self._query({"id_list": ",".join(ids), "start": "0", "max_results": str(len(ids))})
        entries = parse_feed(fetched.body) if fetched.status == 200 and not fetched.reason else None
        if entries is None:
            reason = self._failure(fetched)
            return {given: Lookup(given, LookupStatus.UNAVAILABLE, reason=reason) for given in ids}
        by_id = {}
        for entry in entries:
            by_id[entry.arxiv] = by_id[base_id(entry.arxiv)] = entry
        return {
            given: Lookup(given, LookupStatus.FOUND, self._candidate(by_id[given]))
            if given in by_id
            else Lookup(given, LookupStatus.NOT_FOUND, reason="arXiv has no such id")
            for given in ids
        }

    def _candidate(self, reference: Reference) -> Candidate:
        return Candidate(reference, self.name, id=reference.arxiv, agency="DataCite")

    def _query(self, params: dict[str, str]) -> Fetched:
        return fetch(self.client, f"{self.base}/api/query", params)

    def _failure(self, fetched: Fetched) -> str:
        if fetched.status == 200 and not fetched.reason:
            return "arXiv sent an answer that is not an Atom feed"
        return failure(fetched, "arXiv")
