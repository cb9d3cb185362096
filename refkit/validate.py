"""`refkit validate` as a library call: parse, lint, verify, select rules, decide the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from refkit.bib import Bibliography, load_bibliography, to_reference
from refkit.checks.heuristics import heuristics
from refkit.checks.lint import lint
from refkit.checks.registry import RULES, rule_selected
from refkit.checks.verify import Progress, verify
from refkit.config import Settings, load_settings
from refkit.errors import RefkitError
from refkit.model import Evidence, Finding, Severity, Status
from refkit.sources.base import Source
from refkit.sources.chain import build_source


@dataclass(slots=True)
class ValidationReport:
    """Everything a report renders: the entries checked, their findings, and per-entry evidence."""

    path: str
    keys: list[tuple[str, int]]  # (key, line) of every entry, in file order
    findings: list[Finding]
    evidence: list[Evidence] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def statuses(self) -> dict[Status, int]:
        counts: dict[Status, int] = {}
        for item in self.evidence:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts


def validate_bibliography(
    bibliography: Bibliography, settings: Settings, on_progress: Progress | None = None, source: Source | None = None
) -> ValidationReport:
    """Run every selected rule over a parsed bibliography; `source` replaces the one the settings name."""
    _check_selectors(settings)
    references = [to_reference(entry, bibliography.path) for entry in bibliography.entries]
    pairs = list(zip(bibliography.entries, references, strict=True))
    findings = lint(bibliography, references)
    findings.extend(heuristics(pairs))
    evidence: list[Evidence] = []
    if _verification_selected(settings):
        online, evidence = verify(pairs, source or build_source(settings), on_progress)
        findings.extend(online)
    chosen = {rule_id for rule_id in RULES if rule_selected(rule_id, settings.select, settings.ignore)}
    selected = [f for f in findings if f.rule in chosen]
    selected.sort(key=lambda f: (f.line or 0, f.rule))
    keys = [(entry.key, entry.line) for entry in bibliography.entries]
    return ValidationReport(bibliography.path or "<stdin>", keys, selected, evidence)


def _check_selectors(settings: Settings) -> None:
    """A `select` entry that matches no rule is a typo that silently switches checks off: refuse it. (An
    `ignore` entry that matches nothing switches nothing off.)"""
    for selector in settings.select:
        if not any(rule_id.startswith(selector) for rule_id in RULES):
            raise RefkitError(f"unknown rule selector '{selector}' (rule ids look like RK301; see `refkit rules`)")


def _verification_selected(settings: Settings) -> bool:
    """Look entries up only when some online rule is selected (`--select RK1` stays offline and fast)."""
    return any(rule.online and rule_selected(rule.id, settings.select, settings.ignore) for rule in RULES.values())


def validate(
    path: str | Path, settings: Settings | None = None, on_progress: Progress | None = None
) -> ValidationReport:
    """Validate a .bib file: `refkit.validate("references.bib")`, with the settings of the nearest
    `[tool.refkit]` when none are given, as the command line does."""
    return validate_bibliography(load_bibliography(path), settings or load_settings(Path(path)), on_progress)


def exit_code(report: ValidationReport, fail_on: Severity) -> int:
    """0 when no finding reaches `fail_on`, else 1 (2 is kept for usage and input errors)."""
    return 1 if any(f.severity.rank >= fail_on.rank for f in report.findings) else 0
