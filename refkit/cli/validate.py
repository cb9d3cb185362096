"""`refkit validate PATH...`: lint and verify bibliographies and documents' reference lists, one combined
report; exit 0 (clean), 1 (findings), 2 (usage/input) or 3 (some entries could not be checked)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from refkit.cli.app import app, emit, progress_bar
from refkit.cli.sources import (
    API_URL,
    CACHE_DIR,
    DEADLINE,
    MAILTO,
    MIRROR,
    OFFLINE,
    SNAPSHOT,
    SOURCES,
    source_overrides,
)
from refkit.model import Severity
from refkit.reports import RENDERERS

if TYPE_CHECKING:
    from refkit.config import Settings
    from refkit.sources.base import Source

# The choices are the registered renderers, so a new report format needs no second list here.
ReportFormat = StrEnum("ReportFormat", {name: name for name in RENDERERS})  # type: ignore[misc]


@app.command("validate")
def validate_command(
    paths: list[Path] = typer.Argument(
        ...,
        metavar="PATH",
        help=".bib files, or documents (tex, bbl, md, Rmd, qmd, html, docx, txt, pdf) whose reference lists to check.",
    ),
    format: ReportFormat = typer.Option(ReportFormat["text"], "--format", "-f", help="Report format."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    select: list[str] = typer.Option(None, "--select", help="Only these rule ids or prefixes (RK1,RK301)."),
    ignore: list[str] = typer.Option(None, "--ignore", help="Skip these rule ids or prefixes."),
    fail_on: Severity | None = typer.Option(None, "--fail-on", help="Lowest severity that fails the run."),
    allow_unverified: bool | None = typer.Option(
        None,
        "--allow-unverified/--no-allow-unverified",
        help="Exit 0, not 3, when entries could not be checked (network, cache miss) and nothing else fails.",
    ),
    offline: bool | None = OFFLINE,
    snapshot: list[Path] = SNAPSHOT,
    mirror: list[Path] = MIRROR,
    snapshot_complete: bool | None = typer.Option(
        None,
        "--snapshot-complete/--snapshot-incomplete",
        help="The snapshots hold every work there is: what they lack does not exist (default: incomplete).",
    ),
    api_url: str | None = API_URL,
    mailto: str | None = MAILTO,
    cache_dir: Path | None = CACHE_DIR,
    deadline: float | None = DEADLINE,
    sources: list[str] = SOURCES,
) -> None:
    """Check bibliographies: syntax, fields and identifiers offline; existence and agreement online."""
    from refkit.config import load_settings
    from refkit.reports.text import render_rich, unchecked_notice
    from refkit.validate import (
        combine,
        exit_code,
        overall_exit_code,
        read_inputs,
        validate_input,
        verification_selected,
    )

    overrides = {
        "select": select,
        "ignore": ignore,
        "fail_on": fail_on,
        "allow_unverified": allow_unverified,
        "snapshot_complete": snapshot_complete,
        **source_overrides(snapshot, offline, api_url, mailto, cache_dir, deadline, sources, mirror),
    }
    unique = list(dict.fromkeys(paths))
    settings = [load_settings(path, overrides) for path in unique]
    # Every file is read before any is checked, so an unreadable one stops the run (exit 2) at once.
    inputs = [(read, each) for path, each in zip(unique, settings, strict=True) for read in read_inputs(path)]
    chains: list[tuple[Settings, list[Source]]] = []  # files with the same settings share one chain (and its cache)
    reports, codes = [], []
    with progress_bar("Checking references") as on_progress:
        for read, each in inputs:
            source = _source(each, chains) if verification_selected(each) else None
            report = validate_input(read, each, on_progress, source)
            reports.append(report)
            codes.append(exit_code(report, each.fail_on, each.allow_unverified))
    report = combine(reports)
    if format == "text" and output is None and sys.stdout.isatty():
        text = render_rich(report)
    else:
        text = RENDERERS[format.value](report)
    emit(text, output)
    notice = unchecked_notice(report)
    if notice and (format != "text" or output is not None):  # the text report carries it already
        print(f"refkit: note: {notice}", file=sys.stderr)
    raise typer.Exit(overall_exit_code(codes))


def _source(settings: Settings, known: list[tuple[Settings, list[Source]]]) -> list[Source]:
    """The chain for these settings: built once, then shared by every file checked with the same ones."""
    from refkit.sources.registry import build_sources

    for seen, source in known:
        if seen == settings:
            return source
    source = build_sources(settings)
    known.append((settings, source))
    return source
