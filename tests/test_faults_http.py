"""Hostile and broken answers over real HTTP (tests/faultserver.py, on 127.0.0.1): garbage is "could not
check" and never cached, redirects stay on the API's own server, bodies and waits are bounded, and a run has
a deadline (issue 15, items 4–8)."""

from __future__ import annotations

import json
import sqlite3
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from refkit.config import Settings
from refkit.model import Reference
from refkit.sources.base import LookupStatus
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import CACHE_FILE, Bounds, HttpClient, Limits, RetryPolicy, open_cache
from refkit.sources.store import STORE_FILE
from tests.cli import run_cli
from tests.faultserver import AREAS, MB, FaultServer

DRUKER = "10.1056/nejm200104053441401"
CAPDEVILLE = Reference(
    type="article-journal",
    title="Glivec (STI571, imatinib), a rationally developed, targeted anticancer drug",
    container_title="Nature Reviews Drug Discovery",
    year=2002,
)
BIB = r"""
@article{druker2001,
  author = {Druker, Brian J. and Talpaz, Moshe and Resta, Debra J.},
  title = {Efficacy and safety of a specific inhibitor of the {BCR-ABL} tyrosine kinase in chronic myeloid leukemia},
  journal = {N Engl J Med}, year = {2001}, volume = {344}, number = {14}, pages = {1031--1037},
  doi = {10.1056/NEJM200104053441401}
}
@article{capdeville2002,
  author = {Capdeville, Renaud and Buchdunger, Elisabeth and Zimmermann, J{\"u}rg and Matter, Alex},
  title = {Glivec ({STI571}, imatinib), a rationally developed, targeted anticancer drug},
  journal = {Nature Reviews Drug Discovery}, year = {2002}, volume = {1}, number = {7}, pages = {493--502}
}
"""


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    with FaultServer(trickle_interval=0.05, bomb_size=64 * MB) as server:
        yield server


# Limits 100 times Crossref's: these tests are about what a fault gives, and a retry spaced by the polite
# limits (a search every 1/3 s) would make each of them wait for nothing.
UNHURRIED = Limits(single=1000, list=300, interval=1.0, concurrency=3)


def source_for(server: FaultServer, cache: Path, bounds: Bounds | None = None, **settings: object) -> CrossrefSource:
    config = Settings(api_url=server.url, cache_dir=cache, mailto="tests@example.org", timeout=5.0, **settings)  # type: ignore[arg-type]
    client = HttpClient(
        config, limits=UNHURRIED, retry=RetryPolicy(attempts=2, backoff=0.01), bounds=bounds or Bounds()
    )
    return CrossrefSource(config, client=client)


def ask(server: FaultServer, cache: Path, **options: object) -> tuple[LookupStatus, str, bool, str]:
    """(lookup status, its reason, search unavailable, its reason) for one DOI and one search."""
    source = source_for(server, cache, **options)  # type: ignore[arg-type]
    try:
        lookup = source.works([DRUKER])[DRUKER]
        result = source.search(CAPDEVILLE)
        return lookup.status, lookup.reason, result.unavailable, result.reason
    finally:
        source.close()


@pytest.mark.parametrize("fault", sorted(AREAS["garbage"]))
def test_garbage_is_could_not_check_and_never_cached(faults, tmp_path, fault):
    faults.mode = fault
    status, reason, unavailable, search_reason = ask(faults, tmp_path)
    assert status is LookupStatus.UNAVAILABLE and "malformed answer from Crossref" in reason
    assert unavailable and "malformed answer from Crossref" in search_reason
    faults.mode = None  # a healthy rerun over the same cache gets the real answers
    status, _, unavailable, _ = ask(faults, tmp_path)
    assert status is LookupStatus.FOUND and not unavailable


def test_garbage_kept_by_an_older_refkit_is_dropped_and_asked_again(faults, tmp_path):
    """A cache poisoned before this check existed: offline it is no answer; online, the network's stands."""
    faults.mode = "html-404"
    session = open_cache(tmp_path / CACHE_FILE)
    with session.cache_disabled():
        poisoned = session.get(f"{faults.url}/works/{DRUKER}?mailto=tests@example.org")
    assert poisoned.status_code == 404
    session.cache.save_response(poisoned, session.cache.create_key(poisoned.request))
    session.close()
    faults.mode = None
    offline = ask(faults, tmp_path, offline=True)
    assert offline[0] is LookupStatus.UNAVAILABLE
    assert ask(faults, tmp_path)[0] is LookupStatus.FOUND


def test_a_redirect_to_another_server_is_not_followed_and_the_mailto_stays_home(faults, tmp_path):
    faults.mode = "redirect-elsewhere"
    status, reason, unavailable, search_reason = ask(faults, tmp_path)
    assert status is LookupStatus.UNAVAILABLE and "another server; not followed" in reason
    assert unavailable and "not followed" in search_reason
    assert faults.elsewhere_requests == []
    faults.mode = None
    assert ask(faults, tmp_path)[0] is LookupStatus.FOUND


def test_a_redirect_within_the_api_is_followed(faults, tmp_path):
    faults.mode = "redirect-home"
    status, _, unavailable, _ = ask(faults, tmp_path)
    assert status is LookupStatus.FOUND and not unavailable


def test_a_gzip_bomb_is_refused_with_bounded_memory(faults, tmp_path):
    faults.mode = "gzip-bomb"  # 64 MB of JSON in 64 KB; the cap here is 4 MB
    tracemalloc.start()
    try:
        status, reason, unavailable, _ = ask(faults, tmp_path, bounds=Bounds(max_body=4 * MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status is LookupStatus.UNAVAILABLE and reason == "the answer is larger than the 4 MB refkit reads"
    assert unavailable
    assert peak < 24 * MB  # inflated in full before: 64 MB and more


def test_an_oversized_plain_body_is_refused(faults, tmp_path):
    faults.mode = "huge-body"
    status, reason, _, _ = ask(faults, tmp_path, bounds=Bounds(max_body=4 * MB))
    assert status is LookupStatus.UNAVAILABLE and "larger than the 4 MB" in reason


@pytest.mark.timeout(60)
def test_a_trickled_body_is_cut_off_per_attempt(faults, tmp_path):
    faults.mode = "trickle"  # a byte every 50 ms: a record takes a minute; each attempt gets 0.3 s
    status, reason, unavailable, _ = ask(faults, tmp_path, bounds=Bounds(attempt_seconds=0.3))
    assert status is LookupStatus.UNAVAILABLE and reason.startswith("the answer took longer than")
    assert unavailable


@pytest.mark.timeout(60)
def test_past_the_deadline_entries_are_could_not_check_naming_it(faults, tmp_path):
    faults.mode = "trickle"
    started = time.monotonic()
    status, _, unavailable, search_reason = ask(faults, tmp_path, deadline=1.0)
    assert status is LookupStatus.UNAVAILABLE and unavailable
    assert "deadline of 1 s" in search_reason  # asked after the deadline: not sent at all
    assert time.monotonic() - started < 30  # a hang guard, not a speed: the trickle alone takes minutes


@pytest.mark.timeout(60)
def test_a_long_retry_after_is_not_waited_for(faults, tmp_path):
    faults.mode = "retry-after-100"
    status, reason, unavailable, search_reason = ask(faults, tmp_path)
    assert status is LookupStatus.UNAVAILABLE and "asked for a 100 s pause (Retry-After)" in reason
    assert unavailable and "100 s pause" in search_reason
    assert len(faults.requests) == 1  # the pause is kept: nothing more is sent during it


# -- through the command line ----------------------------------------------------------------------------


def validate(server: FaultServer, tmp_path: Path, *options: str):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    return run_cli(
        "validate", str(bib), "--format", "json", "--api-url", server.url, "--cache-dir", str(tmp_path / "cache"),
        "--mailto", "tests@example.org", *options,
    )  # fmt: skip


@pytest.mark.timeout(120)
def test_the_deadline_option_ends_a_trickled_run_with_rk690_naming_it(faults, tmp_path):
    faults.mode = "trickle"
    result = validate(faults, tmp_path, "--deadline", "1")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert {entry["status"] for entry in report["entries"]} == {"unverified"}
    rules = {finding["rule"] for finding in report["findings"]}
    assert rules == {"RK690"}
    assert any("deadline of 1 s" in finding["message"] for finding in report["findings"])


def test_the_deadline_comes_from_the_environment_and_is_checked(faults, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_DEADLINE", "soon")
    result = validate(faults, tmp_path)
    assert result.returncode == 2 and "deadline in REFKIT_DEADLINE must be a positive number" in result.stderr


def test_garbage_over_the_cli_is_unverified_never_may_not_exist(faults, tmp_path, quick_clients):
    faults.mode = "list-message"
    result = validate(faults, tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 3 and {entry["status"] for entry in report["entries"]} == {"unverified"}
    assert {finding["rule"] for finding in report["findings"]} == {"RK690"}


# -- a cache that cannot be used -------------------------------------------------------------------------


def damage(cache: Path) -> None:
    """Overwrite the middle of both SQLite files of the cache folder (requests-cache's and the answer
    store): their headers stay readable, some pages do not."""
    for path in (cache / CACHE_FILE, cache / STORE_FILE):
        data = bytearray(path.read_bytes())
        data[len(data) // 3 :] = b"\xff" * (len(data) - len(data) // 3)
        path.write_bytes(bytes(data))


def fill_cache(server: FaultServer, tmp_path: Path) -> Path:
    assert validate(server, tmp_path).returncode == 0
    return tmp_path / "cache"


def test_a_partly_corrupt_cache_online_falls_back_to_the_network(faults, tmp_path, quick_clients):
    damage(fill_cache(faults, tmp_path))
    result = validate(faults, tmp_path)
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert {entry["status"] for entry in report["entries"]} == {"verified"}


def test_a_partly_corrupt_cache_offline_says_it_is_unreadable(faults, tmp_path, quick_clients):
    damage(fill_cache(faults, tmp_path))
    result = validate(faults, tmp_path, "--offline")
    assert "Traceback" not in result.stderr and result.returncode == 3
    messages = [finding["message"] for finding in json.loads(result.stdout)["findings"]]
    assert messages and all("cache" in message and "unreadable" in message for message in messages), messages


def test_cache_clear_on_a_partly_corrupt_cache_is_one_line(faults, tmp_path, quick_clients):
    damage(fill_cache(faults, tmp_path))
    result = run_cli("cache", "clear", "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0 and result.stderr == "" and "Traceback" not in result.stdout
    assert result.stdout.count("\n") == 1
    assert validate(faults, tmp_path).returncode == 0  # and the next run starts afresh


def test_a_cache_that_cannot_be_written_is_passed_by(faults, tmp_path, monkeypatch, quick_clients):
    """Read-only cache files with misses: the answers still come, with one notice on stderr."""
    cache = fill_cache(faults, tmp_path)

    def read_only(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("requests_cache.backends.sqlite.SQLiteCache.save_response", read_only)
    monkeypatch.setattr("refkit.sources.store.AnswerStore.put_many", read_only)
    (cache / CACHE_FILE).unlink()
    (cache / STORE_FILE).unlink()
    result = validate(faults, tmp_path)
    assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr
    assert {entry["status"] for entry in json.loads(result.stdout)["entries"]} == {"verified"}


def test_an_unusable_cache_file_means_a_cache_in_memory_with_one_notice(faults, tmp_path, caplog, quick_clients):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    result = validate(faults, tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    notices = [record.getMessage() for record in caplog.records if "cache" in record.getMessage()]
    assert len(notices) == 1 and "in memory" in notices[0]
