"""A fake Crossref REST API on 127.0.0.1 that speaks the real one's dialect.

Routes: `/works/{doi}` (a `work` envelope, or 404 plain text "Resource not found."), `/works/{doi}/agency`,
and `/works` with `filter=doi:…` and/or `query.bibliographic=` (a `work-list`; `rows`, `offset`, `select`).
JSON is compact with `/` escaped as `\\/`, like Crossref's. Every answer carries the rate-limit headers of
its pool (polite when the client sends a `mailto`), which like Crossref's give the single-record limit even on
list answers; the list limit is enforced, never announced. Knobs for tests:
latency, enforcing the limits (429 with Retry-After past them, counted), and scripted failures.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakecrossref.records import Record, RecordStore
from tests.localserver import LocalServer

MAX_ROWS = 1000
MAX_REQUEST_LINE = 4096  # bytes of "GET <target> HTTP/1.1" Crossref reads
INTERVAL = 1.0  # seconds; the window the limits are counted in
AGENCY_LABELS = {
    "crossref": "Crossref",
    "datacite": "DataCite",
    "medra": "mEDRA",
    "jalc": "JaLC",
    "kisti": "KISTI",
    "airiti": "Airiti",
    "cnki": "CNKI",
    "op": "OP",
}
# Prefixes registered with other agencies: Zenodo and arXiv DOIs are DataCite's.
DEFAULT_AGENCIES = {"10.5281/": "datacite", "10.48550/": "datacite"}
FILTERS = ("doi",)
NOT_FOUND = b"Resource not found."


@dataclass(frozen=True, slots=True)
class PoolLimits:
    single: int
    list: int
    concurrency: int


# Crossref's published limits since 1 December 2025.
LIMITS = {"polite": PoolLimits(single=10, list=3, concurrency=3), "public": PoolLimits(single=5, list=1, concurrency=1)}


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    fault: str = ""  # "truncated": promise more bytes than sent; "reset": close without answering


def crossref_json(data: Any) -> bytes:
    """Compact JSON with escaped slashes, as Crossref writes it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/").encode("utf-8")


def envelope(message_type: str, message: Any) -> bytes:
    return crossref_json({"status": "ok", "message-type": message_type, "message-version": "1.0.0", "message": message})


def validation_failure(kind: str, value: str, message: str) -> Reply:
    body = crossref_json(
        {
            "status": "failed",
            "message-type": "validation-failure",
            "message": [{"type": kind, "value": value, "message": message}],
        }
    )
    return Reply(400, body, "application/json;charset=utf-8")


def scripted_reply(fault: int | str) -> Reply:
    """What a scripted failure looks like on the wire."""
    if isinstance(fault, int):
        return Reply(fault, f"HTTP {fault}".encode(), "text/plain")
    if fault == "html":
        return Reply(
            200, b"<!DOCTYPE html><html><body><h1>Service maintenance</h1></body></html>", "text/html;charset=utf-8"
        )
    if fault == "malformed":
        return Reply(200, b'{"status":"ok","message-type":"work","message":{"DOI":', "application/json")
    if fault in ("truncated", "reset"):
        return Reply(
            200, b'{"status":"ok","message-type":"work-list","message":{"items":[', "application/json", fault=fault
        )
    raise ValueError(f"unknown scripted fault {fault!r}")


class FakeCrossref(LocalServer):
    """The server object: routes, limits and counters; `start()` runs it on a background thread."""

    name = "crossref"

    def __init__(
        self,
        records: RecordStore | Iterable[Record],
        *,
        port: int = 0,
        latency: float = 0.0,
        enforce_limits: bool = False,
        limits: Mapping[str, PoolLimits] = LIMITS,
        agencies: Mapping[str, str] = DEFAULT_AGENCIES,
        retry_after: int | None = None,
        send_rate_headers: bool = True,
    ) -> None:
        self.store = records if isinstance(records, RecordStore) else RecordStore(records)
        self.latency, self.enforce_limits, self.limits = latency, enforce_limits, dict(limits)
        self.send_rate_headers = send_rate_headers
        self.agencies = dict(agencies)
        self.retry_after = retry_after  # fixed Retry-After on 429s; None: until the window frees up
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, params) of every request received
        self.served: Counter[str] = Counter()  # by kind: "single", "list"
        self.rejected = 0  # 429s served
        self._script: deque[tuple[int | str, str]] = deque()
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._in_flight: Counter[str] = Counter()
        super().__init__(_Handler, port)

    def script(self, *faults: int | str, path: str = "") -> None:
        """Answer the next requests (whose path contains `path`) with these faults, in order: an HTTP
        status, or "html", "malformed", "truncated", "reset"."""
        with self._lock:
            self._script.extend((fault, path) for fault in faults)

    # -- limits ---------------------------------------------------------------------------------------------

    def rate_headers(self, pool: str) -> dict[str, str]:
        if not self.send_rate_headers:
            return {}
        limits = self.limits[pool]
        return {
            "x-rate-limit-limit": str(limits.single),
            "x-rate-limit-interval": f"{INTERVAL:g}s",
            "x-concurrency-limit": str(limits.concurrency),
            "x-api-pool": pool,
        }

    def admit(self, pool: str, kind: str) -> float | None:
        """Count a request in; when enforcing and past a limit, the seconds to wait instead."""
        with self._lock:
            now = time.monotonic()
            window = self._windows.setdefault((pool, kind), deque())
            while window and window[0] <= now - INTERVAL:
                window.popleft()
            limits = self.limits[pool]
            if self.enforce_limits and (
                self._in_flight[pool] >= limits.concurrency or len(window) >= getattr(limits, kind)
            ):
                self.rejected += 1
                return window[0] + INTERVAL - now if window else INTERVAL
            window.append(now)
            self._in_flight[pool] += 1
            self.served[kind] += 1
            return None

    def release(self, pool: str) -> None:
        with self._lock:
            self._in_flight[pool] -= 1

    def next_fault(self, path: str) -> int | str | None:
        with self._lock:
            for index, (fault, where) in enumerate(self._script):
                if where in path:
                    del self._script[index]
                    return fault
        return None

    # -- routes -----------------------------------------------------------------------------------------

    def route(self, path: str, params: dict[str, str]) -> Reply:
        if path in ("/works", "/works/"):
            return self.work_list(params)
        if path.startswith("/works/") and path.endswith("/agency"):
            return self.agency(path[len("/works/") : -len("/agency")])
        if path.startswith("/works/"):
            if any(name.startswith("query") for name in params):
                return validation_failure(
                    "parameter-not-allowed", "query.*", "This route does not support field query parameters"
                )
            record = self.store.get(path[len("/works/") :])
            if record is None:
                return Reply(404, NOT_FOUND, "text/plain")
            return Reply(200, envelope("work", record))
        return Reply(404, NOT_FOUND, "text/plain")

    def agency(self, doi: str) -> Reply:
        if self.store.get(doi) is not None:
            agency = "crossref"
        else:
            agency = next((name for prefix, name in self.agencies.items() if doi.lower().startswith(prefix)), "")
        if not agency:
            return Reply(404, NOT_FOUND, "text/plain")
        label = AGENCY_LABELS.get(agency, agency)
        return Reply(200, envelope("work-agency", {"DOI": doi.lower(), "agency": {"id": agency, "label": label}}))

    def work_list(self, params: dict[str, str]) -> Reply:
        rows, offset = params.get("rows", "20"), params.get("offset", "0")
        for name, value in (("rows", rows), ("offset", offset)):
            if not value.isdigit() or (name == "rows" and int(value) > MAX_ROWS):
                return validation_failure(
                    "integer-not-valid",
                    value,
                    f"Integer specified as {value} but must be a positive integer less than or equal to {MAX_ROWS}. ",
                )
        dois, failure = _doi_filter(params.get("filter", ""))
        if failure:
            return failure
        query = " ".join(value for name, value in params.items() if name == "query" or name.startswith("query."))
        if query:
            ranked = self.store.search(query)
            if dois is not None:
                ranked = [(score, record) for score, record in ranked if record["DOI"].lower() in dois]
            items = [{**record, "score": score} for score, record in ranked]
        elif dois is not None:
            items = [{**record, "score": 0.0} for doi in sorted(dois) if (record := self.store.get(doi))]
        else:
            items = [{**record, "score": 1.0} for record in self.store.by_doi.values()]
        selected = [field.strip() for field in params.get("select", "").split(",") if field.strip()]
        page = items[int(offset) : int(offset) + int(rows)]
        if selected:
            page = [{key: item[key] for key in selected if key in item} for item in page]
        message = {
            "facets": {},
            "total-results": len(items),
            "items": page,
            "items-per-page": int(rows),
            "query": {"start-index": int(offset), "search-terms": params.get("query")},
        }
        return Reply(200, envelope("work-list", message))


def _doi_filter(text: str) -> tuple[set[str] | None, Reply | None]:
    """The DOIs of `filter=doi:A,doi:B`; None when there is no DOI filter; a 400 for unknown filters."""
    if not text:
        return None, None
    dois: set[str] = set()
    for part in text.split(","):
        name, _, value = part.partition(":")
        if name not in FILTERS:
            return None, validation_failure(
                "filter-not-available",
                name,
                f"Filter {name} specified but there is no such filter for this route. "
                f"Valid filters for this route are: {', '.join(FILTERS)}",
            )
        dois.add(value.lower())
    return dois, None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would hold the body ~40 ms
    server_version = "fake-crossref"

    def do_GET(self) -> None:
        fake: FakeCrossref = self.server.fake  # type: ignore[attr-defined]
        if len(self.requestline) > MAX_REQUEST_LINE:
            self._send(Reply(414, b"URI Too Long", "text/plain"))
            return
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        with fake._lock:
            fake.requests.append((path, params))
        pool = "polite" if params.get("mailto") or "mailto:" in self.headers.get("User-Agent", "") else "public"
        kind = "list" if path.rstrip("/") == "/works" else "single"
        headers = fake.rate_headers(pool)
        wait = fake.admit(pool, kind)
        if wait is not None:
            seconds = fake.retry_after if fake.retry_after is not None else max(1, math.ceil(wait))
            self._send(Reply(429, b"Too many requests", "text/plain", {**headers, "retry-after": str(seconds)}))
            return
        try:
            if fake.latency:
                time.sleep(fake.latency)
            fault = fake.next_fault(path)
            reply = scripted_reply(fault) if fault is not None else fake.route(path, params)
        finally:
            fake.release(pool)  # before answering, so a client that saw the answer sees the slot free
        self._send(Reply(reply.status, reply.body, reply.content_type, {**headers, **reply.headers}, reply.fault))

    def _send(self, reply: Reply) -> None:
        if reply.fault == "reset":
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        extra = 1000 if reply.fault == "truncated" else 0
        self.send_header("Content-Length", str(len(reply.body) + extra))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.fault:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `FakeCrossref.requests` instead."""
