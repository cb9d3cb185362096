"""The life of a fake server on 127.0.0.1: bound at once (port 0: any free one), served from a daemon thread,
stopped and closed by the test that started it. The fakes of every source share it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LocalServer:
    """A ThreadingHTTPServer whose handler reaches this object as `self.server.fake`."""

    name = "fake"

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name=f"fake-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """In the foreground (a fake run by hand, for a benchmark or a look with curl)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread:  # serving in the background: stop the loop first
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
