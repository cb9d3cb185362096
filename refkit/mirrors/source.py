"""A built mirror as a source of the evidence layer: DOI, PMID, arXiv-id and bibliographic look-ups answered
from the local index, as normalised Candidates.

A mirror declared complete (`refkit mirror build --complete`) holds every work of what it covers, so its
silence is an answer: a DOI it lacks is "no such DOI", and a search without a match rules the work out
(`covers`), exactly as for a snapshot declared complete (docs/crossref.md, "What silence means"). An
incomplete mirror's silence is only "not in the mirror", and the rest of the chain is asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from refkit.match import Match, compare, title_closeness
from refkit.mirrors.formats import decode
from refkit.mirrors.store import Hit, Mirror
from refkit.model import Reference
from refkit.sources.arxiv import arxiv_id
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Record, SearchResult
from refkit.sources.records import crossref_candidate, years
from refkit.sources.snapshot import title_tokens
from refkit.text import normalize_doi

# Candidates the title index gives per search, best by bm25 first, as many as a snapshot's. Of those, only the
# `rows` closest by title (and year), and any as close as the closest, are converted and compared field by
# field: converting a record and comparing it cost about 0.4 ms, a title comparison 20 µs (benchmarks/batch.py).
# On 250,000 synthetic records (some 140 near-copies of each real title) the cited copy was among the 5 returned
# for 174/200 titles with 40, 156/200 with 15 (benchmarks/mirror_lookup.py).
SHORTLIST = 40
TIED = 0.02  # title closeness this near the best's: compared in full too


class MirrorSource(BaseSource):
    """Source over a mirror file; the database is opened once and read by every look-up."""

    agency = ""  # it holds DOIs of every agency its dumps carry (Crossref's, arXiv's DataCite DOIs, DBLP's)

    def __init__(self, path: str | Path, name: str = "") -> None:
        self.path = Path(path)
        self.mirror = Mirror(self.path)
        self.complete = self.mirror.complete
        self.name = name or f"mirror:{self.path.name}"

    def identifier(self, reference: Reference) -> str:
        """The DOI, else the arXiv id (`eprint`, or one in the URL or note), else the PMID."""
        return reference.doi or arxiv_id(reference) or reference.pmid

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        """Each id is a DOI (10.…), a PMID (digits only) or an arXiv id (2104.12255, hep-th/9901001)."""
        found = self.mirror.by_doi([given for given in ids if given.startswith("10.")])
        result = {}
        for given in ids:
            if given.startswith("10."):
                record = found.get(normalize_doi(given))
            else:
                record = self.mirror.by_pmid(given) if given.strip().isdigit() else self.mirror.by_arxiv(given)
            if record is not None:
                result[given] = Lookup(given, LookupStatus.FOUND, self.candidate(record))
            elif self.complete:
                result[given] = Lookup(given, LookupStatus.NOT_FOUND, reason=f"not in {self._described()}")
            else:
                result[given] = Lookup(given, LookupStatus.UNAVAILABLE, reason=f"not in {self.name}")
        return result

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        """The title index's candidates ranked by the matcher, as a snapshot ranks them; the paper its arXiv id
        names first, when the mirror holds it."""
        named = arxiv_id(reference)
        paper = self.mirror.by_arxiv(named) if named else None
        hits = self.mirror.hits(reference.title, SHORTLIST)
        if paper is not None:
            hits = [hit for hit in hits if decode(hit.record) != paper]
        records = _Decoded(hits)
        closeness = _closeness(reference, [hit.title for hit in hits], records)
        # the `rows` closest, and every other as close as the closest: of 15 "Editorial"s, the venue decides
        best = closeness[0][0][0] if closeness else 0.0
        kept = max(rows, sum(1 for (title, _), _ in closeness if title >= best - TIED))
        compared = [_compared(reference, self.candidate(records[n])) for _, n in closeness[:kept]]
        compared.sort(key=lambda pair: pair[0].score, reverse=True)
        if paper is not None:
            compared.insert(0, _compared(reference, self.candidate(paper)))
        return SearchResult(
            [candidate for _, candidate in compared[:rows]],
            reason=f"searched {self._described()}",
            matches=[match for match, _ in compared[:rows]],
        )

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        """Each reference searched, the vocabulary asked once for the title words of all of them."""
        self.mirror.word_counts(word for reference in references for word in title_tokens(reference.title))
        return super().search_many(references, rows)

    def candidate(self, record: Record) -> Candidate:
        """A mirror record as a Candidate: Crossref's schema whatever the dump, with the id and agency its
        dump gives (arXiv DOIs are DataCite's, a DBLP record without a DOI is known by its key)."""
        candidate = crossref_candidate(record, self.name)
        if record.get("pmid"):
            candidate = replace(candidate, reference=replace(candidate.reference, pmid=str(record["pmid"])))
        if record.get("arxiv"):
            return replace(candidate, agency="DataCite")
        if record.get("dblp"):
            return replace(candidate, id=candidate.id or str(record["dblp"]), agency="")  # DBLP registers no DOIs
        return candidate

    def close(self) -> None:
        self.mirror.close()

    def _described(self) -> str:
        return f"{self.name}, complete" if self.complete else self.name


def _compared(reference: Reference, candidate: Candidate) -> tuple[Match, Candidate]:
    return compare(reference, candidate.reference), candidate


class _Decoded:
    """The hits' records, each decoded the first time it is asked for."""

    def __init__(self, hits: Sequence[Hit]) -> None:
        self.hits = hits
        self.records: dict[int, Record] = {}

    def __getitem__(self, number: int) -> Record:
        if number not in self.records:
            self.records[number] = decode(self.hits[number].record)
        return self.records[number]


def _closeness(reference: Reference, titles: Sequence[str], records: _Decoded) -> list[tuple[tuple[float, bool], int]]:
    """The hits, closest first: by title, then, among records with the same title closeness, the one of the
    cited year first (an online-first article can be cited by either of its years); only those tied by title
    are decoded for their dates. Ties left are broken by position, the last first."""
    similarity = list(map(title_closeness(reference.title), titles))
    tied = {value for value, count in Counter(similarity).items() if count > 1}
    return sorted(
        (((value, value in tied and _of_cited_year(reference, records[n])), n) for n, value in enumerate(similarity)),
        reverse=True,
    )


def _of_cited_year(reference: Reference, record: Record) -> bool:
    return bool(reference.year) and reference.year in years(record)
