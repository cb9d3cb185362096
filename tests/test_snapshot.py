"""SnapshotSource: reading the snapshot formats, DOI look-ups, and searching through the title index."""

from __future__ import annotations

import json

import pytest

from refkit.errors import RefkitError
from refkit.match import compare
from refkit.model import Name, Reference
from refkit.sources import snapshot
from refkit.sources.base import LookupStatus
from refkit.sources.snapshot import SnapshotSource
from tests.conftest import shared_file

RECORD = {
    "DOI": "10.1038/leu.2017.253",
    "title": ["Assessment of imatinib as first-line treatment of chronic myeloid leukemia"],
    "author": [{"family": "Hehlmann", "given": "R."}],
    "issued": {"date-parts": [[2017]]},
}


def test_reads_jsonl_single_messages_api_responses_and_work_lists(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(RECORD) + "\n\n", encoding="utf-8")
    folder = tmp_path / "records"
    folder.mkdir()
    other = dict(RECORD, DOI="10.5555/two")
    (folder / "one.json").write_text(json.dumps({"status": "ok", "message": other}), encoding="utf-8")
    listing = {"message": {"items": [dict(RECORD, DOI="10.5555/three"), dict(RECORD, DOI="10.5555/four")]}}
    (folder / "list.json").write_text(json.dumps(listing), encoding="utf-8")
    source = SnapshotSource([tmp_path / "a.jsonl", folder])
    assert len(source) == 4
    lookups = source.works(["10.1038/LEU.2017.253", "10.5555/two", "10.5555/missing"])
    # not in an incomplete snapshot: no answer, not "no such DOI" (tests/test_absence.py)
    assert [lookups[d].status for d in lookups] == [LookupStatus.FOUND, LookupStatus.FOUND, LookupStatus.UNAVAILABLE]
    assert "not in snapshot" in lookups["10.5555/missing"].reason


def test_bad_snapshot_files_are_clean_errors(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"DOI": "10.1/x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(RefkitError, match="invalid JSON at line 2"):
        SnapshotSource([broken])
    (tmp_path / "broken.json").write_text('{"message":\n  {"DOI": }}', encoding="utf-8")
    with pytest.raises(RefkitError, match="invalid JSON at line 2"):
        SnapshotSource([tmp_path / "broken.json"])
    with pytest.raises(RefkitError, match="no such snapshot"):
        SnapshotSource([tmp_path / "absent.jsonl"])


def test_search_finds_real_records_by_title_words():
    """The real records of shared/data/crossref-records (1,747, or the excerpt's 122) behind a snapshot: about
    150 of them, spread over the file, are each found by their own title among all the others."""
    path = shared_file("data", "crossref-records", "works.jsonl")
    source = SnapshotSource([path])
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    found = total = 0
    for record in records[:: max(1, len(records) // 150)]:
        title = (record.get("title") or [""])[0]
        if len(title.split()) < 3:
            continue
        total += 1
        result = source.search(Reference(title=title.lower(), authors=[Name(family="Nobody")]), rows=5)
        found += record["DOI"].lower() in [c.id.lower() for c in result.candidates]
    assert total > 100 and found / total > 0.97


def test_a_search_on_a_large_snapshot_scores_only_a_shortlist(monkeypatch):
    """30,000 synthetic records (distinct titles made from a vocabulary): a search scores with the matcher only
    the few records that share the title's most informative words, however large the snapshot."""
    words = [f"w{index}" for index in range(3000)]

    def title(n: int) -> str:  # n % 3000 and n // 3000 together make every title distinct
        return " ".join([words[n % 3000], words[n // 3000], words[(n * 7) % 3000], words[(n * 13) % 3000]])

    source = SnapshotSource(records=({"DOI": f"10.5555/{n}", "title": [title(n)]} for n in range(30_000)), name="big")
    scored = []

    def counted_compare(reference, candidate):
        scored.append(candidate)
        return compare(reference, candidate)

    monkeypatch.setattr(snapshot, "compare", counted_compare)
    result = source.search(Reference(title=title(4242)))
    assert result.candidates[0].id == "10.5555/4242"
    assert 0 < len(scored) <= snapshot.SHORTLIST < len(source) / 100


def test_a_title_given_as_a_string_is_searchable(tmp_path):
    path = tmp_path / "hand.jsonl"
    path.write_text(json.dumps(dict(RECORD, title=RECORD["title"][0])) + "\n", encoding="utf-8")
    result = SnapshotSource([path]).search(Reference(title=RECORD["title"][0]))
    assert [c.id for c in result.candidates] == [RECORD["DOI"]]
