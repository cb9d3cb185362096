"""The one HTTP session refkit talks to Crossref through: cached, pooled, rate-limited, retrying.

Layering, from the outside in: requests-cache answers what it already has (a hit never reaches the layers
below, so it never waits for the limiter); a miss goes to `PoliteAdapter`, which takes a slot from the
`RateLimiter` for each attempt and retries connection errors, timeouts, truncated bodies, 429 and 5xx with
exponential backoff and jitter, honouring `Retry-After`. The limiter starts from Crossref's published limits
and follows the `X-Rate-Limit-*`, `X-Concurrency-Limit` and `X-Api-Pool` headers the server sends back.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession
from requests_cache.backends.sqlite import SQLiteDict
from requests_cache.policy.settings import DEFAULT_IGNORED_PARAMS

from refkit.config import Settings
from refkit.errors import RefkitError
from refkit.sources.addresses import IDENTIFYING_PARAMS, encode_query, is_doi_batch, url_key
from refkit.sources.answers import endpoint, read_answer
from refkit.sources.store import CACHE_DAYS, CACHE_FILE, CACHED_STATUSES, STORE_FILE, AnswerStore, Stored, cache_dir
from refkit.version import __version__

logger = logging.getLogger(__name__)

PROJECT_URL = "https://pypi.org/project/refkit-check/"

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
    counts in, whatever its algorithm; each caller waits outside the lock and takes its start under it.
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
            self._wait_turn(kind)
            yield
        finally:
            with self._condition:
                self._in_flight -= 1
                self._condition.notify()

    def _wait_turn(self, kind: Kind) -> None:
        """Sleep until a request of `kind` may start, then count it as started now. The spacing runs from
        when a request really starts, not from when it was due: a thread a busy machine wakes late must not
        let the next one start closer behind it than the limit allows."""
        while True:
            with self._condition:
                now = self._clock()
                if now >= self._next_start[kind]:
                    self._next_start[kind] = now + self.spacing(kind)
                    return
                wait = self._next_start[kind] - now
            self._sleep(wait)

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
    longest_wait: float = 60.0  # a Retry-After beyond this is not waited for: the answer is "unavailable"

    def delay(self, attempt: int, retry_after: float | None, rand: Callable[[], float]) -> float:
        """Exponential backoff with jitter (between half and all of it), never shorter than Retry-After."""
        backoff = min(self.cap, self.backoff * 2**attempt)
        return max(backoff * (0.5 + rand() / 2), retry_after or 0.0)


class Unreachable(requests.ConnectionError):
    """Not sent: the server has failed too many requests in a row, or asked for a longer pause than refkit
    waits (see `Breaker`)."""


class Refused(requests.RequestException):
    """An answer refkit will not take, or a request it will not send: a redirect to another server, a body
    past the size cap, the run's deadline passed. Not retried: another try would end the same way."""


class TooSlow(requests.Timeout):
    """The whole answer did not arrive within the per-attempt limit (a server trickling bytes keeps each
    read within requests' timeout, which is per read)."""


class Breaker:
    """Stops asking a server that has stopped answering. After `threshold` requests in a row have spent all
    their retries, requests fail at once for `cooldown` seconds; after that they are tried again, and one
    more failure opens the breaker again. Without it, a run of 1,000 entries with the network down would
    spend minutes on backoff, entry after entry. Its reasons are written to stay true once the run is
    over (no "trying again in 57 s" in a report read an hour later)."""

    def __init__(self, clock: Clock = time.monotonic, *, threshold: int = 3, cooldown: float = 60.0) -> None:
        self._clock, self.threshold, self.cooldown = clock, threshold, cooldown
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._why = ""

    def check(self) -> None:
        with self._lock:
            if self._open_until is None:
                return
            if self._open_until - self._clock() <= 0:
                self._open_until, self._failures = None, self.threshold - 1  # let requests probe again
                return
            why = self._why
        raise Unreachable(why)

    def record(self, failed: bool) -> None:
        with self._lock:
            self._failures = self._failures + 1 if failed else 0
            if self._failures >= self.threshold:
                self._open_until = self._clock() + self.cooldown
                self._why = (
                    f"not sent: {self.threshold} requests in a row had failed, "
                    f"so refkit stopped asking for {self.cooldown:g} s"
                )

    def hold(self, seconds: float, why: str) -> None:
        """Send nothing for `seconds`, giving `why` (the server asked for a longer pause than we wait)."""
        with self._lock:
            self._open_until = max(self._open_until or 0.0, self._clock() + seconds)
            self._why = f"not sent: {why}"


class Deadline:
    """The run's overall time limit (`deadline` in [tool.refkit], REFKIT_DEADLINE, --deadline): past it,
    nothing more is sent and every entry still open is "could not check", never "not found"."""

    def __init__(self, seconds: float | None, clock: Clock = time.monotonic) -> None:
        self.seconds, self._clock = seconds, clock
        self._end = clock() + seconds if seconds else math.inf

    def remaining(self) -> float:
        return self._end - self._clock()

    def check(self) -> None:
        if self.remaining() <= 0:
            raise Refused(self.reason())

    def reason(self) -> str:
        return f"not asked: the run's deadline of {self.seconds:g} s had passed"


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much one answer may cost: bytes after decompression, and seconds for the whole body."""

    max_body: int = 50 * 1024 * 1024  # far above any real answer (the recorded ones are at most a few hundred KB)
    attempt_seconds: float | None = None  # None: three read timeouts


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
        bounds: Bounds = Bounds(),
        deadline: Deadline | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.limiter, self.retry, self.breaker, self._sleep, self._rand = limiter, retry, breaker, sleep, rand
        self.bounds, self.deadline, self._clock = bounds, deadline or Deadline(None, clock), clock

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        self.deadline.check()
        self.breaker.check()
        kind = request_kind(request.url or "")
        read_timeout = _read_timeout(kwargs.get("timeout"))
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            self.deadline.check()
            kwargs["timeout"] = self._timeout(kwargs.get("timeout"))
            try:
                with self.limiter.slot(kind):
                    response = super().send(request, **{**kwargs, "stream": True})
                    limit = min(self.bounds.attempt_seconds or 3 * read_timeout, self.deadline.remaining())
                    read_body(response, self.bounds.max_body, limit, self._clock)
            except RETRYABLE_ERRORS as error:
                if last:
                    self.breaker.record(failed=True)
                    raise
                logger.debug("%s on %s; retrying", type(error).__name__, request.url)
                self._wait(self.retry.delay(attempt, None, self._rand))
                continue
            self.limiter.follow(response.headers)
            if last or not retryable_status(response.status_code):
                self.breaker.record(failed=retryable_status(response.status_code))
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.retry.longest_wait:
                why = (
                    f"the server answered HTTP {response.status_code} and asked for a {retry_after:.0f} s pause "
                    f"(Retry-After), longer than the {self.retry.longest_wait:g} s refkit waits"
                )
                self.breaker.hold(retry_after, why)
                raise Unreachable(why)
            wait = self.retry.delay(attempt, retry_after, self._rand)
            if response.status_code == 429:
                self.limiter.pause(kind, wait)
            logger.debug("HTTP %s on %s; retrying in %.2f s", response.status_code, request.url, wait)
            response.close()
            self._wait(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _timeout(self, timeout: object) -> object:
        """requests' (connect, read) timeout, neither beyond the run's deadline."""
        left = self.deadline.remaining()
        if not math.isfinite(left) or not isinstance(timeout, tuple):
            return timeout
        return tuple(min(part, max(left, 0.01)) if part else part for part in timeout)

    def _wait(self, seconds: float) -> None:
        """Sleep before a retry, unless the deadline comes first: then stop now rather than at it."""
        if seconds >= self.deadline.remaining():
            raise Refused(self.deadline.reason())
        self._sleep(seconds)


def _read_timeout(timeout: object) -> float:
    if isinstance(timeout, tuple):
        timeout = timeout[-1]
    return float(timeout) if isinstance(timeout, int | float) else 60.0


CHUNK = 64 * 1024


def read_body(response: requests.Response, max_body: int, seconds: float, clock: Clock = time.monotonic) -> None:
    """Read a streamed response's body into `response.content`, inflating gzip/deflate here with a bound on
    the output of every step, so a body past `max_body` bytes (a gzip bomb: 1 MB that inflates to 1 GiB)
    is refused after reading at most `max_body` of it, and a body that takes longer than `seconds` (a
    byte every 2 s) is cut off. `read1` returns what one read brought, so the clock is checked between reads."""
    raw = response.raw
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    inflate = _inflater(encoding)
    started = clock()
    body = bytearray()
    try:
        while chunk := raw.read1(CHUNK, decode_content=False):
            if inflate is None:
                body += chunk
            else:
                inflate.feed(chunk, body, max_body)
            if len(body) > max_body:
                raise Refused(f"the answer is larger than the {max_body // (1024 * 1024)} MB refkit reads")
            if clock() - started > seconds:
                raise TooSlow(f"the answer took longer than {seconds:.0f} s to arrive")
        if inflate is not None and not inflate.complete and body:
            raise requests.exceptions.ContentDecodingError("the compressed answer was cut off")
    except zlib.error as error:
        raise requests.exceptions.ContentDecodingError(f"the compressed answer is damaged ({error})") from error
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(str(error)) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ReadTimeout(str(error)) from error
    except Refused:
        response.close()
        raise
    response._content = bytes(body)
    response._content_consumed = True  # type: ignore[attr-defined]
    if inflate is not None:
        del response.headers["Content-Encoding"]  # what is kept is already inflated


class _Inflater:
    """gzip or deflate, member after member (a gzip stream may hold several), its output bounded whatever
    the compression ratio."""

    def __init__(self, encoding: str) -> None:
        self.wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.stream = zlib.decompressobj(self.wbits)

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        """Inflate `data` onto `out`, stopping once `out` holds more than `limit` bytes."""
        while data and len(out) <= limit:
            if self.stream.eof:
                self.stream = zlib.decompressobj(self.wbits)
            out += self.stream.decompress(data, limit + 1 - len(out))  # at least 1: 0 would mean "no limit"
            data = self.stream.unused_data if self.stream.eof else self.stream.unconsumed_tail

    @property
    def complete(self) -> bool:
        return self.stream.eof


def _inflater(encoding: str) -> _Inflater | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(encoding)
    raise Refused(f"the answer is encoded as {encoding[:20]!r}, which refkit did not ask for")


def cache_file(settings: Settings) -> Path:
    """Where the HTTP cache lives: Settings.cache_dir (--cache-dir, REFKIT_CACHE_DIR, config) or the user's."""
    return cache_dir(settings) / CACHE_FILE


def cache_key(request: requests.PreparedRequest, **_: object) -> str:
    """`url_key` as requests-cache's key function (refkit only caches bodiless GETs)."""
    return url_key(request.method or "GET", request.url or "")


def worth_keeping(response: requests.Response) -> bool:
    """A malformed answer (`answers.read_answer`) is never kept, and one kept before is dropped when read
    (requests-cache deletes what this refuses). A DOI batch (`filter=doi:…`) is not kept whole: its
    records are stored one per DOI (`remember`), where any later mix of DOIs finds them."""
    url = (response.request.url if response.request else None) or response.url or ""
    if is_doi_batch(url):
        return False
    if response.status_code not in CACHED_STATUSES:
        return True  # not stored anyway; nothing to check
    answer = read_answer(
        endpoint(url), response.status_code, response.headers.get("Content-Type", ""), response.content
    )
    return not answer.malformed


def open_cache(
    path: Path,
    *,
    offline: bool = False,
    memory: bool = False,
    keep: Callable[[requests.Response], bool] = worth_keeping,
) -> CachedSession:
    """A requests-cache session over the SQLite file at `path` (or in `memory`); `offline` answers from it
    alone (and an offline run with no cache yet gets an empty one in memory, rather than leaving a file
    behind). `keep` says which answers are well-formed enough to store (Crossref's by default)."""
    memory = memory or (offline and not path.exists())
    try:
        if not memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        return CachedSession(
            str(path),
            backend="memory" if memory else "sqlite",
            expire_after=CACHE_DAYS * 86400,
            allowable_codes=CACHED_STATUSES,
            ignored_parameters=(*DEFAULT_IGNORED_PARAMS, *IDENTIFYING_PARAMS),  # redacted from what is stored
            key_fn=cache_key,
            filter_fn=keep,
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


MAX_REDIRECTS = 5


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what a redirect may not leave."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class HttpClient:
    """A pooled, cached, polite session for one API host, shared by all worker threads: Crossref's limits
    unless `limits` gives the host's own (one policy per host: each source has its own client)."""

    def __init__(
        self,
        settings: Settings,
        *,
        limits: Limits | None = None,
        base_url: str = "",
        keep: Callable[[requests.Response], bool] = worth_keeping,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        bounds: Bounds = Bounds(),
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rand: Callable[[], float] = random.random,
        store: AnswerStore | None = None,
    ) -> None:
        self.offline = settings.offline
        self.store = store or AnswerStore.of(settings)
        self.store_failed = False
        self.keep = keep
        self.limiter = RateLimiter(limits or (POLITE if settings.mailto else PUBLIC), clock=clock, sleep=sleep)
        self.timeout = (min(settings.timeout, 10.0), settings.timeout)
        # Sent with every request: Crossref's `mailto` unless the host wants its own (a key, `tool`/`email`).
        self.params = dict(params) if params is not None else ({"mailto": settings.mailto} if settings.mailto else {})
        self.origin = origin(base_url or settings.api_url)  # the host this client may be redirected within
        path = cache_file(settings)
        # Offline with no cache file, every look-up misses: say so without computing cache keys.
        self.nothing_cached = settings.offline and not path.exists()
        try:
            self.session = open_cache(path, offline=settings.offline, keep=keep)
        except RefkitError as error:  # the run goes on, only without what earlier runs kept
            logger.warning("refkit: note: %s; this run keeps answers in memory only", error)
            self.session = open_cache(path, offline=settings.offline, memory=True, keep=keep)
            self.nothing_cached = settings.offline
        self.session.headers["User-Agent"] = user_agent(settings.mailto)
        self.session.headers.update(headers or {})  # e.g. Semantic Scholar's x-api-key (redacted when stored)
        self.session.headers["Accept-Encoding"] = "gzip"  # what `read_body` inflates, within its bounds
        self.deadline = Deadline(settings.deadline, clock)
        adapter = PoliteAdapter(
            self.limiter,
            retry or RetryPolicy(),
            Breaker(clock),
            sleep=sleep,
            rand=rand,
            bounds=bounds,
            deadline=self.deadline,
            clock=clock,
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.uncached = requests.Session()  # for when the cache file fails mid-run: the network still answers
        self.uncached.headers.update(self.session.headers)
        self.uncached.mount("http://", adapter)
        self.uncached.mount("https://", adapter)
        self.cache_failed = False
        if not settings.mailto and not settings.offline and limits is None:
            warn_anonymous()

    def query_string(self, params: Mapping[str, str]) -> str:
        """The encoded query, `mailto` included."""
        return encode_query({**params, **self.params})

    def url(self, url: str, params: Mapping[str, str] | None = None) -> str:
        query = self.query_string(params or {})
        return f"{url}?{query}" if query else url

    def get(self, url: str, params: Mapping[str, str] | None = None) -> requests.Response:
        """GET through the cache; raises requests' exceptions once the retries are spent. Redirects are
        followed only within the API's own scheme, host and port: elsewhere neither the answer (which would
        be cached as Crossref's) nor the mailto address goes. A cache that cannot be read is passed by."""
        target = self.url(url, params)
        kept = self._stored(url_key("GET", target), target)
        if kept is not None:
            return kept
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get(target)
            if not response.is_redirect:
                self._store(response)
                return response
            location = urljoin(target, response.headers.get("Location", ""))
            if origin(location) != self.origin:
                scheme, host, port = origin(location)
                raise Refused(f"redirected to {scheme}://{host}:{port}, another server; not followed")
            target = location
        raise Refused(f"more than {MAX_REDIRECTS} redirects; not followed")

    def _get(self, url: str) -> requests.Response:
        if not self.cache_failed:
            try:
                return self.session.get(url, timeout=self.timeout, allow_redirects=False)
            except sqlite3.Error as error:  # damaged or read-only: said once, then the cache is left alone
                logger.warning("refkit: note: the HTTP cache failed (%s); the rest of this run is not cached", error)
                self.cache_failed = True
        return self.uncached.get(url, timeout=self.timeout, allow_redirects=False)

    def _stored(self, key: str, url: str) -> requests.Response | None:
        """The answer the store keeps under `key`, as a response; a store that fails is passed by for the
        rest of the run, with one notice (requests-cache and the network still answer)."""
        if self.store_failed:
            return None
        try:
            kept = self.store.get(key)
        except sqlite3.Error as error:
            self._store_failed(error)
            return None
        return None if kept is None else stored_response(kept, url, key)

    def _store(self, response: requests.Response) -> None:
        """Keep a well-formed answer that came over the network (not one requests-cache had) in the store."""
        url = response.url or ""
        if (
            self.store_failed
            or getattr(response, "from_cache", False)
            or response.status_code not in CACHED_STATUSES
            or is_doi_batch(url)
            or not self.keep(response)
        ):
            return
        answer = Stored(response.status_code, response.headers.get("Content-Type", ""), response.content)
        try:
            self.store.put_many([(url_key("GET", url), answer)])
        except sqlite3.Error as error:
            self._store_failed(error)

    def _store_failed(self, error: sqlite3.Error) -> None:
        logger.warning(
            "refkit: note: the answer store %s failed (%s); this run goes on without it", self.store.path, error
        )
        self.store_failed = True

    def cached(self, url: str, params: Mapping[str, str] | None = None) -> requests.Response | None:
        """The cached answer to GET `url`, from the store, else straight from requests-cache's backend,
        skipping the session's request machinery (proxy look-ups and all), which would cost more than the
        read; None when absent, or expired while online. Raises sqlite3.Error for a cache that cannot be read."""
        target = self.url(url, params)
        key = url_key("GET", target)
        kept = self.store.get(key)
        if kept is not None:
            return stored_response(kept, target, key)
        if self.nothing_cached:
            return None
        response = self.session.cache.get_response(key)
        if response is None or (response.is_expired and not self.offline):
            return None
        return response

    def cached_many(self, urls: Iterable[str]) -> dict[str, requests.Response]:
        """`cached` for many GETs at once, by url: one SQLite query per thousand keys instead of one each
        (a cold run of 1,000 DOIs asks the cache about every one before any request may start)."""
        keys = {url_key("GET", self.url(url)): url for url in urls}
        found = {
            keys[key]: stored_response(kept, self.url(keys[key]), key)
            for key, kept in self.store.get_many(list(keys)).items()
        }
        keys = {key: url for key, url in keys.items() if url not in found}
        if self.nothing_cached or not keys:
            return found
        responses = self.session.cache.responses
        if not isinstance(responses, SQLiteDict):  # the in-memory cache of an offline run with no file
            pairs: Iterable[tuple[str, Any]] = ((key, self.session.cache.get_response(key)) for key in keys)
        else:
            pairs = _rows(responses, list(keys))
        for key, response in pairs:
            if response is not None and not (response.is_expired and not self.offline):
                found[keys[key]] = response
        return found

    def remember(
        self, answers: Iterable[tuple[str, bytes]], *, status: int = 200, content_type: str = "application/json"
    ) -> None:
        """Keep each body as the answer to GET its url, as if it had been fetched, in one transaction: a
        batch answer is stored under each DOI's own /works/{doi}, so any later mix of DOIs finds it; with
        `status` 404, what the batch left out, so that an offline run reads the absence it read online."""
        self.store.put_many(
            (url_key("GET", self.url(url)), Stored(status, content_type, body)) for url, body in answers
        )

    def forget(self, response: requests.Response) -> None:
        """Drop a response the cache kept but that turned out unusable (e.g. malformed JSON with a 200)."""
        key = getattr(response, "cache_key", None)
        if key:
            self.store.delete(key)
            self.session.cache.delete(key)

    def close(self) -> None:
        self.store.close()
        self.session.close()
        self.uncached.close()


def stored_response(kept: Stored, url: str, key: str) -> requests.Response:
    """A kept answer as the response it stands for (what the sources read of one: status, type, body)."""
    response = requests.Response()
    response.status_code, response._content, response.url = kept.status, kept.body, url
    response.reason = {200: "OK", 404: "Not Found"}.get(kept.status, "")
    response.headers["Content-Type"] = kept.content_type
    response.cache_key = key  # type: ignore[attr-defined]  # what `forget` deletes
    response.from_cache = True  # type: ignore[attr-defined]
    return response


def _rows(table: SQLiteDict, keys: list[str], chunk: int = 1000) -> Iterator[tuple[str, Any]]:
    """(key, deserialised response) of the keys the table holds. The keys are hex digests (`url_key`), so
    they are written into the query (requests-cache does the same: placeholders misbehave under threads)."""
    with table.connection() as connection:
        for start in range(0, len(keys), chunk):
            listed = ",".join(f"'{key}'" for key in keys[start : start + chunk] if key.isalnum())
            rows = connection.execute(f"SELECT key, value FROM {table.table_name} WHERE key IN ({listed})")
            for key, value in rows.fetchall():
                yield key, table.deserialize(key, value)


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What `refkit cache info` shows: requests-cache's file and the answer store beside it (an answer
    fetched on its own is kept in both, under the same key: `responses` counts it once)."""

    path: Path
    exists: bool
    size: int  # bytes on disk, both files
    responses: int  # distinct answers
    stored: int = 0  # of them in the answer store
    in_requests_cache: int = 0
    store_path: Path | None = None
    backend: str = "sqlite (requests-cache), with an answer store read by sqlite3 alone"


def cache_stats(path: Path) -> CacheStats:
    """Raises RefkitError, in one line, for a file that cannot be read."""
    stored = _store_keys(path.with_name(STORE_FILE))
    kept = set()
    if path.exists():
        session = open_cache(path, offline=True)
        try:
            kept = set(session.cache.responses.keys())
        finally:
            session.close()
    store_path = path.with_name(STORE_FILE)
    size = sum(part.stat().st_size for part in (path, store_path) if part.is_file())
    return CacheStats(
        path,
        exists=path.exists() or store_path.exists(),
        size=size,
        responses=len(stored | kept),
        stored=len(stored),
        in_requests_cache=len(kept),
        store_path=store_path,
    )


def _store_keys(path: Path) -> set[str]:
    store = AnswerStore(path, offline=True)
    try:
        return store.keys()
    except sqlite3.Error as error:
        raise RefkitError(f"{path}: cannot use the answer store ({error}); `refkit cache clear` resets it") from error
    finally:
        store.close()


def clear_cache(path: Path) -> int:
    """Remove every cached response, from requests-cache's file and the answer store; returns how many
    distinct ones there were (a file too damaged to open is deleted, and what it held is not counted)."""
    store_path = path.with_name(STORE_FILE)
    try:
        stored = _store_keys(store_path)
    except RefkitError:
        stored = set()
    removed = _clear_requests_cache(path)
    if store_path.is_file():
        store = AnswerStore(store_path)
        try:
            store.clear()
        except sqlite3.Error:  # damaged: nothing in it is worth keeping, so the file goes
            store.close()
            _remove(store_path)
        finally:
            store.close()
    return len(stored | removed)


def _clear_requests_cache(path: Path) -> set[str]:
    """Empty requests-cache's file; the keys it held (none known for a damaged file, which is removed)."""
    if not path.exists():
        return set()
    try:
        session = open_cache(path, offline=True)
    except RefkitError:
        _remove(path)
        return set()
    try:
        keys = set(session.cache.responses.keys())
        session.cache.clear()
    except sqlite3.Error:  # partly damaged: nothing in it is worth keeping, so the file goes
        session.close()
        _remove(path)
        return set()
    session.close()
    return keys


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError as error:  # a folder in its place, or no permission: nothing this command may fix
        raise RefkitError(f"{path}: cannot remove the HTTP cache ({error.strerror})") from error
