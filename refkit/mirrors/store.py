"""A mirror on disk: one SQLite file holding records, a DOI, arXiv-id and PMID index, and an FTS5 title index.

Why SQLite FTS5 (measured against DuckDB, docs/decisions.md "Local mirrors"): it ships with Python, a point
look-up by DOI is a B-tree probe (microseconds, not DuckDB's per-query planning of about a millisecond), and
FTS5's inverted index answers "records sharing the rarest title words" without scanning a table.

Each bulk file is indexed in one transaction together with its row in `files`, so a build that stops (a
crash, ^C, a full disk) loses at most the file it was reading, and the next build skips every file already
indexed (same path, size and modification time): builds resume and update incrementally. A file that changed
since it was indexed has its old records replaced. A file's records are one run of ids (`files.first` to
`files.last`), so nothing per record says which file it came from.

A build's cost is in SQLite's C code wherever it can be: records go in by executemany, the first copy of a
DOI wins by the unique index (INSERT OR IGNORE), the title index is filled from the stored titles by one
INSERT … SELECT per file (it tokenises them itself: unicode61, diacritics removed), and the counts of
records per title word are read back from the index (fts5vocab) once at the end of a build.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from refkit.errors import RefkitError
from refkit.match import title_closeness
from refkit.mirrors.formats import bulk_files, decode, detect
from refkit.mirrors.parallel import Rows, read_ahead
from refkit.sources.arxiv import base_id
from refkit.sources.base import Record
from refkit.sources.snapshot import title_tokens
from refkit.text import normalize_doi

SCHEMA_VERSION = 2
BATCH = 5000  # records inserted per executemany
# A search reads the postings of the cited title's rarest words, adding words until about this many postings
# are read (at least two words): the cost of a search then stays flat as the mirror grows, where querying
# every word read all of "analysis" and "patients" (p50 93 ms on 200,000 records; benchmarks/mirror_lookup.py).
# FTS5 costs about 20 µs per matching row here (bm25), so 1,000 postings is a few milliseconds.
POSTINGS_BUDGET = 1_000
# A batch's papers cite the same works again (13% of the 23,436 titles of the 62 real .bib files of
# ../shared/data/real-world are a title written the same way elsewhere), and the title index's query is the
# largest cost of a search: a mirror remembers the hits of this many titles (each some 40 records, ~30 kB).
HITS_REMEMBERED = 1_000
# A title this close to the cited one (refkit.match.title_closeness) ends the search at its first, narrow query.
SAME_TITLE = 0.8
# The title index reads its words from `works.title` (external content: kept once) and keeps positions:
# detail=none would be smaller, but FTS5's bm25 then scores every row 0 and the shortlist is arbitrary
# (measured). `vocabulary` holds how many records have each word, what FTS5 would count only by reading
# every posting of the word.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    format TEXT NOT NULL, records INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
    seconds REAL NOT NULL, built TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS works(
    id INTEGER PRIMARY KEY, doi TEXT, arxiv TEXT, pmid TEXT, title TEXT NOT NULL, record BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS works_doi ON works(doi) WHERE doi IS NOT NULL;
CREATE INDEX IF NOT EXISTS works_arxiv ON works(arxiv) WHERE arxiv IS NOT NULL;
CREATE INDEX IF NOT EXISTS works_pmid ON works(pmid) WHERE pmid IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(
    title, content='works', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS title_terms USING fts5vocab(titles, row);
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


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """The mirror's database; a path that is not a mirror is a RefkitError, never a new empty file."""
    if not create and not path.is_file():
        raise RefkitError(f"{path}: no such mirror (make one with `refkit mirror build`)")
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if create:  # a reader sets nothing, so a mirror on a read-only share opens as it is
            # A rollback journal costs little for appends (it saves only pages that existed before), and keeps a
            # stopped file's transaction undoable; no fsync until the end (a power cut mid-build: build again).
            connection.execute("PRAGMA page_size=16384")
            connection.execute("PRAGMA journal_mode=TRUNCATE")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute("PRAGMA cache_size=-262144")  # 256 MB of pages: the indexes' B-trees stay in memory
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as error:
        raise RefkitError(f"{path}: not a refkit mirror ({error})") from None
    if version is None or version[0] != str(SCHEMA_VERSION):
        raise RefkitError(f"{path}: a mirror of another schema version; build it again")
    return connection


def build(
    sources: Sequence[Path],
    into: Path,
    *,
    complete: bool | None = None,
    on_progress: Progress | None = None,
    processes: int = 1,
    abstracts: bool | None = None,
) -> list[FileStats]:
    """Index every bulk file under `sources` into the mirror `into` (made if absent), skipping those indexed
    already; `complete` (when given) records whether the mirror holds every work of what it covers. With
    `processes` above 1, files of the many-file dumps are read by that many worker processes while this one
    writes the index. `abstracts` (when given) says whether records keep their abstracts, for the claim map,
    from this build on; else as the mirror was built (by default not: they cost size, docs/mirrors.md)."""
    files = list({path.resolve(): path for path in bulk_files(list(sources))}.values())  # a file named twice: once
    formats = {path: detect(path) for path in files}  # an unknown file stops the build before any work
    connection = connect(into, create=True)
    stats = []
    indexed = 0
    try:
        if abstracts is not None:
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('abstracts', ?)", ("1" if abstracts else "0",))
        with _collector_paused():
            known = {path: _indexed(connection, path, formats[path]) for path in files}
            changed = [path for path in files if not isinstance(known[path], FileStats)]
            with closing(read_ahead(changed, formats, processes, keeps_abstracts(connection))) as rows_of:
                for path in files:
                    done = known[path]
                    if not isinstance(done, FileStats):
                        done = _index_file(connection, path, formats[path], next(rows_of), done, on_progress, indexed)
                        indexed += done.records
                    stats.append(done)
            _count_words(connection)
        if complete is not None:
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('complete', ?)", ("1" if complete else "0",))
    finally:
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, to copy or share read-only
        connection.close()
    return stats


def keeps_abstracts(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT value FROM meta WHERE key = 'abstracts'").fetchone()
    return bool(row and row[0] == "1")


def _indexed(connection: sqlite3.Connection, path: Path, kind: str) -> FileStats | int | None:
    """The file's stats when it is indexed and unchanged (skipped), its id in `files` when it changed since,
    None when it is new."""
    stat = path.stat()
    known = connection.execute("SELECT id, size, mtime, records FROM files WHERE path = ?", (str(path.resolve()),))
    row = known.fetchone()
    if row is None:
        return None
    if (row[1], row[2]) == (stat.st_size, stat.st_mtime):
        return FileStats(str(path.resolve()), kind, row[3], 0.0, skipped=True)
    return int(row[0])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while millions of records pass: it scanned every live container
    again and again (parsing a Crossref data file took 7 times as long with it on), and a build makes no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _index_file(
    connection: sqlite3.Connection,
    path: Path,
    kind: str,
    rows: Rows,
    replaced: int | None,
    on_progress: Progress | None,
    before: int,
) -> FileStats:
    """Index a file's rows in one transaction with its row in `files` (replacing the records of the file's
    earlier version, `replaced`): a build stopped mid-file leaves nothing of it."""
    started = time.perf_counter()
    stat = path.stat()
    name = str(path.resolve())
    connection.execute("BEGIN IMMEDIATE")
    try:
        if replaced is not None:
            _forget_file(connection, replaced)
        first = _hold_ids_of_deleted(connection)
        rows = iter(rows)
        while batch := list(islice(rows, BATCH)):
            _insert(connection, batch)
            if on_progress:
                on_progress(name, before + connection.execute("SELECT max(id) FROM works").fetchone()[0] - first + 1)
        connection.execute("DELETE FROM works WHERE id = ? AND record = x''", (first - 1,))
        last = max(first - 1, connection.execute("SELECT coalesce(max(id), 0) FROM works").fetchone()[0])
        connection.execute("INSERT INTO titles(rowid, title) SELECT id, title FROM works WHERE id >= ?", (first,))
        count = connection.execute("SELECT count(*) FROM works WHERE id >= ?", (first,)).fetchone()[0]
        seconds = time.perf_counter() - started
        connection.execute(
            "INSERT INTO files(path, size, mtime, format, records, first, last, seconds, built)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, stat.st_size, stat.st_mtime, kind, count, first, last, seconds, _now()),
        )
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary', 'stale')")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return FileStats(name, kind, count, seconds)


def _hold_ids_of_deleted(connection: sqlite3.Connection) -> int:
    """The first id of the file about to be indexed, after every id a file was given. SQLite numbers a row
    one past the highest id held, so when PubMed deleted the last records of an indexed file, their ids
    would be given again and two files' runs of ids would overlap: a placeholder row holds the last id
    given until the file's rows are in (the caller deletes it)."""
    held = connection.execute("SELECT coalesce(max(id), 0) FROM works").fetchone()[0]
    given = connection.execute("SELECT coalesce(max(last), 0) FROM files").fetchone()[0]
    if given > held:
        connection.execute("INSERT INTO works(id, title, record) VALUES (?, '', x'')", (given,))
    return max(held, given) + 1


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _insert(connection: sqlite3.Connection, batch: list[tuple[Any, ...]]) -> None:
    """Insert the batch's records whose DOI the mirror does not hold yet (the first copy of a DOI wins); a
    PMID or arXiv id that comes with a DOI held already is added to that DOI's record, so PubMed after
    Crossref still answers PMID look-ups. Deletions (rows without a record) are applied after the batch."""
    deleted = [pmid for _, _, pmid, _, record in batch if not record]
    if deleted:
        batch = [row for row in batch if row[4]]
    connection.executemany("INSERT OR IGNORE INTO works(doi, arxiv, pmid, title, record) VALUES (?, ?, ?, ?, ?)", batch)
    connection.executemany(
        "UPDATE works SET pmid = ? WHERE doi = ? AND pmid IS NULL",
        ((pmid, doi) for doi, _, pmid, _, _ in batch if pmid and doi),
    )
    connection.executemany(
        "UPDATE works SET arxiv = ? WHERE doi = ? AND arxiv IS NULL",
        ((arxiv, doi) for doi, arxiv, _, _, _ in batch if arxiv and doi),
    )
    for pmid in deleted:
        _delete_citation(connection, pmid)


def _delete_citation(connection: sqlite3.Connection, pmid: str) -> None:
    """PubMed's DeleteCitation: a record PubMed gave goes (its title words too, and its file counts one record
    fewer); a record another dump gave, that only had the PMID added, stays without it."""
    held = connection.execute(
        "SELECT w.id, w.title, f.id, coalesce(f.format, 'pubmed') FROM works AS w"
        " LEFT JOIN files AS f ON w.id BETWEEN f.first AND f.last WHERE w.pmid = ?",
        (pmid,),
    ).fetchall()  # no file: a record of the file being indexed, a PubMed file
    for record_id, title, file_id, kind in held:
        if kind != "pubmed":
            connection.execute("UPDATE works SET pmid = NULL WHERE id = ?", (record_id,))
            continue
        connection.execute("DELETE FROM works WHERE id = ?", (record_id,))
        if file_id is not None:  # a file indexed before (the file being indexed fills the title index at its end)
            connection.execute("INSERT INTO titles(titles, rowid, title) VALUES ('delete', ?, ?)", (record_id, title))
            connection.execute("UPDATE files SET records = records - 1 WHERE id = ?", (file_id,))


def _count_words(connection: sqlite3.Connection) -> None:
    """Count the records of every title word again, from the title index itself, when a file was added or
    replaced since the last count (a build stopped before it counts at the next build)."""
    stale = connection.execute("SELECT value FROM meta WHERE key = 'vocabulary'").fetchone()
    if not stale or stale[0] != "stale":
        return
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("DELETE FROM vocabulary")
    connection.execute("INSERT INTO vocabulary SELECT term, doc FROM title_terms")
    connection.execute("UPDATE meta SET value = 'counted' WHERE key = 'vocabulary'")
    connection.execute("COMMIT")


def _forget_file(connection: sqlite3.Connection, file_id: int) -> None:
    """Remove a file's records and their title words (an external-content FTS5 index is told what to remove)."""
    first, last = connection.execute("SELECT first, last FROM files WHERE id = ?", (file_id,)).fetchone()
    connection.execute(
        "INSERT INTO titles(titles, rowid, title) SELECT 'delete', id, title FROM works WHERE id BETWEEN ? AND ?",
        (first, last),
    )
    connection.execute("DELETE FROM works WHERE id BETWEEN ? AND ?", (first, last))
    connection.execute("DELETE FROM files WHERE id = ?", (file_id,))


# --- reading ---------------------------------------------------------------------------------------------


class Hit(NamedTuple):
    """A record the title index matched, as stored: its title text (the one the index holds, `title_text`) and
    its record still as JSON, so a search decodes only the few it keeps of the 40 it reads."""

    title: str
    record: bytes


class Mirror:
    """A built mirror, opened read-only-in-spirit for look-ups (one connection, safe to share in a process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = connect(path)
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        self.complete = bool(row and row[0] == "1")
        self._remembered: dict[tuple[str, int], tuple[Hit, ...]] = {}  # by title and limit, oldest first
        self._counts: dict[str, int] = {}  # records per title word

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
            found.update((doi, decode(record)) for doi, record in self.connection.execute(query, chunk))
        return found

    def by_arxiv(self, identifier: str) -> Record | None:
        """The paper of an arXiv id, whatever version it names (the mirror holds a paper once)."""
        bare = base_id(identifier.strip().removeprefix("arXiv:").removeprefix("arxiv:"))
        row = self.connection.execute("SELECT record FROM works WHERE arxiv = ?", (bare,)).fetchone()
        return decode(row[0]) if row else None

    def by_pmid(self, pmid: str) -> Record | None:
        """The article of a PMID (from PubMed's baseline, or OpenAlex's ids), with its PMID."""
        row = self.connection.execute("SELECT record FROM works WHERE pmid = ?", (pmid.strip(),)).fetchone()
        return {**decode(row[0]), "pmid": pmid.strip()} if row else None

    def candidates(self, title: str, limit: int = 40) -> list[Record]:
        """The records of `hits`, decoded."""
        return [decode(hit.record) for hit in self.hits(title, limit)]

    def hits(self, title: str, limit: int = 40) -> list[Hit]:
        """`title_hits`, remembered for the last HITS_REMEMBERED titles asked (the mirror is only read)."""
        key = (title, limit)
        found = self._remembered.pop(key, None)
        if found is None:
            found = self.title_hits(title, limit)
            if len(self._remembered) >= HITS_REMEMBERED:
                del self._remembered[next(iter(self._remembered))]  # the least recently asked
        self._remembered[key] = found
        return list(found)

    def title_hits(self, title: str, limit: int = 40) -> tuple[Hit, ...]:
        """Records sharing the most informative words with `title`, best (bm25) first: those holding its two
        rarest words when one of them has the title (a work cited by its title: a few postings ranked), else
        those holding any of its rarest words (up to POSTINGS_BUDGET postings ranked)."""
        words = self.rarest(title_tokens(title))
        if len(words) >= 2:
            both = self._matching(" AND ".join(f'"{word}"' for word in words[:2]), limit)
            closeness = title_closeness(title)
            if any(closeness(hit.title) >= SAME_TITLE for hit in both):
                return both
        return self._matching(" OR ".join(f'"{word}"' for word in words), limit) if words else ()

    def _matching(self, query: str, limit: int) -> tuple[Hit, ...]:
        rows = self.connection.execute(
            "SELECT w.title, w.record FROM (SELECT rowid, rank FROM titles WHERE titles MATCH ? ORDER BY rank"
            " LIMIT ?) AS t JOIN works AS w ON w.id = t.rowid ORDER BY t.rank",
            (query, limit),
        )
        return tuple(Hit(*row) for row in rows)

    def rarest(self, words: set[str]) -> list[str]:
        """The words to search by: the rarest the mirror holds, up to POSTINGS_BUDGET postings."""
        counts = self.word_counts(words)
        chosen: list[str] = []
        postings = 0
        for word in sorted((word for word in words if counts[word]), key=lambda word: (counts[word], word)):
            if len(chosen) >= 2 and postings + counts[word] > POSTINGS_BUDGET:
                break
            chosen.append(word)
            postings += counts[word]
        return chosen

    def word_counts(self, words: Iterable[str]) -> dict[str, int]:
        """How many records hold each title word (0: none), asked of the vocabulary only for words not asked
        before (it is only read): a batch asks for all the titles of a file at once."""
        wanted = set(words)
        unknown = sorted(wanted - self._counts.keys())
        for first in range(0, len(unknown), 500):
            chunk = unknown[first : first + 500]
            marks = ",".join("?" * len(chunk))
            held = dict(self.connection.execute(f"SELECT word, records FROM vocabulary WHERE word IN ({marks})", chunk))
            self._counts.update((word, held.get(word, 0)) for word in chunk)
        return {word: self._counts[word] for word in wanted}

    def records(self) -> Iterator[Record]:
        for (record,) in self.connection.execute("SELECT record FROM works ORDER BY id"):
            yield decode(record)


# --- what a mirror holds, and whether it is sound --------------------------------------------------------


@dataclass(slots=True)
class MirrorInfo:
    path: str
    size: int  # bytes on disk
    records: int
    with_doi: int
    complete: bool
    abstracts: bool  # records keep their abstracts (files indexed since it was asked)
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
        abstracts = keeps_abstracts(connection)
    finally:
        connection.close()
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    declared = bool(complete and complete[0] == "1")
    return MirrorInfo(str(path), size, records, with_doi, declared, abstracts, formats, files, seconds)


def verify(path: Path) -> list[str]:
    """Problems with a mirror, in words (none: it is sound): a damaged database or title index, a file whose
    records are not all there, or a bulk file that changed or went away since it was indexed."""
    connection = connect(path)
    problems: list[str] = []
    try:
        problems += [row[0] for row in connection.execute("PRAGMA quick_check") if row[0] != "ok"]
        try:
            connection.execute("INSERT INTO titles(titles, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"title index: {error}")
        for name, size, mtime, records, first, last in connection.execute(
            "SELECT path, size, mtime, records, first, last FROM files ORDER BY id"
        ).fetchall():
            held = connection.execute("SELECT count(*) FROM works WHERE id BETWEEN ? AND ?", (first, last)).fetchone()
            if held[0] != records:
                problems.append(f"{name}: {records} records indexed, {held[0]} held")
            source = Path(name)
            if not source.exists():
                problems.append(f"{name}: indexed, since removed (its records stay)")
            elif (source.stat().st_size, source.stat().st_mtime) != (size, mtime):
                problems.append(f"{name}: changed since it was indexed (build again to update)")
    finally:
        connection.close()
    return problems
