"""The Typer application object and the small helpers every command shares."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from refkit import __version__
from refkit.files import write_atomic

app = typer.Typer(
    name="refkit",
    help="Keep a document's references honest: extract, validate, enrich, export and map claims.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"refkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """refkit: is every reference real and correctly described, and is every claim backed?"""


def emit(text: str, output: str | None) -> None:
    """Write a command's result to stdout, or atomically to a file."""
    if output and output != "-":
        write_atomic(output, text)
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr for long runs; silent when stderr is not a terminal, unless asked for
    with REFKIT_PROGRESS=1 (a CI log that shows a terminal's output; REFKIT_PROGRESS=0 silences it)."""
    asked = os.environ.get("REFKIT_PROGRESS", "")
    if asked == "0" or not (sys.stderr.isatty() or asked == "1"):
        yield lambda done, total: None
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
