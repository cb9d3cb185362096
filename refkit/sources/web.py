"""One GET for the sources beyond Crossref: through the polite client (cache, limits, retries), or from
the cache alone when offline; never raising for network trouble, so each source turns the answer into its
own dialect's meaning."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import requests

from refkit.sources.addresses import checked_base_url
from refkit.sources.crossref import OFFLINE_MISS, describe_error
from refkit.sources.http import HttpClient


@dataclass(slots=True)
class Fetched:
    """What came back: the HTTP status (0 when nothing did), the body, and why there is no usable answer."""

    status: int
    body: bytes = b""
    content_type: str = ""
    reason: str = ""
    retry_after: str = ""

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @classmethod
    def of(cls, response: requests.Response) -> Fetched:
        """A response as the sources read it."""
        return cls(
            response.status_code,
            response.content or b"",
            response.headers.get("Content-Type", ""),
            retry_after=response.headers.get("Retry-After", "") or "",
        )


def fetch(client: HttpClient, url: str, params: dict[str, str] | None = None) -> Fetched:
    """GET `url` (cached); an offline cache miss, a failed connection or a timeout is a reason, not an error."""
    try:
        if client.offline:
            response = client.cached(url, params)
            if response is None:
                return Fetched(504, reason=OFFLINE_MISS)
        else:
            response = client.get(url, params)
    except (requests.RequestException, sqlite3.Error) as error:
        return Fetched(0, reason=describe_error(error, client.timeout[1]))
    return Fetched.of(response)


def base_url(url: str, what: str) -> str:
    """The base URL without a trailing slash; anything but an http(s) URL is refused up front."""
    name = what.lower()
    return checked_base_url(url, what, f"{name}-url in [tool.refkit], REFKIT_{name.upper()}_URL")


def failure(fetched: Fetched, what: str) -> str:
    """Why an answer that is not a 200 (nor a dialect's not-found) cannot be used."""
    if fetched.reason:
        return fetched.reason
    if fetched.status == 429:
        wait = f", retry after {fetched.retry_after} s" if fetched.retry_after else ""
        return f"{what} is rate-limiting us (HTTP 429{wait})"
    return f"{what} answered HTTP {fetched.status}"
