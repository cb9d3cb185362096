"""Exporters: a list of References → text in another bibliographic format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from refkit.errors import RefkitError

if TYPE_CHECKING:
    from refkit.model import Reference

# Each exporter is imported when used: the CLI reads this registry's names at start-up, for its choices.


def _csl_json(references: Iterable[Reference]) -> str:
    from refkit.export import csl_json

    return csl_json.render(references)


def _bibtex(references: Iterable[Reference]) -> str:
    """BibTeX through bibtexparser's writer."""
    from refkit.bib.write import write_references

    return write_references(references)


def _ris(references: Iterable[Reference]) -> str:
    from refkit.export import ris

    return ris.render(references)


# Each takes any iterable, so an export can convert its entries one at a time as the text is made.
EXPORTERS: dict[str, Callable[[Iterable[Reference]], str]] = {
    "csl-json": _csl_json,
    "bibtex": _bibtex,
    "ris": _ris,
}


def export(references: Iterable[Reference], format: str) -> str:
    """The references as text in `format` (a key of EXPORTERS)."""
    if format not in EXPORTERS:
        raise RefkitError(f"unknown export format '{format}' (choose from {', '.join(EXPORTERS)})")
    return EXPORTERS[format](references)


__all__ = ["EXPORTERS", "export"]
