"""`refkit validate BIB`: lint the file and verify its entries; exit 0, 1 (findings) or 2 (usage/input)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from refkit.cli.app import app, emit, progress_bar
from refkit.cli.sources import API_URL, CACHE_DIR, MAILTO, OFFLINE, SNAPSHOT, source_overrides
from refkit.config import load_settings
from refkit.model import Severity
from refkit.reports import RENDERERS
from refkit.reports.text import render_rich
from refkit.validate import exit_code, validate

# The choices are the registered renderers, so a new report format needs no second list here.
ReportFormat = StrEnum("ReportFormat", {name: name for name in RENDERERS})  # type: ignore[misc]


@app.command("validate")
def validate_command(
    bib: Path = typer.Argument(..., help="The .bib file to check."),
    format: ReportFormat = typer.Option(ReportFormat["text"], "--format", "-f", help="Report format."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    select: list[str] = typer.Option(None, "--select", help="Only these rule ids or prefixes (RK1,RK301)."),
    ignore: list[str] = typer.Option(None, "--ignore", help="Skip these rule ids or prefixes."),
    fail_on: Severity | None = typer.Option(None, "--fail-on", help="Lowest severity that fails the run."),
    offline: bool | None = OFFLINE,
    snapshot: list[Path] = SNAPSHOT,
    api_url: str | None = API_URL,
    mailto: str | None = MAILTO,
    cache_dir: Path | None = CACHE_DIR,
) -> None:
    """Check a bibliography: syntax, fields and identifiers offline; existence and agreement online."""
    settings = load_settings(
        bib,
        {
            "select": select,
            "ignore": ignore,
            "fail_on": fail_on,
            **source_overrides(snapshot, offline, api_url, mailto, cache_dir),
        },
    )
    with progress_bar("Checking references") as on_progress:
        report = validate(bib, settings, on_progress)
    if format == "text" and output is None and sys.stdout.isatty():
        text = render_rich(report)
    else:
        text = RENDERERS[format.value](report)
    emit(text, output)
    raise typer.Exit(exit_code(report, settings.fail_on))
