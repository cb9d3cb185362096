"""Running `refkit` in tests: in-process through the console entry point (fast: no interpreter start, no
imports), or as a real process for the few end-to-end tests that check what only a process shows."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from refkit.cli import main


@dataclass(frozen=True)
class CliResult:
    """What a run left: named as subprocess.CompletedProcess names it, so both kinds of run read alike."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str | Path,
    input: bytes | str | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str | None] | None = None,
) -> CliResult:
    """`refkit ARGS` in this process, through `refkit.cli.main` (so a RefkitError becomes the one-line error and
    exit code 2 exactly as for a user), with its own stdin, stdout, stderr, working folder and environment.

    An exception that escapes `main` is not caught: it fails the test with its traceback, where a process
    would have printed one."""
    with (
        contextlib.chdir(cwd or Path.cwd()),
        CliRunner().isolation(input=input, env=env) as (stdout, stderr, _),
    ):
        argv, sys.argv = sys.argv, ["refkit", *map(str, args)]
        try:
            main()
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        return CliResult(code, stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8"))


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m refkit ARGS` as a separate process (about a second of start-up): for end-to-end tests only."""
    return subprocess.run([sys.executable, "-m", "refkit", *args], capture_output=True, text=True, cwd=cwd, timeout=120)
