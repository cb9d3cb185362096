"""`refkit enrich` under hostile records: a value that does not fit its field is not written, and what is
written is encoded so that no record can add, remove or change any other field or entry."""

from __future__ import annotations

import copy
import json

import bibtexparser
import pytest

from refkit.bib import parse_bibliography
from refkit.bib.edit import edit_entry
from refkit.config import Settings
from refkit.enrich import enrich_bibliography
from refkit.sources.snapshot import SnapshotSource
from refkit.text import latex_to_unicode
from refkit.validate import validate_bibliography
from tests.cli import run_cli
from tests.records import STIM_RECORD

# The STIM trial cited without year, volume, number, pages and DOI (enrich adds them from a clean record),
# between two entries no record describes.
BIB = """@misc{before, title = {Nothing to do with it}, note = {leave me}}

@article{mahon,
  author = {Mahon, F.-X. and others},
  title = {Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained complete
    molecular remission for at least 2 years: the prospective, multicentre Stop Imatinib (STIM) trial},
  journal = "Lancet Oncol",
}

@book{after, title = {Also unrelated}, year = {1999}}
"""
ADDED = {"year", "volume", "number", "pages", "doi"}  # what the clean record adds
# Dated and without a journal: a confident match, to which enrich adds the record's journal.
DATED = BIB.replace('  journal = "Lancet Oncol",\n', "  year = {2010},\n")

# (what the record says instead, the .bib fields whose value must not be written)
HOSTILE = {
    "volume closes the field": ({"volume": "11}, note = {pwned"}, {"volume"}),
    "volume opens a brace": ({"volume": "11{"}, {"volume"}),
    "volume quoted": ({"volume": '11", note = "x'}, {"volume"}),
    "volume as a list": ({"volume": ["11", "12"]}, {"volume"}),
    "volume too long": ({"volume": "1" * 500}, {"volume"}),
    "pages as a list": ({"page": ["1031", "1037"]}, {"pages"}),
    "pages close the entry": ({"page": "1029}\n}\n@misc{evil, title = {x"}, {"pages"}),
    "pages with a macro": ({"page": "\\input{/etc/passwd}"}, {"pages"}),
    "issue with a newline and a field": ({"issue": "11}\n  author = {Evil, E."}, {"number"}),
    "issue with a control character": ({"issue": "1\x1b[2J1"}, {"number"}),
    "doi closes the field": ({"DOI": "10.1016/x}, note = {pwned"}, {"doi"}),
    "doi that is not a doi": ({"DOI": "not a doi at all"}, {"doi"}),
    "doi with a space": ({"DOI": "10.1016/S1470 2045"}, {"doi"}),
    "doi with a backslash": ({"DOI": "10.1016/x\\relax"}, {"doi"}),
    "year with five digits": ({"issued": {"date-parts": [[20155]]}}, {"year"}),
    "year far in the future": ({"issued": {"date-parts": [[2999]]}}, {"year"}),
    "year before any registered work": ({"issued": {"date-parts": [[99]]}}, {"year"}),
}
# Journals a record may give that enrich must not add to the dated entry.
HOSTILE_JOURNALS = {
    "a nested list": [["Lancet", "Oncol"]],
    "an escape sequence": ["The Lancet \x1b]0;owned\x07Oncology"],
    "a bidi override": ["The Lancet \u202eygolocnO"],
    "a NUL": ["The Lancet\x00Oncology"],
    "a very long name": ["Lancet " * 200],
}
# Text a record may hold and enrich must write so that it reads back as the same text.
AWKWARD_TEXT = [
    'The "Lancet}, note = {pwned',  # a quote in a quoted field, and a lone brace
    "Lancet {Oncology} @misc{evil, title = {x}}",  # balanced braces and an entry opening
    "Lancet & Oncology 100% #1 $x$ a_b ~ back\\slash",  # every LaTeX special
    "Lancet Ońcologý — “quoted”",  # non-ASCII
]


def record(**changes) -> dict:
    hostile = copy.deepcopy(STIM_RECORD)
    hostile.update(changes)
    return hostile


def fields(text: str) -> dict[str, dict[str, str]]:
    """{key: {field: value}} as bibtexparser reads the file (the parser a user's tools would use)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return {entry.key: {f.key.lower(): f.value for f in entry.fields} for entry in library.entries}


def enrich_with(*records: dict, text: str = BIB):
    return enrich_bibliography(parse_bibliography(text, "refs.bib"), SnapshotSource(records=records, name="t"))


def assert_only_mahon_changed(new_text: str, allowed: set[str], text: str = BIB) -> dict[str, str]:
    before, after = fields(text), fields(new_text)
    assert list(after) == list(before)  # no entry added, lost or renamed
    assert after["before"] == before["before"] and after["after"] == before["after"]
    changed = {name for name in before["mahon"].keys() | after["mahon"].keys()}
    changed = {name for name in changed if before["mahon"].get(name) != after["mahon"].get(name)}
    assert changed <= allowed, changed - allowed
    return after["mahon"]


def rk1_findings(text: str) -> list[str]:
    report = validate_bibliography(parse_bibliography(text, "refs.bib"), Settings(select=["RK1"], offline=True))
    return [f"{finding.rule} {finding.key}" for finding in report.findings]


def test_a_clean_record_adds_the_fields_this_file_expects():
    result = enrich_with(STIM_RECORD)
    assert {change.field for change in result.changes} == ADDED and result.unfit == []
    mahon = assert_only_mahon_changed(result.new_text, ADDED)
    assert mahon["volume"] == "11" and mahon["pages"] == "1029--1035"


@pytest.mark.parametrize("name", HOSTILE)
def test_a_value_that_does_not_fit_its_field_is_not_written(name):
    changes, refused = HOSTILE[name]
    result = enrich_with(record(**changes))
    assert {item.field for item in result.unfit} == refused
    assert all(item.key == "mahon" and item.reason for item in result.unfit)
    mahon = assert_only_mahon_changed(result.new_text, ADDED - refused)
    assert not refused & mahon.keys()
    assert rk1_findings(result.new_text) == []


def test_a_year_that_is_not_a_number_is_no_year():
    result = enrich_with(record(issued={"date-parts": [["2001abc"]]}, **{"published-print": [2001]}))
    mahon = assert_only_mahon_changed(result.new_text, ADDED - {"year"})
    assert "year" not in mahon and mahon["volume"] == "11"


def journal_record(journal: object) -> dict:
    return record(**{"container-title": journal, "short-container-title": []})


@pytest.mark.parametrize("name", HOSTILE_JOURNALS)
def test_a_journal_that_is_not_one_line_of_text_is_not_written(name):
    result = enrich_with(journal_record(HOSTILE_JOURNALS[name]), text=DATED)
    assert [(item.key, item.field) for item in result.unfit] == [("mahon", "journal")]
    mahon = assert_only_mahon_changed(result.new_text, ADDED - {"year"}, text=DATED)
    assert "journal" not in mahon and mahon["volume"] == "11"


@pytest.mark.parametrize("journal", AWKWARD_TEXT)
def test_awkward_text_is_encoded_and_reads_back_as_written(journal):
    result = enrich_with(journal_record([journal]), text=DATED)
    assert result.unfit == []
    mahon = assert_only_mahon_changed(result.new_text, ADDED | {"journal"}, text=DATED)
    assert latex_to_unicode(mahon["journal"]) == journal
    assert rk1_findings(result.new_text) == []


def test_a_quoted_field_takes_a_value_with_a_quote_in_braces():
    assert edit_entry('@misc{k, title = "Old"}', {"title": 'A "new" one'}) == '@misc{k, title = {A "new" one}}'
    assert edit_entry('@misc{k, title = "Old"}', {"title": "New"}) == '@misc{k, title = "New"}'


@pytest.mark.parametrize("value", ["x}, note = {y", "x{", "}{"])
def test_an_edit_with_unbalanced_braces_is_refused(value):
    with pytest.raises(ValueError, match="unbalanced"):
        edit_entry("@misc{k, title = {Old}}", {"title": value})


def test_the_command_says_what_it_did_not_write(tmp_path):
    """The whole path a user takes: a snapshot file of hostile records, `enrich --in-place`, then
    `validate --select RK1`."""
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    snapshot = tmp_path / "records.jsonl"
    hostile = record(volume="11}, note = {pwned", page=["1031", "1037"], DOI="10.1016/x}, note={y")
    snapshot.write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    result = run_cli("enrich", str(bib), "--in-place", "--offline", "--snapshot", str(snapshot))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "not written" in result.stderr and "mahon volume" in result.stderr and "mahon doi" in result.stderr
    assert "\n" not in result.stderr.strip()  # one summary line
    mahon = assert_only_mahon_changed(bib.read_text(encoding="utf-8"), {"year", "number"})
    assert mahon["year"] == "2010" and mahon["number"] == "11"
    lint = run_cli("validate", str(bib), "--select", "RK1")
    assert lint.returncode == 0, lint.stdout + lint.stderr
