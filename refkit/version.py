"""The version, in a module of its own: `refkit --version`, the User-Agent and the reports read it without
importing the package (pyproject.toml reads it from here too, so it is written once)."""

__version__ = "0.1.0"
