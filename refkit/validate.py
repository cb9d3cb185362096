"""`refkit validate` as a library call: read, lint, verify, select rules, decide the exit code.

A .bib file is checked as written; any other file (LaTeX, Markdown, HTML, docx, plain text) is a document
whose reference list is extracted first, so its findings point at the document's lines. Several files make
one combined report, and one exit code over all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from refkit.bib.convert import to_reference
from refkit.bib.read import Bibliography, load_bibliography, parse_bibliography
from refkit.checks.heuristics import heuristics
from refkit.checks.lint import lint
from refkit.checks.registry import RULES, rule_selected
from refkit.checks.verify import verify
from refkit.config import Settings, load_settings
from refkit.errors import RefkitError
from refkit.model import Evidence, Finding, Reference, Severity, Status

if TYPE_CHECKING:
    from refkit.sources.base import Progress
    from refkit.sources.identify import Sources

BIBTEX_SUFFIXES = frozenset({".bib", ".bibtex"})

# Exit codes, as ruff and pip-audit use them, plus one for "could not check" (docs/report-format.md).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNVERIFIED = 0, 1, 3  # 2: usage or input error (refkit.cli)


@dataclass(slots=True)
class ValidationReport:
    """Everything a report renders: the entries checked, their findings, and per-entry evidence. A combined
    report (several files) also keeps the report of each file in `files`."""

    path: str
    keys: list[tuple[str, int]]  # (key, line) of every entry, in file order
    findings: list[Finding]
    evidence: list[Evidence] = field(default_factory=list)
    files: list[ValidationReport] = field(default_factory=list)

    @property
    def parts(self) -> list[ValidationReport]:
        """The one-file reports this report is made of (itself, for one file)."""
        return self.files or [self]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def statuses(self) -> dict[Status, int]:
        counts: dict[Status, int] = {}
        for item in self.evidence:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts

    def unchecked(self) -> dict[str, int]:
        """Why entries could not be checked, the commonest cause first: {cause: number of entries}."""
        counts: dict[str, int] = {}
        for item in self.evidence:
            if item.status is Status.UNVERIFIED:
                cause = unchecked_cause(item.reason)
                counts[cause] = counts.get(cause, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: -pair[1]))


def combine(reports: Sequence[ValidationReport]) -> ValidationReport:
    """One report over several files (the report itself when there is one)."""
    if len(reports) == 1:
        return reports[0]
    return ValidationReport(
        ", ".join(report.path for report in reports),
        [key for report in reports for key in report.keys],
        [finding for report in reports for finding in report.findings],
        [item for report in reports for item in report.evidence],
        list(reports),
    )


# Why an entry could not be checked, in words a user can act on; the reasons come from the sources
# (refkit/sources/crossref.py, http.py, snapshot.py, chain.py) and verification (refkit/checks/verify.py).
NETWORK = "Crossref could not be reached"
OFFLINE = "offline, and not in the cache or a snapshot"
UNCOVERED = "no source asked holds every work of its kind, and none had it"
_CAUSES = (
    (OFFLINE, ("offline, and not in the cache",)),
    (NETWORK, ("could not connect", "no answer within", "not sent:", "cut off", "HTTP 5", "HTTP 429")),
    (UNCOVERED, ("holds every",)),
)
REMEDIES = {
    NETWORK: "run again with network, or with --offline to answer from the cache only, or --snapshot FILE",
    OFFLINE: "run with --online to ask Crossref, or add a snapshot that holds them (--snapshot FILE)",
    UNCOVERED: "add a snapshot that holds them (--snapshot FILE; --snapshot-complete if it holds every such work)",
}


def unchecked_cause(reason: str) -> str:
    """The cause a could-not-check reason names (the reason itself when it names none of the known ones)."""
    return next((cause for cause, signs in _CAUSES if any(sign in reason for sign in signs)), reason or "unknown")


def validate_bibliography(
    bibliography: Bibliography,
    settings: Settings,
    on_progress: Progress | None = None,
    source: Sources | None = None,
    references: list[Reference] | None = None,
) -> ValidationReport:
    """Run every selected rule over a parsed bibliography; `source` replaces the one the settings name, and
    `references` the References read from the entries (a document's keep their citation strings)."""
    _check_selectors(settings)
    references = references or [to_reference(entry, bibliography.path) for entry in bibliography.entries]
    pairs = list(zip(bibliography.entries, references, strict=True))
    findings = lint(bibliography, references)
    findings.extend(heuristics(pairs))
    evidence: list[Evidence] = []
    if verification_selected(settings):
        if source is None:
            from refkit.sources.registry import build_sources  # the sources only when entries are looked up

            source = build_sources(settings)
        online, evidence = verify(pairs, source, on_progress)
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


def verification_selected(settings: Settings) -> bool:
    """Look entries up only when some online rule is selected (`--select RK1` stays offline and fast)."""
    return any(rule.online and rule_selected(rule.id, settings.select, settings.ignore) for rule in RULES.values())


# Rules about how a .bib file is written (syntax, the fields BibTeX requires of an entry type) say nothing
# about a document's reference list, whose entry types the extractor only guessed.
BIBTEX_ONLY_RULES = ("RK1", "RK201")


@dataclass(slots=True)
class Input:
    """A file read and ready to check: its entries, and for a document the References extracted from it."""

    bibliography: Bibliography
    references: list[Reference] | None = None

    @property
    def is_document(self) -> bool:
        return self.references is not None


def read_inputs(path: str | Path) -> list[Input]:
    """A .bib file as written, or a document's reference list as entries at the document's lines. A
    document whose references are kept in .bib files (LaTeX `\\bibliography`, pandoc's `bibliography:`)
    gives those files. An unreadable file, or a document with no references anywhere, is a RefkitError."""
    if Path(path).suffix.lower() in BIBTEX_SUFFIXES:
        return [Input(load_bibliography(path))]
    if Path(path).suffix.lower() in (".json", ".yaml", ".yml", ".ris"):
        raise RefkitError(
            f"{path}: {Path(path).suffix} bibliographies are not read; check the .bib file it was made from"
        )
    from refkit.bib.write import write_references  # the extractor and the writer only for documents
    from refkit.extract import NoReferenceSection, extract_document, named_bibliographies

    try:
        references = extract_document(path)
    except NoReferenceSection:
        references = []
    if not references:
        named = named_bibliographies(path)
        if not named:
            raise RefkitError(f"{path}: no references found (no reference list, and no .bib file named)")
        return [Input(load_bibliography(bib)) for bib in named]
    bibliography = parse_bibliography(write_references(references), str(path))
    if len(bibliography.entries) != len(references):  # cannot happen for entries we wrote; never pair wrongly
        raise RefkitError(f"{path}: {len(references)} references extracted, but {len(bibliography.entries)} read back")
    paged = _paged(references)
    bibliography.entries = [
        replace(entry, line=number if paged else reference.location.line or 1, field_lines={})
        for number, (entry, reference) in enumerate(zip(bibliography.entries, references, strict=True), 1)
    ]
    return [Input(bibliography, references)]


def validate_input(
    read: Input, settings: Settings, on_progress: Progress | None = None, source: Sources | None = None
) -> ValidationReport:
    """Check one file read by `read_inputs`: a document without the rules that only a .bib file can break."""
    report = validate_bibliography(read.bibliography, settings, on_progress, source, read.references)
    if read.is_document:
        report.findings = [f for f in report.findings if not f.rule.startswith(BIBTEX_ONLY_RULES)]
    if read.references and _paged(read.references):
        report.findings = [_on_page(finding, read.references) for finding in report.findings]
    return report


def _paged(references: list[Reference]) -> bool:
    """A PDF's references: they carry pages, and their items are counted, not lined."""
    return any(reference.location.page for reference in references)


def _on_page(finding: Finding, references: list[Reference]) -> Finding:
    """A PDF's finding, whose line is the item's number in the list, says the page and the item."""
    if finding.line is None or not 0 < finding.line <= len(references):
        return finding
    page = references[finding.line - 1].location.page
    return replace(finding, message=f"page {page}, item {finding.line}: {finding.message}")


def validate(
    path: str | Path, settings: Settings | None = None, on_progress: Progress | None = None
) -> ValidationReport:
    """Validate a .bib file or a document: `refkit.validate("references.bib")`, with the settings of the
    nearest `[tool.refkit]` when none are given, as the command line does."""
    settings = settings or load_settings(Path(path))
    return combine([validate_input(read, settings, on_progress) for read in read_inputs(path)])


def exit_code(report: ValidationReport, fail_on: Severity, allow_unverified: bool = False) -> int:
    """1 when a finding reaches `fail_on`; else 3 when some entry could not be checked (unless that is
    allowed); else 0. (2 is kept for usage and input errors.)"""
    if any(f.severity.rank >= fail_on.rank for f in report.findings):
        return EXIT_FINDINGS
    if not allow_unverified and report.statuses().get(Status.UNVERIFIED):
        return EXIT_UNVERIFIED
    return EXIT_CLEAN


def overall_exit_code(codes: Sequence[int]) -> int:
    """One exit code over several files: findings anywhere, else could-not-check anywhere, else clean."""
    return next((code for code in (EXIT_FINDINGS, EXIT_UNVERIFIED) if code in codes), EXIT_CLEAN)
