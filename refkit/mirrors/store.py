"""A mirror on disk: one SQLite file holding records, a DOI and arXiv-id index, and an FTS5 title index.

Why SQLite FTS5 (measured against DuckDB, docs/decisions.md "Local mirrors"): it ships with Python, a point
look-up by DOI is a B-tree probe (microseconds, not DuckDB's per-query planning of about a millisecond), and
FTS5's inverted index answers "records sharing the rarest title words" without scanning a table.

Each bulk file is indexed in one transaction together with its row in `files`, so a build that stops (a
crash, ^C, a full disk) loses at most the file it was reading, and the next build skips every file already
indexed (same path, size and modification time): builds resume and update incrementally. A file that changed
since it was indexed has its old records replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from refkit.errors import RefkitError
from refkit.mirrors import fastjson as json
from refkit.mirrors.formats import READERS, bulk_files, detect
from refkit.sources.base import Record
from refkit.sources.records import as_list
from refkit.sources.snapshot import title_tokens
from refkit.text import normalize_doi

SCHEMA_VERSION = 1
BATCH = 5000  # records inserted per executemany
# A search reads the postings of the cited title's rarest words, adding words until about this many postings
# are read (at least two words): the cost of a search then stays flat as the mirror grows, where querying
# every word read all of "analysis" and "patients" (p50 93 ms on 200,000 records; benchmarks/mirror_lookup.py).
# FTS5 costs about 20 µs per matching row here (bm25), so 1,000 postings is a few milliseconds.
POSTINGS_BUDGET = 1_000
# The title index is contentless (the words are kept once, in the records) and keeps positions: detail=none
# would be smaller, but FTS5's bm25 then scores every row 0 and the shortlist is arbitrary (measured).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    format TEXT NOT NULL, records INTEGER NOT NULL, seconds REAL NOT NULL, built TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS works(
    id INTEGER PRIMARY KEY, doi TEXT, arxiv TEXT, file INTEGER NOT NULL, record BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS works_doi ON works(doi) WHERE doi IS NOT NULL;
CREATE INDEX IF NOT EXISTS works_arxiv ON works(arxiv) WHERE arxiv IS NOT NULL;
CREATE INDEX IF NOT EXISTS works_file ON works(file);
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(words, content='');
CREATE TABLE IF NOT EXISTS vocabulary(word TEXT PRIMARY KEY, records INTEGER NOT NULL) WITHOUT ROWID;
"""

Progress = Callable[[str, int], None]  # (file being read, records indexed so far in the run)


@dataclass(slots=True)
class FileStats:
    path: str
    format: str
    records: int
    seconds: float
    skipped: bool = False  # already indexed, unchanged


def title_words(record: Record) -> str:
    """The indexed words of a record's title and subtitle (folded, without stop words)."""
    titles = [*as_list(record.get("title")), *as_list(record.get("subtitle"))]
    return " ".join(sorted(title_tokens(" ".join(map(str, titles)))))


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """The mirror's database; a path that is not a mirror is a RefkitError, never a new empty file."""
    if not create and not path.is_file():
        raise RefkitError(f"{path}: no such mirror (make one with `refkit mirror build`)")
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if create:  # a reader sets nothing, so a mirror on a read-only share opens as it is
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as error:
        raise RefkitError(f"{path}: not a refkit mirror ({error})") from None
    if version is None or version[0] != str(SCHEMA_VERSION):
        raise RefkitError(f"{path}: a mirror of another schema version; build it again")
    return connection


def build(
    sources: Sequence[Path], into: Path, *, complete: bool | None = None, on_progress: Progress | None = None
) -> list[FileStats]:
    """Index every bulk file under `sources` into the mirror `into` (made if absent), skipping those indexed
    already; `complete` (when given) records whether the mirror holds every work of what it covers."""
    files = bulk_files(list(sources))
    formats = {path: detect(path) for path in files}  # an unknown file stops the build before any work
    connection = connect(into, create=True)
    stats = []
    indexed = 0
    try:
        for path in files:
            done = _index_file(connection, path, formats[path], on_progress, indexed)
            indexed += 0 if done.skipped else done.records
            stats.append(done)
        if complete is not None:
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('complete', ?)", ("1" if complete else "0",))
    finally:
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, to copy or share read-only
        connection.close()
    return stats


def _index_file(
    connection: sqlite3.Connection, path: Path, kind: str, on_progress: Progress | None, before: int
) -> FileStats:
    started = time.perf_counter()
    stat = path.stat()
    name = str(path.resolve())
    known = connection.execute("SELECT id, size, mtime, records FROM files WHERE path = ?", (name,)).fetchone()
    if known and known[1] == stat.st_size and known[2] == stat.st_mtime:
        return FileStats(name, kind, known[3], 0.0, skipped=True)
    connection.execute("BEGIN IMMEDIATE")
    try:
        if known:  # the file changed: its old records go
            _forget_file(connection, known[0])
        cursor = connection.execute(
            "INSERT INTO files(path, size, mtime, format, records, seconds, built) VALUES (?, ?, ?, ?, 0, 0, '')",
            (name, stat.st_size, stat.st_mtime, kind),
        )
        file_id = int(cursor.lastrowid or 0)
        count = 0
        records = READERS[kind](path)
        while batch := list(islice(records, BATCH)):
            count += _insert(connection, file_id, batch)
            if on_progress:
                on_progress(name, before + count)
        seconds = time.perf_counter() - started
        connection.execute(
            "UPDATE files SET records = ?, seconds = ?, built = ? WHERE id = ?",
            (count, seconds, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), file_id),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return FileStats(name, kind, count, seconds)


def _insert(connection: sqlite3.Connection, file_id: int, batch: list[Record]) -> int:
    """Insert the batch's records whose DOI the mirror does not hold yet (the first copy of a DOI wins)."""
    rows: dict[str, tuple[str | None, str | None, Record]] = {}
    undoi: list[tuple[None, str | None, Record]] = []
    for record in batch:
        doi = normalize_doi(str(record.get("DOI", ""))) or None
        arxiv = str(record["arxiv"]) if record.get("arxiv") else None
        if doi is None:
            undoi.append((None, arxiv, record))
        elif doi not in rows:
            rows[doi] = (doi, arxiv, record)
    held = _held_dois(connection, list(rows))
    fresh = [row for doi, row in rows.items() if doi not in held] + undoi
    start = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM works").fetchone()[0]
    connection.executemany(
        "INSERT INTO works(id, doi, arxiv, file, record) VALUES (?, ?, ?, ?, ?)",
        (
            (start + offset, doi, arxiv, file_id, json.dumps(record))
            for offset, (doi, arxiv, record) in enumerate(fresh)
        ),
    )
    words = [title_words(record) for _, _, record in fresh]
    connection.executemany(
        "INSERT INTO titles(rowid, words) VALUES (?, ?)", ((start + offset, w) for offset, w in enumerate(words))
    )
    _count_words(connection, words, +1)
    return len(fresh)


def _count_words(connection: sqlite3.Connection, titles: list[str], sign: int) -> None:
    """Keep how many records hold each title word (what FTS5 would count only by reading every posting)."""
    counts = Counter(word for title in titles for word in title.split())
    connection.executemany(
        "INSERT INTO vocabulary VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET records = records + excluded.records",
        ((word, sign * count) for word, count in counts.items()),
    )


def _held_dois(connection: sqlite3.Connection, dois: list[str]) -> set[str]:
    held: set[str] = set()
    for first in range(0, len(dois), 500):
        chunk = dois[first : first + 500]
        marks = ",".join("?" * len(chunk))
        held.update(row[0] for row in connection.execute(f"SELECT doi FROM works WHERE doi IN ({marks})", chunk))
    return held


def _forget_file(connection: sqlite3.Connection, file_id: int) -> None:
    """Remove a file's records and their title words (a contentless FTS5 index is told what to remove)."""
    rows = connection.execute("SELECT id, record FROM works WHERE file = ?", (file_id,)).fetchall()
    words = [title_words(json.loads(record)) for _, record in rows]
    connection.executemany(
        "INSERT INTO titles(titles, rowid, words) VALUES ('delete', ?, ?)",
        ((row_id, title) for (row_id, _), title in zip(rows, words, strict=True)),
    )
    _count_words(connection, words, -1)
    connection.execute("DELETE FROM works WHERE file = ?", (file_id,))
    connection.execute("DELETE FROM files WHERE id = ?", (file_id,))


# --- reading ---------------------------------------------------------------------------------------------


class Mirror:
    """A built mirror, opened read-only-in-spirit for look-ups (one connection, safe to share in a process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = connect(path)
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        self.complete = bool(row and row[0] == "1")

    def close(self) -> None:
        self.connection.close()

    def by_doi(self, dois: Iterable[str]) -> dict[str, Record]:
        """Records of the DOIs the mirror holds, by normalised DOI."""
        wanted = list(dict.fromkeys(normalize_doi(doi) for doi in dois if doi))
        found: dict[str, Record] = {}
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT doi, record FROM works WHERE doi IN ({marks})"
            found.update((doi, json.loads(record)) for doi, record in self.connection.execute(query, chunk))
        return found

    def by_arxiv(self, identifier: str) -> Record | None:
        bare = identifier.strip().removeprefix("arXiv:").removeprefix("arxiv:")
        bare = bare.rsplit("v", 1)[0] if bare.rsplit("v", 1)[-1].isdigit() and "v" in bare else bare
        row = self.connection.execute("SELECT record FROM works WHERE arxiv = ?", (bare,)).fetchone()
        return json.loads(row[0]) if row else None

    def candidates(self, title: str, limit: int = 40) -> list[Record]:
        """Records sharing the most informative words with `title`, best (bm25) first."""
        words = self.rarest(title_tokens(title))
        if not words:
            return []
        query = " OR ".join(f'"{word}"' for word in words)
        rows = self.connection.execute(
            "SELECT w.record FROM (SELECT rowid, rank FROM titles WHERE titles MATCH ? ORDER BY rank LIMIT ?) AS t"
            " JOIN works AS w ON w.id = t.rowid ORDER BY t.rank",
            (query, limit),
        )
        return [json.loads(record) for (record,) in rows]

    def rarest(self, words: set[str]) -> list[str]:
        """The words to search by: the rarest the mirror holds, up to POSTINGS_BUDGET postings."""
        marks = ",".join("?" * len(words))
        query = f"SELECT word, records FROM vocabulary WHERE word IN ({marks}) AND records > 0 ORDER BY records, word"
        chosen: list[str] = []
        postings = 0
        for word, records in self.connection.execute(query, sorted(words)):
            if len(chosen) >= 2 and postings + records > POSTINGS_BUDGET:
                break
            chosen.append(word)
            postings += records
        return chosen

    def records(self) -> Iterator[Record]:
        for (record,) in self.connection.execute("SELECT record FROM works ORDER BY id"):
            yield json.loads(record)


# --- what a mirror holds, and whether it is sound --------------------------------------------------------


@dataclass(slots=True)
class MirrorInfo:
    path: str
    size: int  # bytes on disk
    records: int
    with_doi: int
    complete: bool
    formats: dict[str, int]  # records per format
    files: int
    seconds: float  # time spent indexing, over every build


def info(path: Path) -> MirrorInfo:
    connection = connect(path)
    try:
        records, with_doi = connection.execute("SELECT count(*), count(doi) FROM works").fetchone()
        formats = dict(connection.execute("SELECT format, sum(records) FROM files GROUP BY format ORDER BY format"))
        files, seconds = connection.execute("SELECT count(*), coalesce(sum(seconds), 0) FROM files").fetchone()
        complete = connection.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
    finally:
        connection.close()
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    declared = bool(complete and complete[0] == "1")
    return MirrorInfo(str(path), size, records, with_doi, declared, formats, files, seconds)


def verify(path: Path) -> list[str]:
    """Problems with a mirror, in words (none: it is sound): a damaged database or title index, a file whose
    records are not all there, or a bulk file that changed or went away since it was indexed."""
    connection = connect(path)
    problems: list[str] = []
    try:
        problems += [row[0] for row in connection.execute("PRAGMA quick_check") if row[0] != "ok"]
        try:
            connection.execute("INSERT INTO titles(titles, rank) VALUES ('integrity-check', 0)")
        except sqlite3.DatabaseError as error:
            problems.append(f"title index: {error}")
        counted = dict(connection.execute("SELECT file, count(*) FROM works GROUP BY file"))
        for file_id, name, size, mtime, records in connection.execute(
            "SELECT id, path, size, mtime, records FROM files ORDER BY id"
        ):
            if counted.get(file_id, 0) != records:
                problems.append(f"{name}: {records} records indexed, {counted.get(file_id, 0)} held")
            source = Path(name)
            if not source.exists():
                problems.append(f"{name}: indexed, since removed (its records stay)")
            elif (source.stat().st_size, source.stat().st_mtime) != (size, mtime):
                problems.append(f"{name}: changed since it was indexed (build again to update)")
    finally:
        connection.close()
    return problems
