"""The sample bibliography against the shipped snapshot (cache/), offline, as on a fresh clone."""

from __future__ import annotations

import shutil
from pathlib import Path

from refkit.config import load_settings
from refkit.model import Answer, Status
from refkit.sources.registry import DEFAULT_SOURCES
from refkit.validate import validate
from tests.cli import run_cli
from tests.conftest import shared_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "references.bib"

EXPECTED = {
    "druker2006five": Status.VERIFIED,
    "hochhaus2017long": Status.VERIFIED,
    "saussele2016discontinuation": Status.MISCITED,  # the 2018 EURO-SKI paper, cited with 2016's numbers
    "mahon2010discontinuation": Status.VERIFIED,
    "etienne2017long": Status.VERIFIED,
    "cortes2019imatinib": Status.NOT_FOUND,  # no such paper: BFORE's first author, CML-IV's study
    "gambacortipasserini2011multicenter": Status.VERIFIED,
    "hehlmann2017assessment": Status.VERIFIED,
    "jabbour2018chronic": Status.VERIFIED,
    "patel2017chronic": Status.MISCITED,  # the title of Jabbour et al. 2011, other authors, year and journal
}


def sample_report():
    settings = load_settings(SAMPLE)
    assert settings.offline and settings.snapshot  # the repository's [tool.refkit] table
    settings.sources = list(DEFAULT_SOURCES)  # the whole default chain, offline: a fresh clone's run
    return validate(SAMPLE, settings)


def test_sample_statuses():
    report = sample_report()
    assert {item.key: item.status for item in report.evidence} == EXPECTED


def test_sample_evidence_names_what_each_source_said():
    """Found in the snapshot: the rest of the chain is not asked. The invented entry: the complete snapshot
    answered no; Crossref, offline, could not be asked; arXiv and DBLP hold no such (medical) work."""
    evidence = {item.key: item for item in sample_report().evidence}
    consulted = evidence["druker2006five"].consulted
    assert [said.source for said in consulted] == ["snapshot:crossref-snapshot.jsonl", *DEFAULT_SOURCES]
    assert [said.answer for said in consulted] == [Answer.FOUND] + [Answer.NOT_ASKED] * len(DEFAULT_SOURCES)
    answers = {said.source: said for said in evidence["cortes2019imatinib"].consulted}
    assert answers["snapshot:crossref-snapshot.jsonl"].answer is Answer.NOT_FOUND
    assert answers["snapshot:crossref-snapshot.jsonl"].covers
    assert answers["crossref"].answer is Answer.UNAVAILABLE and "offline" in answers["crossref"].detail
    assert answers["arxiv"].answer is Answer.NOT_ASKED and answers["dblp"].answer is Answer.NOT_ASKED


def test_sample_findings_give_the_right_values():
    report = sample_report()
    wrong = {
        (f.rule, f.written, f.recorded)
        for f in report.findings
        if f.key == "saussele2016discontinuation" and f.rule.startswith("RK61")
    }
    assert wrong == {
        ("RK612", "2016", "2018"),
        ("RK614", "17", "19"),
        ("RK615", "5", "6"),
        ("RK616", "685–693", "747–757"),
    }
    [miscitation] = [f for f in report.findings if f.key == "patel2017chronic" and f.rule == "RK631"]
    assert "10.1016/j.hoc.2011.09.004" in miscitation.message
    [missing] = [f for f in report.findings if f.key == "cortes2019imatinib" and f.rule == "RK630"]
    assert "snapshot" in missing.message
    suggested = {f.key: f.recorded for f in report.findings if f.rule == "RK620"}
    assert suggested["druker2006five"] == "10.1056/NEJMoa062867"
    assert "cortes2019imatinib" not in suggested and "patel2017chronic" not in suggested


def test_cli_enrich_dry_run_shows_the_fixes_and_writes_nothing(tmp_path):
    before = SAMPLE.read_bytes()
    result = run_cli("enrich", str(SAMPLE), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "-  year = {2016}," in result.stdout and "+  year = {2018}," in result.stdout
    assert "+  doi = {10.1056/NEJMoa062867}" in result.stdout
    assert "cortes2019imatinib (not-found)" in result.stderr
    assert SAMPLE.read_bytes() == before


def test_cli_enrich_in_place_keeps_a_backup(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "cache").mkdir()
    shutil.copy(ROOT / "cache" / "crossref-snapshot.jsonl", tmp_path / "cache" / "crossref-snapshot.jsonl")
    bib = tmp_path / "references.bib"
    shutil.copy(SAMPLE, bib)
    result = run_cli("enrich", str(bib), "--in-place")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "references.bib.bak").read_bytes() == SAMPLE.read_bytes()
    text = bib.read_text(encoding="utf-8")
    assert "volume = {19}" in text and "doi = {10.1016/S1470-2045(18)30192-X}" in text
    # A second run finds nothing more to change.
    again = run_cli("enrich", str(bib), "--dry-run")
    assert again.stdout == "" and "0 field(s) changed" in again.stderr


def test_cli_validate_reports_the_sample():
    result = run_cli("validate", str(SAMPLE), "--format", "json")
    assert result.returncode == 1  # the likely mis-citation is an error
    assert '"not-found": 1' in result.stdout


def test_cli_enrich_in_place_keeps_a_byte_order_mark(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "cache").mkdir()
    shutil.copy(ROOT / "cache" / "crossref-snapshot.jsonl", tmp_path / "cache" / "crossref-snapshot.jsonl")
    bib = tmp_path / "references.bib"
    bib.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    result = run_cli("enrich", str(bib), "--in-place")
    assert result.returncode == 0, result.stderr
    data = bib.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf%") and data.count(b"\xef\xbb\xbf") == 1


def test_the_shipped_snapshot_is_what_the_build_script_makes(tmp_path):
    """cache/crossref-snapshot.jsonl must be rebuilt when ../shared/samples/imatinib-works.json changes."""
    import runpy

    works = shared_file("samples", "imatinib-works.json")
    build = runpy.run_path(str(ROOT / "cache" / "build_snapshot.py"))["build"]
    out = tmp_path / "snapshot.jsonl"
    assert build(works, out) == 12
    assert out.read_bytes() == (ROOT / "cache" / "crossref-snapshot.jsonl").read_bytes()
