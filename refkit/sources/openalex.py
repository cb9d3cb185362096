"""OpenAlex works (api.openalex.org) → Reference.

OpenAlex holds works Crossref does not (repositories, many conference papers, works with no DOI) and gives
abstracts as an inverted index (word → positions), which `abstract_text` turns back into prose. Its own id is
the work's `W…` number; a retracted work carries `is_retracted`, read here as a retraction notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import requests

from refkit.config import Settings, source_url
from refkit.model import Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Notice, SearchResult
from refkit.sources.fields import as_dict, people
from refkit.sources.http import HttpClient, Limits, is_doi_batch
from refkit.sources.records import strip_markup
from refkit.sources.services import cached_or_batched, environment_key, in_parallel, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import normalize_doi, normalize_pages

Work = dict[str, Any]

# OpenAlex work types → CSL; `article` is refined by where it appeared (see `csl_type`).
OPENALEX_TO_CSL = {
    "article": "article-journal", "book": "book", "book-chapter": "chapter", "dataset": "dataset",
    "dissertation": "thesis", "preprint": "article", "report": "report", "standard": "standard",
    "review": "article-journal", "letter": "article-journal", "editorial": "article-journal",
    "erratum": "article-journal", "retraction": "article-journal", "peer-review": "review",
    "reference-entry": "entry-encyclopedia", "conference-paper": "paper-conference", "software": "software",
    "paratext": "document", "other": "document", "libguides": "document", "grant": "document",
    "supplementary-materials": "document",
}  # fmt: skip
# What an `article` is by the type of its venue (OpenAlex calls proceedings papers articles too).
SOURCE_TYPE_TO_CSL = {"conference": "paper-conference", "repository": "article", "book series": "chapter"}

_ID_URL_RE = re.compile(r"^https?://[^/]+/(?:pmc/articles/)?")


def abstract_text(inverted: Any) -> str:
    """The abstract from OpenAlex's inverted index ({"Today's": [0], "filters,": [1, 199], …}): each word at
    its positions, positions in order. A malformed index gives what can be placed, never an error."""
    if not isinstance(inverted, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in inverted.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and position >= 0:
                placed[position] = str(word)
    return strip_markup(" ".join(placed[position] for position in sorted(placed)))


def work_id(work: Work) -> str:
    """OpenAlex's own id, "W1982728624" (the API gives it as a URL)."""
    return str(work.get("id") or "").rsplit("/", 1)[-1]


def _bare_id(value: Any) -> str:
    """ "https://pubmed.ncbi.nlm.nih.gov/17183658" → "17183658"; "https://www.ncbi.nlm.nih.gov/pmc/articles/
    4101386" → "4101386"."""
    return _ID_URL_RE.sub("", str(value or "")).strip("/")


def _venue(work: Work) -> dict[str, Any]:
    return as_dict(as_dict(work.get("primary_location")).get("source"))


def csl_type(work: Work) -> str:
    kind = str(work.get("type") or "")
    if kind == "article":
        return SOURCE_TYPE_TO_CSL.get(str(_venue(work).get("type") or ""), "article-journal")
    return OPENALEX_TO_CSL.get(kind, "document")


def _date(work: Work) -> tuple[int | None, int | None, int | None]:
    parts = [int(part) for part in str(work.get("publication_date") or "").split("-") if part.isdigit()]
    year = work.get("publication_year") if isinstance(work.get("publication_year"), int) else None
    if parts and (year is None or parts[0] == year):
        parts += [0, 0]
        return parts[0], parts[1] or None, parts[2] or None
    return year, None, None


def _pages(biblio: dict[str, Any]) -> str:
    first, last = str(biblio.get("first_page") or ""), str(biblio.get("last_page") or "")
    if first and last and last != first:
        return normalize_pages(f"{first}-{last}")
    return first or last


def to_reference(work: Work) -> Reference:
    """One OpenAlex work as a Reference; the venue is the primary location's source (or the name the
    publisher deposited, when OpenAlex has not linked a source)."""
    venue = _venue(work)
    location, biblio, ids = as_dict(work.get("primary_location")), as_dict(work.get("biblio")), as_dict(work.get("ids"))
    year, month, day = _date(work)
    authors = [
        str(as_dict(authorship.get("author")).get("display_name") or authorship.get("raw_author_name") or "")
        for authorship in work.get("authorships") or []
        if isinstance(authorship, dict)
    ]
    pmcid = _bare_id(ids.get("pmcid"))
    return Reference(
        key=work_id(work),
        type=csl_type(work),
        title=strip_markup(str(work.get("title") or work.get("display_name") or "")),
        authors=people(authors),
        container_title=str(venue.get("display_name") or location.get("raw_source_name") or ""),
        year=year,
        month=month,
        day=day,
        volume=str(biblio.get("volume") or ""),
        issue=str(biblio.get("issue") or ""),
        page=_pages(biblio),
        doi=normalize_doi(str(work.get("doi") or ids.get("doi") or "")),
        url=str(location.get("landing_page_url") or ""),
        issn=tuple(str(issn) for issn in venue.get("issn") or []),
        pmid=_bare_id(ids.get("pmid")),
        pmcid=f"PMC{pmcid}" if pmcid.isdigit() else pmcid,
        publisher=str(venue.get("host_organization_name") or ""),
        abstract=abstract_text(work.get("abstract_inverted_index")),
    )


def notices(work: Work) -> list[Notice]:
    """OpenAlex marks retracted works (from Retraction Watch and Crossref) with `is_retracted`."""
    if work.get("is_retracted") is True:
        return [Notice(kind="retraction", doi="", source="openalex")]
    return []


def results(page: Any) -> list[Work]:
    """The works of a list answer ({"meta": …, "results": [...]}); [] for anything else."""
    found = as_dict(page).get("results")
    return [work for work in found if isinstance(work, dict)] if isinstance(found, list) else []


def cost(page: Any) -> float | None:
    """What a list answer says it cost (`meta.cost_usd`, since the 2026 priced API)."""
    value = as_dict(as_dict(page).get("meta")).get("cost_usd")
    return float(value) if isinstance(value, int | float) else None


# -- the source ---------------------------------------------------------------------------------------------

DEFAULT_URL = "https://api.openalex.org"
# 100 requests a second for everyone; /works lists and /works/{id} singletons are spaced apart (two kinds in
# the limiter), so each gets half.
LIMITS = Limits(single=50, list=50, interval=1.0, concurrency=4)
KEY_VARIABLES = ("REFKIT_OPENALEX_KEY", "OPENALEX_API_KEY")
BATCH = 50  # DOIs per `filter=doi:A|B|…` (OpenAlex ORs up to 100 values; 50 keeps the request line short)
SELECT = (
    "id,doi,title,display_name,publication_year,publication_date,ids,type,primary_location,authorships,"
    "biblio,is_retracted,abstract_inverted_index"
)
# OpenAlex's own 404 for /works/doi:… (recorded in ../shared/data/api-responses/openalex).
NOT_FOUND_BODY = b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
_FILTER_UNSAFE = re.compile(r"[,:|]+")  # they separate filters, names and values


def candidate(work: Work) -> Candidate:
    reference = to_reference(work)
    return Candidate(reference, "openalex", id=work_id(work), notices=tuple(notices(work)))


def decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def keep(response: requests.Response) -> bool:
    """Only OpenAlex's answers are cached (a maintenance page with a 200 is none); a DOI batch is not kept
    whole: its works are stored one per DOI."""
    if is_doi_batch((response.request.url if response.request else None) or response.url or ""):
        return False
    return response.status_code != 200 or isinstance(decode(response.content), dict)


class OpenAlexSource(BaseSource):
    """OpenAlex over HTTP: DOIs fifty to a list request (one call's price for fifty works), titles by
    `title.search`. The key (free; from 13 February 2026 OpenAlex wants one) comes from REFKIT_OPENALEX_KEY
    or OPENALEX_API_KEY, never from a file; without one the daily budget is $0.01, about ten searches."""

    name = "openalex"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "OpenAlex")
        key = environment_key(KEY_VARIABLES)
        params = {"api_key": key} if key else {}
        self.client = client or HttpClient(
            settings, base_url=self.base, keep=keep, **{"limits": LIMITS, "params": params, **options}
        )

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        wanted = list(dict.fromkeys(normalize_doi(doi) for doi in ids if doi))
        answers = cached_or_batched(
            self.client, wanted, self._single, self._settle, self._batch, BATCH, self.client.limiter.concurrency
        )
        return {doi: answers[normalize_doi(doi)] for doi in ids if doi}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        title = " ".join(_FILTER_UNSAFE.sub(" ", reference.title).split())
        if not title:
            return SearchResult()
        params = {"filter": f"title.search:{title}", "per_page": str(rows), "select": SELECT}
        fetched = fetch(self.client, f"{self.base}/works", params)
        page = decode(fetched.body) if fetched.status == 200 else None
        if fetched.status != 200 or not isinstance(page, dict):
            return SearchResult(unavailable=True, reason=self._failure(fetched))
        return SearchResult([candidate(work) for work in results(page)])

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        return in_parallel(lambda reference: self.search(reference, rows), references, self.client.limiter.concurrency)

    def close(self) -> None:
        self.client.close()

    def _single(self, doi: str) -> str:
        return f"{self.base}/works/doi:{quote(doi, safe='/:;()')}"

    def _settle(self, doi: str, fetched: Fetched) -> Lookup:
        if fetched.status == 404 and not fetched.reason:
            return Lookup(doi, LookupStatus.NOT_FOUND, reason="OpenAlex holds no work with this DOI")
        work = decode(fetched.body) if fetched.status == 200 else None
        if not isinstance(work, dict) or not work.get("id"):
            return Lookup(doi, LookupStatus.UNAVAILABLE, reason=self._failure(fetched))
        return Lookup(doi, LookupStatus.FOUND, candidate(work))

    def _batch(self, dois: list[str]) -> dict[str, Lookup]:
        params = {"filter": "doi:" + "|".join(dois), "per_page": str(len(dois)), "select": SELECT}
        fetched = fetch(self.client, f"{self.base}/works", params)
        page = decode(fetched.body) if fetched.status == 200 else None
        if fetched.status != 200 or not isinstance(page, dict):
            reason = self._failure(fetched)
            return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=reason) for doi in dois}
        by_doi = {normalize_doi(str(work.get("doi") or "")): work for work in results(page)}
        remember_each(
            self.client,
            ((self._single(doi), json.dumps(work).encode()) for doi, work in by_doi.items() if doi in dois),
            "OpenAlex",
            absent=((self._single(doi), NOT_FOUND_BODY) for doi in dois if doi not in by_doi),
            absent_type="text/html; charset=utf-8",
        )
        return {
            doi: Lookup(doi, LookupStatus.FOUND, candidate(by_doi[doi]))
            if doi in by_doi
            else Lookup(doi, LookupStatus.NOT_FOUND, reason="OpenAlex holds no work with this DOI")
            for doi in dois
        }

    def _failure(self, fetched: Fetched) -> str:
        long_pause = fetched.status == 429 and fetched.retry_after.isdigit() and int(fetched.retry_after) > 60
        if long_pause or "HTTP 429" in fetched.reason:  # a 429 with hours to wait: the day's budget is spent
            return "OpenAlex's daily budget for this key is spent (set REFKIT_OPENALEX_KEY for a larger one)"
        if fetched.status == 200:
            return "OpenAlex sent an answer that is not a work"
        return failure(fetched, "OpenAlex")
