"""Verification rules over sources that answer from memory: a snapshot of hand-written records in Crossref's
shape (facts of real articles), and stubs for the answers a snapshot cannot give (unavailable, elsewhere)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from refkit.bib import parse_bibliography, to_reference
from refkit.checks.verify import verify
from refkit.model import Reference, Severity, Status
from refkit.sources.base import BaseSource, Lookup, LookupStatus, SearchResult, UnavailableSource
from refkit.sources.records import crossref_candidate
from refkit.sources.snapshot import SnapshotSource
from tests.conftest import shared_file

DRUKER = {
    "DOI": "10.1056/NEJMoa062867",
    "type": "journal-article",
    "title": ["Five-Year Follow-up of Patients Receiving Imatinib for Chronic Myeloid Leukemia"],
    "author": [{"family": "Druker", "given": "Brian J."}, {"family": "Guilhot", "given": "François"}],
    "container-title": ["New England Journal of Medicine"],
    "short-container-title": ["N Engl J Med"],
    "issued": {"date-parts": [[2006, 12, 7]]},
    "volume": "355",
    "issue": "23",
    "page": "2408-2417",
}
JABBOUR = {
    "DOI": "10.1016/j.hoc.2011.09.004",
    "type": "journal-article",
    "title": ["Chronic Myeloid Leukemia: Mechanisms of Resistance and Treatment"],
    "author": [
        {"family": "Jabbour", "given": "Elias"},
        {"family": "Parikh", "given": "Sameer A."},
        {"family": "Kantarjian", "given": "Hagop"},
    ],
    "container-title": ["Hematology/Oncology Clinics of North America"],
    "issued": {"date-parts": [[2011, 10]]},
    "volume": "25",
    "issue": "5",
    "page": "981-995",
}
# SYNTHETIC: no real retraction was recorded (shared/data/SOURCES.md). Crossref's documented shape: the retracted
# article lists the notice under `updated-by` with type "retraction"; Retraction Watch entries carry that source.
RETRACTED = {
    "DOI": "10.5555/synthetic.retracted",
    "type": "journal-article",
    "title": ["A synthetic study of retracted results in imatinib dosing"],
    "author": [{"family": "Example", "given": "Ann"}],
    "container-title": ["Journal of Examples"],
    "issued": {"date-parts": [[2015]]},
    "updated-by": [
        {
            "DOI": "10.5555/synthetic.notice",
            "type": "retraction",
            "label": "Retraction",
            "source": "retraction-watch",
            "updated": {"date-parts": [[2019, 5, 2]]},
        }
    ],
}

BIB = r"""% a comment that must not matter
@article{druker,
  author = {Druker, B. J. and others},
  title = {Five-year follow-up of patients receiving imatinib for chronic myeloid leukemia},
  journal = {N Engl J Med},
  year = {2006}, volume = {355}, number = {23},
  pages = {2408-17},
  doi = {10.1056/nejmoa062867}
}
"""


def check(bibtex: str, source) -> tuple[list, list]:
    bibliography = parse_bibliography(bibtex, "refs.bib")
    pairs = [(entry, to_reference(entry, "refs.bib")) for entry in bibliography.entries]
    return verify(pairs, source)


def snapshot(*records: dict) -> SnapshotSource:
    return SnapshotSource(records=records, name="test-snapshot", complete=True)  # these records are the universe


def rules(findings) -> list[str]:
    return [finding.rule for finding in findings]


class Stub(BaseSource):
    """A source with fixed answers, counting calls (to check batching)."""

    name = "stub"

    def __init__(self, lookups: dict[str, Lookup] | None = None, search: SearchResult | None = None):
        self.lookups = lookups or {}
        self.result = search or SearchResult()
        self.works_calls: list[list[str]] = []

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        self.works_calls.append(list(dois))
        return {doi: self.lookups.get(doi, Lookup(doi, LookupStatus.NOT_FOUND)) for doi in dois}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return self.result


def test_doi_entry_that_agrees_is_verified():
    findings, [evidence] = check(BIB, snapshot(DRUKER))
    assert findings == []
    assert evidence.status is Status.VERIFIED
    assert evidence.record is not None and evidence.record.doi == "10.1056/NEJMoa062867"


def test_disagreeing_fields_show_written_and_recorded_values_at_their_lines():
    bib = BIB.replace("pages = {2408-17}", "pages = {2409--2417}").replace("year = {2006}", "year = {2009}")
    findings, [evidence] = check(bib, snapshot(DRUKER))
    assert evidence.status is Status.MISCITED
    by_rule = {finding.rule: finding for finding in findings}
    assert set(by_rule) == {"RK612", "RK616"}
    assert (by_rule["RK616"].written, by_rule["RK616"].recorded, by_rule["RK616"].line) == ("2409–2417", "2408–2417", 7)
    assert (by_rule["RK612"].field, by_rule["RK612"].line) == ("year", 6)
    assert by_rule["RK612"].severity is Severity.WARNING


def test_a_year_one_off_is_only_information():
    findings, [evidence] = check(BIB.replace("year = {2006}", "year = {2007}"), snapshot(DRUKER))
    assert [(f.rule, f.severity, f.written, f.recorded) for f in findings] == [("RK617", Severity.INFO, "2007", "2006")]
    assert evidence.status is Status.MISCITED and evidence.record is not None


def test_unknown_doi_of_a_real_work_suggests_the_right_doi():
    findings, [evidence] = check(BIB.replace("nejmoa062867", "nejmoa062999"), snapshot(DRUKER))
    assert rules(findings) == ["RK601"]
    assert findings[0].recorded == "10.1056/NEJMoa062867"
    assert "10.1056/NEJMoa062867" in findings[0].message
    assert evidence.status is Status.MISCITED and evidence.record is not None


def test_unknown_doi_of_an_unknown_work_is_not_found():
    findings, [evidence] = check(BIB.replace("nejmoa062867", "nejmoa062999"), snapshot(JABBOUR))
    assert rules(findings) == ["RK601"]
    assert "described work" not in findings[0].message
    assert evidence.status is Status.NOT_FOUND


def test_doi_of_another_work():
    bib = BIB.replace("10.1056/nejmoa062867", "10.1016/j.hoc.2011.09.004")
    findings, [evidence] = check(bib, snapshot(JABBOUR))
    assert rules(findings)[0] == "RK603"
    assert "Mechanisms of Resistance" in findings[0].message
    assert evidence.status is Status.MISCITED and evidence.record is None


# bioRxiv preprint 10.1101/2022.01.04.474957 under the titles of two of its versions (HALLMARK cross-domain data).
RETITLED_PREPRINT = {
    "DOI": "10.1101/2022.01.04.474957",
    "type": "posted-content",
    "title": ["Specialized protrusions coordinate migratory border cell cluster cohesion via Scribble, Cdep, and Rac"],
    "author": [
        {"family": "Campanale", "given": "Joseph P."},
        {"family": "Mondo", "given": "James A."},
        {"family": "Montell", "given": "Denise J."},
    ],
    "publisher": "Cold Spring Harbor Laboratory",
    "issued": {"date-parts": [[2022, 1, 5]]},
}
FIRST_VERSION = r"""@article{campanale,
  author = {Campanale, Joseph P. and Mondo, James A. and Montell, Denise J.},
  title = {A Scribble/Cdep/Rac pathway regulates follower cell crawling and cluster cohesion during collective
    border cell migration},
  journal = {bioRxiv}, year = {2022}, doi = {10.1101/2022.01.04.474957}
}
"""


def test_a_preprint_retitled_between_versions_is_its_doi_with_another_title():
    """Its whole author list and year vouch for it: a title mismatch (a warning), not a DOI of another work."""
    findings, [evidence] = check(FIRST_VERSION, snapshot(RETITLED_PREPRINT))
    assert rules(findings) == ["RK610"] and "Specialized protrusions" in findings[0].message
    assert evidence.record is not None
    for other_authors in ("Mondo, James A. and Montell, Denise J.", "Campanale, Joseph P. and Smith, Ann"):
        findings, _ = check(FIRST_VERSION.replace("Campanale, Joseph P. and Mondo, James A. and Montell, Denise J.",
                                                  other_authors), snapshot(RETITLED_PREPRINT))  # fmt: skip
        assert rules(findings)[0] == "RK603"


def test_doi_of_another_work_is_corrected_when_the_described_work_is_known():
    bib = BIB.replace("10.1056/nejmoa062867", "10.1016/j.hoc.2011.09.004")
    findings, [evidence] = check(bib, snapshot(JABBOUR, DRUKER))
    assert rules(findings) == ["RK603"]
    assert findings[0].recorded == "10.1056/NEJMoa062867"
    assert evidence.record is not None and evidence.agreement["doi"] is False


def test_doi_registered_elsewhere_is_information_not_an_error():
    stub = Stub({"10.1056/nejmoa062867": Lookup("10.1056/nejmoa062867", LookupStatus.ELSEWHERE, agency="DataCite")})
    findings, [evidence] = check(BIB, stub)
    assert rules(findings) == ["RK602"] and findings[0].severity is Severity.INFO
    assert "DataCite" in findings[0].message
    assert evidence.status is Status.ELSEWHERE


def test_network_trouble_is_unverified_never_not_found():
    findings, [evidence] = check(BIB, UnavailableSource("connection reset"))
    assert rules(findings) == ["RK690"]
    assert "connection reset" in findings[0].message
    assert evidence.status is Status.UNVERIFIED
    no_doi = BIB.replace("  doi = {10.1056/nejmoa062867}\n", "").replace("2408-17},", "2408-17}")
    findings, [evidence] = check(no_doi, UnavailableSource("offline, and not in the cache"))
    assert rules(findings) == ["RK690"] and evidence.status is Status.UNVERIFIED


def test_missing_doi_with_a_confident_match_is_suggested():
    no_doi = BIB.replace("  doi = {10.1056/nejmoa062867}\n", "").replace("2408-17},", "2408-17}")
    findings, [evidence] = check(no_doi, snapshot(DRUKER, JABBOUR))
    assert rules(findings) == ["RK620"]
    assert findings[0].recorded == "10.1056/NEJMoa062867" and findings[0].field == "doi"
    assert evidence.status is Status.VERIFIED


def test_borrowed_title_is_a_likely_miscitation_showing_both_works():
    bib = r"""@article{patel,
  author = {Patel, A. B. and others},
  title = {Chronic myeloid leukemia: mechanisms of resistance and treatment},
  journal = {Pharmacology \& Therapeutics}, year = {2017}, volume = {173}, pages = {1--17}
}"""
    findings, [evidence] = check(bib, snapshot(DRUKER, JABBOUR))
    assert rules(findings) == ["RK631"]
    assert findings[0].severity is Severity.ERROR
    assert "Jabbour" in findings[0].message and "2011" in findings[0].message
    assert evidence.status is Status.MISCITED
    assert evidence.record is None and evidence.candidates[0].doi == "10.1016/j.hoc.2011.09.004"


def test_invented_reference_is_not_found_and_says_where_it_looked():
    bib = """@article{invented, author = {Cortes, J. E. and others},
  title = {Imatinib for newly diagnosed chronic-phase chronic myeloid leukemia: results from the CML-IV study},
  journal = {Leukemia}, year = {2019}, volume = {33}, pages = {1865--1872}}"""
    findings, [evidence] = check(bib, snapshot(DRUKER, JABBOUR))
    assert rules(findings) == ["RK630"]
    assert "test-snapshot" in findings[0].message
    assert evidence.status is Status.NOT_FOUND


def test_retracted_work_is_an_error():
    bib = """@article{r, author = {Example, Ann}, title = {A synthetic study of retracted results in imatinib dosing},
  journal = {Journal of Examples}, year = {2015}, doi = {10.5555/synthetic.retracted}}"""
    findings, [evidence] = check(bib, snapshot(RETRACTED))
    assert rules(findings) == ["RK640"]
    assert findings[0].severity is Severity.ERROR
    assert "retracted" in findings[0].message and "Retraction Watch" in findings[0].message
    assert findings[0].recorded == "10.5555/synthetic.notice"
    assert evidence.status is Status.VERIFIED  # the entry describes the work correctly; the work is retracted


def test_real_correction_is_reported_as_information():
    record = json.loads(
        shared_file("data", "crossref", "work_10.1371_journal.pone.0033693.json").read_text(encoding="utf-8")
    )["message"]
    bib = """@article{s, author = {Sadasivan, Shankar and others}, title = {Methylphenidate exposure induces
  dopamine neuron loss and activation of microglia in the basal ganglia of mice}, journal = {PLoS ONE},
  year = {2012}, volume = {7}, number = {3}, pages = {e33693}, doi = {10.1371/journal.pone.0033693}}"""
    findings, [evidence] = check(bib, snapshot(record))
    assert rules(findings) == ["RK642"]
    assert evidence.status is Status.VERIFIED


def test_dois_are_looked_up_in_one_batch():
    stub = Stub(
        {"10.1056/nejmoa062867": Lookup("10.1056/nejmoa062867", LookupStatus.FOUND, crossref_candidate(DRUKER))}
    )
    second = BIB.replace("@article{druker", "@article{druker2")
    _, evidence = check(
        BIB + second + BIB.replace("@article{druker", "@article{other").replace("nejmoa062867", "nejmoa000001"), stub
    )
    assert stub.works_calls == [["10.1056/nejmoa062867", "10.1056/nejmoa000001"]]
    assert [e.status for e in evidence][:2] == [Status.VERIFIED, Status.VERIFIED]


@pytest.mark.parametrize("offline_reason", ["offline, and not in the cache"])
def test_snapshot_then_unavailable_online(offline_reason):
    """The sample's situation: a snapshot plus an online source that cannot answer."""
    source = [SnapshotSource(records=[DRUKER], name="test-snapshot"), UnavailableSource(offline_reason)]
    unknown_doi = BIB.replace("nejmoa062867", "nejmoa999999")
    findings, [evidence] = check(unknown_doi, source)
    assert rules(findings) == ["RK690"] and evidence.status is Status.UNVERIFIED  # not in snapshot: unverified
    invented = """@article{x, author = {Nobody, N.}, title = {A trial that was never run in chronic myeloid leukemia},
  journal = {Leukemia}, year = {2019}}"""
    findings, [evidence] = check(invented, source)
    # an incomplete snapshot's silence proves nothing, and Crossref could not be asked (tests/test_absence.py)
    assert rules(findings) == ["RK690"] and evidence.status is Status.UNVERIFIED
    assert offline_reason in findings[0].message


def test_fallback_answers_what_the_snapshot_cannot_settle():
    online = Stub(search=SearchResult([crossref_candidate(JABBOUR)]))
    # an ordinary snapshot: a complete one's answer would be the whole answer, and the chain would stop there
    source = [SnapshotSource(records=[DRUKER], name="test-snapshot"), online]
    bib = """@article{j, author = {Jabbour, Elias and Parikh, Sameer A. and Kantarjian, Hagop},
  title = {Chronic myeloid leukemia: mechanisms of resistance and treatment},
  journal = {Hematol Oncol Clin North Am}, year = {2011}, volume = {25}, pages = {981--95}}"""
    findings, [evidence] = check(bib, source)
    assert evidence.status is Status.VERIFIED and rules(findings) == ["RK620"]


def test_a_translated_title_with_the_right_doi_is_the_same_work():
    bib = BIB.replace(
        "Five-year follow-up of patients receiving imatinib for chronic myeloid leukemia",
        "Fünfjahresverlauf unter Imatinib bei chronischer myeloischer Leukämie",
    )
    findings, [evidence] = check(bib, snapshot(DRUKER))
    assert rules(findings) == ["RK610"]  # the title differs from the record's; the DOI is not "another work"
    assert evidence.record is not None


def test_miscitation_sets_the_two_works_side_by_side():
    bib = r"""@article{patel, author = {Patel, A. B. and others},
  title = {Chronic myeloid leukemia: mechanisms of resistance and treatment},
  journal = {Pharmacology \& Therapeutics}, year = {2017}}"""
    [finding], _ = check(bib, snapshot(JABBOUR))
    assert finding.written == "Patel et al. 2017, Pharmacology & Therapeutics"
    assert finding.recorded == "Jabbour et al. 2011, Hematology/Oncology Clinics of North America"
    assert "whose authors, year and venue differ" in finding.message
