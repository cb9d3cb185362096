"""A built mirror as a Source: DOI, arXiv-id and bibliographic look-ups answered from the local index.

A mirror declared complete (`refkit mirror build --complete`) holds every work of what it covers, so its
silence is an answer: a DOI it lacks is "no such DOI", and a search without a match is conclusive, exactly as
for a snapshot declared complete (docs/crossref.md, "What silence means"). An incomplete mirror's silence is
only "not in the mirror", and the next source is asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from refkit.match import compare
from refkit.mirrors.store import Mirror
from refkit.model import Reference
from refkit.sources.base import Lookup, LookupStatus, Record, SearchResult
from refkit.sources.records import to_reference
from refkit.text import normalize_doi


class MirrorSource:
    """Source over a mirror file; the database is opened once and read by every look-up."""

    def __init__(self, path: str | Path, name: str = "") -> None:
        self.path = Path(path)
        self.mirror = Mirror(self.path)
        self.complete = self.mirror.complete
        self.name = name or f"mirror:{self.path.name}"

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        found = self.mirror.by_doi(dois)
        result = {}
        for doi in dois:
            record = found.get(normalize_doi(doi))
            if record is not None:
                result[doi] = Lookup(doi, LookupStatus.FOUND, record)
            elif self.complete:
                result[doi] = Lookup(doi, LookupStatus.NOT_FOUND, reason=f"not in {self._described()}")
            else:
                result[doi] = Lookup(doi, LookupStatus.UNAVAILABLE, reason=f"not in {self.name}")
        return result

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        """The work its arXiv id names (if the mirror holds it), then the title index's candidates, ranked by
        the matcher as a snapshot ranks them."""
        records: list[Record] = []
        if reference.arxiv and (paper := self.mirror.by_arxiv(reference.arxiv)) is not None:
            records.append(paper)
        candidates = self.mirror.candidates(reference.title) if reference.title else []
        scored = sorted(candidates, key=lambda record: compare(reference, to_reference(record)).score, reverse=True)
        records.extend(record for record in scored if record not in records)
        return SearchResult(records[:rows], reason=f"searched {self._described()}", conclusive=self.complete)

    def _described(self) -> str:
        return f"{self.name}, complete" if self.complete else self.name
