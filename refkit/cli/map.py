"""`refkit map DOC [--bib BIB] [--format text|json|markdown|html] [--ranker …] [--fail-on unsupported]`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from refkit.cli.app import EXIT_FINDINGS, app, emit
from refkit.cli.sources import SNAPSHOT


class MapFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class Ranker(StrEnum):
    auto = "auto"
    lexical = "lexical"
    semantic = "semantic"


class FailOn(StrEnum):
    unsupported = "unsupported"
    never = "never"


@app.command("map")
def map_command(
    document: Path = typer.Argument(..., help="The document (txt, md, tex, html, docx)."),
    bib: Path | None = typer.Option(
        None, "--bib", "-b", help="References from this .bib instead of the document's own list."
    ),
    format: MapFormat = typer.Option(MapFormat.text, "--format", "-f", help="Output format."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    ranker: Ranker = typer.Option(
        Ranker.lexical,
        "--ranker",
        help="lexical (BM25); semantic (needs refkit[semantic]); auto: semantic when installed.",
    ),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when a claim has no support (for CI)."),
    snapshot: list[Path] = SNAPSHOT,
) -> None:
    """Map each claim of a document to the references that support it; list unsupported claims,
    references nothing cites, and citation markers that resolve to nothing. Abstracts missing from the
    references are taken from the configured Crossref snapshot, never from the network."""
    from refkit.claims import map_document
    from refkit.claims.render import render_json, render_markdown, render_text
    from refkit.claims.report_html import render_html
    from refkit.config import load_settings

    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown, "html": render_html}
    settings = load_settings(bib or document, {"snapshot": snapshot})
    claim_map = map_document(document, bib, ranker=ranker.value, snapshot=settings.snapshot)
    if claim_map.notice:  # on the terminal too when the report goes to a file (an unavailable ranker, …)
        print(f"refkit: note: {claim_map.notice}", file=sys.stderr)
    emit(renderers[format.value](claim_map, str(document)), output)
    if fail_on is FailOn.unsupported and claim_map.unsupported:
        raise typer.Exit(EXIT_FINDINGS)
