"""JUnit XML: one test case per entry, failing when the entry has a warning or error."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from refkit.model import Finding, Severity
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

FILE_CASE = -1  # the test case of findings about the file rather than one entry


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
    by_case = _findings_by_case(report)
    cases = [(index, key, line) for index, (key, line) in enumerate(report.keys)]
    if by_case.get(FILE_CASE):
        cases.insert(0, (FILE_CASE, "(file)", 0))
    suite = ET.Element("testsuite", name="refkit validate", tests=str(len(cases)))
    failures = 0
    for index, key, line in cases:
        case = ET.SubElement(suite, "testcase", classname=report.path, name=key, file=report.path, line=str(line))
        findings = by_case.get(index, [])
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


def _findings_by_case(report: ValidationReport) -> dict[int, list[Finding]]:
    """The findings of each entry, by the entry's index in `report.keys`, in one pass; those of no entry (the
    file's own, a block read as no entry) under FILE_CASE. Entries that share a key (duplicates) each get the
    findings from their own line on, so a file of many duplicates costs no more than one of distinct keys."""
    entries: dict[str, list[tuple[int, int]]] = {}  # key -> [(line, index)] in line order
    for index, (key, line) in enumerate(report.keys):
        entries.setdefault(key, []).append((line, index))
    for same_key in entries.values():
        same_key.sort()
    by_case: dict[int, list[Finding]] = {}
    for finding in report.findings:
        candidates = entries.get(finding.key) if finding.key is not None else None
        if not candidates:
            index = FILE_CASE
        else:
            at = bisect_right(candidates, (finding.line or 0, len(report.keys)))
            index = candidates[max(at - 1, 0)][1]
        by_case.setdefault(index, []).append(finding)
    return by_case
