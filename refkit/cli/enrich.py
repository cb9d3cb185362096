"""`refkit enrich BIB`: add DOIs and missing fields, correct disagreeing ones, for confident matches only."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from refkit.cli.app import EXIT_FINDINGS, app, emit, progress_bar, write_stdout
from refkit.cli.sources import API_URL, CACHE_DIR, DEADLINE, MAILTO, OFFLINE, SNAPSHOT, SOURCES, source_overrides
from refkit.errors import RefkitError
from refkit.text import escape_controls

if TYPE_CHECKING:
    from refkit.enrich import EnrichResult


def keep_bom(path: Path, text: str) -> str:
    """The text to write back: with the UTF-8 byte-order mark the file had (reading drops it), so that an
    in-place run changes only the edited fields."""
    with path.open("rb") as stream:
        return "\ufeff" + text if stream.read(3) == b"\xef\xbb\xbf" else text


def summary(result: EnrichResult) -> str:
    """One line on what changed and what was left alone, and why."""
    touched = sorted({change.key for change in result.changes})
    text = f"{len(result.changes)} field(s) changed in {len(touched)} entr{'y' if len(touched) == 1 else 'ies'}"
    left = [f"{item.key} ({item.status.value})" for item in result.skipped()]
    if left:
        text += f"; left alone (no confident match): {', '.join(left)}"
    if result.unfit:
        unfit = [f"{item.key} {item.field} ({item.reason})" for item in result.unfit]
        text += f"; not written (the record's value does not fit the field): {', '.join(unfit)}"
    return text


@app.command("enrich")
def enrich_command(
    bib: Path = typer.Argument(..., help="The .bib file to enrich."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write the enriched file here."),
    in_place: bool = typer.Option(False, "--in-place", "-i", help="Rewrite BIB (keeping BIB.bak)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Only show the diff; write nothing."),
    snapshot: list[Path] = SNAPSHOT,
    offline: bool | None = OFFLINE,
    api_url: str | None = API_URL,
    mailto: str | None = MAILTO,
    cache_dir: Path | None = CACHE_DIR,
    deadline: float | None = DEADLINE,
    sources: list[str] = SOURCES,
) -> None:
    """Add DOIs and missing fields and correct wrong ones from confident matches; every other byte is kept.

    The diff goes to stdout (stderr when the enriched file itself is written to stdout)."""
    from refkit.bib import load_bibliography
    from refkit.cli.problems import report_problems
    from refkit.config import load_settings
    from refkit.enrich import enrich
    from refkit.files import file_state, write_atomic

    if output and in_place:
        raise RefkitError("give either --output or --in-place, not both")
    if in_place and str(bib) == "-":
        raise RefkitError("--in-place needs a file: standard input cannot be rewritten")
    settings = load_settings(bib, source_overrides(snapshot, offline, api_url, mailto, cache_dir, deadline, sources))
    read_as = file_state(bib) if in_place and not dry_run else None  # before reading: no change slips by
    bibliography = load_bibliography(bib)
    with progress_bar("Looking up references") as on_progress:
        result = enrich(bibliography, settings, on_progress)
    diff = escape_controls(result.diff(bib.name), keep="\t\n")  # a report: outside text made inert
    to_stdout = not (dry_run or in_place or output)
    if to_stdout:
        sys.stderr.write(diff)
    else:
        write_stdout(diff)
    if in_place and result.changes and not dry_run:
        write_atomic(bib, keep_bom(bib, result.new_text), backup=True, unchanged_since=read_as)
    elif not (in_place or dry_run):
        emit(result.new_text, output)
    print(f"refkit enrich: {escape_controls(summary(result))}" + (" (dry run)" if dry_run else ""), file=sys.stderr)
    consequence = "entries with an empty or duplicate key were left alone, and unreadable blocks kept as they are"
    if report_problems(bibliography, "enrich", consequence):
        raise typer.Exit(EXIT_FINDINGS)
