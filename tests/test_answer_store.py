"""The answer store (refkit/sources/store.py): what a run keeps is read back with sqlite3 alone, so a run it
answers whole sends nothing and never imports the HTTP stack; its rows expire as requests-cache's do; an
offline run reads it; `refkit cache clear` empties it (tests/test_cache_cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import responses

from refkit.config import Settings
from refkit.model import Reference
from refkit.sources.base import LookupStatus
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import CACHE_FILE, HttpClient, RetryPolicy
from refkit.sources.store import CACHE_DAYS, STORE_FILE, AnswerStore, Stored
from tests.fakecrossref.fixture import SAMPLE_RECORDS
from tests.fakecrossref.records import read_records
from tests.fakecrossref.server import envelope
from tests.records import STIM_RECORD

API = "https://api.test"
DOI = STIM_RECORD["DOI"].lower()
MONTH = CACHE_DAYS * 86400


class Clock:
    def __init__(self) -> None:
        self.now = time.time()  # where a store with the real clock reads the same rows

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def http() -> responses.RequestsMock:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def source_at(cache: Path, clock: Clock, *, offline: bool = False) -> CrossrefSource:
    settings = Settings(api_url=API, mailto="dev@example.org", cache_dir=cache, offline=offline)
    store = AnswerStore(cache / STORE_FILE, offline=offline, clock=clock)
    client = HttpClient(settings, retry=RetryPolicy(attempts=1), store=store)
    return CrossrefSource(settings, client=client)


def add_batch(http: responses.RequestsMock) -> None:
    body = envelope("work-list", {"items": [STIM_RECORD], "total-results": 1})
    http.add(responses.GET, f"{API}/works", body=body, content_type="application/json")


def test_rows_expire_after_the_cache_days_online_and_still_answer_offline(tmp_path):
    clock = Clock()
    AnswerStore(tmp_path / STORE_FILE, clock=clock).put_many([("k", Stored(200, "application/json", b"{}"))])
    clock.now += MONTH - 60
    assert AnswerStore(tmp_path / STORE_FILE, clock=clock).get("k") == Stored(200, "application/json", b"{}")
    clock.now += 120
    assert AnswerStore(tmp_path / STORE_FILE, clock=clock).get("k") is None
    assert AnswerStore(tmp_path / STORE_FILE, offline=True, clock=clock).get("k") is not None


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path):
    store = AnswerStore(tmp_path / "none" / STORE_FILE)
    assert store.get_many(["a", "b"]) == {} and store.keys() == set()
    assert not (tmp_path / "none").exists()


def test_an_expired_record_is_fetched_again_online_and_read_offline(http, tmp_path):
    clock = Clock()
    add_batch(http)
    assert source_at(tmp_path, clock).works([DOI])[DOI].status is LookupStatus.FOUND
    assert source_at(tmp_path, clock).works([DOI])[DOI].status is LookupStatus.FOUND
    assert len(http.calls) == 1  # the second answered by the store
    clock.now += MONTH + 1
    offline = source_at(tmp_path, clock, offline=True).works([DOI])[DOI]
    assert offline.status is LookupStatus.FOUND and len(http.calls) == 1  # offline, expired still answers
    assert source_at(tmp_path, clock).works([DOI])[DOI].status is LookupStatus.FOUND
    assert len(http.calls) == 2  # online, expired is asked again


def test_a_batchs_records_are_in_the_store_alone_and_answer_offline_without_the_client(http, tmp_path):
    add_batch(http)
    source_at(tmp_path, Clock()).works([DOI])
    assert not (tmp_path / CACHE_FILE).exists() or _responses_in_requests_cache(tmp_path) == 0
    offline = CrossrefSource(Settings(api_url=API, cache_dir=tmp_path, offline=True))
    assert offline.works([DOI])[DOI].status is LookupStatus.FOUND
    assert offline._client is None  # no HTTP client was built to answer


def _responses_in_requests_cache(cache: Path) -> int:
    from refkit.sources.http import cache_stats

    return cache_stats(cache / CACHE_FILE).in_requests_cache


def test_searches_fetched_once_are_answered_by_the_store(http, tmp_path):
    body = envelope("work-list", {"items": [STIM_RECORD]})
    http.add(responses.GET, f"{API}/works", body=body, content_type="application/json")
    references = [Reference(title=STIM_RECORD["title"][0]), Reference(title="Another title altogether")]
    first = source_at(tmp_path, Clock()).search_many(references)
    warm = CrossrefSource(Settings(api_url=API, mailto="dev@example.org", cache_dir=tmp_path))
    again = warm.search_many(references)
    assert [r.candidates[0].id for r in again] == [r.candidates[0].id for r in first] == [STIM_RECORD["DOI"]] * 2
    assert len(http.calls) == 2 and warm._client is None


def test_a_malformed_row_is_dropped_and_asked_again(http, tmp_path):
    add_batch(http)
    source = source_at(tmp_path, Clock())
    source.works([DOI])
    (key,) = source.store.keys()
    source.store.put_many([(key, Stored(200, "application/json", b'{"status": "ok", "message": []}'))])
    assert source_at(tmp_path, Clock()).works([DOI])[DOI].status is LookupStatus.FOUND
    assert len(http.calls) == 2


def _bibliography(path: Path) -> Path:
    """One entry with its DOI, one without (searched): both from the fake's own records."""
    capdeville = next(record for record in read_records(SAMPLE_RECORDS) if record["DOI"] == "10.1038/nrd839")
    path.write_text(
        f"@article{{capdeville, title = {{{capdeville['title'][0]}}}, author = {{Capdeville, R.}}, year = {{2002}},"
        " doi = {10.1038/nrd839}}\n"
        "@article{druker, title = {Efficacy and safety of a specific inhibitor of the BCR-ABL tyrosine kinase in"
        " chronic myeloid leukemia}, author = {Druker, B. J.}, year = {2001}, journal = {N Engl J Med}}\n",
        encoding="utf-8",
    )
    return path


def test_a_warm_validate_sends_nothing_and_never_imports_the_http_stack(fake_crossref, tmp_path):
    """A true end-to-end run: what a process imports is only seen in a fresh one."""
    bib = _bibliography(tmp_path / "refs.bib")
    script = (
        "import json, sys\n"
        "from refkit.cli import main\n"
        f"sys.argv = ['refkit', 'validate', {str(bib)!r}, '--sources', 'crossref', '--mailto', 'dev@example.org',\n"
        f"            '--api-url', {fake_crossref.url!r}, '--cache-dir', {str(tmp_path)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )

    def run() -> tuple[dict, set[str]]:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        return json.loads(done.stdout), set(json.loads(done.stderr.splitlines()[-1]))

    cold, cold_modules = run()
    served = sum(fake_crossref.served.values())
    assert served >= 2 and "requests_cache" in cold_modules  # a DOI and a search were asked
    warm, warm_modules = run()
    assert sum(fake_crossref.served.values()) == served
    assert not {"requests", "requests_cache", "urllib3"} & {name.split(".")[0] for name in warm_modules}
    assert warm["entries"] == cold["entries"] and warm["findings"] == cold["findings"]
    sources = {entry["key"]: entry["source"] for entry in warm["entries"]}
    assert sources == {"capdeville": "crossref", "druker": "crossref"}


def test_a_store_that_fails_is_passed_by_online_with_one_notice(http, tmp_path, caplog):
    (tmp_path / STORE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    add_batch(http)
    http.add(responses.GET, f"{API}/works/{DOI}", body=requests.ConnectionError("must not be asked"))
    source = source_at(tmp_path, Clock())
    assert source.works([DOI])[DOI].status is LookupStatus.FOUND
    assert source.search(Reference(title="Anything")).candidates
    assert [call.request.url.split("?")[0] for call in http.calls] == [f"{API}/works"] * 2
