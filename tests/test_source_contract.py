"""The contract every registered source keeps, each against its fake server: a look-up finds what the server
holds and says "not found" for what it does not; a search finds the work; many identifiers go in few
requests; network trouble (refused, reset, 5xx, HTML, 429) is `unavailable`, never an exception; answers are
cached, so an offline run repeats them; closing is safe. A source added to the registry without a case here
fails `test_every_registered_source_has_a_contract_case`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from refkit.config import Settings
from refkit.model import Name, Reference
from refkit.sources import registry
from refkit.sources.base import LookupStatus, Source
from refkit.sources.http import HttpClient, Limits, RetryPolicy
from tests.fakeapis import FakeArxiv, FakeDataCite, FakeDblp
from tests.fakeapis.arxiv import Entry
from tests.fakeapis.corpus import openalex_works, openlibrary_books, pubmed_references, semanticscholar_papers, works
from tests.fakeapis.datacite import attributes
from tests.fakeapis.dblp import info
from tests.fakeapis.europepmc import FakeEuropePmc
from tests.fakeapis.openalex import FakeOpenAlex
from tests.fakeapis.openlibrary import FakeOpenLibrary
from tests.fakeapis.pubmed import FakePubMed
from tests.fakeapis.semanticscholar import FakeSemanticScholar
from tests.fakecrossref import FakeCrossref, RecordStore
from tests.fakecrossref.fixture import SAMPLE_RECORDS

FAST = Limits(single=1000, list=1000, interval=1.0, concurrency=4)  # the contract is not about waiting


@dataclass(frozen=True)
class Case:
    """A source with its fake: `known` is a work the fake holds (looked up by `known_id`), `unknown_id` an
    identifier it does not hold; `requests_for(n)` bounds the requests a look-up of n identifiers may take."""

    server: Callable[[], Any]
    known: Reference
    known_id: str
    unknown_id: str
    requests_for: Callable[[int], int]
    more_ids: tuple[str, ...] = ()


RESNET = Reference(
    title="Deep Residual Learning for Image Recognition",
    type="paper-conference",
    authors=[Name("He", "Kaiming"), Name("Zhang", "Xiangyu")],
    year=2016,
    container_title="CVPR",
)
ZENODO = "10.5281/zenodo.48440"
CORPUS = works(12)  # made-up works spread over the fake OpenAlex, PubMed, Semantic Scholar and Open Library
CASES: dict[str, Case] = {
    "crossref": Case(
        server=lambda: FakeCrossref(RecordStore.load(SAMPLE_RECORDS)),
        known=Reference(
            title="Deep learning",
            authors=[Name("LeCun", "Yann"), Name("Bengio", "Yoshua")],
            year=2015,
            container_title="Nature",
            doi="10.1038/nature14539",
        ),
        known_id="10.1038/nature14539",
        unknown_id="10.1038/nature00000",
        requests_for=lambda n: 1,
        more_ids=("10.1038/nrd839", "10.1038/171737a0"),
    ),
    "datacite": Case(
        server=lambda: FakeDataCite(
            {
                doi: attributes(doi, title, [("Smith", "Ann")], 2016, publisher="Zenodo", kind="Software")
                for doi, title in (
                    (ZENODO, "A software package for reading citations"),
                    ("10.5281/zenodo.1", "One"),
                    ("10.5281/zenodo.2", "Two"),
                )
            }
        ),
        known=Reference(title="A software package for reading citations", authors=[Name("Smith", "A.")], doi=ZENODO),
        known_id=ZENODO,
        unknown_id="10.5281/zenodo.999999",
        requests_for=lambda n: 1,  # a hundred DOIs to `GET /dois?ids=…`
        more_ids=("10.5281/zenodo.1", "10.5281/zenodo.2"),
    ),
    "arxiv": Case(
        server=lambda: FakeArxiv(
            [
                Entry("1512.03385v1", RESNET.title, ["Kaiming He", "Xiangyu Zhang"], "2015-12-10T19:51:55Z"),
                Entry("astro-ph/0601001v1", "Frequency of Hot Jupiters", ["Scott Gaudi"], "2006-01-02T14:57:58Z"),
                Entry("2104.12255v2", "A second version", ["Ann Smith"], "2021-04-25T00:00:00Z"),
            ]
        ),
        known=Reference(
            title=RESNET.title,
            type="article",
            authors=RESNET.authors,
            year=2015,
            container_title="arXiv preprint",
            arxiv="1512.03385",
        ),
        known_id="1512.03385",
        unknown_id="0808.05394",
        requests_for=lambda n: 1,
        more_ids=("astro-ph/0601001", "2104.12255v2"),
    ),
    "dblp": Case(
        server=lambda: FakeDblp(
            [
                info("conf/cvpr/HeZRS16", RESNET.title, ["Kaiming He", "Xiangyu Zhang 0005"], "CVPR", 2016),
                info("conf/nips/VaswaniSPUJGKP17", "Attention is All you Need", ["Ashish Vaswani"], "NIPS", 2017),
            ]
        ),
        known=RESNET,
        known_id="",  # DBLP is searched, never looked up
        unknown_id="",
        requests_for=lambda n: 0,
    ),
    "openalex": Case(
        server=lambda: FakeOpenAlex(openalex_works(CORPUS), enforce_limits=False),
        known=CORPUS[1],
        known_id=CORPUS[1].doi,
        unknown_id="10.9999/not.in.openalex",
        requests_for=lambda n: 1,  # fifty DOIs to a list call
        more_ids=(CORPUS[0].doi, CORPUS[5].doi),
    ),
    "pubmed": Case(
        server=lambda: FakePubMed(pubmed_references(CORPUS), enforce_limits=False),
        known=CORPUS[0],
        known_id=CORPUS[0].pmid,
        unknown_id="1",
        requests_for=lambda n: 1,  # two hundred PMIDs to an efetch
        more_ids=(CORPUS[4].pmid, CORPUS[8].pmid),
    ),
    "europepmc": Case(
        server=lambda: FakeEuropePmc(pubmed_references(CORPUS), enforce_limits=False),
        known=CORPUS[0],
        known_id=CORPUS[0].pmid,
        unknown_id="1",
        requests_for=lambda n: 1,  # a hundred identifiers OR-ed into one query
        more_ids=(CORPUS[4].pmcid, CORPUS[8].pmid),
    ),
    "semanticscholar": Case(
        server=lambda: FakeSemanticScholar(semanticscholar_papers(CORPUS), enforce_limits=False),
        known=CORPUS[1],
        known_id=f"DOI:{CORPUS[1].doi}",
        unknown_id="DOI:10.9999/not.in.s2",
        requests_for=lambda n: 1,  # five hundred ids to a POST /paper/batch
        more_ids=(f"DOI:{CORPUS[0].doi}", f"DOI:{CORPUS[5].doi}"),
    ),
    "openlibrary": Case(
        server=lambda: FakeOpenLibrary(openlibrary_books(CORPUS), enforce_limits=False),
        known=CORPUS[3],
        known_id=CORPUS[3].isbn,
        unknown_id="9780262033848",
        requests_for=lambda n: 1,  # fifty ISBNs to a Books API request
        more_ids=(CORPUS[7].isbn, CORPUS[11].isbn),
    ),
}


def _settings(name: str, url: str, cache: Path, offline: bool = False) -> Settings:
    return Settings(
        api_url=url, urls={name: url}, cache_dir=cache, mailto="tests@example.org", offline=offline, sources=[name]
    )


def _source(name: str, settings: Settings) -> Source:
    """The registered source over its fake, retrying once without waiting (the contract is not about time)."""
    options: dict[str, Any] = {"retry": RetryPolicy(attempts=2, backoff=0.0), "sleep": lambda _: None}
    if name == "crossref":  # Crossref's client follows the limits its server announces
        return registry.factory(name)(settings, client=HttpClient(settings, **options))  # type: ignore[call-arg]
    return registry.factory(name)(settings, limits=FAST, **options)  # type: ignore[call-arg]


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Case, Any, Source, Path]]:
    name = request.param
    with CASES[name].server() as fake:
        source = _source(name, _settings(name, fake.url, tmp_path / "cache"))
        yield name, CASES[name], fake, source, tmp_path / "cache"
        source.close()


def test_every_registered_source_has_a_contract_case() -> None:
    assert set(registry.SOURCES) <= set(CASES)


def test_a_look_up_finds_what_the_server_holds(case) -> None:
    name, spec, _, source, _ = case
    assert source.identifier(spec.known) == spec.known_id
    if not spec.known_id:
        return
    lookup = source.works([spec.known_id])[spec.known_id]
    assert lookup.status is LookupStatus.FOUND and lookup.candidate is not None
    assert lookup.candidate.source == name and lookup.candidate.id
    assert lookup.candidate.reference.title.casefold().startswith(spec.known.title.casefold()[:20])


def test_a_look_up_of_what_the_server_lacks_is_not_found(case) -> None:
    _, spec, _, source, _ = case
    if not spec.unknown_id:
        return
    assert source.works([spec.unknown_id])[spec.unknown_id].status is LookupStatus.NOT_FOUND


def test_a_search_finds_the_work(case) -> None:
    name, spec, _, source, _ = case
    if not source.searches(spec.known):
        assert name == "openlibrary"  # look-ups only
        return
    [result] = source.search_many([spec.known])
    assert not result.unavailable
    assert any(c.reference.title.casefold() == spec.known.title.casefold() for c in result.candidates)
    assert all(c.source == name for c in result.candidates)


def test_many_identifiers_take_few_requests(case) -> None:
    _, spec, fake, source, _ = case
    ids = [spec.known_id, *spec.more_ids]
    if not spec.known_id:
        return
    before = len(fake.requests)
    answers = source.works(ids)
    assert set(answers) == set(ids) and all(a.status is LookupStatus.FOUND for a in answers.values())
    assert len(fake.requests) - before <= spec.requests_for(len(ids))


@pytest.mark.parametrize("fault", [503, 429, "reset", "html"])
def test_network_trouble_is_unavailable_never_an_exception(case, fault) -> None:
    _, spec, fake, source, _ = case
    fake.script(*[fault] * 4)  # more than the retries
    if spec.known_id:
        assert source.works([spec.known_id])[spec.known_id].status is LookupStatus.UNAVAILABLE
    elif source.searches(spec.known):
        assert source.search(spec.known).unavailable


def test_a_server_that_is_down_is_unavailable(case, tmp_path: Path) -> None:
    name, spec, _, _, _ = case
    settings = _settings(name, "http://127.0.0.1:9", tmp_path / "down")  # nothing listens on the discard port
    source = _source(name, settings)
    if spec.known_id:
        lookup = source.works([spec.known_id])[spec.known_id]
        assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason
    if source.searches(spec.known):
        result = source.search(spec.known)
        assert result.unavailable and result.reason
    source.close()


def test_answers_are_cached_for_an_offline_run(case) -> None:
    name, spec, fake, source, cache = case
    if spec.known_id:
        source.works([spec.known_id])
    searched = source.searches(spec.known)
    if searched:
        source.search(spec.known)
    source.close()
    offline = _source(name, _settings(name, fake.url, cache, offline=True))
    before = len(fake.requests)
    if spec.known_id:
        assert offline.works([spec.known_id])[spec.known_id].status is LookupStatus.FOUND
        missing = offline.works([spec.unknown_id])[spec.unknown_id]
        assert missing.status is LookupStatus.UNAVAILABLE and "offline" in missing.reason
    if searched:
        assert offline.search(spec.known).candidates
    assert len(fake.requests) == before  # nothing was sent
    offline.close()
    offline.close()  # closing twice is harmless


def test_the_default_limits_are_the_apis_own() -> None:
    """The published etiquette (../shared/data/api-responses/SOURCES.md) is each client's default."""
    from refkit.sources import arxiv, datacite, dblp

    assert (arxiv.LIMITS.single, arxiv.LIMITS.interval, arxiv.LIMITS.concurrency) == (1, 3.0, 1)
    assert dblp.LIMITS.interval / dblp.LIMITS.single >= 1.0 and dblp.LIMITS.concurrency == 1
    assert datacite.LIMITS.single / datacite.LIMITS.interval * 300 <= 1000  # 1,000 per 5 min identified


def test_the_default_limits_of_the_other_services_are_their_own() -> None:
    """OpenAlex 100/s in all; NCBI 3/s, 10/s with a key; Semantic Scholar 1/s, one at a time; Open Library
    1/s, 3/s for a client that identifies itself (../shared/data/api-responses/SOURCES.md)."""
    from refkit.sources import openalex, openlibrary, pubmed, semanticscholar

    assert (openalex.LIMITS.single + openalex.LIMITS.list) / openalex.LIMITS.interval <= 100
    assert (pubmed.WITHOUT_KEY.single, pubmed.WITH_KEY.single, pubmed.WITH_KEY.interval) == (3, 10, 1.0)
    assert (semanticscholar.LIMITS.single, semanticscholar.LIMITS.interval, semanticscholar.LIMITS.concurrency) == (
        1,
        1.0,
        1,
    )
    assert (openlibrary.ANONYMOUS.single, openlibrary.IDENTIFIED.single) == (1, 3)
