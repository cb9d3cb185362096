"""`refkit mirror build|info|verify`: a local copy of the public metadata dumps to verify against offline."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from refkit.cli.app import app, human_size, progress_bar, write_stdout

mirror_app = typer.Typer(
    help="Build and inspect local mirrors of Crossref, DBLP, arXiv, OpenAlex and PubMed bulk files.",
    no_args_is_help=True,
)
app.add_typer(mirror_app, name="mirror")

INTO = typer.Option(..., "--into", help="The mirror file (made if absent).")


@mirror_app.command("build")
def build_command(
    paths: list[Path] = typer.Argument(
        ...,
        metavar="PATH",
        help="Bulk files or folders: Crossref's public data file (*.json.gz), dblp.xml(.gz), arXiv's OAI snapshot, "
        "OpenAlex's works snapshot (part_*.gz), PubMed's baseline (pubmed*.xml.gz).",
    ),
    into: Path = INTO,
    complete: bool | None = typer.Option(
        None,
        "--complete/--incomplete",
        help="The mirror holds every work of what it covers, so what it lacks does not exist (default: as before, "
        "else incomplete).",
    ),
    abstracts: bool | None = typer.Option(
        None,
        "--abstracts/--no-abstracts",
        help="Keep the records' abstracts (Crossref, OpenAlex, PubMed, arXiv), which `refkit map` reads; they "
        "make the mirror larger (default: as before, else not kept).",
    ),
    processes: int = typer.Option(
        0,
        "--processes",
        min=0,
        help="Processes reading the many-file dumps (Crossref, PubMed) beside the one writing the index "
        "(0: one per core; 1: none).",
    ),
) -> None:
    """Index bulk files into a mirror; files indexed already are skipped, so a stopped build resumes."""
    from refkit.mirrors.store import build  # the store (and the matcher it ranks with) only when used

    with progress_bar("Indexing records") as update:
        stats = build(
            paths,
            into,
            complete=complete,
            abstracts=abstracts,
            on_progress=lambda name, done: update(done, None),
            processes=processes or os.cpu_count() or 1,
        )
    new = [each for each in stats if not each.skipped]
    records = sum(each.records for each in new)
    seconds = sum(each.seconds for each in new)
    rate = f", {records / seconds:,.0f} records/s" if seconds else ""
    write_stdout(
        f"indexed {records:,} records from {len(new)} file{'s' if len(new) != 1 else ''}{rate}; "
        f"{len(stats) - len(new)} already indexed; mirror: {into}\n"
    )


@mirror_app.command("info")
def info_command(mirror: Path = typer.Argument(..., help="The mirror file.")) -> None:
    """What a mirror holds: records per format, DOIs, whether it is complete, size on disk."""
    from refkit.mirrors.store import info

    held = info(mirror)
    formats = ", ".join(f"{name} {count:,}" for name, count in held.formats.items()) or "none"
    write_stdout(
        f"path:      {held.path}\n"
        f"records:   {held.records:,} ({held.with_doi:,} with a DOI)\n"
        f"formats:   {formats}\n"
        f"files:     {held.files:,}\n"
        f"complete:  {'yes (what it lacks does not exist)' if held.complete else 'no'}\n"
        f"abstracts: {'kept' if held.abstracts else 'not kept'}\n"
        f"size:      {human_size(held.size)}\n"
    )


@mirror_app.command("verify")
def verify_command(mirror: Path = typer.Argument(..., help="The mirror file.")) -> None:
    """Check a mirror: database and title index intact, every indexed file's records held, files unchanged."""
    from refkit.mirrors.store import verify

    problems = verify(mirror)
    verdict = "sound" if not problems else f"{len(problems)} problem(s)"
    write_stdout("".join(f"{problem}\n" for problem in problems) + f"{mirror}: {verdict}\n")
    raise typer.Exit(1 if problems else 0)
