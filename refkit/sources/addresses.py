"""What an API address says, with the standard library alone: its cache key, its query, whether it is a DOI
batch. Kept apart from the HTTP client so that reading kept answers (refkit.sources.store) imports neither
requests nor requests-cache."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from refkit.errors import RefkitError

# Parameters that say who asks, not what: left out of cache keys (whoever asks, the answer is the same) and
# redacted from what the cache stores, so no key reaches a file.
IDENTIFYING_PARAMS = ("mailto", "email", "tool", "api_key")
QUERY_SAFE = ":/,"  # legal in a query and left literal, so more DOIs fit on the request line


def encode_query(params: Mapping[str, str]) -> str:
    return urlencode(params, safe=QUERY_SAFE, quote_via=quote)


def url_key(method: str, url: str) -> str:
    """The cache key: method, host, path and query with escapes decoded and parameters sorted, those that
    say who asks (`IDENTIFYING_PARAMS`) left out: whoever asks, the answer is the same. Cheap enough that a
    warm run of 1,000 DOIs is bound by reading, not by keying."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((name, value) for name, value in pairs if name not in IDENTIFYING_PARAMS)
    text = f"{method.upper()} {parts.scheme.lower()}://{parts.netloc.lower()}{unquote(parts.path)}?{query!r}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def checked_base_url(url: str, what: str, where: str) -> str:
    """The base URL without a trailing slash. Anything but an http(s) URL is refused up front (`where` says
    where it was set): requests would otherwise fail each entry with a paragraph-long reason."""
    base = url.strip().rstrip("/")
    try:
        parts = urlsplit(base)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[::1" and other URLs urllib cannot take apart
        usable = False
    if not usable or any(char.isspace() for char in base):
        raise RefkitError(f"{url!r} is not an http(s) URL for {what} ({where})")
    return base


def is_doi_batch(url: str) -> bool:
    """A list request for DOIs (`filter=doi:…`): not kept whole, its records are stored one per DOI."""
    return any(name == "filter" and value.startswith("doi:") for name, value in parse_qsl(urlsplit(url).query))
