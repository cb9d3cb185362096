"""A Crossref that misbehaves on purpose, on 127.0.0.1: started and stopped by the tests and by
benchmarks/faults_http.py.

Healthy answers come from the fake Crossref (tests/fakecrossref: the real dialect); `mode` names the fault
served instead, until it is set back to None, so a test can poison a run and then check that a healthy rerun
over the same cache gets the good answer. A second listener, `elsewhere`, stands for another server: a
redirect there must not be followed, and it counts what reached it (a `mailto` above all).

The faults, by area (FAULTS): garbage answers (an HTML 404, `message: {}`, a list message, `items` as a
string, wrong field types, HTML or cut-off JSON with a 200), redirects (to another port, or within the
same server), bounds (a gzip bomb, an oversized body) and time (a body trickled a byte at a time, a
`Retry-After: 100`, storms of 429 and 503).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakecrossref.fixture import SAMPLE_RECORDS
from tests.fakecrossref.records import RecordStore
from tests.fakecrossref.server import FakeCrossref, Reply, crossref_json, envelope
from tests.localserver import LocalServer

MB = 1024 * 1024


def _wrong_types(record: dict[str, Any]) -> dict[str, Any]:
    """A record whose fields have the types a careless proxy or a hostile server would give them."""
    return {
        **record,
        "page": ["1031", "1037"],
        "volume": 344,
        "title": "Efficacy } and safety",
        "issued": {"date-parts": "2001"},
    }


# A DOI batch (`filter=doi:…`) that finds nothing has the DOIs asked one by one: where most faults below go.


def _is_list(path: str) -> bool:
    return path.rstrip("/").endswith("/works")


HTML = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
EMPTY_LIST = envelope("work-list", {"items": [], "total-results": 0})


@cache
def gzip_bomb(inflated: int = 1024 * MB) -> bytes:
    """About `inflated` bytes of JSON (a title of spaces) in ~1/1000 of the size: one gzip member per MB,
    all alike, so it is built in milliseconds (a gzip stream may hold many members, and clients read them all)."""
    block = gzip.compress(b" " * MB, 9)
    head = gzip.compress(b'{"status":"ok","message-type":"work","message":{"DOI":"10.1/x","title":["')
    return head + block * (inflated // MB) + gzip.compress(b'"]}}')


class _Listener(LocalServer):
    """One of the two servers of a FaultServer: "home" (the API) or "elsewhere" (another server)."""

    def __init__(self, faults: FaultServer, role: str) -> None:
        self.faults, self.role, self.name = faults, role, f"faults-{role}"
        super().__init__(_Handler)


class FaultServer:
    """The fake Crossref with a switchable fault; `url` is its API base, `elsewhere` another server."""

    def __init__(self, *, trickle_interval: float = 2.0, bomb_size: int = 1024 * MB) -> None:
        self.fake = FakeCrossref(RecordStore.load(SAMPLE_RECORDS))
        self.fake.stop()  # its routes only: this server does the listening
        self.mode: str | None = None
        self.trickle_interval, self.bomb_size = trickle_interval, bomb_size
        self.requests: list[tuple[str, str]] = []  # (mode, path) of every request to `url`
        self.elsewhere_requests: list[tuple[str, str]] = []  # (path, user agent) of every request elsewhere
        self._lock = threading.Lock()
        self._home, self._elsewhere = _Listener(self, "home"), _Listener(self, "elsewhere")

    @property
    def url(self) -> str:
        return self._home.url

    @property
    def elsewhere(self) -> str:
        return self._elsewhere.url

    def start(self) -> FaultServer:
        self._home.start()
        self._elsewhere.start()
        return self

    def stop(self) -> None:
        self._home.stop()
        self._elsewhere.stop()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answers ----------------------------------------------------------------------------------------

    def healthy(self, path: str, params: dict[str, str]) -> Reply:
        return self.fake.route(path, params)

    def answer(self, path: str, params: dict[str, str]) -> Reply:
        mode = self.mode
        if mode is None:
            return self.healthy(path, params)
        return FAULTS[mode](self, path, params)


def _records_shaped(server: FaultServer, path: str, params: dict[str, str], shape: Callable[[Any], Any]) -> Reply:
    """The healthy answer with every record passed through `shape`."""
    reply = server.healthy(path, params)
    if reply.status != 200:
        return reply
    data = json.loads(reply.body)
    message = data["message"]
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        message["items"] = [shape(item) for item in message["items"]]
    elif data.get("message-type") == "work":
        data["message"] = shape(message)
    return Reply(200, crossref_json(data))


def _redirect(target: Callable[[FaultServer], str]) -> Callable[[FaultServer, str, dict[str, str]], Reply]:
    def answer(server: FaultServer, path: str, params: dict[str, str]) -> Reply:
        query = "&".join(f"{name}={value}" for name, value in params.items())
        return Reply(302, b"", "text/plain", {"Location": f"{target(server)}{path}?{query}"})

    return answer


def _storm(status: int, retry_after: str) -> Callable[[FaultServer, str, dict[str, str]], Reply]:
    return lambda server, path, params: Reply(status, b"busy", "text/plain", {"Retry-After": retry_after})


FaultAnswer = Callable[[FaultServer, str, dict[str, str]], Reply]

# area → fault name → how it answers
AREAS: dict[str, dict[str, FaultAnswer]] = {
    "garbage": {
        "html-404": lambda s, p, q: Reply(200, EMPTY_LIST) if "filter" in q else Reply(404, HTML, "text/html"),
        "empty-message": lambda s, p, q: Reply(
            200, EMPTY_LIST if "filter" in q else envelope("work-list" if _is_list(p) else "work", {})
        ),
        "list-message": lambda s, p, q: Reply(200, envelope("work-list" if _is_list(p) else "work", [])),
        "items-string": lambda s, p, q: Reply(200, envelope("work-list", {"items": "none"})),
        "wrong-types": lambda s, p, q: _records_shaped(s, p, q, _wrong_types),
        "html-200": lambda s, p, q: Reply(200, HTML, "text/html"),
        "cut-json": lambda s, p, q: Reply(200, b'{"status":"ok","message-type":"work-list","message":{"items":['),
    },
    "redirects": {
        "redirect-elsewhere": _redirect(lambda s: s.elsewhere),
        "redirect-home": _redirect(lambda s: s.url + "/moved"),
    },
    "bounds": {
        "gzip-bomb": lambda s, p, q: Reply(200, gzip_bomb(s.bomb_size), headers={"Content-Encoding": "gzip"}),
        "huge-body": lambda s, p, q: Reply(200, b" " * (60 * MB)),
    },
    "time": {
        "trickle": lambda s, p, q: Reply(200, s.healthy(p, q).body, fault="trickle"),
        "retry-after-100": _storm(429, "100"),
        "storm-429": _storm(429, "1"),
        "storm-503": _storm(503, "1"),
    },
}
FAULTS: dict[str, FaultAnswer] = {name: answer for faults in AREAS.values() for name, answer in faults.items()}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def handle(self) -> None:
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):  # a client that gave up mid-answer
            super().handle()

    def do_GET(self) -> None:
        listener: _Listener = self.server.fake  # type: ignore[attr-defined]
        server = listener.faults
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        if listener.role == "elsewhere":
            with server._lock:
                server.elsewhere_requests.append((self.path, self.headers.get("User-Agent", "")))
            self._send(server.healthy(path, params), server)
            return
        with server._lock:
            server.requests.append((server.mode or "", path))
        path = path.removeprefix("/moved")
        reply = server.healthy(path, params) if parts.path.startswith("/moved") else server.answer(path, params)
        self._send(reply, server)

    def _send(self, reply: Reply, server: FaultServer) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            if reply.fault == "trickle":
                for index in range(len(reply.body)):
                    self.wfile.write(reply.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(server.trickle_interval)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is the point
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""
