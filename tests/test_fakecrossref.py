"""The fake Crossref speaks the real API's dialect (habanero, a client written against the real API, reads
it; its answers have the shapes and headers of recorded real ones), and CrossrefSource works over real HTTP
against it: limits, 429s, latency and broken answers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from habanero import Crossref

from refkit.config import Settings
from refkit.model import Name, Reference
from refkit.sources.base import LookupStatus
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import POLITE, HttpClient, Kind, RateLimiter, RetryPolicy
from tests.conftest import ROOT, shared_file
from tests.fakecrossref.fixture import SAMPLE_RECORDS
from tests.fakecrossref.records import RecordStore
from tests.fakecrossref.server import FakeCrossref, PoolLimits

NEJM, NRD, LECUN = "10.1056/NEJM200104053441401", "10.1038/nrd839", "10.1038/nature14539"
MAILTO = "dev@example.org"


def source_for(fake: FakeCrossref, cache: Path, **settings: object) -> CrossrefSource:
    options = {"api_url": fake.url, "mailto": MAILTO, "cache_dir": cache, "timeout": 5.0, **settings}
    config = Settings(**options)  # type: ignore[arg-type]
    return CrossrefSource(config, client=HttpClient(config, retry=RetryPolicy(backoff=0.02, cap=0.1)))


# -- the dialect, as habanero (written against the real API) reads it ---------------------------------------


def test_habanero_reads_single_works(fake_crossref):
    cr = Crossref(base_url=fake_crossref.url, mailto=MAILTO)
    answer = cr.works(ids=NEJM)
    assert answer["message-type"] == "work" and answer["message"]["DOI"] == NEJM
    both = cr.works(ids=[NRD, LECUN])
    assert [item["message"]["title"][0] for item in both] == [
        "Glivec (STI571, imatinib), a rationally developed, targeted anticancer drug",
        "Deep learning",
    ]
    with pytest.warns(UserWarning, match="404 on 10.1038/not-a-work"):
        assert cr.works(ids="10.1038/not-a-work", warn=True) is None


def test_habanero_reads_a_bibliographic_query(fake_crossref):
    cr = Crossref(base_url=fake_crossref.url)
    answer = cr.works(
        query_bibliographic="deep residual learning image recognition He Zhang 2016",
        limit=3,
        select=["DOI", "title", "score"],
    )
    items = answer["message"]["items"]
    assert items[0]["DOI"] == "10.1109/CVPR.2016.90" and set(items[0]) == {"DOI", "title", "score"}
    assert answer["message"]["items-per-page"] == 3
    assert [item["score"] for item in items] == sorted((item["score"] for item in items), reverse=True)


def test_habanero_reads_a_doi_filter(fake_crossref):
    cr = Crossref(base_url=fake_crossref.url)
    answer = cr.works(filter={"doi": [NRD, LECUN, "10.1038/not-a-work"]}, limit=10)
    assert answer["message-type"] == "work-list"
    assert sorted(item["DOI"] for item in answer["message"]["items"]) == [LECUN, NRD]
    assert all(item["score"] == 0.0 for item in answer["message"]["items"])


def test_habanero_reads_registration_agencies(fake_crossref):
    cr = Crossref(base_url=fake_crossref.url)
    assert cr.registration_agency([NRD, "10.5281/zenodo.3233"]) == ["Crossref", "DataCite"]


def test_answers_have_the_shape_and_headers_of_recorded_real_ones(fake_crossref, shared):
    index = json.loads(shared_file("data", "crossref", "index.json").read_text())
    recorded = {entry["file"]: entry for entry in index}
    real_work = json.loads(shared_file("data", "crossref", "work_10.1038_srep16696.json").read_bytes())
    real_list = json.loads(shared_file("data", "crossref", "works_query_ecology_rows2.json").read_bytes())
    real_404 = shared_file("data", "crossref", "work_10.1371_notarealdoi.404.txt").read_bytes()

    work = requests.get(f"{fake_crossref.url}/works/{NRD}", params={"mailto": MAILTO}, timeout=5)
    listing = requests.get(
        f"{fake_crossref.url}/works", params={"query.bibliographic": "imatinib", "rows": 2}, timeout=5
    )
    polite_listing = requests.get(
        f"{fake_crossref.url}/works", params={"query": "ecology", "mailto": MAILTO}, timeout=5
    )
    missing = requests.get(f"{fake_crossref.url}/works/10.1371/notarealdoi", timeout=5)

    assert list(work.json()) == list(real_work) and work.json()["message-type"] == real_work["message-type"]
    assert list(listing.json()["message"]) == list(real_list["message"])
    assert missing.status_code == 404 and missing.content == real_404
    assert b"10.1038\\/nrd839" in work.content  # slashes escaped, as Crossref writes them
    for response, file in (
        (work, "work_10.1016_j.neurobiolaging.2010.03.024.json"),
        (missing, "work_10.1371_notarealdoi.404.txt"),
        (polite_listing, "works_query_ecology_rows2.json"),
    ):  # a list answer: singles' limit
        headers = {name: value for name, value in recorded[file]["headers"].items() if name.startswith("x-")}
        assert {name: response.headers[name] for name in headers} == headers


def test_field_queries_on_a_single_work_fail_as_they_do_for_real(fake_crossref, shared):
    real = json.loads(
        shared_file("data", "crossref", "work_10.1371_journal.pone.0033693_query.author.400.json").read_bytes()
    )
    answer = requests.get(f"{fake_crossref.url}/works/{NRD}", params={"query.author": "carl boettiger"}, timeout=5)
    assert answer.status_code == 400 and answer.json() == real


def test_too_many_rows_is_a_validation_failure(fake_crossref):
    answer = requests.get(f"{fake_crossref.url}/works", params={"rows": "5000"}, timeout=5)
    body = answer.json()
    assert answer.status_code == 400 and body["message-type"] == "validation-failure"
    assert body["message"][0]["type"] == "integer-not-valid"


def test_a_request_line_past_4096_bytes_is_refused(fake_crossref):
    dois = ",".join(f"doi:10.5555/{'x' * 60}-{n}" for n in range(80))
    assert requests.get(f"{fake_crossref.url}/works", params={"filter": dois}, timeout=5).status_code == 414


# -- CrossrefSource over real HTTP -------------------------------------------------------------------------


def test_source_over_http_finds_batches_and_tells_agencies_apart(fake_crossref, tmp_path):
    source = source_for(fake_crossref, tmp_path)
    found = source.works([NEJM.lower(), NRD, "10.5281/zenodo.3233", "10.1038/not-a-work"])
    assert [found[doi].status for doi in found] == [
        LookupStatus.FOUND,
        LookupStatus.FOUND,
        LookupStatus.ELSEWHERE,
        LookupStatus.NOT_FOUND,
    ]
    assert found["10.5281/zenodo.3233"].agency == "DataCite"
    assert fake_crossref.served["list"] == 1  # one batch for all four
    assert fake_crossref.requests[0][1]["mailto"] == MAILTO


def test_source_over_http_searches(fake_crossref, tmp_path):
    source = source_for(fake_crossref, tmp_path)
    reference = Reference(
        title="Efficacy and safety of a specific inhibitor of the BCR-ABL tyrosine kinase",
        authors=[Name(family="Druker")],
        container_title="N Engl J Med",
        year=2001,
    )
    result = source.search(reference, rows=2)
    assert result.candidates[0].id == NEJM and len(result.candidates) == 2
    assert "reference" not in result.candidates[0].record and "ISSN" in result.candidates[0].record  # select= at work


def test_a_warm_run_sends_nothing(fake_crossref, tmp_path):
    source_for(fake_crossref, tmp_path).works([NRD, LECUN, "10.1038/not-a-work"])
    asked = len(fake_crossref.requests)
    again = source_for(fake_crossref, tmp_path).works([LECUN, "10.1038/not-a-work", NRD])
    assert again[LECUN].status is LookupStatus.FOUND and again["10.1038/not-a-work"].status is LookupStatus.NOT_FOUND
    assert len(fake_crossref.requests) == asked


def test_past_the_servers_limits_429s_are_waited_out(fake_crossref, tmp_path):
    fake_crossref.enforce_limits = True
    fake_crossref.retry_after = 0
    fake_crossref.latency = 0.4  # longer than the client's spacing of list requests, so they overlap
    fake_crossref.limits["polite"] = PoolLimits(single=100, list=100, concurrency=1)
    source = source_for(fake_crossref, tmp_path)
    results = source.search_many([Reference(title=title) for title in ("deep learning", "imatinib", "leukemia")])
    assert all(result.candidates for result in results)
    assert fake_crossref.rejected > 0  # the client began at 3 concurrent, the server allows 1
    assert source.client.limiter.concurrency == 1  # and it learnt so from the headers


def test_polite_limits_are_kept_without_a_single_429(fake_crossref, tmp_path):
    """The headers announce 10 per second on list answers too, as Crossref's do; lists stay at 3."""
    fake_crossref.enforce_limits = True
    fake_crossref.latency = 0.01
    source = source_for(fake_crossref, tmp_path)
    # The fake counts arrivals in an exact 1 s window: a wide margin absorbs a loaded machine's scheduling delays,
    # while lists spaced for the singles' 10 per second would still be refused.
    source.client.limiter = RateLimiter(POLITE, margin=0.5)
    results = source.search_many([Reference(title=f"deep learning {n}") for n in range(5)])
    assert all(result.candidates for result in results) and fake_crossref.rejected == 0
    assert source.client.limiter.rate(Kind.LIST) == (3, 1.0)
    assert source.client.limiter.rate(Kind.SINGLE) == (10, 1.0)


def test_without_rate_headers_the_client_keeps_the_published_limits(fake_crossref, tmp_path):
    fake_crossref.send_rate_headers = False
    source = source_for(fake_crossref, tmp_path)
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND
    assert source.client.limiter.rate(Kind.LIST) == (3, 1.0) and source.client.limiter.concurrency == 3
    assert not any(
        name.startswith("x-") for name in requests.get(f"{fake_crossref.url}/works/{NRD}", timeout=5).headers
    )


def test_latency_is_overlapped_by_concurrent_requests(fake_crossref, tmp_path):
    """The server counts how many requests it holds at once (each for 0.3 s): a client that waits for each
    answer before asking again never has two in flight. (Counted, not timed: a busy machine cannot fail it.)"""
    fake_crossref.latency = 0.3
    fake_crossref.script(400, path="/works")  # the batch fails, so each of the six DOIs is asked singly
    in_flight, peak = 0, 0
    lock = threading.Lock()
    admit, release = fake_crossref.admit, fake_crossref.release

    def counted_admit(pool: str, kind: str) -> float | None:
        nonlocal in_flight, peak
        wait = admit(pool, kind)
        if wait is None:
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
        return wait

    def counted_release(pool: str) -> None:
        nonlocal in_flight
        with lock:
            in_flight -= 1
        release(pool)

    fake_crossref.admit, fake_crossref.release = counted_admit, counted_release
    dois = sorted(fake_crossref.store.by_doi)
    found = source_for(fake_crossref, tmp_path).works(dois)
    assert all(lookup.status is LookupStatus.FOUND for lookup in found.values()) and len(dois) == 6
    assert fake_crossref.served["single"] == 6
    assert peak >= 2


@pytest.mark.parametrize("fault", [503, "truncated", "reset"])
def test_broken_answers_over_http_are_retried(fake_crossref, tmp_path, fault):
    fake_crossref.script(fault, path="/works")
    assert source_for(fake_crossref, tmp_path).works([NRD])[NRD].status is LookupStatus.FOUND
    assert len(fake_crossref.requests) == 2


@pytest.mark.parametrize(
    ("fault", "reason"), [("html", "expected JSON, got text/html"), ("malformed", "malformed or truncated JSON")]
)
def test_answers_that_are_not_json_are_unavailable(fake_crossref, tmp_path, fault, reason):
    fake_crossref.script(fault)
    lookup = source_for(fake_crossref, tmp_path).works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason.startswith(reason)


def test_a_server_that_is_down_leaves_entries_unverified(tmp_path):
    with FakeCrossref(RecordStore.load(SAMPLE_RECORDS)) as fake:
        url = fake.url
    config = Settings(api_url=url, mailto=MAILTO, cache_dir=tmp_path, timeout=1.0)
    source = CrossrefSource(config, client=HttpClient(config, retry=RetryPolicy(attempts=2, backoff=0.01)))
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason == "could not connect"


def test_the_server_runs_on_its_own(tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakecrossref",
            "--records",
            str(SAMPLE_RECORDS),
            "--port",
            "0",
            "--agency",
            "10.1234/=medra",
            "--limits",
            "polite=50,10,5",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        assert "fake Crossref with 6 records at http://127.0.0.1:" in banner
        url = banner.split(" at ")[1].split()[0]
        assert requests.get(f"{url}/works/{NRD}", timeout=5).json()["message"]["DOI"] == NRD
        listing = requests.get(f"{url}/works", params={"query": "imatinib", "mailto": MAILTO}, timeout=5)
        assert (listing.headers["x-rate-limit-limit"], listing.headers["x-concurrency-limit"]) == ("50", "5")
        agency = requests.get(f"{url}/works/10.1234/abc/agency", timeout=5).json()["message"]["agency"]
        assert agency == {"id": "medra", "label": "mEDRA"}
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_validate_online_finds_what_the_offline_snapshot_finds(tmp_path):
    """The sample's references checked over HTTP against a fake Crossref serving the shipped snapshot's
    records give the same findings as the offline run against the snapshot itself."""
    snapshot, bib = ROOT / "cache" / "crossref-snapshot.jsonl", ROOT / "references.bib"
    if not snapshot.exists() or not bib.exists():
        pytest.skip("the sample snapshot or references.bib is not there")
    from refkit.validate import validate

    offline = validate(
        bib, Settings(snapshot=[snapshot], snapshot_complete=True, offline=True, cache_dir=tmp_path / "offline")
    )
    limits = {"polite": PoolLimits(single=50, list=50, concurrency=3)}
    with FakeCrossref(RecordStore.load(snapshot), limits=limits, enforce_limits=True) as fake:
        online = validate(bib, Settings(api_url=fake.url, mailto=MAILTO, cache_dir=tmp_path / "online"))
        assert fake.rejected == 0
    assert {(f.rule, f.key) for f in online.findings} == {(f.rule, f.key) for f in offline.findings}
    assert online.statuses() == offline.statuses()
