"""`refkit batch PATH... --mirror M -o results.jsonl`: many bibliographies checked on a cluster of workers."""

from __future__ import annotations

from pathlib import Path

import typer

from refkit.cli.app import app, write_stdout
from refkit.cli.sources import MIRROR, SNAPSHOT


@app.command("batch")
def batch_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH", help="Bibliographies or documents to check."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON-lines report; paths already in it are skipped."),
    mirror: list[Path] = MIRROR,
    snapshot: list[Path] = SNAPSHOT,
    engine: str = typer.Option("dask", "--engine", help="dask (a Dask cluster) or processes (a local pool)."),
    workers: int = typer.Option(2, "--workers", min=1, help="Workers of the local cluster or pool."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="A running Dask scheduler (tcp://host:8786); default: start one here."
    ),
) -> None:
    """Check many files offline against local mirrors, spread over workers; one JSON line per file, written as
    it finishes, so a stopped batch resumes where it stopped."""
    from refkit.batch import run_batch  # validation and the engines only when a batch runs

    overrides = {"mirror": mirror or None, "snapshot": snapshot or None, "offline": True}
    stats = run_batch(paths, output, overrides, engine=engine, workers=workers, scheduler=scheduler)
    rate = f", {stats.references / stats.seconds:,.0f} references/s" if stats.seconds and stats.references else ""
    write_stdout(
        f"checked {stats.done:,} file{'s' if stats.done != 1 else ''} ({stats.references:,} references{rate}); "
        f"{stats.skipped:,} already in {output}\n"
    )
