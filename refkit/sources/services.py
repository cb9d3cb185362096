"""What the web services beyond Crossref share: keys from the environment (never from a file), identifiers
asked many to a request with each answer kept in the cache under the identifier's own one-record address (so
any later mix of identifiers, or an offline run, finds it there), and requests spread over the connections
a service allows."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import requests

from refkit.sources.base import Lookup, LookupStatus
from refkit.sources.crossref import OFFLINE_MISS, describe_error
from refkit.sources.http import HttpClient
from refkit.sources.progress import answered
from refkit.sources.web import Fetched

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def environment_key(variables: Sequence[str]) -> str:
    """The first of these environment variables that is set: API keys live in the environment only."""
    return next((value.strip() for name in variables if (value := os.environ.get(name, "")).strip()), "")


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def cached(client: HttpClient, urls: Mapping[str, str]) -> dict[str, Fetched]:
    """The answers (200 or 404) the cache already holds, by identifier, without a request."""
    found = {}
    for identifier, url in urls.items():
        try:
            response = client.cached(url)
        except sqlite3.Error:  # a damaged cache answers nothing; the request is made instead
            response = None
        if response is not None and response.status_code in (200, 404):
            found[identifier] = Fetched.of(response)
    return found


def remember_each(
    client: HttpClient,
    answers: Iterable[tuple[str, bytes]],
    what: str,
    absent: Iterable[tuple[str, bytes]] = (),
    absent_type: str = "application/json",
) -> None:
    """Store each body as the answer to GET its address, and each of `absent` as its 404 (what a batch left
    out: offline, the cache then says "not found" as the service did, not "unavailable"); a cache that
    cannot be written loses only the next run's hits."""
    try:
        client.remember(answers)
        client.remember(absent, status=404, content_type=absent_type)
    except sqlite3.Error as error:
        logger.warning("refkit: could not cache %s records (%s)", what, error)


def in_parallel(
    work: Callable[[T], R], items: Sequence[T], workers: int, count: Callable[[R], int] = lambda _: 1
) -> list[R]:
    """`work` on each item, in order, on as many connections as the service allows; each result reported
    (refkit.sources.progress) in the calling thread, where the caller listens, as it comes in, as `count`
    look-ups answered (one, or a batch's size)."""
    results: list[R] = []
    if workers < 2 or len(items) < 2:
        for item in items:
            results.append(work(item))
            answered(count(results[-1]))
        return results
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(work, items):
            results.append(result)
            answered(count(result))
    return results


def cached_or_batched(
    client: HttpClient,
    wanted: Sequence[str],
    single: Callable[[str], str],
    settle: Callable[[str, Fetched], Lookup],
    batch: Callable[[list[str]], dict[str, Lookup]],
    size: int,
    workers: int = 1,
) -> dict[str, Lookup]:
    """Each identifier's answer: the one the cache holds under its one-record address (`single`), else,
    online, from batches of `size` asked `workers` at once; offline, a miss is unavailable."""
    answers = {
        identifier: settle(identifier, fetched)
        for identifier, fetched in cached(client, {i: single(i) for i in wanted}).items()
    }
    missing = [identifier for identifier in wanted if identifier not in answers]
    if client.offline:
        return answers | {i: Lookup(i, LookupStatus.UNAVAILABLE, reason=OFFLINE_MISS) for i in missing}
    for found in in_parallel(batch, chunks(missing, size), workers, count=len):
        answers |= found
    return answers


def post_json(client: HttpClient, url: str, params: Mapping[str, str], payload: object) -> Fetched:
    """POST a JSON body through the polite client (limited and retried like a GET, never cached); network
    trouble is a reason, not an error."""
    try:
        response = client.session.post(
            client.url(url, params), json=payload, timeout=client.timeout, headers={"Content-Type": "application/json"}
        )
    except (requests.RequestException, sqlite3.Error) as error:
        return Fetched(0, reason=describe_error(error, client.timeout[1]))
    return Fetched.of(response)
