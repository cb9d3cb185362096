"""The one HTTP session refkit talks to Crossref through: cached, pooled, rate-limited, retrying.

Layering, from the outside in: requests-cache answers what it already has (a hit never reaches the layers
below, so it never waits for the limiter); a miss goes to `PoliteAdapter`, which takes a slot from the
`RateLimiter` for each attempt and retries connection errors, timeouts, truncated bodies, 429 and 5xx with
exponential backoff and jitter, honouring `Retry-After`. The limiter starts from Crossref's published limits
and follows the `X-Rate-Limit-*`, `X-Concurrency-Limit` and `X-Api-Pool` headers the server sends back.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import platformdirs
import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession, get_expiration_datetime
from requests_cache.policy.settings import DEFAULT_IGNORED_PARAMS
from urllib3 import HTTPResponse

from refkit import __version__
from refkit.config import Settings
from refkit.errors import RefkitError

logger = logging.getLogger(__name__)

PROJECT_URL = "https://pypi.org/project/refkit-check/"
CACHE_FILE = "http.sqlite"
CACHE_DAYS = 30  # Crossref records change rarely; corrections and retractions show up within a month
CACHED_STATUSES = (200, 404)  # answers; 4xx/5xx errors and 429s are never cached

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Kind(StrEnum):
    """Crossref limits single-record requests and list requests (queries, filters) separately."""

    SINGLE = "single"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Limits:
    single: float  # requests per interval for /works/{doi} and /works/{doi}/agency
    list: float  # requests per interval for /works?filter=… and /works?query…=…
    interval: float  # seconds
    concurrency: int


# Crossref's published limits since 1 December 2025.
POLITE = Limits(single=10, list=3, interval=1.0, concurrency=3)
PUBLIC = Limits(single=5, list=1, interval=1.0, concurrency=1)
POOLS = {"polite": POLITE, "public": PUBLIC}  # by the X-Api-Pool header's value


def request_kind(url: str) -> Kind:
    """A path ending in /works is a list request (query or filter); anything below it is one record."""
    return Kind.LIST if urlsplit(url).path.rstrip("/").endswith("/works") else Kind.SINGLE


def parse_interval(value: str) -> float | None:
    """'1s' → 1.0, '500ms' → 0.5, '1m' → 60.0; None when unreadable."""
    text = value.strip().lower()
    for suffix, scale in (("ms", 0.001), ("s", 1.0), ("m", 60.0), ("", 1.0)):
        if text.endswith(suffix):
            try:
                number = float(text[: len(text) - len(suffix)] if suffix else text)
            except ValueError:
                return None
            return number * scale if number > 0 else None
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header, which is either a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RateLimiter:
    """Spaces request starts evenly per kind and bounds how many are in flight at once.

    Even spacing (with a small safety margin) rather than bursts keeps us inside any window the server
    counts in, whatever its algorithm; each caller reserves the next start time under a lock and sleeps
    until then outside it.
    """

    def __init__(
        self, limits: Limits, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep, margin: float = 0.05
    ) -> None:
        self._clock, self._sleep, self._margin = clock, sleep, margin
        self._condition = threading.Condition()
        self._rate = {Kind.SINGLE: limits.single, Kind.LIST: limits.list}
        self._interval = {Kind.SINGLE: limits.interval, Kind.LIST: limits.interval}
        self._next_start = {Kind.SINGLE: 0.0, Kind.LIST: 0.0}
        self.concurrency = limits.concurrency
        self._in_flight = 0

    def spacing(self, kind: Kind) -> float:
        return self._interval[kind] / self._rate[kind] * (1 + self._margin)

    def rate(self, kind: Kind) -> tuple[float, float]:
        """(requests, per seconds) currently followed for `kind`."""
        return self._rate[kind], self._interval[kind]

    @contextmanager
    def slot(self, kind: Kind) -> Iterator[None]:
        """Hold one of the concurrent slots and start no earlier than the rate allows."""
        with self._condition:
            while self._in_flight >= self.concurrency:
                self._condition.wait()
            self._in_flight += 1
        try:
            with self._condition:
                now = self._clock()
                start = max(now, self._next_start[kind])
                self._next_start[kind] = start + self.spacing(kind)
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            with self._condition:
                self._in_flight -= 1
                self._condition.notify()

    def pause(self, kind: Kind, seconds: float) -> None:
        """Start nothing of `kind` for `seconds` (the server said 429)."""
        with self._condition:
            self._next_start[kind] = max(self._next_start[kind], self._clock() + seconds)

    def follow(self, headers: Mapping[str, str]) -> None:
        """Adopt the limits the server announces. Its one `X-Rate-Limit-Limit` is the single-record limit
        whatever the request (recorded polite answers to /works?query say 10 where lists are allowed 3), so
        lists follow the published limit of the pool `X-Api-Pool` names, and never go faster than singles."""
        limit = _positive_number(headers.get("X-Rate-Limit-Limit"))
        interval = parse_interval(headers.get("X-Rate-Limit-Interval") or "")
        concurrency = _positive_number(headers.get("X-Concurrency-Limit"))
        pool = POOLS.get((headers.get("X-Api-Pool") or "").strip().lower())
        with self._condition:
            self._rate[Kind.SINGLE] = limit or self._rate[Kind.SINGLE]
            self._interval[Kind.SINGLE] = interval or self._interval[Kind.SINGLE]
            if pool:
                self._rate[Kind.LIST], self._interval[Kind.LIST] = pool.list, pool.interval
            if self.spacing(Kind.LIST) < self.spacing(Kind.SINGLE):
                self._rate[Kind.LIST], self._interval[Kind.LIST] = self.rate(Kind.SINGLE)
            if concurrency and int(concurrency) != self.concurrency:
                self.concurrency = int(concurrency)
                self._condition.notify_all()


def _positive_number(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number and number > 0 else None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    cap: float = 30.0  # longest backoff
    longest_wait: float = 120.0  # a Retry-After beyond this is not waited for: the answer is "unavailable"

    def delay(self, attempt: int, retry_after: float | None, rand: Callable[[], float]) -> float:
        """Exponential backoff with jitter (between half and all of it), never shorter than Retry-After."""
        backoff = min(self.cap, self.backoff * 2**attempt)
        return max(backoff * (0.5 + rand() / 2), retry_after or 0.0)


class Unreachable(requests.ConnectionError):
    """Not sent: the server has failed too many requests in a row (see `Breaker`)."""


class Breaker:
    """Stops asking a server that has stopped answering. After `threshold` requests in a row have spent all
    their retries, requests fail at once for `cooldown` seconds; after that they are tried again, and one
    more failure opens the breaker again. Without it, a run of 1,000 entries with the network down would
    spend minutes on backoff, entry after entry."""

    def __init__(self, clock: Clock = time.monotonic, *, threshold: int = 3, cooldown: float = 60.0) -> None:
        self._clock, self.threshold, self.cooldown = clock, threshold, cooldown
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None

    def check(self) -> None:
        with self._lock:
            if self._open_until is None:
                return
            wait = self._open_until - self._clock()
            if wait <= 0:
                self._open_until, self._failures = None, self.threshold - 1  # let requests probe again
                return
        raise Unreachable(f"not sent: the last {self.threshold} requests failed; trying again in {wait:.0f} s")

    def record(self, failed: bool) -> None:
        with self._lock:
            self._failures = self._failures + 1 if failed else 0
            if self._failures >= self.threshold:
                self._open_until = self._clock() + self.cooldown


RETRYABLE_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def retryable_status(status: int) -> bool:
    return status == 429 or status >= 500


class PoliteAdapter(HTTPAdapter):
    """The transport under the cache: only cache misses come here, so only they are limited and retried."""

    def __init__(
        self,
        limiter: RateLimiter,
        retry: RetryPolicy,
        breaker: Breaker,
        *,
        sleep: Sleep = time.sleep,
        rand: Callable[[], float] = random.random,
        pool_size: int = 10,
    ) -> None:
        super().__init__(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.limiter, self.retry, self.breaker, self._sleep, self._rand = limiter, retry, breaker, sleep, rand

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        self.breaker.check()
        kind = request_kind(request.url or "")
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            try:
                with self.limiter.slot(kind):
                    response = super().send(request, **kwargs)
                    _ = response.content  # read the body here, so a truncated one is a failed attempt
            except RETRYABLE_ERRORS as error:
                if last:
                    self.breaker.record(failed=True)
                    raise
                logger.debug("%s on %s; retrying", type(error).__name__, request.url)
                self._sleep(self.retry.delay(attempt, None, self._rand))
                continue
            self.limiter.follow(response.headers)
            if last or not retryable_status(response.status_code):
                self.breaker.record(failed=retryable_status(response.status_code))
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.retry.longest_wait:
                self.breaker.record(failed=True)
                return response
            wait = self.retry.delay(attempt, retry_after, self._rand)
            if response.status_code == 429:
                self.limiter.pause(kind, wait)
            logger.debug("HTTP %s on %s; retrying in %.2f s", response.status_code, request.url, wait)
            response.close()
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


QUERY_SAFE = ":/,"  # legal in a query and left literal, so more DOIs fit on the request line


def encode_query(params: Mapping[str, str]) -> str:
    return urlencode(params, safe=QUERY_SAFE, quote_via=quote)


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("refkit"))


def cache_file(settings: Settings) -> Path:
    """Where the HTTP cache lives: Settings.cache_dir (--cache-dir, REFKIT_CACHE_DIR, config) or the user's."""
    return (settings.cache_dir or default_cache_dir()) / CACHE_FILE


def url_key(method: str, url: str) -> str:
    """The cache key: method, host, path and query with escapes decoded and parameters sorted, `mailto`
    left out (whoever asks, the answer is the same). Cheap enough that a warm run of 1,000 DOIs is
    bound by reading, not by keying."""
    parts = urlsplit(url)
    query = sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "mailto")
    text = f"{method.upper()} {parts.scheme.lower()}://{parts.netloc.lower()}{unquote(parts.path)}?{query!r}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def cache_key(request: requests.PreparedRequest, **_: object) -> str:
    """`url_key` as requests-cache's key function (refkit only caches bodiless GETs)."""
    return url_key(request.method or "GET", request.url or "")


def worth_keeping(response: requests.Response) -> bool:
    """A DOI batch (`filter=doi:…`) is not kept whole: its records are stored one per DOI (`remember`),
    where any later mix of DOIs finds them."""
    query = urlsplit(response.request.url or "").query if response.request else ""
    return not any(name == "filter" and value.startswith("doi:") for name, value in parse_qsl(query))


def open_cache(path: Path, *, offline: bool = False) -> CachedSession:
    """A requests-cache session over the SQLite file at `path`; `offline` answers from it alone (and an
    offline run with no cache yet gets an empty one in memory, rather than leaving a file behind)."""
    memory = offline and not path.exists()
    try:
        if not memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        return CachedSession(
            str(path),
            backend="memory" if memory else "sqlite",
            expire_after=CACHE_DAYS * 86400,
            allowable_codes=CACHED_STATUSES,
            ignored_parameters=(*DEFAULT_IGNORED_PARAMS, "mailto"),  # redacted from what is stored
            key_fn=cache_key,
            filter_fn=worth_keeping,
            stale_if_error=True,  # a stale record beats "unverified" when Crossref is down
            only_if_cached=offline,
        )
    except (OSError, sqlite3.Error) as error:
        hint = "; `refkit cache clear` resets it" if path.is_file() else ""  # a damaged file, not a bad folder
        raise RefkitError(f"{path}: cannot use the HTTP cache ({error}){hint}") from error


def user_agent(mailto: str) -> str:
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"refkit/{__version__} ({PROJECT_URL}{contact})"


@functools.cache
def warn_anonymous() -> None:
    """Said once per process: without an address Crossref puts us in the slower public pool."""
    logger.warning(
        "refkit: no mailto address set (--mailto, REFKIT_MAILTO or [tool.refkit] mailto); "
        "Crossref serves anonymous clients from its slower public pool"
    )


class HttpClient:
    """A pooled, cached, polite session for one API host, shared by all worker threads: Crossref's limits
    unless `limits` gives the host's own (one policy per host: each source has its own client)."""

    def __init__(
        self,
        settings: Settings,
        *,
        limits: Limits | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.offline = settings.offline
        self.limiter = RateLimiter(limits or (POLITE if settings.mailto else PUBLIC), clock=clock, sleep=sleep)
        self.timeout = (min(settings.timeout, 10.0), settings.timeout)
        self.params = {"mailto": settings.mailto} if settings.mailto else {}
        path = cache_file(settings)
        # Offline with no cache file, every look-up misses: say so without computing cache keys.
        self.nothing_cached = settings.offline and not path.exists()
        self.session = open_cache(path, offline=settings.offline)
        self.session.headers["User-Agent"] = user_agent(settings.mailto)
        adapter = PoliteAdapter(self.limiter, retry or RetryPolicy(), Breaker(clock), sleep=sleep, rand=rand)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        if not settings.mailto and not settings.offline and limits is None:
            warn_anonymous()

    def query_string(self, params: Mapping[str, str]) -> str:
        """The encoded query, `mailto` included."""
        return encode_query({**params, **self.params})

    def url(self, url: str, params: Mapping[str, str] | None = None) -> str:
        query = self.query_string(params or {})
        return f"{url}?{query}" if query else url

    def get(self, url: str, params: Mapping[str, str] | None = None) -> requests.Response:
        """GET through the cache; raises requests' exceptions once the retries are spent."""
        return self.session.get(self.url(url, params), timeout=self.timeout)

    def cached(self, url: str, params: Mapping[str, str] | None = None) -> requests.Response | None:
        """The cached answer to GET `url` straight from the cache backend, skipping the session's request
        machinery (proxy look-ups and all), which would cost more than the read; None when absent, or
        expired while online."""
        if self.nothing_cached:
            return None
        response = self.session.cache.get_response(url_key("GET", self.url(url, params)))
        if response is None or (response.is_expired and not self.offline):
            return None
        return response

    def remember(self, answers: Iterable[tuple[str, bytes]]) -> None:
        """Keep each body as the JSON answer to GET its url, as if it had been fetched, in one transaction:
        a batch answer is stored under each DOI's own /works/{doi}, so any later mix of DOIs finds it."""
        cache = self.session.cache
        expires = get_expiration_datetime(self.session.settings.expire_after)
        bulk = getattr(cache.responses, "bulk_commit", nullcontext)  # SQLite: one transaction
        with bulk():
            for url, body in answers:
                response = requests.Response()
                response.status_code, response.reason, response._content = 200, "OK", body
                response.headers["Content-Type"] = "application/json"
                response.request = requests.Request("GET", self.url(url)).prepare()
                response.url = response.request.url or url
                response.raw = HTTPResponse(
                    body=b"",
                    headers=dict(response.headers),
                    status=200,
                    version=11,
                    preload_content=False,
                    request_url=response.url,
                )
                cache.save_response(response, url_key("GET", response.url), expires=expires)

    def forget(self, response: requests.Response) -> None:
        """Drop a response the cache kept but that turned out unusable (e.g. malformed JSON with a 200)."""
        key = getattr(response, "cache_key", None)
        if key:
            self.session.cache.delete(key)

    def close(self) -> None:
        self.session.close()


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What `refkit cache info` shows."""

    path: Path
    exists: bool
    size: int  # bytes on disk
    responses: int
    backend: str = "sqlite (requests-cache)"


def cache_stats(path: Path) -> CacheStats:
    if not path.exists():
        return CacheStats(path, exists=False, size=0, responses=0)
    session = open_cache(path, offline=True)
    try:
        return CacheStats(path, exists=True, size=path.stat().st_size, responses=len(session.cache.responses))
    finally:
        session.close()


def clear_cache(path: Path) -> int:
    """Remove every cached response; returns how many there were (0 for a file too damaged to open,
    which is deleted)."""
    if not path.exists():
        return 0
    try:
        session = open_cache(path, offline=True)
    except RefkitError:
        try:
            path.unlink()
        except OSError as error:  # a folder in its place, or no permission: nothing this command may fix
            raise RefkitError(f"{path}: cannot remove the HTTP cache ({error.strerror})") from error
        return 0
    try:
        count = len(session.cache.responses)
        session.cache.clear()
    finally:
        session.close()
    return count
