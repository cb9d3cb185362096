"""The fake server's records: Crossref `message` objects read from a folder or a JSON-lines file,
indexed by DOI and by the words a bibliographic query can match."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from refkit.sources.base import Record
from refkit.sources.snapshot import read_records  # the same reader `--snapshot` uses

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    """Lower-case ASCII words, accents stripped: enough for a token-overlap ranking."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {word for word in _WORD.findall(plain) if len(word) > 1 or word.isdigit()}


def record_words(record: Record) -> set[str]:
    parts: list[str] = [
        *record.get("title", []),
        *record.get("subtitle", []),
        *record.get("container-title", []),
        *record.get("short-container-title", []),
    ]
    parts += [str(author.get("family") or author.get("name") or "") for author in record.get("author", [])]
    year = (record.get("issued", {}).get("date-parts") or [[None]])[0][0]
    if year:
        parts.append(str(year))
    return words(" ".join(parts))


class RecordStore:
    """Records by lower-case DOI, with a word index for `query.bibliographic`."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.by_doi: dict[str, Record] = {}
        for record in records:
            self.by_doi[str(record["DOI"]).lower()] = record
        self._words = {doi: record_words(record) for doi, record in self.by_doi.items()}
        frequency = Counter(word for vocabulary in self._words.values() for word in vocabulary)
        total = max(1, len(self.by_doi))
        self._weight = {word: math.log(1 + total / count) for word, count in frequency.items()}

    @classmethod
    def load(cls, path: Path) -> RecordStore:
        return cls(read_records(path))

    def __len__(self) -> int:
        return len(self.by_doi)

    def get(self, doi: str) -> Record | None:
        return self.by_doi.get(doi.lower())

    def search(self, query: str) -> list[tuple[float, Record]]:
        """Records sharing words with the query, best first: the summed rarity of the shared words."""
        asked = words(query)
        scored = []
        for doi, vocabulary in self._words.items():
            shared = asked & vocabulary
            if shared:
                scored.append((round(sum(self._weight[word] for word in shared), 4), doi))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [(score, self.by_doi[doi]) for score, doi in scored]
