"""The Typer application object and the small helpers every command shares."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, BinaryIO

import typer
from typer.core import TyperGroup

from refkit.errors import RefkitError
from refkit.version import __version__

# Each command's module, in the order `refkit --help` lists them. A module registers its command on `app` when
# imported, and is imported when its command is asked for: `refkit validate` neither imports the other commands'
# modules nor has typer build their options (half the start-up of a command, typer itself aside).
COMMAND_MODULES = {
    name: f"refkit.cli.{name}"
    for name in ("validate", "export", "rules", "enrich", "extract", "map", "batch", "cache", "mirror")
}


class _Commands(MutableMapping[str, Any]):
    """The click commands of the root group, each built the first time it is looked up; going over all of them
    (help, a mistyped command's suggestions, shell completion) builds them all."""

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        self._built = built

    def _load(self, names: list[str]) -> None:
        for name in names:
            importlib.import_module(COMMAND_MODULES[name])
        group = typer.main.get_command(app)
        assert isinstance(group, _LazyGroup)
        self._built = dict(group.commands._built if isinstance(group.commands, _Commands) else group.commands)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built and name in COMMAND_MODULES:
            self._load([name])
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        missing = [name for name in COMMAND_MODULES if name not in self._built]
        if missing:
            self._load(missing)
        return iter(self._built)

    def __len__(self) -> int:
        return len(self._built.keys() | COMMAND_MODULES.keys())

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


class _LazyGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands)


app = typer.Typer(
    name="refkit",
    cls=_LazyGroup,
    help="Keep a document's references honest: extract, validate, enrich, export and map claims.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process SIGPIPE ended: the reader left (`… | head`)


class OutputFailed(RefkitError):
    """Standard output refused the report (a full disk, a file-size limit): an error, never a report cut
    short with exit 0."""


class OutputClosed(Exception):
    """The reader of standard output went away (`refkit … | head -1`): nothing is wrong, nothing to say."""


def write_stdout(text: str) -> None:
    """Write to standard output and flush at once, so that a failed write surfaces here, as OutputFailed or
    OutputClosed, and not as a traceback or an "Exception ignored" message when the interpreter exits."""
    try:
        sys.stdout.flush()  # what print() left in the text layer goes first
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stand-in for stdout
            sys.stdout.write(text)
        else:
            _write_all(stream, text.encode(sys.stdout.encoding, sys.stdout.errors or "strict"))
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        raise OutputClosed from None
    except OSError as error:
        _discard_stdout()
        raise OutputFailed(f"cannot write the report: {error.strerror or error}") from None
    except UnicodeEncodeError as error:
        held = error.object[error.start : error.end]
        raise OutputFailed(
            f"cannot write the report: standard output's encoding ({error.encoding}) has no {held!r};"
            " set PYTHONIOENCODING=utf-8"
        ) from None


def _write_all(stream: BinaryIO, data: bytes) -> None:
    """Every byte, or an OSError. A buffered write into a file-size limit or a closing pipe takes only part
    and returns the count, which `sys.stdout.write` drops: the report was cut at 8,192 bytes, exit 0."""
    view = memoryview(data)
    while view:
        view = view[stream.write(view) :]
    stream.flush()


def _discard_stdout() -> None:
    """Point standard output at the null device: what is left in its buffers is dropped at exit instead of
    failing a second time (the recipe in the Python docs' note on SIGPIPE)."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a file: captured in-process, nothing left to fail at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _version(value: bool) -> None:
    if value:
        write_stdout(f"refkit {__version__}\n")
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
        from refkit.files import write_atomic

        write_atomic(output, text)
    else:
        write_stdout(text if text.endswith("\n") or not text else text + "\n")


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int | None], None]]:
    """A rich progress bar on stderr for long runs (a count without a bar when the total is not known);
    silent when stderr is not a terminal, unless asked for with REFKIT_PROGRESS=1 (a CI log that shows a
    terminal's output; REFKIT_PROGRESS=0 silences it)."""
    asked = os.environ.get("REFKIT_PROGRESS", "")
    if asked == "0" or not (sys.stderr.isatty() or asked == "1"):
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def human_size(size: int) -> str:
    """Bytes as people read them: 512 bytes, 3.4 KB, 1.2 GB."""
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
