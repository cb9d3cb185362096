"""What commands other than validate say about a bibliography's integrity problems (RK101–RK103,
RK107–RK109): broken blocks, duplicate and empty keys, cycles, values too large to read. validate reports
them as findings; export and enrich list them on stderr and exit 1, so none is ever silently dropped."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from refkit.checks.lint import check_problems
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.bib import Bibliography

# Listed one by one up to this many; a file with 10,000 duplicate keys gets a count for the rest.
MAX_LISTED = 20


def report_problems(bibliography: Bibliography, command: str, consequence: str) -> int:
    """Print each problem as `file:line: RULE message` on stderr, then one line saying what `command` did
    about them (`consequence`); returns how many there were."""
    findings = list(check_problems(bibliography))
    path = bibliography.path or "<stdin>"
    for finding in findings[:MAX_LISTED]:
        line = f"{path}:{finding.line or 0}: {finding.rule} [{finding.severity.value}] {finding.message}"
        print(escape_controls(line), file=sys.stderr)
    if len(findings) > MAX_LISTED:
        print(f"… and {len(findings) - MAX_LISTED} more (`refkit validate --select RK1` lists all)", file=sys.stderr)
    if findings:
        print(f"refkit {command}: {len(findings)} problem(s) in {path}: {consequence}", file=sys.stderr)
    return len(findings)
