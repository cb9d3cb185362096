"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from refkit.jsontext import dumps_indented
from refkit.model import Severity
from refkit.text import escape_controls
from refkit.version import __version__

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_DOCS = "https://github.com/refkit/refkit/blob/main/docs/rules.md"


def to_dict(report: ValidationReport) -> dict:
    from refkit.checks import RULES  # the registry, filled by the checks: imported with them, when used

    used = sorted({f.rule for f in report.findings})
    index = {rule_id: position for position, rule_id in enumerate(used)}
    rules = [
        {
            "id": rule_id,
            "name": RULES[rule_id].name,
            "shortDescription": {"text": RULES[rule_id].summary},
            "helpUri": f"{_DOCS}#{rule_id.lower()}-{RULES[rule_id].name}",  # the heading "RKnnn name"
            "defaultConfiguration": {"level": _LEVEL[RULES[rule_id].severity]},
        }
        for rule_id in used
    ]
    results = []
    for finding in report.findings:
        location: dict = {"artifactLocation": {"uri": finding.file or report.path}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        result = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _LEVEL[finding.severity],
            "message": {"text": escape_controls(finding.message)},  # shown as is by viewers and terminals
            "locations": [{"physicalLocation": location}],
        }
        if finding.key:
            result["partialFingerprints"] = {"refkitEntry/v1": f"{finding.rule}:{finding.key}:{finding.field or ''}"}
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "refkit", "version": __version__, "informationUri": _DOCS, "rules": rules}},
                "results": results,
            }
        ],
    }


def render(report: ValidationReport) -> str:
    # json.dumps leaves DEL, C1 and bidi controls raw: written as \u escapes, the same JSON prints safely.
    return escape_controls(dumps_indented(to_dict(report)), keep="\n") + "\n"
