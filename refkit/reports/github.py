"""GitHub Actions workflow commands, so findings show inline on the pull request's changed lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from refkit.model import Severity
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    """GitHub's escaping for a command's message (`%`, CR and LF, so data cannot start a command of its own,
    `::add-mask::` or `::stop-commands::`), then no control character: the log renders ANSI sequences."""
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ValidationReport) -> str:
    from refkit.checks import RULES  # the registry, filled by the checks: imported with them, when used

    lines = []
    for finding in report.findings:
        rule = RULES[finding.rule]
        properties = [f"file={_escape_property(finding.file or report.path)}"]
        if finding.line:
            properties.append(f"line={finding.line}")
        properties.append(f"title={_escape_property(f'{finding.rule} {rule.name}')}")
        lines.append(f"::{_LEVEL[finding.severity]} {','.join(properties)}::{_escape_data(finding.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
