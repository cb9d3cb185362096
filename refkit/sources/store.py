"""The answers refkit keeps, one row per address, read with sqlite3 alone.

A run whose answers are all kept (a warm re-run of the same bibliography) is answered from here without
importing requests or requests-cache (0.3 + 0.6 s of a process that otherwise takes well under one) and
without deserialising a whole HTTP response per DOI. Rows are written for each record a DOI batch returned
(under its own `/works/{doi}` address, so any later mix of DOIs finds it) and for each well-formed answer
(200 or 404) fetched over the network; requests-cache stays the HTTP cache below, where what this table
lacks (an answer it expired, one kept by a refkit older than the table) is looked for next.

Expiry is requests-cache's: `CACHE_DAYS` from when the answer arrived; online an expired row is a miss,
offline it still answers. An offline run never creates the file.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from refkit.config import Settings

CACHE_FILE = "http.sqlite"  # requests-cache's
STORE_FILE = "answers.sqlite"  # this table's, beside it
CACHE_DAYS = 30  # Crossref records change rarely; corrections and retractions show up within a month
CACHED_STATUSES = (200, 404)  # answers; 4xx/5xx errors and 429s are never cached
_CHUNK = 900  # keys per query: under SQLite's oldest limit of 999 parameters

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER NOT NULL, "
    "content_type TEXT NOT NULL, body BLOB NOT NULL, expires REAL NOT NULL) WITHOUT ROWID"
)


def default_cache_dir() -> Path:
    import platformdirs  # only when no folder is configured

    return Path(platformdirs.user_cache_dir("refkit"))


def cache_dir(settings: Settings) -> Path:
    """The cache folder: Settings.cache_dir (--cache-dir, REFKIT_CACHE_DIR, config) or the user's."""
    return settings.cache_dir or default_cache_dir()


@dataclass(frozen=True, slots=True)
class Stored:
    """One kept answer: what `answers.read_answer` and `web.Fetched` read."""

    status: int
    content_type: str
    body: bytes


class AnswerStore:
    """The table in `path`, opened on first use and shared by threads (one connection, one lock: every
    statement is short). Reads of a file that does not exist find nothing and create nothing."""

    def __init__(self, path: Path, *, offline: bool = False, clock: Callable[[], float] = time.time) -> None:
        self.path, self.offline, self._clock = path, offline, clock
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    @classmethod
    def of(cls, settings: Settings) -> AnswerStore:
        return cls(cache_dir(settings) / STORE_FILE, offline=settings.offline)

    def _open(self, create: bool) -> sqlite3.Connection | None:
        """The connection, made on first need; None while there is no file and none is to be made."""
        if self._connection is None:
            if not create and not self.path.is_file():
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            try:
                connection.execute(_SCHEMA)
            except sqlite3.Error:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def get_many(self, keys: Sequence[str]) -> dict[str, Stored]:
        """The answers kept under these keys, expired ones only when offline; raises sqlite3.Error for a
        file that cannot be read."""
        found: dict[str, Stored] = {}
        with self._lock:
            connection = self._open(create=False)
            if connection is None or not keys:
                return found
            fresh = "" if self.offline else " AND expires > ?"
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, status, content_type, body FROM answers WHERE key IN ({marks}){fresh}",
                    [*chunk, self._clock()] if fresh else chunk,
                )
                for key, status, content_type, body in rows:
                    found[key] = Stored(status, content_type, body)
        return found

    def get(self, key: str) -> Stored | None:
        return self.get_many([key]).get(key)

    def put_many(self, answers: Iterable[tuple[str, Stored]]) -> None:
        """Keep each answer under its key for `CACHE_DAYS`, in one transaction (a batch's hundred records)."""
        expires = self._clock() + CACHE_DAYS * 86400
        rows = [(key, item.status, item.content_type, item.body, expires) for key, item in answers]
        if not rows:
            return
        with self._lock:
            connection = self._open(create=True)
            assert connection is not None
            with connection:
                connection.execute("BEGIN")
                connection.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)

    def delete(self, key: str) -> None:
        with self._lock:
            connection = self._open(create=False)
            if connection is not None:
                connection.execute("DELETE FROM answers WHERE key = ?", (key,))

    def keys(self) -> set[str]:
        """Every key kept, expired or not (what `refkit cache info` counts)."""
        with self._lock:
            connection = self._open(create=False)
            return set() if connection is None else {key for (key,) in connection.execute("SELECT key FROM answers")}

    def clear(self) -> None:
        """Remove every answer, and the space they took."""
        with self._lock:
            connection = self._open(create=False)
            if connection is not None:
                connection.execute("DELETE FROM answers")
                connection.execute("VACUUM")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
