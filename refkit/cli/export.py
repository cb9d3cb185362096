"""`refkit export BIB --format csl-json|bibtex|ris`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from refkit.cli.app import EXIT_FINDINGS, app, emit, progress_bar
from refkit.export import EXPORTERS, export

if TYPE_CHECKING:
    from refkit.bib import Bibliography
    from refkit.model import Reference

PROGRESS_STEP = 500  # entries between progress reports: a report costs more than converting an entry

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
    from refkit.bib import load_bibliography
    from refkit.cli.problems import report_problems

    bibliography = load_bibliography(bib)
    with progress_bar("Exporting references") as on_progress:
        text = export(_references(bibliography, on_progress), format.value)
    emit(text, output)
    consequence = "every entry read is exported as written; unreadable blocks and values are not in the output"
    if report_problems(bibliography, "export", consequence):
        raise typer.Exit(EXIT_FINDINGS)


def _references(bibliography: Bibliography, on_progress: Callable[[int, int], None]) -> Iterator[Reference]:
    """The entries as References, one at a time (the export never holds them all), told as they go."""
    from refkit.bib import to_reference

    total = len(bibliography.entries)
    for done, entry in enumerate(bibliography.entries, start=1):
        yield to_reference(entry, bibliography.path)
        if done % PROGRESS_STEP == 0 or done == total:
            on_progress(done, total)
