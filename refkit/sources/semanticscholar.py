"""Semantic Scholar Graph API papers (api.semanticscholar.org/graph/v1) → Reference.

Semantic Scholar indexes computer science and biomedicine well, conference papers with no DOI included, and
links a paper to its arXiv, DBLP, PubMed and DOI identifiers. Its own id is the 40-hex `paperId`. It records
no retractions, so it has no notices. Error answers are JSON `{"error": "…"}` (404: no such paper, no title
match; 400: bad fields) or `{"message": "Forbidden"}` (403: a bad key).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import requests

from refkit.config import Settings, source_url
from refkit.model import Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, SearchResult
from refkit.sources.fields import as_dict, people
from refkit.sources.http import HttpClient, Limits
from refkit.sources.records import strip_markup
from refkit.sources.services import cached_or_batched, environment_key, post_json, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import normalize_doi, normalize_pages

Paper = dict[str, Any]

# The fields refkit asks for (`fields=`): what conversion and matching read, nothing more.
FIELDS = (
    "paperId,externalIds,title,abstract,venue,publicationVenue,year,publicationDate,journal,authors,publicationTypes"
)

# publicationTypes, most specific first → CSL.
TYPE_TO_CSL = (
    ("Conference", "paper-conference"),
    ("JournalArticle", "article-journal"),
    ("Review", "article-journal"),
    ("Book", "book"),
    ("BookSection", "chapter"),
    ("Dataset", "dataset"),
    ("Thesis", "thesis"),
)


class MalformedAnswer(ValueError):
    """The body is not the JSON Semantic Scholar sends."""


def decode(body: bytes | str) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MalformedAnswer(f"not JSON: {error}") from error


def error_message(answer: Any) -> str:
    """The error an answer reports ("Paper with id 0 not found", "Forbidden"), or ""."""
    if isinstance(answer, dict):
        return str(answer.get("error") or answer.get("message") or "")
    return ""


def paper_id(paper: Paper) -> str:
    return str(paper.get("paperId") or "")


def csl_type(paper: Paper) -> str:
    kinds = paper.get("publicationTypes") or []
    external = as_dict(paper.get("externalIds"))
    if as_dict(paper.get("publicationVenue")).get("type") == "conference":
        return "paper-conference"
    for kind, csl in TYPE_TO_CSL:
        if kind in kinds:
            return csl
    if external.get("ArXiv") and not external.get("DOI"):
        return "article"
    return "article-journal"


def _date(paper: Paper) -> tuple[int | None, int | None, int | None]:
    year = paper.get("year") if isinstance(paper.get("year"), int) else None
    parts = [int(part) for part in str(paper.get("publicationDate") or "").split("-") if part.isdigit()]
    if len(parts) == 3 and (year is None or parts[0] == year):
        return parts[0], parts[1], parts[2]
    return year, None, None


def _venue(paper: Paper) -> str:
    """The journal's name, else the publication venue's, else the free-text venue."""
    journal, venue = as_dict(paper.get("journal")), as_dict(paper.get("publicationVenue"))
    return str(journal.get("name") or venue.get("name") or paper.get("venue") or "").strip()


def to_reference(paper: Paper) -> Reference:
    """One paper as a Reference. An arXiv-only paper's DOI is arXiv's DataCite one (10.48550/arXiv.ID)
    only when Semantic Scholar gives it; it is never made up here."""
    external, journal = as_dict(paper.get("externalIds")), as_dict(paper.get("journal"))
    year, month, day = _date(paper)
    names = [str(author.get("name") or "") for author in paper.get("authors") or [] if isinstance(author, dict)]
    pmcid = str(external.get("PubMedCentral") or "")
    return Reference(
        key=paper_id(paper),
        type=csl_type(paper),
        title=strip_markup(str(paper.get("title") or "")),
        authors=people(names),
        container_title=_venue(paper),
        year=year,
        month=month,
        day=day,
        volume=str(journal.get("volume") or "").strip(),
        page=normalize_pages(str(journal.get("pages") or "").strip()),
        doi=normalize_doi(str(external.get("DOI") or "")),
        url=str(paper.get("url") or ""),
        pmid=str(external.get("PubMed") or ""),
        pmcid=f"PMC{pmcid}" if pmcid.isdigit() else pmcid,
        arxiv=str(external.get("ArXiv") or ""),
        abstract=strip_markup(str(paper.get("abstract") or "")),
        fields={"dblp": str(external["DBLP"])} if external.get("DBLP") else {},
    )


def papers(answer: Any) -> list[Paper | None]:
    """The papers of any answer: a single paper, a search or match list ({"data": [...]}, none when
    `total` is 0), or a batch array (None where an id was unknown)."""
    if isinstance(answer, list):
        return [item if isinstance(item, dict) else None for item in answer]
    if isinstance(answer, dict) and "paperId" in answer:
        return [answer]
    if isinstance(answer, dict) and not error_message(answer):
        data = answer.get("data") or []
        return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    return []


# -- the source ---------------------------------------------------------------------------------------------

DEFAULT_URL = "https://api.semanticscholar.org/graph/v1"
KEY_VARIABLES = ("REFKIT_S2_API_KEY", "S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")
# A key's introductory dedicated rate is one request a second; the keyless pool is shared by everyone and
# throttled as a whole, so one a second is also the most a keyless client should send.
LIMITS = Limits(single=1, list=1, interval=1.0, concurrency=1)
BATCH = 500  # ids per POST /paper/batch (the API's maximum)


def candidate(paper: Paper) -> Candidate:
    return Candidate(to_reference(paper), "semanticscholar", id=paper_id(paper))


def keep(response: requests.Response) -> bool:
    """Only Semantic Scholar's answers are cached (a maintenance page with a 200 is none)."""
    if response.status_code != 200:
        return True
    try:
        return isinstance(decode(response.content), dict | list)
    except MalformedAnswer:
        return False


class SemanticScholarSource(BaseSource):
    """Semantic Scholar over HTTP: DOIs, arXiv ids and PMIDs five hundred to a POST /paper/batch (each paper
    then cached as the answer to its own GET /paper/{id}), titles by /paper/search/match. The key
    (optional) goes in the x-api-key header, from REFKIT_S2_API_KEY, S2_API_KEY or SEMANTIC_SCHOLAR_API_KEY."""

    name = "semanticscholar"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "Semantic Scholar")
        key = environment_key(KEY_VARIABLES)
        # Spelled as requests-cache's list of secret headers spells it (it compares case-sensitively), so the
        # key is redacted from what the cache stores.
        headers = {"X-API-Key": key} if key else {}
        self.client = client or HttpClient(
            settings, base_url=self.base, keep=keep, **{"limits": LIMITS, "params": {}, "headers": headers, **options}
        )

    def identifier(self, reference: Reference) -> str:
        """ "DOI:…", "ARXIV:…" or "PMID:…", as the API writes ids."""
        if reference.doi:
            return f"DOI:{normalize_doi(reference.doi)}"
        if reference.arxiv:
            return f"ARXIV:{reference.arxiv.strip()}"
        return f"PMID:{reference.pmid.strip()}" if reference.pmid.strip() else ""

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        wanted = list(dict.fromkeys(identifier for identifier in ids if identifier))
        answers = cached_or_batched(self.client, wanted, self._single, self._settle, self._batch, BATCH)
        return {identifier: answers[identifier] for identifier in ids if identifier}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        """The best title match (the API's /search/match gives one paper, or 404 when nothing is close)."""
        if not reference.title.strip():
            return SearchResult()
        params = {"query": reference.title.strip(), "fields": FIELDS}
        fetched = fetch(self.client, f"{self.base}/paper/search/match", params)
        answer = _decoded(fetched)
        if fetched.status == 404 and error_message(answer) == "Title match not found":
            return SearchResult()
        if fetched.status != 200 or answer is None:
            return SearchResult(unavailable=True, reason=self._failure(fetched, answer))
        return SearchResult([candidate(paper) for paper in papers(answer) if paper])

    def close(self) -> None:
        self.client.close()

    def _single(self, identifier: str) -> str:
        return f"{self.base}/paper/{quote(identifier, safe='/:;()')}?{self.client.query_string({'fields': FIELDS})}"

    def _settle(self, identifier: str, fetched: Fetched) -> Lookup:
        answer = _decoded(fetched)
        if fetched.status == 404 and not fetched.reason:
            return Lookup(identifier, LookupStatus.NOT_FOUND, reason="Semantic Scholar holds no such paper")
        found = papers(answer) if fetched.status == 200 else []
        if not found or found[0] is None:
            return Lookup(identifier, LookupStatus.UNAVAILABLE, reason=self._failure(fetched, answer))
        return Lookup(identifier, LookupStatus.FOUND, candidate(found[0]))

    def _batch(self, ids: list[str]) -> dict[str, Lookup]:
        fetched = post_json(self.client, f"{self.base}/paper/batch", {"fields": FIELDS}, {"ids": ids})
        answer = _decoded(fetched)
        found = papers(answer) if fetched.status == 200 and isinstance(answer, list) else None
        if found is None or len(found) != len(ids):
            reason = self._failure(fetched, answer)
            return {identifier: Lookup(identifier, LookupStatus.UNAVAILABLE, reason=reason) for identifier in ids}
        remember_each(
            self.client,
            ((self._single(i), json.dumps(p).encode()) for i, p in zip(ids, found, strict=True) if p),
            "Semantic Scholar",
            absent=(
                (self._single(i), json.dumps({"error": f"Paper with id {i} not found"}).encode())
                for i, p in zip(ids, found, strict=True)
                if not p
            ),
        )
        return {
            identifier: Lookup(identifier, LookupStatus.FOUND, candidate(paper))
            if paper
            else Lookup(identifier, LookupStatus.NOT_FOUND, reason="Semantic Scholar holds no such paper")
            for identifier, paper in zip(ids, found, strict=True)
        }

    def _failure(self, fetched: Fetched, answer: Any) -> str:
        if fetched.status == 403:
            return "Semantic Scholar refused the API key (HTTP 403; check REFKIT_S2_API_KEY)"
        if fetched.status == 200:
            return "Semantic Scholar sent an answer that is not a paper list"
        message = error_message(answer)
        return f"{failure(fetched, 'Semantic Scholar')}{f': {message}' if message and fetched.status != 429 else ''}"


def _decoded(fetched: Fetched) -> Any:
    try:
        return decode(fetched.body) if fetched.body else None
    except MalformedAnswer:
        return None
