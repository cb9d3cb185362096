"""The command-line shell: each command is a few lines over the library API (one module per command)."""

from __future__ import annotations

import sys

from refkit.cli.app import EXIT_BROKEN_PIPE, EXIT_USAGE, OutputClosed, app, write_stdout
from refkit.errors import RefkitError

# Importing a command module registers its command on `app`.
from refkit.cli import validate as _validate  # noqa: F401  isort: skip
from refkit.cli import export as _export  # noqa: F401  isort: skip
from refkit.cli import rules as _rules  # noqa: F401  isort: skip
from refkit.cli import enrich as _enrich  # noqa: F401  isort: skip
from refkit.cli import cache as _cache  # noqa: F401  isort: skip
from refkit.cli import extract as _extract  # noqa: F401  isort: skip
from refkit.cli import map as _map  # noqa: F401  isort: skip
from refkit.cli import mirror as _mirror  # noqa: F401  isort: skip
from refkit.cli import batch as _batch  # noqa: F401  isort: skip


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 2, never a traceback; a
    reader that stops reading (`| head`) ends the run quietly with 141, as if SIGPIPE had."""
    try:
        try:
            app()
        finally:
            write_stdout("")  # flushes what print() left buffered, so a failure to write it is reported too
    except OutputClosed:
        sys.exit(EXIT_BROKEN_PIPE)
    except RefkitError as error:
        print(f"refkit: error: {error}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        print("refkit: interrupted", file=sys.stderr)
        sys.exit(130)
