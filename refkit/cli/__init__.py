"""The command-line shell: each command is a few lines over the library API (one module per command)."""

from __future__ import annotations

import sys

from refkit.cli.app import EXIT_BROKEN_PIPE, EXIT_USAGE, OutputClosed, app, write_stdout
from refkit.errors import RefkitError

# Each command's module is imported when the command is asked for (refkit.cli.app.COMMAND_MODULES).


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
