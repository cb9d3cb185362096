"""What every fake API shares: a threaded HTTP server on a free port, the requests it received, scripted
faults, and (when asked) the API's rate limit and concurrency enforced with 429 and Retry-After."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # close the connection without answering


class FakeServer:
    """Subclasses give `name` and `route(path, params) -> Reply`; `rate` requests per `interval` seconds and
    `concurrency` are enforced only when `enforce_limits` is set."""

    name = "fake"
    rate, interval, concurrency = 10.0, 1.0, 4

    def __init__(self, *, latency: float = 0.0, enforce_limits: bool = False) -> None:
        self.latency, self.enforce_limits = latency, enforce_limits
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.rejected = 0
        self.max_in_flight = 0
        self._in_flight = 0
        self._window: deque[float] = deque()
        self._script: deque[int | str] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *faults: int | str) -> None:
        """Answer the next requests with these faults, in order: an HTTP status, "html" or "reset"."""
        with self._lock:
            self._script.extend(faults)

    def start(self) -> FakeServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name=f"fake-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(self, path: str, params: dict[str, str]) -> Reply:
        raise NotImplementedError

    def admit(self) -> float | None:
        """Count a request in; past the limits (when enforced), the seconds to wait instead."""
        with self._lock:
            now = time.monotonic()
            while self._window and self._window[0] <= now - self.interval:
                self._window.popleft()
            if self.enforce_limits and (self._in_flight >= self.concurrency or len(self._window) >= self.rate):
                self.rejected += 1
                return self._window[0] + self.interval - now if self._window else self.interval
            self._window.append(now)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return None

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def next_fault(self) -> int | str | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def too_many(self, wait: float) -> Reply:
        return Reply(429, b"Too Many Requests", "text/plain", {"Retry-After": str(max(1, math.ceil(wait)))})


def _faulty(fault: int | str) -> Reply:
    if fault == "reset":
        return Reply(200, reset=True)
    if fault == "html":
        return Reply(200, b"<!DOCTYPE html><html><body><h1>Service maintenance</h1></body></html>", "text/html")
    return Reply(int(fault), f"HTTP {fault}".encode(), "text/plain")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        fake: FakeServer = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        with fake._lock:
            fake.requests.append((path, params))
        wait = fake.admit()
        if wait is not None:
            self._send(fake.too_many(wait))
            return
        try:
            if fake.latency:
                time.sleep(fake.latency)
            fault = fake.next_fault()
            reply = _faulty(fault) if fault is not None else fake.route(path, params)
        finally:
            fake.release()
        self._send(reply)

    def _send(self, reply: Reply) -> None:
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
        """Quiet: tests read `FakeServer.requests`."""
