"""The Crossref client on every path a real server can take it down, with `responses` standing in for HTTP
and a fake clock so that backoff, Retry-After and rate limits are checked without waiting."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from refkit.config import Settings
from refkit.errors import RefkitError
from refkit.model import Name, Reference
from refkit.sources.base import LookupStatus
from refkit.sources.crossref import MAX_TARGET_BYTES, CrossrefSource, bibliographic_query, doi_batches
from refkit.sources.http import (
    POLITE,
    PUBLIC,
    HttpClient,
    Kind,
    RateLimiter,
    RetryPolicy,
    parse_interval,
    parse_retry_after,
    request_kind,
    url_key,
    warn_anonymous,
)
from tests.cli import run_cli
from tests.conftest import shared_file
from tests.fakecrossref.fixture import SAMPLE_RECORDS
from tests.fakecrossref.records import read_records
from tests.fakecrossref.server import envelope

API = "https://api.test"
RECORDS = {record["DOI"].lower(): record for record in read_records(SAMPLE_RECORDS)}
NEJM, NRD, WATSON = "10.1056/nejm200104053441401", "10.1038/nrd839", "10.1038/171737a0"


class FakeTime:
    """A clock that moves only when someone sleeps: waits are recorded, never spent."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def http() -> responses.RequestsMock:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def make_source(cache: Path, fake_time: FakeTime, **settings: object) -> CrossrefSource:
    options = {"api_url": API, "mailto": "dev@example.org", "cache_dir": cache, "timeout": 2.0, **settings}
    config = Settings(**options)  # type: ignore[arg-type]
    client = HttpClient(
        config,
        retry=RetryPolicy(attempts=3, backoff=0.5),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        rand=lambda: 1.0,
    )
    return CrossrefSource(config, client=client)


@pytest.fixture
def source(tmp_path: Path, fake_time: FakeTime) -> CrossrefSource:
    return make_source(tmp_path / "cache", fake_time)


def work_list(*dois: str) -> bytes:
    items = [{**RECORDS[doi], "score": 0.0} for doi in dois]
    return envelope(
        "work-list",
        {
            "facets": {},
            "total-results": len(items),
            "items": items,
            "items-per-page": len(items),
            "query": {"start-index": 0, "search-terms": None},
        },
    )


def add_batch(http: responses.RequestsMock, *dois: str, **extra: object) -> None:
    http.add(responses.GET, f"{API}/works", body=work_list(*dois), content_type="application/json", **extra)


def add_single(http: responses.RequestsMock, doi: str) -> None:
    http.add(responses.GET, f"{API}/works/{doi}", body=envelope("work", RECORDS[doi]), content_type="application/json")


def add_not_found(http: responses.RequestsMock, doi: str, agency: str | None = None) -> None:
    http.add(responses.GET, f"{API}/works/{doi}", body="Resource not found.", status=404, content_type="text/plain")
    if agency:
        body = envelope("work-agency", {"DOI": doi, "agency": {"id": agency.lower(), "label": agency}})
        http.add(responses.GET, f"{API}/works/{doi}/agency", body=body, content_type="application/json")
    else:
        http.add(
            responses.GET,
            f"{API}/works/{doi}/agency",
            body="Resource not found.",
            status=404,
            content_type="text/plain",
        )


def paths(http: responses.RequestsMock) -> list[str]:
    return [requests.utils.urlparse(call.request.url).path for call in http.calls]


# -- found, not found, registered elsewhere ---------------------------------------------------------------


def test_dois_are_looked_up_in_one_batch(http, source):
    add_batch(http, NEJM, NRD)
    found = source.works([NEJM, NRD])
    assert {doi: lookup.status for doi, lookup in found.items()} == {NEJM: LookupStatus.FOUND, NRD: LookupStatus.FOUND}
    assert found[NRD].candidate.record["title"] == RECORDS[NRD]["title"]
    assert len(http.calls) == 1
    query = requests.utils.urlparse(http.calls[0].request.url).query
    assert "filter=doi:10.1038/nrd839,doi:10.1056/nejm200104053441401" in query
    assert "rows=2" in query and "select=DOI,title," in query


def test_what_a_batch_leaves_out_is_asked_singly_then_by_agency(http, source):
    missing, unknown, zenodo = WATSON, "10.1038/nothing-here", "10.5281/zenodo.1234"
    add_batch(http, NEJM)  # the batch answers for one DOI of four
    add_single(http, missing)
    add_not_found(http, unknown)
    add_not_found(http, zenodo, agency="DataCite")
    found = source.works([NEJM, missing, unknown, zenodo])
    assert found[NEJM].status is LookupStatus.FOUND
    assert found[missing].status is LookupStatus.FOUND and found[missing].candidate.record["volume"] == "171"
    assert found[unknown].status is LookupStatus.NOT_FOUND
    assert found[zenodo].status is LookupStatus.ELSEWHERE and found[zenodo].agency == "DataCite"
    assert sorted(paths(http)) == sorted(
        [
            "/works",
            f"/works/{missing}",
            f"/works/{unknown}",
            f"/works/{unknown}/agency",
            f"/works/{zenodo}",
            f"/works/{zenodo}/agency",
        ]
    )


def test_an_unreachable_agency_is_unavailable_not_not_found(http, source):
    add_batch(http)
    http.add(responses.GET, f"{API}/works/{WATSON}", body="Resource not found.", status=404)
    http.add(responses.GET, f"{API}/works/{WATSON}/agency", status=503)
    lookup = source.works([WATSON])[WATSON]
    assert lookup.status is LookupStatus.UNAVAILABLE
    assert "registration agency could not be checked" in lookup.reason


def test_lookups_are_keyed_by_the_doi_as_asked(http, source):
    add_batch(http, NRD)
    asked = ["https://doi.org/10.1038/NRD839", "10.1038/nrd839"]
    found = source.works(asked)
    assert list(found) == asked and all(lookup.status is LookupStatus.FOUND for lookup in found.values())
    assert found[asked[0]].doi == asked[0] and len(http.calls) == 1


def test_malformed_dois_are_never_sent(http, source):
    found = source.works(["10.1038 nrd839", "nrd839"])
    assert all(lookup.status is LookupStatus.UNAVAILABLE for lookup in found.values())
    assert "well-formed" in found["nrd839"].reason
    assert len(http.calls) == 0


def test_a_doi_with_a_comma_skips_the_filter(http, source):
    odd = "10.1002/(sici)1097-0258(19980815/30)17:15/16<1661::aid-sim968>3.0.co;2-2,x"
    path = f"{API}/works/10.1002/(sici)1097-0258(19980815/30)17:15/16<1661::aid-sim968>3.0.co;2-2%2Cx"
    add_batch(http, NRD)
    http.add(responses.GET, path, body="Resource not found.", status=404)
    http.add(responses.GET, f"{path}/agency", body="Resource not found.", status=404)
    found = source.works([NRD, odd])
    batch_query = requests.utils.urlparse(http.calls[0].request.url).query
    assert "sici" not in batch_query
    assert found[odd].status is LookupStatus.NOT_FOUND


def echo_batch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    """A batch answer holding a minimal record for every DOI in the filter."""
    query = requests.utils.urlparse(request.url).query
    asked = dict(part.split("=", 1) for part in query.split("&"))["filter"].split(",")
    items = [{"DOI": doi.removeprefix("doi:"), "title": ["t"], "score": 0.0} for doi in asked]
    return 200, {"Content-Type": "application/json"}, envelope("work-list", {"items": items})


def test_batches_fit_crossrefs_request_line(http, source):
    dois = [f"10.5555/a-rather-long-suffix-that-pads-the-request-line-{n:04d}" for n in range(240)]
    http.add_callback(responses.GET, f"{API}/works", callback=echo_batch)
    found = source.works(dois)
    assert all(lookup.status is LookupStatus.FOUND for lookup in found.values())
    lengths = sorted(len(call.request.url.removeprefix(API)) for call in http.calls)
    assert len(lengths) == 5  # about 54 DOIs of 63 characters fit in one request line
    assert lengths[-1] <= MAX_TARGET_BYTES
    assert lengths[0] > MAX_TARGET_BYTES - 800  # balanced: no short remainder batch


def test_doi_batches_respect_count_and_budget():
    dois = [f"10.1/{n}" for n in range(250)]
    assert [len(batch) for batch in doi_batches(dois, budget=10_000)] == [84, 83, 83]
    assert all(sum(len(f"doi:{doi},") for doi in batch) <= 100 for batch in doi_batches(dois, budget=100))
    assert sorted(doi for batch in doi_batches(dois, budget=100) for doi in batch) == sorted(dois)


def test_doi_batches_are_as_few_as_the_limits_allow():
    # Filled in order, 1,000 DOIs of mixed lengths (long Wiley ones first) make 11 batches: one cut short by
    # the byte budget, then a remainder. Balanced, the 10 that count and bytes allow.
    dois = [f"10.1002/(sici)1097-0258({n:05d})" for n in range(150)] + [f"10.1/{n}" for n in range(850)]
    budget = 3000
    batches = doi_batches(dois, budget=budget)
    assert len(batches) == 10
    assert all(len(batch) <= 100 and sum(len(f"doi:{d},") for d in batch) <= budget for batch in batches)
    assert all(batch == sorted(batch, key=dois.index) for batch in batches)  # the order given, kept
    assert doi_batches(["10.1/" + "x" * 200, "10.1/a"], budget=100) == [["10.1/a"], ["10.1/" + "x" * 200]]


# -- retries, backoff, Retry-After ----------------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_says(http, source, fake_time):
    http.add(responses.GET, f"{API}/works", status=429, body="Too many requests", headers={"Retry-After": "7"})
    add_batch(http, NRD)
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND
    assert len(http.calls) == 2
    assert any(wait >= 7 for wait in fake_time.sleeps)


def test_429_pauses_every_request_of_its_kind(http, source, fake_time):
    limiter = source.client.limiter
    http.add(responses.GET, f"{API}/works", status=429, headers={"Retry-After": "5"})
    add_batch(http, NRD)
    before = fake_time.now
    source.works([NRD])
    with limiter.slot(Kind.LIST):
        pass
    assert fake_time.now - before >= 5
    assert limiter._next_start[Kind.SINGLE] < limiter._next_start[Kind.LIST]


def test_a_retry_after_beyond_reason_is_not_waited_for(http, source, fake_time):
    http.add(responses.GET, f"{API}/works", status=429, headers={"Retry-After": "3600"})
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and "429" in lookup.reason
    assert len(http.calls) == 1 and max(fake_time.sleeps, default=0) < 3600


def test_retry_after_as_seconds_or_http_date():
    now = datetime(2026, 6, 16, 13, 34, 19, tzinfo=UTC)
    assert parse_retry_after("12", now) == 12
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_5xx_then_success(http, source, fake_time):
    http.add(responses.GET, f"{API}/works", status=503, body="Service Unavailable")
    http.add(responses.GET, f"{API}/works", status=502, body="<html>Bad Gateway</html>", content_type="text/html")
    add_batch(http, NRD)
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND
    assert len(http.calls) == 3
    assert fake_time.sleeps[:2] == [0.5, 1.0]  # exponential backoff (jitter pinned to its top)


def test_backoff_has_jitter_and_a_cap():
    policy = RetryPolicy(backoff=1.0, cap=8.0)
    assert policy.delay(0, None, lambda: 0.0) == 0.5 and policy.delay(0, None, lambda: 1.0) == 1.0
    assert policy.delay(10, None, lambda: 1.0) == 8.0
    assert policy.delay(0, 20.0, lambda: 0.5) == 20.0


def test_5xx_to_the_last_attempt_is_unavailable(http, source):
    http.add(responses.GET, f"{API}/works", status=503, body="Service Unavailable")
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE
    assert lookup.reason == "HTTP 503 Service Unavailable"
    assert len(http.calls) == 3  # RetryPolicy(attempts=3); no single look-ups after a failed batch


def test_timeout_is_retried_then_unavailable(http, source):
    http.add(responses.GET, f"{API}/works", body=requests.exceptions.ReadTimeout("read timed out"))
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason == "no answer within 2 s"
    assert len(http.calls) == 3


def test_connection_reset_then_success(http, source):
    http.add(
        responses.GET,
        f"{API}/works",
        body=requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")),
    )
    add_batch(http, NRD)
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND


def test_connection_refused_everywhere_is_unavailable(http, source):
    http.add(responses.GET, f"{API}/works", body=requests.ConnectionError("refused"))
    http.add(responses.GET, f"{API}/works", body=requests.ConnectionError("refused"))
    http.add(responses.GET, f"{API}/works", body=requests.ConnectionError("refused"))
    assert source.works([NRD])[NRD].reason == "could not connect"
    result = source.search(Reference(title="Deep learning"))
    assert result.unavailable and result.reason == "could not connect"


# -- bodies that are not what they claim -------------------------------------------------------------------


def test_malformed_json_is_unavailable_and_never_cached(http, source):
    http.add(
        responses.GET,
        f"{API}/works",
        body='{"status":"ok","message-type":"work-list","message":{"items":[{',
        content_type="application/json",
    )
    add_batch(http, NRD)
    first = source.works([NRD])[NRD]
    assert first.status is LookupStatus.UNAVAILABLE and "malformed or truncated JSON" in first.reason
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND  # asked again, not served from the cache
    assert len(http.calls) == 2


def test_a_body_cut_off_in_transit_is_retried(http, source):
    http.add(responses.GET, f"{API}/works", body=requests.exceptions.ChunkedEncodingError("IncompleteRead"))
    add_batch(http, NRD)
    assert source.works([NRD])[NRD].status is LookupStatus.FOUND


def test_a_body_always_cut_off_is_unavailable(http, source):
    http.add(responses.GET, f"{API}/works", body=requests.exceptions.ChunkedEncodingError("IncompleteRead"))
    assert source.works([NRD])[NRD].reason == "the response was cut off"


def test_html_instead_of_json(http, source):
    http.add(
        responses.GET,
        f"{API}/works",
        body="<!DOCTYPE html><html><title>Error</title></html>",
        content_type="text/html;charset=utf-8",
    )
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason.startswith("expected JSON, got text/html:")


def test_json_that_is_not_a_crossref_answer(http, source):
    http.add(responses.GET, f"{API}/works", json={"error": "maintenance"})
    assert "not a Crossref response" in source.works([NRD])[NRD].reason


def test_validation_failure_is_unavailable_with_the_servers_message(http, source, shared):
    body = shared_file("data", "crossref", "works_sample200.400.json").read_bytes()
    http.add(responses.GET, f"{API}/works", body=body, status=400, content_type="application/json;charset=utf-8")
    result = source.search(Reference(title="Deep learning", year=2015))
    assert result.unavailable
    assert result.reason.startswith("Crossref rejected the request: Integer specified as 200 but must be")


def test_a_rejected_batch_falls_back_to_single_lookups(http, source):
    failure = {
        "status": "failed",
        "message-type": "validation-failure",
        "message": [{"type": "filter-not-valid", "value": "doi", "message": "Filter value is not valid"}],
    }
    http.add(responses.GET, f"{API}/works", json=failure, status=400)
    add_single(http, NRD)
    http.add(responses.GET, f"{API}/works/{NEJM}", json=failure, status=400)
    found = source.works([NRD, NEJM])
    assert found[NRD].status is LookupStatus.FOUND
    assert found[NEJM].status is LookupStatus.UNAVAILABLE
    assert found[NEJM].reason == "Crossref rejected the request: Filter value is not valid"


# -- etiquette and the cache --------------------------------------------------------------------------------


def test_mailto_goes_in_user_agent_and_params_but_not_the_cache_key(http, tmp_path, fake_time):
    add_batch(http, NRD)
    first = make_source(tmp_path, fake_time, mailto="ada@example.org")
    first.works([NRD])
    request = http.calls[0].request
    assert "mailto:ada@example.org" in request.headers["User-Agent"]
    assert request.headers["User-Agent"].startswith("refkit/")
    assert "mailto=ada%40example.org" in request.url
    for other in ("grace@example.org", ""):
        assert make_source(tmp_path, fake_time, mailto=other).works([NRD])[NRD].status is LookupStatus.FOUND
    assert len(http.calls) == 1  # the same answer from the cache, whoever asks


def test_a_missing_mailto_is_warned_about_once(http, tmp_path, fake_time, caplog):
    warn_anonymous.cache_clear()
    with caplog.at_level(logging.WARNING, logger="refkit.sources.http"):
        make_source(tmp_path, fake_time, mailto="")
        make_source(tmp_path, fake_time, mailto="")
    assert [record.message for record in caplog.records].count(caplog.records[0].message) == 1
    assert "mailto" in caplog.records[0].message
    assert "mailto" not in make_source(tmp_path, fake_time, mailto="").client.params


def test_offline_cache_miss_is_unavailable_and_sends_nothing(http, tmp_path, fake_time):
    source = make_source(tmp_path, fake_time, offline=True)
    lookup = source.works([NRD])[NRD]
    assert lookup.status is LookupStatus.UNAVAILABLE and lookup.reason == "offline, and not in the cache"
    assert source.search(Reference(title="Deep learning")).unavailable
    assert len(http.calls) == 0
    assert not (tmp_path / "http.sqlite").exists()  # an offline run leaves no cache file behind


def test_offline_answers_from_what_was_cached(http, tmp_path, fake_time):
    add_batch(http, NRD)
    make_source(tmp_path, fake_time).works([NRD])
    http.add(responses.GET, f"{API}/works/{NEJM}", body=requests.ConnectionError("must not be asked"))
    offline = make_source(tmp_path, fake_time, offline=True)
    found = offline.works([NRD, NEJM])
    assert found[NRD].status is LookupStatus.FOUND
    assert found[NEJM].status is LookupStatus.UNAVAILABLE
    assert len(http.calls) == 1


def test_cache_hits_are_never_rate_limited(http, tmp_path, fake_time):
    add_batch(http, NRD, NEJM)
    make_source(tmp_path, fake_time).works([NRD, NEJM])
    warm = make_source(tmp_path, fake_time)
    warm.client.limiter.pause(Kind.LIST, 60)
    warm.client.limiter.pause(Kind.SINGLE, 60)
    sleeps_before = len(fake_time.sleeps)
    found = warm.works([NRD, NEJM])
    assert all(lookup.status is LookupStatus.FOUND for lookup in found.values())
    assert len(fake_time.sleeps) == sleeps_before and len(http.calls) == 1


# -- the limiter ------------------------------------------------------------------------------------------


def test_limiter_starts_from_the_published_limits_and_spaces_requests(fake_time):
    limiter = RateLimiter(POLITE, clock=fake_time.clock, sleep=fake_time.sleep)
    starts = {Kind.LIST: [], Kind.SINGLE: []}
    for kind in (Kind.LIST, Kind.SINGLE):
        for _ in range(4):
            with limiter.slot(kind):
                starts[kind].append(fake_time.now)
    gaps = {kind: [b - a for a, b in itertools.pairwise(times)] for kind, times in starts.items()}
    assert all(gap == pytest.approx(1 / 3 * 1.05) for gap in gaps[Kind.LIST])
    assert all(gap == pytest.approx(1 / 10 * 1.05) for gap in gaps[Kind.SINGLE][1:])
    assert limiter.concurrency == 3


def test_limiter_follows_the_servers_headers(fake_time):
    limiter = RateLimiter(POLITE, clock=fake_time.clock, sleep=fake_time.sleep)
    limiter.follow({"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "1"})
    assert limiter.rate(Kind.SINGLE) == (50, 1.0) and limiter.rate(Kind.LIST) == (3, 1.0)
    assert limiter.concurrency == 1
    limiter.follow({"X-Rate-Limit-Limit": "nonsense", "X-Rate-Limit-Interval": "2000ms"})
    assert limiter.rate(Kind.SINGLE) == (50, 2.0)
    limiter.follow({"X-Rate-Limit-Limit": "2", "X-Rate-Limit-Interval": "1s"})  # lists never outpace singles
    assert limiter.rate(Kind.LIST) == (2, 1.0)


@pytest.mark.parametrize("pool", ["polite", "public"])
def test_list_requests_keep_the_pools_list_limit_whatever_the_header_says(fake_time, shared, pool):
    """Crossref's headers give the single-record limit on list answers too (recorded: a polite /works?query
    answer says 10 per second); lists are limited to 3 (polite) or 1 (public) all the same."""
    index = {
        entry["request"]["url"]: entry
        for entry in json.loads(shared_file("data", "crossref", "index.json").read_text(encoding="utf-8"))
    }
    url = {
        "polite": "https://api.crossref.org/works?query=ecology&rows=2",
        "public": "https://api.crossref.org/works?sample=10",
    }[pool]
    headers = requests.structures.CaseInsensitiveDict(index[url]["headers"])
    assert headers["x-api-pool"] == pool
    limiter = RateLimiter(POLITE, clock=fake_time.clock, sleep=fake_time.sleep)
    limiter.follow(headers)
    published = {"polite": POLITE, "public": PUBLIC}[pool]
    assert limiter.rate(Kind.LIST) == (published.list, 1.0)
    assert limiter.rate(Kind.SINGLE) == (float(headers["x-rate-limit-limit"]), 1.0) == (published.single, 1.0)
    assert limiter.concurrency == published.concurrency


def test_limiter_bounds_concurrency():
    limiter = RateLimiter(dataclasses.replace(POLITE, single=1000, list=1000, concurrency=2))
    inside, peak, lock = 0, 0, threading.Lock()
    gate = threading.Barrier(2, timeout=2)

    def work() -> None:
        nonlocal inside, peak
        with limiter.slot(Kind.SINGLE):
            with lock:
                inside += 1
                peak = max(peak, inside)
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait()
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert peak == 2


def test_request_kinds_and_intervals():
    assert request_kind(f"{API}/works?filter=doi:10.1/x") is Kind.LIST
    assert request_kind(f"{API}/works/10.1/x") is Kind.SINGLE
    assert request_kind(f"{API}/works/10.1/x/agency") is Kind.SINGLE
    assert (parse_interval("1s"), parse_interval("500ms"), parse_interval("1m")) == (1.0, 0.5, 60.0)
    assert parse_interval("soon") is None


def test_the_session_responds_to_headers_it_receives(http, source):
    add_batch(
        http,
        NRD,
        headers={
            "X-Rate-Limit-Limit": "1",
            "X-Rate-Limit-Interval": "1s",
            "X-Concurrency-Limit": "1",
            "X-Api-Pool": "public",
        },
    )
    source.works([NRD])
    assert source.client.limiter.rate(Kind.LIST) == (1, 1.0)
    assert source.client.limiter.concurrency == 1


# -- search ---------------------------------------------------------------------------------------------


def test_search_sends_a_bibliographic_query_with_few_rows_and_a_select(http, source):
    record = {**RECORDS[NRD], "score": 61.2}
    http.add(
        responses.GET, f"{API}/works", body=envelope("work-list", {"items": [record]}), content_type="application/json"
    )
    reference = Reference(
        title="Glivec (STI571, imatinib), a rationally developed, targeted anticancer drug",
        authors=[Name(family="Capdeville", given="R."), Name(family="Buchdunger")],
        container_title="Nature Reviews Drug Discovery",
        year=2002,
    )
    result = source.search(reference, rows=3)
    assert not result.unavailable and result.candidates[0].id == "10.1038/nrd839"
    params = dict(parse_qsl(urlsplit(http.calls[0].request.url).query))
    assert params["rows"] == "3" and params["mailto"] == "dev@example.org"
    assert {"update-to", "updated-by", "relation", "short-container-title", "ISSN"} <= set(params["select"].split(","))
    assert params["query.bibliographic"] == bibliographic_query(reference)


def test_bibliographic_query_uses_title_first_authors_container_and_year():
    reference = Reference(
        title="Deep  learning",
        authors=[Name(family="LeCun"), Name(family="Bengio"), Name(family="Hinton"), Name(family="Extra")],
        container_title_short="Nature",
        year=2015,
    )
    assert bibliographic_query(reference) == "Deep learning LeCun Bengio Hinton Nature 2015"


def test_bibliographic_query_sends_the_raw_citation_string_when_there_is_one():
    raw = "LeCun Y, Bengio Y, Hinton G. Deep learning. Nature. 2015;521(7553):436-44."
    reference = Reference(title="Deep learning", authors=[Name("LeCun", "Y")], raw=raw + "\n  ")
    assert bibliographic_query(reference) == raw


def test_search_without_anything_to_search_by_sends_nothing(http, source):
    result = source.search(Reference())
    assert result.candidates == [] and not result.unavailable and len(http.calls) == 0


def test_search_many_keeps_order_and_reports_progress(http, tmp_path, fake_time):
    http.add(
        responses.GET,
        f"{API}/works",
        body=envelope("work-list", {"items": [RECORDS[NRD]]}),
        content_type="application/json",
    )
    seen: list[tuple[int, int]] = []
    source = make_source(tmp_path, fake_time)
    source.on_progress = lambda done, total: seen.append((done, total))
    results = source.search_many([Reference(title=f"title {n}") for n in range(5)])
    assert len(results) == 5 and all(result.candidates for result in results)
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


def test_works_reports_progress_to_the_total(http, tmp_path, fake_time):
    add_batch(http, NRD)
    add_single(http, NEJM)
    seen: list[tuple[int, int]] = []
    source = make_source(tmp_path, fake_time)
    source.on_progress = lambda done, total: seen.append((done, total))
    source.works([NRD, NEJM])
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_the_recorded_api_answers_decode(http, source, shared):
    body = shared_file("data", "crossref", "work_10.1038_srep16696.json").read_bytes()
    add_batch(http)
    http.add(
        responses.GET,
        f"{API}/works/10.1038/srep16696",
        body=body,
        content_type="application/json",
        headers={"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3"},
    )
    lookup = source.works(["10.1038/srep16696"])["10.1038/srep16696"]
    assert lookup.status is LookupStatus.FOUND
    assert lookup.candidate.record == json.loads(body)["message"]


def test_cache_keys_ignore_mailto_parameter_order_and_escaping():
    plain = url_key("GET", f"{API}/works/10.1002/(sici)1097-4636<1::aid>3.0.co;2-x?rows=2&select=DOI")
    assert plain == url_key(
        "get",
        f"{API.upper()}/works/10.1002/%28sici%291097-4636%3C1::aid%3E3.0.co;2-x?select=DOI&mailto=a%40b.org&rows=2",
    )
    assert plain != url_key("GET", f"{API}/works/10.1002/(sici)1097-4636<1::aid>3.0.co;2-y?rows=2&select=DOI")
    assert plain != url_key("GET", f"{API}/works/10.1002/(sici)1097-4636<1::aid>3.0.co;2-x?rows=3&select=DOI")


def test_a_server_that_stopped_answering_is_not_asked_again_for_a_while(http, source, fake_time):
    http.add(responses.GET, f"{API}/works", body=requests.ConnectionError("refused"))
    for _ in range(3):  # three requests spend all their attempts
        assert source.search(Reference(title="Deep learning")).reason == "could not connect"
    assert len(http.calls) == 9
    result = source.search(Reference(title="Deep learning"))
    assert result.unavailable and result.reason.startswith("not sent: 3 requests in a row had failed")
    assert "again in" not in result.reason  # true still when the report is read after the run
    assert len(http.calls) == 9  # failed at once, no backoff spent
    http.replace(
        responses.GET,
        f"{API}/works",
        body=envelope("work-list", {"items": [RECORDS[NRD]]}),
        content_type="application/json",
    )
    fake_time.sleep(61)  # after the cool-down the server is asked again
    assert source.search(Reference(title="Deep learning")).candidates[0].id == "10.1038/nrd839"


@pytest.mark.parametrize("url", ["notaurl", "ftp://api.test", "http://exa mple", "https://", "http://[::1"])
def test_an_api_url_that_is_not_http_is_refused_up_front(tmp_path, url):
    with pytest.raises(RefkitError, match=r"is not an http\(s\) URL for the Crossref API"):
        CrossrefSource(Settings(api_url=url, cache_dir=tmp_path))
    assert not (tmp_path / "http.sqlite").exists()


def test_a_bad_api_url_is_one_line_of_error_from_validate(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={Deep learning}, author={LeCun, Y.}, year={2015}}\n", encoding="utf-8")
    result = run_cli(
        "validate", str(bib), "--online", "--api-url", "notaurl", "--cache-dir", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr == "refkit: error: 'notaurl' is not an http(s) URL for the Crossref API (--api-url, "
        "REFKIT_CROSSREF_URL or api-url in [tool.refkit])\n"
    )
