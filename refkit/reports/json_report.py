"""The JSON report: a documented, versioned schema (refkit/reports/report.schema.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from refkit.jsontext import dumps_indented
from refkit.model import Severity
from refkit.text import escape_controls
from refkit.version import __version__

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

SCHEMA_VERSION = 1


def to_dict(report: ValidationReport) -> dict:
    from refkit.checks import RULES  # the registry, filled by the checks: imported with them, when used

    entries = []
    for part in report.parts:
        evidence = {item.key: item for item in part.evidence}
        for key, line in part.keys:
            item = evidence.get(key)
            entries.append(
                {
                    "key": key,
                    "file": part.path,
                    "line": line,
                    "status": item.status.value if item else None,
                    "score": round(item.score, 3) if item else None,
                    "source": item.source if item else None,
                    "doi": item.record.doi if item and item.record else None,
                    "reason": item.reason if item and item.reason else None,
                    "sources": [
                        {
                            "source": said.source,
                            "answer": said.answer.value,
                            "detail": said.detail or None,
                            "covers": said.covers,
                        }
                        for said in (item.consulted if item else [])
                    ],
                }
            )
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "refkit", "version": __version__},
        "file": None if report.files else report.path,
        "files": [part.path for part in report.parts],
        "summary": {
            "entries": len(report.keys),
            "findings": len(report.findings),
            **{severity.value: report.count(severity) for severity in Severity},
            "statuses": {status.value: count for status, count in report.statuses().items()},
        },
        "findings": [
            {
                "rule": f.rule,
                "name": RULES[f.rule].name,
                "severity": f.severity.value,
                "message": f.message,
                "key": f.key,
                "file": f.file,
                "line": f.line,
                "field": f.field,
                "written": f.written,
                "recorded": f.recorded,
            }
            for f in report.findings
        ],
        "entries": entries,
    }


def render(report: ValidationReport) -> str:
    # json.dumps leaves DEL, C1 and bidi controls raw: written as \u escapes, the same JSON prints safely.
    return escape_controls(dumps_indented(to_dict(report)), keep="\n") + "\n"
