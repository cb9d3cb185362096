"""A local snapshot of Crossref records (a folder of JSON files or a JSON-lines file) as a Source.

It answers DOI look-ups from a dict and searches through an inverted index of folded title words, then lets
the matcher rank the few candidates that share the most (rarest) words with the cited title, so a snapshot
of 100,000 records answers a search in milliseconds.

What a snapshot does not hold is only "not in the snapshot", unless the run declares it complete (a universe
of works, such as a benchmark's pool, outside which nothing exists: `snapshot-complete = true`, see
docs/crossref.md): then its silence is an answer, "no such work".
"""

from __future__ import annotations

import heapq
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from refkit.errors import RefkitError
from refkit.files import read_text
from refkit.match import compare
from refkit.model import Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Record, SearchResult
from refkit.sources.records import as_list, crossref_candidate
from refkit.text import fold, normalize_doi

SHORTLIST = 40  # candidates scored by the matcher per search
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "using",
        "towards",
        "toward",
        "its",
        "their",
    }
)


def title_tokens(title: str) -> set[str]:
    """The words of a title that say something: folded, without stop words and one-letter tokens."""
    return {word for word in fold(title).split() if len(word) > 1 and word not in _STOPWORDS}


def _messages(value: object) -> Iterator[Record]:
    """Records from one parsed JSON value: a `message`, a whole API response, a work list, or a list."""
    if isinstance(value, list):
        for item in value:
            yield from _messages(item)
    elif isinstance(value, dict):
        message = value.get("message", value)
        if isinstance(message, dict) and isinstance(message.get("items"), list):
            yield from _messages(message["items"])
        elif isinstance(message, dict) and message.get("DOI"):
            yield message


def read_records(path: Path) -> Iterator[Record]:
    """Every record in a snapshot file or folder (*.json and *.jsonl files, recursively)."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.suffix in (".json", ".jsonl") and child.is_file():
                yield from read_records(child)
        return
    text = read_text(path, what="snapshot file")
    # A JSON-lines file is parsed line by line, so a parse error's own line number is always 1: count here.
    chunks = enumerate(text.splitlines(), start=1) if path.suffix == ".jsonl" else [(1, text)]
    for first_line, chunk in chunks:
        if not chunk.strip():
            continue
        try:
            value = json.loads(chunk)
        except json.JSONDecodeError as error:
            line = first_line + error.lineno - 1
            raise RefkitError(f"{path}: not a Crossref snapshot (invalid JSON at line {line})") from error
        yield from _messages(value)


class SnapshotSource(BaseSource):
    """Source over records held in memory, indexed by DOI and by title words."""

    def __init__(
        self, paths: Sequence[str | Path] = (), records: Iterable[Record] = (), name: str = "", complete: bool = False
    ) -> None:
        """`complete` declares the records a complete universe: what they do not hold does not exist."""
        self.name = name or "snapshot:" + ",".join(Path(p).name for p in paths)
        self.complete = complete
        self._records: list[Record] = []
        self._candidates: list[Candidate | None] = []
        self._by_doi: dict[str, int] = {}
        self._index: dict[str, list[int]] = defaultdict(list)
        for path in paths:
            if not Path(path).exists():
                raise RefkitError(f"{path}: no such snapshot file or folder")
            self.add(read_records(Path(path)))
        self.add(records)

    def __len__(self) -> int:
        return len(self._records)

    def add(self, records: Iterable[Record]) -> None:
        for record in records:
            doi = normalize_doi(str(record.get("DOI", "")))
            if not doi or doi in self._by_doi:
                continue
            position = len(self._records)
            self._records.append(record)
            self._candidates.append(None)
            self._by_doi[doi] = position
            titles = [*as_list(record.get("title")), *as_list(record.get("subtitle"))]
            for token in title_tokens(" ".join(map(str, titles))):
                self._index[token].append(position)

    def records(self) -> Iterator[Record]:
        return iter(self._records)

    def candidate(self, position: int) -> Candidate:
        """The record at `position` as a Candidate, converted once and kept."""
        candidate = self._candidates[position]
        if candidate is None:
            candidate = self._candidates[position] = crossref_candidate(self._records[position], self.name)
        return candidate

    def reference(self, position: int) -> Reference:
        return self.candidate(position).reference

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        result = {}
        for doi in dois:
            position = self._by_doi.get(normalize_doi(doi))
            if position is None and self.complete:
                result[doi] = Lookup(doi, LookupStatus.NOT_FOUND, reason=f"not in {self._described()}")
            elif position is None:
                result[doi] = Lookup(doi, LookupStatus.UNAVAILABLE, reason=f"not in {self.name}")
            else:
                result[doi] = Lookup(doi, LookupStatus.FOUND, self.candidate(position))
        return result

    def shortlist(self, title: str, size: int = SHORTLIST) -> list[int]:
        """Positions of the records sharing the most informative title words (idf-weighted overlap)."""
        total = len(self._records) or 1
        weights: defaultdict[int, float] = defaultdict(float)
        for token in title_tokens(title):
            postings = self._index.get(token)
            if postings:
                idf = math.log(1 + total / len(postings))
                for position in postings:
                    weights[position] += idf
        return heapq.nlargest(size, weights, key=weights.__getitem__)

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        positions = self.shortlist(reference.title)
        ranked = sorted(positions, key=lambda p: compare(reference, self.reference(p)).score, reverse=True)
        # A complete snapshot's silence rules out any work (`covers`); an incomplete one's rules out nothing.
        return SearchResult([self.candidate(p) for p in ranked[:rows]], reason=f"searched {self._described()}")

    def _described(self) -> str:
        """The name, and whether the snapshot is complete (why its silence counts)."""
        return f"{self.name}, complete" if self.complete else self.name
