"""The README tour's manuscript (examples/cml-notes.md) as a fresh clone runs it: extract, validate, map."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
NOTES = "examples/cml-notes.md"
KEYS = [
    "druker2006five",
    "hochhaus2017long",
    "gambacortipasserini2011multicenter",
    "mahon2010discontinuation",
    "etienne2017long",
    "saussele2018discontinuation",  # the list prints EURO-SKI's real year, so its key is 2018's
]


def test_extract_reads_the_printed_list_with_its_fields():
    result = run_cli("extract", NOTES, "--format", "csl-json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == KEYS
    assert items[0]["container-title"] == "N Engl J Med" and items[0]["page"] == "2408–2417"


def test_validate_checks_the_list_offline_from_the_shipped_snapshot():
    result = run_cli("validate", NOTES, "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {entry["key"]: entry["status"] for entry in report["entries"]} == dict.fromkeys(KEYS, "verified")


def test_map_ties_each_marked_claim_to_its_reference():
    result = run_cli("map", NOTES, "--bib", "references.bib", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    claims = json.loads(result.stdout)["claims"]
    cited = {key for claim in claims for marker in claim["markers"] for key in marker["keys"]}
    assert cited == set(KEYS) - {"saussele2018discontinuation"} | {"saussele2016discontinuation"}
