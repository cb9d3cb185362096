"""The one exception type the CLI turns into a one-line message and exit code 2."""


class RefkitError(Exception):
    """Bad input or usage: the message is shown to the user as is, without a traceback."""
