"""Requests per entry and wall time for mixed entries against the fakes, each enforcing its API's limits (429
past them), beside the ideal: the requests made, sent at exactly the published rate ("ideal s"), and one
request per entry asked at that rate ("1-by-1 s"). Two chains: the default one (crossref, datacite, arxiv,
dblp; `--chain default`) and openalex, pubmed, semanticscholar, openlibrary (`--chain more`).

The entries (seeded, tests/fakeapis/corpus.py) are a quarter each: biomedical articles (DOI and PMID, or a
PMCID alone), other journal articles (DOI), conference papers (half with an arXiv id, half with a title only)
and books (ISBN). They go through the evidence layer (`identify_many`) with the chain openalex, pubmed,
semanticscholar, openlibrary: every source is asked, in one batch, the identifiers it knows, then what no
look-up settled is searched source by source until one holds it. Printed per source: entries asked, requests
made, 429s, seconds spent in it, the ideal and the one-by-one times; then how many entries were identified and
a warm run (everything cached: no request). Run twice: without keys (OpenAlex's keyless budget is $0.01 a day,
PubMed's limit 3/s) and with a key for each of OpenAlex, PubMed and Semantic Scholar.

The default chain holds the same works as the real world spreads them: the journal articles (DOI) in
Crossref, the conference papers in DBLP, those with an arXiv id in arXiv and (by its 10.48550 DOI, which
half of them cite) in DataCite; the books (ISBN) nowhere it asks. Crossref is searched (3 lists/s) for every
entry no look-up settled, DBLP (1/s, one connection) for the conference papers still unsettled, arXiv
(1 per 3 s) for those naming arXiv: their published rates, not refkit, are the floor.

First it reads every recorded answer of the three recorded APIs (../shared/data/api-responses) and counts
those refkit's parsers read correctly: a work, article or paper with a title, or an error recognised as one
(its fields are checked by hand in tests/test_sources_*.py); answers of endpoints refkit never calls are
counted apart.

    python benchmarks/sources_requests.py [--entries 200] [--latency 0.05] [--chain default|more|both]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fakeapis when run as a script

from refkit.config import Settings  # noqa: E402
from refkit.model import Reference  # noqa: E402
from refkit.sources import registry  # noqa: E402
from refkit.sources.base import BaseSource, Lookup, SearchResult  # noqa: E402
from refkit.sources.http import Kind  # noqa: E402
from refkit.sources.identify import identify_many  # noqa: E402
from refkit.sources.openalex import OpenAlexSource  # noqa: E402
from refkit.sources.openlibrary import OpenLibrarySource  # noqa: E402
from refkit.sources.pubmed import PubMedSource  # noqa: E402
from refkit.sources.semanticscholar import SemanticScholarSource  # noqa: E402
from tests.fakeapis import FakeArxiv, FakeDataCite, FakeDblp  # noqa: E402
from tests.fakeapis.arxiv import Entry  # noqa: E402
from tests.fakeapis.corpus import (  # noqa: E402
    openalex_works,
    openlibrary_books,
    pubmed_references,
    semanticscholar_papers,
    works,
)
from tests.fakeapis.datacite import attributes  # noqa: E402
from tests.fakeapis.dblp import info  # noqa: E402
from tests.fakeapis.openalex import FakeOpenAlex  # noqa: E402
from tests.fakeapis.openlibrary import FakeOpenLibrary  # noqa: E402
from tests.fakeapis.pubmed import FakePubMed  # noqa: E402
from tests.fakeapis.semanticscholar import FakeSemanticScholar  # noqa: E402
from tests.fakecrossref import FakeCrossref  # noqa: E402

MAILTO = "benchmark@example.org"
KEY = "benchmark-key"
KEY_VARIABLES = ("REFKIT_OPENALEX_KEY", "REFKIT_NCBI_API_KEY", "REFKIT_S2_API_KEY")
DEFAULT_CHAIN = ("crossref", "datacite", "arxiv", "dblp")
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


def fakes(corpus: list[Reference], latency: float) -> dict[str, Any]:
    return {
        "openalex": FakeOpenAlex(openalex_works(corpus), latency=latency),
        "pubmed": FakePubMed(pubmed_references(corpus), latency=latency),
        "semanticscholar": FakeSemanticScholar(semanticscholar_papers(corpus), keys=(KEY,), latency=latency),
        "openlibrary": FakeOpenLibrary(openlibrary_books(corpus), latency=latency),
    }


def sources(servers: dict[str, Any], cache: Path) -> list[BaseSource]:
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


def run(
    entries: list[Reference], servers: dict[str, Any], chain: list[BaseSource]
) -> tuple[list[Run], float, Counter[str]]:
    """One pass of the chain over the entries: per-source figures, the wall time, who identified what."""
    timed_chain = [Timed(source) for source in chain]
    before = {name: (len(server.requests), server.rejected) for name, server in servers.items()}
    try:
        start = time.perf_counter()
        found = identify_many(entries, timed_chain)  # type: ignore[arg-type]
        total = time.perf_counter() - start
        runs = []
        for timed in timed_chain:
            server, (requests_before, rejected_before) = servers[timed.source.name], before[timed.source.name]
            kind = Kind.LIST if timed.source.name == "crossref" else Kind.SINGLE  # Crossref's batches and queries
            requests, per = timed.source.client.limiter.rate(kind)  # type: ignore[attr-defined]
            made, rejected = len(server.requests) - requests_before, server.rejected - rejected_before
            runs.append(Run(timed.source.name, timed.asked, made, rejected, timed.seconds, requests / per))
        return runs, total, Counter(item.candidate.source if item.candidate else "none" for item in found)
    finally:
        for timed in timed_chain:
            timed.source.close()


def crossref_message(reference: Reference) -> dict[str, Any]:
    """A journal article as Crossref's `message` holds it."""
    return {
        "DOI": reference.doi,
        "type": "journal-article",
        "title": [reference.title],
        "author": [{"family": name.family, "given": name.given} for name in reference.authors],
        "container-title": [reference.container_title],
        "issued": {"date-parts": [[reference.year]]},
        "volume": reference.volume,
        "issue": reference.issue,
        "page": reference.page.replace("–", "-"),
    }


def arxiv_doi(reference: Reference) -> str:
    return f"10.48550/arxiv.{reference.arxiv}"


def default_cited(corpus: list[Reference]) -> list[Reference]:
    """`cited`, and half the conference papers with an arXiv id cited by its DataCite DOI instead."""
    return [
        replace(work, doi=arxiv_doi(work), arxiv="") if work.arxiv and number % 16 == 2 else work
        for number, work in enumerate(cited(corpus))
    ]


def default_fakes(corpus: list[Reference], latency: float) -> dict[str, Any]:
    """Crossref, DataCite, arXiv and DBLP holding the corpus as the real world does (see the module doc)."""
    names = {id(work): [f"{name.given} {name.family}" for name in work.authors] for work in corpus}
    preprints = [work for work in corpus if work.arxiv]
    return {
        "crossref": FakeCrossref(
            [crossref_message(work) for work in corpus if work.doi], latency=latency, enforce_limits=True
        ),
        "datacite": FakeDataCite(
            {
                arxiv_doi(work): attributes(
                    arxiv_doi(work),
                    work.title,
                    [(n.family, n.given) for n in work.authors],
                    work.year,
                    publisher="arXiv",
                    arxiv=work.arxiv,
                )
                for work in preprints
            },
            latency=latency,
            enforce_limits=True,
        ),
        "arxiv": FakeArxiv(
            [Entry(f"{w.arxiv}v1", w.title, names[id(w)], f"{w.year}-01-01T00:00:00Z") for w in preprints],
            latency=latency,
            enforce_limits=True,
        ),
        "dblp": FakeDblp(
            [
                info(f"conf/x/{work.key}", work.title, names[id(work)], work.container_title, work.year or "")
                for work in corpus
                if work.type == "paper-conference"
            ],
            latency=latency,
            enforce_limits=True,
        ),
    }


def default_chain(servers: dict[str, Any], cache: Path) -> list[BaseSource]:
    settings = Settings(mailto=MAILTO, cache_dir=cache, api_url=servers["crossref"].url, sources=list(DEFAULT_CHAIN))
    settings.urls.update({name: server.url for name, server in servers.items()})
    return [registry.factory(name)(settings) for name in DEFAULT_CHAIN]  # type: ignore[misc]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each fake adds to every answer")
    parser.add_argument("--chain", choices=("default", "more", "both"), default="both")
    args = parser.parse_args(argv)
    corpus = works(args.entries)
    if args.chain in ("default", "both"):
        entries = default_cited(corpus)
        print(f"default chain {', '.join(DEFAULT_CHAIN)}: {len(entries)} mixed entries, "
              f"{args.latency * 1000:.0f} ms latency, every API's limits enforced")  # fmt: skip
        measure(entries, lambda: default_fakes(corpus, args.latency), default_chain)
    if args.chain == "default":
        return
    recorded_share()
    entries = cited(corpus)
    print(f"\n{len(entries)} mixed entries, {args.latency * 1000:.0f} ms latency, every API's limits enforced")
    for keyed in (False, True):
        for variable in KEY_VARIABLES:
            if keyed:
                os.environ[variable] = KEY
            else:
                os.environ.pop(variable, None)
        print(f"\n{'with' if keyed else 'without'} API keys")
        measure(entries, lambda: fakes(corpus, args.latency), sources)


def measure(
    entries: list[Reference],
    make_fakes: Callable[[], dict[str, Any]],
    make_chain: Callable[[dict[str, Any], Path], list[BaseSource]],
) -> None:
    servers = make_fakes()
    for server in servers.values():
        server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            cold, cold_total, identified = run(entries, servers, make_chain(servers, Path(folder)))
            warm, warm_total, _ = run(entries, servers, make_chain(servers, Path(folder)))
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
