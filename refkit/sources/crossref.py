"""The Crossref REST API as a `Source`: batched DOI look-ups, bibliographic search, registration agencies.

DOIs go many to a request (`/works?filter=doi:A,doi:B,…`); only what a batch did not return is asked one by
one (`/works/{doi}`), and a DOI Crossref does not know is checked with `/works/{doi}/agency`, so a DataCite
DOI reads as "registered elsewhere", not "does not exist". Nothing here raises for network, server or parse
trouble: such answers become `unavailable` with a reason.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from refkit.config import Settings
from refkit.match import is_preprint_venue
from refkit.model import Reference
from refkit.sources.addresses import QUERY_SAFE, checked_base_url, encode_query, url_key
from refkit.sources.answers import Reply, endpoint, read_answer
from refkit.sources.base import BaseSource, Lookup, LookupStatus, Record, SearchResult, keyed
from refkit.sources.progress import answered
from refkit.sources.records import crossref_candidate
from refkit.sources.store import CACHE_FILE, AnswerStore, Stored
from refkit.text import fold, normalize_doi

if TYPE_CHECKING:  # the HTTP client (requests, requests-cache) is imported only when a request may be made
    import requests

    from refkit.sources.http import HttpClient

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Crossref reads at most 4096 bytes of request line ("GET <target> HTTP/1.1"): the path and query of one
# batch stay within this, and a batch holds at most MAX_BATCH DOIs.
MAX_TARGET_BYTES = 4000
MAX_BATCH = 100
SEARCH_AUTHORS = 3  # family names put into a bibliographic query

# What matching and record conversion read; `select` keeps list responses small.
SELECT = (
    "DOI",
    "title",
    "subtitle",
    "author",
    "editor",
    "container-title",
    "short-container-title",
    "issued",
    "published",
    "published-print",
    "published-online",
    "volume",
    "issue",
    "page",
    "article-number",
    "type",
    "ISSN",
    "ISBN",
    "publisher",
    "publisher-location",
    "URL",
    "abstract",
    "update-to",
    "updated-by",
    "relation",
    "score",
)

OFFLINE_MISS = "offline, and not in the cache"
MAX_QUERY_CHARS = 1000  # a citation string longer than this is not one reference
_WELL_FORMED_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def doi_batches(
    dois: Iterable[str], budget: int, *, encode: Callable[[str], str] = str, max_size: int = MAX_BATCH
) -> list[list[str]]:
    """Group DOIs into as few batches as `max_size` and the `budget` in bytes of each encoded
    `doi:A,doi:B,…` filter allow: list requests are Crossref's scarcest allowance (3/s), and filling batches
    in order leaves one short batch and a remainder where one fewer would do. A DOI longer than the budget
    goes alone. Each batch keeps the order the DOIs were given in."""
    items = [(doi, len(encode(f"doi:{doi},"))) for doi in dois]
    alone = [[doi] for doi, cost in items if cost > budget]
    fitting = [(doi, cost) for doi, cost in items if cost <= budget]
    if not fitting:
        return alone
    count = max(math.ceil(len(fitting) / max_size), math.ceil(sum(cost for _, cost in fitting) / budget))
    while (batches := _packed(fitting, count, budget, max_size)) is None:
        count += 1
    return [*batches, *alone]


def _packed(items: list[tuple[str, int]], count: int, budget: int, max_size: int) -> list[list[str]] | None:
    """The items in `count` batches, the costliest first into the batch with the most room left (worst fit
    decreasing, which balances them); None when they do not fit."""
    rooms = [(-budget, number) for number in range(count)]  # a heap: the most room first
    sizes = [0] * count
    placed = [0] * len(items)
    for index in sorted(range(len(items)), key=lambda i: -items[i][1]):
        if not rooms:
            return None
        room, number = heapq.heappop(rooms)
        if -room < items[index][1]:
            return None
        placed[index], sizes[number] = number, sizes[number] + 1
        if sizes[number] < max_size:
            heapq.heappush(rooms, (room + items[index][1], number))
    batches: list[list[str]] = [[] for _ in range(count)]
    for index, (doi, _) in enumerate(items):
        batches[placed[index]].append(doi)
    return [batch for batch in batches if batch]


def bibliographic_query(reference: Reference) -> str:
    """The reference as Crossref's bibliographic search wants it: the whole citation string when the reference
    was parsed from one (Crossref matches raw strings best, its own reference matcher works that way), else its
    title, first authors' family names, container and year."""
    if reference.raw.strip():
        return " ".join(reference.raw.split())[:MAX_QUERY_CHARS]
    parts = [
        reference.title,
        *(name.full_family for name in reference.authors[:SEARCH_AUTHORS]),
        reference.container_title or reference.container_title_short,
        str(reference.year) if reference.year else "",
    ]
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def api_base(url: str) -> str:
    return checked_base_url(url, "the Crossref API", "--api-url, REFKIT_CROSSREF_URL or api-url in [tool.refkit]")


def describe_error(error: Exception, timeout: float) -> str:
    """A short reason for a failed request (requests' own messages run to several lines)."""
    if isinstance(error, sqlite3.Error):
        return f"the HTTP cache is unreadable ({error}); `refkit cache clear` resets it"
    import requests

    from refkit.sources.http import Refused, TooSlow, Unreachable

    if isinstance(error, Unreachable | Refused | TooSlow):
        return str(error)
    if isinstance(error, requests.Timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the response was cut off"
    if isinstance(error, requests.ConnectionError):
        return "could not connect"
    return f"{type(error).__name__}: {error}"


def decode(response: requests.Response) -> Reply:
    """Turn a response into a Reply, its status, content type, JSON and shape checked (`answers`)."""
    return read_answer(
        endpoint(response.url or ""),
        response.status_code,
        response.headers.get("Content-Type", ""),
        response.content,
        response.reason or "",
    )


def decode_stored(url: str, kept: Stored) -> Reply:
    """`decode` for an answer the store kept for GET `url`."""
    return read_answer(endpoint(url), kept.status, kept.content_type, kept.body)


def crossref_covers(reference: Reference) -> bool:
    """Crossref's silence rules out journal articles only: nearly every journal registers its articles
    there, while many books, conference papers, theses, reports, preprints and web pages have no Crossref
    record at all."""
    venue = reference.container_title or reference.container_title_short
    return (
        reference.type == "article-journal"
        and bool(venue)
        and not reference.arxiv
        and not is_preprint_venue(fold(venue))
    )


class CrossrefSource(BaseSource):
    """Crossref over HTTP (cached, rate-limited); safe to share between threads."""

    name = "crossref"
    agency = "Crossref"

    def __init__(
        self, settings: Settings, *, client: HttpClient | None = None, on_progress: Progress | None = None
    ) -> None:
        self.api_url = api_base(settings.api_url)
        self.settings, self.offline, self.on_progress = settings, settings.offline, on_progress
        self._client = client
        self.store = client.store if client else AnswerStore.of(settings)

    @property
    def client(self) -> HttpClient:
        """Built on first need (before any worker thread starts): a run the store answers whole never
        imports requests or requests-cache."""
        if self._client is None:
            from refkit.sources.http import HttpClient

            self._client = HttpClient(self.settings, store=self.store)
        return self._client

    # -- the Source protocol ----------------------------------------------------------------------------

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        """Every DOI asked gets a Lookup: from the cache, DOI by DOI, then batches for the rest, then
        singles for what the batches left out (none of that network part when offline)."""
        wanted = list(dict.fromkeys(normalize_doi(doi) for doi in dois))
        found = {
            doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason="not a well-formed DOI; not sent")
            for doi in wanted
            if not _WELL_FORMED_DOI.match(doi)
        }
        progress = _Counter(len(wanted), self.on_progress, done=len(found))
        cached = self._cached([doi for doi in wanted if doi not in found])  # cheaper than threads, and at once
        found.update(cached)
        progress.add(len(cached))
        missing = [doi for doi in wanted if doi not in found]
        if self.offline:
            found.update((doi, Lookup(doi, LookupStatus.UNAVAILABLE, reason=OFFLINE_MISS)) for doi in missing)
            progress.add(len(missing))
        elif missing:
            found.update(self._fetch(missing, progress))
        return {given: keyed(found[normalize_doi(given)], given) for given in dois}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        params = _search_params(reference, rows)
        return _no_query() if params is None else _search_result(self._get("/works", params))

    def covers(self, reference: Reference) -> bool:
        return crossref_covers(reference)

    # -- beyond the protocol ----------------------------------------------------------------------------

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        """`search` for many references at once, as concurrently as the server allows, in order."""
        progress = _Counter(len(references), self.on_progress)
        results = [self._kept_search(reference, rows) for reference in references]  # the store's, at once
        progress.add(sum(result is not None for result in results))
        missing = [index for index, result in enumerate(results) if result is None]
        if self.offline or len(missing) < 2:  # cache reads only, or one request: threads would not help
            for index in missing:
                results[index] = self.search(references[index], rows)
                progress.add(1)
            return [result for result in results if result is not None]
        with ThreadPoolExecutor(max_workers=self._workers()) as pool:
            searches = {pool.submit(self.search, references[index], rows): index for index in missing}
            for search in as_completed(searches):  # progress as answers arrive, whatever their order
                results[searches[search]] = search.result()
                progress.add(1)
        return [result for result in results if result is not None]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self.store.close()

    # -- from the store alone ---------------------------------------------------------------------------

    def _kept(self, url: str, params: dict[str, str] | None = None) -> Reply | None:
        """The store's answer to GET `url`, None when it has none (raises sqlite3.Error when unreadable)."""
        target = f"{url}?{encode_query(params)}" if params else url
        kept = self.store.get(url_key("GET", target))
        if kept is None:
            return None
        reply = decode_stored(target, kept)
        if reply.malformed:  # kept by an older refkit: never again
            self.store.delete(url_key("GET", target))
            return None
        return reply

    def _kept_search(self, reference: Reference, rows: int) -> SearchResult | None:
        """A search the store can answer (or one with nothing to search by); None to ask the client."""
        params = _search_params(reference, rows)
        if params is None:
            return _no_query()
        try:
            reply = self._kept(self.api_url + "/works", params)
        except sqlite3.Error:  # the client says why, or asks the network
            return None
        return None if reply is None else _search_result(reply)

    # -- one request each -------------------------------------------------------------------------------

    def _workers(self) -> int:
        return max(1, self.client.limiter.concurrency)

    def _fetch(self, dois: list[str], progress: _Counter) -> dict[str, Lookup]:
        """Batches first, then one request each for what they left out, as concurrently as the server allows."""
        found: dict[str, Lookup] = {}
        # One worker more than the requests allowed at once: while one reads and caches a batch's hundred
        # records, the next batch's request is already under way (the limiter still bounds what is in flight).
        with ThreadPoolExecutor(max_workers=self._workers() + 1) as pool:
            batchable = sorted(doi for doi in dois if "," not in doi)  # a comma would split the filter
            for done in as_completed([pool.submit(self._batch, batch) for batch in self._batches(batchable)]):
                answers = done.result()
                found.update(answers)
                progress.add(len(answers))
            for single in as_completed([pool.submit(self._single, doi) for doi in dois if doi not in found]):
                lookup = single.result()
                found[lookup.doi] = lookup
                progress.add(1)
        return found

    def _get(self, path: str, params: dict[str, str] | None = None) -> Reply:
        try:
            kept = self._kept(self.api_url + path, params)
        except sqlite3.Error:
            kept = None  # the client reads the cache again, and says why it cannot, or asks the network
        if kept is not None:
            return kept
        return self._asked(path, params)

    def _asked(self, path: str, params: dict[str, str] | None) -> Reply:
        """The client's answer: requests-cache's, or the network's when online."""
        import requests

        try:
            if self.offline:  # straight to the cache backend: a miss costs a key look-up, not a request
                response = self.client.cached(self.api_url + path, params)
                if response is None:
                    return Reply(504, reason=OFFLINE_MISS)
            else:
                response = self.client.get(self.api_url + path, params)
        except (requests.RequestException, sqlite3.Error) as error:
            return Reply(0, reason=describe_error(error, self.client.timeout[1]))
        reply = decode(response)
        if reply.malformed:  # kept by an older refkit, or by a cache that let it through: never again
            self.client.forget(response)
        return reply

    def _cached(self, dois: list[str]) -> dict[str, Lookup]:
        """What the cache knows about these DOIs (a record, or a 404 then the agency), without the network:
        the store first, requests-cache (which means building the client) only for what it lacks."""
        urls = {self.api_url + _work_path(doi): doi for doi in dois}
        try:
            replies = self._kept_many(list(urls))
            rest = [url for url in urls if url not in replies]
            if rest and self._client_may_hold():
                replies |= self._client_cached(rest)
        except sqlite3.Error as error:  # online, the network answers instead
            reason = describe_error(error, 0)
            return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=reason) for doi in dois} if self.offline else {}
        found = {}
        for url, reply in replies.items():
            lookup = self._settle(urls[url], reply)
            if lookup:
                found[urls[url]] = lookup
        return found

    def _kept_many(self, urls: list[str]) -> dict[str, Reply]:
        """The store's well-formed answers to GET each url, in one query per few hundred."""
        keys = {url_key("GET", url): url for url in urls}
        replies = {}
        for key, kept in self.store.get_many(list(keys)).items():
            reply = decode_stored(keys[key], kept)
            if reply.malformed:
                self.store.delete(key)
            else:
                replies[keys[key]] = reply
        return replies

    def _client_may_hold(self) -> bool:
        """Online, the client fetches what the store lacks anyway; offline, only a requests-cache file can
        hold more."""
        return not self.offline or (self.store.path.parent / CACHE_FILE).exists()

    def _client_cached(self, urls: list[str]) -> dict[str, Reply]:
        replies = {}
        for url, response in self.client.cached_many(urls).items():
            reply = decode(response)
            if reply.malformed:
                self.client.forget(response)
            else:
                replies[url] = reply
        return replies

    def _batches(self, dois: list[str]) -> list[list[str]]:
        """Batches whose whole request target (path, filter, rows, select, mailto) fits the request line."""
        fixed = (
            len(urlsplit(self.api_url).path)
            + len("/works?")
            + len(self.client.query_string({"filter": "", "rows": str(MAX_BATCH), "select": ",".join(SELECT)}))
        )
        return doi_batches(dois, MAX_TARGET_BYTES - fixed, encode=lambda text: quote(text, safe=QUERY_SAFE))

    def _batch(self, dois: list[str]) -> dict[str, Lookup]:
        """Found DOIs as FOUND; the rest are left out (to be asked singly) unless the batch failed outright."""
        reply = self._get(
            "/works",
            {"filter": ",".join(f"doi:{doi}" for doi in dois), "rows": str(len(dois)), "select": ",".join(SELECT)},
        )
        if not reply.ok:
            if reply.status == 400:  # one odd DOI spoils the batch; the singles will say which
                return {}
            return {doi: Lookup(doi, LookupStatus.UNAVAILABLE, reason=reply.reason) for doi in dois}
        asked = set(dois)
        answers = {}
        for record in _items(reply.message):
            doi = normalize_doi(str(record.get("DOI", "")))
            if doi in asked:
                answers[doi] = Lookup(doi, LookupStatus.FOUND, crossref_candidate(record))
        try:
            self.client.remember(
                (
                    self.api_url + _work_path(doi),
                    _work_envelope(lookup.candidate.record or {} if lookup.candidate else {}),
                )
                for doi, lookup in answers.items()
            )
        except sqlite3.Error as error:  # the answers stand; only the next run loses them
            logger.warning("refkit: could not cache Crossref records (%s)", error)
        return answers

    def _single(self, doi: str) -> Lookup:
        reply = self._get(_work_path(doi))
        return self._settle(doi, reply) or Lookup(
            doi, LookupStatus.UNAVAILABLE, reason=reply.reason or "unexpected answer"
        )

    def _settle(self, doi: str, reply: Reply) -> Lookup | None:
        """What an answer to /works/{doi} settles: the record, or (for a 404) what the registration agency
        says; None when it settles nothing."""
        if reply.ok and isinstance(reply.message, dict):
            return Lookup(doi, LookupStatus.FOUND, crossref_candidate(reply.message))
        if reply.status == 404 and not reply.malformed:
            return self._agency(doi)
        return None

    def _agency(self, doi: str) -> Lookup:
        """Crossref has no record: is the DOI registered at all, and with whom?"""
        reply = self._get(_work_path(doi) + "/agency")
        if reply.status == 404 and not reply.malformed:
            return Lookup(doi, LookupStatus.NOT_FOUND, reason="no registration agency knows this DOI")
        if not reply.ok:
            return Lookup(
                doi,
                LookupStatus.UNAVAILABLE,
                reason=f"not in Crossref; its registration agency could not be checked ({reply.reason})",
            )
        agency = (reply.message or {}).get("agency") or {}
        agency_id = str(agency.get("id", "")).lower()
        label = str(agency.get("label") or agency_id)
        if agency_id in ("", "crossref"):
            return Lookup(
                doi,
                LookupStatus.NOT_FOUND,
                agency=label,
                reason="registered with Crossref, but Crossref returns no record for it",
            )
        return Lookup(doi, LookupStatus.ELSEWHERE, agency=label, reason=f"registered with {label}, not Crossref")


def _work_path(doi: str) -> str:
    return "/works/" + quote(doi, safe="/:;()<>[]")


def _work_envelope(record: Record) -> bytes:
    """A batch item dressed as the /works/{doi} answer it stands in for."""
    return json.dumps(
        {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": record},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _search_params(reference: Reference, rows: int) -> dict[str, str] | None:
    """The query of a bibliographic search for `reference`; None when there is nothing to search by."""
    query = bibliographic_query(reference)
    return {"query.bibliographic": query, "rows": str(rows), "select": ",".join(SELECT)} if query else None


def _no_query() -> SearchResult:
    return SearchResult(reason="nothing to search by: no title, authors or container")


def _search_result(reply: Reply) -> SearchResult:
    if not reply.ok:
        return SearchResult(unavailable=True, reason=reply.reason or f"HTTP {reply.status}")
    return SearchResult([crossref_candidate(record) for record in _items(reply.message)])


def _items(message: Any) -> list[Record]:
    items = message.get("items") if isinstance(message, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


class _Counter:
    """Reports progress as (done, total) to an optional callback, and each answer to whoever listens
    (refkit.sources.progress)."""

    def __init__(self, total: int, callback: Progress | None, done: int = 0) -> None:
        self.total, self.callback, self.done = total, callback, done
        answered(done)
        if callback and total:
            callback(done, total)

    def add(self, count: int) -> None:
        self.done += count
        answered(count)
        if self.callback and count:
            self.callback(self.done, self.total)
