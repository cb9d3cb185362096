"""JUnit XML: one test case per entry, failing when the entry has a warning or error."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from refkit.model import Severity
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.validate import ValidationReport


def render(report: ValidationReport) -> str:
    suites = [_suite(part) for part in report.parts]
    tests = sum(int(suite.get("tests", "0")) for suite in suites)
    failures = sum(int(suite.get("failures", "0")) for suite in suites)
    root = ET.Element("testsuites", name="refkit", tests=str(tests), failures=str(failures))
    root.extend(suites)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    # ElementTree writes through what XML 1.0 forbids even escaped (a DOI with a vertical tab would make CI reject
    # the whole report) and the controls a dashboard would show: escape_controls leaves neither.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + escape_controls(xml, keep="\t\n\r") + "\n"


def _suite(report: ValidationReport) -> ET.Element:
    """One test suite per file checked."""
    by_key: dict[str | None, list] = {}
    for finding in report.findings:
        by_key.setdefault(finding.key, []).append(finding)
    cases = list(report.keys)
    if by_key.get(None):
        cases.insert(0, ("(file)", 0))
    suite = ET.Element("testsuite", name="refkit validate", tests=str(len(cases)))
    failures = 0
    for key, line in cases:
        case = ET.SubElement(suite, "testcase", classname=report.path, name=key, file=report.path, line=str(line))
        findings = by_key.get(None if key == "(file)" else key, [])
        failing = [f for f in findings if f.severity is not Severity.INFO]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", type=failing[0].rule, message=failing[0].message)
            failure.text = "\n".join(f"line {f.line}: {f.rule} [{f.severity.value}] {f.message}" for f in findings)
        elif findings:
            ET.SubElement(case, "system-out").text = "\n".join(f"{f.rule} {f.message}" for f in findings)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return suite
