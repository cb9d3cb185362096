"""`refkit enrich`: confident fixes only, as edits of the original text that keep every other byte."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser.model import ExplicitComment, ImplicitComment, Preamble, String

from refkit.bib import parse_bibliography
from refkit.bib.edit import apply_edits, edit_entry, field_spans
from refkit.enrich import enrich_bibliography
from refkit.sources.snapshot import SnapshotSource
from tests.conftest import shared_file
from tests.records import STIM_RECORD

STIM = STIM_RECORD
ETIENNE = {
    "DOI": "10.1200/JCO.2016.68.2914",
    "type": "journal-article",
    "title": [
        "Long-Term Follow-Up of the French Stop Imatinib (STIM1) Study in Patients With Chronic Myeloid Leukemia"
    ],
    "author": [{"family": "Etienne", "given": "Gabriel"}, {"family": "Guilhot", "given": "Joëlle"}],
    "container-title": ["Journal of Clinical Oncology"],
    "issued": {"date-parts": [[2017, 1, 20]]},
    "volume": "35",
    "issue": "3",
    "page": "298-305",
}

# Deliberately untidy: comments, a @string macro, quotes, bare numbers, aligned '=', an unknown field,
# a trailing comma on one entry and not on the other, Windows line endings in one test.
BIB = """%% My bibliography -- keep this header
@string{lo = "The Lancet Oncology"}

@Article{Mahon:2010,
    author    = "Mahon, F.-X. and others",
    title     = "Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained
                 complete molecular remission for at least 2 years: the prospective, multicentre
                 {Stop Imatinib (STIM)} trial",
    journal   = lo,
    year      = 2011,
    pages     = "1029--1035",
    mynote    = {read twice},
}

% between entries
@article{etienne,
  author = {Etienne, G. and others}, title = {Long-term follow-up of the {F}rench {S}top {I}matinib ({STIM1})
    study in patients with chronic myeloid leukemia},
  journal = {J Clin Oncol}, year = {2017}, volume = {35}, number = {3}
}

@misc{unrelated, title = {Something no snapshot holds}, note = {leave me}}
"""


def run(text: str, *records: dict):
    return enrich_bibliography(parse_bibliography(text, "refs.bib"), SnapshotSource(records=records, name="t"))


def test_confident_fixes_keep_every_other_byte():
    result = run(BIB, STIM, ETIENNE)
    new = result.new_text
    assert {(c.key, c.field, c.old, c.new) for c in result.changes} == {
        ("Mahon:2010", "year", "2011", "2010"),
        ("Mahon:2010", "volume", None, "11"),
        ("Mahon:2010", "number", None, "11"),
        ("Mahon:2010", "doi", None, "10.1016/S1470-2045(10)70233-3"),
        ("etienne", "pages", None, "298--305"),
        ("etienne", "doi", None, "10.1200/JCO.2016.68.2914"),
    }
    assert "    year      = 2010,\n" in new  # a bare number stays bare, alignment kept
    assert "    mynote    = {read twice},\n    volume    = {11},\n    number    = {11},\n" in new
    assert "  journal = {J Clin Oncol}, year = {2017}, volume = {35}, number = {3},\n  pages = {298--305},\n" in new
    # Everything outside the edited fields is untouched.
    removed = [line for line in BIB.splitlines() if line not in new.splitlines()]
    assert removed == [
        "    year      = 2011,",
        "  journal = {J Clin Oncol}, year = {2017}, volume = {35}, number = {3}",
    ]
    assert new.startswith('%% My bibliography -- keep this header\n@string{lo = "The Lancet Oncology"}\n')
    assert new.endswith("@misc{unrelated, title = {Something no snapshot holds}, note = {leave me}}\n")
    assert [e.key for e in result.skipped()] == ["unrelated"]
    # The result parses, and the fixed entry now verifies cleanly.
    assert run(new, STIM, ETIENNE).changes == []


def test_windows_line_endings_are_kept():
    text = BIB.replace("\n", "\r\n")
    new = run(text, STIM, ETIENNE).new_text
    assert "\n" not in new.replace("\r\n", "")
    assert "    volume    = {11},\r\n" in new


def test_unconfident_entries_are_left_alone():
    borrowed = """@article{patel, author = {Patel, A. B.}, title = {Discontinuation of imatinib in patients with
  chronic myeloid leukaemia who have maintained complete molecular remission for at least 2 years: the prospective,
  multicentre Stop Imatinib (STIM) trial}, journal = {Pharmacology \\& Therapeutics}, year = {2017}}
"""
    result = run(borrowed, STIM)
    assert result.changes == [] and result.new_text == borrowed and result.diff() == ""


def test_diff_is_unified():
    diff = run(BIB, STIM).diff("refs.bib")
    assert diff.startswith("--- a/refs.bib\n+++ b/refs.bib\n@@ ")
    assert "-    year      = 2011,\n+    year      = 2010,\n" in diff


def test_edit_entry_replaces_with_the_same_delimiters_and_adds_fields():
    raw = '@book{k,\n  title = "Old",\n  year = {1999}\n}'
    assert (
        edit_entry(raw, {"title": "New", "year": "2000", "doi": "10.1/x"})
        == '@book{k,\n  title = "New",\n  year = {2000},\n  doi = {10.1/x}\n}'
    )
    assert edit_entry("@misc{k,\n}", {"doi": "10.1/x"}) == "@misc{k,\n  doi = {10.1/x}\n}"


def test_field_spans_cover_concatenation_and_nested_braces():
    raw = '@article{k, title = {A {B} c}, journal = jan # " and " # {x}, pages = 5}'
    spans = field_spans(raw)
    assert [(s.name, raw[s.value_start : s.value_end]) for s in spans] == [
        ("title", "{A {B} c}"),
        ("journal", 'jan # " and " # {x}'),
        ("pages", "5"),
    ]
    with pytest.raises(ValueError):
        field_spans("@article{k, title = {unbalanced}")


@pytest.mark.parametrize("name", ["tugboat.bib", "texbook3.bib", "biblatex-examples.bib"])
def test_edits_on_real_files_touch_only_the_edited_entries(name):
    """Large real files (shared/data/bibtex): add a field to every 7th entry and change one in every 11th;
    every other entry's text comes back byte for byte, and the whole file re-parses with the new values."""
    text = shared_file("data", "bibtex", name).read_text(encoding="utf-8")
    bibliography = parse_bibliography(text, name)
    entries = [e for e in bibliography.entries]
    changes = {}
    for index, entry in enumerate(entries):
        if index % 7 == 0:
            changes.setdefault(entry.key, {})["refkitnote"] = "added"
        if index % 11 == 0 and "title" in entry.fields:
            changes.setdefault(entry.key, {})["title"] = "Changed title"
    keys = [e.key for e in entries]
    edited_keys = {k for k in changes if keys.count(k) == 1}
    changes = {k: v for k, v in changes.items() if k in edited_keys}
    new = apply_edits(text, bibliography.entries, changes)
    assert apply_edits(text, bibliography.entries, {}) == text
    reparsed = parse_bibliography(new, name)
    before = {e.key: e for e in bibliography.entries}
    for entry in reparsed.entries:
        if entry.key in changes:
            assert entry.fields.get("refkitnote", "added") == "added"
            assert entry.fields.get("title") == changes[entry.key].get("title", before[entry.key].fields.get("title"))
            assert {n: v for n, v in entry.fields.items() if n not in changes[entry.key]} == {
                n: v for n, v in before[entry.key].fields.items() if n not in changes[entry.key]
            }
        elif keys.count(entry.key) == 1:
            assert entry.raw == before[entry.key].raw
    assert len(reparsed.entries) == len(bibliography.entries)
    # Nothing outside the entries moved: comments, @string and @preamble blocks are the same text.
    untouched = [
        b.raw
        for b in bibtexparser.parse_string(bibliography.text, parse_stack=[]).blocks
        if isinstance(b, String | Preamble | ExplicitComment | ImplicitComment)
    ]
    assert all(raw in new for raw in untouched)


@pytest.mark.parametrize(
    "name",
    [
        "traps.bib",
        "article_comma_first.bib",
        "article_start_with_bom.bib",
        "comments_spaces_and_declarations.bib",
        "string.bib",
        "features2.bib",
    ],
)
def test_enrich_without_matches_returns_tricky_files_unchanged(name):
    path = shared_file("data", "bibtex", "tricky-bibtexparser-v1", name)
    text = path.read_text(encoding="utf-8-sig")
    result = run(text, STIM)
    assert result.new_text == text and result.changes == []


def test_a_doi_of_another_work_is_replaced_when_the_described_work_is_known():
    other = {
        "DOI": "10.5555/another.work",
        "title": ["A study of something else entirely in rodents"],
        "author": [{"family": "Elsewhere", "given": "E."}],
        "issued": {"date-parts": [[1999]]},
    }
    bib = """@article{etienne,
  author = {Etienne, G. and others},
  title = {Long-term follow-up of the French Stop Imatinib (STIM1) study in patients with chronic myeloid leukemia},
  journal = {J Clin Oncol}, year = {2017}, volume = {35}, number = {3}, pages = {298--305},
  doi = {10.5555/another.work}
}
"""
    result = run(bib, ETIENNE, other)
    assert [(c.field, c.old, c.new) for c in result.changes] == [
        ("doi", "10.5555/another.work", "10.1200/JCO.2016.68.2914")
    ]
    assert result.new_text == bib.replace("10.5555/another.work", "10.1200/JCO.2016.68.2914")


def test_a_biblatex_date_is_corrected_as_a_date():
    bib = """@article{mahon, author = {Mahon, F.-X. and others}, journaltitle = {Lancet Oncol},
  title = {Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained complete
  molecular remission for at least 2 years: the prospective, multicentre Stop Imatinib (STIM) trial},
  date = {2012-03}, volume = {11}, number = {11}, pages = {1029--1035}, doi = {10.1016/S1470-2045(10)70233-3}}
"""
    result = run(bib, STIM)
    assert [(c.field, c.old, c.new) for c in result.changes] == [("date", "2012-03", "2010-11")]


def test_every_tricky_file_takes_edits_in_every_entry(shared):
    """bibtexparser's tricky inputs (shared/data/bibtex/tricky-bibtexparser-v1): comma-first, one-line,
    no-brace, macro and crossref entries all take a changed and an added field, and re-parse with them."""
    for path in sorted((shared / "data" / "bibtex" / "tricky-bibtexparser-v1").glob("*.bib")):
        text = path.read_text(encoding="utf-8-sig")
        bibliography = parse_bibliography(text, path.name)
        changes = {entry.key: {"doi": "10.5555/x", "year": "1999"} for entry in bibliography.entries}
        edited = parse_bibliography(apply_edits(text, bibliography.entries, changes), path.name)
        assert len(edited.entries) == len(bibliography.entries), path.name
        assert all(e.fields["doi"] == "10.5555/x" and e.fields["year"] == "1999" for e in edited.entries), path.name
