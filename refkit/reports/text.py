"""The human report: a rich table grouped by entry on a terminal, ruff-like plain lines otherwise.

Entries that could not be checked (RK690) are not listed one by one here: a run without network would drown
the real findings in them. The summary says how many, why, and what to do; json, sarif and junit keep one
finding per entry."""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING

from refkit.model import Finding, Severity, Status
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_STATUS_WORDS = {
    Status.VERIFIED: "verified",
    Status.MISCITED: "real but mis-cited",
    Status.NOT_FOUND: "not found (may not exist)",
    Status.ELSEWHERE: "registered elsewhere",
    Status.UNVERIFIED: "could not check",
}


def _change(finding: Finding) -> str:
    """ "written → recorded", when a finding sets the entry's value beside the record's."""
    if finding.written is not None and finding.recorded is not None:
        return f"{finding.written} → {finding.recorded}"
    return ""


def summary(report: ValidationReport) -> str:
    counts = ", ".join(f"{report.count(s)} {s.value}{'s' if report.count(s) != 1 else ''}" for s in Severity)
    line = f"{len(report.keys)} entries checked in {escape_controls(report.path)}: {counts}"
    statuses = report.statuses()
    if statuses:
        line += "\n" + "; ".join(f"{count} {_STATUS_WORDS[status]}" for status, count in statuses.items())
    notice = unchecked_notice(report)
    return line + (f"\n{notice}" if notice else "")


def unchecked_notice(report: ValidationReport) -> str:
    """One sentence for all the entries that could not be checked: how many, why, and what to do."""
    from refkit.validate import REMEDIES

    causes = report.unchecked()
    if not causes:
        return ""
    total = sum(causes.values())
    why = "; ".join(f"{cause} ({count})" if len(causes) > 1 else cause for cause, count in causes.items())
    remedies = list(dict.fromkeys(REMEDIES[cause] for cause in causes if cause in REMEDIES))
    entries = "entry" if total == 1 else "entries"
    return f"{total} {entries} could not be checked: {escape_controls(why)}" + (
        f"; {'; or '.join(remedies)}" if remedies else ""
    )


def _listed(report: ValidationReport) -> list[Finding]:
    """The findings the text report lists: all but could-not-check, which the summary sums up."""
    from refkit.checks.verify import UNVERIFIED

    return [finding for finding in report.findings if finding.rule != UNVERIFIED.id]


def render_plain(report: ValidationReport) -> str:
    lines = [
        escape_controls(
            f"{f.file or report.path}:{f.line or 0}: {f.rule} [{f.severity.value}] {f.message}"
            + (f" ({change})" if (change := _change(f)) else "")
        )
        for f in _listed(report)
    ]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render_rich(report: ValidationReport, width: int | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width or shutil.get_terminal_size().columns)
    for part in report.parts:
        status_of = {item.key: item.status for item in part.evidence}
        consulted = {item.key: item.consulted for item in part.evidence}
        by_key: dict[str | None, list[Finding]] = {}
        for finding in _listed(part):
            by_key.setdefault(finding.key, []).append(finding)
        for key, findings in by_key.items():
            status = status_of.get(key or "")
            where = f"{part.path}: " if report.files and key else ""
            title = f"[bold]{_inert(where + (key or part.path))}[/bold]"
            title += f"  ({_STATUS_WORDS[status]})" if status else ""
            table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 1))
            for finding in findings:
                message = finding.message.removeprefix(f"{key}: ")  # the table's title already names the entry
                table.add_row(
                    f"{finding.line or ''}",
                    f"[{_STYLE[finding.severity]}]{finding.rule}[/]",
                    _inert(message),
                    _inert(_change(finding)),
                )
            console.print(table)
            asked = consulted.get(key or "")
            if asked and status not in (Status.VERIFIED, None):
                line = escape_controls("  sources: " + "; ".join(map(str, asked)))
                console.print(line, style="dim", markup=False, highlight=False)
    console.print(summary(report), markup=False)  # it names files: `[link=…]` in one is no markup
    return buffer.getvalue()


def _inert(text: str) -> str:
    """Outside data for a rich table: no control characters, and no rich markup (`[link=…]` would make one)."""
    from rich.markup import escape

    return escape(escape_controls(text))


def render(report: ValidationReport) -> str:
    return render_plain(report)
