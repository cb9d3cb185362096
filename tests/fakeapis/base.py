"""What the fakes of OpenAlex, PubMed, Semantic Scholar and Open Library share: a threaded HTTP server on a free
port of 127.0.0.1, started and stopped by the test, that counts every request, holds each client pool (keyed or
not, identified or not) to its own rate limit (more in a window, or more at once, than the API allows: 429),
answers POST as well as GET, and can be told to fail the next requests. Every fake of tests/fakeapis is one
(DataCite, arXiv and DBLP enforce their one pool's limit only when asked)."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from tests.localserver import LocalServer


@dataclass(frozen=True, slots=True)
class Limit:
    """`requests` per `interval` seconds and at most `concurrency` at once."""

    requests: int
    interval: float = 1.0
    concurrency: int = 1


@dataclass(slots=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # close the connection without answering


class FakeApi(LocalServer):
    """Subclasses give `route(request) -> Reply`, `pool(request)` (which limit a request counts against) and
    `LIMITS` by pool, and may override `rejected_reply`."""

    name = "fake"
    LIMITS: ClassVar[dict[str, Limit]] = {"default": Limit(1000)}

    def __init__(self, *, port: int = 0, latency: float = 0.0, enforce_limits: bool = True) -> None:
        self.latency, self.enforce_limits = latency, enforce_limits
        self.limits = dict(self.LIMITS)
        self.requests: list[Request] = []
        self.rejected = 0  # 429s served
        self._faults: deque[int | str] = deque()
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._in_flight: Counter[str] = Counter()
        super().__init__(_Handler, port)

    def script(self, *faults: int | str) -> None:
        """Answer the next requests with these faults, in order: an HTTP status (a 5xx outage, a 403), "html"
        (a maintenance page with a 200) or "reset" (the connection closed without an answer)."""
        with self._lock:
            self._faults.extend(faults)

    # -- for subclasses -------------------------------------------------------------------------------------

    def pool(self, request: Request) -> str:
        return "default"

    def route(self, request: Request) -> Reply:
        raise NotImplementedError

    def rejected_reply(self, request: Request, wait: float) -> Reply:
        return Reply(429, b"Too Many Requests", "text/plain", {"Retry-After": str(max(1, math.ceil(wait)))})

    def fault_reply(self, fault: int | str) -> Reply:
        if fault == "reset":
            return Reply(200, reset=True)
        if fault == "html":
            return Reply(200, b"<!DOCTYPE html><html><body><h1>Service maintenance</h1></body></html>", "text/html")
        return Reply(int(fault), f"HTTP {fault}".encode(), "text/plain")

    def rate_headers(self, pool: str, remaining: int) -> dict[str, str]:
        return {}

    # -- limits ---------------------------------------------------------------------------------------------

    def admit(self, pool: str) -> tuple[float | None, int]:
        """Count a request in: (None, requests left in the window), or (seconds to wait, 0) past a limit."""
        limit = self.limits[pool]
        with self._lock:
            now = time.monotonic()
            window = self._windows.setdefault(pool, deque())
            while window and window[0] <= now - limit.interval:
                window.popleft()
            if self.enforce_limits and (self._in_flight[pool] >= limit.concurrency or len(window) >= limit.requests):
                self.rejected += 1
                return (window[0] + limit.interval - now if window else limit.interval), 0
            window.append(now)
            self._in_flight[pool] += 1
            return None, limit.requests - len(window)

    def release(self, pool: str) -> None:
        with self._lock:
            self._in_flight[pool] -= 1

    def handle(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
        pool = self.pool(request)
        wait, remaining = self.admit(pool)
        if wait is not None:
            return self.rejected_reply(request, wait)
        try:
            if self.latency:
                time.sleep(self.latency)
            reply = self.fault_reply(fault) if fault is not None else self.route(request)
        finally:
            self.release(pool)
        reply.headers = {**self.rate_headers(pool, remaining), **reply.headers}
        return reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        fake: FakeApi = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method,
            unquote(parts.path),
            {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()},
            {name.lower(): value for name, value in self.headers.items()},
            self.rfile.read(length) if length else b"",
        )
        reply = fake.handle(request)
        if reply.reset:
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `FakeApi.requests` instead."""
