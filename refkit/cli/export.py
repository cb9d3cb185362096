"""`refkit export BIB --format csl-json|bibtex|ris`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from refkit.cli.app import EXIT_FINDINGS, app, emit
from refkit.export import EXPORTERS, export

# The choices are the registered exporters, so a new format needs no second list here.
ExportFormat = StrEnum("ExportFormat", {name.replace("-", "_"): name for name in EXPORTERS})  # type: ignore[misc]


@app.command("export")
def export_command(
    bib: Path = typer.Argument(..., help="The .bib file to convert."),
    format: ExportFormat = typer.Option(ExportFormat["csl_json"], "--format", "-f", help="Output format."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Convert a bibliography to CSL-JSON (pandoc, Zotero, citeproc), RIS or normalised BibTeX.

    Every entry read is exported as written (duplicate and empty keys included); problems in the file are
    listed on stderr and make the exit code 1."""
    from refkit.bib import load_bibliography, to_reference
    from refkit.cli.problems import report_problems

    bibliography = load_bibliography(bib)
    references = [to_reference(entry, bibliography.path) for entry in bibliography.entries]
    emit(export(references, format.value), output)
    consequence = "every entry read is exported as written; unreadable blocks and values are not in the output"
    if report_problems(bibliography, "export", consequence):
        raise typer.Exit(EXIT_FINDINGS)
