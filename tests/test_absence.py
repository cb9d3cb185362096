"""Evidence of absence only from an authority (issue 9, item 1): "may not exist" (RK630, RK601) only when a
source that covers such a work answered that it has none; otherwise the entry could not be checked (RK690),
and the finding says what was searched and what could not be asked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from refkit.bib import parse_bibliography, to_reference
from refkit.checks.verify import verify
from refkit.config import Settings, load_settings
from refkit.model import Status
from refkit.sources.base import LookupStatus, UnavailableSource
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import HttpClient, RetryPolicy
from refkit.sources.registry import build_sources
from refkit.sources.snapshot import SnapshotSource
from refkit.validate import validate_bibliography

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SNAPSHOT = ROOT / "cache" / "crossref-snapshot.jsonl"

# The sample's invented entry (BFORE's first author, CML-IV's study) and one of its real ones.
INVENTED = r"""@article{cortes2019imatinib,
  author = {Cortes, J. E. and others},
  title = {Imatinib for newly diagnosed chronic-phase chronic myeloid leukemia:
           results from the randomized CML-IV study},
  journal = {Leukemia}, year = {2019}, volume = {33}, number = {8}, pages = {1865--1872}
}
"""
UNKNOWN_DOI = r"""@article{druker2006five,
  author = {Druker, B. J. and others},
  title = {Five-year follow-up of patients receiving imatinib for chronic myeloid leukemia},
  journal = {New England Journal of Medicine}, year = {2006}, volume = {355}, pages = {2408--2417},
  doi = {10.1056/NEJMoa069999}
}
"""


def check(bib: str, source) -> tuple[list[str], Status, str]:
    bibliography = parse_bibliography(bib, "other.bib")
    pairs = [(entry, to_reference(entry, "other.bib")) for entry in bibliography.entries]
    findings, [evidence] = verify(pairs, source)
    return [finding.rule for finding in findings], evidence.status, " ".join(f.message for f in findings)


def sample_snapshot(complete: bool) -> SnapshotSource:
    return SnapshotSource([SAMPLE_SNAPSHOT], complete=complete)


def test_an_incomplete_snapshot_and_no_network_cannot_say_may_not_exist():
    source = [sample_snapshot(complete=False), UnavailableSource("could not connect")]
    rules, status, message = check(INVENTED, source)
    assert rules == ["RK690"] and status is Status.UNVERIFIED
    # what was searched, and what could not be asked and why
    assert "snapshot:crossref-snapshot.jsonl" in message and "unavailable: could not connect" in message
    assert "may not exist" not in message


def test_a_complete_snapshot_is_an_answer_even_without_network():
    source = [sample_snapshot(complete=True), UnavailableSource("could not connect")]
    rules, status, message = check(INVENTED, source)
    assert rules == ["RK630"] and status is Status.NOT_FOUND
    assert "complete" in message


def test_a_doi_an_incomplete_snapshot_lacks_is_unverified_not_unregistered():
    incomplete = [sample_snapshot(complete=False), UnavailableSource("offline, and not in the cache")]
    rules, status, message = check(UNKNOWN_DOI, incomplete)
    assert rules == ["RK690"] and status is Status.UNVERIFIED
    assert "not in snapshot:crossref-snapshot.jsonl" in message and "offline, and not in the cache" in message
    assert sample_snapshot(complete=False).works(["10.1056/nejmoa069999"])["10.1056/nejmoa069999"].status is (
        LookupStatus.UNAVAILABLE
    )
    complete = [sample_snapshot(complete=True), UnavailableSource("offline, and not in the cache")]
    rules, status, _ = check(UNKNOWN_DOI, complete)
    assert rules[0] == "RK601"


def test_snapshot_complete_is_a_setting_so_the_sample_keeps_its_answer(tmp_path):
    """The sample's pyproject declares its snapshot complete; the same snapshot used for another file is not."""
    sample = load_settings(ROOT / "references.bib")
    assert sample.snapshot_complete and sample.snapshot == [SAMPLE_SNAPSHOT]
    (tmp_path / "other.bib").write_text(INVENTED, encoding="utf-8")
    other = load_settings(tmp_path / "other.bib", {"snapshot": [SAMPLE_SNAPSHOT], "offline": True})
    assert not other.snapshot_complete
    for settings, expected in ((other, "RK690"), (replace(other, snapshot_complete=True), "RK630")):
        settings.cache_dir = tmp_path / "cache"
        bibliography = parse_bibliography(INVENTED, "other.bib")
        report = validate_bibliography(bibliography, settings, source=build_sources(settings))
        assert [f.rule for f in report.findings if f.rule.startswith("RK6")] == [expected]


BOOK = r"""@book{knuth-invented,
  author = {Knuth, Donald E.}, title = {The Art of Computer Programming, Volume 7: Quantum Sorting},
  publisher = {Addison-Wesley}, year = {2031}
}
"""
PREPRINT = r"""@article{preprint-invented,
  author = {Quill, Penelope}, title = {Attention is almost all you need for imatinib dosing},
  journal = {arXiv preprint arXiv:2101.00001}, year = {2021}
}
"""
ARTICLE = r"""@article{article-invented,
  author = {Quill, Penelope}, title = {A randomized trial of imatinib holidays in chronic myeloid leukemia},
  journal = {Nature}, year = {2020}, volume = {580}, pages = {101--109}
}
"""


def crossref_statuses(fake, tmp_path, bib: str) -> dict[str, tuple[Status, list[str]]]:
    settings = Settings(api_url=fake.url, cache_dir=tmp_path / "cache", mailto="tests@example.org")
    source = CrossrefSource(settings, client=HttpClient(settings, retry=RetryPolicy(attempts=2, backoff=0.01)))
    try:
        report = validate_bibliography(parse_bibliography(bib, "refs.bib"), settings, source=source)
    finally:
        source.close()
    rules = {item.key: [f.rule for f in report.findings if f.key == item.key] for item in report.evidence}
    return {item.key: (item.status, rules[item.key]) for item in report.evidence}


def test_crossref_answering_no_match_is_absence_only_for_journal_articles(fake_crossref, tmp_path):
    statuses = crossref_statuses(fake_crossref, tmp_path, BOOK + PREPRINT + ARTICLE)
    assert statuses["article-invented"][0] is Status.NOT_FOUND and "RK630" in statuses["article-invented"][1]
    for key in ("knuth-invented", "preprint-invented"):  # Crossref holds few books and no arXiv preprints
        status, rules = statuses[key]
        assert status is Status.UNVERIFIED and "RK690" in rules and "RK630" not in rules, key
