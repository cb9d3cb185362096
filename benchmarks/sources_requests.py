"""Requests per entry and wall time for mixed entries against the fake OpenAlex, PubMed, Semantic Scholar and
Open Library, each enforcing its API's limits (429 past them), beside the ideal: the requests made, sent at
exactly the published rate ("ideal s"), and one request per entry asked at that rate ("1-by-1 s").

The entries (seeded, tests/fakeapis/corpus.py) are a quarter each: biomedical articles (DOI and PMID, or a
PMCID alone), other journal articles (DOI), conference papers (half with an arXiv id, half with a title only)
and books (ISBN). They go through the evidence layer (`identify_many`) with the chain openalex, pubmed,
semanticscholar, openlibrary: every source is asked, in one batch, the identifiers it knows, then what no
look-up settled is searched source by source until one holds it. Printed per source: entries asked, requests
made, 429s, seconds spent in it, the ideal and the one-by-one times; then how many entries were identified and
a warm run (everything cached: no request). Run twice: without keys (OpenAlex's keyless budget is $0.01 a day,
PubMed's limit 3/s) and with a key for each of OpenAlex, PubMed and Semantic Scholar.

First it reads every recorded answer of the three recorded APIs (../shared/data/api-responses) and counts
those refkit's parsers read correctly: a work, article or paper with a title, or an error recognised as one
(its fields are checked by hand in tests/test_sources_*.py); answers of endpoints refkit never calls are
counted apart.

    python benchmarks/sources_requests.py [--entries 200] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fakeapis when run as a script

from refkit.config import Settings  # noqa: E402
from refkit.model import Reference  # noqa: E402
from refkit.sources.base import BaseSource, Lookup, SearchResult  # noqa: E402
from refkit.sources.http import Kind  # noqa: E402
from refkit.sources.identify import identify_many  # noqa: E402
from refkit.sources.openalex import OpenAlexSource  # noqa: E402
from refkit.sources.openlibrary import OpenLibrarySource  # noqa: E402
from refkit.sources.pubmed import PubMedSource  # noqa: E402
from refkit.sources.semanticscholar import SemanticScholarSource  # noqa: E402
from tests.fakeapis.base import FakeApi  # noqa: E402
from tests.fakeapis.corpus import (  # noqa: E402
    openalex_works,
    openlibrary_books,
    pubmed_references,
    semanticscholar_papers,
    works,
)
from tests.fakeapis.openalex import FakeOpenAlex  # noqa: E402
from tests.fakeapis.openlibrary import FakeOpenLibrary  # noqa: E402
from tests.fakeapis.pubmed import FakePubMed  # noqa: E402
from tests.fakeapis.semanticscholar import FakeSemanticScholar  # noqa: E402

MAILTO = "benchmark@example.org"
KEY = "benchmark-key"
KEY_VARIABLES = ("REFKIT_OPENALEX_KEY", "REFKIT_NCBI_API_KEY", "REFKIT_S2_API_KEY")
RECORDED = ROOT.parent / "shared" / "data" / "api-responses"


def recorded_bodies(service: str) -> list[tuple[str, int, bytes]]:
    """(address, status, body) of every recorded answer of `service` (bare bodies have status 200)."""
    from tests.cassettes import interactions

    host = {"openalex": "api.openalex.org", "pubmed": "eutils.ncbi", "semanticscholar": "api.semanticscholar"}[service]
    found = []
    for path in sorted((RECORDED / service).iterdir()):
        if path.suffix == ".yaml":
            found += [(item.uri, item.status, item.body) for item in interactions(path, host)]
        else:
            found.append((path.name, 200, path.read_bytes()))
    return found


def read_correctly(service: str, address: str, status: int, body: bytes) -> bool | None:
    """Whether refkit reads this answer right; None for an endpoint refkit does not call."""
    from refkit.sources import openalex, pubmed
    from refkit.sources import semanticscholar as s2

    if service == "openalex":
        if "select=" in address:
            return None
        if status == 404:
            return body.lstrip().lower().startswith(b"<!doctype html")
        answer = openalex.decode(body)
        works = openalex.results(answer) if isinstance(answer, dict) and "results" in answer else [answer]
        return bool(works) and all(openalex.to_reference(work).title for work in works)
    if service == "pubmed":
        if "esummary" in address or "epost" in address or b"GBSet" in body[:400]:  # GBSet: a db=nuccore efetch
            return None if b"<ERROR>" not in body else bool(pubmed.errors(body))
        if b"PubmedArticleSet" in body[:400]:
            return all(article.reference.title for article in pubmed.articles(body))
        return pubmed.search_answer(body).count >= 0
    if "/author/" in address or "/references" in address:
        return None
    answer = s2.decode(body)
    if status != 200:
        return bool(s2.error_message(answer))
    read = [s2.to_reference(paper) for paper in s2.papers(answer) if paper is not None]
    return all(reference.title or reference.authors for reference in read)  # what `fields=` asked for


def recorded_share() -> None:
    if not RECORDED.is_dir():
        print(f"recorded answers: {RECORDED} is absent, skipped")
        return
    for service in ("openalex", "pubmed", "semanticscholar"):
        verdicts = []
        for address, status, body in recorded_bodies(service):
            try:
                verdicts.append(read_correctly(service, address, status, body))
            except Exception:  # a parser that raises reads it wrong
                verdicts.append(False)
        used = [verdict for verdict in verdicts if verdict is not None]
        print(f"recorded {service:<16} {sum(used)}/{len(used)} read correctly "
              f"({len(verdicts) - len(used)} more answer endpoints refkit does not call)")  # fmt: skip


@dataclass(slots=True)
class Run:
    name: str
    entries: int  # identifiers and references this source was asked about (looked up or searched)
    requests: int
    rejected: int
    seconds: float
    rate: float  # the published limit, requests per second

    @property
    def one_by_one(self) -> float:
        """One request per entry asked (no batching), at exactly the published rate."""
        return max(0, self.entries - 1) / self.rate

    @property
    def ideal(self) -> float:
        """The same requests sent back to back at exactly the published rate."""
        return max(0, self.requests - 1) / self.rate


def cited(entries: list[Reference]) -> list[Reference]:
    """What a bibliography cites: the works' fields, except that of the biomedical articles (every fourth
    work) half are cited with their DOI and PMID, a quarter by PMID alone and a quarter by PMCID alone."""
    out = []
    for number, work in enumerate(entries):
        if work.pmid and number % 16 == 4:
            work = replace(work, doi="", pmcid="")
        elif work.pmid and number % 16 == 8:
            work = replace(work, doi="", pmid="")
        elif work.pmid:
            work = replace(work, pmcid="")
        out.append(work)
    return out


def fakes(corpus: list[Reference], latency: float) -> dict[str, FakeApi]:
    return {
        "openalex": FakeOpenAlex(openalex_works(corpus), latency=latency),
        "pubmed": FakePubMed(pubmed_references(corpus), latency=latency),
        "semanticscholar": FakeSemanticScholar(semanticscholar_papers(corpus), keys=(KEY,), latency=latency),
        "openlibrary": FakeOpenLibrary(openlibrary_books(corpus), latency=latency),
    }


def sources(servers: dict[str, FakeApi], cache: Path) -> list[BaseSource]:
    settings = Settings(mailto=MAILTO, cache_dir=cache)
    settings.urls.update(
        openalex=servers["openalex"].url,
        pubmed=servers["pubmed"].url + "/entrez/eutils",
        semanticscholar=servers["semanticscholar"].url + "/graph/v1",
        openlibrary=servers["openlibrary"].url,
    )
    made = (OpenAlexSource, PubMedSource, SemanticScholarSource, OpenLibrarySource)
    return [source(settings) for source in made]


class Timed:
    """A source as the chain sees it, counting the entries it is asked about and the seconds it takes."""

    def __init__(self, source: BaseSource) -> None:
        self.source, self.asked, self.seconds = source, 0, 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        start = time.perf_counter()
        try:
            return self.source.works(ids)
        finally:
            self.asked, self.seconds = self.asked + len(ids), self.seconds + time.perf_counter() - start

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        start = time.perf_counter()
        try:
            return self.source.search_many(references, rows)
        finally:
            self.asked, self.seconds = self.asked + len(references), self.seconds + time.perf_counter() - start


def run(entries: list[Reference], servers: dict[str, FakeApi], cache: Path) -> tuple[list[Run], float, Counter[str]]:
    """One pass of the chain over the entries: per-source figures, the wall time, who identified what."""
    chain = [Timed(source) for source in sources(servers, cache)]
    before = {name: (len(server.requests), server.rejected) for name, server in servers.items()}
    try:
        start = time.perf_counter()
        found = identify_many(entries, chain)  # type: ignore[arg-type]
        total = time.perf_counter() - start
        runs = []
        for timed in chain:
            server, (requests_before, rejected_before) = servers[timed.source.name], before[timed.source.name]
            requests, per = timed.source.client.limiter.rate(Kind.SINGLE)  # type: ignore[attr-defined]
            made, rejected = len(server.requests) - requests_before, server.rejected - rejected_before
            runs.append(Run(timed.source.name, timed.asked, made, rejected, timed.seconds, requests / per))
        return runs, total, Counter(item.candidate.source if item.candidate else "none" for item in found)
    finally:
        for timed in chain:
            timed.source.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each fake adds to every answer")
    args = parser.parse_args(argv)
    recorded_share()
    corpus = works(args.entries)
    entries = cited(corpus)
    print(f"{len(entries)} mixed entries, {args.latency * 1000:.0f} ms latency, every API's limits enforced")
    for keyed in (False, True):
        for variable in KEY_VARIABLES:
            if keyed:
                os.environ[variable] = KEY
            else:
                os.environ.pop(variable, None)
        print(f"\n{'with' if keyed else 'without'} API keys")
        measure(entries, corpus, args.latency)


def measure(entries: list[Reference], corpus: list[Reference], latency: float) -> None:
    servers = fakes(corpus, latency)
    for server in servers.values():
        server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            cold, cold_total, identified = run(entries, servers, Path(folder))
            warm, warm_total, _ = run(entries, servers, Path(folder))
    finally:
        for server in servers.values():
            server.stop()
    print(f"{'source':<16}{'asked':>6}{'requests':>9}{'per entry':>10}{'429s':>6}{'wall s':>8}{'ideal s':>8}"
          f"{'1-by-1 s':>9}  limit")  # fmt: skip
    for item in cold:
        per_entry = item.requests / item.entries if item.entries else 0.0
        print(f"{item.name:<16}{item.entries:>6}{item.requests:>9}{per_entry:>10.3f}{item.rejected:>6}"
              f"{item.seconds:>8.1f}{item.ideal:>8.1f}{item.one_by_one:>9.1f}  {item.rate:g}/s")  # fmt: skip
    requests = sum(item.requests for item in cold)
    print(f"all sources: {requests} requests for {len(entries)} entries ({requests / len(entries):.3f} per entry), "
          f"{sum(item.rejected for item in cold)} 429s, wall {cold_total:.1f} s, "
          f"ideal {sum(item.ideal for item in cold):.1f} s (each source's requests at its limit, in turn)")  # fmt: skip
    print("identified: " + ", ".join(f"{count} by {name}" for name, count in identified.most_common()))
    print(f"warm run (all cached): {sum(item.requests for item in warm)} requests, wall {warm_total:.2f} s")


if __name__ == "__main__":
    main()
