"""Exporters: a list of References → text in another bibliographic format."""

from __future__ import annotations

from collections.abc import Callable

from refkit.errors import RefkitError
from refkit.export import csl_json, ris
from refkit.model import Reference


def _bibtex(references: list[Reference]) -> str:
    """BibTeX through bibtexparser's writer, imported when used: the CLI reads this registry at start-up."""
    from refkit.bib.write import write_references

    return write_references(references)


EXPORTERS: dict[str, Callable[[list[Reference]], str]] = {
    "csl-json": csl_json.render,
    "bibtex": _bibtex,
    "ris": ris.render,
}


def export(references: list[Reference], format: str) -> str:
    """The references as text in `format` (a key of EXPORTERS)."""
    if format not in EXPORTERS:
        raise RefkitError(f"unknown export format '{format}' (choose from {', '.join(EXPORTERS)})")
    return EXPORTERS[format](references)


__all__ = ["EXPORTERS", "export"]
